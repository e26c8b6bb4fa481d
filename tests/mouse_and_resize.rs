//! The mouse (wheel, click to select, click a header to sort, drag the split) and resizing,
//! through the reducer: the selected event survives every change of shape, and the time
//! column reads UTC, local time or ages.

mod common;
use common::harness::{given, Harness};
use jiff::tz::{Offset, TimeZone};
use trailscope::app::layout::Split;
use trailscope::app::msg::{Mouse, MouseKind, Msg};
use trailscope::app::{update, Focus};
use trailscope::model::column::Column;
use trailscope::model::time::EventTime;
use trailscope::model::time_display::TimeDisplay;

const STRATUS: &str = "stratus-red-team-detonation-logs";

fn mouse(mut h: Harness, kind: MouseKind, column: u16, row: u16) -> Harness {
    let fx = update(&mut h.app, Msg::Mouse(Mouse { kind, column, row }));
    h.effects.extend(fx);
    h.settle()
}

fn resize(mut h: Harness, width: u16, height: u16) -> Harness {
    let fx = update(&mut h.app, Msg::Resize { width, height });
    h.effects.extend(fx);
    h
}

fn cursor_on_screen(h: &Harness) -> bool {
    let page = h.app.layout().table_rows();
    let t = &h.app.table;
    t.offset <= t.cursor && t.cursor < t.offset + page.max(1)
}

#[test]
fn wheel_and_click_select_rows() {
    // 200×50: title on row 0, the table's border on row 1, its header on 2, rows from 3.
    let mut h = given(STRATUS, 200, 50);
    // The JSON pane from the detail's top: what the event is (above it, `e`) hidden.
    h.app.explain_open = false;
    let h = mouse(h, MouseKind::ScrollDown, 10, 10);
    assert_eq!(h.app.table.cursor, 3, "a notch is three rows");
    let h = mouse(h, MouseKind::ScrollUp, 10, 10);
    assert_eq!(h.app.table.cursor, 0);
    let h = mouse(h, MouseKind::Down, 10, 3 + 7);
    assert_eq!(h.app.table.cursor, 7, "the clicked row");
    assert_eq!(
        h.app.detail.event,
        h.app.selected(),
        "its JSON in the detail"
    );
    // A click in the detail focuses it and puts its cursor on the line clicked (the pane's
    // first line is on row 2).
    let h = mouse(h, MouseKind::Down, 130, 2 + 2);
    assert_eq!(h.app.focus, Focus::Detail);
    assert_eq!(h.app.detail.cursor, 2);
    // Line 3, the errorMessage, wraps: a click on any of its rows picks it.
    let h = mouse(h, MouseKind::Down, 130, 2 + 4);
    assert_eq!(h.app.detail.cursor, 3);
    let h = mouse(h, MouseKind::ScrollDown, 130, 10);
    assert_eq!(
        h.app.detail.scroll, 3,
        "the wheel scrolls the pane under it"
    );
    assert_eq!(h.app.table.cursor, 7, "and leaves the table alone");
}

#[test]
fn clicking_a_header_sorts_by_it_and_again_reverses() {
    let h = given(STRATUS, 200, 50);
    // TIME (UTC) spans x 1..=19; EVENT starts at x 21.
    let h = mouse(h, MouseKind::Down, 25, 2);
    let sort = h.app.sort.expect("sorted");
    assert_eq!((sort.column, sort.descending), (Column::Event, false));
    let names = h.names();
    assert!(names
        .windows(2)
        .all(|w| w[0].to_lowercase() <= w[1].to_lowercase()));
    let h = mouse(h, MouseKind::Down, 25, 2);
    assert!(h.app.sort.expect("sorted").descending, "again: reversed");
    let h = mouse(h, MouseKind::Down, 5, 2);
    let sort = h.app.sort.expect("sorted");
    assert_eq!(sort.column, Column::Time);
}

