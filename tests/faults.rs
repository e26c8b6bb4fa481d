//! Faults injected by the fake endpoint, met by the real SDK and the pager: throttling storms,
//! 500 and 503, a connection cut mid-answer, a stall past the timeout, a garbled body, and
//! credentials that expire on page 7 of 20. For each: no panic, the events already fetched
//! stay, the progress says what happened, and a resume continues from the last good page
//! without duplicates.

mod common;
use aws_config::timeout::TimeoutConfig;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use trailscope::filter::parse;
use trailscope::model::record::Record;
use trailscope::model::time::EventTime;
use trailscope::source::lookup::client::with_endpoint_and_timeouts;
use trailscope::source::lookup::pager::{fetch_region, PagerConfig};
use trailscope::source::lookup::plan::plan;
use trailscope::source::lookup::progress::{FetchState, RegionFetch};
use trailscope_fake::faults::parse_rule;
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::{FakeCloudTrail, RateLimit};

const REGION: &str = "eu-west-1";

fn t(s: &str) -> EventTime {
    EventTime::parse(s).unwrap_or(EventTime::UNKNOWN)
}

use common::demo_store;

fn expected_ids() -> BTreeSet<String> {
    let store = demo_store();
    store
        .time_order()
        .iter()
        .map(|&i| store.event(i))
        .filter(|e| store.text(e.region) == REGION)
        .filter(|e| trailscope_fake::served_by_lookup(store, e))
        .filter_map(|e| e.event_id.as_ref().map(ToString::to_string))
        .collect()
}

/// Quick retries, so a test meets many faults in little time.
fn pager() -> PagerConfig {
    PagerConfig {
        rate: 100.0,
        backoff: Duration::from_millis(10),
        max_retries: 3,
        ..PagerConfig::default()
    }
}

struct Fake {
    url: String,
    shared: Arc<Shared>,
}

impl Fake {
    async fn start(faults: &[&str]) -> Fake {
        let mut fake = FakeCloudTrail::from_store(demo_store());
        fake.limit = RateLimit {
            per_second: 1000.0,
            burst: 1000.0,
        };
        for spec in faults {
            fake.faults.add(parse_rule(spec).expect("a valid fault"));
        }
        let shared = Shared::new(fake, t("2026-11-21T12:00:00Z").millis());
        let (addr, listener) = bind(0).await.expect("bind loopback");
        tokio::spawn(serve(listener, shared.clone()));
        Fake {
            url: format!("http://{addr}"),
            shared,
        }
    }

    /// The network is back: no more faults.
    fn heal(&self) {
        if let Ok(mut f) = self.shared.fake.lock() {
            f.faults.clear();
        }
    }

    fn calls(&self) -> usize {
        self.shared.fake.lock().map_or(0, |f| f.faults.calls())
    }

    /// Fetches the region (from `resume`), recording every progress report.
    async fn fetch(&self, resume: Option<String>) -> (Vec<Record>, RegionFetch, Vec<RegionFetch>) {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(2))
            .operation_attempt_timeout(Duration::from_millis(800))
            .operation_timeout(Duration::from_secs(30))
            .build();
        let client =
            with_endpoint_and_timeouts(&self.url, REGION, "AKIDEXAMPLE", "secret", timeouts);
        let p = plan(&parse("").expect("filter"), t("2026-11-21T12:00:00Z"));
        let window = (t("2026-11-01T00:00:00Z"), t("2026-11-21T12:00:00Z"));
        let mut records = Vec::new();
        let mut reports = Vec::new();
        let done = fetch_region(
            &client,
            REGION,
            &p,
            window,
            &pager(),
            resume,
            |page, _, p| {
                records.extend(page);
                reports.push(p.clone());
                std::future::ready(())
            },
        )
        .await;
        (records, done, reports)
    }
}

fn ids(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| r.event_id.as_deref().map(str::to_string))
        .collect()
}

