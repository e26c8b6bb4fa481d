//! The reducer: one message in, new state and effects out. LookupEvents (`live`) and the
//! incident walk (`walk`) have their own files.

pub(crate) mod athena;
mod copy;
mod findings;
mod jobs;
mod keys;
pub(crate) mod lake;
pub(crate) mod lake_reports;
mod live;
mod mouse;
mod pressed;
mod pushdown;
mod session;
mod walk;

use super::bar::FilterBar;
use super::call::Call;
use super::command::Command;
use super::effect::Effect;
use super::fetch::TIME_PRESETS;
use super::filter::Screen;
use super::layer::Layer;
use super::msg::Msg;
use super::nav::Pivot;
use super::picker::FacetPicker;
use super::sort::Sort;
use super::{App, Focus, Overlay};
use crate::filter::facet::Facet;
use crate::model::column::{Column, ALL_COLUMNS};
use crate::model::store::EventIdx;
use crate::profile::timeline::Timeline;
use crate::profile::Profile;
use copy::CopyWhat;
pub(crate) use jobs::start_load;
pub(crate) use live::start_orders;
use live::{fetch, fetch_view, go_back, not_live};
use walk::{follow_lineage, go_to_mark, jump_to_mark, open_lineage, pivot_on, show};

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    if matches!(msg, Msg::Key(_)) {
        app.notice = None;
    }
    match msg {
        // One place decides which layer has the keys (`App::layer`); its handler runs them.
        Msg::Key(key) => keys::on_key(app, key, &mut effects),
        Msg::Mouse(m) => mouse::mouse(app, m, &mut effects),
        Msg::Copied(result) => copy::on_copied(app, result),
        Msg::Paste(text) if session::paste(app, &text) => {}
        Msg::Paste(text) if lake::paste(app, &text) => {}
        Msg::Paste(text) => {
            if let Some(bar) = app.bar.as_mut() {
                bar.paste(&text);
                let text = bar.text().to_string();
                app.filter.set_text(&text);
            }
        }
        Msg::Work => work(app),
        Msg::Resize { width, height } => {
            app.width = width;
            app.height = height;
            app.keep_cursors_visible();
        }
        Msg::Tick(now) => {
            app.now_ms = now;
            if let Some(job) = super::session::autosave(app, false) {
                effects.push(Effect::Save(job));
            }
        }
        Msg::Saved(saved) => super::session::on_saved(app, saved),
        Msg::Sessions(list) => session::on_sessions(app, list),
        Msg::Wrote(result) => session::on_wrote(app, result),
        // The one place a stale job's report is dropped: a job replaced, or stopped with its
        // late pages unwanted, is no longer listed.
        Msg::Job(id, report) => {
            if let Some(kind) = app.jobs.kind(id).cloned() {
                jobs::on_report(app, id, kind, report, &mut effects)
            }
        }
    }
    let selected = app.selected();
    app.detail.show(&app.store, selected);
    effects
}

/// New records join the store, the filtered view and the sort.
pub(super) fn insert(app: &mut App, records: Vec<crate::model::record::Record>) {
    if records.is_empty() {
        return;
    }
    let first_new = app.store.len();
    app.store.insert_batch(records);
    if app.filter.is_active() {
        let now = app.now();
        app.filter.absorb(&app.store, first_new, now);
    }
    findings::detect(app, false);
    app.mark_resort();
    if app.load.first_rows_ms.is_none() && !app.store.is_empty() {
        app.load.first_rows_ms = Some(app.now_ms);
    }
    reanchor(app);
}

pub(super) fn nothing_read_message(app: &App) -> String {
    let mut msg = format!(
        "no CloudTrail events could be read from {}",
        app.source_label
    );
    let lines: Vec<String> = app.warnings.lines().collect();
    for line in lines.iter().take(20) {
        msg.push_str(&format!("\n  {}", crate::model::sanitize::visible(line)));
    }
    if lines.len() > 20 {
        msg.push_str(&format!("\n  … and {} more", lines.len() - 20));
    }
    msg.push_str("\nExpected CloudTrail JSON: S3 log files ({\"Records\":[…]}, .json or .json.gz), JSON arrays or lines of records, or `aws cloudtrail lookup-events` output.");
    msg
}

