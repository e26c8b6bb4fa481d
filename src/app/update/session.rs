//! Keys and messages of saved investigations: the `:` command line, notes on events, the
//! investigation picker, the saver's answers and exports.

use super::super::call::{takes_words, Call};
use super::super::command::Command;
use super::super::effect::Effect;
use super::super::layer::{Layer, Section};
use super::super::palette::{Action, Palette};
use super::super::prompt::{Prompt, PromptKind};
use super::super::session::save_as;
use super::super::session_picker::SessionPicker;
use super::super::App;
use super::pressed::{line, Line, Pressed, Searching};
use crate::app::bar::FilterBar;
use crate::export::{export, Format, Provenance, Scope};
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

/// The `:` command line and the note prompt: the line's keys, the palette's, and accepting.
pub(super) fn prompt_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(prompt) = app.prompt.as_mut() else {
        return;
    };
    match line(&mut prompt.bar, pressed) {
        Line::Edited => {
            prompt.error = None;
            let text = prompt.bar.text().to_string();
            if let Some(p) = prompt.palette.as_mut() {
                p.refilter(&text);
            }
        }
        Line::Run(Command::Back) => app.prompt = None,
        Line::Run(Command::Quit) => effects.push(Effect::Quit),
        Line::Run(Command::Accept) => accept(app, effects),
        Line::Run(Command::MoveUp) => {
            if let Some(p) = prompt.palette.as_mut() {
                p.move_by(-1);
            }
        }
        Line::Run(Command::MoveDown) => {
            if let Some(p) = prompt.palette.as_mut() {
                p.move_by(1);
            }
        }
        Line::Run(Command::Complete) => {
            if let Some(p) = prompt.palette.as_mut() {
                if let Some(text) = p.completion() {
                    prompt.bar = FilterBar::open(&text);
                    p.refilter(&text);
                }
            }
        }
        Line::Run(_) | Line::Unchanged => {}
    }
}

/// Enter on a prompt: the text runs; on the command line, an entry picked in the palette
/// (or the best match, when the text is no command) runs instead.
fn accept(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(prompt) = app.prompt.as_mut() else {
        return;
    };
    let text = prompt.bar.text().to_string();
    if let PromptKind::Note(idx) = prompt.kind {
        app.prompt = None;
        return set_note(app, idx, &text);
    }
    let word = text.split_whitespace().next().unwrap_or("");
    let is_command = Call::parse(&text).is_ok_and(|c| c.command.in_table());
    let chosen = prompt.palette.as_ref().and_then(|p| {
        let use_it = p.picked || (!word.is_empty() && !takes_words(word) && !is_command);
        use_it
            .then(|| p.selected().map(|e| e.action.clone()))
            .flatten()
    });
    match chosen {
        Some(Action::Run(command)) => {
            app.prompt = None;
            super::apply(app, &Call::from(command), effects);
        }
        // A verb that takes words: put it on the line and wait for them.
        Some(Action::Verb(name, true)) if word != name => {
            let line = format!("{name} ");
            prompt.bar = FilterBar::open(&line);
            if let Some(p) = prompt.palette.as_mut() {
                p.refilter(&line);
            }
        }
        Some(Action::Verb(name, _)) if word != name => run_line(app, name, effects),
        _ => run_line(app, &text, effects),
    }
}

/// A command line's text, run in the table; what is wrong with it stays on the line.
fn run_line(app: &mut App, text: &str, effects: &mut Vec<Effect>) {
    let call = match Call::parse(text) {
        Ok(call) if call.command.in_table() => call,
        Ok(call) => {
            let places: Vec<&str> = Section::all()
                .filter(|s| s.accepts(call.command))
                .map(Section::name)
                .collect();
            let why = format!(
                "{} is a key of other layers ({}), not a command here",
                call.command.name(),
                places.join(", ")
            );
            return refuse(app, why);
        }
        Err(e) => {
            let why = e.message(&|layer, command| app.key_for(layer, command));
            return refuse(app, why);
        }
    };
    if !call.command.takes_operand() {
        // The line closes first: the command may open another prompt (`:annotate`).
        app.prompt = None;
        return super::apply(app, &call, effects);
    }
    match with_operand(app, &call, effects) {
        Ok(()) => {
            if app
                .prompt
                .as_ref()
                .is_some_and(|p| p.kind == PromptKind::Command)
            {
                app.prompt = None;
            }
        }
        Err(why) => refuse(app, why),
    }
}

