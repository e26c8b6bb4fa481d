//! The Lake engine against the same computation written in Rust over the same records:
//! every WHERE operator, GROUP BY with COUNT, ORDER BY and LIMIT, the statistics, and string
//! literals holding quotes, backslashes, Unicode, `--` and `;`.

use super::wire::{demo_store, records, store_of, Lake, Row};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use trailscope::model::time::EventTime;
use trailscope_fake::FAKE_EDS_ID;

/// The value at a dotted path (exact keys); JSON null reads as missing.
fn at<'a>(r: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(r, |v, k| v.get(k))
        .filter(|v| !v.is_null())
}

fn text<'a>(r: &'a Value, path: &str) -> Option<&'a str> {
    at(r, path).and_then(Value::as_str)
}

fn ms(s: &str) -> i64 {
    EventTime::parse(s)
        .and_then(|t| t.millis())
        .expect("a time")
}

fn time(r: &Value) -> Option<i64> {
    text(r, "eventTime")
        .and_then(EventTime::parse)
        .and_then(|t| t.millis())
}

fn column(rows: &[Row], name: &str) -> Vec<String> {
    rows.iter()
        .map(|r| {
            r.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect()
}

type Predicate = Box<dyn Fn(&Value) -> bool>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_where_operator_selects_what_rust_selects() {
    let store = demo_store();
    let all = records(&store);
    let lake = Lake::start(store, |f| f.lake.polls_per_state = 0).await;
    let is = |path: &'static str, want: &'static str| -> Predicate {
        Box::new(move |r| text(r, path) == Some(want))
    };
    let cases: Vec<(&str, Predicate)> = vec![
        ("eventName = 'DeleteObject'", is("eventName", "DeleteObject")),
        ("EVENTNAME = 'DeleteObject'", is("eventName", "DeleteObject")),
        (
            "sourceIPAddress != '198.51.100.77'",
            Box::new(|r| text(r, "sourceIPAddress").is_some_and(|ip| ip != "198.51.100.77")),
        ),
        (
            "eventSource <> 's3.amazonaws.com' AND readOnly = false",
            Box::new(|r| {
                text(r, "eventSource").is_some_and(|s| s != "s3.amazonaws.com")
                    && at(r, "readOnly") == Some(&json!(false))
            }),
        ),
        (
            "eventTime >= '2026-11-19 02:00:00' AND eventTime < '2026-11-19T03:00:00Z'",
            Box::new(|r| {
                time(r).is_some_and(|t| {
                    t >= ms("2026-11-19T02:00:00Z") && t < ms("2026-11-19T03:00:00Z")
                })
            }),
        ),
        (
            "eventTime > TIMESTAMP '2026-11-19 02:11:05' AND eventTime <= '2026-11-19 02:20:00.000'",
            Box::new(|r| {
                time(r).is_some_and(|t| {
                    t > ms("2026-11-19T02:11:05Z") && t <= ms("2026-11-19T02:20:00Z")
                })
            }),
        ),
        (
            "eventTime BETWEEN '2026-11-18' AND '2026-11-18 23:59:59'",
            Box::new(|r| {
                time(r).is_some_and(|t| {
                    t >= ms("2026-11-18T00:00:00Z") && t <= ms("2026-11-18T23:59:59Z")
                })
            }),
        ),
        (
            "userIdentity.accessKeyId IN ('AKIAXLEAKED0EXAMPLE1', 'ASIAXATTACKSESSION01')",
            Box::new(|r| {
                matches!(
                    text(r, "userIdentity.accessKeyId"),
                    Some("AKIAXLEAKED0EXAMPLE1" | "ASIAXATTACKSESSION01")
                )
            }),
        ),
        (
            "eventName NOT IN ('GetObject', 'PutObject', 'AssumeRole')",
            Box::new(|r| {
                text(r, "eventName")
                    .is_some_and(|n| !["GetObject", "PutObject", "AssumeRole"].contains(&n))
            }),
        ),
        (
            "userAgent LIKE 'Boto3/%'",
            Box::new(|r| text(r, "userAgent").is_some_and(|u| u.starts_with("Boto3/"))),
        ),
        (
            "eventName LIKE '_etObject'",
            Box::new(|r| {
                text(r, "eventName")
                    .is_some_and(|n| n.chars().count() == 9 && n.ends_with("etObject"))
            }),
        ),
        (
            "eventName NOT LIKE '%Object%'",
            Box::new(|r| text(r, "eventName").is_some_and(|n| !n.contains("Object"))),
        ),
        ("errorCode IS NULL", Box::new(|r| at(r, "errorCode").is_none())),
        ("errorCode IS NOT NULL", Box::new(|r| at(r, "errorCode").is_some())),
        (
            "element_at(requestParameters, 'bucketName') = 'acme-finance-reports' AND eventName = 'DeleteObject'",
            Box::new(|r| {
                text(r, "requestParameters.bucketName") == Some("acme-finance-reports")
                    && text(r, "eventName") == Some("DeleteObject")
            }),
        ),
        (
            "(userIdentity.type = 'AssumedRole' OR userIdentity.type = 'AWSAccount') AND NOT (readOnly = true)",
            Box::new(|r| {
                matches!(text(r, "userIdentity.type"), Some("AssumedRole" | "AWSAccount"))
                    && at(r, "readOnly") == Some(&json!(false))
            }),
        ),
        (
            "managementEvent = 'false'",
            Box::new(|r| at(r, "managementEvent") == Some(&json!(false))),
        ),
        (
            "userIdentity.sessionContext.sessionIssuer.arn = 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole'",
            is(
                "userIdentity.sessionContext.sessionIssuer.arn",
                "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole",
            ),
        ),
    ];
    for (condition, rust) in cases {
        let sql = format!("SELECT eventID FROM {FAKE_EDS_ID} WHERE {condition}");
        let got = column(&lake.query(&sql).await, "eventID");
        let expected: Vec<String> = all
            .iter()
            .filter(|r| rust(r))
            .filter_map(|r| text(r, "eventID").map(str::to_string))
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < all.len(),
            "{condition}: a case that selects some"
        );
        assert_eq!(got, expected, "{condition}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_by_count_order_by_and_limit_compute_what_rust_computes() {
    let store = demo_store();
    let all = records(&store);
    let lake = Lake::start(store, |f| f.lake.polls_per_state = 0).await;
    let since = ms("2026-11-19T00:00:00Z");
    let sql = format!(
        "SELECT eventSource, eventName, COUNT(*) AS n FROM {FAKE_EDS_ID} \
         WHERE eventTime >= '2026-11-19 00:00:00' \
         GROUP BY eventSource, eventName ORDER BY n DESC, eventSource, 2 LIMIT 10"
    );
    let got: Vec<(String, String, String)> = lake
        .query(&sql)
        .await
        .into_iter()
        .map(|r| (r[0].1.clone(), r[1].1.clone(), r[2].1.clone()))
        .collect();
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for r in all.iter().filter(|r| time(r).is_some_and(|t| t >= since)) {
        let key = (
            text(r, "eventSource").unwrap_or_default().to_string(),
            text(r, "eventName").unwrap_or_default().to_string(),
        );
        *counts.entry(key).or_default() += 1;
    }
    let mut expected: Vec<((String, String), usize)> = counts.into_iter().collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let expected: Vec<(String, String, String)> = expected
        .into_iter()
        .take(10)
        .map(|((s, n), c)| (s, n, c.to_string()))
        .collect();
    assert_eq!(got, expected);

    // Distinct source IPs per principal, top 5, by ordinal.
    let sql = format!(
        "SELECT userIdentity.arn AS \"userIdentity.arn\", COUNT(DISTINCT sourceIPAddress) AS ips \
         FROM {FAKE_EDS_ID} WHERE userIdentity.arn IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
    );
    let got: Vec<(String, String)> = lake
        .query(&sql)
        .await
        .into_iter()
        .map(|r| {
            assert_eq!(r[0].0, "userIdentity.arn");
            (r[0].1.clone(), r[1].1.clone())
        })
        .collect();
    let mut ips: HashMap<String, HashSet<String>> = HashMap::new();
    for r in &all {
        if let Some(arn) = text(r, "userIdentity.arn") {
            let set = ips.entry(arn.to_string()).or_default();
            set.extend(text(r, "sourceIPAddress").map(str::to_string));
        }
    }
    let mut expected: Vec<(String, usize)> = ips.into_iter().map(|(a, s)| (a, s.len())).collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .take(5)
        .map(|(a, n)| (a, n.to_string()))
        .collect();
    assert_eq!(got, expected);

    // Whole-store aggregates, and the statistics of a bounded query.
    let rows = lake
        .query(&format!(
            "SELECT MIN(eventTime) AS first, MAX(eventTime) AS last, COUNT(*) AS n, COUNT(errorCode) AS errors FROM {FAKE_EDS_ID}"
        ))
        .await;
    let times: Vec<i64> = all.iter().filter_map(time).collect();
    let fmt = |t: i64| {
        format!(
            "{}.{:03}",
            EventTime::from_millis(t).format_utc(),
            t.rem_euclid(1000)
        )
    };
    let errors = all.iter().filter(|r| at(r, "errorCode").is_some()).count();
    assert_eq!(
        rows,
        [vec![
            (
                "first".to_string(),
                fmt(times.iter().copied().min().unwrap_or(0))
            ),
            (
                "last".to_string(),
                fmt(times.iter().copied().max().unwrap_or(0))
            ),
            ("n".to_string(), all.len().to_string()),
            ("errors".to_string(), errors.to_string()),
        ]]
    );
    let window = |r: &&Value| {
        time(r).is_some_and(|t| t >= ms("2026-11-19T02:00:00Z") && t < ms("2026-11-19T04:00:00Z"))
    };
    let id = lake
        .start_query(&format!(
            "SELECT eventID FROM {FAKE_EDS_ID} WHERE eventTime >= '2026-11-19 02:00:00' \
             AND eventTime < '2026-11-19 04:00:00' AND sourceIPAddress = '198.51.100.77'"
        ))
        .await
        .expect("started");
    lake.finish(&id).await;
    let stats = lake
        .describe(&id)
        .await
        .query_statistics()
        .cloned()
        .expect("stats");
    let in_window: Vec<&Value> = all.iter().filter(window).collect();
    let bytes: i64 = in_window.iter().map(|r| r.to_string().len() as i64).sum();
    assert_eq!(stats.events_scanned(), Some(in_window.len() as i64));
    assert_eq!(
        stats.events_matched(),
        Some(
            in_window
                .iter()
                .filter(|r| text(r, "sourceIPAddress") == Some("198.51.100.77"))
                .count() as i64
        )
    );
    // The raw records' own bytes, not re-serialised ones: close, never zero.
    let scanned = stats.bytes_scanned().unwrap_or(0);
    assert!(
        scanned > bytes / 2 && scanned < bytes * 2,
        "{scanned} vs {bytes}"
    );
}

/// Values an attacker can put in an event, and the SQL literal forms that must find them.
const HOSTILE: [&str; 16] = [
    "it's",
    "''",
    "back\\slash",
    "\\'",
    "\\",
    "a--b",
    "x'; DROP TABLE y; --",
    "ünïcödé 🦀 中文",
    "line\nbreak",
    "tab\there",
    "\u{1b}[31mred",
    "\u{202e}txt.exe",
    "100%_done",
    "",
    " lead",
    "U&'\\0041'",
];

/// `'…'` with quotes doubled.
fn plain(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `U&'…'` with every character escaped (Trino's Unicode literal).
fn unicode(v: &str) -> String {
    let mut out = String::from("U&'");
    for c in v.chars() {
        if (c as u32) <= 0xffff {
            out.push_str(&format!("\\{:04X}", c as u32));
        } else {
            out.push_str(&format!("\\+{:06X}", c as u32));
        }
    }
    out.push('\'');
    out
}

/// A LIKE pattern matching exactly `v`, with `!` as the escape character.
fn like_exactly(v: &str) -> String {
    let escaped: String = v
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '!' => vec!['!', c],
            c => vec![c],
        })
        .collect();
    format!("{} ESCAPE '!'", plain(&escaped))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn literals_with_quotes_backslashes_unicode_and_comment_marks_match_exactly() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("hostile.jsonl");
    let lines: Vec<String> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({
                "eventVersion": "1.09",
                "eventTime": format!("2026-11-19T00:00:{i:02}Z"),
                "eventID": format!("e{i:02}"),
                "eventName": "GetObject",
                "eventSource": "s3.amazonaws.com",
                "awsRegion": "us-east-1",
                "userAgent": v,
                "requestParameters": { "bucketName": v },
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).expect("written");
    let lake = Lake::start(store_of(path), |f| f.lake.polls_per_state = 0).await;
    for (i, v) in HOSTILE.iter().enumerate() {
        let id = format!("e{i:02}");
        for condition in [
            format!("userAgent = {}", plain(v)),
            format!("userAgent = {}", unicode(v)),
            format!("element_at(requestParameters, 'bucketName') = {}", plain(v)),
            format!("userAgent LIKE {}", like_exactly(v)),
            format!("userAgent IN ('nothing', {})", plain(v)),
        ] {
            let sql = format!("SELECT eventID, userAgent FROM {FAKE_EDS_ID} WHERE {condition}");
            let rows = lake.query(&sql).await;
            assert_eq!(
                column(&rows, "eventID"),
                std::slice::from_ref(&id),
                "{sql:?}"
            );
            assert_eq!(column(&rows, "userAgent"), [v.to_string()], "{sql:?}");
        }
    }
}