/// A command in the table or the detail pane (their keys, the palette, the command line).
fn apply(app: &mut App, call: &Call, effects: &mut Vec<Effect>) {
    // Keys typed ahead act on the view the keys before them asked for. The runtime reads every
    // key waiting before it runs a slice (`Msg::Work`), so `/key:K Enter p l` arriving in one
    // burst must still pivot on one of K's events, not on the row at the cursor of the view K
    // replaces (the rows on screen until K's scan has run).
    if call.command.reads_view() {
        finish_work(app);
    }
    match call.command {
        Command::Quit => effects.push(Effect::Quit),
        Command::Annotate => session::open_note(app),
        Command::CommandLine => session::open_command_line(app),
        Command::Sessions => session::open_sessions(app, effects),
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
        // A Lake query runs up a bill: esc cancels it first.
        Command::Back if app.focus == Focus::Table && lake::cancel(app, effects) => {}
        Command::Back => match app.focus {
            Focus::Detail => app.focus = Focus::Table,
            // A fetch in progress stops first: the most expensive thing on screen.
            Focus::Table if live::is_fetching(app) => {
                live::stop(app, effects);
                app.load.loading = false;
                app.load.done_ms = Some(app.now_ms);
                let more = app.key_for(Layer::Table, Command::LoadMore);
                app.notice = Some(format!("fetch stopped: {more} resumes every region"));
            }
            // A load from files or S3 stops the same way; what arrived stays. Not a reopen:
            // its marks and notes wait for every saved event.
            Focus::Table
                if app.load.loading && !app.load.stopping && app.session.restore.is_none() =>
            {
                app.load.stopping = true;
                app.notice = Some(match app.load.progress.s3 {
                    Some(_) => "stopping the S3 download: what arrived stays".to_string(),
                    None => "stopping the load: what was read stays".to_string(),
                });
                jobs::stop_load(app, effects);
            }
            // Back never drops a view: one Esc too many must not lose a pivot. It closes the
            // detail pane, then says how views are left.
            Focus::Table if app.detail.open => app.detail.open = false,
            Focus::Table if app.filter.is_active() => {
                let back = app.key_for(Layer::Table, Command::NavBack);
                let clear = app.key_for(Layer::Table, Command::ClearFilter);
                app.notice = Some(format!(
                    "the view stays: {back} goes back, {clear} shows every event"
                ));
            }
            Focus::Table => {}
        },
        Command::Filter => {
            let mut bar = FilterBar::open(&app.filter.text);
            bar.left = Some(app.current_view());
            app.bar = Some(bar);
            app.filter.error = None;
        }
        Command::ClearFilter => walk::clear_filter(app),
        Command::Preset(p) => app.filter.toggle_preset(p),
        Command::Facets => {
            app.picker = Some(FacetPicker::open(&app.store, app.rows(), Facet::Principal));
        }
        Command::Columns => app.overlay = Some(Overlay::Columns { cursor: 0 }),
        Command::SortNext => {
            let visible = &app.columns;
            let current = app.sort.map_or(Column::Time, |s| s.column);
            let i = visible
                .iter()
                .position(|&c| c == current)
                .map_or(0, |i| i + 1);
            let column = visible
                .get(i % visible.len().max(1))
                .copied()
                .unwrap_or(Column::Time);
            app.sort = Some(Sort {
                column,
                descending: false,
            });
            app.resort();
            reanchor(app);
        }
        Command::PivotMenu => match app.selected() {
            Some(_) => app.pivot_menu = true,
            None => app.notice = Some("no event selected to pivot from".to_string()),
        },
        Command::NavBack => {
            let here = app.current_view();
            match app.nav.go_back(here) {
                Some(view) => show(app, view),
                None => {
                    let pivot = app.key_for(Layer::Table, Command::PivotMenu);
                    app.notice = Some(format!("no earlier view: {pivot} pivots"));
                }
            }
        }
        Command::NavForward => {
            let here = app.current_view();
            match app.nav.go_forward(here) {
                Some(view) => show(app, view),
                None => app.notice = Some("no later view".to_string()),
            }
        }
        Command::Lineage => open_lineage(app),
        Command::Timeline => {
            finish_work(app);
            // One column per bucket inside the overlay (see ui::overlay::centered).
            let width = app.width.saturating_sub(4).min(100).saturating_sub(4) as usize;
            app.timeline = Timeline::of(&app.store, app.rows(), width);
            let last = app.timeline.buckets.len().saturating_sub(1);
            app.overlay = Some(Overlay::Timeline {
                cursor: last,
                anchor: None,
            });
        }
        Command::Explain => {
            app.explain_open = !app.explain_open;
            app.notice = Some(match app.explain_open {
                true => "what each event is shows above its JSON (TrailDiscover, Stratus Red Team: trailscope --credits)".to_string(),
                false => "the event's JSON only".to_string(),
            });
        }
        Command::Profile => {
            app.profile_pane = !app.profile_pane;
            if app.profile_pane {
                finish_work(app);
                refresh_profile(app);
                app.detail.open = true;
            }
        }
        Command::ToggleMark => {
            if let Some(idx) = app.selected() {
                if !app.marks.remove(&idx) {
                    app.marks.insert(idx);
                    app.mark_anchor = Some(idx);
                }
            }
        }
        Command::MarkRange => walk::mark_range(app),
        Command::MarkView => walk::mark_view(app),
        Command::Marks => app.overlay = Some(Overlay::Marks { cursor: 0 }),
        Command::Findings => findings::open(app),
        Command::Views => app.overlay = Some(Overlay::Views { cursor: 0 }),
        Command::NextMark => jump_to_mark(app, true),
        Command::PrevMark => jump_to_mark(app, false),
        Command::LoadMore => match app.live.as_mut() {
            Some(live) => {
                let orders = live.more();
                let back = app.key_for(Layer::Table, Command::FetchWindow);
                let idle =
                    format!("every region has read its whole window: {back} goes further back");
                fetch(app, orders, effects, &idle);
            }
            None => app.notice = Some(not_live(app)),
        },
        Command::FetchView if app.live.is_some() => fetch_view(app, effects),
        Command::LoadUntil if app.live.is_some() => {
            app.until = Some(FilterBar::open(""));
            app.until_error = None;
        }
        Command::FetchWindow if app.live.is_some() => {
            app.overlay = Some(Overlay::Fetch { cursor: 0 });
        }
        Command::LoadUntil | Command::FetchWindow | Command::FetchView => {
            app.notice = Some(not_live(app))
        }
        Command::LakeEditor => lake::open_editor(app),
        Command::LakeResults => lake::open_results(app),
        Command::CopyJson => copy::copy(app, CopyWhat::Json, effects),
        Command::CopyField => copy::copy(app, CopyWhat::Field, effects),
        Command::CopyId => copy::copy(app, CopyWhat::Id, effects),
        Command::ToggleTime => app.set_time(app.time.next()),
        Command::NextTheme => app.next_theme(),
        Command::GrowTable => app.move_split(5),
        Command::ShrinkTable => app.move_split(-5),
        Command::SortReverse => {
            let mut sort = app.sort.unwrap_or(Sort {
                column: Column::Time,
                descending: false,
            });
            sort.descending = !sort.descending;
            app.sort = Some(sort);
            app.resort();
            reanchor(app);
        }
        Command::Pivot(pivot) => pivot_on(app, pivot),
        Command::Narrow(pivot) => walk::narrow_on(app, pivot),
        Command::SetTime(time) => app.set_time(time),
        Command::Save
        | Command::Note
        | Command::Theme
        | Command::AddRegion
        | Command::AddAccount
        | Command::Suppress
        | Command::Unsuppress
        | Command::Export(..) => {
            if let Err(why) = session::with_operand(app, call, effects) {
                app.notice = Some(why);
            }
        }
        // The other layers' keys: the keymap refuses them in the table's section, the
        // command line says where they work.
        Command::Accept
        | Command::MoveLeft
        | Command::MoveRight
        | Command::NextFacet
        | Command::PreviousFacet
        | Command::Exclude
        | Command::DeleteBack
        | Command::StartSpan
        | Command::RunSql
        | Command::Templates
        | Command::HistoryBack
        | Command::HistoryForward
        | Command::Retry
        | Command::Complete
        | Command::ClearLine
        | Command::SuppressFinding
        | Command::Undo => {}
    }
}

