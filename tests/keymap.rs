//! The keymap as a user meets it: their keymap.toml over the defaults, load errors naming
//! the file and line, and the help overlay and the `:` palette generated from it (every
//! binding listed, a user's keys included).

mod common;
use common::harness::given;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use trailscope::app::command::Command;
use trailscope::app::key::Key;
use trailscope::keymap::Keymap;
use trailscope::theme::Theme;

fn user_keymap(text: &str) -> (tempfile::TempDir, Result<Keymap, String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("keymap.toml"), text).expect("write");
    let map = Keymap::load(Some(dir.path()));
    (dir, map)
}

#[test]
fn conflicts_and_unknown_commands_name_the_file_and_line() {
    let (dir, map) = user_keymap(
        "# mine\n[[bind]]\nkeys = [\"x\"]\ncommand = \"copy-json\"\n\n[[bind]]\nkeys = [\"z\", \"x\"]\ncommand = \"copy-id\"\n",
    );
    let file = dir.path().join("keymap.toml").display().to_string();
    assert_eq!(
        map.err().as_deref(),
        Some(format!("{file}:6: key `x` is already bound to `copy-json` on line 2").as_str())
    );
    let (dir, map) = user_keymap("[[bind]]\nkeys = [\"x\"]\ncommand = \"copy-jsn\"\n");
    let file = dir.path().join("keymap.toml").display().to_string();
    assert_eq!(
        map.err().as_deref(),
        Some(format!("{file}:1: unknown command `copy-jsn` (did you mean `copy-json`?)").as_str())
    );
    let (dir, map) = user_keymap("[[bind]]\nkeys = [\"hyper-x\"]\ncommand = \"quit\"\n");
    let file = dir.path().join("keymap.toml").display().to_string();
    assert_eq!(
        map.err().as_deref(),
        Some(format!("{file}:1: unknown key `hyper-x`").as_str())
    );
    // No file: the defaults.
    let empty = tempfile::tempdir().expect("temp dir");
    let map = Keymap::load(Some(empty.path())).expect("defaults");
    assert_eq!(
        map.bindings().len(),
        Keymap::default_keymap().bindings().len()
    );
}

