//! The fake's STS and Organizations answers against AWS's models (assets/api, botocore's
//! service files): every member it sends is one the shapes define, its limits are the
//! model's, and every error code it answers is one the model or AWS's documentation lists.

use super::harness::{assume, call, fake, xml_text, CALLER, MEMBER};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use trailscope_fake::organizations::{LIST_ACCOUNTS, MAX_RESULTS};
use trailscope_fake::sts::{DURATION_SECONDS, SESSION_NAME_LEN};
use trailscope_fake::{FakeCloudTrail, Reply};

fn model(name: &str) -> Value {
    let path = format!("{}/../assets/api/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("a JSON model")
}

fn members(m: &Value, shape: &str) -> BTreeSet<String> {
    m["shapes"][shape]["members"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn shape_of<'a>(m: &'a Value, shape: &str, member: &str) -> &'a Value {
    let name = m["shapes"][shape]["members"][member]["shape"]
        .as_str()
        .unwrap_or("");
    &m["shapes"][name]
}

/// Every (parent, child) element pair of an XML document (no attributes or text needed).
fn xml_children(xml: &str) -> BTreeSet<(String, String)> {
    let mut pairs = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for tag in xml.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        if let Some(_closing) = tag.strip_prefix('/') {
            stack.pop();
            continue;
        }
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        pairs.insert((stack.last().cloned().unwrap_or_default(), name.to_string()));
        if !tag.ends_with('/') {
            stack.push(name.to_string());
        }
    }
    pairs
}

fn children(pairs: &BTreeSet<(String, String)>, parent: &str) -> BTreeSet<String> {
    pairs
        .iter()
        .filter(|(p, _)| p == parent)
        .map(|(_, c)| c.clone())
        .collect()
}

/// The error code of an answer: awsQuery `<Code>` or awsJson `__type`.
fn code(r: &Reply) -> String {
    xml_text(&r.body, "Code")
        .or_else(|| {
            serde_json::from_str::<Value>(&r.body)
                .ok()
                .and_then(|v| v["__type"].as_str().map(str::to_string))
        })
        .unwrap_or_default()
}

fn list(f: &mut FakeCloudTrail, key: &str, body: Value) -> Reply {
    call(
        f,
        "organizations",
        key,
        Some(LIST_ACCOUNTS),
        &body.to_string(),
        0,
    )
}

fn assume_with(f: &mut FakeCloudTrail, session: &str, duration: Option<u64>) -> Reply {
    let mut body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A{MEMBER}%3Arole%2F\
         OrganizationAccountAccessRole&RoleSessionName={session}"
    );
    if let Some(d) = duration {
        body.push_str(&format!("&DurationSeconds={d}"));
    }
    call(f, "sts", "AKIDEXAMPLE", None, &body, 0)
}

