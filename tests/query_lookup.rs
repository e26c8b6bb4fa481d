//! `trailscope query --region …` against the fake endpoint: the headless fetch through the
//! planner and the SDK pager.

mod common;

use std::process::Command;

/// `trailscope query --region …` fetches through the planner and the SDK pager.
#[test]
fn headless_query_fetches_from_lookupevents() {
    // The demo at AWS's 2 requests/s, pretending it is 2026-11-21 noon.
    let fake = common::FakeEndpoint::demo(2.0);
    let url = &fake.url;
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args([
            "query",
            "--region",
            "eu-west-1",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-21T12:00:00Z",
        ])
        .args([
            "-f",
            "key:AKIAXPERSIST0BACKUP1 event:DeleteObject",
            "-o",
            "count",
        ])
        .env("AWS_ENDPOINT_URL", url)
        .envs(common::isolated_aws_env())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("run trailscope");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "30",
        "{stderr}"
    );
    assert!(
        stderr.contains("AWS: AccessKeyId=AKIAXPERSIST0BACKUP1 · here: event:\"DeleteObject\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("eu-west-1: 2 page(s), 83 event(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("us-east-1"),
        "us-east-1 is added for global services: {stderr}"
    );
}
