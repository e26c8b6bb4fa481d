//! The copy commands: the selected event's JSON, the field under the detail pane's cursor,
//! or the event's ID, handed to the runtime as `Effect::Copy` with text already made safe
//! (`clipboard`), and its answer.

use super::super::effect::Effect;
use super::super::prompt::CopyWhat;
use super::super::App;
use crate::clipboard::{json_text, plain_text, MAX_BYTES};

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
        CopyWhat::Json => (json_text(&event.raw), "event JSON".to_string()),
        CopyWhat::Id => {
            let id = event
                .event_id
                .as_deref()
                .ok_or_else(|| "this event has no eventID".to_string())?;
            (plain_text(id), "event ID".to_string())
        }
        CopyWhat::Field => {
            if !app.detail.open || app.focus != crate::app::Focus::Detail {
                return Err(
                    "pick the field first: enter (or tab) to the detail pane, j/k to its line"
                        .into(),
                );
            }
            let value = app.detail.value_under_cursor().ok_or_else(|| {
                "no field on this line: move the detail cursor (tab, j/k)".to_string()
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
