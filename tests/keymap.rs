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
