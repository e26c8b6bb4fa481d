//! The event table: only the rows on screen are built, so a million events draw as fast as ten.

use crate::app::{App, Focus};
use crate::model::column::Column;
use crate::model::event::Event;
use crate::theme::{Meaning, Theme};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let focused = app.focus == Focus::Table || app.layout().detail.is_none();
    let border = if focused {
        Meaning::BorderFocused
    } else {
        Meaning::Border
    };
    let rows_all = app.rows();
    let title = match rows_all.len() {
        0 if app.load.loading => " events: loading… ".to_string(),
        0 if app.filter.is_active() => " no events match the filter (esc clears it) ".to_string(),
        0 => " no events ".to_string(),
        n => format!(" events {}/{} ", app.table.cursor + 1, n),
    };
    let block = Block::bordered()
        .border_style(theme.style(border))
        .title(Line::styled(title, theme.style(Meaning::Header)));
    // Once something is marked, a one-character gutter shows the marks.
    let gutter = !app.marks.is_empty();
    let inner_width = area.width.saturating_sub(2 + if gutter { 2 } else { 0 });
    let (columns, mut widths) = fit_columns(&app.columns, inner_width);
    if gutter {
        widths.insert(0, 1);
    }
    let mark_style = theme.style(Meaning::StatusAccent);

    let page = app.layout().table_rows();
    let start = app.table.offset.min(rows_all.len());
    let end = (start + page).min(rows_all.len());
    let selected_style = theme.style(if focused {
        Meaning::Selected
    } else {
        Meaning::SelectedUnfocused
    });
    let rows = rows_all[start..end].iter().enumerate().map(|(i, &idx)| {
        let event = app.store.event(idx);
        // A note makes a mark too; it shows as a pencil.
        let mark = gutter.then(
            || match (app.notes.contains_key(&idx), app.marks.contains(&idx)) {
                (true, _) => Cell::from("✎").style(mark_style),
                (false, true) => Cell::from("●").style(mark_style),
                (false, false) => Cell::from(" "),
            },
        );
        let cells = columns.iter().map(|&c| cell(app, theme, event, c));
        let row = Row::new(mark.into_iter().chain(cells));
        if start + i == app.table.cursor {
            row.style(selected_style)
        } else {
            row
        }
    });
    let gutter_head = gutter.then(|| Cell::from(" "));
    let header = Row::new(
        gutter_head
            .into_iter()
            .chain(columns.iter().map(|&c| Cell::from(header(app, c)))),
    )
    .style(theme.style(Meaning::Header));
    let table = Table::new(rows, widths.into_iter().map(Constraint::Length))
        .header(header)
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn cell<'a>(app: &'a App, theme: &Theme, event: &Event, column: Column) -> Cell<'a> {
    let text = column.cell(&app.store, event);
    let meaning = match column {
        Column::Error if event.is_error() => Some(Meaning::Error),
        Column::Event if event.is_error() => Some(Meaning::Error),
        Column::Principal if event.is_root() => Some(Meaning::Root),
        Column::Time => Some(Meaning::Dim),
        _ => None,
    };
    match meaning {
        Some(m) => Cell::from(text).style(theme.style(m)),
        None => Cell::from(text),
    }
}

/// The column title, with ▲/▼ on the sorted one.
fn header(app: &App, column: Column) -> String {
    match app.sort {
        Some(s) if s.column == column => {
            format!(
                "{}{}",
                column.header(),
                if s.descending { " ▼" } else { " ▲" }
            )
        }
        _ => column.header().to_string(),
    }
}

/// Picks the columns that fit (dropping the least important before squeezing any) and shares
/// out the spare width.
pub(crate) fn fit_columns(chosen: &[Column], width: u16) -> (Vec<Column>, Vec<u16>) {
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
