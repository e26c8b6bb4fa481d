//! Every Lake answer of the fake checked against AWS's model (assets/api): each member of a
//! response is one the output shape defines, with that shape's type, enum, length and range;
//! every error is one the operation declares. No network: `FakeCloudTrail::handle` directly.

use super::shapes::checked;
use super::wire::demo_store;
use serde_json::{json, Value};
use trailscope_fake::{FakeCloudTrail, FAKE_EDS_ID};

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00";

fn model() -> Value {
    serde_json::from_str(include_str!(
        "../../../assets/api/cloudtrail-service-2.json"
    ))
    .expect("model")
}

/// Calls the fake and checks the answer against the model; returns the body.
fn call(f: &mut FakeCloudTrail, m: &Value, op: &str, body: Value, long: bool) -> Value {
    let target = if long {
        format!("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{op}")
    } else {
        format!("CloudTrail_20131101.{op}")
    };
    let reply = f.handle(
        Some(&target),
        Some(AUTH),
        Some("20261121T120000Z"),
        body.to_string().as_bytes(),
        1_795_000_000_000,
        0,
    );
    checked(m, op, reply.status, &reply.body)
}

#[test]
fn every_answer_of_every_operation_is_what_the_model_defines() {
    let m = model();
    let mut f = FakeCloudTrail::from_store(&demo_store());
    f.lake.polls_per_state = 1;
    let mut c = |op: &str, body: Value| call(&mut f, &m, op, body, false);
    let listed = c("ListEventDataStores", json!({ "MaxResults": 1000 }));
    assert_eq!(listed["EventDataStores"].as_array().map(Vec::len), Some(1));
    let arn = listed["EventDataStores"][0]["EventDataStoreArn"].clone();
    c("GetEventDataStore", json!({ "EventDataStore": arn }));
    c(
        "GetEventDataStore",
        json!({ "EventDataStore": FAKE_EDS_ID }),
    );
    c(
        "GetEventDataStore",
        json!({ "EventDataStore": "00000000-0000-4000-8000-000000000000" }),
    );
    c(
        "GetEventDataStore",
        json!({ "EventDataStore": "bad name!" }),
    );
    c("ListEventDataStores", json!({ "MaxResults": 1001 }));
    c("ListEventDataStores", json!({ "NextToken": "nope" }));

    let sql = format!(
        "SELECT eventID, eventTime, userIdentity.arn, json_format(CAST(resources AS JSON)) AS resources \
         FROM {FAKE_EDS_ID} WHERE eventTime >= '2026-11-19 00:00:00' LIMIT 1100"
    );
    let started = c("StartQuery", json!({ "QueryStatement": sql }));
    let id = started["QueryId"].clone();
    // QUEUED, RUNNING, FINISHED, each seen by DescribeQuery and GetQueryResults.
    for _ in 0..3 {
        c("DescribeQuery", json!({ "QueryId": id }));
        c(
            "GetQueryResults",
            json!({ "QueryId": id, "MaxQueryResults": 1000 }),
        );
    }
    let page = c("GetQueryResults", json!({ "QueryId": id }));
    assert_eq!(page["QueryStatus"], "FINISHED");
    assert!(page["NextToken"].is_string());
    let last = c(
        "GetQueryResults",
        json!({ "QueryId": id, "NextToken": page["NextToken"] }),
    );
    assert_eq!(last["QueryResultRows"].as_array().map(Vec::len), Some(100));
    c(
        "GetQueryResults",
        json!({ "QueryId": id, "MaxQueryResults": 0 }),
    );
    c(
        "GetQueryResults",
        json!({ "QueryId": id, "NextToken": "tslake1.1.1" }),
    );
    c("CancelQuery", json!({ "QueryId": id }));

    let failed = c(
        "StartQuery",
        json!({ "QueryStatement": format!("SELECT nope FROM {FAKE_EDS_ID}") }),
    );
    for _ in 0..3 {
        c("DescribeQuery", json!({ "QueryId": failed["QueryId"] }));
    }
    let answer = c("GetQueryResults", json!({ "QueryId": failed["QueryId"] }));
    assert_eq!(answer["QueryStatus"], "FAILED");

    let cancelled = c("StartQuery", json!({ "QueryStatement": sql }));
    let answer = c("CancelQuery", json!({ "QueryId": cancelled["QueryId"] }));
    assert_eq!(answer["QueryStatus"], "CANCELLED");
    c("DescribeQuery", json!({ "QueryId": cancelled["QueryId"] }));
    c(
        "GetQueryResults",
        json!({ "QueryId": cancelled["QueryId"] }),
    );
    c("DescribeQuery", json!({ "QueryId": "0".repeat(36) }));
    c("CancelQuery", json!({ "QueryId": "0".repeat(36) }));
    c("StartQuery", json!({ "QueryStatement": "SELECT * FROM" }));
    c(
        "StartQuery",
        json!({ "QueryStatement": "SELECT * FROM nosuch-store" }),
    );
    c("StartQuery", json!({}));

    f.lake.time_out_after_rows = Some(10);
    f.lake.polls_per_state = 0;
    let timed_out = call(
        &mut f,
        &m,
        "StartQuery",
        json!({ "QueryStatement": sql }),
        true,
    );
    let answer = call(
        &mut f,
        &m,
        "DescribeQuery",
        json!({ "QueryId": timed_out["QueryId"] }),
        true,
    );
    assert_eq!(answer["QueryStatus"], "TIMED_OUT");
    let answer = call(
        &mut f,
        &m,
        "GetQueryResults",
        json!({ "QueryId": timed_out["QueryId"] }),
        true,
    );
    assert_eq!(answer["QueryResultRows"].as_array().map(Vec::len), Some(10));

    f.lake.max_concurrent = 0;
    call(
        &mut f,
        &m,
        "StartQuery",
        json!({ "QueryStatement": sql }),
        true,
    );
    f.lake.unavailable = Some("UnsupportedOperationException".into());
    for op in [
        "ListEventDataStores",
        "GetEventDataStore",
        "StartQuery",
        "DescribeQuery",
        "GetQueryResults",
        "CancelQuery",
    ] {
        let answer = call(&mut f, &m, op, json!({}), true);
        assert_eq!(answer["__type"], "UnsupportedOperationException");
    }
    assert!(
        f.requests.is_empty(),
        "Lake calls are not LookupEvents requests"
    );
}

