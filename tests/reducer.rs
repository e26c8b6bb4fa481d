//! The reducer driven by keys, as a user would: `given(data).keys("jj<enter>")`.

mod common;
use common::harness::given;
use trailscope::app::effect::Effect;
use trailscope::app::{Focus, Overlay};

const STRATUS: &str = "stratus-red-team-detonation-logs";

#[test]
fn load_completes_and_starts_at_the_oldest_event() {
    let h = given(STRATUS, 100, 30);
    assert!(!h.app.load.loading);
    assert!(h.effects.is_empty());
    assert_eq!(h.app.table.cursor, 0);
    assert_eq!(h.app.rows().len(), 304);
    let first = h.app.store.event(h.app.rows()[0]).time;
    assert!(h
        .app
        .rows()
        .iter()
        .all(|&i| h.app.store.event(i).time >= first));
}

#[test]
fn movement_keys() {
    let h = given(STRATUS, 100, 30).keys("jjj");
    assert_eq!(h.app.table.cursor, 3);
    let h = h.keys("k<up>");
    assert_eq!(h.app.table.cursor, 1);
    let h = h.keys("G");
    assert_eq!(h.app.table.cursor, 303);
    let h = h.keys("g");
    assert_eq!(h.app.table.cursor, 0);
    let h = h.keys("<end>");
    assert_eq!(h.app.table.cursor, 303);
    let h = h.keys("<home><down><down>");
    assert_eq!(h.app.table.cursor, 2);
    let h = h.keys("kkkkk");
    assert_eq!(h.app.table.cursor, 0, "clamped at the top");
}

#[test]
fn paging_moves_by_a_screen_and_keeps_the_cursor_visible() {
    let h = given(STRATUS, 100, 30).keys("<esc>");
    assert!(!h.app.detail.open);
    let page = h.app.layout().table_rows();
    let h = h.keys("<pgdown>");
    assert_eq!(h.app.table.cursor, page);
    assert!(
        h.app.table.offset <= h.app.table.cursor && h.app.table.cursor < h.app.table.offset + page
    );
    let h = h.keys("<pgdown><pgup>");
    assert_eq!(h.app.table.cursor, page);
    let h = h.keys("<c-d>");
    assert_eq!(h.app.table.cursor, 2 * page);
}

#[test]
fn detail_follows_the_selection_and_scrolls_when_focused() {
    let h = given(STRATUS, 100, 30).keys("jj");
    let selected = h.app.selected();
    assert_eq!(h.app.detail.event, selected);
    assert!(h.app.detail.lines.len() > 10);
    let h = h.keys("<enter>");
    assert_eq!(h.app.focus, Focus::Detail);
    let h = h.keys("jjj");
    assert_eq!(
        h.app.detail.cursor, 3,
        "j moves the detail's line cursor, not the table"
    );
    assert_eq!(h.app.detail.scroll, 0, "the cursor is still on screen");
    let h = h.keys(&"j".repeat(30));
    assert!(h.app.detail.scroll > 0, "past the bottom, the pane scrolls");
    let h = h.keys("g");
    assert_eq!((h.app.detail.cursor, h.app.detail.scroll), (0, 0));
    assert_eq!(h.app.selected(), selected);
    let h = h.keys("<esc>");
    assert_eq!(h.app.focus, Focus::Table);
    assert!(h.app.detail.open);
    let h = h.keys("j");
    assert_eq!(
        (h.app.detail.scroll, h.app.detail.cursor),
        (0, 0),
        "a new event starts at the top"
    );
    let h = h.keys("<esc>");
    assert!(!h.app.detail.open, "esc on the table closes the detail");
    let h = h.keys("<tab>");
    assert!(h.app.detail.open);
    assert_eq!(h.app.focus, Focus::Detail);
    let h = h.keys("<tab>");
    assert_eq!(h.app.focus, Focus::Table);
}

#[test]
fn help_and_warnings_overlays() {
    let h = given("aws-cloudtrail-processing-library-fixtures", 100, 30).keys("?");
    assert_eq!(h.app.overlay, Some(Overlay::Help { scroll: 0 }));
    let h = h.keys("j");
    assert_eq!(
        h.app.overlay,
        Some(Overlay::Help { scroll: 1 }),
        "keys scroll the overlay"
    );
    assert_eq!(h.app.table.cursor, 0, "not the table");
    let h = h.keys("w");
    assert_eq!(h.app.overlay, Some(Overlay::Warnings { scroll: 0 }));
    assert_eq!(h.app.problem_count(), 3);
    let h = h.keys("<esc>");
    assert_eq!(h.app.overlay, None);
    let h = h.keys("??");
    assert_eq!(h.app.overlay, None, "? toggles");
}

#[test]
fn quit_from_anywhere() {
    for keys in ["q", "<c-c>", "?q", "<enter>q", "wq"] {
        let h = given(STRATUS, 100, 30).keys(keys);
        assert!(
            matches!(h.effects[..], [Effect::Quit]),
            "{keys}: {:?}",
            h.effects
        );
    }
}

