//! A second, third-party check of the Athena flow: `trailscope query --athena … --scan-all`
//! through the real binary and the real `aws-sdk-athena`, against MiniStack (PyPI
//! `ministack`, an AWS emulator whose Athena runs the SQL on DuckDB over the objects of its
//! own S3), on a partitionless table over JSON lines of the demo's records. Every record
//! uploaded comes back, once, with the file's fields; a narrower window is cut by the SQL
//! itself (counted in MiniStack's own results, not in trailscope's output).
//!
//! MiniStack is found as `$TRAILSCOPE_MINISTACK` (its `ministack` executable) or in
//! target/ministack-venv (.ci/run installs it there, with `duckdb`); without it the test is
//! skipped outside CI and fails under CI.
//!
//! Where MiniStack is not Athena, and what this test does about it:
//! - DuckDB has neither `from_iso8601_timestamp` nor `json_format`, two Trino functions
//!   trailscope's statement calls: MiniStack fails the query with DuckDB's Catalog Error. The
//!   test gives MiniStack's DuckDB connections the two as macros (`SHIM`, a sitecustomize.py
//!   on MiniStack's PYTHONPATH only), with Trino's meaning for these inputs.
//! - MiniStack reads a JSON table with DuckDB's `read_json_auto` and ignores the declared
//!   columns: a declared column that no record holds is an unknown column (Binder Error),
//!   where Athena's JsonSerDe gives NULL. One uploaded record is given the four members the
//!   demo never has (apiVersion, serviceEventDetails, addendum, edgeDeviceDetails).
//! - Types are inferred from the data, not the table's STRINGs: `eventTime` (and
//!   `sessionContext.attributes.creationDate`) come back as DuckDB timestamps in Python's
//!   text (`2026-11-17 00:05:41+00:00`), so they are compared as instants; the JSON-text
//!   columns (requestParameters, responseElements, …) are STRUCTs or MAPs whose datum is a
//!   Python repr, not JSON, so only their presence is compared.
//! - Names keep the JSON's case (`eventID`, `resources[].ARN`) where Athena's are lowercase;
//!   `resources` is compared with its member names folded.

mod common;
#[path = "common/moto.rs"]
mod moto;

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use trailscope::athena::table::COLUMNS;
use trailscope::model::time::EventTime;

/// Demo records uploaded: more than one GetQueryResults page of 1,000 rows.
const RECORDS: usize = 2500;
const BUCKET: &str = "trail";
const PREFIX: &str = "AWSLogs/jsonl/";
const TABLE: &str = "trailscope.cloudtrail_jsonl";

/// Every wait below is bounded by this, generously: the machine may be busy.
const PATIENCE: Duration = Duration::from_secs(300);

/// MiniStack's DuckDB connections get the Trino functions trailscope's SQL calls that DuckDB
/// lacks (and only those it lacks, should a later DuckDB bring them).
const SHIM: &str = r#"# trailscope's tests (tests/athena_ministack.rs): Trino functions DuckDB lacks.
import duckdb

_connect = duckdb.connect

def _with_trino_functions(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    have = {row[0] for row in conn.execute("SELECT function_name FROM duckdb_functions()").fetchall()}
    if "from_iso8601_timestamp" not in have:
        conn.execute("CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)")
    if "json_format" not in have:
        conn.execute("CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)")
    return conn

duckdb.connect = _with_trino_functions
"#;

/// `ministack`: $TRAILSCOPE_MINISTACK, or the venv .ci/run makes.
fn ministack_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TRAILSCOPE_MINISTACK").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ministack-venv/bin/ministack");
    venv.exists().then_some(venv)
}

