//! CloudTrail Lake through the real SDK against the fake endpoint serving the demo incident:
//! every playbook template runs; a pivot pushed down as SQL selects exactly the events the
//! same pivot selects locally; cancel, a timeout with partial results and the concurrency
//! limit end as specified, with what was read kept.

mod common;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use trailscope::filter::{parse, Compiled};
use trailscope::job::{Ending, QueryProgress};
use trailscope::lake::client::{run_query, Polling, Report};
use trailscope::lake::pushdown::condition;
use trailscope::lake::rows::{are_events, records, Row, Table};
use trailscope::lake::sql::{events_query, Window};
use trailscope::lake::templates::{Param, TEMPLATES};
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope::source::lookup::client::with_endpoint;
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::{FakeCloudTrail, FAKE_EDS_ID};

fn t(s: &str) -> EventTime {
    EventTime::parse(s).unwrap_or(EventTime::UNKNOWN)
}

use common::demo_store;

/// Wide enough for every demo event.
fn window() -> Window {
    Window {
        start: t("2026-01-01T00:00:00Z"),
        end: t("2027-01-01T00:00:00Z"),
    }
}

fn quick() -> Polling {
    Polling {
        first: Duration::from_millis(5),
        max: Duration::from_millis(20),
        max_retries: 3,
    }
}

struct Fake {
    client: aws_sdk_cloudtrail::Client,
    shared: Arc<Shared>,
}

async fn fake(setup: impl FnOnce(&mut FakeCloudTrail)) -> Fake {
    let mut fake = FakeCloudTrail::from_store(demo_store());
    setup(&mut fake);
    let shared = Shared::new(fake, t("2026-11-21T12:00:00Z").millis());
    let (addr, listener) = bind(0).await.expect("bind loopback");
    tokio::spawn(serve(listener, shared.clone()));
    let client = with_endpoint(&format!("http://{addr}"), "us-east-1", "AKIDTEST", "secret");
    Fake { client, shared }
}

/// Runs `sql` to its end: every row, the last progress, how it ended.
async fn run(
    f: &Fake,
    sql: &str,
    cancel: watch::Receiver<bool>,
) -> (Vec<Row>, QueryProgress, Ending) {
    let mut rows = Vec::new();
    let mut end = None;
    run_query(&f.client, "us-east-1", sql, quick(), cancel, |r| {
        match r {
            Report::Rows(mut more) => rows.append(&mut more),
            Report::Done(p, e) => end = Some((p, e)),
            Report::Progress(_) => {}
        }
        std::future::ready(())
    })
    .await;
    let (p, e) = end.expect("the query reports its end");
    (rows, p, e)
}

fn never() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    std::mem::forget(tx);
    rx
}

/// A value for each parameter from the demo: the leaked key, its IP, the role it used.
fn demo_param(p: Param) -> Option<String> {
    let store = demo_store();
    let first = |f: &dyn Fn(usize) -> Option<String>| (0..store.len()).find_map(f);
    first(&|i| {
        let e = store.event(store.time_order()[i]);
        let s = match p {
            Param::Key | Param::Chain => store.text(e.identity.access_key_id),
            Param::Ip => store.text(e.source_ip),
            Param::Role => store.text(e.identity.issuer_arn),
            Param::Arn => store.text(e.identity.arn),
        };
        (!s.is_empty() && (p != Param::Ip || s.contains('.'))).then(|| s.to_string())
    })
}

/// The demo incident's own values: the leaked key, the attacker's IP and session, the role
/// it took in the other account, the backdoor key that read S3, a user denied.
fn incident_param(template: &str, p: Param) -> Option<String> {
    Some(
        match (template, p) {
            ("keys-created", Param::Key) => "ASIAXATTACKSESSION01",
            ("s3-objects", Param::Key) => "AKIAXPERSIST0BACKUP1",
            (_, Param::Key | Param::Chain) => "AKIAXLEAKED0EXAMPLE1",
            (_, Param::Ip) => "198.51.100.77",
            (_, Param::Role) => "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole",
            (_, Param::Arn) => "arn:aws:iam::111122223333:user/ci-deploy",
        }
        .to_string(),
    )
}

fn ids_of(store: &Store) -> BTreeSet<String> {
    store
        .time_order()
        .iter()
        .filter_map(|&i| store.event(i).event_id.as_ref().map(ToString::to_string))
        .collect()
}

