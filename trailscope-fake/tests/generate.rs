//! `trailscope-fake generate`: determinism, layout, counts, and that the output reads back through
//! trailscope's own loader as distinct, rotated events.

mod common;
use common::{records, tree};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use trailscope::model::warning::Severity;
use trailscope::source::{files, walk};
use trailscope_fake::cli::GenerateArgs;
use trailscope_fake::generate::run;

fn args(out: &Path, events: u64, per_file: u64, seed: u64) -> GenerateArgs {
    GenerateArgs {
        events,
        out: out.to_path_buf(),
        seed,
        events_per_file: per_file,
        templates: Vec::new(),
        days: 7,
        end: "2024-06-30".to_string(),
        incident: false,
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    run(&args(a.path(), 1_000, 100, 7)).unwrap();
    run(&args(b.path(), 1_000, 100, 7)).unwrap();
    run(&args(c.path(), 1_000, 100, 8)).unwrap();
    let (ta, tb, tc) = (tree(a.path()), tree(b.path()), tree(c.path()));
    assert_eq!(ta.len(), 10);
    assert!(ta == tb, "same seed must write identical files");
    let contents_a: HashSet<&Vec<u8>> = ta.values().collect();
    assert!(tc.keys().all(|k| !ta.contains_key(k)), "names differ");
    assert!(
        tc.values().all(|v| !contents_a.contains(v)),
        "contents differ"
    );
}

#[test]
fn layout_counts_times_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let summary = run(&args(dir.path(), 2_550, 100, 3)).unwrap();
    assert!(
        summary.starts_with("wrote 2550 events in 26 files ("),
        "{summary}"
    );
    let files = tree(dir.path());
    assert_eq!(files.len(), 26);

    let mut ids = HashSet::new();
    let mut sizes = Vec::new();
    // (first, last) event time per file, to check files tile the window in order.
    let mut spans = Vec::new();
    for (rel, gz) in &files {
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let [root, account, ct, region, y, m, d, name] = parts.as_slice() else {
            panic!("unexpected path {}", rel.display());
        };
        assert_eq!((root.as_str(), ct.as_str()), ("AWSLogs", "CloudTrail"));
        assert!(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
        let day = format!("{y}-{m}-{d}");
        assert!(
            ("2024-06-24"..="2024-06-30").contains(&day.as_str()),
            "{day} outside the window"
        );
        let prefix = format!("{account}_CloudTrail_{region}_{y}{m}{d}T");
        let rest = name
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{name}"));
        let rest = rest.strip_suffix(".json.gz").unwrap();
        let (hhmm, random) = rest.split_once("Z_").unwrap();
        assert!(
            hhmm.len() == 4 && hhmm.bytes().all(|b| b.is_ascii_digit()),
            "{name}"
        );
        assert!(random.len() == 16 && random.bytes().all(|b| b.is_ascii_alphanumeric()));

        let recs = records(gz);
        sizes.push(recs.len());
        let times: Vec<&str> = recs.iter().map(|r| str_at(r, "/eventTime")).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "sorted in {name}");
        let stamp = format!("{y}-{m}-{d}T{}:{}", &hhmm[..2], &hhmm[2..]);
        assert!(
            times.last().unwrap().starts_with(&stamp),
            "{name} named by its newest event"
        );
        spans.push((times[0].to_string(), times.last().unwrap().to_string()));
        for r in &recs {
            let t = str_at(r, "/eventTime");
            assert_eq!(t.len(), 20);
            assert!(("2024-06-24T00:00:00Z"..="2024-06-30T23:59:59Z").contains(&t));
            assert!(
                ids.insert(str_at(r, "/eventID").to_string()),
                "duplicate eventID"
            );
            assert_eq!(str_at(r, "/recipientAccountId"), account);
            assert_eq!(str_at(r, "/awsRegion"), region);
            identity_is_consistent(r, account);
        }
    }
    sizes.sort_unstable();
    assert_eq!(sizes[0], 50, "the last file holds the remainder");
    assert!(sizes[1..].iter().all(|&n| n == 100));
    assert_eq!(ids.len(), 2_550);
    spans.sort();
    assert!(
        spans.windows(2).all(|w| w[0].1 <= w[1].0),
        "files cover consecutive slices"
    );
}

