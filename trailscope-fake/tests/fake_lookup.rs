//! The fake CloudTrail endpoint's LookupEvents logic (no network): AWS's semantics, and
//! requests and responses checked against AWS's model (assets/api).

use serde_json::{json, Value};
use trailscope::model::time::EventTime;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;
use trailscope_fake::{FakeCloudTrail, Reply};

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00";
const SHORT: &str = "CloudTrail_20131101.LookupEvents";
const LONG: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

fn now_ms() -> i64 {
    EventTime::parse("2026-11-21T12:00:00Z")
        .and_then(|t| t.millis())
        .unwrap_or(0)
}

fn fake() -> FakeCloudTrail {
    let (store, _) = load_blocking(demo::plan());
    FakeCloudTrail::from_store(&store)
}

fn auth(region: &str) -> String {
    AUTH.replace("us-east-1", region)
}

/// A request at `clock_ms` (rate-limit clock) in `region`.
fn call(f: &mut FakeCloudTrail, region: &str, body: Value, clock_ms: u64) -> (u16, Value) {
    let a = auth(region);
    let Reply { status, body, .. } = f.handle(
        Some(SHORT),
        Some(&a),
        Some("20261121T120000Z"),
        body.to_string().as_bytes(),
        now_ms(),
        clock_ms,
    );
    (status, serde_json::from_str(&body).expect("JSON body"))
}

fn model() -> Value {
    serde_json::from_str(include_str!("../../assets/api/cloudtrail-service-2.json")).expect("model")
}

