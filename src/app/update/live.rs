//! The reducer's LookupEvents part: reports from the fetch tasks, the orders that load more,
//! go further back or fetch the view, and the "load until" prompt.

use super::keys::{line, Line, Pressed};
use super::{insert, App, Effect};
use crate::app::command::Command;
use crate::app::fetch::{Report, TIME_PRESETS};
use crate::app::layer::Layer;
use crate::filter::parse_time;
use crate::model::time::EventTime;
use crate::model::warning::{Location, Warning};
use crate::source::lookup::live::{Fetched, RegionOrder};
use crate::source::lookup::plan::plan as lookup_plan;
use std::sync::Arc;

/// A LookupEvents report: its events join the store, a failure becomes a warning (the
/// status bar counts it, `w` lists it) and the region waits to be resumed.
pub(super) fn on_fetched(app: &mut App, fetched: Fetched) {
    let Some(live) = app.live.as_mut() else {
        return;
    };
    let report = live.on_fetched(&fetched);
    if report == Report::Stale {
        return;
    }
    app.load.loading = live.is_running();
    if !app.load.loading {
        app.load.done_ms = Some(app.now_ms);
    }
    app.warnings.extend(fetched.warnings);
    if let Report::Failed(why) = report {
        let origin: Arc<str> = Arc::from(format!("LookupEvents {}", fetched.progress.region));
        app.warnings
            .push(Warning::problem(&origin, Location::WholeFile, why));
    }
    insert(app, fetched.records);
}

/// Starts LookupEvents orders, or says why there is nothing to start.
pub(super) fn fetch(
    app: &mut App,
    orders: Vec<RegionOrder>,
    effects: &mut Vec<Effect>,
    idle: &str,
) {
    if orders.is_empty() {
        app.notice = Some(idle.to_string());
        return;
    }
    app.load.loading = true;
    app.load.done_ms = None;
    effects.push(Effect::Fetch(orders));
}

/// The notice for fetch keys in a session that reads files, naming the user's keys.
pub(super) fn not_live(app: &App) -> String {
    let key = |c| app.key_for(Layer::Table, c);
    format!(
        "{}, {}, {} and {} fetch from AWS: start trailscope with --region (and --profile); see --help",
        key(Command::LoadMore),
        key(Command::LoadUntil),
        key(Command::FetchWindow),
        key(Command::FetchView)
    )
}

/// LookupEvents again, for the current view: its most selective condition AWS can evaluate is
/// sent, and what comes back joins the store (pivots on IPs and ARNs still run here).
pub(super) fn fetch_view(app: &mut App, effects: &mut Vec<Effect>) {
    let now = app.now();
    let plan = lookup_plan(&app.filter.effective(), now);
    if plan.attribute.is_none() {
        app.notice = Some(format!(
            "nothing in this view can be asked of AWS (it takes key, user, event, resource, id, source or readonly): {} loads more of the whole window",
            app.key_for(Layer::Table, Command::LoadMore)
        ));
        return;
    }
    let Some(live) = app.live.as_mut() else {
        return;
    };
    let orders = live.refetch(plan);
    fetch(app, orders, effects, "no regions to fetch");
}

/// After a pivot in a LookupEvents session: say when AWS could fetch more of it.
pub(super) fn offer_fetch(app: &mut App) {
    if app.live.is_none() {
        return;
    }
    let plan = lookup_plan(&app.filter.effective(), app.now());
    if let Some((key, value)) = &plan.attribute {
        let value = crate::model::sanitize::visible(value).into_owned();
        app.notice = Some(format!(
            "{} fetches {}={value} from AWS beyond what is loaded",
            app.key_for(Layer::Table, Command::FetchView),
            key.as_str()
        ));
    }
}

/// The "load until" prompt: a time (`7d`, `2026-05-01`) or a count of events per region.
pub(super) fn until_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(bar) = app.until.as_mut() else {
        return;
    };
    match line(bar, pressed) {
        Line::Edited => app.until_error = None,
        Line::Run(Command::Quit) => effects.push(Effect::Quit),
        Line::Run(Command::Back) => app.until = None,
        Line::Run(Command::Accept) => {
            let text = bar.text().trim().to_string();
            let now = app.now();
            let Some(live) = app.live.as_mut() else {
                return;
            };
            let orders = match text.parse::<u64>() {
                Ok(count) => live.until_count(count),
                Err(_) => match parse_time(&text, now) {
                    Ok(time) => live.until_time(time),
                    Err(e) => {
                        app.until_error = Some(e);
                        return;
                    }
                },
            };
            app.until = None;
            fetch(
                app,
                orders,
                effects,
                "already loaded that far in every region",
            );
        }
        Line::Run(_) | Line::Unchanged => {}
    }
}

/// A time preset picked in the fetch overlay: fetch back to that age in every region.
pub(super) fn go_back(app: &mut App, cursor: usize, effects: &mut Vec<Effect>) {
    let Some(&(name, age_ms)) = TIME_PRESETS.get(cursor) else {
        return;
    };
    let now = app.now().millis().unwrap_or(0);
    let time = EventTime::from_millis(now.saturating_sub(age_ms));
    let Some(live) = app.live.as_mut() else {
        return;
    };
    let orders = live.until_time(time);
    app.overlay = None;
    let idle = format!("the last {name} are already loaded in every region");
    fetch(app, orders, effects, &idle);
}