struct MiniStack {
    child: Child,
    port: u16,
    url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl MiniStack {
    /// MiniStack on a free loopback port, its files in a temporary folder; `None` (skip) when
    /// it is not installed outside CI.
    fn start() -> Option<MiniStack> {
        let Some(bin) = ministack_bin() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "MiniStack is required in CI (.ci/run installs it into target/ministack-venv)"
            );
            eprintln!("SKIPPED: no MiniStack (run .ci/run, or: python3 -m venv target/ministack-venv && target/ministack-venv/bin/pip install ministack duckdb; or set TRAILSCOPE_MINISTACK)");
            return None;
        };
        let dir = tempfile::tempdir().expect("a temporary folder");
        let shim = dir.path().join("shim");
        std::fs::create_dir(&shim).expect("the shim's folder");
        std::fs::write(shim.join("sitecustomize.py"), SHIM).expect("the shim");
        let log = dir.path().join("ministack.log");
        let out = std::fs::File::create(&log).expect("the log");
        let err = out.try_clone().expect("the log");
        let port = moto::free_port();
        let child = Command::new(&bin)
            .env("GATEWAY_PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            // Its PID file and each query's copy of the table's objects.
            .env("TMPDIR", dir.path())
            .env("S3_DATA_DIR", dir.path().join("s3"))
            .env("PYTHONPATH", &shim)
            // DuckDB or a failed query, never the canned answers of its "mock" engine.
            .env("ATHENA_ENGINE", "duckdb")
            .env("LOG_LEVEL", "WARNING")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut ms = MiniStack {
            child,
            port,
            url: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(status)) = ms.child.try_wait() {
                panic!("MiniStack exited ({status}) before serving:\n{}", ms.log());
            }
            if get(port, "/_ministack/health").is_some_and(|status| status == 200) {
                return Some(ms);
            }
            assert!(
                Instant::now() < deadline,
                "MiniStack did not serve on {port}:\n{}",
                ms.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// An AWS JSON-protocol call (`AWSGlue.CreateDatabase`, `AmazonAthena.…`), unsigned as
    /// MiniStack accepts: the status and the answer.
    fn call(&self, target: &str, body: &Value) -> (u16, Value) {
        let body = body.to_string();
        let head = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Amz-Target: {target}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        let (status, answer) = http(self.port, &format!("{head}{body}"))
            .unwrap_or_else(|e| panic!("{target}: {e}\n{}", self.log()));
        let value = serde_json::from_str(&answer).unwrap_or(Value::String(answer));
        (status, value)
    }

    fn ok(&self, target: &str, body: &Value) -> Value {
        let (status, answer) = self.call(target, body);
        assert_eq!(status, 200, "{target}: {answer}\n{}", self.log());
        answer
    }

    /// Runs a statement in MiniStack's Athena to its end; panics unless it SUCCEEDED.
    fn athena(&self, sql: &str) -> String {
        let start = self.ok(
            "AmazonAthena.StartQueryExecution",
            &json!({
                "QueryString": sql,
                "WorkGroup": "primary",
                "QueryExecutionContext": {"Database": "trailscope", "Catalog": "AwsDataCatalog"},
                "ResultConfiguration": {"OutputLocation": format!("s3://{BUCKET}/results/")},
            }),
        );
        let id = start["QueryExecutionId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let deadline = Instant::now() + PATIENCE;
        loop {
            let q = self.ok(
                "AmazonAthena.GetQueryExecution",
                &json!({"QueryExecutionId": id}),
            );
            match q["QueryExecution"]["Status"]["State"].as_str() {
                Some("SUCCEEDED") => return id,
                Some("QUEUED" | "RUNNING") => {}
                _ => panic!("{sql}\n{q}\n{}", self.log()),
            }
            assert!(Instant::now() < deadline, "{sql}: still running");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The ids of the statements run so far in the primary workgroup.
    fn executions(&self) -> BTreeSet<String> {
        let list = self.ok(
            "AmazonAthena.ListQueryExecutions",
            &json!({"WorkGroup": "primary"}),
        );
        list["QueryExecutionIds"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The data rows of a SELECT's result, read page by page (its header row left out) and
    /// the statement's text.
    fn result_rows(&self, id: &str) -> (usize, String) {
        let q = self.ok(
            "AmazonAthena.GetQueryExecution",
            &json!({"QueryExecutionId": id}),
        );
        let sql = q["QueryExecution"]["Query"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut rows = 0;
        let mut token: Option<String> = None;
        loop {
            let mut ask = json!({"QueryExecutionId": id, "MaxResults": 1000});
            if let Some(t) = &token {
                ask["NextToken"] = json!(t);
            }
            let page = self.ok("AmazonAthena.GetQueryResults", &ask);
            let n = page["ResultSet"]["Rows"].as_array().map_or(0, Vec::len);
            rows += n - usize::from(token.is_none() && n > 0);
            token = page["NextToken"].as_str().map(str::to_string);
            if token.is_none() {
                return (rows, sql);
            }
        }
    }
}

impl Drop for MiniStack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 exchange on loopback (the answer closes the connection): status and body.
fn http(port: u16, request: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(PATIENCE))
        .map_err(|e| e.to_string())?;
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head}"))?;
    Ok((status, body.to_string()))
}

fn get(port: u16, path: &str) -> Option<u16> {
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    http(port, &request).ok().map(|(status, _)| status)
}

/// The first `RECORDS` demo records, through the same binary reading the demo; the first
/// given the members the demo never has, so that DuckDB's inferred schema has every column
/// the table declares.
fn records() -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["query", "--demo", "-o", "jsonl"])
        .output()
        .expect("trailscope runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut records: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .take(RECORDS)
        .map(|l| serde_json::from_str(l).expect("a demo record"))
        .collect();
    assert_eq!(records.len(), RECORDS, "the demo has enough records");
    if let Some(Value::Object(first)) = records.first_mut() {
        first.insert("apiVersion".into(), json!("2012-10-17"));
        first.insert(
            "serviceEventDetails".into(),
            json!({"backupVaultName": "vault"}),
        );
        first.insert(
            "addendum".into(),
            json!({"reason": "DELIVERY_DELAY", "originalRequestID": "r-1"}),
        );
        first.insert("edgeDeviceDetails".into(), json!({"deviceId": "d-1"}));
    }
    for column in COLUMNS {
        assert!(
            records.iter().any(|r| r
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k.eq_ignore_ascii_case(column.name)))),
            "no record holds {}",
            column.name
        );
    }
    records
}

/// The table trailscope selects from, as Athena users declare one over JSON lines: the
/// columns trailscope reads, no partitions.
fn create_table() -> String {
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("  `{}` {}", c.name, c.hive_type))
        .collect();
    format!(
        "CREATE EXTERNAL TABLE `trailscope`.`cloudtrail_jsonl` (\n{}\n)\n\
         ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n\
         STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'\n\
         OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n\
         LOCATION 's3://{BUCKET}/{PREFIX}'",
        columns.join(",\n")
    )
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// `trailscope query --athena TABLE --scan-all -o jsonl` against MiniStack, bounded in time.
fn query(ms: &MiniStack, window: [&str; 2]) -> Run {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["query", "--region", "us-east-1", "--athena", TABLE])
        .args(["--workgroup", "primary", "--scan-all", "-o", "jsonl"])
        .args(["--output-location", &format!("s3://{BUCKET}/results/")])
        .args(["--from", window[0], "--to", window[1]])
        .envs(common::isolated_aws_env())
        .env("AWS_ENDPOINT_URL", &ms.url)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("trailscope runs");
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("trailscope's status") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "trailscope did not finish:\n{}\n{}",
                std::fs::read_to_string(&err).unwrap_or_default(),
                ms.log()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Run {
        ok: status.success(),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    }
}

fn by_id(jsonl: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for line in jsonl.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let id = v["eventID"].as_str().unwrap_or_default().to_string();
        assert!(out.insert(id.clone(), v).is_none(), "{id} came back twice");
    }
    out
}

fn instant(v: &Value) -> Option<i64> {
    v.as_str()
        .and_then(EventTime::parse)
        .and_then(EventTime::millis)
}

/// `v` without NULL members, `creationDate` as an instant, and member names folded to
/// lowercase when `fold`.
fn normal(v: &Value, fold: bool) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let name = match fold {
                        true => k.to_ascii_lowercase(),
                        false => k.clone(),
                    };
                    let value = match (k.as_str(), instant(v)) {
                        ("creationDate", Some(ms)) => json!(ms),
                        _ => normal(v, fold),
                    };
                    (name, value)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| normal(i, fold)).collect()),
        other => other.clone(),
    }
}

