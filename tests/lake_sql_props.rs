//! Generated Lake SQL against arbitrary pivot values: quotes, backslashes, `--`, `;`, `%`,
//! `_`, escape sequences, bidi overrides, any unicode. For each value and each pivot field the
//! statement parses with a real SQL parser, the literal in it reads back as exactly the
//! value, and the fake's engine, given one event holding the value and one holding a
//! neighbour of it, returns the first and only the first.

use proptest::prelude::*;
use serde_json::json;
use sqlparser::dialect::GenericDialect;
use sqlparser::tokenizer::{Token, Tokenizer};
use std::sync::Arc;
use trailscope::filter::field::Field;
use trailscope::filter::Expr;
use trailscope::lake::pushdown::condition;
use trailscope::lake::sql::{events_query, Window};
use trailscope::model::parse::parse_text;
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope_fake::lake::parse_statement;
use trailscope_fake::{FakeCloudTrail, FAKE_EDS_ID};

const FIELDS: [Field; 8] = [
    Field::Key,
    Field::Ip,
    Field::Event,
    Field::UserAgent,
    Field::Error,
    Field::Arn,
    Field::Portal,
    Field::SignIn,
];

fn window() -> Window {
    Window {
        start: EventTime::parse("2026-11-01T00:00:00Z").unwrap_or(EventTime::UNKNOWN),
        end: EventTime::parse("2026-12-01T00:00:00Z").unwrap_or(EventTime::UNKNOWN),
    }
}

/// Values an attacker would try, and anything at all.
fn values() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9'\"\\\\;%_ \\-\\*/\\n\\t\u{1b}\u{7}\u{9b}\u{202e}\u{200b}é中😀{}]{1,24}",
        any::<String>().prop_filter("not empty", |s| !s.is_empty()),
        Just("' OR '1'='1".to_string()),
        Just("x'; DROP TABLE t; --".to_string()),
        Just("\\'".to_string()),
        Just("{window}".to_string()),
    ]
}

/// Every string literal in the statement, as the SQL tokenizer reads it back.
fn literals(sql: &str) -> Vec<String> {
    Tokenizer::new(&GenericDialect {}, sql)
        .tokenize()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::SingleQuotedString(s) | Token::UnicodeStringLiteral(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// A record with `value` where `field` reads.
fn record(id: &str, field: Field, value: &str) -> serde_json::Value {
    let mut r = json!({
        "eventVersion": "1.08",
        "eventID": id,
        "eventTime": "2026-11-21T10:00:00Z",
        "eventName": "ListBuckets",
        "eventSource": "s3.amazonaws.com",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.1",
        "userAgent": "aws-cli/2",
        "recipientAccountId": "111122223333",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/x",
                         "accessKeyId": "AKIAOTHER", "accountId": "111122223333"}
    });
    match field {
        Field::Key => r["userIdentity"]["accessKeyId"] = json!(value),
        Field::Ip => r["sourceIPAddress"] = json!(value),
        Field::Event => r["eventName"] = json!(value),
        Field::UserAgent => r["userAgent"] = json!(value),
        Field::Error => r["errorCode"] = json!(value),
        Field::Portal => r["userIdentity"]["credentialId"] = json!(value),
        Field::SignIn => r["additionalEventData"] = json!({"AuthWorkflowID": value}),
        _ => r["userIdentity"]["arn"] = json!(value),
    }
    r
}

/// One request to the fake, as the SDK would send it.
fn call(fake: &mut FakeCloudTrail, op: &str, body: serde_json::Value) -> serde_json::Value {
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261121/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";
    let target = format!("CloudTrail_20131101.{op}");
    let reply = fake.handle(
        Some(&target),
        Some(auth),
        Some("20261121T120000Z"),
        body.to_string().as_bytes(),
        1_763_726_400_000,
        0,
    );
    serde_json::from_str(&reply.body).unwrap_or(serde_json::Value::Null)
}

/// The event ids the fake's engine returns for `sql` over `records`.
fn run(records: &[serde_json::Value], sql: &str) -> Result<Vec<String>, String> {
    let origin: Arc<str> = Arc::from("props");
    let mut sink = (Vec::new(), Vec::new());
    for r in records {
        parse_text(&origin, &r.to_string(), &mut sink);
    }
    let mut store = Store::default();
    store.insert_batch(sink.0);
    let mut fake = FakeCloudTrail::from_store(&store);
    fake.lake.polls_per_state = 0;
    let started = call(&mut fake, "StartQuery", json!({ "QueryStatement": sql }));
    let id = started["QueryId"]
        .as_str()
        .ok_or_else(|| format!("StartQuery: {started}"))?
        .to_string();
    for _ in 0..5 {
        let d = call(&mut fake, "DescribeQuery", json!({ "QueryId": id }));
        if d["QueryStatus"] == "FINISHED" {
            break;
        }
    }
    let results = call(&mut fake, "GetQueryResults", json!({ "QueryId": id }));
    if results["QueryStatus"] != "FINISHED" {
        return Err(format!("GetQueryResults: {results}"));
    }
    let rows = results["QueryResultRows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(rows
        .iter()
        .filter_map(|row| {
            row.as_array()?
                .iter()
                .find_map(|cell| cell.get("eventID")?.as_str().map(str::to_string))
        })
        .collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn pivot_values_survive_the_round_trip(value in values(), f in 0..FIELDS.len()) {
        let field = FIELDS[f];
        let expr = Expr::Field { field, value: value.clone(), exact: true };
        let cond = condition(&expr).map_err(TestCaseError::fail)?;
        let sql = events_query(FAKE_EDS_ID, window(), Some(&cond));
        // It parses, as one SELECT.
        prop_assert!(parse_statement(&sql).is_ok(), "{sql}");
        // The value is one literal, read back exactly; nothing else came in with it.
        let lits = literals(&sql);
        prop_assert!(lits.contains(&value), "{value:?} not among {lits:?}");
        // `signin:` names its map key as a literal too.
        let key = usize::from(field == Field::SignIn);
        prop_assert_eq!(lits.len(), 3 + key, "two time bounds and the value: {:?}", lits);
        // No character that drives a terminal is in the statement shown before it runs.
        prop_assert!(!sql.chars().any(|c| trailscope::model::sanitize::is_unsafe(c) && c != '\n'));
        // The engine finds the event with the value, not one with a neighbour of it.
        let neighbour = format!("{value}x");
        let got = run(&[record("match", field, &value), record("near", field, &neighbour)], &sql)
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(got, vec!["match".to_string()], "{}", sql);
    }
}
