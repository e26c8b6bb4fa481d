//! Keys and messages of saved investigations: the `:` command line, notes on events, the
//! investigation picker, the saver's answers and exports.

use super::super::effect::Effect;
use super::super::key::{Key, KeyCode};
use super::super::palette::{Action, Palette};
use super::super::prompt::{is_verb, parse_command, ExportOrder, Prompt, PromptKind, Typed};
use super::super::session::save_as;
use super::super::session_picker::SessionPicker;
use super::super::App;
use crate::app::bar::BarOutcome;
use crate::export::{export, Provenance, Scope};
use crate::model::store::EventIdx;
use std::path::PathBuf;

pub(super) fn open_command_line(app: &mut App) {
    let mut prompt = Prompt::open(PromptKind::Command, "");
    prompt.palette = Some(Palette::new(&app.keymap));
    app.prompt = Some(prompt);
}

pub(super) fn open_note(app: &mut App) {
    let Some(idx) = app.selected() else {
        app.notice = Some("no event selected to write a note on".into());
        return;
    };
    let current = app.notes.get(&idx).cloned().unwrap_or_default();
    app.prompt = Some(Prompt::open(PromptKind::Note(idx), &current));
}

pub(super) fn open_sessions(app: &mut App, effects: &mut Vec<Effect>) {
    app.sessions = Some(SessionPicker::waiting());
    effects.push(Effect::ListSessions);
}

pub(super) fn prompt_key(app: &mut App, key: Key, effects: &mut Vec<Effect>) {
    let Some(prompt) = app.prompt.as_mut() else {
        return;
    };
    if key.code == KeyCode::Char('c') && key.ctrl {
        app.prompt = None;
        return;
    }
    if let Some(palette) = prompt.palette.as_mut() {
        match (key.code, key.ctrl) {
            (KeyCode::Up, _) | (KeyCode::Char('p'), true) => return palette.move_by(-1),
            (KeyCode::Down, _) | (KeyCode::Char('n'), true) => return palette.move_by(1),
            (KeyCode::Tab, _) => {
                if let Some(text) = palette.completion() {
                    prompt.bar = crate::app::bar::FilterBar::open(&text);
                    palette.refilter(&text);
                }
                return;
            }
            _ => {}
        }
    }
    match prompt.bar.key(key) {
        BarOutcome::Cancel => app.prompt = None,
        BarOutcome::Edited => {
            prompt.error = None;
            let text = prompt.bar.text().to_string();
            if let Some(p) = prompt.palette.as_mut() {
                p.refilter(&text);
            }
        }
        BarOutcome::Ignored => {}
        BarOutcome::Accept => accept(app, effects),
    }
}

/// Enter on a prompt: the text runs; on the command line, an entry picked in the palette
/// (or the best match, when the text is no command) runs instead.
fn accept(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(prompt) = app.prompt.as_mut() else {
        return;
    };
    let text = prompt.bar.text().to_string();
    let kind = prompt.kind;
    let word = text.split_whitespace().next().unwrap_or("");
    let chosen = prompt.palette.as_ref().and_then(|p| {
        let use_it =
            p.picked || (!word.is_empty() && !is_verb(word) && parse_command(&text).is_err());
        use_it
            .then(|| p.selected().map(|e| e.action.clone()))
            .flatten()
    });
    let result = match chosen {
        Some(Action::Run(command)) => {
            app.prompt = None;
            super::apply(app, command, effects);
            return;
        }
        // A verb that takes words: put it on the line and wait for them.
        Some(Action::Verb(name, true)) if word != name => {
            let line = format!("{name} ");
            prompt.bar = crate::app::bar::FilterBar::open(&line);
            if let Some(p) = prompt.palette.as_mut() {
                p.refilter(&line);
            }
            return;
        }
        Some(Action::Verb(name, _)) if word != name => run(app, kind, name, effects),
        _ => run(app, kind, &text, effects),
    };
    match result {
        // A command may have opened another prompt (`:sessions` does not, but stay general).
        Ok(()) => {
            if app.prompt.as_ref().is_some_and(|p| p.kind == kind) {
                app.prompt = None;
            }
        }
        Err(e) => {
            if let Some(p) = app.prompt.as_mut() {
                p.error = Some(e);
            }
        }
    }
}

pub(super) fn paste(app: &mut App, text: &str) -> bool {
    match app.prompt.as_mut() {
        Some(p) => {
            p.bar.paste(text);
            true
        }
        None => false,
    }
}

