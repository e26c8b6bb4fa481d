//! The copy commands: the selected event's JSON, the field under the detail pane's cursor,
//! or the event's ID, handed to the runtime as `Effect::Copy` with text already made safe
//! (`clipboard`), and its answer.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::layer::Layer;
use super::super::App;
use crate::clipboard::{json_text, plain_text, MAX_BYTES};

/// What a copy command copies (`copy-json`, `copy-field`, `copy-id`; `:copy json|field|id`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum CopyWhat {
    Json,
    Field,
    Id,
}

pub(super) fn copy(app: &mut App, what: CopyWhat, effects: &mut Vec<Effect>) {
    match payload(app, what) {
        Ok((text, label)) => effects.push(Effect::Copy { text, what: label }),
        Err(why) => app.notice = Some(why),
    }
}

/// The text to copy and how to name it, or why there is nothing to copy.
fn payload(app: &App, what: CopyWhat) -> Result<(String, String), String> {
    if !app.clipboard {
        return Err("copying is off (clipboard = \"off\" in config.toml)".into());
    }
    let idx = app
        .selected()
        .ok_or_else(|| "no event selected to copy from".to_string())?;
    let event = app.store.event(idx);
    let (text, label) = match what {
        CopyWhat::Json => (json_text(&event.raw.text()), "event JSON".to_string()),
        CopyWhat::Id => {
            let id = event
                .event_id
                .as_ref()
                .ok_or_else(|| "this event has no eventID".to_string())?;
            (plain_text(&id.text()), "event ID".to_string())
        }
        CopyWhat::Field => {
            let key = |layer, command| app.key_for(layer, command);
            let (down, up) = (
                key(Layer::Detail, Command::MoveDown),
                key(Layer::Detail, Command::MoveUp),
            );
            if !app.detail.open || app.focus != crate::app::Focus::Detail {
                return Err(format!(
                    "pick the field first: {} (or {}) to the detail pane, {down}/{up} to its line",
                    key(Layer::Table, Command::OpenDetail),
                    key(Layer::Table, Command::FocusNext),
                ));
            }
            let value = app.detail.value_under_cursor().ok_or_else(|| {
                format!(
                    "no field on this line: move the detail cursor ({}, {down}/{up})",
                    key(Layer::Table, Command::FocusNext)
                )
            })?;
            let field = field_name(app).unwrap_or_else(|| "field".to_string());
            (plain_text(value), field)
        }
    };
    if text.len() > MAX_BYTES {
        return Err(format!(
            "{label} is {} bytes, more than terminals take through OSC 52 ({MAX_BYTES}): :export writes it to a file",
            text.len()
        ));
    }
    Ok((text, label))
}

/// The key on the detail cursor's line (`"userName"`), to say what was copied.
fn field_name(app: &App) -> Option<String> {
    let line = app.detail.lines.get(app.detail.cursor)?;
    line.iter()
        .find(|(tok, _)| *tok == crate::app::json_view::JsonTok::Key)
        .map(|(_, text)| text.clone())
}

pub(super) fn on_copied(app: &mut App, result: Result<String, String>) {
    app.notice = Some(match result {
        Ok(note) => note,
        Err(why) => format!("not copied: {why}"),
    });
}