/// Fields that come back as the file has them (a NULL column and a missing member alike).
const SAME: [&str; 19] = [
    "eventVersion",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestID",
    "eventType",
    "apiVersion",
    "recipientAccountId",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
    "sessionCredentialFromConsole",
    "readOnly",
    "managementEvent",
];

/// STRUCT columns, selected as JSON: the file's objects (names as CloudTrail spells them).
const NESTED: [&str; 3] = ["userIdentity", "tlsDetails", "addendum"];

/// JSON-text columns in Athena; DuckDB's STRUCT or MAP in Python's words here.
const PRESENT: [&str; 5] = [
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "serviceEventDetails",
    "edgeDeviceDetails",
];

fn member<'a>(r: &'a Value, f: &str) -> Option<&'a Value> {
    r.get(f).filter(|v| !v.is_null())
}

fn check_record(id: &str, got: &Value, file: &Value) {
    for f in SAME {
        assert_eq!(member(got, f), member(file, f), "{id}: {f}");
    }
    assert_eq!(
        instant(&got["eventTime"]),
        instant(&file["eventTime"]),
        "{id}: eventTime {} for {}",
        got["eventTime"],
        file["eventTime"]
    );
    assert!(instant(&file["eventTime"]).is_some(), "{id}: a time");
    for f in NESTED {
        let norm = |r: &Value| member(r, f).map(|v| normal(v, false));
        assert_eq!(norm(got), norm(file), "{id}: {f}");
    }
    let resources = |r: &Value| member(r, "resources").map(|v| normal(v, true));
    assert_eq!(resources(got), resources(file), "{id}: resources");
    for f in PRESENT {
        assert_eq!(
            member(got, f).is_some(),
            member(file, f).is_some(),
            "{id}: {f}"
        );
    }
}

