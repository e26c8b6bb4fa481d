//! Keys, routed by layer: `App::layer()` names the layer that has the keys, the keymap turns
//! the key into that layer's command, and the layer's handler runs it. A key the layer does
//! not bind is text where text is typed (the prompts, the searches, the SQL editor) and
//! nothing elsewhere. The filter bar's and the facet picker's handlers live here; the other
//! layers' live with the rest of their part of the reducer.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::key::Key;
use super::super::layer::Layer;
use super::super::nav::Step;
use super::super::App;
use super::pressed::{line, Line, Pressed, Searching};
use super::{lake, live, session, walk};
use crate::filter::facet;
use crate::keymap::Lookup;

pub(super) fn on_key(app: &mut App, key: Key, effects: &mut Vec<Effect>) {
    let layer = app.layer();
    let pressed = match app.keymap.lookup(layer, key) {
        Lookup::Bound(call) => Pressed::Run(call.clone()),
        Lookup::Unbound => Pressed::Nothing,
        Lookup::Free => Pressed::Text(key),
    };
    match layer {
        Layer::Table | Layer::Detail => {
            if let Pressed::Run(call) = pressed {
                super::apply(app, &call, effects);
            }
        }
        Layer::Help
        | Layer::Warnings
        | Layer::Columns
        | Layer::Fetch
        | Layer::Lineage
        | Layer::Marks
        | Layer::Views
        | Layer::Findings => {
            if let (Some(command), Some(overlay)) = (pressed.command(), app.overlay) {
                super::apply_overlay(app, overlay, command, effects);
            }
        }
        Layer::Timeline => walk::timeline_key(app, pressed, effects),
        Layer::Facets => facets_key(app, pressed, effects),
        Layer::LakeResults => lake::results_key(app, pressed, effects),
        Layer::LakeEditor => lake::editor_key(app, pressed, effects),
        Layer::LakeTemplates => lake::template_key(app, pressed, effects),
        Layer::LakePicker => lake::picker_key(app, pressed, effects),
        Layer::PivotMenu => walk::pivot_menu_key(app, pressed, effects),
        Layer::Until => live::until_key(app, pressed, effects),
        Layer::FilterBar => bar_key(app, pressed, effects),
        Layer::Sessions => session::sessions_key(app, pressed, effects),
        Layer::Note | Layer::CommandLine => session::prompt_key(app, pressed, effects),
    }
}

/// The filter bar: the view re-filters as the line changes; accepting keeps the filter (not
/// an invalid one), backing out restores the one before.
fn bar_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(bar) = app.bar.as_mut() else { return };
    match line(bar, pressed) {
        Line::Edited => {
            let text = bar.text().to_string();
            app.filter.set_text(&text);
        }
        Line::Run(Command::Quit) => effects.push(Effect::Quit),
        Line::Run(Command::Accept) => {
            // An invalid filter cannot be accepted: the bar stays open on the error.
            if app.filter.error.is_none() {
                let left = bar
                    .left
                    .take()
                    .filter(|v| v.filter.trim() != bar.text().trim());
                app.bar = None;
                // A new filter is a new view, at the root as after a pivot: back returns.
                if let Some(left) = left {
                    app.nav.push(left, Step::Replace);
                }
            }
        }
        Line::Run(Command::Back) => {
            let before = bar.before.clone();
            app.bar = None;
            app.filter.set_text(&before);
            app.filter.error = None;
        }
        Line::Run(_) | Line::Unchanged => {}
    }
}

/// The facet picker: printable keys search, the layer's keys move, switch facet and add the
/// value to the filter (or exclude it).
fn facets_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(picker) = app.picker.as_mut() else {
        return;
    };
    let page = (app.height as isize / 2).max(1);
    let command = match pressed.searching() {
        Searching::Run(command) => command,
        Searching::Type(c) => return picker.type_char(&app.store, c),
        Searching::Ignore => return,
    };
    match command {
        Command::Quit => effects.push(Effect::Quit),
        Command::Back => app.picker = None,
        Command::Accept | Command::Exclude => {
            let exclude = command == Command::Exclude;
            let Some(value) = picker.value(picker.cursor) else {
                return;
            };
            let term = facet::term(picker.facet, app.store.interner.resolve(value.sym));
            let term = if exclude { format!("-{term}") } else { term };
            app.picker = None;
            super::walk::narrow_to(app, term);
        }
        Command::NextFacet | Command::PreviousFacet => {
            let rows = app.filter.rows.as_deref().unwrap_or(app.store.time_order());
            picker.switch(&app.store, rows, command == Command::NextFacet);
        }
        Command::MoveUp => picker.move_by(-1),
        Command::MoveDown => picker.move_by(1),
        Command::PageUp => picker.move_by(-page),
        Command::PageDown => picker.move_by(page),
        Command::DeleteBack => picker.backspace(&app.store),
        _ => {}
    }
}
