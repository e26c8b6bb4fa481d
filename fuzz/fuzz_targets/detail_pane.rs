//! The detail pane (issue 18): any text as a record, and any string inside a real record (so
//! backslashes, `\u`-lookalikes and multi-byte text reach the JSON printer's strings), through
//! `json_view::pretty`, the word wrap at several widths and the line cursor's moves.
//! Asserts: no unsafe character in any piece; each line has its copy value; a record whose
//! strings hold no unsafe character above U+001F prints as JSON equal to it; wrapped rows keep
//! every character in order and never exceed the width (bar hanging spaces and a lone
//! character wider than the row); the cursor stays on a line, the scroll on a line, and the
//! cursor's line on screen.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use trailscope::app::detail::DetailState;
use trailscope::app::json_view::{pretty, JsonLine};
use trailscope::app::wrap::{rows, wrap};
use trailscope::model::sanitize::is_unsafe;
use unicode_width::UnicodeWidthStr;

const WIDTHS: [usize; 6] = [0, 1, 2, 5, 24, 80];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let moves: Vec<u8> = data.iter().rev().take(6).copied().collect();
    check(&text, &moves);
    let record = json!({
        "eventName": "X",
        "eventTime": "2024-01-01T00:00:00Z",
        "description": text,
        "requestParameters": { text.as_ref(): [text, {"k": text}] },
    });
    check(&record.to_string(), &moves);
});

fn line_text(line: &JsonLine) -> String {
    line.iter().map(|(_, s)| s.as_str()).collect()
}

fn check(raw: &str, moves: &[u8]) {
    let p = pretty(raw);
    assert_eq!(p.lines.len(), p.values.len(), "a copy value per line");
    for line in &p.lines {
        for (tok, piece) in line {
            if let Some(c) = piece.chars().find(|&c| is_unsafe(c)) {
                panic!("U+{:04X} in a {tok:?} piece {piece:?}", c as u32);
            }
        }
    }
    if let Ok(v) = serde_json::from_str::<Value>(raw) {
        // Compact JSON writes characters from U+0020 up as themselves: none unsafe means
        // nothing was escaped beyond JSON's own escapes, so the pane is the record.
        if !v
            .to_string()
            .chars()
            .any(|c| is_unsafe(c) && c as u32 >= 0x20)
        {
            let shown: String = p.lines.iter().map(|l| line_text(l) + "\n").collect();
            let back: Value = serde_json::from_str(&shown)
                .unwrap_or_else(|e| panic!("the pane is not JSON ({e}): {shown}"));
            assert_eq!(back, v, "the pane shows another record: {shown}");
        }
    }

    for &width in &WIDTHS {
        for line in &p.lines {
            let wrapped = wrap(line, width);
            assert_eq!(wrapped.len(), rows(line, width));
            assert!(!wrapped.is_empty());
            let joined: String = wrapped.iter().map(line_text).collect();
            assert_eq!(joined, line_text(line), "the wrap lost or moved text");
            for row in &wrapped {
                let t = line_text(row);
                let trimmed = t.trim_end_matches(' ');
                assert!(
                    trimmed.width() <= width.max(1) || trimmed.chars().count() == 1,
                    "a row of {} cells at width {width}: {t:?}",
                    trimmed.width()
                );
            }
        }
    }

    let mut d = DetailState {
        lines: p.lines,
        values: p.values,
        ..DetailState::default()
    };
    let n = d.lines.len();
    for (i, &m) in moves.iter().enumerate() {
        let inner = (WIDTHS[i % WIDTHS.len()], (m % 13) as usize);
        let delta = match m % 6 {
            0 => isize::MAX,
            1 => isize::MIN,
            2 => (m as isize) - 128,
            3 => 1,
            4 => -1,
            _ => (m as isize) * 1000,
        };
        match m % 3 {
            0 => {
                d.move_by(delta, inner);
                assert_cursor_shown(&d, inner);
            }
            1 => {
                d.scroll_by(delta, inner);
                assert_cursor_shown(&d, inner);
            }
            _ => {
                d.keep_cursor_visible(inner);
                assert_cursor_shown(&d, inner);
            }
        }
        assert!(
            d.cursor < n.max(1) && d.scroll < n.max(1),
            "{} {} of {n}",
            d.cursor,
            d.scroll
        );
        let _ = d.value_under_cursor();
        if n > 0 && inner.1 > 0 {
            assert_eq!(d.line_at_row(0, inner), Some(d.scroll));
        }
    }
}

/// The cursor's line is on screen: below the top line, and wholly inside the pane unless it is
/// the top line itself (a line taller than the pane).
fn assert_cursor_shown(d: &DetailState, (width, height): (usize, usize)) {
    if d.lines.is_empty() {
        return;
    }
    assert!(
        d.scroll <= d.cursor,
        "cursor {} above the top {}",
        d.cursor,
        d.scroll
    );
    if d.cursor > d.scroll {
        let used: usize = d.lines[d.scroll..=d.cursor]
            .iter()
            .map(|l| rows(l, width))
            .sum();
        assert!(
            used <= height,
            "the cursor's line ends on row {used} of {height}"
        );
    }
}
