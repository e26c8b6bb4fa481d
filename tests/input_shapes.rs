//! Every input shape is detected, and bad input loses only itself: the good events load and
//! each problem is listed with file, line or byte offset and a reason.

mod common;
use common::{load, problems};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::PathBuf;
use trailscope::model::warning::Location;

fn rec(id: &str, name: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","accessKeyId":"AKIA1"}},"eventTime":"2026-11-19T02:11:{:02}Z","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.77","eventID":"{id}","recipientAccountId":"111122223333"}}"#,
        id.len() % 60
    )
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("write");
    e.finish().expect("finish")
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().expect("tempdir"))
    }
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
        p
    }
}

fn records_envelope(n: usize) -> String {
    let recs: Vec<String> = (0..n)
        .map(|i| rec(&format!("id-{i:05}"), "ListUsers"))
        .collect();
    format!(r#"{{"Records":[{}]}}"#, recs.join(","))
}

#[test]
fn s3_records_gz_in_aws_logs_layout_with_digest_skipped() {
    let d = Dir::new();
    d.file("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/19/111122223333_CloudTrail_us-east-1_20261119T0215Z_abc.json.gz", gz(records_envelope(3).as_bytes()));
    d.file("AWSLogs/o-abc123/444455556666/CloudTrail/eu-west-1/2026/11/19/444455556666_CloudTrail_eu-west-1_20261119T0215Z_def.json.gz", gz(records_envelope(2).replace("id-", "org-").as_bytes()));
    d.file("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/19/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261119T0215Z.json.gz", gz(br#"{"digestStartTime":"x","logFiles":[]}"#));
    let (store, warnings) = load(&[d.0.path().to_path_buf()]);
    assert_eq!(store.len(), 5);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.reason.contains("1 digest file(s) skipped")),
        "{warnings:?}"
    );
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut() {
    let d = Dir::new();
    let full = gz(records_envelope(2000).as_bytes());
    let p = d.file("cut.json.gz", &full[..full.len() / 2]);
    let (store, warnings) = load(&[p]);
    assert!(
        store.len() > 100 && store.len() < 2000,
        "kept {}",
        store.len()
    );
    let probs = problems(&warnings);
    assert!(
        probs
            .iter()
            .any(|w| w.reason.contains("gzip data is truncated")),
        "{probs:?}"
    );
    assert!(
        probs.iter().any(|w| w.reason.contains("truncated?")),
        "{probs:?}"
    );
}

#[test]
fn bad_json_lines_cost_only_themselves() {
    let d = Dir::new();
    let text = format!(
        "{}\n{{not json\n\n{}\n[1,2]\n{}\n",
        rec("a", "A"),
        rec("b", "B"),
        rec("c", "C")
    );
    let p = d.file("export.jsonl", text);
    let (store, warnings) = load(&[p]);
    assert_eq!(store.len(), 3);
    let probs = problems(&warnings);
    // Line 2 is not JSON; line 5 is JSON but its two elements are not records.
    assert_eq!(probs.len(), 3, "{probs:?}");
    assert_eq!(probs[0].location, Location::Line(2));
    assert!(probs[0].reason.contains("invalid JSON"));
    assert!(
        probs[1..]
            .iter()
            .all(|w| w.reason.contains("expected a JSON object")),
        "{probs:?}"
    );
}

#[test]
fn empty_and_whitespace_files_are_reported() {
    let d = Dir::new();
    let a = d.file("empty.json", "");
    let b = d.file("blank.json", "  \n\n ");
    let (store, warnings) = load(&[a, b]);
    assert_eq!(store.len(), 0);
    assert_eq!(problems(&warnings).len(), 2);
    assert!(warnings.iter().all(|w| w.reason.contains("empty")));
}

#[test]
fn non_utf8_bytes_are_replaced_not_fatal() {
    let d = Dir::new();
    let mut bytes = rec("a", "A").into_bytes();
    let at = bytes.len() - 20;
    bytes.splice(at..at, [0xff, 0xfe]);
    bytes.extend(b"\n");
    bytes.extend(rec("b", "B").as_bytes());
    let (store, warnings) = load(&[d.file("latin1.jsonl", bytes)]);
    assert_eq!(store.len(), 2);
    assert!(problems(&warnings)[0].reason.contains("invalid UTF-8"));
}

#[test]
fn a_10_mb_record_is_rejected_and_its_neighbours_load() {
    let d = Dir::new();
    let big = format!(
        r#"{{"eventVersion":"1.09","eventName":"Huge","eventSource":"x","requestParameters":{{"blob":"{}"}}}}"#,
        "A".repeat(10 << 20)
    );
    let text = format!("{}\n{big}\n{}\n", rec("a", "A"), rec("b", "B"));
    let (store, warnings) = load(&[d.file("big.jsonl", text)]);
    assert_eq!(store.len(), 2);
    let probs = problems(&warnings);
    assert_eq!(probs.len(), 1);
    assert!(
        probs[0].reason.contains("10.0 MiB skipped"),
        "{}",
        probs[0].reason
    );
    assert_eq!(probs[0].location, Location::Line(2));
}

#[test]
fn unknown_fields_and_odd_values_are_kept() {
    let d = Dir::new();
    let text = r#"[{"eventVersion":"1.99","eventTime":"redacted","eventName":"X","eventSource":"s","readOnly":"true","brandNewField":{"a":[1]},"userIdentity":{"type":"IAMUser","userName":42,"novel":true},"requestParameters":null,"errorCode":7}]"#;
    let (store, warnings) = load(&[d.file("odd.json", text)]);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    let e = store.event(store.time_order()[0]);
    assert!(!e.time.is_known());
    assert_eq!(e.read_only, Some(true));
    assert_eq!(store.text(e.error_code), "7");
    assert_eq!(store.interner.resolve(e.principal_name), "42");
    assert!(
        e.raw.text().contains("brandNewField"),
        "raw record kept whole"
    );
}

#[test]
fn lookup_events_output_and_one_event_per_line() {
    let d = Dir::new();
    let inner = serde_json::to_string(&rec("L1", "CreateUser")).expect("string");
    let wrapper = format!(
        r#"{{"Events":[{{"EventId":"L1","EventName":"CreateUser","EventTime":1795567865.0,"CloudTrailEvent":{inner}}}],"NextToken":"x"}}"#
    );
    let no_time = serde_json::to_string(&r#"{"eventVersion":"1.08","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","eventID":"L2"}"#).expect("string");
    let line = format!(
        r#"{{"EventId":"L2","EventTime":"2026-11-19 02:30:00+00:00","CloudTrailEvent":{no_time}}}"#
    );
    let (store, warnings) = load(&[
        d.file("lookup.json", wrapper),
        d.file("lines.jsonl", format!("{line}\n")),
    ]);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    assert_eq!(store.len(), 2);
    // The record without eventTime takes the wrapper's EventTime.
    let stop = store.lookup(
        trailscope::model::store::IndexedField::EventName,
        "StopLogging",
    )[0];
    assert_eq!(store.event(stop).time.format_utc(), "2026-11-19 02:30:00");
}

#[test]
fn logstash_timestamp_and_wrapped_exports() {
    let d = Dir::new();
    let logstash = r#"{"@timestamp":"2026-11-19T02:40:00.000Z","eventVersion":"1.08","eventName":"GetObject","eventSource":"s3.amazonaws.com","eventID":"ls1"}"#;
    let eventbridge = format!(
        r#"{{"version":"0","detail-type":"AWS API Call via CloudTrail","detail":{}}}"#,
        rec("eb1", "PutBucketPolicy")
    );
    let es = format!(
        r#"{{"_index":"ct","_source":{}}}"#,
        rec("es1", "DeleteTrail")
    );
    let text = format!("{logstash}\n{eventbridge}\n{es}\n");
    let (store, warnings) = load(&[d.file("siem.jsonl", text)]);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    assert_eq!(store.len(), 3);
    let ls = store.lookup(
        trailscope::model::store::IndexedField::EventName,
        "GetObject",
    )[0];
    assert_eq!(store.event(ls).time.format_utc(), "2026-11-19 02:40:00");
}

#[test]
fn corrupt_middle_of_a_records_file_keeps_the_start() {
    let d = Dir::new();
    let mut text = records_envelope(10);
    let cut = text.find("id-00005").expect("id present");
    text.replace_range(cut..cut + 3, "\u{1}\"x");
    let (store, warnings) = load(&[d.file("bad.json", text)]);
    assert_eq!(store.len(), 5);
    let probs = problems(&warnings);
    assert_eq!(probs.len(), 1, "{probs:?}");
    assert!(matches!(probs[0].location, Location::Byte(b) if b > 0));
}

#[test]
fn a_path_that_does_not_exist_is_reported() {
    let (store, warnings) = load(&[PathBuf::from("/nonexistent/trail.json")]);
    assert_eq!(store.len(), 0);
    assert!(
        warnings[0].reason.starts_with("cannot open"),
        "{warnings:?}"
    );
}
