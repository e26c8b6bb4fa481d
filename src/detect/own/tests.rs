//! The cross-event rules on hand-made records.

use super::*;
use crate::model::parse::parse_text;

/// A record by IAM user `who` with key `key`, from `ip`, at minute `min` of 2024-05-01.
fn rec(who: &str, key: &str, ip: &str, min: u32, name: &str, extra: &str) -> String {
    let (h, m) = (min / 60, min % 60);
    format!(
        r#"{{"eventVersion":"1.09","eventTime":"2024-05-{:02}T{:02}:{:02}:00Z","eventSource":"ec2.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"{ip}","userAgent":"aws-cli/2.15.0 command/ec2.x","eventID":"{who}-{min}-{name}","userIdentity":{{"type":"IAMUser","userName":"{who}","arn":"arn:aws:iam::111122223333:user/{who}","accountId":"111122223333","accessKeyId":"{key}"}}{extra}}}"#,
        1 + h / 24,
        h % 24,
        m
    )
}

fn store(records: &[String]) -> Store {
    let text = format!("{{\"Records\":[{}]}}", records.join(","));
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&std::sync::Arc::from("t"), &text, &mut sink);
    let mut s = Store::default();
    s.insert_batch(sink.0);
    s
}

fn fired(s: &Store, rule: OwnRule) -> Vec<String> {
    run(s, &mut Memo::default())
        .into_iter()
        .filter(|&(r, _)| r == rule)
        .filter_map(|(_, i)| s.event(i).event_id.as_ref().map(ToString::to_string))
        .collect()
}

#[test]
fn a_recon_burst_and_a_slow_crawl() {
    // 25 different Describe calls in 4 minutes: a burst; the same spread over hours: not.
    let burst: Vec<String> = (0..25)
        .map(|n| {
            rec(
                "mallory",
                "AKIAMALLORY",
                "198.51.100.7",
                n / 7,
                &format!("Describe{n}"),
                "",
            )
        })
        .collect();
    let crawl: Vec<String> = (0..25)
        .map(|n| {
            rec(
                "alice",
                "AKIAALICE",
                "203.0.113.9",
                n * 30,
                &format!("Describe{n}"),
                "",
            )
        })
        .collect();
    let s = store(&[burst, crawl].concat());
    let hits = fired(&s, OwnRule::ReconBurst);
    assert!(hits.len() >= 20, "{hits:?}");
    assert!(hits.iter().all(|id| id.starts_with("mallory-")), "{hits:?}");
}

#[test]
fn logging_stopped_after_a_new_address() {
    // A day and more of calls from the office, then one from elsewhere, then StopLogging.
    let mut r: Vec<String> = (0..30)
        .map(|n| {
            rec(
                "ci",
                "AKIACI",
                "203.0.113.10",
                n * 60,
                "DescribeInstances",
                "",
            )
        })
        .collect();
    r.push(rec(
        "ci",
        "AKIACI",
        "198.51.100.77",
        30 * 60,
        "ListBuckets",
        "",
    ));
    r.push(rec(
        "ci",
        "AKIACI",
        "198.51.100.77",
        30 * 60 + 5,
        "StopLogging",
        "",
    ));
    let s = store(&r);
    assert_eq!(fired(&s, OwnRule::NewIp), ["ci-1800-ListBuckets"]);
    let off = fired(&s, OwnRule::LoggingOffAfterNewIp);
    assert!(off.contains(&"ci-1805-StopLogging".to_string()), "{off:?}");
    // A principal whose every call comes from a new address says nothing.
    let churn: Vec<String> = (0..40)
        .map(|n| {
            rec(
                "roamer",
                "AKIAROAM",
                &format!("198.51.100.{n}"),
                n * 60,
                "DescribeInstances",
                "",
            )
        })
        .collect();
    assert!(fired(&store(&churn), OwnRule::NewIp).is_empty());
}

/// An IAM write with key `key` at minute `min`.
fn iam_write(key: &str, min: u32, name: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.09","eventTime":"2024-05-01T00:{min:02}:00Z","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.9","readOnly":false,"eventID":"w-{min}-{name}","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/admin/x","accountId":"444455556666","accessKeyId":"{key}"}}}}"#
    )
}