#[test]
fn dragging_the_border_moves_the_split_and_keeps_the_selection_in_view() {
    // Side by side: the table ends at x 119, the detail starts at 120.
    let h = given(STRATUS, 200, 50).keys("Gkk");
    let selected = h.app.selected();
    let h = mouse(h, MouseKind::Down, 120, 20);
    let h = mouse(h, MouseKind::Drag, 100, 20);
    let h = mouse(h, MouseKind::Up, 100, 20);
    assert_eq!(h.app.prefs.split, Split::Percent(50));
    assert_eq!(h.app.layout().table.width, 100);
    // Kept with the investigation, with the time column's clock.
    let saved = trailscope::app::session::capture(&h.app);
    assert_eq!(
        (saved.split, saved.time),
        (Some(50), Some(TimeDisplay::Utc))
    );
    // A drag that did not start on the border (here: the title bar) moves nothing.
    let h = mouse(h, MouseKind::Down, 50, 0);
    let h = mouse(h, MouseKind::Drag, 10, 20);
    assert_eq!(h.app.prefs.split, Split::Percent(50));
    assert_eq!(h.app.selected(), selected);

    // Stacked, 80×24: the border is the table's bottom row; drag it down.
    let h = resize(h, 80, 24);
    assert!(!h.app.layout().side_by_side);
    let border = {
        let t = h.app.layout().table;
        t.y + t.height - 1
    };
    let h = mouse(h, MouseKind::Down, 40, border);
    let h = mouse(h, MouseKind::Drag, 40, 5);
    let h = mouse(h, MouseKind::Up, 40, 5);
    assert_eq!(h.app.prefs.split, Split::Percent(Split::MIN));
    assert_eq!(h.app.layout().table.height, 5, "never less than five rows");
    assert_eq!(h.app.selected(), selected);
    assert!(cursor_on_screen(&h), "the selected row is still on screen");
    // Keys do the same: + gives the table more room.
    let h = h.keys("+++");
    assert_eq!(h.app.prefs.split, Split::Percent(35));
}

#[test]
fn resizing_never_loses_the_cursor() {
    let h = given(STRATUS, 200, 50).keys("<esc><enter>");
    // Deep in the table and deep in the detail.
    let h = h.keys("<tab>");
    let h = h.keys(&"j".repeat(150));
    let h = h.keys("<tab>").keys(&"j".repeat(30));
    assert_eq!(h.app.focus, Focus::Detail);
    let selected = h.app.selected();
    let detail_line = h.app.detail.cursor;
    assert!(detail_line > 0);
    let mut h = h;
    for (w, ht) in [
        (80, 24),
        (40, 12),
        (300, 80),
        (81, 25),
        (140, 30),
        (200, 50),
    ] {
        h = resize(h, w, ht);
        assert_eq!(h.app.selected(), selected, "{w}×{ht}: the same event");
        assert!(cursor_on_screen(&h), "{w}×{ht}: its row on screen");
        assert_eq!(h.app.detail.cursor, detail_line, "{w}×{ht}: the same line");
        let (_, rows) = h.app.detail_inner();
        if rows > 0 {
            assert!(h.app.detail.scroll <= h.app.detail.cursor, "{w}×{ht}");
            let shown = h.app.detail.line_at_row(rows - 1, h.app.detail_inner());
            assert!(
                shown.is_none_or(|last| last >= h.app.detail.cursor),
                "{w}×{ht}: the detail cursor on screen"
            );
        }
    }
}

#[test]
fn the_time_column_reads_utc_local_or_ages() {
    let mut h = given(STRATUS, 200, 50);
    h.app.tz = TimeZone::fixed(Offset::constant(11));
    h.app.clock_origin = EventTime::parse("2024-07-31T21:31:10Z").expect("time");
    let first = h.app.rows()[0];
    let cell = |h: &Harness| h.app.cell_text(Column::Time, h.app.store.event(first));
    assert_eq!(cell(&h), "2024-07-30 21:31:10");
    assert_eq!(h.app.column_header(Column::Time), "TIME (UTC)");
    let h = h.keys("T");
    assert_eq!(h.app.time, TimeDisplay::Local);
    assert_eq!(cell(&h), "2024-07-31 08:31:10");
    assert_eq!(h.app.column_header(Column::Time), "TIME (LOCAL)");
    assert!(
        h.app.notice.as_deref().unwrap_or("").contains("UTC+11"),
        "{:?}",
        h.app.notice
    );
    let h = h.keys("T");
    assert_eq!(cell(&h), "1d 00h ago");
    assert_eq!(h.app.column_header(Column::Time), "AGE");
    let h = h.keys(":time utc<enter>");
    assert_eq!(h.app.time, TimeDisplay::Utc);
}