/// The help overlay's text on a screen tall enough to hold all of it, with its wrapped lines
/// joined and runs of spaces made one (the overlay is 100 wide, centred on 160).
fn help_text(h: &common::harness::Harness) -> String {
    let (w, ht) = (160, 200);
    let mut terminal = Terminal::new(TestBackend::new(w, ht)).expect("terminal");
    let theme = Theme::builtin("dark", false).expect("theme");
    terminal
        .draw(|f| trailscope::ui::draw(f, &h.app, &theme))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let inside: String = (1..ht - 1)
        .map(|y| {
            (31..129)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + " "
        })
        .collect();
    squeeze(&inside)
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn help_lists_every_binding_with_its_keys_and_description() {
    let (_dir, map) = user_keymap(
        "[[bind]]\nkeys = [\"Q\"]\ncommand = \"quit\"\ndesc = \"leave, my way\"\n\
         [[bind]]\nkeys = [\"q\"]\ncommand = \"none\"\n",
    );
    let map = map.expect("loads");
    let mut h = given("plaso-lookupevents-jsonl", 160, 200);
    h.app.keymap = map.clone();
    let h = h.keys("?");
    let text = help_text(&h);
    for b in map.bindings() {
        let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
        let line = squeeze(&format!("{} {}", keys.join(", "), b.desc));
        assert!(text.contains(&line), "help lacks {line:?}:\n{text}");
    }
    assert!(text.contains("Q leave, my way"));
    assert!(
        text.contains(" ctrl-c quit trailscope"),
        "q unbound, ctrl-c kept"
    );
    // Every command the app has is reachable: bound, or in the palette (below).
    for c in Command::ALL {
        if c == Command::Quit {
            continue;
        }
        assert!(!map.keys_for(c).is_empty(), "{} lost its keys", c.name());
    }
    // The user's keys work.
    let h = h.keys("<esc>");
    let quit = Key::parse("Q").expect("key");
    assert_eq!(h.app.keymap.command_for(quit), Some(Command::Quit));
    let h = h.keys("q");
    assert!(h.effects.is_empty(), "q does nothing now");
    let h = h.keys("Q");
    assert!(
        matches!(h.effects[..], [trailscope::app::effect::Effect::Quit]),
        "{:?}",
        h.effects
    );
}

#[test]
fn the_palette_lists_the_keymap_and_runs_what_is_picked() {
    let h = given("plaso-lookupevents-jsonl", 120, 30).keys(":");
    let palette = h
        .app
        .prompt
        .as_ref()
        .and_then(|p| p.palette.as_ref())
        .expect("the palette opens with :");
    for b in h.app.keymap.bindings() {
        assert!(
            palette
                .entries
                .iter()
                .any(|e| e.name == b.command.name() && e.desc == b.desc),
            "{} missing",
            b.command.name()
        );
    }
    // Fuzzy: "hlp" finds the help; Enter runs it.
    let h = h.keys("hlp<enter>");
    assert!(h.app.prompt.is_none());
    assert!(matches!(
        h.app.overlay,
        Some(trailscope::app::Overlay::Help { .. })
    ));
    // ↓ picks the next match; Enter runs the picked one, whatever the text says.
    let h = h.keys("<esc>:toggle");
    let second = {
        let p = h
            .app
            .prompt
            .as_ref()
            .and_then(|p| p.palette.as_ref())
            .expect("open");
        p.entries[p.shown[1]].name.clone()
    };
    let h = h.keys("<down><enter>");
    assert!(h.app.prompt.is_none(), "{second} ran");
    // A verb that takes words is completed, then waits for them.
    let h = h.keys("<esc>:expo<enter>");
    let prompt = h.app.prompt.as_ref().expect("still open");
    assert_eq!(prompt.bar.text(), "export ");
    // A command typed in full runs.
    let before = h.app.time;
    let h = h.keys("<esc>:toggle-time<enter>");
    assert_eq!(h.app.time, before.next());
}

// Layers: a section per layer, looked up in the layer's own section, then the ones it
// shares; errors name the file and the line.

use trailscope::app::layer::{Layer, Section};

fn key(spec: &str) -> Key {
    Key::parse(spec).expect("key")
}

fn command(map: &Keymap, layer: Layer, spec: &str) -> Option<Command> {
    map.call_for(layer, key(spec)).map(|c| c.command)
}

#[test]
fn each_layer_reads_its_own_section_then_the_ones_it_shares() {
    let (_dir, map) = user_keymap(
        "[[detail]]\nkeys = [\"J\"]\ncommand = \"move-down\"\n\n\
         [[overlay]]\nkeys = [\"J\"]\ncommand = \"page-down\"\n\n\
         [[columns]]\nkeys = [\"x\"]\ncommand = \"accept\"\n\n\
         [[pivot-menu]]\nkeys = [\"v\"]\ncommand = \"pivot event\"\ndesc = \"by event\"\n\n\
         [[prompt]]\nkeys = [\"ctrl-g\"]\ncommand = \"accept\"\n\n\
         [[filter-bar]]\nkeys = [\"ctrl-g\"]\ncommand = \"back\"\n",
    );
    let map = map.expect("loads");
    // The detail pane's own J; the table has none; everything else falls through.
    assert_eq!(command(&map, Layer::Detail, "J"), Some(Command::MoveDown));
    assert_eq!(command(&map, Layer::Table, "J"), None);
    assert_eq!(command(&map, Layer::Detail, "f"), Some(Command::Facets));
    // Shared by every overlay, unless one binds the key itself.
    for layer in [Layer::Help, Layer::Warnings, Layer::Columns, Layer::Marks] {
        assert_eq!(
            command(&map, layer, "J"),
            Some(Command::PageDown),
            "{layer:?}"
        );
    }
    assert_eq!(command(&map, Layer::Columns, "x"), Some(Command::Accept));
    assert_eq!(command(&map, Layer::Help, "x"), None);
    assert_eq!(
        command(&map, Layer::Timeline, "J"),
        None,
        "not an overlay's"
    );
    // A command with its argument; the default key for it still works.
    let pivot = trailscope::app::nav::Pivot::Event;
    assert_eq!(
        command(&map, Layer::PivotMenu, "v"),
        Some(Command::Pivot(pivot))
    );
    assert_eq!(
        command(&map, Layer::PivotMenu, "e"),
        Some(Command::Pivot(pivot))
    );
    assert_eq!(map.key_for(Layer::PivotMenu, Command::Pivot(pivot)), "v");
    // The filter bar's own ctrl-g over the prompts' one.
    assert_eq!(
        command(&map, Layer::FilterBar, "ctrl-g"),
        Some(Command::Back)
    );
    assert_eq!(command(&map, Layer::Note, "ctrl-g"), Some(Command::Accept));
    assert_eq!(
        command(&map, Layer::CommandLine, "enter"),
        Some(Command::Accept)
    );
    // Keys for hints: the user's first, arrows as arrows, `:command` when unbound.
    assert_eq!(map.key_for(Layer::Detail, Command::MoveDown), "J");
    assert_eq!(map.key_for(Layer::Facets, Command::MoveUp), "↑");
    assert_eq!(map.key_for(Layer::LakeEditor, Command::RunSql), "F5");
    assert_eq!(
        map.key_for(Layer::Table, Command::Pivot(pivot)),
        ":pivot event"
    );
}

#[test]
fn none_unbinds_a_key_in_one_layer_only() {
    let (_dir, map) = user_keymap(
        "[[detail]]\nkeys = [\"j\", \"f\"]\ncommand = \"none\"\n\n\
         [[prompt]]\nkeys = [\"ctrl-u\"]\ncommand = \"none\"\n",
    );
    let map = map.expect("loads");
    assert_eq!(command(&map, Layer::Detail, "j"), None);
    // Unbound in the detail pane, not handed down to the table's binding.
    assert_eq!(command(&map, Layer::Detail, "f"), None);
    assert_eq!(command(&map, Layer::Table, "j"), Some(Command::MoveDown));
    assert_eq!(command(&map, Layer::Table, "f"), Some(Command::Facets));
    assert_eq!(
        map.lookup(Layer::FilterBar, key("ctrl-u")),
        trailscope::keymap::Lookup::Unbound,
        "does nothing, not even edit the line"
    );
    assert_eq!(
        map.lookup(Layer::FilterBar, key("x")),
        trailscope::keymap::Lookup::Free,
        "text"
    );
    // The help no longer lists the detail pane's j.
    assert!(!map
        .bindings_in(Section::Layer(Layer::Detail))
        .iter()
        .any(|b| b.keys.contains(&key("j"))));
}

/// Files written before layers (`[[bind]]`) keep working: their keys bind the table, the
/// detail pane and the overlays, as the one keymap of those days did, and nothing else.
#[test]
fn the_older_flat_format_binds_the_table_detail_and_overlays() {
    let (_dir, map) = user_keymap(
        "[[bind]]\nkeys = [\"x\"]\ncommand = \"quit\"\n\n\
         [[bind]]\nkeys = [\"j\"]\ncommand = \"toggle-help\"\n\n\
         [[bind]]\nkeys = [\"enter\"]\ncommand = \"filter\"\n\n\
         [[bind]]\nkeys = [\"q\"]\ncommand = \"none\"\n",
    );
    let map = map.expect("loads");
    for layer in [Layer::Table, Layer::Detail, Layer::Help, Layer::Columns] {
        assert_eq!(command(&map, layer, "x"), Some(Command::Quit), "{layer:?}");
        assert_eq!(
            command(&map, layer, "j"),
            Some(Command::ToggleHelp),
            "{layer:?}"
        );
        assert_eq!(command(&map, layer, "q"), None, "{layer:?}");
    }
    // Enter ran `filter` in an overlay before: nothing. It does nothing there now either.
    assert_eq!(command(&map, Layer::Columns, "enter"), None);
    assert_eq!(command(&map, Layer::Table, "enter"), Some(Command::Filter));
    // The other layers keep their own keys.
    assert_eq!(command(&map, Layer::Timeline, "q"), Some(Command::Quit));
    assert_eq!(
        command(&map, Layer::LakeResults, "j"),
        Some(Command::MoveDown)
    );
    assert_eq!(command(&map, Layer::Facets, "enter"), Some(Command::Accept));
}

#[test]
fn section_errors_name_the_file_and_line() {
    let cases = [
        (
            "[[table]]\nkeys = [\"x\"]\ncommand = \"quit\"\n\n[[tabel]]\nkeys = [\"y\"]\ncommand = \"quit\"\n",
            "5: unknown section `[[tabel]]` (did you mean `table`?)",
        ),
        (
            "\n[[table]]\nkeys = [\"x\"]\ncommand = \"start-span\"\n",
            "2: `start-span` does nothing in [[table]] (it works in: timeline)",
        ),
        (
            "[[facets]]\nkeys = [\"ctrl-x\"]\ncommand = \"accept\"\n[[facets]]\nkeys = [\"x\"]\ncommand = \"exclude\"\n",
            "4: `x` types text in [[facets]]: bind a named key or one with ctrl- or alt-",
        ),
        (
            "[[timeline]]\nkeys = [\"x\"]\ncommand = \"back\"\n[[timeline]]\nkeys = [\"x\"]\ncommand = \"accept\"\n",
            "4: key `x` is already bound to `back` on line 1",
        ),
        (
            "[[table]]\nkeys = [\"x\"]\ncommand = \"export xml\"\n",
            "1: `export xml`: which format? export jsonl|csv|md [marked|view|all] [FILE]",
        ),
        (
            "[[pivot-menu]]\nkeys = [\"v\"]\ncommand = \"pivot vendor\"\n",
            "1: `pivot vendor`: pivot \"vendor\"? pivot key|ip|principal|session|role|event|resource|user-agent|error|account|lineage|portal",
        ),
        (
            "[[lake-results]]\nkeys = [\"x\"]\ncommand = \"acept\"\n",
            "1: unknown command `acept` (did you mean `accept`?)",
        ),
        ("[[detail]]\nkeys = \"j\"\n", "2: invalid type: string \"j\", expected a sequence"),
    ];
    for (text, want) in cases {
        let (dir, map) = user_keymap(text);
        let file = dir.path().join("keymap.toml").display().to_string();
        let err = map.err().unwrap_or_default();
        assert!(
            err.starts_with(&format!("{file}:{want}")),
            "{err}\nwanted {want}"
        );
    }
    // The same key in two sections is two bindings, not a conflict.
    let (_dir, map) = user_keymap(
        "[[table]]\nkeys = [\"x\"]\ncommand = \"quit\"\n[[detail]]\nkeys = [\"x\"]\ncommand = \"top\"\n",
    );
    assert!(map.is_ok(), "{map:?}");
}

/// `trailscope config --check` reads the sections as the app does.
#[test]
fn config_check_names_the_line_of_a_section_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[[timeline]]\nkeys = [\"x\"]\ncommand = \"zoom\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .env("TRAILSCOPE_CONFIG_DIR", dir.path())
        .env("TRAILSCOPE_DATA_DIR", "/nonexistent/trailscope-test")
        .args(["config", "--check"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("keymap.toml:1: unknown command `zoom`"),
        "{stderr}"
    );
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[[timeline]]\nkeys = [\"x\"]\ncommand = \"accept\"\ndesc = \"zoom\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .env("TRAILSCOPE_CONFIG_DIR", dir.path())
        .env("TRAILSCOPE_DATA_DIR", "/nonexistent/trailscope-test")
        .args(["config", "--check"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The help lists every layer's keys, under the layer's name, from the keymap: the
/// defaults and a user's own.
#[test]
fn the_help_lists_every_layers_keys() {
    let (_dir, map) = user_keymap(
        "[[lake-results]]\nkeys = [\"x\"]\ncommand = \"accept\"\ndesc = \"my pivot\"\n\
         [[sessions]]\nkeys = [\"ctrl-g\"]\ncommand = \"back\"\ndesc = \"my way out\"\n",
    );
    let map = map.expect("loads");
    let mut h = given("plaso-lookupevents-jsonl", 160, 200);
    h.app.keymap = map.clone();
    let h = h.keys("?");
    // Taller than the screen: read it a screen at a time.
    let mut text = String::new();
    let mut h = h;
    for _ in 0..40 {
        text.push_str(&help_text(&h));
        text.push(' ');
        h = h.keys("<pgdown>");
    }
    let sections: Vec<Section> = map.sections().collect();
    assert!(sections.len() >= 18, "{sections:?}");
    for section in sections {
        if section != Section::Layer(Layer::Table) {
            assert!(
                text.contains(&squeeze(section.title())),
                "{}",
                section.title()
            );
        }
        for b in map.bindings_in(section) {
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            let line = squeeze(&format!("{} {}", keys.join(", "), b.desc));
            assert!(text.contains(&line), "{section:?}: help lacks {line:?}");
        }
    }
    assert!(text.contains("x my pivot") && text.contains("ctrl-g my way out"));
}

/// The example keymap in docs/keys.md loads, and does what it says.
#[test]
fn the_documented_example_keymap_loads() {
    let readme = include_str!("../docs/keys.md");
    let from = readme.find("## Your own keys").expect("the section");
    let block = readme[from..]
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a toml block");
    let (_dir, map) = user_keymap(block);
    let map = map.expect("the example loads");
    assert_eq!(command(&map, Layer::Table, "q"), None);
    assert_eq!(command(&map, Layer::Table, "Q"), Some(Command::Quit));
    assert_eq!(
        map.key_for(Layer::LakeEditor, Command::RunSql),
        "F9",
        "hints name the user's key"
    );
    assert!(matches!(
        command(&map, Layer::Table, "ctrl-e"),
        Some(Command::Export(..))
    ));
}
