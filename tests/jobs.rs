//! Every source is a job on the one pipeline (issue 19): for each — files, S3, LookupEvents,
//! CloudTrail Lake, Athena — a report from a job the app no longer listens to is dropped, and Esc
//! stops the running job while what it already sent stays.

use trailscope::app::boot::{Boot, Start};
use trailscope::app::effect::Effect;
use trailscope::app::fetch::LiveFetch;
use trailscope::app::key::Key;
use trailscope::app::lake::LakeSession;
use trailscope::app::msg::Msg;
use trailscope::app::{update, App};
use trailscope::job::{Ending, JobId, JobMsg, Progress, QueryProgress};
use trailscope::lake::sql::Window;
use trailscope::model::record::Record;
use trailscope::model::time::EventTime;
use trailscope::source::lookup::progress::{FetchState, RegionFetch};
use trailscope::source::{Progress as FilesProgress, RemoteProgress};

fn records(ids: &[&str]) -> Vec<Record> {
    let text: String = ids
        .iter()
        .map(|id| format!("{{\"eventVersion\":\"1.09\",\"eventName\":\"E{id}\",\"eventSource\":\"s\",\"eventID\":\"{id}\",\"eventTime\":\"2026-11-19T02:00:00Z\"}}\n"))
        .collect();
    let mut out = (Vec::new(), Vec::new());
    trailscope::model::parse::parse_text(&std::sync::Arc::from("t"), &text, &mut out);
    out.0
}

/// `:TEXT` typed on the command line, then Enter.
fn command(app: &mut App, text: &str) -> Vec<Effect> {
    update(app, Msg::Key(Key::parse(":").expect("key")));
    for c in text.chars() {
        update(app, Msg::Key(Key::parse(&c.to_string()).expect("key")));
    }
    update(app, Msg::Key(Key::parse("enter").expect("key")))
}

fn esc(app: &mut App) -> Vec<Effect> {
    update(app, Msg::Key(Key::parse("esc").expect("key")))
}

fn send(app: &mut App, job: JobId, msg: JobMsg) -> Vec<Effect> {
    update(app, Msg::Job(job, msg))
}

/// The jobs a set of effects starts, with what each is.
fn started(effects: &[Effect]) -> Vec<(JobId, &'static str)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Start { job, spec } => Some((*job, spec.kind())),
            _ => None,
        })
        .collect()
}

fn cancelled(effects: &[Effect]) -> Vec<JobId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Cancel(job) => Some(*job),
            _ => None,
        })
        .collect()
}

fn boot(start: Start) -> (App, Vec<Effect>) {
    App::boot(Boot::new(start, "t", 100, 30), |_| {})
}

fn files_progress(done: usize, s3: bool) -> JobMsg {
    JobMsg::Progress(Progress::Files(FilesProgress {
        files_done: done,
        files_total: 10,
        s3: s3.then(RemoteProgress::default),
        ..FilesProgress::default()
    }))
}

/// Files and S3 share the load job; Esc's words say which is stopping.
fn load_job_stops_on_esc(s3: bool) {
    let (mut app, effects) = boot(Start::Files(Default::default()));
    let [(job, "load")] = started(&effects)[..] else {
        panic!("one load job: {effects:?}");
    };
    send(&mut app, job, JobMsg::Records(records(&["a", "b"])));
    send(&mut app, job, files_progress(2, s3));
    // Stale: a job this app never started.
    send(&mut app, JobId(job.0 + 7), JobMsg::Records(records(&["x"])));
    assert_eq!(app.store.len(), 2, "a stale job's records are dropped");

    let effects = esc(&mut app);
    assert_eq!(cancelled(&effects), vec![job], "{effects:?}");
    let notice = app.notice.clone().unwrap_or_default();
    let words = if s3 {
        "stopping the S3 download"
    } else {
        "stopping the load"
    };
    assert!(notice.contains(words), "{notice}");
    // What was already on its way when Esc was pressed still arrives, and stays.
    send(&mut app, job, JobMsg::Records(records(&["c"])));
    assert!(app.load.loading, "loading until the job says it stopped");
    send(&mut app, job, JobMsg::Done(Ending::Stopped));
    assert!(!app.load.loading);
    assert_eq!(app.store.len(), 3, "what arrived stays");
    // After its end the job is forgotten: anything later is stale.
    send(&mut app, job, JobMsg::Records(records(&["late"])));
    assert_eq!(app.store.len(), 3);
}

