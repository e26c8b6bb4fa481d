//! Athena on the fake endpoint: every answer of every operation trailscope uses checked
//! against AWS's model (assets/api/athena-service-2.json), errors included, and the fake paged
//! through by AWS's own `aws` CLI, which speaks the REST form of the API (`.ci/run` installs
//! it into target/aws-venv).

mod common;
mod shapes;

use serde_json::{json, Value};
use shapes::checked;
use std::collections::BTreeSet;
use std::process::Command;
use trailscope::model::time::EventTime;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::FakeCloudTrail;

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/athena/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00";

fn model() -> Value {
    serde_json::from_str(include_str!("../../assets/api/athena-service-2.json")).expect("model")
}

fn demo_fake() -> FakeCloudTrail {
    let store = std::thread::spawn(|| load_blocking(demo::plan()).0)
        .join()
        .expect("the demo loads");
    FakeCloudTrail::from_store(&store)
}

/// Calls the fake and checks the answer against the model; returns the body.
fn call(f: &mut FakeCloudTrail, m: &Value, op: &str, body: Value) -> Value {
    let reply = f.handle(
        Some(&format!("AmazonAthena.{op}")),
        Some(AUTH),
        Some("20261121T120000Z"),
        body.to_string().as_bytes(),
        1_795_000_000_000,
        0,
    );
    checked(m, op, reply.status, &reply.body)
}

const EVENTS: &str = "SELECT eventid, json_format(CAST(useridentity AS JSON)) AS useridentity, \
     \"account\" FROM trailscope.cloudtrail WHERE \"timestamp\" BETWEEN '2026/11/01' AND '2026/11/30'";