#[test]
fn nothing_readable_fails_with_the_reasons() {
    let h = given(
        "aws-cloudtrail-processing-library-fixtures/SerializerTestFileBadJsonFormat.json",
        100,
        30,
    );
    match h.effects.as_slice() {
        [Effect::Fail(msg)] => {
            assert!(msg.contains("no CloudTrail events could be read"), "{msg}");
            assert!(
                msg.contains("SerializerTestFileBadJsonFormat.json"),
                "{msg}"
            );
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn resize_keeps_the_cursor_on_screen() {
    let mut h = given(STRATUS, 100, 60).keys("<esc>");
    h = h.keys(&"j".repeat(50));
    let before = h.app.selected();
    trailscope::app::update(
        &mut h.app,
        trailscope::app::msg::Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    assert_eq!(h.app.selected(), before);
    let page = h.app.layout().table_rows();
    assert!(
        h.app.table.cursor < h.app.table.offset + page && h.app.table.cursor >= h.app.table.offset
    );
    assert_eq!(
        h.selected_name(),
        h.app
            .store
            .text(h.app.store.event(before.expect("sel")).name)
    );
}

fn records(times: &[&str]) -> Vec<trailscope::model::record::Record> {
    let text: String = times
        .iter()
        .map(|t| format!("{{\"eventVersion\":\"1.09\",\"eventName\":\"E{t}\",\"eventSource\":\"s\",\"eventID\":\"{t}\",\"eventTime\":\"2026-11-19T{t}Z\"}}\n"))
        .collect();
    let mut out = (Vec::new(), Vec::new());
    trailscope::model::parse::parse_text(&std::sync::Arc::from("t"), &text, &mut out);
    out.0
}

#[test]
fn the_cursor_follows_its_event_while_earlier_events_stream_in() {
    use trailscope::app::msg::Msg;
    use trailscope::job::{JobMsg, Progress};
    let (mut app, job) = loading_app();
    let send = |app: &mut trailscope::app::App, m| trailscope::app::update(app, Msg::Job(job, m));
    send(
        &mut app,
        JobMsg::Records(records(&["02:00:00", "02:10:00", "02:20:00"])),
    );
    trailscope::app::update(
        &mut app,
        Msg::Key(trailscope::app::key::Key::parse("j").expect("key")),
    );
    assert_eq!(h_name(&app), "E02:10:00");
    send(
        &mut app,
        JobMsg::Records(records(&["01:00:00", "01:30:00", "02:30:00"])),
    );
    assert_eq!(h_name(&app), "E02:10:00", "still on the same event");
    assert_eq!(app.table.cursor, 3, "which now sits lower");
    // A stale progress report (workers run in parallel) never moves the count backwards.
    let p = |done| {
        JobMsg::Progress(Progress::Files(trailscope::source::Progress {
            files_done: done,
            files_total: 9,
            bytes_read: 0,
            bytes_total: 0,
            s3: None,
        }))
    };
    send(&mut app, p(9));
    send(&mut app, p(7));
    assert_eq!(app.load.progress.files_done, 9);
    // Reports of a job the app never started (or forgot) are dropped.
    trailscope::app::update(
        &mut app,
        Msg::Job(
            trailscope::job::JobId(job.0 + 100),
            JobMsg::Records(records(&["03:00:00"])),
        ),
    );
    assert_eq!(app.store.len(), 6);
}

/// An app booted on a load of files, as the runtime boots one, and its load job.
fn loading_app() -> (trailscope::app::App, trailscope::job::JobId) {
    use trailscope::app::boot::{Boot, Start};
    let boot = Boot::new(Start::Files(Default::default()), "t", 100, 30);
    let (app, effects) = trailscope::app::App::boot(boot, |_| {});
    match effects[..] {
        [Effect::Start { job, .. }] => (app, job),
        _ => panic!("one load job starts: {effects:?}"),
    }
}

fn h_name(app: &trailscope::app::App) -> String {
    let idx = app.selected().expect("selection");
    app.store.text(app.store.event(idx).name).to_string()
}

/// Esc stops a load from files as it stops an S3 download (issue 18): the records that arrived
/// stay, the next Esc goes on to its usual meaning, and a reopen is never cut short.
#[test]
fn esc_stops_a_local_load_keeping_what_arrived() {
    use trailscope::app::msg::Msg;
    use trailscope::job::{Ending, JobMsg};
    let (mut app, job) = loading_app();
    let esc = || Msg::Key(trailscope::app::key::Key::parse("esc").expect("key"));
    trailscope::app::update(
        &mut app,
        Msg::Job(job, JobMsg::Records(records(&["02:00:00", "02:10:00"]))),
    );
    assert!(app.load.loading);
    let effects = trailscope::app::update(&mut app, esc());
    assert!(
        matches!(effects[..], [Effect::Cancel(j)] if j == job),
        "{effects:?}"
    );
    assert!(app
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("what was read stays")));
    let again = trailscope::app::update(&mut app, esc());
    assert!(
        !again.iter().any(|e| matches!(e, Effect::Cancel(_))),
        "asked once: {again:?}"
    );
    trailscope::app::update(&mut app, Msg::Job(job, JobMsg::Done(Ending::Stopped)));
    assert!(!app.load.loading);
    assert_eq!(app.store.len(), 2, "what arrived stays");
}
