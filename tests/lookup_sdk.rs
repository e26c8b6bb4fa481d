//! The real aws-sdk-cloudtrail client against the fake endpoint on loopback: paging, one
//! attribute sent, a region fan-out, throttling recovery, and expired credentials mid-fetch
//! that keep what was fetched and resume from the last page.

use std::collections::BTreeSet;
use std::sync::Arc;
use trailscope::filter::parse;
use trailscope::model::record::Record;
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;
use trailscope::source::lookup::client::with_endpoint;
use trailscope::source::lookup::pager::{fetch_region, PagerConfig};
use trailscope::source::lookup::plan::plan;
use trailscope::source::lookup::progress::{FetchState, RegionFetch};
use trailscope_fake::faults::parse_rule;
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::{FakeCloudTrail, RateLimit};

/// A fake far above AWS's limit, for tests whose subject is not throttling.
const UNHURRIED: RateLimit = RateLimit {
    per_second: 100.0,
    burst: 100.0,
};

/// A pager paced for `UNHURRIED`.
fn fast() -> PagerConfig {
    PagerConfig {
        rate: 50.0,
        backoff: std::time::Duration::from_millis(10),
        ..PagerConfig::default()
    }
}

fn t(s: &str) -> EventTime {
    EventTime::parse(s).unwrap_or(EventTime::UNKNOWN)
}

fn now() -> EventTime {
    t("2026-11-21T12:00:00Z")
}

/// The demo, loaded on its own thread (`load_blocking` must not run inside the runtime).
fn demo_store() -> Store {
    std::thread::spawn(|| load_blocking(demo::plan()).0)
        .join()
        .expect("the demo loads")
}

/// The fake on a free loopback port, with `limit`; returns its URL and state.
async fn start(limit: RateLimit) -> (String, Arc<Shared>) {
    let mut fake = FakeCloudTrail::from_store(&demo_store());
    fake.limit = limit;
    let shared = Shared::new(fake, now().millis());
    let (addr, listener) = bind(0).await.expect("bind loopback");
    tokio::spawn(serve(listener, shared.clone()));
    (format!("http://{addr}"), shared)
}

async fn fetch(
    url: &str,
    region: &str,
    filter: &str,
    config: &PagerConfig,
    resume: Option<String>,
) -> (Vec<Record>, RegionFetch) {
    let client = with_endpoint(url, region, "AKIDEXAMPLE", "secret");
    let p = plan(&parse(filter).expect("filter parses"), now());
    let mut records = Vec::new();
    let window = (t("2026-11-01T00:00:00Z"), now());
    let done = fetch_region(&client, region, &p, window, config, resume, |page, _, _| {
        records.extend(page);
        std::future::ready(())
    })
    .await;
    (records, done)
}

fn ids(records: &[Record]) -> BTreeSet<String> {
    records
        .iter()
        .filter_map(|r| r.event_id.as_deref().map(str::to_string))
        .collect()
}

