//! Every screen on fuzz-made records: the app loads them as it loads a file (with the
//! warnings a fuzz string earns as a file of its own), then the table, the detail pane
//! (focused, at its end), the profile, lineage, timeline, facets, pivot, marks, columns,
//! palette, warnings and help overlays, a note typed on an event, the filter line holding a
//! pasted fuzz string, and the status line after a failed write, each drawn at two sizes into
//! a `TestBackend`. Asserts: no cell holds a character `is_unsafe` flags, and every copy the
//! app asks for (`y`, `Y`, `I`) is text without one.
#![no_main]

mod common;

use common::{assert_safe, parse, records};
use libfuzzer_sys::fuzz_target;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;
use trailscope::app::boot::{Boot, Start};
use trailscope::app::effect::Effect;
use trailscope::app::key::{parse_keys, Key, KeyCode};
use trailscope::app::msg::Msg;
use trailscope::app::{update, App};
use trailscope::model::parse::parse_text;
use trailscope::job::{Ending, JobMsg};
use trailscope::theme::Theme;

const SIZES: [(u16, u16); 2] = [(120, 36), (44, 12)];

/// Keys that open something, and the keys that close it again.
const SCREENS: [(&str, &str); 15] = [
    ("", ""),
    ("<enter>GG", "<esc>"),
    ("<enter>ggjjjYk", "<esc>"),
    ("i", "i"),
    ("l", "<esc>"),
    ("h", "<esc>"),
    ("f", "<esc>"),
    ("fj", "<esc>"),
    ("p", "<esc>"),
    ("<space>M", "<esc><space>"),
    ("c", "<esc>"),
    (":", "<esc>"),
    ("w", "w"),
    ("?", "?"),
    ("!", "<esc>"),
];

fuzz_target!(|data: &[u8]| {
    let (values, free) = records(data);
    let (records, mut warnings) = parse(&values);
    // The free string as a file of its own: what cannot be read is said in the warnings.
    let origin: Arc<str> = Arc::from(free.as_str());
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&origin, &free, &mut sink);
    warnings.append(&mut sink.1);

    let (w, h) = SIZES[0];
    // Booted as the runtime boots a session on files; the load job's reports fed in.
    let boot = Boot::new(Start::Files(Default::default()), &free, w, h);
    let (mut app, started) = App::boot(boot, |_| {});
    let Some(job) = started.iter().find_map(|e| match e {
        Effect::Start { job, .. } => Some(*job),
        _ => None,
    }) else {
        panic!("a load job starts");
    };
    let mut effects = Vec::new();
    for report in [
        JobMsg::Records(records),
        JobMsg::Records(sink.0),
        JobMsg::Warnings(warnings),
        JobMsg::Done(Ending::Finished),
    ] {
        effects.extend(update(&mut app, Msg::Job(job, report)));
    }
    settle(&mut app, &mut effects);
    let theme = Theme::builtin("dark", false).expect("theme");

    for (i, &(w, h)) in SIZES.iter().enumerate() {
        if i > 0 {
            effects.extend(update(
                &mut app,
                Msg::Resize {
                    width: w,
                    height: h,
                },
            ));
        }
        for (open, close) in SCREENS {
            keys(&mut app, open, &mut effects);
            draw(&app, &theme, open);
            keys(&mut app, close, &mut effects);
        }
        // Copies: the whole record, the field under the cursor, the event's ID.
        keys(&mut app, "y<enter>jjYI<esc>", &mut effects);
        // A note typed on the selected event, then the marks list that shows it.
        keys(&mut app, "a", &mut effects);
        for c in free.chars().take(40) {
            effects.extend(update(&mut app, Msg::Key(Key::plain(KeyCode::Char(c)))));
        }
        keys(&mut app, "<enter><space>M", &mut effects);
        draw(&app, &theme, "note, marks");
        keys(&mut app, "<esc>", &mut effects);
        // A pasted filter: the filter line while typing, the status line after.
        keys(&mut app, "/", &mut effects);
        effects.extend(update(&mut app, Msg::Paste(free.clone())));
        draw(&app, &theme, "filter line");
        keys(&mut app, "<enter>", &mut effects);
        draw(&app, &theme, "filter applied");
        keys(&mut app, "<c-l>", &mut effects);
        effects.extend(update(&mut app, Msg::Wrote(Err(free.clone()))));
        draw(&app, &theme, "status line");
        effects.extend(update(&mut app, Msg::Copied(Ok(free.clone()))));
        draw(&app, &theme, "status line after a copy");
    }

    for e in &effects {
        if let Effect::Copy { text, what } = e {
            assert_safe(text, "a copy");
            assert_safe(what, "a copy's label");
        }
    }
});

fn keys(app: &mut App, dsl: &str, effects: &mut Vec<Effect>) {
    for key in parse_keys(dsl).expect("key DSL") {
        effects.extend(update(app, Msg::Key(key)));
        settle(app, effects);
    }
}

fn settle(app: &mut App, effects: &mut Vec<Effect>) {
    let mut slices = 0;
    while app.wants_work() {
        effects.extend(update(app, Msg::Work));
        slices += 1;
        assert!(slices < 10_000, "work never finishes");
    }
}

fn draw(app: &App, theme: &Theme, what: &str) {
    let (w, h) = (app.width, app.height);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal
        .draw(|f| trailscope::ui::draw(f, app, theme))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    for y in 0..h {
        let row: String = (0..w).map(|x| buffer[(x, y)].symbol()).collect();
        assert_safe(&row, &format!("{what} at {w}x{h}, row {y}"));
    }
}
