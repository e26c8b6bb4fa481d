//! The copy keys through the reducer: the event's JSON (y), the field under the detail
//! cursor (Y) and the event ID (I) become `Effect::Copy` with text that is safe to paste:
//! hostile bytes made visible, JSON still valid JSON. (The bytes reaching a real terminal
//! are checked in tmux: e2e_look.rs.)

mod common;
use common::harness::{given, Harness};
use trailscope::app::effect::Effect;
use trailscope::model::sanitize::is_unsafe;

fn copied(h: &Harness) -> (String, String) {
    match h.effects.last() {
        Some(Effect::Copy { text, what }) => (text.clone(), what.clone()),
        other => panic!("no copy: {other:?}; notice {:?}", h.app.notice),
    }
}

#[test]
fn the_event_json_is_copied_valid_and_harmless() {
    let h = given("hostile/terminal-injection.jsonl", 200, 30).keys("y");
    let (text, what) = copied(&h);
    assert_eq!(what, "event JSON");
    assert!(!text.chars().any(is_unsafe), "{text:?}");
    assert!(text.contains("\\u001b]0;pwned\\u0007\\u001b[2J"), "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let raw = h
        .app
        .store
        .event(h.app.selected().expect("selected"))
        .raw
        .text();
    let original: serde_json::Value = serde_json::from_str(&raw).expect("JSON");
    assert_eq!(value, original, "the same record");
    // The second event: C1 CSI and a right-to-left override become \u escapes.
    let h = h.keys("jy");
    let (text, _) = copied(&h);
    assert!(
        text.contains("\\u009b31mred\\u009b0m is not authorized \\u202eexe.txt"),
        "{text}"
    );
}

#[test]
fn the_field_under_the_cursor_and_the_id() {
    let h = given("hostile/terminal-injection.jsonl", 200, 30).keys("jjI");
    let (text, what) = copied(&h);
    assert_eq!(text, "00000000-0000-4000-8000-000000000003");
    assert!(what.contains("event ID"));
    // From the table, Y says how to pick a field.
    let before = h.effects.len();
    let h = h.keys("Y");
    assert_eq!(h.effects.len(), before, "nothing copied");
    assert!(h
        .app
        .notice
        .as_deref()
        .unwrap_or("")
        .contains("pick the field"));
    // Into the detail, down to userName, copy: as the screen shows it.
    let line = h
        .app
        .detail
        .lines
        .iter()
        .position(|l| l.iter().any(|(_, t)| t == "\"userName\""))
        .expect("a userName line");
    let h = h.keys("<enter>").keys(&"j".repeat(line)).keys("Y");
    let (text, what) = copied(&h);
    assert_eq!(text, "ad\\u{200b}min\\x1b]52;c;cHduZWQ=\\x07");
    assert_eq!(what, "\"userName\"");
    // An object's line copies the object, as compact JSON.
    let identity = h
        .app
        .detail
        .lines
        .iter()
        .position(|l| l.iter().any(|(_, t)| t == "\"userIdentity\""))
        .expect("userIdentity");
    let h = h.keys("g").keys(&"j".repeat(identity)).keys("Y");
    let (text, _) = copied(&h);
    assert!(text.starts_with("{\"type\":\"IAMUser\""), "{text}");
    assert!(!text.chars().any(is_unsafe));
}

#[test]
fn copying_can_be_turned_off_and_the_palette_copies_too() {
    let mut h = given("hostile/terminal-injection.jsonl", 200, 30);
    h.app.clipboard = false;
    let h = h.keys("y");
    assert!(h.effects.is_empty());
    assert!(h
        .app
        .notice
        .as_deref()
        .unwrap_or("")
        .contains("copying is off"));
    let mut h = h;
    h.app.clipboard = true;
    let h = h.keys(":copy id<enter>");
    assert_eq!(copied(&h).0, "00000000-0000-4000-8000-000000000001");
}