#[test]
fn files_a_stale_job_is_dropped_and_esc_stops_the_load() {
    load_job_stops_on_esc(false);
}

#[test]
fn s3_a_stale_job_is_dropped_and_esc_stops_the_download() {
    load_job_stops_on_esc(true);
}

fn t(s: &str) -> EventTime {
    EventTime::parse(s).expect("time")
}

fn region_totals(region: &str, events: u64, state: FetchState) -> JobMsg {
    JobMsg::Progress(Progress::Region(RegionFetch {
        events,
        pages: 1,
        state,
        next_token: Some(format!("tok-{region}")),
        ..RegionFetch::idle(region)
    }))
}

#[test]
fn lookup_a_replaced_region_job_is_dropped_and_esc_stops_every_region() {
    let filter = trailscope::filter::parse("").expect("filter");
    let plan = trailscope::source::lookup::plan::plan(&filter, t("2026-11-21T12:00:00Z"));
    let regions = ["eu-west-1".to_string(), "us-east-1".to_string()];
    let window = (t("2026-11-20T12:00:00Z"), t("2026-11-21T12:00:00Z"));
    let (fetch, orders) = LiveFetch::new(plan, &regions, window, Some(50), 50);
    let (mut app, effects) = boot(Start::Lookup { fetch, orders });
    let jobs = started(&effects);
    assert_eq!(jobs.len(), 2, "one job per region: {effects:?}");
    assert!(jobs.iter().all(|(_, kind)| *kind == "lookup"));
    let (eu, us) = (jobs[0].0, jobs[1].0);

    send(&mut app, eu, JobMsg::Records(records(&["eu1", "eu2"])));
    send(
        &mut app,
        eu,
        region_totals("eu-west-1", 2, FetchState::Paused),
    );
    send(&mut app, us, JobMsg::Records(records(&["us1"])));
    send(
        &mut app,
        us,
        region_totals("us-east-1", 1, FetchState::Fetching),
    );
    send(&mut app, eu, JobMsg::Done(Ending::Finished));
    assert_eq!(app.store.len(), 3);
    assert!(app.load.loading, "us-east-1 still fetches");

    // `m` loads more: eu-west-1 gets a new job; the old one's late pages are stale.
    let more = update(&mut app, Msg::Key(Key::parse("m").expect("key")));
    let renewed = started(&more);
    assert!(
        renewed.iter().any(|&(j, _)| j != eu && j != us),
        "a new job: {more:?}"
    );
    send(&mut app, eu, JobMsg::Records(records(&["eu-late"])));
    assert_eq!(app.store.len(), 3, "the replaced job's page is dropped");

    // Esc stops every running region; pages already on their way are dropped (the token
    // resumes from the last page taken in), what arrived stays.
    let effects = esc(&mut app);
    let stopped = cancelled(&effects);
    assert!(!stopped.is_empty(), "{effects:?}");
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("fetch stopped")),
        "{:?}",
        app.notice
    );
    assert!(!app.load.loading);
    for job in stopped {
        send(&mut app, job, JobMsg::Records(records(&["after-esc"])));
    }
    assert_eq!(app.store.len(), 3, "what arrived stays, nothing after");
}

