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
            "key:ASIAXATTACKSESSION01 event:DescribeInstances",
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
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1", "{stderr}");
    assert!(
        stderr
            .contains("AWS: AccessKeyId=ASIAXATTACKSESSION01 · here: event:\"DescribeInstances\""),
        "{stderr}"
    );
    // Piped, one summary line per region (no line per page).
    assert!(
        stderr.contains("eu-west-1: 1 page(s), 1 event(s)"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("eu-west-1: ").count(), 1, "{stderr}");
    assert!(
        stderr.contains("us-east-1"),
        "us-east-1 is added for global services: {stderr}"
    );
}

/// A window wider than the 90 days LookupEvents keeps, reaching into the future, is clamped
/// before the first call and said so; it then pages to the end (unclamped, the moving edge of
/// AWS's 90 days made the second page's NextToken invalid after 50 events).
#[test]
fn a_window_beyond_ninety_days_is_clamped_and_pages_to_the_end() {
    let fake = common::FakeEndpoint::demo(50.0);
    let run = |args: &[&str], aws: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trailscope"));
        cmd.args(args).envs(common::isolated_aws_env());
        if aws {
            cmd.env("AWS_ENDPOINT_URL", &fake.url)
                .env_remove("AWS_PROFILE")
                .env_remove("AWS_SESSION_TOKEN");
        }
        cmd.output().expect("run trailscope")
    };
    let out = run(
        &[
            "query",
            "--region",
            "us-east-1",
            "--from",
            "2000-01-01T00:00:00Z",
            "--to",
            "2100-01-01T00:00:00Z",
            "-o",
            "count",
        ],
        true,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("window cut to the 90 days LookupEvents keeps, ending now"),
        "{stderr}"
    );
    // Every us-east-1 management event the demo holds (what LookupEvents returns), as read
    // from its files.
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo");
    let files = run(
        &[
            "query",
            demo,
            "-f",
            "region:us-east-1 category:Management",
            "-o",
            "count",
        ],
        false,
    );
    let want = String::from_utf8_lossy(&files.stdout).trim().to_string();
    assert!(want.parse::<u64>().is_ok_and(|n| n > 50), "{want}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        want,
        "{stderr}"
    );
}
