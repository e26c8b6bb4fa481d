//! The reducer's LookupEvents part: reports from the region jobs, the orders that load
//! more, go further back or fetch the view, and the "load until" prompt.

use super::pressed::{line, Line, Pressed};
use super::{insert, App, Effect};
use crate::app::command::Command;
use crate::app::fetch::{Report, TIME_PRESETS};
use crate::app::jobs::JobKind;
use crate::app::layer::Layer;
use crate::filter::parse_time;
use crate::job::{JobId, JobMsg, JobSpec, Progress};
use crate::model::time::EventTime;
use crate::model::warning::{Location, Warning};
use crate::source::lookup::accounts::Via;
use crate::source::lookup::order::RegionOrder;
use crate::source::lookup::plan::plan as lookup_plan;
use std::sync::Arc;

/// A report from a region's job: its events join the store, a failure becomes a warning (the
/// status bar counts it, `w` lists it) and the region waits to be resumed.
pub(super) fn on_region(app: &mut App, job: JobId, msg: JobMsg) {
    match msg {
        JobMsg::Records(records) => insert(app, records),
        JobMsg::Warnings(w) => app.warnings.extend(w),
        JobMsg::Progress(Progress::Region(p)) => {
            let Some(live) = app.live.as_mut() else {
                return;
            };
            if let Report::Failed(why) = live.on_progress(job, &p) {
                let origin: Arc<str> = Arc::from(format!("LookupEvents {}", p.lane()));
                app.warnings
                    .push(Warning::problem(&origin, Location::WholeFile, why));
            }
            loading_while_running(app);
        }
        // The failure, if any, came with the region's last totals.
        JobMsg::Done(_) => {
            app.jobs.forget(job);
            loading_while_running(app);
        }
        JobMsg::Progress(_) | JobMsg::Rows(_) | JobMsg::Stores(_) | JobMsg::Tables(_) => {}
    }
}

/// The status bar's spinner runs while a region does.
fn loading_while_running(app: &mut App) {
    app.load.loading = app.live.as_ref().is_some_and(|l| l.is_running());
    if !app.load.loading {
        app.load.done_ms = Some(app.now_ms);
    }
}

pub(super) fn is_fetching(app: &App) -> bool {
    app.live.as_ref().is_some_and(|l| l.is_running())
}

/// Esc while regions fetch: each stops where it is, and pages already on their way are
/// dropped (the region's token resumes from the last page taken in).
pub(super) fn stop(app: &mut App, effects: &mut Vec<Effect>) {
    for job in app.live.as_mut().map(|l| l.stop()).unwrap_or_default() {
        app.jobs.forget(job);
        effects.push(Effect::Cancel(job));
    }
}

/// Each order as a job, replacing whatever ran in its region.
pub(crate) fn start_orders(app: &mut App, orders: Vec<RegionOrder>, effects: &mut Vec<Effect>) {
    for order in orders {
        let lane = order.lane();
        for old in app.jobs.of(|k| *k == JobKind::Region(lane.clone())) {
            app.jobs.forget(old);
            effects.push(Effect::Cancel(old));
        }
        let job = app.jobs.start(JobKind::Region(lane.clone()));
        if let Some(live) = app.live.as_mut() {
            live.started(&lane, job);
        }
        effects.push(Effect::Start {
            job,
            spec: Box::new(JobSpec::Lookup(order)),
        });
    }
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
    start_orders(app, orders, effects);
}

/// `region NAME`: LookupEvents in one more region, over the window the others read, starting
/// with as many events as the others did; the name is checked against the SDK's partition data
/// first, so a typo is a suggestion, not a region that silently answers nothing.
pub(super) fn add_region(
    app: &mut App,
    name: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    let name = name.trim();
    if app.live.is_none() {
        return Err(not_live(app));
    }
    crate::source::lookup::scope::check(name)
        .map_err(|why| crate::model::sanitize::visible(&why).into_owned())?;
    let key = |c| app.key_for(Layer::Table, c);
    let (more, regions) = (key(Command::LoadMore), key(Command::FetchWindow));
    let orders = app
        .live
        .as_mut()
        .map(|live| live.add_region(name))
        .unwrap_or_default();
    if orders.is_empty() {
        app.notice = Some(format!(
            "{name} is already fetched: {more} loads more of it"
        ));
        return Ok(());
    }
    fetch(app, orders, effects, "");
    record_reach(app);
    app.notice = Some(format!(
        "fetching {name} too, over the same window; {regions} shows every region's progress"
    ));
    Ok(())
}

/// The investigation's provenance follows what the fetch reads: a region or an account added
/// in the app is asked for as much as one on the command line.
fn record_reach(app: &mut App) {
    let Some(live) = app.live.as_ref() else {
        return;
    };
    let (regions, accounts) = (live.region_names(), live.accounts());
    for source in app.session.sources.iter_mut() {
        if source.kind == "lookup-events" {
            source.regions = regions.clone();
            source.via = match accounts.as_slice() {
                [Via::Own] => Vec::new(),
                _ => accounts.clone(),
            };
        }
    }
}

/// `account ID` (or `account PROFILE`): LookupEvents in one more account, every region the
/// others read, over the same window: the role the session assumes elsewhere (`--role-name`)
/// for an ID, that profile's credentials for a name.
pub(super) fn add_account(
    app: &mut App,
    name: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    let name = name.trim();
    let Some(live) = app.live.as_mut() else {
        return Err(not_live(app));
    };
    let via = match crate::source::lookup::accounts::is_account_id(name) {
        true => Via::Role {
            account: name.to_string(),
            role: live.role.clone(),
        },
        false
            if name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@+".contains(c)) =>
        {
            Via::Profile(name.to_string())
        }
        false => {
            return Err(format!(
                "account {:?}? an account ID is 12 digits; anything else is a profile name",
                crate::model::sanitize::visible(name)
            ))
        }
    };
    let orders = live.add_account(via);
    let regions = app.key_for(Layer::Table, Command::FetchWindow);
    if orders.is_empty() {
        app.notice = Some(format!(
            "{name} is already fetched: {regions} shows its progress"
        ));
        return Ok(());
    }
    fetch(app, orders, effects, "");
    record_reach(app);
    app.notice = Some(format!(
        "fetching account {name} too, in every region, over the same window; {regions} shows each account's progress"
    ));
    Ok(())
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
    let only = match live.regions.as_slice() {
        [one] => Some(one.progress.region.clone()),
        _ => None,
    };
    let asked = plan.describe();
    let orders = live.refetch(plan);
    let started = !orders.is_empty();
    fetch(app, orders, effects, "no regions to fetch");
    // One region asked: a key also acts elsewhere, so an empty answer here is not the end.
    if let (Some(region), true) = (only, started) {
        app.notice = Some(format!(
            "fetching {} from {region} only: a key can act in other regions too, and IAM, STS and console sign-ins are logged in us-east-1; start with --regions all to ask every region",
            crate::model::sanitize::visible(&asked)
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