fn lake_app() -> (App, JobId) {
    let window = Window {
        start: t("2026-11-20T00:00:00Z"),
        end: t("2026-11-21T00:00:00Z"),
    };
    let session = LakeSession::new("7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a".into(), window, "");
    let sql = "SELECT sourceIPAddress AS ip, COUNT(*) AS events FROM x GROUP BY 1".to_string();
    let (app, effects) = boot(Start::Lake {
        session: Box::new(session),
        run_first: Some(sql),
    });
    match started(&effects)[..] {
        [(job, "lake query")] => (app, job),
        _ => panic!("one query job: {effects:?}"),
    }
}

fn rows(ips: &[&str]) -> JobMsg {
    JobMsg::Rows(
        ips.iter()
            .map(|ip| {
                vec![
                    ("ip".to_string(), ip.to_string()),
                    ("events".into(), "1".into()),
                ]
            })
            .collect(),
    )
}

fn result_rows(app: &App) -> usize {
    app.lake
        .as_ref()
        .and_then(|l| l.results.as_ref())
        .map_or(0, |r| r.table.rows.len())
}

#[test]
fn lake_a_replaced_query_is_dropped_and_esc_cancels_keeping_the_rows() {
    let (mut app, first) = lake_app();
    send(&mut app, first, rows(&["10.0.0.1", "10.0.0.2"]));
    assert_eq!(result_rows(&app), 2);

    // Esc (back in the table) cancels the query: CancelQuery is sent by the job; rows that
    // were on their way still count until it says it ended.
    update(&mut app, Msg::Key(Key::parse("esc").expect("key")));
    let effects = esc(&mut app);
    assert_eq!(cancelled(&effects), vec![first], "{effects:?}");
    send(&mut app, first, rows(&["10.0.0.3"]));
    let p = QueryProgress {
        status: "CANCELLED".into(),
        rows: 3,
        ..QueryProgress::default()
    };
    send(&mut app, first, JobMsg::Progress(Progress::Query(p)));
    send(&mut app, first, JobMsg::Done(Ending::Stopped));
    assert_eq!(result_rows(&app), 3, "every row that arrived stays");
    let notice = app.notice.clone().unwrap_or_default();
    assert!(notice.contains("cancelled"), "{notice}");

    // A second query replaces a running one: the first's late reports are stale.
    let (mut app, first) = lake_app();
    send(&mut app, first, rows(&["10.0.0.1"]));
    // The results table is open (aggregate rows): back to the table, open the editor, and
    // run another statement while the first still runs.
    update(&mut app, Msg::Key(Key::parse("esc").expect("key")));
    update(&mut app, Msg::Key(Key::parse("E").expect("key")));
    update(&mut app, Msg::Paste("SELECT 1 AS ip FROM x".into()));
    let again = update(&mut app, Msg::Key(Key::parse("f5").expect("key")));
    let renewed = started(&again);
    let [(second, "lake query")] = renewed[..] else {
        panic!("a second query job: {again:?}");
    };
    assert_eq!(
        cancelled(&again),
        vec![first],
        "the first is cancelled on Lake's side"
    );
    send(&mut app, first, rows(&["10.9.9.9", "10.9.9.8"]));
    send(&mut app, second, rows(&["10.0.0.5"]));
    assert_eq!(result_rows(&app), 1, "only the second query's rows");
}