fn members(model: &Value, shape: &str) -> Vec<String> {
    model["shapes"][shape]["members"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Pages through everything the fake holds for a request, 600 ms apart (under 2/s).
fn page_all(f: &mut FakeCloudTrail, region: &str, mut body: Value) -> (Vec<Value>, usize) {
    let mut events = Vec::new();
    let mut pages = 0;
    let mut clock = 0;
    loop {
        let (status, reply) = call(f, region, body.clone(), clock);
        assert_eq!(status, 200, "{reply}");
        pages += 1;
        events.extend(reply["Events"].as_array().cloned().unwrap_or_default());
        match reply["NextToken"].as_str() {
            Some(t) => body["NextToken"] = json!(t),
            None => return (events, pages),
        }
        clock += 600;
    }
}

#[test]
fn pages_newest_first_through_every_event_of_the_region() {
    let mut f = fake();
    let (events, pages) = page_all(&mut f, "eu-west-1", json!({ "MaxResults": 50 }));
    let (store, _) = load_blocking(demo::plan());
    let in_region = store
        .time_order()
        .iter()
        .filter(|&&i| store.text(store.event(i).region) == "eu-west-1")
        .filter(|&&i| trailscope_fake::served_by_lookup(&store, store.event(i)))
        .count();
    assert_eq!(events.len(), in_region);
    assert!(pages >= 2, "{pages} pages");
    let times: Vec<f64> = events
        .iter()
        .filter_map(|e| e["EventTime"].as_f64())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // Every response field is one the model defines.
    let m = model();
    let allowed = members(&m, "Event");
    for e in &events {
        for k in e
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            assert!(allowed.contains(&k), "{k} is not an Event member");
        }
        let inner: Value = serde_json::from_str(e["CloudTrailEvent"].as_str().unwrap_or(""))
            .expect("CloudTrailEvent is JSON");
        assert_eq!(inner["eventID"], e["EventId"]);
    }
}

#[test]
fn one_attribute_is_honoured_and_a_second_ignored_as_aws_does() {
    let mut f = fake();
    let one = json!({ "LookupAttributes": [{ "AttributeKey": "AccessKeyId", "AttributeValue": "ASIAXATTACKSESSION01" }] });
    let two = json!({ "LookupAttributes": [
        { "AttributeKey": "AccessKeyId", "AttributeValue": "ASIAXATTACKSESSION01" },
        { "AttributeKey": "EventName", "AttributeValue": "CreateUser" }
    ] });
    let (a, _) = page_all(&mut f, "us-east-1", one);
    let (b, _) = page_all(&mut f, "us-east-1", two);
    // The attacker's role session in us-east-1 (STORY.md): its management events; the
    // backdoor key's S3 reads and deletions are data events, which LookupEvents never returns.
    assert_eq!(a.len(), 11, "the attacker's session's events in us-east-1");
    assert_eq!(a, b, "the second attribute changes nothing");
    let last = &f.requests.last().expect("requests are recorded").1;
    assert_eq!(last["LookupAttributes"].as_array().map(Vec::len), Some(2));
}

#[test]
fn errors_are_the_models_errors() {
    let mut f = fake();
    let m = model();
    let modeled: Vec<&str> = m["operations"]["LookupEvents"]["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["shape"].as_str()).collect())
        .unwrap_or_default();
    let cases = [
        (json!({ "MaxResults": 0 }), "InvalidMaxResultsException"),
        (json!({ "MaxResults": 51 }), "InvalidMaxResultsException"),
        (
            json!({ "StartTime": 1_800_000_000, "EndTime": 1_700_000_000 }),
            "InvalidTimeRangeException",
        ),
        (
            json!({ "LookupAttributes": [{ "AttributeKey": "SourceIp", "AttributeValue": "1.2.3.4" }] }),
            "InvalidLookupAttributesException",
        ),
        (
            json!({ "EventCategory": "management" }),
            "InvalidEventCategoryException",
        ),
        (
            json!({ "NextToken": "forged" }),
            "InvalidNextTokenException",
        ),
    ];
    for (i, (body, kind)) in cases.into_iter().enumerate() {
        let (status, reply) = call(&mut f, "us-east-1", body, 1000 * i as u64);
        assert_eq!((status, reply["__type"].as_str()), (400, Some(kind)));
        assert!(
            modeled.contains(&kind),
            "{kind} is modeled for LookupEvents"
        );
    }
    // A token is bound to its parameters.
    let (_, first) = call(&mut f, "eu-west-1", json!({ "MaxResults": 5 }), 10_000);
    let token = first["NextToken"].as_str().expect("more pages").to_string();
    let other = json!({ "MaxResults": 5, "NextToken": token, "LookupAttributes": [{ "AttributeKey": "ReadOnly", "AttributeValue": "true" }] });
    let (status, reply) = call(&mut f, "eu-west-1", other, 11_000);
    assert_eq!(
        (status, reply["__type"].as_str()),
        (400, Some("InvalidNextTokenException"))
    );
    let (status, _) = call(
        &mut f,
        "us-east-1",
        json!({ "MaxResults": 5, "NextToken": token }),
        12_000,
    );
    assert_eq!(status, 400, "tokens are region-scoped");
}

#[test]
fn two_requests_per_second_per_region_then_throttling() {
    let mut f = fake();
    assert_eq!(call(&mut f, "us-east-1", json!({}), 0).0, 200);
    assert_eq!(call(&mut f, "us-east-1", json!({}), 10).0, 200);
    let (status, reply) = call(&mut f, "us-east-1", json!({}), 20);
    assert_eq!(
        (status, reply["__type"].as_str()),
        (400, Some("ThrottlingException"))
    );
    assert_eq!(
        call(&mut f, "eu-west-1", json!({}), 20).0,
        200,
        "another region has its own limit"
    );
    assert_eq!(
        call(&mut f, "us-east-1", json!({}), 600).0,
        200,
        "a token back after 500 ms"
    );
}

#[test]
fn unsigned_or_unknown_calls_are_refused_and_both_target_forms_work() {
    let mut f = fake();
    let body = b"{}";
    let r = f.handle(
        Some(SHORT),
        None,
        Some("20261121T120000Z"),
        body,
        now_ms(),
        0,
    );
    assert!(
        r.status == 400 && r.body.contains("MissingAuthenticationTokenException"),
        "{r:?}"
    );
    let r = f.handle(
        Some("CloudTrail_20131101.DeleteTrail"),
        Some(AUTH),
        Some("x"),
        body,
        now_ms(),
        0,
    );
    assert!(r.body.contains("UnknownOperationException"), "{r:?}");
    let r = f.handle(Some(LONG), Some(AUTH), Some("x"), body, now_ms(), 1000);
    assert_eq!(r.status, 200, "{r:?}");
    let r = f.handle(
        Some(SHORT),
        Some(AUTH),
        Some("x"),
        b"not json",
        now_ms(),
        2000,
    );
    assert!(r.body.contains("SerializationException"), "{r:?}");
}

#[test]
fn the_ninety_day_window_hides_older_events() {
    let mut f = fake();
    // Seen from 100 days after the demo, nothing is left in Event history.
    let later = now_ms() + 100 * 86_400_000;
    let a = auth("eu-west-1");
    let r = f.handle(Some(SHORT), Some(&a), Some("x"), b"{}", later, 0);
    let v: Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["Events"].as_array().map(Vec::len), Some(0));
}
