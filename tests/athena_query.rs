//! `trailscope query --athena DATABASE.TABLE` through the real binary and the real
//! `aws-sdk-athena`, against the fake endpoint's Athena serving the demo incident as the
//! CloudTrail table: every event comes back as the record in the trail file; a filter is
//! split between SQL and the local filter and selects exactly what it selects on the files;
//! every statement reads only the window's partitions; a table without partitions is refused
//! unless --scan-all; a window before the projection, an unknown table, a workgroup without
//! an output location and throttling are each explained or waited out.

mod common;
#[path = "common/moto.rs"]
mod moto;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

use common::athena::{by_id, fake, file_records, query, text, within, WINDOW};

/// The fields every demo record has that the table declares, which must come back whole.
const WHOLE: [&str; 12] = [
    "eventVersion",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "eventID",
    "eventType",
    "recipientAccountId",
    "readOnly",
    "requestParameters",
];

#[test]
fn every_event_comes_back_as_the_record_in_the_trail_file() {
    let fake = fake();
    let out = query(
        &fake,
        &[
            &["--athena", "trailscope.cloudtrail", "-o", "jsonl"][..],
            &WINDOW,
        ]
        .concat(),
    );
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    let got = by_id(&text(&out.stdout));
    let want = file_records("before:2026-11-22");
    assert_eq!(
        got.keys().collect::<BTreeSet<_>>(),
        want.keys().collect::<BTreeSet<_>>(),
        "the same events"
    );
    for (id, record) in &got {
        let file = &want[id];
        if let Err(e) = within(record, file, id) {
            panic!("{e}");
        }
        // A NULL column and a `null` member read the same.
        let member = |r: &Value, f: &str| r.get(f).filter(|v| !v.is_null()).cloned();
        for field in WHOLE {
            assert_eq!(member(record, field), member(file, field), "{id}: {field}");
        }
        assert_eq!(
            record["userIdentity"]["accessKeyId"], file["userIdentity"]["accessKeyId"],
            "{id}"
        );
        assert_eq!(
            record["userIdentity"]["arn"], file["userIdentity"]["arn"],
            "{id}"
        );
    }
    // Progress, the split and the cost on standard error.
    assert!(
        err.contains("Athena: every event in the window · reads days 2026/11/01 → 2026/11/22 × every account × every region"),
        "{err}"
    );
    assert!(
        err.contains("SUCCEEDED") && err.contains("scanned ≈ $"),
        "{err}"
    );
    // The one statement read only the window's days.
    let sql = fake.with_fake(|f| statements(f));
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(
        sql[0].contains("\"timestamp\" BETWEEN '2026/11/01' AND '2026/11/22'"),
        "{}",
        sql[0]
    );
}

