//! End to end, the terminal habits of issue 8 in a real terminal (tmux): NO_COLOR leaves no
//! colour on screen, the copy keys emit OSC 52 (tmux, with set-clipboard on, turns it into a
//! paste buffer: proof the bytes went out), a refusing tmux is named, the mouse clicks, and
//! a user's keymap, theme and config are read from the config directory.

mod common;
use common::tmux::Tmux;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

/// The SGR parameters of every `ESC [ … m` in `text`.
fn sgr_params(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        let after = &rest[i + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            out.push(after[..end].to_string());
        }
        rest = &after[end..];
    }
    out
}

/// Whether SGR parameters set a colour (foreground or background, any palette).
fn sets_colour(params: &str) -> bool {
    let nums: Vec<u32> = params
        .split([';', ':'])
        .filter_map(|p| p.parse().ok())
        .collect();
    nums.iter()
        .any(|&n| matches!(n, 30..=37 | 38 | 40..=47 | 48 | 90..=97 | 100..=107))
}

#[test]
fn no_color_output_has_no_colour_codes() {
    let t = Tmux::start("nocolor", 120, 35);
    t.wait_text("READY>", 10);
    // First with colour, so the check below can tell the difference.
    t.send_line(&format!("{} --demo --no-save; echo FIRST-EXIT=$?", bin()));
    t.wait_for("load to finish", 60, |s| s.contains("loaded in"));
    let coloured = t.screen_escaped();
    assert!(
        sgr_params(&coloured).iter().any(|p| sets_colour(p)),
        "the default theme is in colour:\n{coloured:?}"
    );
    t.send_keys(&["q"]);
    t.wait_text("FIRST-EXIT=0", 10);
    t.send_line(&format!(
        "clear; NO_COLOR=1 {} --demo --no-save; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_for("load to finish", 60, |s| s.contains("loaded in"));
    // The help overlay and a selection too: every meaning on screen at once.
    t.send_keys(&["Enter"]);
    t.send_keys(&["?"]);
    t.wait_text("help: keys", 10);
    let plain = t.screen_escaped();
    let colours: Vec<String> = sgr_params(&plain)
        .into_iter()
        .filter(|p| sets_colour(p))
        .collect();
    assert!(
        colours.is_empty(),
        "colour codes under NO_COLOR: {colours:?}"
    );
    // Still readable: bold or reverse video mark what colour would have.
    assert!(
        sgr_params(&plain)
            .iter()
            .any(|p| p.split(';').any(|n| n == "7" || n == "1")),
        "{plain:?}"
    );
    t.send_keys(&["Escape"]);
    // Read alone before the next key (ESC then q at once is alt-q).
    t.wait_for("help closed", 10, |s| !s.contains("help: keys"));
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

#[test]
fn copy_keys_emit_osc_52_that_tmux_takes_into_its_buffer() {
    let t = Tmux::start("osc52", 140, 35);
    t.wait_text("READY>", 10);
    let set = t.tmux(&["set", "-g", "set-clipboard", "on"]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    t.send_line(&format!(
        "{} tests/fixtures/hostile/terminal-injection.jsonl --no-save; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_text("events 1/3", 20);
    // I: the first event's ID.
    t.send_keys(&["I"]);
    t.wait_text("copied event ID", 10);
    let buffer = |t: &Tmux| String::from_utf8_lossy(&t.tmux(&["show-buffer"]).stdout).into_owned();
    assert_eq!(buffer(&t), "00000000-0000-4000-8000-000000000001");
    // y: its JSON, with the hostile userAgent as escapes, never as the bytes themselves.
    t.send_keys(&["y"]);
    t.wait_text("copied event JSON", 10);
    let json = buffer(&t);
    assert!(json.starts_with("{\"eventVersion\":\"1.09\""), "{json}");
    assert!(
        json.contains("\"userAgent\":\"\\u001b]0;pwned\\u0007\\u001b[2J\""),
        "{json}"
    );
    assert!(!json.contains('\x1b'), "no raw escape in the clipboard");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["eventName"], "GetCallerIdentity");
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);

    // The same tmux with set-clipboard off: the app says tmux drops the copy, and how to fix it.
    t.tmux(&["set", "-g", "set-clipboard", "off"]);
    t.send_line(&format!(
        "clear; {} tests/fixtures/hostile/terminal-injection.jsonl --no-save; echo SECOND-EXIT=$?",
        bin()
    ));
    t.wait_text("events 1/3", 20);
    t.send_keys(&["I"]);
    t.wait_text(
        "not copied: tmux drops OSC 52 (set-clipboard off): set -g set-clipboard on",
        10,
    );
    t.send_keys(&["q"]);
    t.wait_text("SECOND-EXIT=0", 10);
}

#[test]
fn a_click_on_a_header_sorts_and_a_click_on_a_row_selects() {
    let t = Tmux::start("mouse", 120, 30);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} tests/fixtures/stratus-red-team-detonation-logs --no-save; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_for("load to finish", 30, |s| s.contains("loaded in"));
    // SGR mouse reports, as a terminal sends them (1-based column;row): a press and a
    // release on the EVENT header (row 3 on screen), then on the fifth row of events.
    t.send_literal("\x1b[<0;26;3M\x1b[<0;26;3m");
    t.wait_text("EVENT ▲", 10);
    t.send_literal("\x1b[<0;10;8M\x1b[<0;10;8m");
    t.wait_text("events 5/304", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

#[test]
fn the_users_keymap_theme_and_settings_are_read_from_the_config_dir() {
    let t = Tmux::start("userconfig", 120, 30);
    let dir = t.config_dir.path();
    std::fs::write(
        dir.join("config.toml"),
        "time = \"relative\"\ntheme = \"mine\"\n",
    )
    .expect("config");
    std::fs::create_dir_all(dir.join("themes")).expect("themes dir");
    std::fs::write(
        dir.join("themes/mine.toml"),
        "inherits = \"high-contrast\"\n[styles]\ntitle = { fg = \"black\", bg = \"#ff00ff\" }\n",
    )
    .expect("theme");
    std::fs::write(
        dir.join("keymap.toml"),
        "[[bind]]\nkeys = [\"x\"]\ncommand = \"quit\"\ndesc = \"out, my way\"\n",
    )
    .expect("keymap");
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} tests/fixtures/stratus-red-team-detonation-logs --no-save --colors truecolor; echo EXIT-CODE=$?",
        bin()
    ));
    let screen = t.wait_for("load to finish", 30, |s| s.contains("loaded in"));
    assert!(
        screen.contains("AGE") && screen.contains(" ago"),
        "{screen}"
    );
    let escaped = t.screen_escaped();
    assert!(
        escaped.contains("48;2;255;0;255"),
        "the user's title colour: {escaped:?}"
    );
    t.send_keys(&["?"]);
    t.wait_text("out, my way", 10);
    t.send_keys(&["Escape"]);
    t.wait_for("help closed", 10, |s| !s.contains("out, my way"));
    t.send_keys(&["x"]);
    t.wait_text("EXIT-CODE=0", 10);
}

/// Whether SGR parameters ask for more than the 16 named colours (256-colour or RGB).
fn beyond_16(params: &str) -> bool {
    let nums: Vec<u32> = params
        .split([';', ':'])
        .filter_map(|p| p.parse().ok())
        .collect();
    nums.windows(3)
        .any(|w| matches!(w[0], 38 | 48) && ((w[1] == 5 && w[2] >= 16) || w[1] == 2))
}

#[test]
fn sixteen_colour_terminals_get_only_the_sixteen_colours() {
    let t = Tmux::start("sixteen", 120, 35);
    t.wait_text("READY>", 10);
    // The colour-blind theme is all #rrggbb: the hardest to bring down.
    t.send_line(&format!(
        "TERM=linux {} --demo --no-save --theme colorblind; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_for("load to finish", 60, |s| s.contains("loaded in"));
    t.send_keys(&["2"]);
    t.wait_text("presets: errors", 10);
    let screen = t.screen_escaped();
    let params = sgr_params(&screen);
    assert!(params.iter().any(|p| sets_colour(p)), "still in colour");
    let wide: Vec<&String> = params.iter().filter(|p| beyond_16(p)).collect();
    assert!(
        wide.is_empty(),
        "beyond 16 colours under TERM=linux: {wide:?}"
    );
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}