/// The profile pane follows the view: recomputed once its rows are final.
pub(super) fn refresh_profile(app: &mut App) {
    if app.profile_pane && !app.filter.has_work() {
        app.profile = Profile::of(&app.store, app.rows());
        app.profile_scroll = 0;
    }
}

/// Runs pending filtering to the end: for views summarised as a whole (profile, timeline),
/// which must not describe a half-filtered view.
pub(super) fn finish_work(app: &mut App) {
    while app.wants_work() {
        work(app);
    }
}

/// Idle-time work: a slice of filtering, or a re-sort after new rows.
fn work(app: &mut App) {
    if app.own_rules_due() {
        findings::detect(app, true);
    }
    let now = app.now();
    // A sorted view's first screen is not the rows nearest the selected event in time.
    let screen = Screen {
        anchor: app.table.anchor,
        rows: match app.sorted {
            Some(_) => 0,
            None => app.layout().table_rows(),
        },
    };
    let view_changed = app.filter.work(&app.store, now, screen);
    if view_changed || (!app.filter.has_work() && app.resort_due) {
        app.resort();
        reanchor(app);
    }
    if view_changed {
        refresh_profile(app);
    }
}

/// After the rows changed: keep the selected event selected, or the row nearest in time.
fn reanchor(app: &mut App) {
    let page = app.layout().table_rows();
    let rows = app.rows();
    if let Some(anchor) = app.table.anchor {
        let pos = if app.sorted.is_some() {
            rows.iter().position(|&i| i == anchor)
        } else {
            let key = |i: EventIdx| (app.store.event(i).time, i);
            let p = rows.partition_point(|&i| key(i) < key(anchor));
            // The event left the view: stay at the nearest later one (or the last).
            Some(p.min(rows.len().saturating_sub(1)))
        };
        if let Some(pos) = pos {
            let shift = pos as isize - app.table.cursor as isize;
            app.table.cursor = pos;
            app.table.offset = match app.restore_row {
                // Back to a view: the event where it stood on screen, once the rows are final.
                Some(row) if !app.filter.has_work() => {
                    app.restore_row = None;
                    pos.saturating_sub(row)
                }
                _ => (app.table.offset as isize + shift).max(0) as usize,
            };
            app.table.scroll_into_view(page);
            return;
        }
    }
    let len = rows.len();
    app.table.cursor = app.table.cursor.min(len.saturating_sub(1));
    app.table.offset = app.table.offset.min(app.table.cursor);
    app.table.scroll_into_view(page);
}