fn ids_in(store: &Store, region: &str) -> BTreeSet<String> {
    store
        .time_order()
        .iter()
        .map(|&i| store.event(i))
        .filter(|e| store.text(e.region) == region)
        .filter(|e| trailscope_fake::served_by_lookup(store, e))
        .filter_map(|e| e.event_id.as_ref().map(ToString::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_through_forty_pages_and_sends_exactly_one_attribute() {
    let (url, shared) = start(UNHURRIED).await;
    let fast = fast();
    let (records, done) = fetch(&url, "eu-west-1", "", &fast, None).await;
    assert_eq!(done.state, FetchState::Done);
    assert!(done.pages >= 20, "{} pages", done.pages);
    assert_eq!(ids(&records), ids_in(&demo_store(), "eu-west-1"));
    assert_eq!(records.len(), ids(&records).len(), "no event twice");

    // Three pushable fields: exactly one attribute goes to AWS, the access key.
    let before = shared.fake.lock().map(|f| f.requests.len()).unwrap_or(0);
    let (records, done) = fetch(
        &url,
        "us-east-1",
        "event:CreateUser key:ASIAXATTACKSESSION01 readonly:false",
        &fast,
        None,
    )
    .await;
    assert_eq!(done.state, FetchState::Done);
    assert_eq!(
        records.len(),
        11,
        "every event of the key in the region (the rest of the filter runs locally)"
    );
    let fake = shared.fake.lock().expect("fake state");
    for (_, body) in &fake.requests[before..] {
        let attrs = body["LookupAttributes"]
            .as_array()
            .expect("attributes sent");
        assert_eq!(attrs.len(), 1, "{body}");
        assert_eq!(attrs[0]["AttributeKey"], "AccessKeyId");
        assert_eq!(attrs[0]["AttributeValue"], "ASIAXATTACKSESSION01");
        assert_eq!(body["MaxResults"], 50);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_fan_out_in_parallel() {
    let (url, _) = start(UNHURRIED).await;
    let fast = fast();
    let ((a, da), (b, db)) = tokio::join!(
        fetch(&url, "us-west-2", "", &fast, None),
        fetch(&url, "ap-southeast-2", "", &fast, None)
    );
    let store = demo_store();
    assert_eq!((da.state, db.state), (FetchState::Done, FetchState::Done));
    assert_eq!(ids(&a), ids_in(&store, "us-west-2"));
    assert_eq!(ids(&b), ids_in(&store, "ap-southeast-2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_with_backoff_and_loses_nothing() {
    // The fake enforces AWS's 2 requests/s; the pager is told 6/s, so it gets throttled.
    let (url, _) = start(RateLimit::default()).await;
    let eager = PagerConfig {
        rate: 6.0,
        ..PagerConfig::default()
    };
    let (records, done) = fetch(&url, "ap-southeast-2", "", &eager, None).await;
    assert_eq!(done.state, FetchState::Done, "{:?}", done.state);
    assert!(done.throttles > 0, "the test must provoke throttling");
    assert_eq!(ids(&records), ids_in(&demo_store(), "ap-southeast-2"));
    assert_eq!(records.len(), ids(&records).len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_credentials_mid_fetch_keep_events_and_resume_from_the_last_page() {
    let (url, shared) = start(UNHURRIED).await;
    if let Ok(mut f) = shared.fake.lock() {
        f.faults.add(parse_rule("8+=expired").expect("a fault"));
    }
    let fast = fast();
    let (first, done) = fetch(&url, "eu-west-1", "", &fast, None).await;
    let FetchState::Failed(why) = &done.state else {
        panic!("expected a failure, got {:?}", done.state);
    };
    assert!(
        why.contains("credentials expired") && why.contains("350 event(s) from eu-west-1 kept"),
        "{why}"
    );
    assert_eq!(
        (done.pages, first.len()),
        (7, 350),
        "seven pages fetched and kept"
    );
    let token = done.next_token.clone().expect("a token to resume from");
    // New credentials: resume from the last good page.
    if let Ok(mut f) = shared.fake.lock() {
        f.faults.clear();
    }
    let (rest, done) = fetch(&url, "eu-west-1", "", &fast, Some(token)).await;
    assert_eq!(done.state, FetchState::Done);
    let mut all = first;
    all.extend(rest);
    assert_eq!(
        all.len(),
        ids(&all).len(),
        "no duplicates across the resume"
    );
    assert_eq!(ids(&all), ids_in(&demo_store(), "eu-west-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_denied_and_an_unreachable_endpoint_are_explained() {
    let (url, shared) = start(UNHURRIED).await;
    if let Ok(mut f) = shared.fake.lock() {
        f.faults.add(parse_rule("1+=denied").expect("a fault"));
    }
    let fast = fast();
    let (_, done) = fetch(&url, "eu-west-1", "", &fast, None).await;
    let FetchState::Failed(why) = done.state else {
        panic!("expected a failure")
    };
    assert!(
        why.contains("not allowed to call cloudtrail:LookupEvents in eu-west-1"),
        "{why}"
    );
    // Nothing listens on this port: the SDK's "dispatch failure" is shown with its causes.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (_, done) = fetch(
        &format!("http://127.0.0.1:{closed}"),
        "eu-west-1",
        "",
        &fast,
        None,
    )
    .await;
    let FetchState::Failed(why) = done.state else {
        panic!("expected a failure")
    };
    assert!(
        why.starts_with("cannot reach CloudTrail in eu-west-1"),
        "{why}"
    );
    assert!(
        why.to_lowercase().contains("connect"),
        "the cause is shown: {why}"
    );
    assert!(why.contains("nothing fetched from eu-west-1 yet"), "{why}");
}
