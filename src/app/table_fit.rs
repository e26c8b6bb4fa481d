//! Which columns fit in the table's width, and how wide each is: shared by the table's
//! drawing and the mouse (a click on a header must find the column drawn there).

use crate::model::column::Column;

impl super::App {
    /// The columns the table shows in a table box `table_width` wide, and their widths: the
    /// table, the mouse and the column chooser all ask this, so they agree on what is hidden.
    pub fn fitted_columns(&self, table_width: u16) -> (Vec<Column>, Vec<u16>) {
        use unicode_width::UnicodeWidthStr;
        // Once something is marked or a rule fired, a one-character gutter (and its gap)
        // shows the marks and findings.
        let gutter = if self.gutter_shown() { 2 } else { 0 };
        let rows = self.rows();
        let start = self.table.offset.min(rows.len());
        let page = &rows[start..(start + self.layout().table_rows()).min(rows.len())];
        // What each column needs on the page shown, its header (and sort arrow) included: a
        // column with nothing to say (no target, no error here) lends its width to the others,
        // and a long target takes what the short event names leave.
        let need = |c: Column| {
            if page.is_empty() {
                return None;
            }
            let arrow = match self.sort {
                Some(s) if s.column == c => 2,
                _ => 0,
            };
            let header = self.column_header(c).width() + arrow;
            let widest = page
                .iter()
                .map(|&idx| c.cell(&self.store, self.store.event(idx)).width())
                .max()
                .unwrap_or(0);
            Some(u16::try_from(header.max(widest)).unwrap_or(u16::MAX))
        };
        fit_columns(&self.columns, table_width.saturating_sub(2 + gutter), &need)
    }
}