fn statements(f: &trailscope_fake::FakeCloudTrail) -> Vec<String> {
    f.athena
        .calls
        .iter()
        .filter(|(op, _)| op == "StartQueryExecution")
        .filter_map(|(_, body)| body["QueryString"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_filter_selects_on_athena_what_it_selects_on_the_files() {
    let fake = fake();
    for filter in [
        "key:=AKIAXLEAKED0EXAMPLE1",
        "ip:198.51.100.0/24 -error:any",
        "event:Delete* source:s3",
        "principal:ci-deploy",
    ] {
        let out = query(
            &fake,
            &[
                &[
                    "--athena",
                    "trailscope.cloudtrail",
                    "-o",
                    "jsonl",
                    "-f",
                    filter,
                ][..],
                &WINDOW,
            ]
            .concat(),
        );
        assert!(out.status.success(), "{filter}: {}", text(&out.stderr));
        let got: BTreeSet<String> = by_id(&text(&out.stdout)).into_keys().collect();
        let want: BTreeSet<String> = file_records(&format!("({filter}) before:2026-11-22"))
            .into_keys()
            .collect();
        assert!(!want.is_empty(), "{filter} selects demo events");
        assert_eq!(got, want, "{filter}");
    }
    let sql = fake.with_fake(|f| statements(f));
    assert!(
        sql[0].contains("useridentity.accesskeyid = 'AKIAXLEAKED0EXAMPLE1'"),
        "{}",
        sql[0]
    );
    // principal: stays here: the statement reads the window, the filter runs locally.
    assert!(!sql[3].contains("ci-deploy"), "{}", sql[3]);
}

#[test]
fn accounts_and_regions_become_partition_predicates() {
    let fake = fake();
    let out = query(
        &fake,
        &[
            &[
                "--athena",
                "trailscope.cloudtrail",
                "--accounts",
                "222233334444",
                "--regions",
                "us-east-1",
                "-o",
                "count",
            ][..],
            &WINDOW,
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The partitions the statement reads, said with the split.
    assert!(
        text(&out.stderr).contains("reads days 2026/11/01 → 2026/11/22 × 1 account × 1 region"),
        "{}",
        text(&out.stderr)
    );
    let want = file_records("account:=222233334444 region:=us-east-1 before:2026-11-22").len();
    assert_eq!(text(&out.stdout).trim(), want.to_string());
    let sql = fake.with_fake(|f| statements(f));
    assert!(
        sql[0].contains("\"account\" IN ('222233334444') AND \"region\" IN ('us-east-1')"),
        "{}",
        sql[0]
    );
}

#[test]
fn a_table_without_partitions_is_read_whole_only_when_asked() {
    let fake = fake();
    let args = [
        &["--athena", "trailscope.cloudtrail_plain", "-o", "count"][..],
        &WINDOW,
    ]
    .concat();
    let out = query(&fake, &args);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("has no partitions")
            && err.contains("--scan-all")
            && err.contains("create-table"),
        "{err}"
    );
    assert!(fake.with_fake(|f| statements(f)).is_empty(), "nothing ran");

    let out = query(&fake, &[&args[..], &["--scan-all"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let want = file_records("before:2026-11-22").len();
    assert_eq!(text(&out.stdout).trim(), want.to_string());
    let sql = fake.with_fake(|f| statements(f));
    assert!(!sql[0].contains("\"timestamp\""), "{}", sql[0]);
}

#[test]
fn the_whole_table_warning_says_how_much_every_statement_reads() {
    let Some(s3) = moto::Moto::start() else {
        return;
    };
    let fake = fake();
    // The plain table's location holds three objects of 1,000 bytes (and another prefix
    // that is not counted).
    let objects = (0..3)
        .map(|i| {
            (
                format!("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/0{i}/f{i}.json.gz"),
                vec![b'x'; 1000],
            )
        })
        .chain([("elsewhere/other.gz".to_string(), vec![b'y'; 5000])])
        .collect();
    moto::upload(&s3.url, "trailscope-fake-trail", objects);
    let run = |extra: &[&str]| {
        let head = ["--athena", "trailscope.cloudtrail_plain", "-o", "count"];
        common::athena::query_with_s3(&fake, &s3.url, &[&head[..], &WINDOW, extra].concat())
    };
    let out = run(&[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "s3://trailscope-fake-trail/AWSLogs/, 2.9 KiB in 3 objects ≈ $0.00005 a statement"
        ),
        "{err}"
    );
    // Said again, and run, with --scan-all.
    let out = run(&["--scan-all"]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2.9 KiB in 3 objects"), "{err}");
}

#[test]
fn a_window_before_the_projection_is_explained_not_answered_empty() {
    let fake = fake();
    fake.with_fake(|f| {
        f.athena.tables[0].partitioning = trailscope_fake::athena::Partitioning::Projected {
            accounts: None,
            regions: None,
            since: "2026/12/01".to_string(),
        }
    });
    let out = query(
        &fake,
        &[
            &["--athena", "trailscope.cloudtrail", "-o", "count"][..],
            &WINDOW,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("starts on 2026/12/01, after the window"),
        "{err}"
    );
}

#[test]
fn mistakes_and_throttling_are_explained_or_waited_out() {
    let fake = fake();
    let out = query(
        &fake,
        &[
            &["--athena", "trailscope.nosuch", "-o", "count"][..],
            &WINDOW,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("Table nosuch is not found"),
        "{}",
        text(&out.stderr)
    );

    fake.with_fake(|f| f.athena.workgroups[0].output_location = None);
    let args = [
        &["--athena", "trailscope.cloudtrail", "-o", "count"][..],
        &WINDOW,
    ]
    .concat();
    let out = query(&fake, &args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--output-location"),
        "{}",
        text(&out.stderr)
    );
    let out = query(
        &fake,
        &[
            &args[..],
            &["--output-location", "s3://results-bucket/athena/"],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    fake.with_fake(|f| f.athena.throttle_starts = 2);
    let out = query(
        &fake,
        &[
            &args[..],
            &["--output-location", "s3://results-bucket/athena/"],
        ]
        .concat(),
    );
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2 retries"), "{err}");
}

#[test]
fn max_scan_stops_a_query_that_reads_more() {
    let fake = fake();
    fake.with_fake(|f| f.athena.polls_per_state = 2);
    let out = query(
        &fake,
        &[
            &[
                "--athena",
                "trailscope.cloudtrail",
                "-o",
                "count",
                "--max-scan",
                "1K",
            ][..],
            &WINDOW,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("past max-scan 1024"), "{err}");
    // Stopped on Athena's side, not left running (and billing).
    let stopped = fake.with_fake(|f| {
        f.athena
            .calls
            .iter()
            .filter(|(op, _)| op == "StopQueryExecution")
            .count()
    });
    assert_eq!(stopped, 1);
    let out = query(
        &fake,
        &[
            &[
                "--athena",
                "trailscope.cloudtrail",
                "-o",
                "count",
                "--max-scan",
                "2G",
            ][..],
            &WINDOW,
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // config.toml's max-scan applies when the flag is not given.
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("config.toml"), "max-scan = \"1K\"\n").expect("written");
    let configured = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .arg("query")
            .args(["--region", "us-east-1"])
            .args(["--athena", "trailscope.cloudtrail", "-o", "count"])
            .args(WINDOW)
            .args(extra)
            .envs(common::isolated_aws_env())
            .env("AWS_ENDPOINT_URL", &fake.url)
            .env("TRAILSCOPE_CONFIG_DIR", dir.path())
            .env_remove("AWS_PROFILE")
            .output()
            .expect("trailscope runs")
    };
    let out = configured(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("past max-scan 1024"));
    // The flag wins over the file.
    let out = configured(&["--max-scan", "2G"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn athena_alone_lists_the_cloudtrail_tables_with_how_they_bound_reads() {
    let fake = fake();
    let out = query(&fake, &["--athena"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        "trailscope.cloudtrail\tprojection: account × region × timestamp from 2020/01/01\ts3://trailscope-fake-trail/AWSLogs/"
    );
    // A table read whole says how much that is (here the fake is no S3: it says why not).
    let plain: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(plain[0], "trailscope.cloudtrail_plain");
    assert!(
        plain[1].starts_with("none: every statement reads the whole trail ("),
        "{}",
        plain[1]
    );
    assert_eq!(plain[2], "s3://trailscope-fake-trail/AWSLogs/");
}

#[test]
fn access_failures_name_the_permission_to_grant() {
    let fake = fake();
    let args = [
        &["--athena", "trailscope.cloudtrail", "-o", "count"][..],
        &WINDOW,
    ]
    .concat();
    for (reason, permission) in [
        (
            "Access denied when writing to location: s3://results/",
            "s3:PutObject",
        ),
        (
            "Permission denied on S3 path: s3://trail/AWSLogs/",
            "s3:GetObject",
        ),
        (
            "The ciphertext refers to a customer master key that does not exist (KMS)",
            "kms:Decrypt",
        ),
        (
            "Insufficient permissions to execute the query. glue:GetTable",
            "glue:GetTable",
        ),
    ] {
        fake.with_fake(|f| f.athena.fail_with = Some(reason.to_string()));
        let out = query(&fake, &args);
        assert_eq!(out.status.code(), Some(1), "{reason}");
        let err = text(&out.stderr);
        assert!(
            err.contains(reason) && err.contains(permission),
            "{reason}: {err}"
        );
        assert!(err.contains("failed queries are not billed"), "{err}");
    }
    fake.with_fake(|f| {
        f.athena.fail_with = None;
        f.athena.refuse_start = Some((
            "AccessDeniedException".to_string(),
            "User is not authorized to perform: athena:StartQueryExecution".to_string(),
        ));
    });
    let out = query(&fake, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("not allowed to call athena:StartQueryExecution")
            && err.contains("the role needs athena:StartQueryExecution"),
        "{err}"
    );
}
