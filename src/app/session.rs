//! The app's side of saved investigations: what is captured from the screen for a save, what
//! is put back when one reopens, and when to autosave. Pure: the database and the saver thread
//! are the runtime's (`session::saver`); the app only hands it `Effect::Save` jobs.

use super::nav::{Step, View};
use super::sort::Sort;
use super::App;
use crate::model::store::EventIdx;
use crate::session::messages::SaveJob;
use crate::session::messages::Saved;
use crate::session::state::{event_key, SavedView, SessionState, SourceRecord};
use std::collections::{HashMap, HashSet};

/// How long the state must have been changed before an autosave: a burst of keys is one save.
const AUTOSAVE_EVERY_MS: u64 = 2000;
/// After a failed save (disk full…), how long before trying again.
const RETRY_AFTER_MS: u64 = 30_000;

#[derive(Debug, Default)]
pub struct SessionMeta {
    /// The investigation saved into; `None` when not saving (`--no-save`, or no database).
    pub name: Option<String>,
    /// Named automatically (from the source and time): `:save NAME` renames it.
    pub auto_named: bool,
    pub created_ms: i64,
    /// The investigation's own note.
    pub note: String,
    pub sources: Vec<SourceRecord>,
    /// Nothing written under `name` yet.
    pub fresh: bool,
    /// Replace this name at the next save (`:save NAME` on an automatic name).
    pub rename_from: Option<String>,
    /// Events handed to the saver, and events it confirmed written (both from index 0).
    queued_events: usize,
    saved_events: usize,
    /// The state document last handed to the saver.
    queued_json: Option<String>,
    /// A save is being written.
    in_flight: bool,
    last_try_ms: Option<u64>,
    failed_at_ms: Option<u64>,
    /// A reopened investigation's state, put back once its events have loaded.
    pub restore: Option<SessionState>,
    /// The last save's outcome, for the status bar.
    pub status: Option<String>,
    /// Its events come from the database (not files or AWS).
    pub reopened: bool,
}

impl SessionMeta {
    /// Saving into `name`.
    pub fn saving(name: String, auto_named: bool, created_ms: i64) -> SessionMeta {
        SessionMeta {
            name: Some(name),
            auto_named,
            created_ms,
            fresh: true,
            ..SessionMeta::default()
        }
    }

    /// A reopened investigation: its events are already saved.
    pub fn reopened(name: String, created_ms: i64, state: SessionState) -> SessionMeta {
        SessionMeta {
            name: Some(name),
            created_ms,
            note: state.note.clone(),
            sources: state.sources.clone(),
            restore: Some(state),
            reopened: true,
            ..SessionMeta::default()
        }
    }
}

/// Everything about the screen worth keeping, with events named by key.
pub fn capture(app: &App) -> SessionState {
    let key = |i: EventIdx| event_key(&app.store, i);
    let saved = |v: &View| SavedView {
        filter: v.filter.clone(),
        presets: v.presets.clone(),
        anchor: v.anchor.map(key),
        screen_row: v.screen_row,
        narrowed: match &v.step {
            Step::Narrow(term) => Some(term.clone()),
            Step::Replace => None,
        },
    };
    // A reopened investigation still loading: what is not on screen yet is what was saved.
    if let Some(pending) = &app.session.restore {
        return pending.clone();
    }
    SessionState {
        sources: app.session.sources.clone(),
        note: app.session.note.clone(),
        view: saved(&app.current_view()),
        back: app.nav.back.iter().map(saved).collect(),
        forward: app.nav.forward.iter().map(saved).collect(),
        visited: app.nav.visited.iter().map(saved).collect(),
        marks: app.marked().into_iter().map(key).collect(),
        notes: app
            .notes
            .iter()
            .map(|(&i, n)| (key(i), n.clone()))
            .collect(),
        columns: app.columns.clone(),
        sort: app.sort.map(|s| (s.column, s.descending)),
        detail_open: app.detail.open,
        profile_pane: app.profile_pane,
        split: match app.prefs.split {
            super::layout::Split::Percent(p) => Some(p),
            super::layout::Split::Auto => None,
        },
        time: Some(app.time),
        live: app.live.as_ref().map(|l| l.saved()),
        suppressions: app.detector.suppressions().to_vec(),
    }
}

