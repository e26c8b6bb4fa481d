//! The engine end to end on a handful of hand-written events: SQL text in, Lake rows and
//! statistics out.

use super::plan::plan;
use super::run::{run, LakeEvent, Rows, Stats};
use super::sql::parse_statement;
use serde_json::json;
use std::collections::HashSet;

fn store() -> Vec<LakeEvent> {
    let records = [
        json!({"eventTime": "2026-11-19T03:00:00Z", "eventName": "DeleteObject", "readOnly": false,
               "userIdentity": {"arn": "arn:aws:iam::1:user/backup-svc", "accessKeyId": "AKIA1"},
               "requestParameters": {"bucketName": "acme", "key": "it's \\ 'quoted' -- ; ü"}}),
        json!({"eventTime": "2026-11-19T02:00:00Z", "eventName": "GetObject", "readOnly": true,
               "userIdentity": {"arn": "arn:aws:iam::1:user/backup-svc", "accessKeyId": "AKIA1"},
               "requestParameters": {"bucketName": "acme"}, "errorCode": null}),
        json!({"eventTime": "2026-11-19T01:00:00Z", "eventName": "GetObject", "readOnly": true,
               "userIdentity": {"arn": "arn:aws:iam::1:user/ci", "accessKeyId": "AKIA2"},
               "errorCode": "AccessDenied", "requestParameters": null}),
        json!({"eventTime": "redacted", "eventName": "ListBuckets", "readOnly": "true",
               "userIdentity": {"type": "Root"}}),
    ];
    records
        .into_iter()
        .map(|record| {
            let bytes = record.to_string().len();
            let time_ms = record["eventTime"]
                .as_str()
                .and_then(super::value::parse_time_literal);
            LakeEvent {
                record,
                time_ms,
                bytes,
            }
        })
        .collect()
}