fn refuse(app: &mut App, why: String) {
    if let Some(p) = app.prompt.as_mut() {
        p.error = Some(why);
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

/// The commands that take words (`save NAME`, `note TEXT`, `theme NAME`, `export … FILE`),
/// from the command line or a key; the error says why not.
pub(super) fn with_operand(
    app: &mut App,
    call: &Call,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    match call.command {
        Command::Save => {
            if app.session.name.is_none() {
                return Err(format!(
                    "saving is off (--no-save, or the session database could not be opened: see {})",
                    app.key_for(Layer::Table, Command::ToggleWarnings)
                ));
            }
            let name = call.operand.as_str();
            save_as(app, name)?;
            app.notice = Some(format!("saving as {name}…"));
            Ok(())
        }
        Command::Note => {
            app.session.note = call.operand.trim().to_string();
            app.notice = Some(if app.session.note.is_empty() {
                "investigation note removed".into()
            } else {
                "investigation note saved".into()
            });
            Ok(())
        }
        Command::Theme => app.set_theme(&call.operand),
        Command::AddRegion => super::live::add_region(app, &call.operand, effects),
        Command::AddAccount => super::live::add_account(app, &call.operand, effects),
        Command::Suppress => super::findings::suppress(app, &call.operand),
        Command::Unsuppress => super::findings::unsuppress(app, &call.operand),
        Command::Export(format, scope) => {
            let path = Some(call.operand.as_str()).filter(|p| !p.is_empty());
            let effect = export_effect(app, format, scope, path)?;
            effects.push(effect);
            Ok(())
        }
        _ => Ok(()),
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
fn export_effect(
    app: &App,
    format: Format,
    scope: Scope,
    path: Option<&str>,
) -> Result<Effect, String> {
    if app.session.restore.is_some() {
        return Err("still reopening: marks and notes are back once every event has loaded (Enter again then)".into());
    }
    let rows: Vec<EventIdx> = match scope {
        Scope::Marked => app.marked(),
        Scope::View => app.rows().to_vec(),
        Scope::All => app.store.time_order().to_vec(),
    };
    if rows.is_empty() {
        return Err(match scope {
            Scope::Marked => format!(
                "nothing marked to export: {} marks an event",
                app.key_for(Layer::Table, Command::ToggleMark)
            ),
            _ => "no events to export in this view".into(),
        });
    }
    let prov = Provenance {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        investigation: app.session.name.clone(),
        sources: app.session.sources.iter().map(|s| s.describe()).collect(),
        caller: None,
        filter: app.current_filter_text(),
        scope,
        exported_at: app.now(),
    };
    let mut bytes = Vec::new();
    let done = export(&mut bytes, format, &app.store, &rows, &app.notes, &prov)
        .map_err(|e| format!("cannot export: {e}"))?;
    let path = match path {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(default_file_name(app, format, scope)),
    };
    let what = format!(
        "{} ({}) as {} to {} · sha256 {}",
        done.events,
        scope.label(),
        format.extension(),
        path.display(),
        &done.sha256[..16.min(done.sha256.len())]
    );
    Ok(Effect::WriteFile { path, bytes, what })
}

/// `trailscope-<investigation>-<scope>-<time>.<ext>`, with only safe characters: names are
/// typed by users but end up in a shell's file listing.
fn default_file_name(app: &App, format: Format, scope: Scope) -> String {
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
        scope.word(),
        format.extension()
    )
}

/// The saved-investigation picker: printable keys search, the layer's keys move and open.
pub(super) fn sessions_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(picker) = app.sessions.as_mut() else {
        return;
    };
    let page = (app.height as isize / 2).max(1);
    let command = match pressed.searching() {
        Searching::Run(command) => command,
        Searching::Type(c) => return picker.type_char(c),
        Searching::Ignore => return,
    };
    match command {
        Command::Quit => effects.push(Effect::Quit),
        Command::Back => {
            app.sessions = None;
            if app.store.is_empty() && !app.load.loading {
                app.notice = Some(format!(
                    "nothing open: {} lists saved investigations, {} quits",
                    app.key_for(Layer::Table, Command::Sessions),
                    app.key_for(Layer::Table, Command::Quit)
                ));
            }
        }
        Command::Accept => {
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
        Command::MoveUp => picker.move_by(-1),
        Command::MoveDown => picker.move_by(1),
        Command::PageUp => picker.move_by(-page),
        Command::PageDown => picker.move_by(page),
        Command::DeleteBack => picker.backspace(),
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