#[test]
fn hostile_bodies_and_statements_get_answers_never_a_panic() {
    let mut f = FakeCloudTrail::from_store(&demo_store());
    f.lake.polls_per_state = 0;
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"[1,2]".to_vec(),
        b"{\"QueryStatement\": 5}".to_vec(),
        b"{\"QueryId\": {\"a\": 1}, \"MaxQueryResults\": -1}".to_vec(),
        b"{\"MaxResults\": 1e999}".to_vec(),
        vec![0xff, 0xfe, b'{'],
    ];
    let statements = [
        "SELECT".to_string(),
        "'".to_string(),
        "\"".to_string(),
        format!("SELECT * FROM {FAKE_EDS_ID} WHERE {}", "(".repeat(5000)),
        format!(
            "SELECT * FROM {FAKE_EDS_ID} WHERE x = 1 {}",
            "OR x = 1 ".repeat(1200)
        ),
        format!("SELECT {} FROM {FAKE_EDS_ID}", "-".repeat(3000)),
        format!("SELECT * FROM {FAKE_EDS_ID} LIMIT 99999999999999999999999"),
        format!(
            "SELECT * FROM {FAKE_EDS_ID} WHERE eventName LIKE '{}'",
            "%_".repeat(2000)
        ),
        format!("SELECT eventName FROM {FAKE_EDS_ID} WHERE eventTime > TIMESTAMP 'x'"),
        format!("SELECT element_at(eventName, 1) FROM {FAKE_EDS_ID}"),
        format!("SELECT * FROM {FAKE_EDS_ID} WHERE \u{0}\u{202e} = '\u{1b}'"),
        "SELECT * FROM \"\"".to_string(),
        "x".repeat(10_001),
    ];
    for op in [
        "StartQuery",
        "DescribeQuery",
        "GetQueryResults",
        "GetEventDataStore",
    ] {
        let target = format!("CloudTrail_20131101.{op}");
        for body in &bodies {
            let r = f.handle(Some(&target), Some(AUTH), Some("x"), body, 0, 0);
            assert!(r.status == 200 || r.status == 400, "{op}: {r:?}");
        }
    }
    for sql in &statements {
        let body = json!({ "QueryStatement": sql }).to_string();
        let r = f.handle(
            Some("CloudTrail_20131101.StartQuery"),
            Some(AUTH),
            Some("x"),
            body.as_bytes(),
            0,
            0,
        );
        assert!(r.status == 200 || r.status == 400, "{r:?}");
        let answer: Value = serde_json::from_str(&r.body).expect("JSON");
        if let Some(id) = answer["QueryId"].as_str() {
            let body = json!({ "QueryId": id }).to_string();
            let r = f.handle(
                Some("CloudTrail_20131101.GetQueryResults"),
                Some(AUTH),
                Some("x"),
                body.as_bytes(),
                0,
                0,
            );
            assert_eq!(r.status, 200, "{r:?}");
        }
    }
    let unsigned = f.handle(
        Some("CloudTrail_20131101.StartQuery"),
        None,
        Some("x"),
        b"{}",
        0,
        0,
    );
    assert!(unsigned
        .body
        .contains("MissingAuthenticationTokenException"));
}
