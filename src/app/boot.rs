//! How a session starts, the same way for the runtime and the tests: the app is made, the
//! investigation being reopened is put in place before any event arrives, and the first
//! jobs are asked for. Pure: the caller carries out the effects.

use super::effect::Effect;
use super::fetch::LiveFetch;
use super::lake::LakeSession;
use super::session::SessionMeta;
use super::session_picker::SessionPicker;
use super::update::{lake, lake_reports, start_load, start_orders};
use super::App;
use crate::keymap::Keymap;
use crate::model::time::EventTime;
use crate::source::lookup::order::RegionOrder;
use crate::source::walk::Plan;

/// What the session opens on.
pub enum Start {
    /// Files, a folder, stdin, the demo, a reopened investigation or an S3 trail.
    Files(Plan),
    /// LookupEvents: the fetch and its first orders, one per region.
    Lookup {
        fetch: LiveFetch,
        orders: Vec<RegionOrder>,
    },
    /// CloudTrail Lake: the session, and a statement to run at once (`--sql`, `--template`).
    Lake {
        /// Boxed: the SQL editor is large.
        session: Box<LakeSession>,
        run_first: Option<String>,
    },
    /// Athena: the session (its table, or the picker when none was named) and the events
    /// statement for the window, whose rows are the session's events.
    Athena {
        session: Box<crate::app::lake::LakeSession>,
        first_sql: Option<String>,
    },
    /// Nothing asked for: the saved investigations, to pick one.
    PickInvestigation,
}

/// Everything a session starts from.
pub struct Boot {
    pub start: Start,
    pub keymap: Keymap,
    /// What is being looked at, for the title bar.
    pub source_label: String,
    pub width: u16,
    pub height: u16,
    /// The wall clock when the session started (relative filter times count from it).
    pub clock_origin: EventTime,
    pub tz: jiff::tz::TimeZone,
    /// A filter to start with (`--filter`), already checked to parse.
    pub filter: Option<String>,
    /// The investigation: its name for autosave, or the state of one being reopened.
    pub session: SessionMeta,
}

impl Boot {
    /// A session of `width`×`height` on `start` with the default keymap, in UTC, at time 0.
    pub fn new(start: Start, source_label: &str, width: u16, height: u16) -> Boot {
        Boot {
            start,
            keymap: Keymap::default_keymap(),
            source_label: source_label.to_string(),
            width,
            height,
            clock_origin: EventTime::from_millis(0),
            tz: jiff::tz::TimeZone::UTC,
            filter: None,
            session: SessionMeta::default(),
        }
    }
}

impl App {
    /// The app for `boot` and the effects that start it. `configure` runs after a reopened
    /// investigation's state is in place and before anything starts (the settings go over
    /// the investigation's own, as the command line's go over both).
    pub fn boot(boot: Boot, configure: impl FnOnce(&mut App)) -> (App, Vec<Effect>) {
        let mut app = App::new(boot.keymap, boot.source_label, boot.width, boot.height);
        app.clock_origin = boot.clock_origin;
        app.tz = boot.tz;
        if let Some(f) = &boot.filter {
            app.filter.set_text(f);
        }
        app.session = boot.session;
        super::session::begin_restore(&mut app);
        // A reopened LookupEvents investigation: its fetch, stopped, for `m` to resume.
        let saved_fetch = app.session.restore.as_ref().and_then(|s| s.live.clone());
        if let Some(saved) = saved_fetch {
            app.live = Some(LiveFetch::restored(&saved, app.now()));
        }
        configure(&mut app);
        let mut effects = Vec::new();
        match boot.start {
            Start::Files(plan) => start_load(&mut app, plan, &mut effects),
            Start::Lookup { fetch, orders } => {
                app.live = Some(fetch);
                start_orders(&mut app, orders, &mut effects);
            }
            Start::Lake { session, run_first } => {
                app.load.loading = false;
                if session.store.is_empty() {
                    lake_reports::list_choices(&mut app.jobs, false, &mut effects);
                }
                app.lake = Some(*session);
                if let Some(sql) = run_first {
                    effects.extend(lake::run_first(&mut app, sql));
                }
            }
            Start::Athena { session, first_sql } => {
                let workgroup = match &session.engine {
                    crate::app::lake::Engine::Athena { workgroup, .. } => workgroup.clone(),
                    crate::app::lake::Engine::Lake => String::new(),
                };
                let origin = format!("Athena {}", session.store);
                let picking = session.store.is_empty();
                app.lake = Some(*session);
                match first_sql {
                    Some(sql) => {
                        super::update::athena::start(&mut app, sql, origin, workgroup, &mut effects)
                    }
                    None if picking => {
                        app.load.loading = false;
                        lake_reports::list_choices(&mut app.jobs, true, &mut effects);
                    }
                    None => app.load.loading = false,
                }
            }
            Start::PickInvestigation => {
                app.load.loading = false;
                app.sessions = Some(SessionPicker::waiting());
                effects.push(Effect::ListSessions);
            }
        }
        (app, effects)
    }
}