/// The first part of reopening, before any event is in: the layout and the filter, so the
/// first rows on screen are already the saved view's.
pub fn begin_restore(app: &mut App) {
    let Some(state) = &app.session.restore else {
        return;
    };
    if !state.columns.is_empty() {
        app.columns = state.columns.clone();
    }
    app.sort = state
        .sort
        .map(|(column, descending)| Sort { column, descending });
    app.detail.open = state.detail_open;
    app.profile_pane = state.profile_pane;
    if let Some(p) = state.split {
        app.prefs.split = super::layout::Split::Percent(p);
    }
    if let Some(t) = state.time {
        app.time = t;
    }
    let view = state.view.clone();
    let quiet = state.suppressions.clone();
    app.filter.restore(&view.filter, &view.presets);
    app.detector.set_suppressions(&mut app.store, quiet);
}

/// The rest, once every event has loaded: marks, notes, the walk and the selected event.
pub fn finish_restore(app: &mut App) {
    let Some(state) = app.session.restore.take() else {
        return;
    };
    let by_key = find_keys(app, &state);
    let find = |k: &String| by_key.get(k).copied();
    let view = |v: &SavedView| View {
        filter: v.filter.clone(),
        presets: v.presets.clone(),
        anchor: v.anchor.as_ref().and_then(find),
        screen_row: v.screen_row,
        step: v.narrowed.clone().map_or(Step::Replace, Step::Narrow),
    };
    app.marks = state.marks.iter().filter_map(find).collect();
    app.notes = state
        .notes
        .iter()
        .filter_map(|(k, n)| Some((find(k)?, n.clone())))
        .collect();
    app.nav.back = state.back.iter().map(view).collect();
    app.nav.forward = state.forward.iter().map(view).collect();
    app.nav.visited = state.visited.iter().map(view).collect();
    app.show_view(view(&state.view));
    app.resort();
    // Everything on screen came from the database.
    app.session.queued_events = app.store.len();
    app.session.saved_events = app.store.len();
    app.session.queued_json = serde_json::to_string(&capture(app)).ok();
}

/// The events the state names, by key. Keys are built only for events whose eventID is among
/// the wanted ones (and for the rare records without one): formatting a key for each of a
/// million events took most of a second.
fn find_keys(app: &App, state: &SessionState) -> HashMap<String, EventIdx> {
    let wanted: Vec<&String> = state
        .marks
        .iter()
        .chain(state.notes.iter().map(|(k, _)| k))
        .chain(
            std::iter::once(&state.view)
                .chain(&state.back)
                .chain(&state.forward)
                .chain(&state.visited)
                .filter_map(|v| v.anchor.as_ref()),
        )
        .collect();
    let ids: HashSet<&str> = wanted
        .iter()
        .filter_map(|k| k.rsplit_once('@').map(|(id, _)| id))
        .collect();
    let digests = wanted.iter().any(|k| k.starts_with("raw:"));
    let mut found = HashMap::new();
    for i in 0..app.store.len() as EventIdx {
        let candidate = match &app.store.event(i).event_id {
            Some(id) => ids.contains(&*id.text()),
            None => digests,
        };
        if candidate {
            found.insert(event_key(&app.store, i), i);
        }
    }
    found
}

/// A save sent to be written, its reply not back yet.
pub fn saving_now(app: &App) -> bool {
    app.session.in_flight
}

/// Events not yet confirmed written.
pub fn unsaved(app: &App) -> usize {
    app.store.len().saturating_sub(app.session.saved_events)
}