fn run(
    app: &mut App,
    kind: PromptKind,
    text: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    match kind {
        PromptKind::Note(idx) => {
            set_note(app, idx, text);
            Ok(())
        }
        PromptKind::Command => match parse_command(text)? {
            Typed::Save(name) => {
                if app.session.name.is_none() {
                    return Err(
                        "saving is off (--no-save, or the session database could not be opened: see w)"
                            .into(),
                    );
                }
                save_as(app, &name)?;
                app.notice = Some(format!("saving as {name}…"));
                Ok(())
            }
            Typed::Note(text) => {
                app.session.note = text.trim().to_string();
                app.notice = Some(if app.session.note.is_empty() {
                    "investigation note removed".into()
                } else {
                    "investigation note saved".into()
                });
                Ok(())
            }
            Typed::Sessions => {
                app.prompt = None;
                open_sessions(app, effects);
                Ok(())
            }
            Typed::Quit => {
                effects.push(Effect::Quit);
                Ok(())
            }
            Typed::Export(order) => {
                let effect = export_effect(app, &order)?;
                effects.push(effect);
                Ok(())
            }
            Typed::Theme(name) => app.set_theme(&name),
            Typed::Time(t) => {
                app.set_time(t.unwrap_or(app.time.next()));
                Ok(())
            }
            Typed::Copy(what) => {
                app.prompt = None;
                super::copy::copy(app, what, effects);
                Ok(())
            }
            Typed::Run(command) => {
                app.prompt = None;
                super::apply(app, command, effects);
                Ok(())
            }
        },
    }
}

fn set_note(app: &mut App, idx: EventIdx, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        app.notes.remove(&idx);
    } else {
        app.notes.insert(idx, text.to_string());
        // A note is evidence: the event is marked too, so exports of marked events carry it.
        app.marks.insert(idx);
    }
}

/// Renders the export here (it is pure) and asks the runtime to write the file.
fn export_effect(app: &App, order: &ExportOrder) -> Result<Effect, String> {
    if app.session.restore.is_some() {
        return Err("still reopening: marks and notes are back once every event has loaded (Enter again then)".into());
    }
    let rows: Vec<EventIdx> = match order.scope {
        Scope::Marked => app.marked(),
        Scope::View => app.rows().to_vec(),
        Scope::All => app.store.time_order().to_vec(),
    };
    if rows.is_empty() {
        return Err(match order.scope {
            Scope::Marked => "nothing marked to export: space marks an event".into(),
            _ => "no events to export in this view".into(),
        });
    }
    let prov = Provenance {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        investigation: app.session.name.clone(),
        sources: app.session.sources.iter().map(|s| s.describe()).collect(),
        caller: None,
        filter: app.current_filter_text(),
        scope: order.scope,
        exported_at: app.now(),
    };
    let mut bytes = Vec::new();
    let done = export(
        &mut bytes,
        order.format,
        &app.store,
        &rows,
        &app.notes,
        &prov,
    )
    .map_err(|e| format!("cannot export: {e}"))?;
    let path = match &order.path {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(default_file_name(app, order)),
    };
    let what = format!(
        "{} ({}) as {} to {} · sha256 {}",
        done.events,
        order.scope.label(),
        order.format.extension(),
        path.display(),
        &done.sha256[..16.min(done.sha256.len())]
    );
    Ok(Effect::WriteFile { path, bytes, what })
}

/// `trailscope-<investigation>-<scope>-<time>.<ext>`, with only safe characters: names are
/// typed by users but end up in a shell's file listing.
fn default_file_name(app: &App, order: &ExportOrder) -> String {
    let name = app.session.name.as_deref().unwrap_or("export");
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    let stamp: String = app
        .now()
        .format_utc()
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    format!(
        "trailscope-{safe}-{}-{stamp}.{}",
        order.scope.label(),
        order.format.extension()
    )
}

pub(super) fn sessions_key(app: &mut App, key: Key, effects: &mut Vec<Effect>) {
    let Some(picker) = app.sessions.as_mut() else {
        return;
    };
    let page = (app.height as isize / 2).max(1);
    match (key.code, key.ctrl) {
        (KeyCode::Char('c'), true) => effects.push(Effect::Quit),
        (KeyCode::Esc, _) => {
            app.sessions = None;
            if app.store.is_empty() && !app.load.loading {
                app.notice = Some("nothing open: O lists saved investigations, q quits".into());
            }
        }
        (KeyCode::Enter, _) => {
            if let Some(s) = picker.selected() {
                let name = s.name.clone();
                if app.session.name.as_deref() == Some(name.as_str()) {
                    app.sessions = None;
                    app.notice = Some(format!("{name} is the investigation open now"));
                } else {
                    effects.push(Effect::OpenSession(name));
                }
            }
        }
        (KeyCode::Up, _) | (KeyCode::Char('p'), true) => picker.move_by(-1),
        (KeyCode::Down, _) | (KeyCode::Char('n'), true) => picker.move_by(1),
        (KeyCode::PageUp, _) => picker.move_by(-page),
        (KeyCode::PageDown, _) => picker.move_by(page),
        (KeyCode::Backspace, _) => picker.backspace(),
        (KeyCode::Char(c), false) if !key.alt => picker.type_char(c),
        _ => {}
    }
}

pub(super) fn on_sessions(
    app: &mut App,
    list: Result<Vec<crate::session::messages::Summary>, String>,
) {
    if let Some(p) = app.sessions.as_mut() {
        p.fill(list);
    }
}

pub(super) fn on_wrote(app: &mut App, result: Result<String, String>) {
    app.notice = Some(match result {
        Ok(what) => format!("exported {what}"),
        Err(e) => e,
    });
}
