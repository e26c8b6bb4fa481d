//! The mouse: the wheel scrolls what is under it, a click selects a row (or a line of the
//! detail pane), a click on a column header sorts by it (again: reverses), and a drag of the
//! border between table and detail moves the split. Positions are resolved with the same
//! `Layout` and column fitting the screen was drawn with.

use super::super::effect::Effect;
use super::super::layout::Area;
use super::super::msg::{Mouse, MouseKind};
use super::super::sort::Sort;
use super::super::{App, Focus};
use crate::app::command::Command;

/// Rows the wheel moves per notch.
const WHEEL: isize = 3;

pub(super) fn mouse(app: &mut App, m: Mouse, effects: &mut Vec<Effect>) {
    // While typing or choosing, the mouse stays out of the way.
    if app.prompt.is_some()
        || app.bar.is_some()
        || app.until.is_some()
        || app.pivot_menu
        || app.picker.is_some()
        || app.sessions.is_some()
    {
        return;
    }
    if let Some(overlay) = app.overlay {
        let command = match m.kind {
            MouseKind::ScrollUp => Command::MoveUp,
            MouseKind::ScrollDown => Command::MoveDown,
            _ => return,
        };
        for _ in 0..WHEEL {
            let overlay = app.overlay.unwrap_or(overlay);
            super::apply_overlay(app, overlay, command, effects);
        }
        return;
    }
    let layout = app.layout();
    let in_table = inside(layout.table, m);
    let in_detail = layout.detail.is_some_and(|d| inside(d, m));
    match m.kind {
        MouseKind::Down if layout.on_split(m.column, m.row) => app.dragging_split = true,
        MouseKind::Drag if app.dragging_split => {
            if let Some(p) = layout.split_at(m.column, m.row) {
                app.set_split(p);
            }
        }
        MouseKind::Up => app.dragging_split = false,
        MouseKind::ScrollUp | MouseKind::ScrollDown => {
            let delta = if m.kind == MouseKind::ScrollUp {
                -WHEEL
            } else {
                WHEEL
            };
            if in_detail {
                let inner = app.detail_inner();
                app.detail.scroll_by(delta, inner);
            } else if in_table {
                let page = layout.table_rows();
                let rows = super::super::view_rows(&app.sorted, &app.filter, &app.store);
                app.table.move_by(delta, page, rows);
            }
        }
        MouseKind::Down if in_table => click_table(app, layout.table, m),
        MouseKind::Down if in_detail => {
            app.focus = Focus::Detail;
            let d = layout.detail.unwrap_or_default();
            let row = m.row.saturating_sub(d.y + 1) as usize;
            let inner = app.detail_inner();
            if m.row > d.y {
                if let Some(line) = app.detail.line_at_row(row, inner) {
                    app.detail.cursor = line;
                    app.detail.keep_cursor_visible(inner);
                }
            }
        }
        MouseKind::Down | MouseKind::Drag => {}
    }
}

fn inside(a: Area, m: Mouse) -> bool {
    m.column >= a.x && m.column < a.x + a.width && m.row >= a.y && m.row < a.y + a.height
}

/// A click in the table: on the header, sort by that column; on a row, select it.
fn click_table(app: &mut App, table: Area, m: Mouse) {
    app.focus = Focus::Table;
    let header_row = table.y + 1;
    if m.row == header_row {
        if let Some(column) = column_at(app, table, m.column) {
            let descending = match app.sort {
                Some(s) if s.column == column => !s.descending,
                // Time order is where the table starts: a click on it reverses it.
                None if column == crate::model::column::Column::Time => true,
                _ => false,
            };
            app.sort = Some(Sort { column, descending });
            app.resort();
            super::reanchor(app);
            app.notice = Some(format!(
                "sorted by {} ({}); click again to reverse",
                app.column_header(column),
                if descending {
                    "descending"
                } else {
                    "ascending"
                }
            ));
        }
        return;
    }
    if m.row <= header_row || m.row + 1 >= table.y + table.height {
        return; // the border
    }
    let target = app.table.offset + (m.row - header_row - 1) as usize;
    let page = app.layout().table_rows();
    let rows = super::super::view_rows(&app.sorted, &app.filter, &app.store);
    if target < rows.len() {
        let delta = target as isize - app.table.cursor as isize;
        app.table.move_by(delta, page, rows);
    }
}

/// The column whose header spans screen column `x`, as the table drew it.
fn column_at(app: &App, table: Area, x: u16) -> Option<crate::model::column::Column> {
    let gutter = if app.marks.is_empty() { 0 } else { 2 };
    let (columns, widths) = app.fitted_columns(table.width);
    let mut left = table.x + 1 + gutter;
    for (c, w) in columns.into_iter().zip(widths) {
        // A click on the space after a column counts for it.
        if x >= left && x <= left + w {
            return Some(c);
        }
        left += w + 1;
    }
    None
}
