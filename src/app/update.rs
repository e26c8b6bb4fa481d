//! The reducer: one message in, new state and effects out.

use super::command::Command;
use super::effect::Effect;
use super::msg::Msg;
use super::{App, Focus, Overlay};
use crate::model::store::EventIdx;
use crate::source::SourceMsg;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Key(key) => {
            if let Some(command) = app.keymap.command_for(key) {
                apply(app, command, &mut effects);
            }
        }
        Msg::Resize { width, height } => {
            app.width = width;
            app.height = height;
            let page = app.layout().table_rows();
            app.table.scroll_into_view(page);
        }
        Msg::Tick(now) => app.now_ms = now,
        Msg::Source(id, _) if id != app.query => {} // a superseded fetch
        Msg::Source(_, source_msg) => on_source(app, source_msg, &mut effects),
    }
    let selected = app.selected();
    app.detail.show(&app.store, selected);
    effects
}

fn on_source(app: &mut App, msg: SourceMsg, effects: &mut Vec<Effect>) {
    match msg {
        SourceMsg::Batch(records) => {
            app.store.insert_batch(records);
            if app.load.first_rows_ms.is_none() && !app.store.is_empty() {
                app.load.first_rows_ms = Some(app.now_ms);
            }
            let page = app.layout().table_rows();
            let store = &app.store;
            app.table.reanchor(|idx| store.position(idx), page);
        }
        SourceMsg::Warnings(w) => app.warnings.extend(w),
        // Workers report concurrently, so reports can arrive out of order: only move forward.
        SourceMsg::Progress(p) if p.files_done >= app.load.progress.files_done => {
            app.load.progress = p
        }
        SourceMsg::Progress(_) => {}
        SourceMsg::Done => {
            app.load.loading = false;
            app.load.done_ms = Some(app.now_ms);
            if app.store.is_empty() {
                effects.push(Effect::Fail(nothing_read_message(app)));
            }
        }
    }
}

fn nothing_read_message(app: &App) -> String {
    let mut msg = format!(
        "no CloudTrail events could be read from {}",
        app.source_label
    );
    for w in app.warnings.iter().take(20) {
        msg.push_str(&format!(
            "\n  {}",
            crate::model::sanitize::visible(&w.to_string())
        ));
    }
    if app.warnings.len() > 20 {
        msg.push_str(&format!("\n  … and {} more", app.warnings.len() - 20));
    }
    msg.push_str("\nExpected CloudTrail JSON: S3 log files ({\"Records\":[…]}, .json or .json.gz), JSON arrays or lines of records, or `aws cloudtrail lookup-events` output.");
    msg
}

fn apply(app: &mut App, command: Command, effects: &mut Vec<Effect>) {
    if let Some(overlay) = app.overlay {
        return apply_overlay(app, overlay, command, effects);
    }
    match command {
        Command::Quit => effects.push(Effect::Quit),
        Command::ToggleHelp => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::ToggleWarnings => app.overlay = Some(Overlay::Warnings { scroll: 0 }),
        Command::MoveUp => move_by(app, -1),
        Command::MoveDown => move_by(app, 1),
        Command::PageUp => move_by(app, -(page(app) as isize)),
        Command::PageDown => move_by(app, page(app) as isize),
        Command::Top => move_by(app, isize::MIN / 2),
        Command::Bottom => move_by(app, isize::MAX / 2),
        Command::OpenDetail => {
            app.detail.open = true;
            app.focus = Focus::Detail;
        }
        Command::FocusNext => {
            app.detail.open = true;
            app.focus = match app.focus {
                Focus::Table => Focus::Detail,
                Focus::Detail => Focus::Table,
            };
        }
        Command::Back => match app.focus {
            Focus::Detail => app.focus = Focus::Table,
            Focus::Table => app.detail.open = false,
        },
    }
}

fn page(app: &App) -> usize {
    match app.focus {
        Focus::Table => app.layout().table_rows().max(1),
        Focus::Detail => app.layout().detail_rows().max(1),
    }
}

fn move_by(app: &mut App, delta: isize) {
    match app.focus {
        Focus::Table => {
            let page = app.layout().table_rows();
            let rows: &[EventIdx] = app.store.time_order();
            app.table.move_by(delta, page, rows);
        }
        Focus::Detail => {
            let page = app.layout().detail_rows();
            app.detail.scroll_by(delta, page);
        }
    }
}

fn apply_overlay(app: &mut App, overlay: Overlay, command: Command, effects: &mut Vec<Effect>) {
    let scroll_of = |delta: isize, s: usize| (s as isize).saturating_add(delta).max(0) as usize;
    let delta = match command {
        Command::Quit => return effects.push(Effect::Quit),
        Command::Back => return app.overlay = None,
        Command::ToggleHelp => {
            app.overlay =
                (!matches!(overlay, Overlay::Help { .. })).then_some(Overlay::Help { scroll: 0 });
            return;
        }
        Command::ToggleWarnings => {
            app.overlay = (!matches!(overlay, Overlay::Warnings { .. }))
                .then_some(Overlay::Warnings { scroll: 0 });
            return;
        }
        Command::MoveUp => -1,
        Command::MoveDown => 1,
        Command::PageUp => -(app.height as isize / 2),
        Command::PageDown => app.height as isize / 2,
        Command::Top => isize::MIN / 2,
        Command::Bottom => isize::MAX / 2,
        Command::OpenDetail | Command::FocusNext => return,
    };
    // Clamped to the content when drawn, so the overlay never scrolls into emptiness.
    let limit = match overlay {
        Overlay::Help { .. } => app.keymap.bindings().len(),
        Overlay::Warnings { .. } => app.warnings.len(),
    };
    app.overlay = Some(match overlay {
        Overlay::Help { scroll } => Overlay::Help {
            scroll: scroll_of(delta, scroll).min(limit),
        },
        Overlay::Warnings { scroll } => Overlay::Warnings {
            scroll: scroll_of(delta, scroll).min(limit),
        },
    });
}
