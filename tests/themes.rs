//! Themes: every file in themes/ is built in, parses, and defines or inherits every meaning;
//! degraded palettes use only what 16- and 256-colour terminals have; NO_COLOR keeps none;
//! a switch in the app changes what is drawn.

mod common;
use common::harness::given;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use trailscope::theme::depth::ColorDepth;
use trailscope::theme::set::ThemeSet;
use trailscope::theme::{Meaning, Theme, BUILTIN};

#[test]
fn every_theme_file_parses_and_defines_or_inherits_every_meaning() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("themes/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 4,
        "dark, light, high-contrast, colorblind: {files:?}"
    );
    for file in &files {
        let name = file.trim_end_matches(".toml");
        let (_, built_in) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("themes/{file} is not built in (theme::BUILTIN)"));
        let on_disk = std::fs::read_to_string(dir.join(file)).expect("readable");
        assert_eq!(*built_in, on_disk, "themes/{file} is the built-in text");
        let theme = Theme::builtin(name, false).unwrap_or_else(|e| panic!("{file}: {e}"));
        for m in Meaning::ALL {
            assert!(
                theme.defines(m),
                "{file} neither defines nor inherits {}",
                m.name()
            );
        }
    }
    // A file defining nothing still has every meaning, from dark.
    let dark = Theme::builtin("dark", false).expect("dark");
    let empty = Theme::parse("", Some(&dark)).expect("an empty theme parses");
    assert!(Meaning::ALL.iter().all(|&m| empty.defines(m)));
}

#[test]
fn palettes_degrade_to_what_the_terminal_has() {
    let set = |depth| ThemeSet::load(None, depth);
    for theme in set(ColorDepth::Ansi16).themes {
        for c in theme.colours() {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "16 colours only: {c:?}"
            );
        }
    }
    for theme in set(ColorDepth::Ansi256).themes {
        assert!(theme.colours().iter().all(|c| !matches!(c, Color::Rgb(..))));
    }
    for theme in set(ColorDepth::NoColor).themes {
        assert!(theme.colours().is_empty(), "NO_COLOR: no colour at all");
        // Selection must still be visible without colour.
        assert!(theme
            .style(Meaning::Selected)
            .add_modifier
            .contains(ratatui::style::Modifier::REVERSED));
    }
    let truecolor = set(ColorDepth::TrueColor);
    let i = truecolor.index_of("colorblind").expect("built in");
    assert_eq!(
        truecolor.themes[i].style(Meaning::Error).fg,
        Some(Color::Rgb(0xd5, 0x5e, 0x00)),
        "Okabe–Ito vermillion"
    );
}

#[test]
fn the_in_app_switch_changes_the_theme_drawn() {
    let set = ThemeSet::load(None, ColorDepth::TrueColor);
    let mut h = given("plaso-lookupevents-jsonl", 100, 24);
    h.app.themes = set.names.clone();
    let before = h.app.theme;
    let h = h.keys("<c-t>");
    assert_eq!(h.app.theme, before + 1);
    assert_eq!(h.app.theme_name(), "light");
    assert!(h
        .app
        .notice
        .as_deref()
        .unwrap_or("")
        .contains("theme: light"));
    let h = h.keys(":theme colorblind<enter>");
    assert_eq!(h.app.theme_name(), "colorblind");
    let h = h.keys(":theme nope<enter>");
    let err = h
        .app
        .prompt
        .as_ref()
        .and_then(|p| p.error.clone())
        .expect("refused");
    assert!(err.contains("no theme `nope`"), "{err}");
    // The title bar is drawn in the chosen theme's title style.
    let theme = &set.themes[h.app.theme];
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).expect("terminal");
    terminal
        .draw(|f| trailscope::ui::draw(f, &h.app, theme))
        .expect("draw");
    let cell = &terminal.backend().buffer()[(1, 0)];
    assert_eq!(cell.bg, Color::Rgb(0x56, 0xb4, 0xe9));
}