#[tokio::test]
async fn every_template_runs_and_answers_in_its_shape() {
    let f = fake(|_| {}).await;
    let mut nonempty = 0;
    for template in TEMPLATES {
        let sql = template
            .render(FAKE_EDS_ID, window(), |p| incident_param(template.name, p))
            .unwrap_or_else(|e| panic!("{}: {e}", template.name));
        let (rows, p, ending) = run(&f, &sql, never()).await;
        assert_eq!(ending, Ending::Finished, "{}: {sql}", template.name);
        assert_eq!(p.rows as usize, rows.len(), "{}", template.name);
        assert!(p.bytes_scanned > 0, "{}: nothing scanned", template.name);
        let events = matches!(template.body, trailscope::lake::templates::Body::Events(_));
        if let Some(first) = rows.first() {
            nonempty += 1;
            assert_eq!(
                are_events(first),
                events,
                "{}: rows {first:?}",
                template.name
            );
            if events {
                let (recs, warnings) = records(FAKE_EDS_ID, &rows);
                assert_eq!(recs.len(), rows.len(), "{}: {warnings:?}", template.name);
            } else {
                let mut table = Table::default();
                table.extend(&rows);
                assert!(!table.columns.is_empty());
            }
        }
    }
    // The demo incident has every step but Identity Center: nine playbooks find something.
    assert!(
        nonempty >= 9,
        "only {nonempty} templates found events in the demo"
    );
}

#[tokio::test]
async fn a_pivot_pushed_down_selects_what_the_local_pivot_selects() {
    let f = fake(|_| {}).await;
    let mut terms = Vec::new();
    for p in [Param::Key, Param::Ip, Param::Role, Param::Arn] {
        let value = demo_param(p).expect("the demo has a value");
        let field = match p {
            Param::Key | Param::Chain => "key",
            Param::Ip => "ip",
            Param::Role => "role",
            Param::Arn => "principal",
        };
        terms.push(format!(
            "{field}:={}",
            trailscope::filter::facet::quote(&value)
        ));
    }
    terms.extend(
        [
            "key:=AKIAXLEAKED0EXAMPLE1",
            "ip:=198.51.100.77",
            "key:=ASIAXATTACKSESSION01",
            "event:=AssumeRole",
            "error:=AccessDenied",
            "account:=111122223333",
        ]
        .map(String::from),
    );
    for term in terms {
        let (lake, local, sql) = pushed_and_local(&f, &term).await;
        assert!(
            !local.is_empty() || term.starts_with("account"),
            "{term} selects nothing locally"
        );
        assert_eq!(lake, local, "{term}: {sql}");
    }
}

/// The event ids `term` selects pushed down to Lake and among the demo's loaded events (with
/// the SQL sent); the events Lake returned are checked to pivot the same way again.
async fn pushed_and_local(f: &Fake, term: &str) -> (BTreeSet<String>, BTreeSet<String>, String) {
    let store = demo_store();
    let expr = parse(term).expect("a pivot term parses");
    let sql = events_query(
        FAKE_EDS_ID,
        window(),
        Some(&condition(&expr).expect("pushed down")),
    );
    let (rows, _, ending) = run(f, &sql, never()).await;
    assert_eq!(ending, Ending::Finished, "{term}");
    let (recs, _) = records(FAKE_EDS_ID, &rows);
    let mut lake = Store::default();
    lake.insert_batch(recs);
    let local = Compiled::new(&expr, store, t("2026-11-21T12:00:00Z"));
    let local: BTreeSet<String> = local
        .select(store, None)
        .iter()
        .filter_map(|&i| store.event(i).event_id.as_ref().map(ToString::to_string))
        .collect();
    // The rebuilt events pivot the same way again.
    let again = Compiled::new(&expr, &lake, t("2026-11-21T12:00:00Z"));
    assert_eq!(
        again.select(&lake, None).len(),
        lake.len(),
        "{term} on Lake's events"
    );
    (ids_of(&lake), local, sql)
}

/// SQL's NOT of NULL drops a row: `NOT (errorCode = 'AccessDenied')` would lose every
/// successful call, which the local `-error:=AccessDenied` keeps. Negations, alone and under
/// AND and OR, select the same events pushed down as locally, events without the column
/// included.
#[tokio::test]
async fn a_negated_pivot_pushed_down_keeps_the_events_without_the_column() {
    let f = fake(|_| {}).await;
    let store = demo_store();
    let no_error: BTreeSet<String> = store
        .time_order()
        .iter()
        .map(|&i| store.event(i))
        .filter(|e| store.text(e.error_code).is_empty())
        .filter_map(|e| e.event_id.as_ref().map(ToString::to_string))
        .collect();
    let no_key: BTreeSet<String> = store
        .time_order()
        .iter()
        .map(|&i| store.event(i))
        .filter(|e| store.text(e.identity.access_key_id).is_empty())
        .filter_map(|e| e.event_id.as_ref().map(ToString::to_string))
        .collect();
    assert!(
        !no_error.is_empty() && !no_key.is_empty(),
        "the demo has both"
    );
    for term in [
        "-error:=AccessDenied",
        "-key:=AKIAXLEAKED0EXAMPLE1",
        "-ip:=198.51.100.77",
        "-account:=111122223333",
        "-error:=AccessDenied -key:=AKIAXLEAKED0EXAMPLE1",
        "-(error:=AccessDenied | key:=AKIAXLEAKED0EXAMPLE1)",
        "error:=AccessDenied | -key:=AKIAXLEAKED0EXAMPLE1",
        "-(error:=AccessDenied -ip:=198.51.100.77)",
    ] {
        let (lake, local, sql) = pushed_and_local(&f, term).await;
        assert!(!local.is_empty(), "{term} selects nothing locally");
        assert_eq!(lake, local, "{term}: {sql}");
    }
    let (lake, _, _) = pushed_and_local(&f, "-error:=AccessDenied").await;
    assert!(no_error.is_subset(&lake), "successful calls are kept");
    let (lake, _, _) = pushed_and_local(&f, "-key:=AKIAXLEAKED0EXAMPLE1").await;
    assert!(no_key.is_subset(&lake), "calls without a key are kept");
}