/// Picks the columns that fit and shares out the width. Columns the table keeps by
/// shortening (`Column::squeezed_width`: time, event, principal, source IP, error, target)
/// outlast the others: the rest are dropped, least important first, before any of those is
/// drawn narrower than its minimum, and those are dropped only below their squeezed width.
///
/// `need` is how wide each column's cells on the page shown are (None: nothing shown yet):
/// no column is drawn wider than it needs, and width left over goes to the columns still cut.
pub fn fit_columns(
    chosen: &[Column],
    width: u16,
    need: &dyn Fn(Column) -> Option<u16>,
) -> (Vec<Column>, Vec<u16>) {
    // Asked once per column: `need` reads the page.
    let needs: Vec<(Column, Option<u16>)> = chosen.iter().map(|&c| (c, need(c))).collect();
    let need = |c: Column| needs.iter().find(|(x, _)| *x == c).and_then(|(_, n)| *n);
    let span = |c: Column| {
        let (lo, hi) = c.widths();
        match need(c) {
            Some(n) => (lo.min(n), hi.min(n)),
            None => (lo, hi),
        }
    };
    let squeezed = |c: Column| c.squeezed_width().map(|w| w.min(span(c).1));
    let total = |cols: &[Column], w: &dyn Fn(Column) -> u16| -> u16 {
        cols.iter().map(|&c| w(c)).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    let floor = |c: Column| squeezed(c).unwrap_or(span(c).0);
    let mut columns = chosen.to_vec();
    // Drop the dispensable columns until the rest fit at a comfortable width, never more than
    // the page's cells need: the kept columns at their preferred width (who did it and what
    // failed are worth more than a service name), the target and the others halfway from
    // minimum to preferred (a target is often long; it takes what is left later).
    let comfortable = |c: Column| {
        let (lo, hi) = c.widths();
        let want = match squeezed(c) {
            Some(_) if c != Column::Target => hi,
            _ => (lo + hi) / 2,
        };
        need(c).map_or((lo + hi) / 2, |n| n.min(want))
    };
    while columns.len() > 3 && total(&columns, &comfortable) > width {
        match columns.iter().rposition(|&c| squeezed(c).is_none()) {
            Some(i) => {
                columns.remove(i);
            }
            None => break,
        }
    }
    while columns.len() > 1 && total(&columns, &floor) > width {
        columns.pop();
    }
    let mut widths: Vec<u16> = columns.iter().map(|&c| floor(c)).collect();
    let mut spare = width.saturating_sub(total(&columns, &floor));
    // Squeezed columns get back to their minimum first, the identifiers (cut in the middle,
    // so every cell counts) before the words.
    let mut by_cut: Vec<usize> = (0..columns.len()).collect();
    by_cut.sort_by_key(|&i| match columns[i] {
        Column::Target => 0,
        Column::Principal => 1,
        _ => 2,
    });
    for i in by_cut {
        let grow = span(columns[i]).0.saturating_sub(widths[i]).min(spare);
        widths[i] += grow;
        spare -= grow;
    }
    // Who did it matters more than a long event name: grow the principal first.
    if let Some(i) = columns.iter().position(|&c| c == Column::Principal) {
        let grow = span(columns[i]).1.saturating_sub(widths[i]).min(spare);
        widths[i] += grow;
        spare -= grow;
    }
    // Then the others toward their preferred width a cell at a time each, so no one column
    // (an error code, mostly empty) takes what the event name and target both need.
    while spare > 0 {
        let mut grew = false;
        for (i, &c) in columns.iter().enumerate() {
            if spare > 0 && widths[i] < span(c).1 {
                widths[i] += 1;
                spare -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    // What is left goes to the columns still cut, the identifiers first (a target's bucket
    // and file, a principal's role and session), up to what they need.
    let mut by_cut: Vec<usize> = (0..columns.len()).collect();
    by_cut.sort_by_key(|&i| match columns[i] {
        Column::Target => 0,
        Column::Principal => 1,
        Column::Event => 2,
        _ => 3,
    });
    for i in by_cut {
        let wanted = need(columns[i]).unwrap_or(widths[i]);
        let grow = wanted.saturating_sub(widths[i]).min(spare);
        widths[i] += grow;
        spare -= grow;
    }
    // Then, when every cell is whole, to the free-text columns, which can always use it.
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
    use crate::model::column::{Column, DEFAULT_COLUMNS};

    #[test]
    fn columns_fit_any_width() {
        for w in [0u16, 20, 78, 118, 200, 400] {
            let (cols, widths) = fit_columns(&DEFAULT_COLUMNS, w, &|_| None);
            assert!(!cols.is_empty());
            let total: u16 = widths.iter().sum::<u16>() + cols.len() as u16 - 1;
            assert!(total <= w.max(19), "width {w}: {total}");
        }
        assert_eq!(fit_columns(&DEFAULT_COLUMNS, 200, &|_| None).0.len(), 8);
    }

    /// Issue 22, item 7: an 80-column terminal (78 inside the table's borders) keeps the six
    /// columns an investigation reads, shortened, the time and the address whole.
    #[test]
    fn eighty_columns_keep_the_six_by_shortening() {
        // 78 inside the borders; 76 once a mark's gutter takes two.
        for inside in [78, 76] {
            let (cols, widths) = fit_columns(&DEFAULT_COLUMNS, inside, &|_| None);
            assert_eq!(
                cols,
                [
                    Column::Time,
                    Column::Event,
                    Column::Principal,
                    Column::SourceIp,
                    Column::Error,
                    Column::Target
                ]
            );
            let width = |c: Column| cols.iter().position(|&x| x == c).map(|i| widths[i]);
            assert_eq!(width(Column::Time), Some(19));
            assert_eq!(width(Column::SourceIp), Some(15));
            for c in cols.iter() {
                let w = width(*c).unwrap_or(0);
                assert!(w >= c.squeezed_width().unwrap_or(0), "{c:?}: {w}");
            }
            assert_eq!(widths.iter().sum::<u16>() + 5, inside);
        }
        // The spare two cells go to the target, cut in the middle.
        assert_eq!(
            fit_columns(&DEFAULT_COLUMNS, 78, &|_| None).1,
            [19, 10, 10, 15, 6, 13]
        );
        // The other chosen columns go first, whatever their place in the list.
        let chosen = [
            Column::Time,
            Column::UserAgent,
            Column::Event,
            Column::Principal,
        ];
        assert_eq!(
            fit_columns(&chosen, 60, &|_| None).0,
            [Column::Time, Column::Event, Column::Principal]
        );
    }

    /// A page with no targets and no errors (a console session's reads) lends their width
    /// to the principal and the event name: the header alone stays.
    #[test]
    fn blank_columns_keep_their_header_and_lend_the_rest() {
        let need = |c: Column| match c {
            Column::Target => Some(6),
            Column::Error => Some(5),
            _ => None,
        };
        let (cols, widths) = fit_columns(&DEFAULT_COLUMNS, 92, &need);
        let width = |c: Column| cols.iter().position(|&x| x == c).map(|i| widths[i]);
        assert_eq!(width(Column::Target), Some(6));
        assert_eq!(width(Column::Error), Some(5));
        assert!(width(Column::Principal) >= Some(24), "{widths:?}");
        assert_eq!(widths.iter().sum::<u16>() + cols.len() as u16 - 1, 92);
    }

    /// Short event names and long object paths (the deletions of a chain): the target takes
    /// what the event column does not need.
    #[test]
    fn a_long_target_takes_what_short_columns_leave() {
        let need = |c: Column| match c {
            Column::Event => Some(12),
            Column::Error => Some(5),
            Column::Principal => Some(20),
            Column::Target => Some(60),
            _ => None,
        };
        let (cols, widths) = fit_columns(&DEFAULT_COLUMNS[..6], 116, &need);
        let width = |c: Column| cols.iter().position(|&x| x == c).map(|i| widths[i]);
        assert_eq!(width(Column::Event), Some(12));
        assert_eq!(width(Column::Principal), Some(20));
        assert_eq!(width(Column::Target), Some(116 - 19 - 12 - 20 - 15 - 5 - 5));
    }
}
