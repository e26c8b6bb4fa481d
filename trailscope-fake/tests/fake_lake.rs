//! CloudTrail Lake on the fake endpoint, through the real aws-sdk-cloudtrail client on
//! loopback: the event data store, every query state, result pages, every error the fake
//! answers, and (in `fake_lake/`) the SQL engine checked against the same computation done in
//! Rust, and every response checked against AWS's model.

#[path = "fake_lake/model.rs"]
mod model;
mod shapes;
#[path = "fake_lake/sql.rs"]
mod sql;
#[path = "fake_lake/wire.rs"]
mod wire;

use aws_sdk_cloudtrail::error::ProvideErrorMetadata;
use aws_sdk_cloudtrail::types::QueryStatus;
use trailscope_fake::FAKE_EDS_ID;
use wire::{code, demo_store, ids, Lake};

const ARN: &str =
    "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

#[tokio::test]
async fn lists_and_describes_the_one_event_data_store() {
    let lake = Lake::start(demo_store(), |_| {}).await;
    let listed = lake
        .client
        .list_event_data_stores()
        .max_results(1)
        .send()
        .await
        .expect("listed");
    let stores = listed.event_data_stores();
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0].event_data_store_arn(), Some(ARN));
    assert_eq!(stores[0].name(), Some("trailscope-fake"));
    assert_eq!(listed.next_token(), None);
    for name in [FAKE_EDS_ID, ARN] {
        let got = lake
            .client
            .get_event_data_store()
            .event_data_store(name)
            .send()
            .await
            .expect("described");
        assert_eq!(got.event_data_store_arn(), Some(ARN));
        assert_eq!(got.status().map(|s| s.as_str()), Some("ENABLED"));
        assert_eq!(got.multi_region_enabled(), Some(true));
        assert_eq!(got.organization_enabled(), Some(false));
        assert_eq!(got.retention_period(), Some(2557));
        assert_eq!(got.termination_protection_enabled(), Some(true));
        assert_eq!(
            got.billing_mode().map(|b| b.as_str()),
            Some("EXTENDABLE_RETENTION_PRICING")
        );
        assert!(got.created_timestamp().is_some() && got.updated_timestamp().is_some());
    }
    let missing = lake
        .client
        .get_event_data_store()
        .event_data_store("00000000-0000-4000-8000-000000000000")
        .send()
        .await;
    assert_eq!(code(missing), "EventDataStoreNotFoundException");
    let malformed = lake
        .client
        .get_event_data_store()
        .event_data_store("no such; store")
        .send()
        .await;
    assert_eq!(code(malformed), "EventDataStoreARNInvalidException");
    let zero = lake
        .client
        .list_event_data_stores()
        .max_results(0)
        .send()
        .await;
    assert_eq!(code(zero), "InvalidMaxResultsException");
    let forged = lake
        .client
        .list_event_data_stores()
        .next_token("forged")
        .send()
        .await;
    assert_eq!(code(forged), "InvalidNextTokenException");
}

