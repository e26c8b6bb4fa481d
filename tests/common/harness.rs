//! Reducer test harness: feed a load and keys through `update`, as the runtime would,
//! but with no terminal, no threads racing the assertions and no clock.

use trailscope::app::boot::{Boot, Start};
use trailscope::app::effect::Effect;
use trailscope::app::key::parse_keys;
use trailscope::app::msg::Msg;
use trailscope::app::session::SessionMeta;
use trailscope::app::{update, App};
use trailscope::job::{JobSpec, Reporter};
use trailscope::source::files::{spawn_load, CancelToken};
use trailscope::source::walk::{plan, Plan};

pub struct Harness {
    pub app: App,
    pub effects: Vec<Effect>,
}

/// An app of `width`×`height` that has fully loaded the fixture folder `rel`.
pub fn given(rel: &str, width: u16, height: u16) -> Harness {
    // Relative to the package root (where cargo runs tests), so snapshots hold no absolute paths.
    let planned = plan(&[std::path::Path::new("tests/fixtures").join(rel)]);
    given_plan(planned, rel, width, height)
}

/// An app of `width`×`height` that has fully loaded the bundled demo incident.
pub fn given_demo(width: u16, height: u16) -> Harness {
    given_plan(trailscope::source::demo::plan(), "demo", width, height)
}

fn given_plan(planned: Plan, label: &str, width: u16, height: u16) -> Harness {
    given_session(planned, label, width, height, SessionMeta::default())
}

/// An app reopening (or saving as) an investigation: `session` is in place before the
/// first event arrives, as the runtime does it.
pub fn given_session(
    planned: Plan,
    label: &str,
    width: u16,
    height: u16,
    session: SessionMeta,
) -> Harness {
    // Started as the runtime starts a session (`App::boot`), with the load job carried out
    // here, its reports fed back in order.
    let boot = Boot {
        session,
        ..Boot::new(Start::Files(planned), label, width, height)
    };
    let (mut app, started) = App::boot(boot, |_| {});
    let (tx, mut rx) = tokio::sync::mpsc::channel(trailscope::job::CHANNEL_CAPACITY);
    let mut effects = Vec::new();
    for effect in started {
        match effect {
            Effect::Start { job, spec } => match *spec {
                JobSpec::Load(plan) => {
                    spawn_load(plan, Reporter::new(job, tx.clone()), CancelToken::default())
                }
                other => panic!("a file session starts no {} job", other.kind()),
            },
            other => effects.push(other),
        }
    }
    drop(tx);
    while let Some((job, msg)) = rx.blocking_recv() {
        effects.extend(update(&mut app, Msg::Job(job, msg)));
    }
    Harness { app, effects }
}

impl Harness {
    /// Types keys; after each, pending work (filtering) runs to the end, as the runtime does
    /// whenever no input is waiting.
    pub fn keys(mut self, dsl: &str) -> Harness {
        for key in parse_keys(dsl).unwrap_or_else(|e| panic!("bad key DSL {dsl:?}: {e}")) {
            let fx = update(&mut self.app, Msg::Key(key));
            self.effects.extend(fx);
            self = self.settle();
        }
        self
    }

    /// Types keys without letting idle work run in between (a fast typist).
    pub fn keys_unsettled(mut self, dsl: &str) -> Harness {
        for key in parse_keys(dsl).unwrap_or_else(|e| panic!("bad key DSL {dsl:?}: {e}")) {
            let fx = update(&mut self.app, Msg::Key(key));
            self.effects.extend(fx);
        }
        self
    }

    pub fn settle(mut self) -> Harness {
        let mut slices = 0;
        while self.app.wants_work() {
            let fx = update(&mut self.app, Msg::Work);
            self.effects.extend(fx);
            slices += 1;
            assert!(slices < 10_000, "work never finishes");
        }
        self
    }

    /// The screen as the dark theme draws it on a terminal of the app's size: one string
    /// per row, every cell's symbol, untrimmed.
    pub fn draw(&self) -> Vec<String> {
        let (w, h) = (self.app.width, self.app.height);
        let backend = ratatui::backend::TestBackend::new(w, h);
        let mut terminal = ratatui::Terminal::new(backend).expect("test terminal");
        let theme = trailscope::theme::Theme::builtin("dark", false).expect("theme");
        terminal
            .draw(|f| trailscope::ui::draw(f, &self.app, &theme))
            .expect("draw");
        let buffer = terminal.backend().buffer().clone();
        (0..h)
            .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect())
            .collect()
    }

    /// Event names of the current view, in order.
    pub fn names(&self) -> Vec<String> {
        self.app
            .rows()
            .iter()
            .map(|&i| {
                self.app
                    .store
                    .text(self.app.store.event(i).name)
                    .to_string()
            })
            .collect()
    }

    pub fn selected_name(&self) -> String {
        let idx = self.app.selected().expect("a selection");
        self.app
            .store
            .text(self.app.store.event(idx).name)
            .to_string()
    }
}
