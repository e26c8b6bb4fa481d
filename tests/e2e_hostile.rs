//! The adversarial corpus in a real terminal (tmux): every byte the program writes is recorded
//! with `pipe-pane` and must hold none of the hostile sequences; the terminal's title and
//! clipboard are untouched, the layout stays put while every event is shown, and the hostile
//! fields are on screen in escaped form.

mod common;
use common::tmux::Tmux;
use std::time::Duration;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

/// Byte sequences the corpus carries that must never reach the terminal as themselves.
const FORBIDDEN: [(&str, &[u8]); 10] = [
    ("OSC (title, clipboard, hyperlink)", b"\x1b]"),
    ("BEL", b"\x07"),
    ("DCS", b"\x1bP"),
    ("device attribute query", b"\x1b[c"),
    ("cursor position query", b"\x1b[6n"),
    ("DECID", b"\x1bZ"),
    ("C1 CSI (U+009B)", "\u{9b}".as_bytes()),
    ("C1 OSC (U+009D)", "\u{9d}".as_bytes()),
    ("right-to-left override", "\u{202e}".as_bytes()),
    ("zero-width space", "\u{200b}".as_bytes()),
];

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn the_hostile_corpus_cannot_drive_the_terminal() {
    let t = Tmux::start("hostile", 150, 40);
    t.wait_text("READY>", 10);
    // An OSC 52 that got through would land in a tmux buffer.
    t.command(&["set-option", "-g", "set-clipboard", "on"]);
    let title_before = t.format("#{pane_title}");
    let raw = t.data_dir.path().join("pane-output.bin");
    t.command(&[
        "pipe-pane",
        "-O",
        "-t",
        "e2e",
        &format!("cat > '{}'", raw.display()),
    ]);
    t.send_line(&format!(
        "{} tests/fixtures/hostile; echo EXIT-CODE=$?",
        bin()
    ));
    // `events 1/N` in the status bar, once every file is read.
    let total_of = |screen: &str| {
        screen
            .split("events ")
            .nth(1)
            .and_then(|s| s.split('/').nth(1))
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse::<usize>().ok())
    };
    // Every file read ("… files loaded in …"), so the count no longer grows.
    let first = t.wait_for("every file loaded", 20, |s| {
        s.contains("files loaded in") && total_of(s).is_some()
    });
    let total = total_of(&first).unwrap_or(0);
    assert_eq!(total, 61, "the corpus keeps 61 events (tests/hostile.rs)");
    // The JSON whole: what each event is (shown above it) would take its rows.
    t.send_keys(&["e"]);
    t.wait_text("the event's JSON only", 10);
    let rows = |screen: &str| -> Vec<String> { screen.lines().map(str::to_string).collect() };
    let header_row = rows(&first)
        .iter()
        .position(|l| l.contains("TIME (UTC)"))
        .expect("a header row");

    // Every event in turn, with its detail shown: the header stays on its row and the status
    // bar on the last one, whatever the event holds.
    let mut seen = String::new();
    for n in 1..=total {
        t.wait_text(&format!("events {n}/{total}"), 10);
        // The whole frame: its title can reach tmux before the detail pane under it.
        let screen = t.settled(Duration::from_millis(75), 10);
        let lines = rows(&screen);
        assert!(
            lines[header_row].contains("TIME (UTC)"),
            "event {n} moved the header:\n{screen}"
        );
        assert!(
            lines.len() <= 40 && lines.iter().all(|l| l.chars().count() <= 150),
            "event {n} broke the layout:\n{screen}"
        );
        seen.push_str(&screen);
        t.send_keys(&["j"]);
    }
    // The warnings list and the profile of everything, then out.
    t.send_keys(&["w"]);
    seen.push_str(&t.wait_text("userIdentity cannot be read", 10));
    t.send_keys(&["w", "i"]);
    seen.push_str(&t.wait_text("principals", 10));
    // The profile of everything ranks its user agents: the OSC 8 one, narrowed to, is listed.
    t.send_keys(&["/"]);
    t.send_literal("ua:Boto3*");
    t.send_keys(&["Enter"]);
    seen.push_str(&t.wait_text("\\x1b]8;;https://evil.example/", 10));
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
    t.command(&["pipe-pane", "-t", "e2e"]);

    assert_eq!(t.format("#{pane_title}"), title_before, "title unchanged");
    assert_eq!(
        t.command(&["list-buffers"]),
        "",
        "nothing reached the clipboard"
    );
    for escaped in [
        "\\u001b]0;pwned\\u0007",
        "\\x1b]52;c;",
        "\\x1b]8;;https://evil.example/",
        "Delete\\u{202e}txt.exe",
        "ad\\u{200b}min",
    ] {
        assert!(seen.contains(escaped), "{escaped} not shown escaped");
    }

    let bytes = std::fs::read(&raw).expect("the pane's output was recorded");
    assert!(bytes.len() > 10_000, "{} bytes recorded", bytes.len());
    for (what, sequence) in FORBIDDEN {
        assert_eq!(count(&bytes, sequence), 0, "{what} reached the terminal");
    }
    // The program's own alternate-screen switch, once each way: the corpus's `ESC[?1049l` in
    // a region name did not leave the alternate screen early.
    assert_eq!(count(&bytes, b"\x1b[?1049h"), 1);
    assert_eq!(count(&bytes, b"\x1b[?1049l"), 1);
}