#[test]
fn a_partitionless_json_lines_table_in_ministack_reads_back_the_files_records() {
    let Some(ms) = MiniStack::start() else {
        return;
    };
    let records = records();
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    let objects: Vec<(String, Vec<u8>)> = lines
        .chunks(RECORDS.div_ceil(3))
        .enumerate()
        .map(|(i, part)| {
            (
                format!("{PREFIX}part-{i}.json"),
                format!("{}\n", part.join("\n")).into_bytes(),
            )
        })
        .collect();
    assert_eq!(moto::upload(&ms.url, BUCKET, objects), 3);
    ms.ok(
        "AWSGlue.CreateDatabase",
        &json!({"DatabaseInput": {"Name": "trailscope"}}),
    );
    ms.athena(&create_table());

    // The whole trail: every record once, as the file has it.
    let before = ms.executions();
    let run = query(&ms, ["2026-11-01", "2026-11-22"]);
    assert!(run.ok, "{}\n{}", run.stderr, ms.log());
    assert!(run.stderr.contains("SUCCEEDED"), "{}", run.stderr);
    let got = by_id(&run.stdout);
    let want: BTreeMap<String, Value> = records
        .iter()
        .map(|r| {
            (
                r["eventID"].as_str().unwrap_or_default().to_string(),
                r.clone(),
            )
        })
        .collect();
    assert_eq!(want.len(), RECORDS, "the demo's event IDs are unique");
    assert_eq!(
        got.keys().collect::<BTreeSet<_>>(),
        want.keys().collect::<BTreeSet<_>>(),
        "the same events"
    );
    for (id, record) in &got {
        check_record(id, record, &want[id]);
    }
    let new: Vec<String> = ms.executions().difference(&before).cloned().collect();
    assert_eq!(new.len(), 1, "one statement: {new:?}");
    let (rows, sql) = ms.result_rows(&new[0]);
    assert_eq!(rows, RECORDS, "{sql}");
    assert!(
        sql.contains("FROM \"trailscope\".\"cloudtrail_jsonl\"") && !sql.contains("\"timestamp\""),
        "no partition predicate on a partitionless table: {sql}"
    );

    // A window of a third of the records, from one event's second to another's: the SQL's
    // bounds (start included, end left out) are what cuts it.
    let mut times: Vec<(i64, &Value)> = records
        .iter()
        .filter_map(|r| instant(&r["eventTime"]).map(|t| (t, r)))
        .collect();
    times.sort_by_key(|(t, _)| *t);
    let (from, to) = (times[RECORDS / 3], times[2 * RECORDS / 3]);
    let inside: BTreeSet<String> = times
        .iter()
        .filter(|(t, _)| (from.0..to.0).contains(t))
        .map(|(_, r)| r["eventID"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!inside.is_empty() && inside.len() < RECORDS);
    let window = [from.1, to.1].map(|r| r["eventTime"].as_str().unwrap_or_default());
    let before = ms.executions();
    let run = query(&ms, window);
    assert!(run.ok, "{}\n{}", run.stderr, ms.log());
    let got = by_id(&run.stdout);
    assert_eq!(
        got.keys().cloned().collect::<BTreeSet<_>>(),
        inside,
        "the events of {window:?}"
    );
    let new: Vec<String> = ms.executions().difference(&before).cloned().collect();
    assert_eq!(new.len(), 1, "one statement: {new:?}");
    let (rows, sql) = ms.result_rows(&new[0]);
    assert_eq!(
        rows,
        inside.len(),
        "MiniStack returned only the window: {sql}"
    );
}
