//! The reducer's part for walking an incident: pivots and the back/forward stack, the lineage
//! overlay, the timeline's zoom, and marks.

use super::pressed::Pressed;
use super::{move_by, reanchor, App, Effect, Overlay};
use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::app::nav::{lineage_term, Pivot, Step, View};
use crate::filter::facet::quote;
use crate::lineage::{cred_of, Cred};
use crate::model::time::EventTime;

/// Shows a view from the stack and puts the cursor back on its event.
pub(super) fn show(app: &mut App, view: View) {
    app.show_view(view);
    reanchor(app);
}

/// Leaves the current view for `term` (a pivot), keeping the selected event selected: it has
/// the pivot's value, so it is in the new view.
pub(super) fn pivot_to(app: &mut App, term: String) {
    let here = app.current_view();
    let next = View {
        filter: term,
        presets: Default::default(),
        anchor: here.anchor,
        screen_row: here.screen_row,
        step: Step::Replace,
    };
    app.nav.push(here, Step::Replace);
    show(app, next);
    super::pushdown::offer(app);
}

/// The narrowing form: `term` AND-ed with the view (its filter and presets), so "GetObject"
/// becomes "GetObject by this key chain". The selected event has the value, so it stays.
pub(super) fn narrow_to(app: &mut App, term: String) {
    let here = app.current_view();
    let filter = match here.filter.trim() {
        "" => term.clone(),
        // Parenthesised: an `a | b` view narrowed stays (a | b) AND term.
        f if crate::filter::parse(f).is_ok_and(|e| matches!(e, crate::filter::Expr::Or(_))) => {
            format!("({f}) {term}")
        }
        f => format!("{f} {term}"),
    };
    let next = View {
        filter,
        presets: here.presets.clone(),
        anchor: here.anchor,
        screen_row: here.screen_row,
        step: Step::Narrow(term.clone()),
    };
    app.nav.push(here, Step::Narrow(term));
    show(app, next);
    super::pushdown::offer(app);
}

/// The pivot menu: its keys pick what to follow; any other key closes it.
pub(super) fn pivot_menu_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    app.pivot_menu = false;
    match pressed.command() {
        Some(Command::Quit) => effects.push(Effect::Quit),
        Some(Command::Pivot(pivot)) => pivot_on(app, pivot),
        Some(Command::Narrow(pivot)) => narrow_on(app, pivot),
        _ => {}
    }
}

/// Pivots on one value of the selected event (from the menu, a key or `:pivot key`).
pub(super) fn pivot_on(app: &mut App, pivot: Pivot) {
    let Some(idx) = app.selected() else {
        app.notice = Some("no event selected to pivot from".to_string());
        return;
    };
    match pivot.term(&app.store, idx) {
        Some(term) => pivot_to(app, term),
        None => app.notice = Some(format!("this event has no {}", pivot.name())),
    }
}

/// Narrows the view to the selected event's value (from the menu, a key or `:narrow event`).
pub(super) fn narrow_on(app: &mut App, pivot: Pivot) {
    let Some(idx) = app.selected() else {
        app.notice = Some("no event selected to narrow by".to_string());
        return;
    };
    match pivot.term(&app.store, idx) {
        Some(term) => narrow_to(app, term),
        None => app.notice = Some(format!("this event has no {}", pivot.name())),
    }
}

/// The credential tree around the selected event's key (or its principal, without one).
pub(super) fn open_lineage(app: &mut App) {
    let Some(idx) = app.selected() else {
        app.notice = Some("no event selected".to_string());
        return;
    };
    let focus = cred_of(&app.store, idx);
    app.lineage = app.lineage_tree(&focus);
    app.lineage_elsewhere = crate::lineage::accounts_not_loaded(&app.store, &app.lineage);
    let cursor = app.lineage.iter().position(|l| l.focus).unwrap_or(0);
    app.overlay = Some(Overlay::Lineage { cursor });
}

/// Enter on a lineage line: pivot to that credential.
pub(super) fn follow_lineage(app: &mut App, cursor: usize) {
    let Some(line) = app.lineage.get(cursor) else {
        return;
    };
    let term = match &line.cred {
        Cred::Key(k) => format!("key:={}", quote(k)),
        Cred::Portal(id) => crate::app::nav::portal_term(&app.store, id),
        Cred::Principal(p) => format!("principal:={}", quote(p)),
    };
    app.overlay = None;
    pivot_to(app, term);
}

/// The lineage overlay's chain command: every event of the credential on the line and of
/// what it minted, as one view (`lineage:AKIA…`).
pub(super) fn lineage_view(app: &mut App, cursor: usize) {
    let Some(line) = app.lineage.get(cursor) else {
        return;
    };
    let term = lineage_term(&line.cred);
    app.overlay = None;
    pivot_to(app, term);
}

/// The timeline overlay: move along the buckets, mark a span, zoom into it.
pub(super) fn timeline_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(Overlay::Timeline { cursor, anchor }) = app.overlay else {
        return;
    };
    let Some(command) = pressed.command() else {
        return;
    };
    let last = app.timeline.buckets.len().saturating_sub(1);
    let step = |by: isize| (cursor as isize + by).clamp(0, last as isize) as usize;
    let (cursor, anchor) = match command {
        Command::Quit => return effects.push(Effect::Quit),
        Command::Back => return app.overlay = None,
        Command::MoveLeft => (step(-1), anchor),
        Command::MoveRight => (step(1), anchor),
        Command::PageUp => (step(-10), anchor),
        Command::PageDown => (step(10), anchor),
        Command::Top => (0, anchor),
        Command::Bottom => (last, anchor),
        // A span starts at the cursor (again: starts it over here).
        Command::StartSpan => (cursor, Some(cursor)),
        Command::Accept => return zoom(app, anchor.unwrap_or(cursor), cursor),
        _ => (cursor, anchor),
    };
    app.overlay = Some(Overlay::Timeline { cursor, anchor });
}