#[test]
fn sts_answers_are_the_models_shapes_with_its_limits() {
    let sts = model("sts-service-2.json");
    let mut f = fake(&["--caller-account", CALLER]);
    let key = assume(&mut f, MEMBER, "", 0);
    let r = assume_with(&mut f, "shape-check", None);
    assert_eq!((r.status, r.content_type), (200, "text/xml"), "{r:?}");
    let xml = xml_children(&r.body);
    assert_eq!(
        children(&xml, ""),
        BTreeSet::from(["AssumeRoleResponse".to_string()])
    );
    assert_eq!(
        children(&xml, "AssumeRoleResponse"),
        BTreeSet::from([
            "AssumeRoleResult".to_string(),
            "ResponseMetadata".to_string()
        ])
    );
    assert!(children(&xml, "AssumeRoleResult").is_subset(&members(&sts, "AssumeRoleResponse")));
    for shape in ["Credentials", "AssumedRoleUser"] {
        let required: BTreeSet<String> = sts["shapes"][shape]["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        assert!(!required.is_empty(), "{shape}");
        assert_eq!(children(&xml, shape), members(&sts, shape), "{shape}");
        assert!(required.is_subset(&children(&xml, shape)), "{shape}");
    }
    let key_shape = shape_of(&sts, "Credentials", "AccessKeyId");
    let len = key.len() as u64;
    assert!(key_shape["min"].as_u64() <= Some(len) && Some(len) <= key_shape["max"].as_u64());
    let who = call(
        &mut f,
        "sts",
        &key,
        None,
        "Action=GetCallerIdentity&Version=2011-06-15",
        0,
    );
    let xml = xml_children(&who.body);
    assert_eq!(
        children(&xml, "GetCallerIdentityResult"),
        members(&sts, "GetCallerIdentityResponse")
    );

    // roleSessionNameType and roleDurationSecondsType, as the model states them.
    let name = &sts["shapes"]["roleSessionNameType"];
    let (min, max) = (name["min"].as_u64(), name["max"].as_u64());
    assert_eq!(min, Some(*SESSION_NAME_LEN.start() as u64));
    assert_eq!(max, Some(*SESSION_NAME_LEN.end() as u64));
    assert_eq!(
        name["pattern"], "[\\w+=,.@-]*",
        "the pattern the fake checks"
    );
    let duration = &sts["shapes"]["roleDurationSecondsType"];
    assert_eq!(duration["min"].as_u64(), Some(*DURATION_SECONDS.start()));
    assert_eq!(duration["max"].as_u64(), Some(*DURATION_SECONDS.end()));
    let mut codes = BTreeSet::new();
    let (lo, hi) = (*SESSION_NAME_LEN.start(), *SESSION_NAME_LEN.end());
    for (session, ok) in [
        ("x".repeat(lo - 1), false),
        ("x".repeat(lo), true),
        ("x".repeat(hi), true),
        ("x".repeat(hi + 1), false),
        ("Az09_%2B%3D%2C.%40-".to_string(), true),
        ("a%2Fb".to_string(), false),
        ("a%20b".to_string(), false),
    ] {
        let r = assume_with(&mut f, &session, None);
        assert_eq!(r.status == 200, ok, "{session}: {r:?}");
        codes.insert(code(&r));
    }
    let (lo, hi) = (*DURATION_SECONDS.start(), *DURATION_SECONDS.end());
    for (d, ok) in [(lo - 1, false), (lo, true), (hi, true), (hi + 1, false)] {
        let r = assume_with(&mut f, "dur", Some(d));
        assert_eq!(r.status == 200, ok, "{d}: {r:?}");
        codes.insert(code(&r));
    }
    let bad_arn = "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&RoleSessionName=ab";
    let r = call(&mut f, "sts", "AKIDEXAMPLE", None, bad_arn, 0);
    assert_eq!(r.status, 400);
    codes.insert(code(&r));
    let other =
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2FR&RoleSessionName=ab";
    let r = call(&mut f, "sts", "AKIDEXAMPLE", None, other, 0);
    assert_eq!(r.status, 403);
    codes.insert(code(&r));
    let r = call(
        &mut f,
        "sts",
        &key,
        None,
        "Action=GetCallerIdentity",
        3_600_000,
    );
    codes.insert(code(&r));
    codes.remove("");
    // Modeled errors of the operations, and STS's documented common errors
    // (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html; AccessDenied is
    // what AssumeRole answers a principal the role does not trust).
    let mut known: BTreeSet<String> = ["AssumeRole", "GetCallerIdentity"]
        .iter()
        .flat_map(|op| {
            sts["operations"][op]["errors"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|e| e["shape"].as_str().map(str::to_string))
        .collect();
    known.extend(["AccessDenied", "ValidationError"].map(String::from));
    assert_eq!(
        codes,
        BTreeSet::from(
            ["AccessDenied", "ExpiredTokenException", "ValidationError"].map(String::from)
        )
    );
    assert!(codes.is_subset(&known), "{codes:?} not in {known:?}");
}

#[test]
fn list_accounts_answers_are_the_models_shapes_with_its_limits() {
    let orgs = model("organizations-service-2.json");
    let mut f = fake(&[
        "--caller-account",
        CALLER,
        "--closed-account",
        "555555555555",
    ]);
    let limits = &orgs["shapes"]["MaxResults"];
    assert_eq!(limits["min"].as_u64(), Some(*MAX_RESULTS.start()));
    assert_eq!(limits["max"].as_u64(), Some(*MAX_RESULTS.end()));
    assert_eq!(
        orgs["shapes"]["ListAccountsRequest"]["members"]["MaxResults"]["shape"],
        "MaxResults"
    );
    let mut codes = BTreeSet::new();
    let (lo, hi) = (*MAX_RESULTS.start(), *MAX_RESULTS.end());
    for (n, ok) in [(lo - 1, false), (lo, true), (hi, true), (hi + 1, false)] {
        let r = list(&mut f, "AKIDEXAMPLE", json!({ "MaxResults": n }));
        assert_eq!(r.status == 200, ok, "{n}: {r:?}");
        codes.insert(code(&r));
    }
    let r = list(&mut f, "AKIDEXAMPLE", json!({ "MaxResults": 1 }));
    let page: Value = serde_json::from_str(&r.body).expect("JSON");
    let token = page["NextToken"].as_str().expect("a token").to_string();
    let r = list(
        &mut f,
        "AKIDEXAMPLE",
        json!({ "NextToken": format!("{token}x") }),
    );
    codes.insert(code(&r));
    let r = list(&mut f, "AKIDEXAMPLE", json!({}));
    let page: Value = serde_json::from_str(&r.body).expect("JSON");
    let response: BTreeSet<String> = page
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    assert!(response.is_subset(&members(&orgs, "ListAccountsResponse")));
    let account = members(&orgs, "Account");
    let accounts = page["Accounts"].as_array().cloned().unwrap_or_default();
    assert_eq!(accounts.len(), 3, "caller, member and the closed account");
    for a in &accounts {
        let sent: BTreeSet<String> = a
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        assert!(sent.is_subset(&account), "{sent:?}");
        for (member, shape) in [
            ("Status", "AccountStatus"),
            ("State", "AccountState"),
            ("JoinedMethod", "AccountJoinedMethod"),
        ] {
            let allowed = orgs["shapes"][shape]["enum"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(allowed.contains(&a[member]), "{member}: {}", a[member]);
        }
        let id = a["Id"].as_str().unwrap_or("");
        assert!(
            id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
        let arn = a["Arn"].as_str().unwrap_or("");
        let org = arn
            .strip_prefix(&format!("arn:aws:organizations::{CALLER}:account/o-"))
            .and_then(|rest| rest.strip_suffix(&format!("/{id}")))
            .unwrap_or("");
        assert!((10..=32).contains(&org.len()), "the model's pattern: {arn}");
        assert!(
            org.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{arn}"
        );
        assert!(
            a["JoinedTimestamp"].is_number(),
            "awsJson timestamps are epoch seconds"
        );
        let email = a["Email"].as_str().unwrap_or("");
        assert!(email.len() >= 6 && email.contains('@'), "{email}");
    }
    let member_key = assume(&mut f, MEMBER, "", 0);
    codes.insert(code(&list(&mut f, &member_key, json!({}))));
    let mut alone = fake(&["--no-organization"]);
    codes.insert(code(&list(&mut alone, "AKIDEXAMPLE", json!({}))));
    codes.remove("");
    let modeled: BTreeSet<String> = orgs["operations"]["ListAccounts"]["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["shape"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        codes,
        BTreeSet::from(
            [
                "AWSOrganizationsNotInUseException",
                "AccessDeniedException",
                "InvalidInputException"
            ]
            .map(String::from)
        )
    );
    assert!(codes.is_subset(&modeled), "{codes:?} not in {modeled:?}");
}