/// `F` with one region asked (issue 21, item 6): the notice says the key may act elsewhere and
/// how to ask every region, so an empty answer is not read as "this key did nothing".
#[test]
fn lookup_fetching_a_view_from_one_region_says_where_else_to_look() {
    let filter = trailscope::filter::parse("").expect("filter");
    let plan = trailscope::source::lookup::plan::plan(&filter, t("2026-11-21T12:00:00Z"));
    let window = (t("2026-11-20T12:00:00Z"), t("2026-11-21T12:00:00Z"));
    let (fetch, orders) = LiveFetch::new(plan, &["eu-west-1".to_string()], window, Some(50), 50);
    let (mut app, effects) = boot(Start::Lookup { fetch, orders });
    let region = started(&effects)[0].0;
    send(&mut app, region, JobMsg::Records(records(&["eu1"])));
    send(&mut app, region, JobMsg::Done(Ending::Finished));
    for key in "/key:AKIAXLEAKED0EXAMPLE1".chars() {
        update(
            &mut app,
            Msg::Key(Key::parse(&key.to_string()).expect("key")),
        );
    }
    update(&mut app, Msg::Key(Key::parse("enter").expect("key")));
    let fetched = update(&mut app, Msg::Key(Key::parse("F").expect("key")));
    assert!(!started(&fetched).is_empty(), "{fetched:?}");
    let notice = app.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("from eu-west-1 only") && notice.contains("--regions all"),
        "{notice}"
    );
}

/// `region NAME` inside the app (issue 21, item 6): one more region over the same window, a
/// job of its own; a misspelt name gets the nearest real one, and a region already fetched
/// says so.
#[test]
fn lookup_a_region_is_added_from_the_command_line() {
    let filter = trailscope::filter::parse("").expect("filter");
    let plan = trailscope::source::lookup::plan::plan(&filter, t("2026-11-21T12:00:00Z"));
    let window = (t("2026-11-20T12:00:00Z"), t("2026-11-21T12:00:00Z"));
    let (fetch, orders) = LiveFetch::new(plan, &["eu-west-1".to_string()], window, Some(50), 50);
    let (mut app, _) = boot(Start::Lookup { fetch, orders });
    let effects = command(&mut app, "region eu-west-7");
    assert!(started(&effects).is_empty());
    // Refused on the command line itself, which stays open to fix the name.
    let error = app
        .prompt
        .as_ref()
        .and_then(|p| p.error.clone())
        .unwrap_or_default();
    assert!(error.contains("did you mean eu-west-1"), "{error}");
    update(&mut app, Msg::Key(Key::parse("esc").expect("key")));

    let effects = command(&mut app, "region us-west-2");
    assert_eq!(started(&effects).len(), 1, "{effects:?}");
    let live = app.live.as_ref().expect("live");
    let regions: Vec<&str> = live
        .regions
        .iter()
        .map(|r| r.progress.region.as_str())
        .collect();
    assert_eq!(regions, ["eu-west-1", "us-west-2"]);
    assert_eq!(live.regions[1].window, window, "the same window");
    assert!(app
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("fetching us-west-2 too")));

    let effects = command(&mut app, "region us-west-2");
    assert!(started(&effects).is_empty());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("already fetched")),
        "{:?}",
        app.notice
    );
}

/// `account ID` inside the app (issue 21, item 3): the account joins in every region the
/// session reads, one job per account × region, through the session's role; a region added
/// after it is fetched in every account.
#[test]
fn lookup_an_account_is_added_from_the_command_line() {
    use trailscope::source::lookup::accounts::Via;
    let filter = trailscope::filter::parse("").expect("filter");
    let plan = trailscope::source::lookup::plan::plan(&filter, t("2026-11-21T12:00:00Z"));
    let window = (t("2026-11-20T12:00:00Z"), t("2026-11-21T12:00:00Z"));
    let regions = ["eu-west-1".to_string(), "us-east-1".to_string()];
    let (fetch, orders) = LiveFetch::new(plan, &regions, window, Some(50), 50);
    let (mut app, _) = boot(Start::Lookup { fetch, orders });
    let effects = command(&mut app, "account 444455556666");
    assert_eq!(started(&effects).len(), 2, "{effects:?}");
    let lanes = |app: &App| -> Vec<(String, String)> {
        let live = app.live.as_ref().expect("live");
        live.regions
            .iter()
            .map(|r| (r.progress.account.clone(), r.progress.region.clone()))
            .collect()
    };
    let live = app.live.as_ref().expect("live");
    assert_eq!(
        live.regions[2].via,
        Via::Role {
            account: "444455556666".into(),
            role: "OrganizationAccountAccessRole".into()
        }
    );
    let effects = command(&mut app, "region us-west-2");
    assert_eq!(started(&effects).len(), 2, "us-west-2 in both accounts");
    let want: Vec<(String, String)> = [
        ("", "eu-west-1"),
        ("", "us-east-1"),
        ("444455556666", "eu-west-1"),
        ("444455556666", "us-east-1"),
        ("", "us-west-2"),
        ("444455556666", "us-west-2"),
    ]
    .iter()
    .map(|(a, r)| (a.to_string(), r.to_string()))
    .collect();
    assert_eq!(lanes(&app), want);
    let effects = command(&mut app, "account 444455556666");
    assert!(started(&effects).is_empty());
    assert!(app
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("already fetched")));
}

