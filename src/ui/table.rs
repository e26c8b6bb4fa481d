//! The event table: only the rows on screen are built, so a million events draw as fast as ten.

use crate::app::{App, Focus};
use crate::model::column::Column;
use crate::model::event::Event;
use crate::theme::{Meaning, Theme};
use crate::ui::text::{shorten_end, shorten_middle, shorten_path};
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
        0 if app.filter.is_active() => format!(
            " no events match the filter ({} clears it) ",
            app.key_for(
                crate::app::layer::Layer::Table,
                crate::app::command::Command::Back
            )
        ),
        0 => " no events ".to_string(),
        // A preview's rows are the ones around the selection: where they stand in the whole
        // result is not known until the scan ends.
        _ if app.filter.is_preview() => {
            " events: the nearest matches, searching the rest… ".to_string()
        }
        n => format!(" events {}/{} ", app.table.cursor + 1, n),
    };
    let block = Block::bordered()
        .border_style(theme.style(border))
        .title(Line::styled(title, theme.style(Meaning::Header)));
    // Once something is marked or a rule fired, a one-character gutter shows the marks and
    // the events that raised a finding (`!`, coloured by the worst rule's severity).
    let gutter = app.gutter_shown();
    let (columns, column_widths) = app.fitted_columns(area.width);
    let mut widths = column_widths.clone();
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
                (false, false) => match app.finding_severity(idx) {
                    Some(s) => Cell::from("!").style(theme.style(match s {
                        crate::detect::Severity::Critical | crate::detect::Severity::High => {
                            Meaning::Error
                        }
                        _ => Meaning::Warning,
                    })),
                    None => Cell::from(" "),
                },
            },
        );
        let selected = start + i == app.table.cursor;
        let cells = columns
            .iter()
            .zip(&column_widths)
            .map(|(&c, &w)| cell(app, theme, event, (c, w), selected));
        let row = Row::new(mark.into_iter().chain(cells));
        if selected {
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

/// A cell styled by what it means; on the selected row only the meaning's bold or underline
/// stays, so the selection's colours keep their contrast (red on cyan reads badly).
fn cell<'a>(
    app: &'a App,
    theme: &Theme,
    event: &Event,
    (column, width): (Column, u16),
    selected: bool,
) -> Cell<'a> {
    let text = fit(app.cell_text(column, event), column, width);
    let meaning = match column {
        Column::Error if event.is_error() => Some(Meaning::Error),
        Column::Event if event.is_error() => Some(Meaning::Error),
        Column::Principal if event.is_root() => Some(Meaning::Root),
        Column::Time => Some(Meaning::Dim),
        _ => None,
    };
    match meaning {
        Some(m) if selected => {
            let style = theme.style(m);
            Cell::from(text).style(ratatui::style::Style {
                fg: None,
                bg: None,
                ..style
            })
        }
        Some(m) => Cell::from(text).style(theme.style(m)),
        None => Cell::from(text),
    }
}

/// A cell's text in its column's width, `…` where it is cut: in the middle for identifiers
/// (an ARN's account and name), keeping a target's last segment whole (an object's file
/// name), at the end for words.
fn fit(text: String, column: Column, width: u16) -> String {
    let width = usize::from(width);
    if column == Column::Target {
        shorten_path(&text, width)
    } else if column.cuts_in_the_middle() {
        shorten_middle(&text, width)
    } else {
        shorten_end(&text, width)
    }
}

/// The column title, with ▲/▼ on the sorted one.
fn header(app: &App, column: Column) -> String {
    let title = app.column_header(column);
    match app.sort {
        Some(s) if s.column == column => {
            format!("{title}{}", if s.descending { " ▼" } else { " ▲" })
        }
        _ => title.to_string(),
    }
}
