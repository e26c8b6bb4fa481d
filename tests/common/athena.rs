//! The Athena tests' rig: `trailscope query` against the fake endpoint's Athena serving the
//! demo, the demo's own records through the same binary, and comparing the two.

use super::FakeEndpoint;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::{Command, Output};

pub const WINDOW: [&str; 4] = ["--from", "2026-11-01", "--to", "2026-11-22"];

pub fn query(fake: &FakeEndpoint, args: &[&str]) -> Output {
    query_command(fake, args).output().expect("trailscope runs")
}

/// The same with S3 (the trail's bucket, the results' location) on moto at `s3_url`.
pub fn query_with_s3(fake: &FakeEndpoint, s3_url: &str, args: &[&str]) -> Output {
    query_command(fake, args)
        .env("AWS_ENDPOINT_URL_S3", s3_url)
        .output()
        .expect("trailscope runs")
}

fn query_command(fake: &FakeEndpoint, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trailscope"));
    command
        .arg("query")
        .args(["--region", "us-east-1"])
        .args(args)
        .envs(super::isolated_aws_env())
        .env("AWS_ENDPOINT_URL", &fake.url)
        .env_remove("AWS_PROFILE");
    command
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn fake() -> FakeEndpoint {
    let fake = FakeEndpoint::demo(100.0);
    fake.with_fake(|f| f.athena.polls_per_state = 1);
    fake
}

/// The demo's records by event ID, through the same binary reading the files.
pub fn file_records(filter: &str) -> BTreeMap<String, Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["query", "--demo", "-o", "jsonl", "-f", filter])
        .output()
        .expect("trailscope runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    by_id(&text(&out.stdout))
}

pub fn by_id(jsonl: &str) -> BTreeMap<String, Value> {
    jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| (v["eventID"].as_str().unwrap_or("").to_string(), v))
        .collect()
}

/// `part` holds nothing `whole` does not: every member equal, objects compared the same way
/// (Athena's table declares the fields CloudTrail defines, so it may hold fewer).
pub fn within(part: &Value, whole: &Value, at: &str) -> Result<(), String> {
    match (part, whole) {
        (Value::Object(p), Value::Object(w)) => {
            for (k, v) in p.iter().filter(|(_, v)| !v.is_null()) {
                let Some(wv) = w.get(k) else {
                    return Err(format!("{at}.{k} is not in the file's record"));
                };
                within(v, wv, &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(p), Value::Array(w)) if p.len() == w.len() => p
            .iter()
            .zip(w)
            .enumerate()
            .try_for_each(|(i, (a, b))| within(a, b, &format!("{at}[{i}]"))),
        _ if part == whole => Ok(()),
        _ => Err(format!("{at}: {part} from Athena, {whole} in the file")),
    }
}
