//! Configuration: the precedence defaults < config.toml < a reopened investigation < the
//! command line, as the app composes it; unknown keys refused with the file, line and a
//! suggestion; `trailscope config`; and a bad file stopping the start before the terminal is
//! touched.

use clap::Parser;
use std::path::Path;
use std::process::Command;
use trailscope::app::layout::Split;
use trailscope::cmd::args::Cli;
use trailscope::config::settings::{ColorMode, Settings};
use trailscope::config::startup::Startup;
use trailscope::model::column::Column;
use trailscope::model::time_display::TimeDisplay;
use trailscope::session::state::SessionState;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailscope"));
    // Never the developer's own configuration or data.
    c.env_remove("TRAILSCOPE_CONFIG_DIR")
        .env("TRAILSCOPE_DATA_DIR", "/nonexistent/trailscope-test")
        .env_remove("NO_COLOR");
    c
}

fn config_dir(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("config.toml"), config).expect("write config");
    dir
}

/// The display flags of a command line, as main parses them.
fn cli(args: &[&str]) -> trailscope::cmd::args::DisplayArgs {
    let mut argv = vec!["trailscope"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv).expect("parses").open.display
}

#[test]
fn each_layer_wins_over_the_ones_below_it() {
    let dir = config_dir(
        "theme = \"light\"\ntime = \"local\"\ncolumns = [\"time\", \"event\"]\nsort = \"-time\"\n\
         split = 70\nmouse = false\n",
    );
    let saved = SessionState {
        columns: vec![Column::Time, Column::Principal, Column::SourceIp],
        sort: Some((Column::Principal, false)),
        time: Some(TimeDisplay::Relative),
        detail_open: false,
        ..SessionState::default()
    };
    // File over defaults; nothing else.
    let s = Startup::prepare(Some(dir.path()), cli(&[]).layer(), None)
        .expect("starts")
        .settings;
    assert_eq!(s.theme, "light", "file over defaults");
    assert_eq!(s.time, TimeDisplay::Local);
    assert_eq!(s.columns, vec![Column::Time, Column::Event]);
    assert!(s.sort.descending);
    assert_eq!(s.split, Split::Percent(70));
    assert!(!s.mouse);
    assert!(s.detail, "a default the file leaves alone");

    // A reopened investigation over the file.
    let s = Startup::prepare(Some(dir.path()), cli(&[]).layer(), Some(&saved))
        .expect("starts")
        .settings;
    assert_eq!(s.columns, saved.columns, "session over file");
    assert_eq!(s.sort.column, Column::Principal);
    assert_eq!(s.time, TimeDisplay::Relative);
    assert!(!s.detail);
    assert_eq!(s.theme, "light", "the session says nothing of themes");
    assert_eq!(s.split, Split::Percent(70), "nor of a split it never moved");

    // The command line over everything.
    let flags = cli(&[
        "--theme",
        "high-contrast",
        "--time",
        "utc",
        "--columns",
        "event,region",
        "--sort",
        "-event",
        "--split",
        "auto",
        "--colors",
        "16",
    ]);
    let start = Startup::prepare(Some(dir.path()), flags.layer(), Some(&saved)).expect("starts");
    let s = &start.settings;
    assert_eq!(s.theme, "high-contrast", "command line over file");
    assert_eq!(s.time, TimeDisplay::Utc, "command line over session");
    assert_eq!(s.columns, vec![Column::Event, Column::Region]);
    assert_eq!((s.sort.column, s.sort.descending), (Column::Event, true));
    assert_eq!(s.split, Split::Auto);
    assert_eq!(s.colors, ColorMode::Ansi16);
    assert_eq!(start.themes.names[start.theme], "high-contrast");

    // And with no file at all: the defaults.
    let empty = tempfile::tempdir().expect("temp dir");
    let s = Startup::prepare(Some(empty.path()), cli(&[]).layer(), None)
        .expect("starts")
        .settings;
    assert_eq!(s, Settings::default());
}

#[test]
fn a_reopened_investigation_puts_its_settings_on_screen_under_the_command_line() {
    use trailscope::app::session::SessionMeta;
    let dir = config_dir("time = \"local\"\n");
    let saved = SessionState {
        columns: vec![Column::Time, Column::Region],
        time: Some(TimeDisplay::Relative),
        detail_open: true,
        ..SessionState::default()
    };
    let start = Startup::prepare(
        Some(dir.path()),
        cli(&["--columns", "time,event"]).layer(),
        Some(&saved),
    )
    .expect("starts");
    // As the runtime does it: the saved state first, then the resolved settings.
    let mut app = trailscope::app::App::new(start.keymap.clone(), "t".into(), 80, 24);
    app.session = SessionMeta::reopened("t".into(), 0, saved);
    trailscope::app::session::begin_restore(&mut app);
    start.apply_to(&mut app);
    assert_eq!(
        app.columns,
        vec![Column::Time, Column::Event],
        "command line"
    );
    assert_eq!(app.time, TimeDisplay::Relative, "session over file");
}

#[test]
fn unknown_keys_are_refused_with_file_line_and_suggestion() {
    let dir = config_dir("theme = \"dark\"\n\n# colour depth\ncolours = \"16\"\n");
    let err = Startup::prepare(Some(dir.path()), cli(&[]).layer(), None)
        .err()
        .expect("refused");
    let file = dir.path().join("config.toml");
    assert!(
        err.starts_with(&format!(
            "{}:4: unknown key `colours` (did you mean `colors`?)",
            file.display()
        )),
        "{err}"
    );
    // The app refuses to start, before the terminal is touched, with the same words.
    let out = bin()
        .arg("--config-dir")
        .arg(dir.path())
        .arg("--demo")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":4: unknown key `colours` (did you mean `colors`?)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no terminal set-up was written");
    // A theme that does not exist is refused the same way.
    let dir = config_dir("theme = \"solarized\"\n");
    let err = Startup::prepare(Some(dir.path()), cli(&[]).layer(), None)
        .err()
        .expect("refused");
    assert!(err.contains("unknown theme `solarized`"), "{err}");
}

#[test]
fn config_print_defaults_path_and_check() {
    let dir = config_dir("time = \"relative\"\n");
    let run = |args: &[&str]| {
        bin()
            .arg("--config-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("runs")
    };
    let out = run(&["config", "--print-defaults"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        trailscope::config::DEFAULT_CONFIG
    );
    let out = run(&["config", "--path"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    assert!(
        text.contains("keymap.toml  (not there: defaults)"),
        "{text}"
    );
    let out = run(&["config", "--check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("time = \"relative\""), "{text}");
    assert!(text.contains("theme = \"dark\""), "{text}");

    std::fs::write(
        dir.path().join("keymap.toml"),
        "[[bind]]\nkeys = [\"x\"]\ncommand = \"quit\"\n\n[[bind]]\nkeys = [\"x\"]\ncommand = \"top\"\n",
    )
    .expect("write keymap");
    let out = run(&["config", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("keymap.toml:5: key `x` is already bound to `quit` on line 1"),
        "{stderr}"
    );
}

#[test]
fn the_config_dir_comes_from_the_flag_then_the_environment() {
    let flag = Path::new("/flag/dir");
    assert_eq!(
        trailscope::config::config_dir(Some(flag)).as_deref(),
        Some(flag)
    );
    // Through the binary, so the test's own environment stays untouched.
    let dir = config_dir("");
    let out = bin()
        .env("TRAILSCOPE_CONFIG_DIR", dir.path())
        .args(["config", "--path"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&dir.path().display().to_string()),
        "{text}"
    );
}
