//! The fake on loopback and the SDK calls the Lake tests make.

use aws_sdk_cloudtrail::error::ProvideErrorMetadata;
use aws_sdk_cloudtrail::operation::describe_query::DescribeQueryOutput;
use aws_sdk_cloudtrail::types::QueryStatus;
use aws_sdk_cloudtrail::Client;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use trailscope::model::store::Store;
use trailscope::source::files::load_blocking;
use trailscope::source::lookup::client::with_endpoint;
use trailscope::source::{demo, walk};
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::FakeCloudTrail;

/// A result row: (column, value) in SELECT order.
pub type Row = Vec<(String, String)>;

/// The demo, loaded on its own thread (`load_blocking` must not run inside the runtime).
pub fn demo_store() -> Store {
    std::thread::spawn(|| load_blocking(demo::plan()).0)
        .join()
        .expect("the demo loads")
}

/// Events from files (e.g. a JSON-lines file a test wrote).
pub fn store_of(path: PathBuf) -> Store {
    std::thread::spawn(move || load_blocking(walk::plan(&[path])).0)
        .join()
        .expect("the files load")
}

/// The store's raw records in the fake's order: newest first, ties by event ID.
pub fn records(store: &Store) -> Vec<Value> {
    let mut events: Vec<(i64, String, Value)> = store
        .time_order()
        .iter()
        .map(|&i| {
            let e = store.event(i);
            let raw: Value = serde_json::from_str(&e.raw.text()).expect("raw JSON");
            let id = e
                .event_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            (e.time.millis().unwrap_or(0), id, raw)
        })
        .collect();
    events.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    events.into_iter().map(|(_, _, raw)| raw).collect()
}

/// Event IDs in the fake's order.
pub fn ids(store: &Store) -> Vec<String> {
    records(store)
        .iter()
        .map(|r| r["eventID"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The error code of a failed SDK call ("" if it succeeded).
pub fn code<T, E: ProvideErrorMetadata>(r: Result<T, E>) -> String {
    match r {
        Ok(_) => String::new(),
        Err(e) => e.code().unwrap_or("(no code)").to_string(),
    }
}

pub struct Lake {
    pub client: Client,
    pub shared: Arc<Shared>,
}

impl Lake {
    /// The fake serving `store` on a free loopback port, configured by `configure`.
    pub async fn start(store: Store, configure: impl FnOnce(&mut FakeCloudTrail)) -> Lake {
        let mut fake = FakeCloudTrail::from_store(&store);
        configure(&mut fake);
        let shared = Shared::new(fake, Some(1_795_000_000_000));
        let (addr, listener) = bind(0).await.expect("bind loopback");
        tokio::spawn(serve(listener, shared.clone()));
        let client = with_endpoint(
            &format!("http://{addr}"),
            "us-east-1",
            "AKIDEXAMPLE",
            "secret",
        );
        Lake { client, shared }
    }

    /// Reads or changes the fake between calls.
    pub fn with<R>(&self, f: impl FnOnce(&mut FakeCloudTrail) -> R) -> R {
        let mut fake = self.shared.fake.lock().expect("the fake's lock");
        f(&mut fake)
    }

    /// StartQuery: the query id, or the error code.
    pub async fn start_query(&self, sql: &str) -> Result<String, String> {
        match self.client.start_query().query_statement(sql).send().await {
            Ok(out) => Ok(out.query_id().unwrap_or_default().to_string()),
            Err(e) => Err(e.code().unwrap_or("(no code)").to_string()),
        }
    }

    pub async fn describe(&self, id: &str) -> DescribeQueryOutput {
        self.client
            .describe_query()
            .query_id(id)
            .send()
            .await
            .expect("DescribeQuery")
    }

    /// Polls DescribeQuery until the query has ended; its final status.
    pub async fn finish(&self, id: &str) -> QueryStatus {
        for _ in 0..100 {
            match self.describe(id).await.query_status() {
                Some(QueryStatus::Queued | QueryStatus::Running) => continue,
                Some(s) => return s.clone(),
                None => panic!("no status"),
            }
        }
        panic!("the query never ended");
    }

    /// Every result row, paging with `page` rows per call (the default 1000 if `None`);
    /// the rows and the number of pages.
    pub async fn rows(&self, id: &str, page: Option<i32>) -> (Vec<Row>, usize) {
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let out = self
                .client
                .get_query_results()
                .query_id(id)
                .set_max_query_results(page)
                .set_next_token(token.clone())
                .send()
                .await
                .expect("GetQueryResults");
            pages += 1;
            let stats = out.query_statistics().expect("statistics");
            assert_eq!(
                stats.results_count(),
                Some(out.query_result_rows().len() as i32)
            );
            for row in out.query_result_rows() {
                rows.push(
                    row.iter()
                        .map(|cell| {
                            assert_eq!(cell.len(), 1, "one column per map");
                            let (k, v) = cell.iter().next().expect("a cell");
                            (k.clone(), v.clone())
                        })
                        .collect(),
                );
            }
            match out.next_token() {
                Some(t) => token = Some(t.to_string()),
                None => {
                    assert_eq!(stats.total_results_count(), Some(rows.len() as i32));
                    return (rows, pages);
                }
            }
            assert!(pages < 10_000, "paging never ends");
        }
    }

    /// Runs a statement to the end (it must finish) and returns every row.
    pub async fn query(&self, sql: &str) -> Vec<Row> {
        let id = self
            .start_query(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let status = self.finish(&id).await;
        if status != QueryStatus::Finished {
            let why = self.describe(&id).await.error_message().map(str::to_string);
            panic!("{sql}: {status:?} {why:?}");
        }
        self.rows(&id, None).await.0
    }
}