/// The span's time bounds join the filter, as a new view (back returns to the wider one).
pub(super) fn zoom(app: &mut App, a: usize, b: usize) {
    let (from, to) = app.timeline.span(a, b);
    let rfc = |t: EventTime| t.format_utc().replacen(' ', "T", 1) + "Z";
    let bounds = format!("after:{} before:{}", rfc(from), rfc(to));
    let filter = match app.filter.text.trim() {
        "" => bounds,
        f => format!("{f} {bounds}"),
    };
    app.overlay = None;
    let here = app.current_view();
    let next = View {
        filter,
        presets: here.presets.clone(),
        anchor: here.anchor,
        screen_row: here.screen_row,
        step: Step::Replace,
    };
    app.nav.push(here, Step::Replace);
    show(app, next);
}

/// Enter in the views list: that view, reached as a new step (back returns here).
pub(super) fn go_to_view(app: &mut App, cursor: usize) {
    let here = app.current_view();
    let Some(to) = app.nav.history(&here).into_iter().nth(cursor) else {
        return;
    };
    app.overlay = None;
    if cursor == 0 {
        return; // the view on screen
    }
    let step = to.step.clone();
    app.nav.push(here, step);
    show(app, to);
}

/// Enter in the marks list: select that event, in this view if it is there, else in a view of
/// every event (pushed, so back returns).
pub(super) fn go_to_mark(app: &mut App, cursor: usize) {
    let Some(&idx) = app.marked().get(cursor) else {
        return;
    };
    app.overlay = None;
    super::finish_work(app);
    if !app.rows().contains(&idx) {
        let here = app.current_view();
        app.nav.push(here, Step::Replace);
        app.filter.restore("", &Default::default());
    }
    app.table.anchor = Some(idx);
    app.restore_row = Some(app.layout().table_rows() / 2);
    reanchor(app);
}

/// The next (or previous) marked event in the view, wrapping around.
pub(super) fn jump_to_mark(app: &mut App, forward: bool) {
    if app.marks.is_empty() {
        let mark = app.key_for(Layer::Table, Command::ToggleMark);
        app.notice = Some(format!("no marks: {mark} marks the selected event"));
        return;
    }
    let rows = app.rows();
    let n = rows.len();
    let at = app.table.cursor;
    let found = (1..=n)
        .map(|step| match forward {
            true => (at + step) % n,
            false => (at + n - step % n) % n,
        })
        .find(|&i| app.marks.contains(&rows[i]));
    match found {
        Some(i) => {
            let delta = i as isize - at as isize;
            move_by(app, delta);
        }
        None => {
            app.notice = Some(format!(
                "{} marked, none in this view ({} goes back)",
                app.marks.len(),
                app.key_for(Layer::Table, Command::NavBack)
            ))
        }
    }
}

/// Every event of the view marked as evidence in one command; when every one is marked
/// already, the command takes them off again (a second press undoes the first).
pub(super) fn mark_view(app: &mut App) {
    super::finish_work(app);
    let rows: Vec<_> = app.rows().to_vec();
    if rows.is_empty() {
        app.notice = Some("no events in this view to mark".to_string());
        return;
    }
    let all_marked = rows.iter().all(|i| app.marks.contains(i));
    if all_marked {
        for i in &rows {
            app.marks.remove(i);
        }
        app.notice = Some(format!("{} events unmarked", rows.len()));
    } else {
        let before = app.marks.len();
        app.marks.extend(rows.iter().copied());
        app.notice = Some(format!(
            "{} events marked ({} in all)",
            app.marks.len() - before,
            app.marks.len()
        ));
    }
}

/// Clearing the filter leaves the view as a pivot does: the view left goes into the history,
/// so `[` brings it back. One Esc too many never loses a pivot.
pub(super) fn clear_filter(app: &mut App) {
    if app.filter.is_active() {
        let here = app.current_view();
        app.nav.push(here, Step::Replace);
    }
    app.filter.clear();
}

/// Every event of the view from the one marked last to the selected one, marked: a stretch
/// of the timeline taken as evidence in two keys.
pub(super) fn mark_range(app: &mut App) {
    super::finish_work(app);
    let (Some(anchor), Some(here)) = (app.mark_anchor, app.selected()) else {
        let mark = app.key_for(Layer::Table, Command::ToggleMark);
        app.notice = Some(format!(
            "nothing marked yet: {mark} marks where the range starts"
        ));
        return;
    };
    let rows = app.rows();
    let (Some(a), Some(b)) = (
        rows.iter().position(|&i| i == anchor),
        rows.iter().position(|&i| i == here),
    ) else {
        app.notice = Some("the event marked last is not in this view".to_string());
        return;
    };
    let range: Vec<_> = rows[a.min(b)..=a.max(b)].to_vec();
    let before = app.marks.len();
    app.marks.extend(range.iter().copied());
    app.mark_anchor = Some(here);
    app.notice = Some(format!(
        "{} events marked ({} in the range)",
        app.marks.len() - before,
        range.len()
    ));
}