/// An AssumeRole by `111122223333` into `role_account`'s role `admin`, minting `minted`.
fn assume_role(role_account: &str, minted: &str, min: u32) -> String {
    let extra = format!(
        r#","requestParameters":{{"roleArn":"arn:aws:iam::{role_account}:role/admin","roleSessionName":"x"}},"responseElements":{{"credentials":{{"accessKeyId":"{minted}"}}}}"#
    );
    rec("dev", "AKIADEV", "203.0.113.5", min, "AssumeRole", &extra)
}

/// A role of another account, then IAM writes with its key, raise the rule; a role of the
/// caller's own account does not. The memo kept across runs while the store grows (the
/// write arriving after the AssumeRole) answers as a fresh run does.
#[test]
fn cross_account_iam_writes_across_runs() {
    let first = vec![
        assume_role("444455556666", "ASIAOTHER", 1),
        assume_role("111122223333", "ASIASAME", 2),
    ];
    let second = [
        iam_write("ASIAOTHER", 5, "CreateUser"),
        iam_write("ASIASAME", 6, "CreateUser"),
    ];
    let mut s = store(&first);
    let mut memo = Memo::default();
    assert!(run(&s, &mut memo).is_empty(), "no write yet");
    let text = format!("{{\"Records\":[{}]}}", second.join(","));
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&std::sync::Arc::from("t2"), &text, &mut sink);
    s.insert_batch(sink.0);
    let kept = run(&s, &mut memo);
    assert_eq!(kept, run(&s, &mut Memo::default()));
    let ids: Vec<String> = kept
        .iter()
        .filter(|&&(r, _)| r == OwnRule::CrossAccountIam)
        .filter_map(|&(_, i)| s.event(i).event_id.as_ref().map(ToString::to_string))
        .collect();
    assert_eq!(ids, ["dev-1-AssumeRole", "w-5-CreateUser"]);
}

/// The same AssumeRole from STS, where the target column holds the role.
fn sts_assume_role(role_arn: &str, minted: &str, min: u32) -> String {
    assume_role("x", minted, min)
        .replace("ec2.amazonaws.com", "sts.amazonaws.com")
        .replace("arn:aws:iam::x:role/admin", role_arn)
}

/// STS AssumeRoles are told apart by their target column first: a role of the caller's own
/// account, or none, is not read from the raw record; one of another account is, and so is
/// a role ARN too long for the column (cut short, it is not trusted).
#[test]
fn cross_account_iam_reads_the_role_from_the_target_column() {
    let long = format!("arn:aws:iam::444455556666:role/{}", "p".repeat(300));
    let records = vec![
        sts_assume_role("arn:aws:iam::444455556666:role/admin", "ASIAOTHER", 1),
        sts_assume_role("arn:aws:iam::111122223333:role/admin", "ASIASAME", 2),
        sts_assume_role(&long, "ASIALONG", 3),
        iam_write("ASIAOTHER", 5, "CreateUser"),
        iam_write("ASIASAME", 6, "CreateUser"),
        iam_write("ASIALONG", 7, "CreateUser"),
    ];
    let s = store(&records);
    let idx = |id: &str| {
        (0..s.len() as EventIdx)
            .find(|&i| {
                s.event(i)
                    .event_id
                    .as_ref()
                    .map(ToString::to_string)
                    .as_deref()
                    == Some(id)
            })
            .unwrap_or(EventIdx::MAX)
    };
    assert_eq!(
        s.text(s.event(idx("dev-2-AssumeRole")).target),
        "arn:aws:iam::111122223333:role/admin",
        "the target column holds the role"
    );
    assert_eq!(
        cross_account_key(&s, idx("dev-1-AssumeRole")).as_deref(),
        Some("ASIAOTHER")
    );
    assert_eq!(cross_account_key(&s, idx("dev-2-AssumeRole")), None);
    assert_eq!(
        cross_account_key(&s, idx("dev-3-AssumeRole")).as_deref(),
        Some("ASIALONG")
    );
    let mut ids = fired(&s, OwnRule::CrossAccountIam);
    ids.sort();
    assert_eq!(
        ids,
        [
            "dev-1-AssumeRole",
            "dev-3-AssumeRole",
            "w-5-CreateUser",
            "w-7-CreateUser"
        ]
    );
}