fn athena_app() -> (App, JobId) {
    use trailscope::app::lake::AthenaOn;
    use trailscope::athena::sql::{Partitioned, Table};
    let window = Window {
        start: t("2026-11-19T00:00:00Z"),
        end: t("2026-11-21T00:00:00Z"),
    };
    let on = AthenaOn {
        table: Table::new("trailscope", "cloudtrail").expect("a table"),
        partitioned: Partitioned::ByAccountRegionDay,
    };
    let session = LakeSession::athena(
        "trailscope.cloudtrail".into(),
        Some(on),
        "primary".into(),
        window,
        "",
    );
    let (app, effects) = boot(Start::Athena {
        session: Box::new(session),
        first_sql: Some("SELECT … FROM \"trailscope\".\"cloudtrail\" WHERE …".into()),
    });
    match started(&effects)[..] {
        [(job, "athena query")] => (app, job),
        _ => panic!("one query job: {effects:?}"),
    }
}

#[test]
fn athena_esc_stops_the_query_keeping_its_events_and_a_new_statement_replaces_the_last() {
    let (mut app, first) = athena_app();
    send(&mut app, first, JobMsg::Records(records(&["a1", "a2"])));
    assert_eq!(app.store.len(), 2);
    // Esc stops it (StopQueryExecution is the job's); what was on its way still joins.
    let effects = esc(&mut app);
    assert_eq!(cancelled(&effects), vec![first], "{effects:?}");
    send(&mut app, first, JobMsg::Records(records(&["a3"])));
    send(&mut app, first, JobMsg::Done(Ending::Stopped));
    assert_eq!(app.store.len(), 3, "every event that arrived stays");
    let notice = app.notice.clone().unwrap_or_default();
    assert!(notice.contains("stopped"), "{notice}");

    // Statements from the editor: a second replaces a running first, whose late events are
    // stale and dropped; the second's join.
    update(&mut app, Msg::Key(Key::parse("E").expect("key")));
    update(&mut app, Msg::Paste("SELECT 1".into()));
    let one = started(&update(&mut app, Msg::Key(Key::parse("f5").expect("key"))))[..]
        .first()
        .map(|(j, kind)| (*j, *kind));
    let Some((editor_first, "athena query")) = one else {
        panic!("an Athena statement from the editor: {one:?}");
    };
    update(&mut app, Msg::Key(Key::parse("E").expect("key")));
    let again = update(&mut app, Msg::Key(Key::parse("f5").expect("key")));
    let [(editor_second, "athena query")] = started(&again)[..] else {
        panic!("a second statement: {again:?}");
    };
    assert_eq!(
        cancelled(&again),
        vec![editor_first],
        "stopped on Athena's side"
    );
    send(&mut app, editor_first, JobMsg::Records(records(&["late"])));
    send(&mut app, editor_second, JobMsg::Records(records(&["b1"])));
    send(&mut app, editor_second, JobMsg::Done(Ending::Finished));
    assert_eq!(
        app.store.len(),
        4,
        "the second's event joined, the first's late one did not"
    );
}
