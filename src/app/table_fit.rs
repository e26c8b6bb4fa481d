//! Which columns fit in the table's width, and how wide each is: shared by the table's
//! drawing and the mouse (a click on a header must find the column drawn there).

use crate::model::column::Column;

impl super::App {
    /// The columns the table shows in a table box `table_width` wide, and their widths: the
    /// table, the mouse and the column chooser all ask this, so they agree on what is hidden.
    pub fn fitted_columns(&self, table_width: u16) -> (Vec<Column>, Vec<u16>) {
        // Once something is marked, a one-character gutter (and its gap) shows the marks.
        let gutter = if self.marks.is_empty() { 0 } else { 2 };
        fit_columns(&self.columns, table_width.saturating_sub(2 + gutter))
    }
}

/// Picks the columns that fit (dropping the least important before squeezing any) and shares
/// out the spare width.
pub fn fit_columns(chosen: &[Column], width: u16) -> (Vec<Column>, Vec<u16>) {
    let total = |cols: &[Column], w: &dyn Fn(Column) -> u16| -> u16 {
        cols.iter().map(|&c| w(c)).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    let mut columns = chosen.to_vec();
    // Drop columns until the rest fit at a comfortable width (halfway from minimum to preferred).
    let comfortable = |c: Column| (c.widths().0 + c.widths().1) / 2;
    while columns.len() > 3 && total(&columns, &comfortable) > width {
        columns.pop();
    }
    while columns.len() > 1 && total(&columns, &|c: Column| c.widths().0) > width {
        columns.pop();
    }
    let mut widths: Vec<u16> = columns.iter().map(|c| c.widths().0).collect();
    let mut spare = width.saturating_sub(total(&columns, &|c: Column| c.widths().0));
    // Who did it matters more than a long event name: grow the principal first.
    let mut by_need: Vec<usize> = (0..columns.len()).collect();
    by_need.sort_by_key(|&i| columns[i] != Column::Principal);
    for i in by_need {
        let grow = (columns[i].widths().1 - columns[i].widths().0).min(spare);
        widths[i] += grow;
        spare -= grow;
    }
    // Whatever is left goes to the free-text columns, which can always use it.
    if let Some(i) = columns.iter().position(|&c| c == Column::Principal) {
        widths[i] += spare / 2;
        spare -= spare / 2;
    }
    match columns.iter().position(|&c| c == Column::Error) {
        Some(i) => widths[i] += spare,
        None => {
            if let Some(w) = widths.last_mut() {
                *w += spare;
            }
        }
    }
    (columns, widths)
}

#[cfg(test)]
mod tests {
    use super::fit_columns;
    use crate::model::column::DEFAULT_COLUMNS;

    #[test]
    fn columns_fit_any_width() {
        for w in [0u16, 20, 78, 118, 200, 400] {
            let (cols, widths) = fit_columns(&DEFAULT_COLUMNS, w);
            assert!(!cols.is_empty());
            let total: u16 = widths.iter().sum::<u16>() + cols.len() as u16 - 1;
            assert!(total <= w.max(19), "width {w}: {total}");
        }
        assert_eq!(fit_columns(&DEFAULT_COLUMNS, 200).0.len(), 7);
    }
}