#[test]
fn every_answer_of_every_operation_is_what_the_model_defines() {
    let m = model();
    let mut f = demo_fake();
    f.athena.polls_per_state = 1;
    let mut c = |op: &str, body: Value| call(&mut f, &m, op, body);
    c("ListWorkGroups", json!({}));
    c("GetWorkGroup", json!({ "WorkGroup": "primary" }));
    c("GetWorkGroup", json!({ "WorkGroup": "nosuch" }));
    c("ListDataCatalogs", json!({}));
    let dbs = c("ListDatabases", json!({ "CatalogName": "AwsDataCatalog" }));
    assert!(dbs["DatabaseList"].to_string().contains("trailscope"));
    let tables = c(
        "ListTableMetadata",
        json!({ "CatalogName": "AwsDataCatalog", "DatabaseName": "trailscope" }),
    );
    assert_eq!(
        tables["TableMetadataList"].as_array().map(Vec::len),
        Some(2)
    );
    let t = c(
        "GetTableMetadata",
        json!({ "CatalogName": "AwsDataCatalog", "DatabaseName": "trailscope", "TableName": "cloudtrail" }),
    );
    assert_eq!(
        t["TableMetadata"]["PartitionKeys"].as_array().map(Vec::len),
        Some(3)
    );
    c(
        "GetTableMetadata",
        json!({ "CatalogName": "AwsDataCatalog", "DatabaseName": "trailscope", "TableName": "nosuch" }),
    );
    c("ListDatabases", json!({ "CatalogName": "other" }));

    let started = c(
        "StartQueryExecution",
        json!({ "QueryString": EVENTS, "WorkGroup": "primary" }),
    );
    let id = started["QueryExecutionId"].clone();
    let mut states = Vec::new();
    for _ in 0..3 {
        let q = c("GetQueryExecution", json!({ "QueryExecutionId": id }));
        states.push(
            q["QueryExecution"]["Status"]["State"]
                .as_str()
                .unwrap_or("")
                .to_string(),
        );
        // Not readable before it succeeded: an InvalidRequestException the model declares.
        c("GetQueryResults", json!({ "QueryExecutionId": id }));
    }
    assert_eq!(states, ["QUEUED", "RUNNING", "SUCCEEDED"]);
    // How many rows the result holds, before reading any (how a client decides to UNLOAD).
    let stats = c(
        "GetQueryRuntimeStatistics",
        json!({ "QueryExecutionId": id }),
    );
    let output_rows = stats["QueryRuntimeStatistics"]["Rows"]["OutputRows"].as_u64();
    assert!(output_rows.is_some_and(|n| n > 100), "{stats}");
    let first = c(
        "GetQueryResults",
        json!({ "QueryExecutionId": id, "MaxResults": 100 }),
    );
    let rows = first["ResultSet"]["Rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rows.len(), 100);
    assert_eq!(
        rows[0]["Data"][0]["VarCharValue"], "eventid",
        "the header row first"
    );
    let second = c(
        "GetQueryResults",
        json!({ "QueryExecutionId": id, "MaxResults": 100, "NextToken": first["NextToken"] }),
    );
    assert_ne!(
        second["ResultSet"]["Rows"][0]["Data"][0]["VarCharValue"], "eventid",
        "once"
    );
    c(
        "GetQueryResults",
        json!({ "QueryExecutionId": id, "MaxResults": 1001 }),
    );
    c(
        "GetQueryResults",
        json!({ "QueryExecutionId": id, "NextToken": "bad" }),
    );
    c("StopQueryExecution", json!({ "QueryExecutionId": id }));
    c(
        "GetQueryExecution",
        json!({ "QueryExecutionId": "00000000-0000-4000-8000-000000000000" }),
    );

    let failed = c(
        "StartQueryExecution",
        json!({ "QueryString": "SELECT nope FROM trailscope.cloudtrail" }),
    );
    for _ in 0..3 {
        c(
            "GetQueryExecution",
            json!({ "QueryExecutionId": failed["QueryExecutionId"] }),
        );
    }
    let q = c(
        "GetQueryExecution",
        json!({ "QueryExecutionId": failed["QueryExecutionId"] }),
    );
    assert_eq!(q["QueryExecution"]["Status"]["State"], "FAILED");
    assert!(q["QueryExecution"]["Status"]["AthenaError"]["ErrorMessage"].is_string());

    let stopped = c("StartQueryExecution", json!({ "QueryString": EVENTS }));
    c(
        "StopQueryExecution",
        json!({ "QueryExecutionId": stopped["QueryExecutionId"] }),
    );
    let q = c(
        "GetQueryExecution",
        json!({ "QueryExecutionId": stopped["QueryExecutionId"] }),
    );
    assert_eq!(q["QueryExecution"]["Status"]["State"], "CANCELLED");

    c("StartQueryExecution", json!({}));
    f.athena.throttle_starts = 1;
    let mut c = |op: &str, body: Value| call(&mut f, &m, op, body);
    c("StartQueryExecution", json!({ "QueryString": EVENTS }));
}

#[test]
fn partitions_decide_what_is_scanned_and_the_projection_what_exists() {
    let m = model();
    let mut f = demo_fake();
    f.athena.polls_per_state = 0;
    // The bytes a statement scanned and the events it counted.
    let scanned = |f: &mut FakeCloudTrail, wh: &str| -> (i64, u64) {
        let sql = format!("SELECT count(*) AS n FROM trailscope.cloudtrail {wh}");
        let id = call(f, &m, "StartQueryExecution", json!({ "QueryString": sql }))
            ["QueryExecutionId"]
            .clone();
        let q = call(
            f,
            &m,
            "GetQueryExecution",
            json!({ "QueryExecutionId": id }),
        );
        let bytes = q["QueryExecution"]["Statistics"]["DataScannedInBytes"]
            .as_i64()
            .unwrap_or(-1);
        let page = call(f, &m, "GetQueryResults", json!({ "QueryExecutionId": id }));
        let n = page["ResultSet"]["Rows"][1]["Data"][0]["VarCharValue"]
            .as_str()
            .and_then(|n| n.parse().ok());
        (bytes, n.unwrap_or(0))
    };
    let (all, all_rows) = scanned(&mut f, "");
    let (day, day_rows) = scanned(&mut f, "WHERE \"timestamp\" = '2026/11/19'");
    let (pred, pred_rows) = scanned(
        &mut f,
        "WHERE useridentity.accesskeyid = 'AKIAXLEAKED0EXAMPLE1'",
    );
    assert!(all > 0 && day > 0 && day < all, "{day} of {all}");
    assert!(day_rows < all_rows);
    assert_eq!(
        pred, all,
        "a predicate on a column alone reads every partition"
    );
    assert!(pred_rows > 1 && pred_rows < all_rows);
    // A projection that starts after every event holds none: zero rows, not an error.
    if let trailscope_fake::athena::Partitioning::Projected { since, .. } =
        &mut f.athena.tables[0].partitioning
    {
        *since = "2027/01/01".to_string();
    }
    let (none, none_rows) = scanned(&mut f, "");
    assert_eq!((none, none_rows), (0, 0));
}

fn start_fake() -> String {
    let fake = demo_fake();
    let now = EventTime::parse("2026-11-21T12:00:00Z").and_then(|t| t.millis());
    let shared = Shared::new(fake, now);
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

#[test]
fn the_aws_cli_runs_a_query_and_pages_through_its_results() {
    let Some(aws) = common::aws_cli() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the aws CLI is required in CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: no aws CLI (run .ci/run, or set AWS_CLI)");
        return;
    };
    let url = start_fake();
    let cli = |args: &[&str]| -> Value {
        let out = Command::new(&aws)
            .args([
                "--endpoint-url",
                &url,
                "--region",
                "us-east-1",
                "--output",
                "json",
                "athena",
            ])
            .args(args)
            .envs(common::isolated_aws_env())
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .expect("run the aws CLI");
        assert!(
            out.status.success(),
            "aws {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the CLI prints JSON")
    };
    let tables = cli(&[
        "list-table-metadata",
        "--catalog-name",
        "AwsDataCatalog",
        "--database-name",
        "trailscope",
    ]);
    assert_eq!(tables["TableMetadataList"][0]["Name"], "cloudtrail");
    let wg = cli(&["get-work-group", "--work-group", "primary"]);
    assert!(wg["WorkGroup"]["Configuration"]["ResultConfiguration"]["OutputLocation"].is_string());
    let sql = "SELECT eventid FROM trailscope.cloudtrail WHERE \"timestamp\" BETWEEN '2026/11/01' AND '2026/11/30'";
    let id = cli(&[
        "start-query-execution",
        "--query-string",
        sql,
        "--work-group",
        "primary",
    ])["QueryExecutionId"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut state = String::new();
    for _ in 0..10 {
        let q = cli(&["get-query-execution", "--query-execution-id", &id]);
        state = q["QueryExecution"]["Status"]["State"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if state == "SUCCEEDED" {
            break;
        }
    }
    assert_eq!(state, "SUCCEEDED");
    // The CLI follows NextToken itself: pages of 50, merged.
    let results = cli(&[
        "get-query-results",
        "--query-execution-id",
        &id,
        "--page-size",
        "50",
    ]);
    let rows = results["ResultSet"]["Rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let got: Vec<String> = rows
        .iter()
        .filter_map(|r| r["Data"][0]["VarCharValue"].as_str().map(str::to_string))
        .collect();
    assert_eq!(got[0], "eventid");
    let ids: BTreeSet<&String> = got[1..].iter().collect();
    assert_eq!(ids.len(), got.len() - 1, "no row twice");
    let store = std::thread::spawn(|| load_blocking(demo::plan()).0)
        .join()
        .expect("demo");
    let want: BTreeSet<String> = store
        .time_order()
        .iter()
        .filter_map(|&i| store.event(i).event_id.as_ref().map(ToString::to_string))
        .collect();
    assert_eq!(ids.into_iter().cloned().collect::<BTreeSet<_>>(), want);
}

#[test]
fn in_the_background_a_statement_runs_while_start_has_answered() {
    let m = model();
    let mut f = demo_fake();
    f.athena.polls_per_state = 0;
    f.athena.background = true;
    let id = call(
        &mut f,
        &m,
        "StartQueryExecution",
        json!({ "QueryString": EVENTS }),
    )["QueryExecutionId"]
        .clone();
    let mut state = String::new();
    for _ in 0..500 {
        let q = call(
            &mut f,
            &m,
            "GetQueryExecution",
            json!({ "QueryExecutionId": id }),
        );
        state = q["QueryExecution"]["Status"]["State"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if state != "RUNNING" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(state, "SUCCEEDED");
    let page = call(
        &mut f,
        &m,
        "GetQueryResults",
        json!({ "QueryExecutionId": id }),
    );
    assert_eq!(
        page["ResultSet"]["Rows"].as_array().map(Vec::len),
        Some(1000)
    );
}