#[tokio::test]
async fn a_query_is_queued_then_running_then_finished_and_pages_by_1000_and_by_7() {
    let store = demo_store();
    let expected: Vec<String> = ids(&store).into_iter().take(2500).collect();
    let lake = Lake::start(store, |f| f.lake.polls_per_state = 2).await;
    let sql = format!("SELECT eventID FROM {FAKE_EDS_ID} LIMIT 2500");
    let id = lake.start_query(&sql).await.expect("started");
    assert_eq!(id.len(), 36);
    assert!(
        id.chars().all(|c| matches!(c, 'a'..='f' | '0'..='9' | '-')),
        "{id}"
    );
    let mut seen = Vec::new();
    for _ in 0..3 {
        let d = lake.describe(&id).await;
        assert_eq!(d.query_id(), Some(id.as_str()));
        assert_eq!(d.query_string(), Some(sql.as_str()));
        assert!(d
            .query_statistics()
            .and_then(|s| s.creation_time())
            .is_some());
        seen.push(d.query_status().cloned());
    }
    // While it runs, results are its status and no rows.
    let running = lake
        .client
        .get_query_results()
        .query_id(&id)
        .send()
        .await
        .expect("results while running");
    assert_eq!(running.query_status(), Some(&QueryStatus::Running));
    assert!(running.query_result_rows().is_empty());
    assert_eq!(running.next_token(), None);
    let done = lake.describe(&id).await;
    seen.push(done.query_status().cloned());
    assert_eq!(
        seen,
        [
            Some(QueryStatus::Queued),
            Some(QueryStatus::Queued),
            Some(QueryStatus::Running),
            Some(QueryStatus::Finished)
        ]
    );
    let stats = done.query_statistics().expect("statistics");
    assert_eq!(stats.events_matched(), Some(6707), "no WHERE: every event");
    assert_eq!(stats.events_scanned(), Some(6707));
    assert!(stats.bytes_scanned().unwrap_or(0) > 1_000_000);
    assert!(stats.execution_time_in_millis().unwrap_or(0) > 0);

    let (rows, pages) = lake.rows(&id, None).await;
    assert_eq!(pages, 3, "1000 + 1000 + 500");
    let got: Vec<String> = rows.iter().map(|r| r[0].1.clone()).collect();
    assert_eq!(got, expected, "the store's order, newest first");
    assert!(rows.iter().all(|r| r.len() == 1 && r[0].0 == "eventID"));
    let (by_seven, pages) = lake.rows(&id, Some(7)).await;
    assert_eq!(pages, 2500_usize.div_ceil(7));
    assert_eq!(by_seven, rows);
}

#[tokio::test]
async fn failed_timed_out_and_cancelled_queries() {
    let lake = Lake::start(demo_store(), |f| f.lake.polls_per_state = 0).await;
    // A statement that parses but cannot run fails the query, not the call.
    let id = lake
        .start_query(&format!("SELECT no_such_column FROM {FAKE_EDS_ID}"))
        .await
        .expect("started");
    let d = lake.describe(&id).await;
    assert_eq!(d.query_status(), Some(&QueryStatus::Failed));
    assert!(
        d.error_message().unwrap_or("").contains("no_such_column"),
        "{d:?}"
    );
    let r = lake
        .client
        .get_query_results()
        .query_id(&id)
        .send()
        .await
        .expect("results");
    assert_eq!(r.query_status(), Some(&QueryStatus::Failed));
    assert!(r.error_message().is_some() && r.query_result_rows().is_empty());
    let function = lake
        .start_query(&format!(
            "SELECT approx_percentile(eventTime, 0.5) FROM {FAKE_EDS_ID}"
        ))
        .await
        .expect("started");
    assert_eq!(lake.finish(&function).await, QueryStatus::Failed);

    lake.with(|f| f.lake.time_out_after_rows = Some(1500));
    let id = lake
        .start_query(&format!("SELECT eventID FROM {FAKE_EDS_ID} LIMIT 2500"))
        .await
        .expect("started");
    let d = lake.describe(&id).await;
    assert_eq!(d.query_status(), Some(&QueryStatus::TimedOut));
    assert!(d.error_message().is_some());
    let (rows, pages) = lake.rows(&id, None).await;
    assert_eq!(
        (rows.len(), pages),
        (1500, 2),
        "the partial rows stay readable"
    );
    lake.with(|f| f.lake.time_out_after_rows = None);

    lake.with(|f| f.lake.polls_per_state = 3);
    let id = lake
        .start_query(&format!("SELECT eventID FROM {FAKE_EDS_ID}"))
        .await
        .expect("started");
    let cancelled = lake
        .client
        .cancel_query()
        .query_id(&id)
        .send()
        .await
        .expect("cancelled");
    assert_eq!(cancelled.query_id(), id);
    assert_eq!(cancelled.query_status(), &QueryStatus::Cancelled);
    assert_eq!(
        lake.describe(&id).await.query_status(),
        Some(&QueryStatus::Cancelled)
    );
    let again = lake.client.cancel_query().query_id(&id).send().await;
    assert_eq!(code(again), "InactiveQueryException");
    let r = lake
        .client
        .get_query_results()
        .query_id(&id)
        .send()
        .await
        .expect("results");
    assert!(r.query_result_rows().is_empty());
    lake.with(|f| f.lake.polls_per_state = 0);
    let finished = lake
        .start_query(&format!("SELECT eventID FROM {FAKE_EDS_ID} LIMIT 1"))
        .await
        .expect("started");
    assert_eq!(lake.finish(&finished).await, QueryStatus::Finished);
    let late = lake.client.cancel_query().query_id(&finished).send().await;
    assert_eq!(code(late), "InactiveQueryException");
}