#[tokio::test]
async fn cancel_sends_cancel_query_and_keeps_nothing_running() {
    let f = fake(|fake| fake.lake.polls_per_state = 1000).await;
    let (tx, rx) = watch::channel(false);
    let sql = events_query(FAKE_EDS_ID, window(), None);
    let cancel_later = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let _ = tx.send(true);
    };
    let ((rows, p, ending), ()) = tokio::join!(run(&f, &sql, rx), cancel_later);
    assert_eq!(ending, Ending::Stopped);
    assert!(rows.is_empty());
    assert_eq!(p.status, "CANCELLED");
    let calls = f
        .shared
        .fake
        .lock()
        .map(|f| f.lake.calls.clone())
        .unwrap_or_default();
    let cancels: Vec<_> = calls.iter().filter(|(op, _)| op == "CancelQuery").collect();
    assert_eq!(cancels.len(), 1, "{calls:?}");
    assert_eq!(cancels[0].1["QueryId"], p.query_id.as_str());
}

#[tokio::test]
async fn a_timed_out_query_keeps_its_partial_results() {
    let f = fake(|fake| fake.lake.time_out_after_rows = Some(7)).await;
    let sql = events_query(FAKE_EDS_ID, window(), None);
    let (rows, _, ending) = run(&f, &sql, never()).await;
    assert!(matches!(ending, Ending::TimedOut(_)), "{ending:?}");
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(are_events));
}

#[tokio::test]
async fn the_concurrency_limit_says_to_wait_or_cancel() {
    let f = fake(|fake| {
        fake.lake.polls_per_state = 1000;
        fake.lake.max_concurrent = 2;
    })
    .await;
    let sql = events_query(FAKE_EDS_ID, window(), None);
    let (tx, rx) = watch::channel(false);
    let busy = async {
        let a = run(&f, &sql, rx.clone());
        let b = run(&f, &sql, rx.clone());
        let third = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let r = run(&f, &sql, never()).await;
            let _ = tx.send(true);
            r
        };
        tokio::join!(a, b, third)
    };
    let (a, b, (rows, _, ending)) = busy.await;
    match ending {
        Ending::Failed(why) => {
            assert!(why.contains("most queries it allows"), "{why}");
            assert!(why.contains("cancel"), "{why}");
        }
        other => panic!("the third query: {other:?}"),
    }
    assert!(rows.is_empty());
    // The first two were cancelled, not left running.
    assert_eq!((a.2, b.2), (Ending::Stopped, Ending::Stopped));
}

#[tokio::test]
async fn bad_sql_and_an_unknown_store_are_explained() {
    let f = fake(|_| {}).await;
    let (_, _, ending) = run(&f, "SELEC nonsense", never()).await;
    match ending {
        Ending::Failed(why) => assert!(why.contains("refused the SQL"), "{why}"),
        other => panic!("{other:?}"),
    }
    let sql = events_query("0000aaaa-0000-4000-8000-000000000000", window(), None);
    match run(&f, &sql, never()).await.2 {
        Ending::Failed(why) => assert!(why.contains("no such event data store"), "{why}"),
        other => panic!("{other:?}"),
    }
    let f = fake(|fake| fake.lake.unavailable = Some("UnsupportedOperationException".into())).await;
    match run(&f, &events_query(FAKE_EDS_ID, window(), None), never())
        .await
        .2
    {
        Ending::Failed(why) => assert!(why.contains("not available to this account"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn stores_are_listed_with_their_details() {
    let f = fake(|_| {}).await;
    let stores = trailscope::lake::client::list_stores(&f.client, "us-east-1")
        .await
        .expect("the stores");
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0].id, FAKE_EDS_ID);
    assert_eq!(stores[0].status, "ENABLED");
    assert_eq!(stores[0].multi_region, Some(true));
    assert!(stores[0].retention_days.is_some());
}
