//! Shared by the output targets (detail_pane has its own input): a few CloudTrail records
//! whose attacker-written fields are fuzz strings, loaded the way the app loads a file, and
//! the checks every output shares.
#![allow(dead_code)]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::{json, Value};
use std::sync::Arc;
use trailscope::model::parse::parse_text;
use trailscope::model::sanitize::is_unsafe;
use trailscope::model::store::Store;

const TIMES: [&str; 4] = [
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:05Z",
    "2023-12-31T23:59:59.999Z",
    "2024-02-29T12:00:00+02:00",
];
const KINDS: [&str; 5] = [
    "IAMUser",
    "AssumedRole",
    "Root",
    "AWSService",
    "FederatedUser",
];

/// A fuzz string: mostly short, any Unicode.
fn text(u: &mut Unstructured) -> Result<String> {
    let s: String = u.arbitrary()?;
    Ok(s.chars().take(200).collect())
}

/// Either a fuzz string or one of a few real values (so joins on keys and principals happen).
fn text_or(u: &mut Unstructured, real: &[&str]) -> Result<String> {
    if u.ratio(1, 2)? {
        text(u)
    } else {
        Ok(u.choose(real)?.to_string())
    }
}

/// One record: the fields an attacker writes (user agent, names, ARNs, IP, error message,
/// request parameters' keys and values, resource ARNs) are fuzz strings. An `AssumeRole`
/// hands out a key so the lineage tree has edges.
fn record(u: &mut Unstructured, n: usize) -> Result<Value> {
    let key = text_or(u, &["AKIAEXAMPLE1", "ASIAEXAMPLE2"])?;
    let time = if u.ratio(1, 8)? {
        text(u)?
    } else {
        u.choose(&TIMES)?.to_string()
    };
    let name = text_or(
        u,
        &["AssumeRole", "CreateAccessKey", "ConsoleLogin", "PutObject"],
    )?;
    let pkey = text(u)?;
    let pvalue = text(u)?;
    let mut v = json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": u.choose(&KINDS)?,
            "principalId": text(u)?,
            "arn": text(u)?,
            "accountId": "123456789012",
            "accessKeyId": key,
            "userName": text(u)?,
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": text(u)?, "userName": text(u)?}}
        },
        "eventTime": time,
        "eventSource": text_or(u, &["iam.amazonaws.com", "sts.amazonaws.com", "s3.amazonaws.com"])?,
        "eventName": name,
        "awsRegion": text_or(u, &["us-east-1", "eu-west-1"])?,
        "sourceIPAddress": text(u)?,
        "userAgent": text(u)?,
        "requestParameters": {pkey.clone(): pvalue.clone(), "description": text(u)?, "nested": [pvalue, {pkey: 1}]},
        "responseElements": {"credentials": {"accessKeyId": text_or(u, &["ASIAEXAMPLE2"])?, "sessionToken": "x"}},
        "resources": [{"ARN": text(u)?, "accountId": "123456789012", "type": "AWS::IAM::Role"}],
        "eventID": format!("{n:08}-{}", text(u)?),
        "eventType": "AwsApiCall",
        "recipientAccountId": "123456789012"
    });
    if u.ratio(1, 2)? {
        v["errorCode"] = json!(text_or(u, &["AccessDenied"])?);
        v["errorMessage"] = json!(text(u)?);
    }
    Ok(v)
}

/// One to four fuzz-made records (as JSON values) and a free fuzz string.
pub fn records(data: &[u8]) -> (Vec<Value>, String) {
    let mut u = Unstructured::new(data);
    let n = u.int_in_range(1..=4usize).unwrap_or(1);
    let mut out = Vec::new();
    for i in 0..n {
        match record(&mut u, i) {
            Ok(v) => out.push(v),
            Err(_) => break,
        }
    }
    let free = text(&mut u).unwrap_or_default();
    (out, free)
}

/// The records as one S3 log file (`{"Records":[…]}`), parsed as the loader parses a file.
pub fn parse(
    values: &[Value],
) -> (
    Vec<trailscope::model::record::Record>,
    Vec<trailscope::model::warning::Warning>,
) {
    let origin: Arc<str> = Arc::from("fuzz.json");
    let text = json!({ "Records": values }).to_string();
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&origin, &text, &mut sink);
    sink
}

/// A store holding the records.
pub fn store(values: &[Value]) -> Store {
    let mut store = Store::default();
    store.insert_batch(parse(values).0);
    store
}

/// No unsafe character in any line (`\n` ends a line; nothing else that `is_unsafe` flags,
/// `\r` included, may be there).
pub fn assert_safe(text: &str, what: &str) {
    for line in text.split('\n') {
        if let Some(c) = line.chars().find(|&c| is_unsafe(c)) {
            panic!("{what}: U+{:04X} in {line:?}", c as u32);
        }
    }
}

/// An RFC 4180 reader (quoted cells, `""` inside quotes, records end at `\n`): the records'
/// cells.
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' => panic!("a quote inside an unquoted cell: {text:?}"),
            ',' => {
                record.push(std::mem::take(&mut cell));
                at_start = true;
            }
            '\n' => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
                at_start = true;
            }
            c => {
                cell.push(c);
                at_start = false;
            }
        }
    }
    assert!(!quoted, "a quoted cell never closed: {text:?}");
    assert!(
        cell.is_empty() && record.is_empty(),
        "no newline at the end: {text:?}"
    );
    records
}

/// A CSV cell as the writers store a value: a formula-looking value gets a leading `'`.
pub fn guarded(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// No cell a spreadsheet would run as a formula.
pub fn assert_no_formula(records: &[Vec<String>]) {
    for cell in records.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "formula-looking cell {cell:?}"
        );
    }
}
