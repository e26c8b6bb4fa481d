//! `trailscope query --lake` without a terminal, against the fake endpoint: a template's
//! aggregate printed typed (CSV, JSON lines), event rows through --filter and --group-by like
//! files, the stores listed, and mistakes refused before anything is sent.

mod common;
use std::process::{Command, Output};

const EDS: &str = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

fn query(fake: &common::FakeEndpoint, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("query")
        .args([
            "--region",
            "us-east-1",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-21T12:00:00Z",
        ])
        .args(args)
        .envs(common::isolated_aws_env())
        .env("AWS_ENDPOINT_URL", &fake.url)
        .env_remove("AWS_PROFILE")
        .output()
        .expect("trailscope runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_template_prints_its_aggregate_typed() {
    let fake = common::FakeEndpoint::demo(100.0);
    let out = query(
        &fake,
        &[
            "--lake",
            EDS,
            "--template",
            "ip-across-accounts",
            "--param",
            "ip=198.51.100.77",
            "--output",
            "csv",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "recipientAccountId,userIdentity.arn,events,first_seen,last_seen"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines.contains(&"111122223333,arn:aws:iam::111122223333:user/ci-deploy,17,2026-11-19 02:11:05,2026-11-19 02:21:40"), "{csv}");
    let err = text(&out.stderr);
    assert!(
        err.contains("FINISHED") && err.contains("scanned ≈ $"),
        "progress and cost: {err}"
    );

    let out = query(
        &fake,
        &[
            "--lake",
            EDS,
            "--template",
            "ip-across-accounts",
            "--param",
            "ip=198.51.100.77",
            "--output",
            "jsonl",
        ],
    );
    let first: serde_json::Value = text(&out.stdout)
        .lines()
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .expect("a JSON line");
    assert!(first["events"].is_i64(), "counts are numbers: {first}");
    assert_eq!(
        first["recipientAccountId"], "444455556666",
        "ids stay text: {first}"
    );
}

#[test]
fn event_rows_go_through_the_filter_and_group_by_like_files() {
    let fake = common::FakeEndpoint::demo(100.0);
    let sql = format!(
        "SELECT eventID, eventTime, eventName, eventSource, sourceIPAddress, \
         userIdentity.accessKeyId AS \"userIdentity.accessKeyId\" FROM {EDS} \
         WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime < '2026-11-21 12:00:00' \
         AND sourceIPAddress = '198.51.100.77'"
    );
    let out = query(&fake, &["--lake", EDS, "--sql", &sql, "--group-by", "key"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The same as the local query over the demo files.
    let local = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args([
            "query",
            "--demo",
            "--filter",
            "ip:=198.51.100.77 after:2026-11-01",
            "--group-by",
            "key",
        ])
        .output()
        .expect("trailscope runs");
    assert_eq!(text(&out.stdout), text(&local.stdout));
    assert!(text(&out.stdout).contains("AKIAXLEAKED0EXAMPLE1"));
}

#[test]
fn stores_are_listed_and_mistakes_refused_before_anything_is_sent() {
    let fake = common::FakeEndpoint::demo(100.0);
    let out = query(&fake, &["--lake"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(&format!("{EDS}\ttrailscope-fake\tENABLED")),
        "{}",
        text(&out.stdout)
    );

    for (args, says) in [
        (
            vec!["--lake", "x; DROP TABLE", "--template", "key-activity"],
            "not an event data store id",
        ),
        (
            vec!["--lake", EDS, "--template", "nope"],
            "no template nope",
        ),
        (
            vec!["--lake", EDS, "--template", "key-activity"],
            "needs --param key=",
        ),
        (
            vec![
                "--lake",
                EDS,
                "--template",
                "key-activity",
                "--param",
                "colour=red",
            ],
            "the parameters are",
        ),
    ] {
        let out = query(&fake, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // A refused statement, with Lake's reason.
    let out = query(&fake, &["--lake", EDS, "--sql", "DELETE FROM x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("refused the SQL"),
        "{}",
        text(&out.stderr)
    );
}