#[tokio::test]
async fn refusals_at_start_and_for_unknown_queries_pages_and_tokens() {
    let lake = Lake::start(demo_store(), |f| f.lake.polls_per_state = 0).await;
    let cases = [
        (
            "SELECT * FROM".to_string(),
            "InvalidQueryStatementException",
        ),
        (
            format!("DELETE FROM {FAKE_EDS_ID}"),
            "InvalidQueryStatementException",
        ),
        (
            format!("SELECT 1 FROM {FAKE_EDS_ID}; SELECT 2 FROM {FAKE_EDS_ID}"),
            "InvalidQueryStatementException",
        ),
        ("SELECT 1".to_string(), "InvalidQueryStatementException"),
        (
            "SELECT * FROM 00000000-0000-4000-8000-000000000000".to_string(),
            "EventDataStoreNotFoundException",
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(
            lake.start_query(&sql).await.err().as_deref(),
            Some(expected),
            "{sql}"
        );
    }
    let parse_error = lake
        .client
        .start_query()
        .query_statement("SELECT 'unterminated FROM x")
        .send()
        .await
        .expect_err("refused");
    assert!(
        parse_error.message().unwrap_or("").contains("nterminated"),
        "{parse_error:?}"
    );

    let unknown = lake
        .client
        .describe_query()
        .query_id("0".repeat(36))
        .send()
        .await;
    assert_eq!(code(unknown), "QueryIdNotFoundException");
    let id = lake
        .start_query(&format!("SELECT eventID FROM {FAKE_EDS_ID} LIMIT 20"))
        .await
        .expect("started");
    assert_eq!(lake.finish(&id).await, QueryStatus::Finished);
    for bad in [0, 1001] {
        let r = lake
            .client
            .get_query_results()
            .query_id(&id)
            .max_query_results(bad)
            .send()
            .await;
        assert_eq!(code(r), "InvalidMaxResultsException");
    }
    let first = lake
        .client
        .get_query_results()
        .query_id(&id)
        .max_query_results(5)
        .send()
        .await
        .expect("a page");
    let token = first.next_token().expect("more pages").to_string();
    let forged = lake
        .client
        .get_query_results()
        .query_id(&id)
        .next_token("tslake1.0.5")
        .send()
        .await;
    assert_eq!(code(forged), "InvalidNextTokenException");
    let other = lake
        .start_query(&format!("SELECT eventID FROM {FAKE_EDS_ID} LIMIT 20"))
        .await
        .expect("started");
    let wrong_query = lake
        .client
        .get_query_results()
        .query_id(&other)
        .next_token(&token)
        .send()
        .await;
    assert_eq!(
        code(wrong_query),
        "InvalidNextTokenException",
        "a token is bound to its query"
    );
}

#[tokio::test]
async fn at_most_max_concurrent_queries_run_at_once() {
    let lake = Lake::start(demo_store(), |f| f.lake.polls_per_state = 5).await;
    let sql = format!("SELECT eventID FROM {FAKE_EDS_ID} WHERE eventName = 'GetObject'");
    let mut running = Vec::new();
    for _ in 0..10 {
        running.push(lake.start_query(&sql).await.expect("under the limit"));
    }
    assert_eq!(
        lake.start_query(&sql).await.err().as_deref(),
        Some("MaxConcurrentQueriesException")
    );
    lake.client
        .cancel_query()
        .query_id(&running[0])
        .send()
        .await
        .expect("cancelled");
    lake.start_query(&sql).await.expect("a slot is free again");
    lake.with(|f| f.lake.max_concurrent = 2);
    assert_eq!(
        lake.start_query(&sql).await.err().as_deref(),
        Some("MaxConcurrentQueriesException")
    );
    // Queries that have ended free their slot.
    for id in &running[1..] {
        assert_eq!(lake.finish(id).await, QueryStatus::Finished);
    }
    lake.with(|f| f.lake.max_concurrent = 10);
    lake.start_query(&sql)
        .await
        .expect("slots freed by finished queries");
}

#[tokio::test]
async fn lake_closed_answers_every_operation_with_the_configured_error() {
    for kind in [
        "UnsupportedOperationException",
        "OperationNotPermittedException",
    ] {
        let lake = Lake::start(demo_store(), |f| {
            f.lake.unavailable = Some(kind.to_string())
        })
        .await;
        let c = &lake.client;
        assert_eq!(code(c.list_event_data_stores().send().await), kind);
        assert_eq!(
            code(
                c.get_event_data_store()
                    .event_data_store(FAKE_EDS_ID)
                    .send()
                    .await
            ),
            kind
        );
        assert_eq!(
            lake.start_query("SELECT 1").await.err().as_deref(),
            Some(kind)
        );
        let id = "0".repeat(36);
        assert_eq!(code(c.describe_query().query_id(&id).send().await), kind);
        assert_eq!(code(c.get_query_results().query_id(&id).send().await), kind);
        assert_eq!(code(c.cancel_query().query_id(&id).send().await), kind);
        let calls = lake.with(|f| {
            f.lake
                .calls
                .iter()
                .map(|(op, _)| op.clone())
                .collect::<Vec<_>>()
        });
        assert_eq!(
            calls,
            [
                "ListEventDataStores",
                "GetEventDataStore",
                "StartQuery",
                "DescribeQuery",
                "GetQueryResults",
                "CancelQuery"
            ]
        );
    }
}

#[tokio::test]
async fn scripted_statements_answer_canned_rows_and_lake_calls_are_not_lookup_calls() {
    let odd = "SELECT approx_distinct(sourceIPAddress) AS ips FROM whatever UNNEST";
    let lake = Lake::start(demo_store(), |f| {
        f.lake.polls_per_state = 0;
        f.lake
            .script(odd, vec![vec![("ips".to_string(), "42".to_string())]]);
        // Every LookupEvents call fails; Lake must not be touched by that.
        f.faults
            .add(trailscope_fake::faults::parse_rule("1+=503").expect("a rule"));
    })
    .await;
    let id = lake
        .start_query(odd)
        .await
        .expect("scripted statements start");
    assert_eq!(lake.finish(&id).await, QueryStatus::Finished);
    let (rows, _) = lake.rows(&id, None).await;
    assert_eq!(rows, [vec![("ips".to_string(), "42".to_string())]]);
    let (requests, faults, calls) = lake.with(|f| {
        (
            f.requests.len(),
            f.faults.calls(),
            f.lake
                .calls
                .iter()
                .map(|(op, body)| (op.clone(), body.clone()))
                .collect::<Vec<_>>(),
        )
    });
    assert_eq!((requests, faults), (0, 0));
    assert_eq!(calls[0].0, "StartQuery");
    assert_eq!(calls[0].1["QueryStatement"], odd);
    assert!(calls
        .iter()
        .skip(1)
        .all(|(op, _)| op == "DescribeQuery" || op == "GetQueryResults"));
}

#[tokio::test]
async fn the_error_of_a_refused_start_carries_the_parsers_message() {
    let lake = Lake::start(demo_store(), |_| {}).await;
    let e = lake
        .client
        .start_query()
        .query_statement(format!("SELECT eventName FROM {FAKE_EDS_ID} WHERE"))
        .send()
        .await
        .expect_err("refused");
    assert_eq!(e.code(), Some("InvalidQueryStatementException"));
    assert!(e.message().unwrap_or("").contains("Expected"), "{e:?}");
}
