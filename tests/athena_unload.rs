//! A result of more than 100,000 rows through the real binary and the real `aws-sdk-athena`:
//! the fake's Athena (serving a generated trail) says how many rows the SELECT returned
//! (GetQueryRuntimeStatistics), trailscope runs the same SELECT as `UNLOAD … WITH (format =
//! 'JSON', compression = 'GZIP')`, the fake writes gzipped JSON objects into moto's S3, and
//! trailscope reads them back in parallel through the S3 source: every event equal to the
//! trail file's record, none paged through GetQueryResults.

mod common;
#[path = "common/moto.rs"]
mod moto;

use serde_json::Value;
use std::collections::BTreeMap;
use std::process::{Command, Output};

const EVENTS: u64 = 101_000;
const WINDOW: [&str; 4] = ["--from", "2023-12-01", "--to", "2024-01-03"];

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn by_id(out: &Output) -> BTreeMap<String, Value> {
    text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| (v["eventID"].as_str().unwrap_or("").to_string(), v))
        .collect()
}

/// Where `part` holds what `whole` does not (a member missing or different), if anywhere.
fn outside(part: &Value, whole: &Value, at: &str) -> Option<String> {
    match (part, whole) {
        (Value::Object(p), Value::Object(w)) => {
            p.iter()
                .filter(|(_, v)| !v.is_null())
                .find_map(|(k, v)| match w.get(k) {
                    None => Some(format!("{at}.{k} is not in the file")),
                    Some(wv) => outside(v, wv, &format!("{at}.{k}")),
                })
        }
        // Array items compared the same way: AWS's table declares `resources` items' ARN,
        // account and type, not the ARNPrefix some records carry.
        (Value::Array(p), Value::Array(w)) if p.len() == w.len() => p
            .iter()
            .zip(w)
            .enumerate()
            .find_map(|(i, (a, b))| outside(a, b, &format!("{at}[{i}]"))),
        _ if part == whole => None,
        _ => Some(format!("{at}: {part} from Athena, {whole} in the file")),
    }
}

/// `trailscope query --athena` on the table, Athena at the fake and S3 at moto.
fn query_athena(fake: &common::FakeEndpoint, s3: &moto::Moto, output: &str) -> Output {
    let args = [
        &["--athena", "trailscope.cloudtrail", "-o", output][..],
        &WINDOW,
    ]
    .concat();
    common::athena::query_with_s3(fake, &s3.url, &args)
}

#[test]
fn a_result_over_100k_rows_comes_back_through_unload_and_s3() {
    let Some(s3) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(EVENTS, 500, 3, "2024-01-01");
    // The workgroup's results bucket, empty.
    moto::upload(&s3.url, "trailscope-fake-athena-results", Vec::new());
    let fake = common::FakeEndpoint::serving(trail.path(), &[]);
    fake.with_fake(|f| {
        f.athena.unload_s3 = Some(s3.url.clone());
        // Statements over 100k events take a while: run them as Athena does, in the
        // background, polled.
        f.athena.background = true;
    });
    let out = query_athena(&fake, &s3, "jsonl");
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("UNLOAD of 101000 rows"), "{err}");
    let athena = by_id(&out);

    let files = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("query")
        .arg(trail.path())
        .args(["-o", "jsonl"])
        .output()
        .expect("trailscope runs");
    assert!(files.status.success(), "{}", text(&files.stderr));
    let files = by_id(&files);
    assert_eq!(files.len() as u64, EVENTS);
    assert_eq!(athena.len(), files.len(), "every event, once");
    // Every member of every event as in the file; and the fields every generated record has
    // come back whole.
    let unequal: Vec<String> = athena
        .iter()
        .filter_map(|(id, v)| match files.get(id) {
            None => Some(format!("{id} is not in the files")),
            Some(f) => outside(v, f, id).or_else(|| {
                [
                    "eventTime",
                    "eventName",
                    "eventSource",
                    "userIdentity",
                    "sourceIPAddress",
                    "userAgent",
                    "awsRegion",
                ]
                .iter()
                .find(|k| f.get(**k) != v.get(**k))
                .map(|k| format!("{id}: {k} differs"))
            }),
        })
        .take(3)
        .collect();
    assert!(unequal.is_empty(), "not the file's records: {unequal:?}");

    let (statements, paged) = fake.with_fake(|f| {
        let starts: Vec<String> = f
            .athena
            .calls
            .iter()
            .filter(|(op, _)| op == "StartQueryExecution")
            .filter_map(|(_, b)| b["QueryString"].as_str().map(str::to_string))
            .collect();
        // Only the header is asked for (MaxResults 1: are these whole events?), no page.
        let paged = f
            .athena
            .calls
            .iter()
            .filter(|(op, body)| op == "GetQueryResults" && body["MaxResults"] != 1)
            .count();
        (starts, paged)
    });
    assert_eq!(statements.len(), 2, "the SELECT, then its UNLOAD");
    assert!(
        statements[1].starts_with("UNLOAD (\n") && statements[1].contains(&statements[0]),
        "{}",
        statements[1]
    );
    assert!(statements[1].contains("'s3://trailscope-fake-athena-results/trailscope-unload/"));
    assert_eq!(paged, 0, "nothing paged through GetQueryResults");
    let written = moto::runtime().block_on(async {
        moto::client(&s3.url)
            .list_objects_v2()
            .bucket("trailscope-fake-athena-results")
            .prefix("trailscope-unload/")
            .send()
            .await
            .map(|o| o.contents().len())
    });
    assert!(
        written.is_ok_and(|n| n > 1),
        "several gzipped JSON objects, read in parallel"
    );

    // When the UNLOAD cannot be read back (here: it fails, the fake has no S3 to write to),
    // nothing is lost: the SELECT's own result is paged.
    fake.with_fake(|f| {
        f.athena.unload_s3 = None;
        f.athena.calls.clear();
    });
    let out = query_athena(&fake, &s3, "count");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), EVENTS.to_string());
    let paged = fake.with_fake(|f| {
        f.athena
            .calls
            .iter()
            .filter(|(op, _)| op == "GetQueryResults")
            .count()
    });
    assert!(paged > 100, "paged instead: {paged} pages");
}