fn page(app: &App) -> usize {
    match app.focus {
        Focus::Table => app.layout().table_rows().max(1),
        Focus::Detail => app.layout().detail_rows().saturating_sub(1).max(1),
    }
}

fn move_by(app: &mut App, delta: isize) {
    match app.focus {
        Focus::Table => {
            let page = app.layout().table_rows();
            let rows = super::view_rows(&app.sorted, &app.filter, &app.store);
            app.table.move_by(delta, page, rows);
        }
        Focus::Detail if app.profile_pane => {
            let limit = app.profile.line_count().saturating_sub(1);
            app.profile_scroll =
                (app.profile_scroll as isize + delta).clamp(0, limit as isize) as usize;
        }
        Focus::Detail => {
            let inner = app.detail_inner();
            app.detail.move_by(delta, inner);
        }
    }
}

/// A command in a list overlay (the timeline has its own, `walk::timeline_key`).
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
        Command::SuppressFinding => {
            if let Overlay::Findings { cursor } = overlay {
                findings::ask_suppress(app, cursor);
            }
            return;
        }
        Command::Pivot(Pivot::Lineage) => {
            if let Overlay::Lineage { cursor } = overlay {
                walk::lineage_view(app, cursor);
            }
            return;
        }
        Command::Accept | Command::OpenDetail | Command::FocusNext => {
            match overlay {
                Overlay::Columns { cursor } => toggle_column(app, cursor),
                Overlay::Fetch { cursor } => go_back(app, cursor, effects),
                Overlay::Lineage { cursor } => follow_lineage(app, cursor),
                Overlay::Marks { cursor } => go_to_mark(app, cursor),
                Overlay::Findings { cursor } => findings::pivot(app, cursor),
                Overlay::Views { cursor } => walk::go_to_view(app, cursor),
                _ => {}
            }
            return;
        }
        _ => return,
    };
    // Clamped to the content when drawn, so the overlay never scrolls into emptiness.
    let limit = match overlay {
        // Long descriptions wrap: room for one extra row each, on a narrow screen.
        Overlay::Help { .. } => {
            let sections = app.keymap.sections().count();
            2 * app.keymap.binding_count() + 2 * sections + crate::filter::field::FIELDS.len() + 20
        }
        Overlay::Warnings { .. } => app.warnings.rows().saturating_sub(1),
        Overlay::Columns { .. } => ALL_COLUMNS.len() - 1,
        Overlay::Fetch { .. } => TIME_PRESETS.len() - 1,
        Overlay::Lineage { .. } => app.lineage.len().saturating_sub(1),
        Overlay::Timeline { .. } => return,
        Overlay::Marks { .. } => app.marks.len().saturating_sub(1),
        Overlay::Findings { .. } => findings::rows(app).saturating_sub(1),
        Overlay::Views { .. } => app.nav.history(&app.current_view()).len().saturating_sub(1),
    };
    app.overlay = Some(overlay.moved(|at| scroll_of(delta, at).min(limit)));
}

/// Shows or hides a column; the table keeps the chooser's order and at least one column.
fn toggle_column(app: &mut App, cursor: usize) {
    let Some(&column) = ALL_COLUMNS.get(cursor) else {
        return;
    };
    if let Some(i) = app.columns.iter().position(|&c| c == column) {
        if app.columns.len() > 1 {
            app.columns.remove(i);
        }
    } else {
        app.columns.push(column);
        app.columns
            .sort_by_key(|c| ALL_COLUMNS.iter().position(|a| a == c));
    }
}
