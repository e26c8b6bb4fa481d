//! The fake endpoint on loopback, paged through by AWS's own `aws` CLI (botocore): the CLI must
//! see exactly the events the fake holds, and run CloudTrail Lake queries against it through
//! every state (`trailscope-fake serve` and its flags). `.ci/run` installs the CLI into the
//! workspace's target/aws-venv.

mod common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use trailscope::model::time::EventTime;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::FakeCloudTrail;

/// Starts the fake on a free loopback port, serving the demo; returns its URL.
fn start_fake() -> String {
    let (store, _) = load_blocking(demo::plan());
    let now = EventTime::parse("2026-11-21T12:00:00Z").and_then(|t| t.millis());
    let shared = Shared::new(FakeCloudTrail::from_store(&store), now);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let (addr, listener) = bind(0).await.expect("bind loopback");
            tx.send(addr).expect("send address");
            serve(listener, shared).await;
        });
    });
    format!("http://{}", rx.recv().expect("the fake starts"))
}

fn run_cli(aws: &PathBuf, url: &str, region: &str, extra: &[&str]) -> Vec<Value> {
    let out = Command::new(aws)
        .args([
            "--endpoint-url",
            url,
            "--region",
            region,
            "--output",
            "json",
            "cloudtrail",
            "lookup-events",
        ])
        .args(extra)
        .envs(common::isolated_aws_env())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("run the aws CLI");
    assert!(
        out.status.success(),
        "aws: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("CLI prints JSON");
    v["Events"].as_array().cloned().unwrap_or_default()
}

#[test]
fn the_aws_cli_pages_through_exactly_what_the_fake_holds() {
    let Some(aws) = common::aws_cli() else {
        // CI installs the CLI (.ci/run); a developer without it is told, and CI fails.
        assert!(
            std::env::var_os("CI").is_none(),
            "the aws CLI is required in CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: no aws CLI (run .ci/run, or set AWS_CLI)");
        return;
    };
    let url = start_fake();
    let (store, _) = load_blocking(demo::plan());
    let ids_in = |region: &str, key: Option<&str>| -> BTreeSet<String> {
        store
            .time_order()
            .iter()
            .map(|&i| store.event(i))
            .filter(|e| store.text(e.region) == region)
            .filter(|e| trailscope_fake::served_by_lookup(&store, e))
            .filter(|e| key.is_none_or(|k| store.text(e.identity.access_key_id) == k))
            .filter_map(|e| e.event_id.as_ref().map(ToString::to_string))
            .collect()
    };
    // Every management event of a region (what LookupEvents returns), 7 pages at the fake's
    // 2 requests/s (the CLI retries throttles).
    let events = run_cli(&aws, &url, "ap-southeast-2", &[]);
    let got: BTreeSet<String> = events
        .iter()
        .filter_map(|e| e["EventId"].as_str().map(str::to_string))
        .collect();
    assert_eq!(events.len(), got.len(), "no event twice");
    assert_eq!(got, ids_in("ap-southeast-2", None));
    let times: Vec<f64> = events
        .iter()
        .filter_map(|e| e["EventTime"].as_f64())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // One lookup attribute: the attacker's role session's 11 management events in us-east-1
    // (assets/demo/STORY.md; its backdoor key's S3 calls are data events, never returned).
    let events = run_cli(
        &aws,
        &url,
        "us-east-1",
        &[
            "--lookup-attributes",
            "AttributeKey=AccessKeyId,AttributeValue=ASIAXATTACKSESSION01",
        ],
    );
    let got: BTreeSet<String> = events
        .iter()
        .filter_map(|e| e["EventId"].as_str().map(str::to_string))
        .collect();
    assert_eq!(got.len(), 11);
    assert_eq!(got, ids_in("us-east-1", Some("ASIAXATTACKSESSION01")));
}

/// `trailscope-fake serve --demo` with `flags`, stopped when dropped; its URL and the
/// line naming the Lake event data store.
struct Endpoint {
    child: std::process::Child,
    url: String,
    lake_line: String,
}

impl Endpoint {
    fn start(flags: &[&str]) -> Endpoint {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_trailscope-fake"))
            .args(["serve", "--demo", "--port", "0"])
            .args(flags)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the fake endpoint");
        let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let (mut first, mut second) = (String::new(), String::new());
        let _ = out.read_line(&mut first);
        let _ = out.read_line(&mut second);
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("the fake endpoint did not start: {first:?}"))
            .to_string();
        Endpoint {
            child,
            url,
            lake_line: second,
        }
    }

    /// `aws cloudtrail ARGS…` against this endpoint: its JSON output, or its error text.
    fn aws(&self, aws: &PathBuf, args: &[&str]) -> Result<Value, String> {
        let out = Command::new(aws)
            .args(["--endpoint-url", &self.url, "--region", "us-east-1"])
            .args(["--output", "json", "cloudtrail"])
            .args(args)
            .envs(common::isolated_aws_env())
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .expect("run the aws CLI");
        if out.status.success() {
            Ok(serde_json::from_slice(&out.stdout).expect("CLI prints JSON"))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The aws CLI through every Lake command, against `serve` and its --lake-* flags.
#[test]
fn the_aws_cli_runs_lake_queries_against_the_fake() {
    let Some(aws) = common::aws_cli() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the aws CLI is required in CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: no aws CLI (run .ci/run, or set AWS_CLI)");
        return;
    };
    let id = trailscope_fake::FAKE_EDS_ID;
    let fake = Endpoint::start(&["--lake-polls", "1"]);
    assert!(fake.lake_line.contains(id), "{:?}", fake.lake_line);
    let stores = fake.aws(&aws, &["list-event-data-stores"]).expect("listed");
    assert_eq!(stores["EventDataStores"][0]["Name"], "trailscope-fake");
    let store = fake
        .aws(&aws, &["get-event-data-store", "--event-data-store", id])
        .expect("described");
    assert_eq!(store["Status"], "ENABLED");
    assert_eq!(store["RetentionPeriod"], 2557);
    let sql = format!(
        "SELECT eventID, eventName FROM {id} \
         WHERE userIdentity.accessKeyId = 'AKIAXPERSIST0BACKUP1' ORDER BY eventTime DESC"
    );
    let started = fake
        .aws(&aws, &["start-query", "--query-statement", &sql])
        .expect("started");
    let query = started["QueryId"].as_str().expect("a query id").to_string();
    let states: Vec<Value> = (0..3)
        .map(|_| {
            let d = fake
                .aws(&aws, &["describe-query", "--query-id", &query])
                .expect("described");
            d["QueryStatus"].clone()
        })
        .collect();
    assert_eq!(states, ["QUEUED", "RUNNING", "FINISHED"]);
    // Pages of 50: the CLI hands back NextToken, which the next call sends.
    let mut rows = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut args = vec![
            "get-query-results",
            "--query-id",
            &query,
            "--max-query-results",
            "50",
        ];
        if let Some(t) = &token {
            args.extend(["--next-token", t.as_str()]);
        }
        let page = fake.aws(&aws, &args).expect("a page");
        assert_eq!(page["QueryStatus"], "FINISHED");
        rows.extend(
            page["QueryResultRows"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(
        rows.len(),
        83,
        "the backdoor key's events (assets/demo/STORY.md)"
    );
    assert!(rows
        .iter()
        .all(|r| r[0]["eventID"].is_string() && r[1]["eventName"].is_string()));
    let late = fake.aws(&aws, &["cancel-query", "--query-id", &query]);
    assert!(late
        .expect_err("finished")
        .contains("InactiveQueryException"));
    let second = fake
        .aws(&aws, &["start-query", "--query-statement", &sql])
        .expect("started");
    let second = second["QueryId"].as_str().expect("a query id");
    let cancelled = fake
        .aws(&aws, &["cancel-query", "--query-id", second])
        .expect("cancelled");
    assert_eq!(cancelled["QueryStatus"], "CANCELLED");
    let unknown = fake.aws(
        &aws,
        &[
            "start-query",
            "--query-statement",
            "SELECT * FROM 00000000-0000-4000-8000-000000000000",
        ],
    );
    assert!(unknown
        .expect_err("refused")
        .contains("EventDataStoreNotFoundException"));
    drop(fake);

    let closed = Endpoint::start(&["--lake-unavailable", "UnsupportedOperationException"]);
    let refused = closed.aws(&aws, &["list-event-data-stores"]);
    assert!(refused
        .expect_err("closed")
        .contains("UnsupportedOperationException"));
    let slow = Endpoint::start(&[
        "--lake-polls",
        "0",
        "--lake-timeout-rows",
        "5",
        "--lake-max-concurrent",
        "3",
    ]);
    let started = slow
        .aws(&aws, &["start-query", "--query-statement", &sql])
        .expect("started");
    let query = started["QueryId"].as_str().expect("a query id");
    let page = slow
        .aws(&aws, &["get-query-results", "--query-id", query])
        .expect("results");
    assert_eq!(page["QueryStatus"], "TIMED_OUT");
    assert_eq!(page["QueryResultRows"].as_array().map(Vec::len), Some(5));
}
