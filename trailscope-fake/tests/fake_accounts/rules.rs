//! The account rules one by one, through `FakeCloudTrail::handle` and a test clock: whose
//! events each key sees, whose rate limit it spends, when issued keys expire.

use super::harness::{assume, call, demo_store, expected_ids, fake, CALLER, MEMBER};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use trailscope_fake::FakeCloudTrail;

const LOOKUP: &str = "CloudTrail_20131101.LookupEvents";

/// LookupEvents in us-east-1 with `key` at `clock_ms`: status and body.
fn lookup(f: &mut FakeCloudTrail, key: &str, body: Value, clock_ms: u64) -> (u16, Value) {
    let r = call(
        f,
        "cloudtrail",
        key,
        Some(LOOKUP),
        &body.to_string(),
        clock_ms,
    );
    (r.status, serde_json::from_str(&r.body).expect("JSON"))
}

/// Every event ID `key` pages through in us-east-1, a second apart on the clock.
fn all_ids(f: &mut FakeCloudTrail, key: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut body = json!({});
    for page in 0u64.. {
        let (status, v) = lookup(f, key, body.clone(), 10_000 + page * 1000);
        assert_eq!(status, 200, "{v}");
        for e in v["Events"].as_array().into_iter().flatten() {
            assert!(ids.insert(e["EventId"].as_str().unwrap_or("").to_string()));
        }
        match v["NextToken"].as_str() {
            Some(t) => body = json!({ "NextToken": t }),
            None => break,
        }
    }
    ids
}

#[test]
fn each_key_sees_its_accounts_events_and_static_keys_see_all_without_a_caller_account() {
    let store = demo_store();
    let both: BTreeSet<String> = expected_ids(&store, "us-east-1", CALLER)
        .union(&expected_ids(&store, "us-east-1", MEMBER))
        .cloned()
        .collect();
    let mut f = fake(&[]);
    assert_eq!(
        all_ids(&mut f, "AKIDEXAMPLE"),
        both,
        "as before --caller-account existed"
    );
    let mut f = fake(&["--caller-account", CALLER]);
    assert_eq!(
        all_ids(&mut f, "AKIDEXAMPLE"),
        expected_ids(&store, "us-east-1", CALLER)
    );
    let key = assume(&mut f, MEMBER, "", 0);
    assert_eq!(
        all_ids(&mut f, &key),
        expected_ids(&store, "us-east-1", MEMBER)
    );
    // A token is the account's: the member's first page token is no good to the caller.
    let (_, page) = lookup(&mut f, &key, json!({}), 100_000);
    let token = page["NextToken"]
        .as_str()
        .expect("more than a page")
        .to_string();
    let (status, v) = lookup(
        &mut f,
        "AKIDEXAMPLE",
        json!({ "NextToken": token }),
        100_000,
    );
    assert_eq!(
        (status, v["__type"].as_str()),
        (400, Some("InvalidNextTokenException"))
    );
}

#[test]
fn accounts_are_throttled_separately_at_their_own_rate() {
    let mut f = fake(&[
        "--caller-account",
        CALLER,
        "--rate",
        "2",
        "--account-rate",
        &format!("{MEMBER}=0.5"),
    ]);
    let member = assume(&mut f, MEMBER, "", 0);
    let limited = |r: (u16, Value)| r.0 == 400 && r.1["__type"] == "ThrottlingException";
    // 0.5/s: a burst of one, then nothing for 2 s.
    assert_eq!(lookup(&mut f, &member, json!({}), 0).0, 200);
    assert!(limited(lookup(&mut f, &member, json!({}), 1000)));
    // The caller's account, same region, same moment: its own bucket of 2/s.
    assert_eq!(lookup(&mut f, "AKIDEXAMPLE", json!({}), 1000).0, 200);
    assert_eq!(lookup(&mut f, "AKIDEXAMPLE", json!({}), 1000).0, 200);
    assert!(limited(lookup(&mut f, "AKIDEXAMPLE", json!({}), 1000)));
    assert!(limited(lookup(&mut f, &member, json!({}), 1500)));
    assert_eq!(
        lookup(&mut f, &member, json!({}), 2500).0,
        200,
        "refilled after 2 s"
    );
    // Two keys of the same account share its bucket.
    let second = assume(&mut f, MEMBER, "-2", 2500);
    assert!(limited(lookup(&mut f, &second, json!({}), 2600)));
}

#[test]
fn issued_keys_expire_with_expired_token_exception() {
    let mut f = fake(&["--caller-account", CALLER]);
    // DurationSeconds decides the lifetime, on the fake's clock.
    let key = assume(&mut f, MEMBER, "&DurationSeconds=900", 0);
    assert_eq!(lookup(&mut f, &key, json!({}), 899_000).0, 200);
    let (status, v) = lookup(&mut f, &key, json!({}), 900_000);
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "ExpiredTokenException");
    assert_eq!(
        v["message"],
        "The security token included in the request is expired"
    );
    assert_eq!(
        lookup(&mut f, "AKIDEXAMPLE", json!({}), 900_000).0,
        200,
        "static keys last"
    );
    let r = call(
        &mut f,
        "sts",
        &key,
        None,
        "Action=GetCallerIdentity",
        900_000,
    );
    assert!(
        r.status == 400 && r.body.contains("<Code>ExpiredTokenException</Code>"),
        "{r:?}"
    );

    // --credential-seconds wins over the request, and Expiration says when.
    let mut f = fake(&["--caller-account", CALLER, "--credential-seconds", "60"]);
    let body = format!(
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A{MEMBER}%3Arole%2F\
         OrganizationAccountAccessRole&RoleSessionName=short&DurationSeconds=3600"
    );
    let r = call(&mut f, "sts", "AKIDEXAMPLE", None, &body, 0);
    assert!(
        r.body
            .contains("<Expiration>2026-11-21T12:01:00Z</Expiration>"),
        "{}",
        r.body
    );
    let key = super::harness::xml_text(&r.body, "AccessKeyId").expect("a key");
    assert_eq!(lookup(&mut f, &key, json!({}), 59_999).0, 200);
    assert_eq!(
        lookup(&mut f, &key, json!({}), 60_000).1["__type"],
        "ExpiredTokenException"
    );
}

#[test]
fn bad_account_flags_are_refused_with_the_flag_named() {
    for bad in [
        ["--caller-account", "1234"],
        ["--org-account", "12345678901x"],
        ["--account-rate", "111122223333"],
        ["--account-rate", "111122223333=0"],
        ["--role-names", ","],
    ] {
        let args = super::harness::args(&bad);
        let mut f = FakeCloudTrail::from_store(&demo_store());
        let err = trailscope_fake::endpoint::configure(&mut f, &args).expect_err(bad[1]);
        assert!(err.contains(bad[0]), "{err}");
    }
}