/// Every event of the region exactly once.
fn assert_complete(records: &[Record]) {
    let got = ids(records);
    let unique: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(got.len(), unique.len(), "no event twice");
    assert_eq!(unique, expected_ids(), "every event of {REGION}");
}

/// A fault the pager rides out: the fetch completes, and the progress said what it met.
async fn ridden_out(faults: &[&str], retries: u32, problem: &str) -> RegionFetch {
    let fake = Fake::start(faults).await;
    let (records, done, reports) = fake.fetch(None).await;
    assert_eq!(done.state, FetchState::Done, "{faults:?}: {:?}", done.state);
    assert_complete(&records);
    assert_eq!(done.retries, retries, "{faults:?}");
    let said = reports
        .iter()
        .filter_map(|r| r.last_problem.as_deref())
        .find(|p| p.contains(problem));
    assert!(
        said.is_some_and(|p| p.contains("retrying")),
        "{faults:?}: no report said {problem:?}: {:?}",
        reports.iter().map(|r| &r.last_problem).collect::<Vec<_>>()
    );
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttling_storm_is_waited_out() {
    let fake = Fake::start(&["3-7=throttle"]).await;
    let (records, done, _) = fake.fetch(None).await;
    assert_eq!(done.state, FetchState::Done);
    assert_eq!((done.throttles, done.retries), (5, 0));
    assert_complete(&records);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_errors_and_unavailability_are_retried() {
    ridden_out(
        &["4=500", "5-6=503"],
        3,
        "CloudTrail answered 503 ServiceUnavailable",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_reset_mid_body_is_retried() {
    ridden_out(
        &["6=reset"],
        1,
        "connection closed before message completed",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stall_past_the_timeout_is_retried() {
    ridden_out(&["5=stall:3"], 1, "no answer within the timeout").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_body_is_retried() {
    ridden_out(&["3=malformed"], 1, "cut off or unreadable").await;
}

/// Faults that outlast the retries: the region stops with what it has and says why; once the
/// network heals, a resume from the token reads the rest, nothing twice.
async fn stops_then_resumes(faults: &[&str], pages_kept: u32, why: &str) {
    let fake = Fake::start(faults).await;
    let (first, done, _) = fake.fetch(None).await;
    let FetchState::Failed(said) = &done.state else {
        panic!("{faults:?}: expected a failure, got {:?}", done.state);
    };
    assert!(said.contains(why), "{said}");
    let kept = format!("{} event(s) from {REGION} kept", first.len());
    assert!(said.contains(&kept), "{said}");
    assert_eq!(done.pages, pages_kept, "{said}");
    assert_eq!(first.len(), 50 * pages_kept as usize, "{said}");
    let token = done.next_token.clone().expect("a token to resume from");

    fake.heal();
    let calls_before = fake.calls();
    let (rest, done, _) = fake.fetch(Some(token)).await;
    assert_eq!(done.state, FetchState::Done);
    let mut all = first;
    all.extend(rest);
    assert_complete(&all);
    assert!(
        done.pages + pages_kept >= 20,
        "the region has 20 pages or more: {} + {pages_kept}",
        done.pages
    );
    assert_eq!(
        fake.calls() - calls_before,
        done.pages as usize,
        "no page fetched twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_expiring_on_page_seven_of_twenty_keep_six_pages_and_resume() {
    stops_then_resumes(&["7+=expired"], 6, "credentials expired").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_throttling_storm_stops_and_resumes() {
    stops_then_resumes(&["3+=throttle"], 2, "throttled 8 times in a row").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_outlasting_the_retries_stops_and_resumes() {
    stops_then_resumes(
        &["5+=503"],
        4,
        "503 ServiceUnavailable; gave up after 4 tries",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_keeps_dropping_stops_and_resumes() {
    stops_then_resumes(
        &["9+=reset"],
        8,
        "connection closed before message completed; gave up after 4 tries",
    )
    .await;
}
