//! The LookupEvents planner, table-driven: from a filter, exactly one attribute (the most
//! selective AWS can evaluate as the filter means it) or none; time bounds narrow the window.

use trailscope::filter::parse;
use trailscope::model::time::EventTime;
use trailscope::source::lookup::plan::{plan, LookupKey};

fn now() -> EventTime {
    EventTime::parse("2026-11-21T12:00:00Z").unwrap_or(EventTime::UNKNOWN)
}

#[test]
fn one_attribute_the_most_selective() {
    // (filter, attribute sent or None)
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        ("", None),
        (
            "key:AKIAXLEAKED0EXAMPLE1",
            Some(("AccessKeyId", "AKIAXLEAKED0EXAMPLE1")),
        ),
        // Three pushable fields: exactly one is sent, the access key.
        (
            "event:CreateAccessKey key:AKIAXLEAKED0EXAMPLE1 readonly:false",
            Some(("AccessKeyId", "AKIAXLEAKED0EXAMPLE1")),
        ),
        (
            "readonly:false event:CreateUser",
            Some(("EventName", "CreateUser")),
        ),
        (
            "source:iam.amazonaws.com readonly:true",
            Some(("EventSource", "iam.amazonaws.com")),
        ),
        ("readonly:no", Some(("ReadOnly", "false"))),
        (
            "principal:=backup-svc event:GetObject",
            Some(("Username", "backup-svc")),
        ),
        (
            "resource:=arn:aws:s3:::acme-finance-reports event:GetObject",
            Some(("ResourceName", "arn:aws:s3:::acme-finance-reports")),
        ),
        (
            "id:3f1c2b7a-9e2d-4c61-8f0a-2b9d1e7c5a40 key:ASIAXATTACKSESSION01",
            Some(("AccessKeyId", "ASIAXATTACKSESSION01")),
        ),
        (
            "id:3f1c2b7a-9e2d-4c61-8f0a-2b9d1e7c5a40",
            Some(("EventId", "3f1c2b7a-9e2d-4c61-8f0a-2b9d1e7c5a40")),
        ),
        // Not expressible at AWS: the whole window is fetched and filtered here.
        ("ip:198.51.100.77", None),
        ("principal:backup", None),
        ("principal:=arn:aws:iam::111122223333:user/backup-svc", None),
        ("event:deleteobject", None),
        ("event:Delete*", None),
        ("key:AKIA*", None),
        ("source:s3", None),
        ("id:1-2", None),
        ("acme-finance", None),
        // Branches and negations are never pushed: AWS would drop events the filter keeps.
        ("key:AKIAXLEAKED0EXAMPLE1 | ip:198.51.100.77", None),
        ("-key:AKIAXLEAKED0EXAMPLE1", None),
        (
            "(key:AKIAXLEAKED0EXAMPLE1 | event:CreateUser) readonly:false",
            Some(("ReadOnly", "false")),
        ),
    ];
    for (filter, want) in cases {
        let expr = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        let p = plan(&expr, now());
        let got = p.attribute.as_ref().map(|(k, v)| (k.as_str(), v.as_str()));
        assert_eq!(got, *want, "{filter}");
        assert_eq!(p.local, expr, "the whole filter still runs locally");
    }
}

#[test]
fn time_bounds_narrow_the_window() {
    let expr = parse(
        "after:2026-11-19 after:2026-11-20T06:00Z before:-1h key:AKIAX before:2026-11-21T10:00Z",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let p = plan(&expr, now());
    assert_eq!(
        p.after.map(|t| t.format_utc()).as_deref(),
        Some("2026-11-20 06:00:00")
    );
    assert_eq!(
        p.before.map(|t| t.format_utc()).as_deref(),
        Some("2026-11-21 10:00:00")
    );
    let or = parse("after:2026-11-19 | key:AKIAX").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        plan(&or, now()).after,
        None,
        "a bound inside an OR does not bound the fetch"
    );
}

#[test]
fn describe_says_what_ran_where() {
    let expr = parse("key:AKIAXLEAKED0EXAMPLE1 ip:198.51.100.77 -event:GetObject")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        plan(&expr, now()).describe(),
        r#"AWS: AccessKeyId=AKIAXLEAKED0EXAMPLE1 · here: ip:"198.51.100.77" (not event:"GetObject")"#
    );
    assert_eq!(
        plan(&parse("").unwrap_or_default(), now()).describe(),
        "AWS: every event in the window"
    );
}

#[test]
fn keys_are_the_models_lookup_attribute_keys() {
    let model: serde_json::Value =
        serde_json::from_str(include_str!("../assets/api/cloudtrail-service-2.json"))
            .expect("the model parses");
    let allowed: Vec<&str> = model["shapes"]["LookupAttributeKey"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for key in [
        LookupKey::AccessKeyId,
        LookupKey::EventId,
        LookupKey::ResourceName,
        LookupKey::Username,
        LookupKey::EventName,
        LookupKey::EventSource,
        LookupKey::ReadOnly,
    ] {
        assert!(
            allowed.contains(&key.as_str()),
            "{} is not in the model",
            key.as_str()
        );
    }
    // The model says one attribute per call: the request's list "can contain only one item".
    let doc = model["shapes"]["LookupEventsRequest"]["members"]["LookupAttributes"]
        ["documentation"]
        .as_str()
        .unwrap_or("");
    assert!(doc.contains("only one item"), "{doc}");
}