/// The caller's account, ARN, issuer and key agree within one event.
fn identity_is_consistent(r: &Value, account: &str) {
    let who = &r["userIdentity"];
    let kind = str_at(who, "/type");
    let arn = str_at(who, "/arn");
    if let Some(id) = who.get("accountId") {
        assert_eq!(id.as_str().unwrap(), account);
    }
    if !arn.is_empty() {
        assert_eq!(arn.split(':').nth(4), Some(account), "{arn}");
    }
    match kind {
        "IAMUser" => {
            assert_eq!(arn.rsplit('/').next(), Some(str_at(who, "/userName")));
            assert!(str_at(who, "/principalId").starts_with("AIDA"));
        }
        "AssumedRole"
            if str_at(who, "/sessionContext/sessionIssuer/arn").contains("/aws-service-role/") =>
        {
            // Service-linked roles keep their name; only the account follows the event.
            let issuer = str_at(who, "/sessionContext/sessionIssuer/arn");
            assert_eq!(issuer.split(':').nth(4), Some(account), "{issuer}");
        }
        "AssumedRole" => {
            let role = arn.split('/').nth(1).unwrap();
            assert_eq!(str_at(who, "/sessionContext/sessionIssuer/userName"), role);
            let issuer = str_at(who, "/sessionContext/sessionIssuer/arn");
            assert_eq!(issuer, format!("arn:aws:iam::{account}:role/{role}"));
            let role_id = str_at(who, "/sessionContext/sessionIssuer/principalId");
            assert!(str_at(who, "/principalId").starts_with(&format!("{role_id}:")));
        }
        _ => {}
    }
    let key = str_at(who, "/accessKeyId");
    if !key.is_empty() {
        assert_eq!(key.len(), 20, "{key}");
        assert!(key.starts_with("AKIA") || key.starts_with("ASIA"), "{key}");
        assert!(key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    }
}

#[test]
fn output_loads_through_trailscope_with_rotation() {
    let dir = tempfile::tempdir().unwrap();
    run(&args(dir.path(), 3_000, 100, 11)).unwrap();
    let (store, warnings) = files::load_blocking(walk::plan(&[dir.path().to_path_buf()]));
    let problems: Vec<_> = warnings
        .iter()
        .filter(|w| w.severity == Severity::Problem)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(store.len(), 3_000, "fresh IDs: nothing deduplicated");
    assert_eq!(store.duplicates(), 0);

    let mut ips = HashSet::new();
    let mut accounts = HashSet::new();
    let mut regions = HashSet::new();
    let mut principals = HashSet::new();
    for &idx in store.time_order() {
        let e = store.event(idx);
        ips.insert(store.text(e.source_ip));
        accounts.insert(store.text(e.account));
        regions.insert(store.text(e.region));
        principals.insert(store.text(Some(e.principal)));
    }
    assert!(ips.len() >= 500, "{} source IPs", ips.len());
    assert!(accounts.len() >= 10, "{} accounts", accounts.len());
    assert!(regions.len() >= 5, "{} regions", regions.len());
    assert!(principals.len() >= 100, "{} principals", principals.len());
    // Service callers keep their host names instead of an IP.
    assert!(ips.contains("cloudtrail.amazonaws.com"));
}

#[test]
fn templates_from_files_are_replicated() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t.jsonl");
    let rec = |name: &str| {
        format!(
            r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/x","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","userName":"x"}},"eventTime":"2020-01-01T00:00:00Z","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","requestParameters":{{"keep":"me"}},"requestID":"r","eventID":"e","recipientAccountId":"111122223333"}}"#
        )
    };
    std::fs::write(
        &templates,
        format!(
            "{}\n{}\nnot json\n{{\"other\":1}}\n",
            rec("ListUsers"),
            rec("GetUser")
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let mut a = args(&out, 200, 50, 5);
    a.templates = vec![templates];
    run(&a).unwrap();
    let mut names = HashSet::new();
    for gz in tree(&out).values() {
        for r in records(gz) {
            names.insert(str_at(&r, "/eventName").to_string());
            assert_eq!(str_at(&r, "/requestParameters/keep"), "me");
            assert!(str_at(&r, "/userIdentity/accessKeyId").starts_with("AKIA"));
            assert_ne!(str_at(&r, "/sourceIPAddress"), "198.51.100.1");
        }
    }
    let expected: HashSet<String> = ["ListUsers", "GetUser"].map(String::from).into();
    assert_eq!(names, expected);
}

#[test]
fn bad_arguments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = run(&args(dir.path(), 10, 0, 1)).unwrap_err();
    assert!(err.contains("--events-per-file"), "{err}");

    let mut bad_end = args(dir.path(), 10, 5, 1);
    bad_end.end = "30/06/2024".to_string();
    assert!(run(&bad_end).unwrap_err().contains("--end"));

    let mut no_templates = args(&dir.path().join("x"), 10, 5, 1);
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "[]").unwrap();
    no_templates.templates = vec![empty];
    assert!(run(&no_templates)
        .unwrap_err()
        .contains("no CloudTrail records"));

    // A folder that already holds logs is refused rather than mixed into.
    run(&args(dir.path(), 10, 5, 1)).unwrap();
    let err = run(&args(dir.path(), 10, 5, 1)).unwrap_err();
    assert!(err.contains("AWSLogs"), "{err}");
}

#[test]
fn missing_output_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a/b");
    let summary = run(&args(&out, 5, 100, 1)).unwrap();
    assert!(
        summary.starts_with("wrote 5 events in 1 file ("),
        "{summary}"
    );
    assert_eq!(tree(&out).len(), 1);
}