/// A save job when one is due: the state changed or events arrived, and the last save was a
/// while ago (or `now` is the end of the session). `None` while a save is being written.
pub fn autosave(app: &mut App, at_exit: bool) -> Option<SaveJob> {
    let now = app.now_ms;
    let s = &app.session;
    let name = s.name.clone()?;
    if s.restore.is_some() {
        return None; // not everything is back on screen yet: saving now would lose it
    }
    // Nothing read and nothing written yet (a start that failed, a fetch that found nothing):
    // an empty investigation in the list would only hide the real ones.
    if s.fresh && app.store.is_empty() {
        return None;
    }
    // Files are read again in seconds: their first save waits for the load to end rather
    // than slow it down (it made a million-event load 1.4× slower). Events fetched from AWS
    // cost more to get again, so a fetch is saved as it goes.
    if !at_exit && app.load.loading && app.live.is_none() {
        return None;
    }
    if !at_exit {
        if s.in_flight || s.last_try_ms.is_some_and(|t| now < t + AUTOSAVE_EVERY_MS) {
            return None;
        }
        if s.failed_at_ms.is_some_and(|t| now < t + RETRY_AFTER_MS) {
            return None;
        }
    }
    let json = serde_json::to_string(&capture(app)).ok()?;
    let s = &app.session;
    let new_events = app.store.len().saturating_sub(s.queued_events);
    if new_events == 0 && s.queued_json.as_deref() == Some(json.as_str()) {
        return None;
    }
    let events = (s.queued_events..app.store.len())
        .map(|i| app.store.event(i as EventIdx).raw.clone())
        .collect();
    let job = SaveJob {
        name,
        created_ms: s.created_ms,
        updated_ms: app.now().millis().unwrap_or(s.created_ms),
        source: source_line(&s.sources),
        state_json: json.clone(),
        new_events: events,
        fresh: s.fresh,
        rename_from: s.rename_from.clone(),
    };
    let s = &mut app.session;
    s.queued_events = app.store.len();
    s.queued_json = Some(json);
    s.in_flight = true;
    s.last_try_ms = Some(now);
    s.fresh = false;
    s.rename_from = None;
    Some(job)
}

/// The saver's answer.
pub fn on_saved(app: &mut App, saved: Saved) {
    let s = &mut app.session;
    s.in_flight = false;
    match saved.result {
        Ok(()) => {
            s.saved_events = s.queued_events;
            s.failed_at_ms = None;
            s.status = Some(format!("saved as {}", saved.name));
        }
        Err(e) => {
            // Nothing of that job was written (one transaction): send it all again later.
            s.queued_events = s.saved_events;
            s.queued_json = None;
            s.failed_at_ms = Some(app.now_ms);
            if s.saved_events == 0 {
                s.fresh = true;
            }
            let msg = format!("not saved: {e}");
            s.status = Some(msg.clone());
            app.notice = Some(msg);
        }
    }
}

/// `:save NAME`: an automatic name is replaced; a chosen one is kept and NAME becomes a copy
/// (every event is written again under it).
pub fn save_as(app: &mut App, name: &str) -> Result<(), String> {
    let name = crate::session::name::check_name(name)?;
    let s = &mut app.session;
    match (&s.name, s.auto_named) {
        // The same name: save again now (after a failure, say).
        (Some(old), _) if old == name => {}
        (Some(old), true) if !s.fresh => {
            s.rename_from = Some(old.clone());
        }
        (Some(_), false) => {
            s.queued_events = 0;
            s.saved_events = 0;
            s.fresh = true;
        }
        _ => {}
    }
    s.name = Some(name.to_string());
    s.auto_named = false;
    s.queued_json = None;
    s.last_try_ms = None;
    s.failed_at_ms = None;
    Ok(())
}

/// How `sessions list` describes the sources.
pub fn source_line(sources: &[SourceRecord]) -> String {
    sources
        .iter()
        .map(|s| s.label.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_investigation_that_read_nothing_is_not_saved() {
        let mut app = App::new(crate::keymap::Keymap::default_keymap(), "t".into(), 80, 24);
        app.session = SessionMeta::saving("empty".into(), true, 0);
        app.load.loading = false;
        assert!(
            autosave(&mut app, true).is_none(),
            "nothing read: nothing saved"
        );
        let text = "{\"eventVersion\":\"1.09\",\"eventName\":\"E\",\"eventSource\":\"s\",\"eventID\":\"1\",\"eventTime\":\"2026-11-19T02:00:00Z\"}";
        let mut out = (Vec::new(), Vec::new());
        crate::model::parse::parse_text(&std::sync::Arc::from("t"), text, &mut out);
        app.store.insert_batch(out.0);
        assert!(autosave(&mut app, true).is_some(), "one event read: saved");
    }
}