fn query(sql: &str) -> (Stats, Result<Rows, String>) {
    let events = store();
    let known: HashSet<String> = [
        "eventtime",
        "eventname",
        "readonly",
        "useridentity",
        "requestparameters",
        "errorcode",
        "eventid",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let sql = sql.replace("EDS", "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a");
    let q = match parse_statement(&sql) {
        Ok(q) => q,
        Err(e) => return (Stats::default(), Err(format!("parse: {e}"))),
    };
    match plan(&q, &known) {
        Ok(p) => run(&p, &events),
        Err(e) => (Stats::default(), Err(e)),
    }
}

/// The rows as `name=value` strings, cells joined by `|`.
fn rows(sql: &str) -> Vec<String> {
    let (_, r) = query(sql);
    r.unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            row.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn names(sql: &str) -> Vec<String> {
    rows(&format!("SELECT eventName FROM EDS WHERE {sql}"))
        .into_iter()
        .map(|r| r.trim_start_matches("eventName=").to_string())
        .collect()
}

#[test]
fn columns_are_named_as_trino_names_them_and_nulls_left_out() {
    assert_eq!(
        rows("SELECT eventTime, userIdentity.accessKeyId, element_at(requestParameters, 'bucketName') AS bucket, \
              errorCode AS \"x.y\", json_format(CAST(requestParameters AS JSON)) FROM EDS LIMIT 3"),
        [
            "eventTime=2026-11-19 03:00:00.000|accessKeyId=AKIA1|bucket=acme|_col4={\"bucketName\":\"acme\",\"key\":\"it's \\\\ 'quoted' -- ; ü\"}",
            "eventTime=2026-11-19 02:00:00.000|accessKeyId=AKIA1|bucket=acme|_col4={\"bucketName\":\"acme\"}",
            "eventTime=2026-11-19 01:00:00.000|accessKeyId=AKIA2|x.y=AccessDenied",
        ]
    );
    assert_eq!(
        rows("SELECT readOnly FROM EDS WHERE eventName = 'ListBuckets'"),
        ["readOnly=true"]
    );
    assert_eq!(
        rows("SELECT * FROM EDS WHERE eventtime = '2026-11-19 01:00:00'")[0]
            .split('|')
            .next(),
        Some("eventTime=2026-11-19 01:00:00.000")
    );
}

#[test]
fn every_where_operator() {
    assert_eq!(
        names("eventName = 'GetObject' AND readOnly = TRUE"),
        ["GetObject", "GetObject"]
    );
    assert_eq!(
        names("eventName != 'GetObject'"),
        ["DeleteObject", "ListBuckets"]
    );
    assert_eq!(
        names("eventName <> 'GetObject' AND NOT (readOnly = 'true')"),
        ["DeleteObject"]
    );
    assert_eq!(
        names("eventName IN ('ListBuckets', 'DeleteObject')"),
        ["DeleteObject", "ListBuckets"]
    );
    assert_eq!(
        names("eventName NOT IN ('GetObject')"),
        ["DeleteObject", "ListBuckets"]
    );
    assert_eq!(
        names("eventName LIKE '%Obj_ct'"),
        ["DeleteObject", "GetObject", "GetObject"]
    );
    assert_eq!(
        names("eventName NOT LIKE 'Get%'"),
        ["DeleteObject", "ListBuckets"]
    );
    assert_eq!(
        names("errorCode IS NULL"),
        ["DeleteObject", "GetObject", "ListBuckets"]
    );
    assert_eq!(
        names("errorCode IS NOT NULL OR userIdentity.type = 'Root'"),
        ["GetObject", "ListBuckets"]
    );
    assert_eq!(
        names("eventTime > '2026-11-19 01:00:00' AND eventTime <= TIMESTAMP '2026-11-19 03:00:00'"),
        ["DeleteObject", "GetObject"]
    );
    assert_eq!(
        names("eventTime BETWEEN '2026-11-19T01:30:00Z' AND '2026-11-19'"),
        Vec::<String>::new()
    );
    assert_eq!(
        names("eventTime BETWEEN '2026-11-19' AND '2026-11-20'").len(),
        3,
        "redacted never matches a time"
    );
    assert_eq!(
        names("eventTime < '2026-11-19 01:00:00.001'"),
        ["GetObject"]
    );
    assert_eq!(
        names("element_at(requestParameters, 'key') = 'it''s \\ ''quoted'' -- ; ü'"),
        ["DeleteObject"]
    );
    assert_eq!(
        names("element_at(requestParameters, 'key') = U&'it''s \\\\ ''quoted'' -- ; \\00FC'"),
        ["DeleteObject"]
    );
    assert_eq!(
        names("userIdentity.arn LIKE '%/ci' OR eventName = 'x'"),
        ["GetObject"]
    );
    assert_eq!(names("readOnly = false"), ["DeleteObject"]);
}

#[test]
fn group_count_order_and_limit() {
    assert_eq!(
        rows("SELECT eventName, COUNT(*) AS n, MAX(eventTime) FROM EDS GROUP BY eventName ORDER BY n DESC, 1"),
        [
            "eventName=GetObject|n=2|_col2=2026-11-19 02:00:00.000",
            "eventName=DeleteObject|n=1|_col2=2026-11-19 03:00:00.000",
            "eventName=ListBuckets|n=1|_col2=redacted",
        ]
    );
    assert_eq!(
        rows("SELECT userIdentity.accessKeyId AS k, COUNT(DISTINCT eventName) FROM EDS GROUP BY 1 ORDER BY k NULLS FIRST LIMIT 2"),
        ["_col1=1", "k=AKIA1|_col1=2"]
    );
    assert_eq!(
        rows("SELECT COUNT(*), COUNT(errorCode), MIN(eventName) FROM EDS WHERE eventName = 'none'"),
        ["_col0=0|_col1=0"]
    );
    assert_eq!(
        rows("SELECT DISTINCT eventName FROM EDS ORDER BY eventName LIMIT 2 OFFSET 1"),
        ["eventName=GetObject", "eventName=ListBuckets"]
    );
    assert_eq!(
        rows("SELECT eventName FROM EDS GROUP BY eventName HAVING COUNT(*) > 1"),
        ["eventName=GetObject"]
    );
}

#[test]
fn statistics_prune_by_the_time_bounds() {
    let (stats, _) = query("SELECT eventName FROM EDS WHERE eventTime >= '2026-11-19 02:00:00' AND eventName = 'GetObject'");
    assert_eq!((stats.scanned, stats.matched), (2, 1));
    let all: u64 = store().iter().map(|e| e.bytes as u64).sum();
    let (stats, _) =
        query("SELECT eventName FROM EDS WHERE eventTime >= '2026-11-19' OR eventName = 'x'");
    assert_eq!((stats.scanned, stats.bytes), (4, all), "OR does not bound");
}

#[test]
fn what_the_engine_cannot_run_fails_with_a_message() {
    for (sql, says) in [
        ("SELECT nosuch FROM EDS", "cannot be resolved"),
        (
            "SELECT levenshtein_distance(eventName, 'x') FROM EDS",
            "not registered",
        ),
        (
            "SELECT eventName FROM EDS WHERE readOnly = 1",
            "cannot compare",
        ),
        ("SELECT eventName, COUNT(*) FROM EDS", "GROUP BY"),
        (
            "SELECT eventName FROM EDS WHERE COUNT(*) > 1",
            "not allowed",
        ),
        (
            "SELECT eventName FROM EDS WHERE eventTime > 'yesterday'",
            "timestamp",
        ),
        (
            "SELECT DISTINCT eventName FROM EDS ORDER BY eventTime",
            "DISTINCT",
        ),
        (
            "SELECT eventName FROM EDS WHERE eventName LIKE 'a' ESCAPE 'ab'",
            "single character",
        ),
        (
            "SELECT a.eventName FROM EDS a JOIN EDS b ON a.eventID = b.eventID",
            "not supported",
        ),
    ] {
        let (_, r) = query(sql);
        let err = r.expect_err(sql);
        assert!(err.contains(says), "{sql}: {err}");
    }
}

#[test]
fn long_or_chains_do_not_recurse_and_deep_nesting_is_refused() {
    let alternatives: Vec<String> = (0..3000).map(|i| format!("eventName = 'n{i}'")).collect();
    let sql = format!(
        "SELECT eventName FROM EDS WHERE {} OR eventName = 'GetObject'",
        alternatives.join(" OR ")
    );
    assert_eq!(rows(&sql).len(), 2);
    let deep = format!(
        "SELECT eventName FROM EDS WHERE {}TRUE{}",
        "NOT ".repeat(500),
        ""
    );
    assert!(query(&deep).1.is_err());
}

#[test]
fn random_statements_get_rows_or_an_error_never_a_panic() {
    const WORDS: [&str; 44] = [
        "*",
        "eventName",
        "eventTime",
        "COUNT(*)",
        "FROM EDS",
        "WHERE",
        "=",
        "!=",
        "<",
        ">=",
        "'GetObject'",
        "'it''s'",
        "(",
        ")",
        "AND",
        "OR",
        "NOT",
        "IN ('a', 'b')",
        "LIKE '%t'",
        "IS NULL",
        "IS NOT NULL",
        "GROUP BY",
        "ORDER BY",
        "LIMIT 2",
        "1",
        "2",
        "-1",
        "1.5",
        "TIMESTAMP '2026-11-19 02:00:00'",
        ",",
        "DISTINCT",
        "readOnly",
        "TRUE",
        "DESC",
        "NULLS FIRST",
        "BETWEEN '2026-11-19' AND '2026-11-20'",
        "HAVING",
        "userIdentity.arn",
        "element_at(requestParameters, 'bucketName')",
        "MIN(eventTime)",
        "AS n",
        "n",
        "json_format(CAST(userIdentity AS JSON))",
        "U&'\\00FC'",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut ran = 0;
    for _ in 0..3000 {
        let mut sql = String::from("SELECT ");
        for _ in 0..2 + next(20) {
            sql.push_str(WORDS[next(WORDS.len())]);
            sql.push(' ');
        }
        if next(2) == 0 {
            sql.push_str(" FROM EDS");
        }
        if query(&sql).1.is_ok() {
            ran += 1;
        }
    }
    assert!(ran > 5, "only {ran} of the random statements ran");
}

/// The shape of statement trailscope's Lake source writes: scalar columns (nested ones
/// aliased by their dotted path), maps as JSON text, bounded by eventTime, newest first.
#[test]
fn the_statement_shape_trailscope_writes_runs() {
    let got = rows(
        "SELECT eventTime, eventID, eventName, readOnly,\n  \
         userIdentity.arn AS \"userIdentity.arn\", userIdentity.accessKeyId AS \"userIdentity.accessKeyId\",\n  \
         json_format(CAST(requestParameters AS JSON)) AS requestParameters\n\
         FROM EDS\n\
         WHERE eventTime >= '2026-11-19 01:00:00' AND eventTime < '2026-11-19 03:00:00'\n  \
         AND ((userIdentity.accessKeyId = U&'AKIA\\0031') OR (eventName = 'x'))\n\
         ORDER BY eventTime DESC",
    );
    assert_eq!(
        got,
        [
            "eventTime=2026-11-19 02:00:00.000|eventName=GetObject|readOnly=true|\
          userIdentity.arn=arn:aws:iam::1:user/backup-svc|userIdentity.accessKeyId=AKIA1|\
          requestParameters={\"bucketName\":\"acme\"}"
        ]
    );
}

/// NULL is unknown: `NOT (errorCode = 'x')` drops the events without an error code, as
/// Trino does; `coalesce` makes a condition two-valued, which is how trailscope negates.
#[test]
fn null_columns_under_not_and_or_and_coalesce() {
    assert_eq!(
        names("NOT (errorCode = 'AccessDenied')"),
        Vec::<String>::new()
    );
    assert_eq!(
        names("NOT coalesce((errorCode = 'AccessDenied'), false)"),
        ["DeleteObject", "GetObject", "ListBuckets"]
    );
    // NULL AND FALSE is FALSE, so NOT keeps the row; NULL AND TRUE is NULL.
    assert_eq!(
        names("NOT (errorCode = 'AccessDenied' AND eventName = 'x')"),
        ["DeleteObject", "GetObject", "GetObject", "ListBuckets"]
    );
    assert_eq!(
        names("NOT (errorCode = 'AccessDenied' AND readOnly = TRUE)"),
        ["DeleteObject"]
    );
    // NULL OR TRUE is TRUE; NULL OR FALSE is NULL.
    assert_eq!(
        names("errorCode = 'AccessDenied' OR eventName = 'GetObject'"),
        ["GetObject", "GetObject"]
    );
    assert_eq!(
        names("NOT (errorCode = 'AccessDenied' OR userIdentity.accessKeyId = 'AKIA1')"),
        Vec::<String>::new()
    );
    assert_eq!(
        names("NOT coalesce((errorCode = 'AccessDenied') OR (userIdentity.accessKeyId = 'AKIA1'), false)"),
        ["ListBuckets"]
    );
    assert_eq!(
        names("NOT coalesce((errorCode = 'AccessDenied'), false) AND NOT coalesce((userIdentity.accessKeyId = 'AKIA2'), false)"),
        ["DeleteObject", "GetObject", "ListBuckets"]
    );
    assert_eq!(
        rows("SELECT coalesce(errorCode, userIdentity.accessKeyId, 'none') AS c FROM EDS"),
        ["c=AKIA1", "c=AKIA1", "c=AccessDenied", "c=none"]
    );
    assert_eq!(
        rows("SELECT coalesce(errorCode) AS c FROM EDS WHERE eventName = 'ListBuckets'"),
        [""]
    );
    assert!(query("SELECT coalesce() FROM EDS").1.is_err());
}
