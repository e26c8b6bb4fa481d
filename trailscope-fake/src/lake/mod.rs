//! CloudTrail Lake on the fake endpoint: one event data store holding every event the fake
//! serves, and the six operations a Lake client uses (ListEventDataStores, GetEventDataStore,
//! StartQuery, DescribeQuery, GetQueryResults, CancelQuery) with AWS's shapes, states,
//! pagination and errors. Statements are parsed with a real SQL parser (`sql`), planned
//! (`compile`, `plan`) and run over the raw events (`eval`, `run`); a statement the engine
//! cannot run can be given canned rows (`FakeLake::script`).
//!
//! Knobs are public fields, so tests can make Lake slow, time out, busy or closed.

pub(crate) mod compile;
#[cfg(test)]
mod engine_tests;
pub(crate) mod eval;
pub(crate) mod functions;
pub(crate) mod params;
pub(crate) mod plan;
pub(crate) mod query;
pub(crate) mod results;
pub(crate) mod run;
pub(crate) mod sql;
pub(crate) mod store;
pub(crate) mod value;

pub use sql::parse_statement;
pub use store::NAME as STORE_NAME;

use super::Reply;
use params::Params;
use query::{Outcome, Query};
use run::{LakeEvent, Rows, Stats};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The id of the fake's one event data store.
pub const FAKE_EDS_ID: &str = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

/// The Lake operations, as named after the `CloudTrail_20131101.` target prefix.
const OPERATIONS: [&str; 6] = [
    "ListEventDataStores",
    "GetEventDataStore",
    "StartQuery",
    "DescribeQuery",
    "GetQueryResults",
    "CancelQuery",
];

/// Both spellings of a target (the Rust SDK's short one, botocore's long one) → the Lake
/// operation it names, if it names one.
pub(crate) fn operation(target: &str) -> Option<&'static str> {
    let op = target
        .strip_prefix("com.amazonaws.cloudtrail.v20131101.")
        .unwrap_or(target)
        .strip_prefix("CloudTrail_20131101.")?;
    OPERATIONS.iter().copied().find(|o| *o == op)
}

pub struct FakeLake {
    /// DescribeQuery/GetQueryResults calls a query spends QUEUED, then as many RUNNING,
    /// before it ends (0: it has ended by the first poll).
    pub polls_per_state: u32,
    /// Queries QUEUED or RUNNING at once before StartQuery answers
    /// MaxConcurrentQueriesException (AWS: 10).
    pub max_concurrent: usize,
    /// Queries started while this is set end TIMED_OUT with only their first N rows readable.
    pub time_out_after_rows: Option<usize>,
    /// Every Lake operation answers this error type (UnsupportedOperationException: Lake is
    /// closed to new customers; OperationNotPermittedException…).
    pub unavailable: Option<String>,
    /// Every Lake request: the operation (`StartQuery`) and its body (null if not JSON).
    pub calls: Vec<(String, Value)>,
    raw: Vec<Arc<str>>,
    /// The raw records parsed, on the first query that needs them (a fake serving a large
    /// trail for LookupEvents alone never pays for it).
    events: Option<Vec<LakeEvent>>,
    /// Top-level column names (lower-cased) a statement may use.
    columns: HashSet<String>,
    scripts: HashMap<String, Rows>,
    queries: Vec<Query>,
}

/// Lake's event schema (top-level columns), so that a column no event happens to hold is
/// still a column, and a misspelt one fails the query as it would on Lake.
const SCHEMA: [&str; 33] = [
    "eventVersion",
    "userIdentity",
    "userAgent",
    "eventSource",
    "eventName",
    "eventTime",
    "awsRegion",
    "sourceIPAddress",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "sharedEventID",
    "annotation",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "serviceEventDetails",
    "addendum",
    "edgeDeviceDetails",
    "insightDetails",
    "eventCategory",
    "tlsDetails",
    "sessionCredentialFromConsole",
    "eventJson",
];

impl FakeLake {
    /// A store of these raw records, in the order queries without ORDER BY return them.
    pub(crate) fn new(raw: Vec<Arc<str>>) -> FakeLake {
        FakeLake {
            polls_per_state: 1,
            max_concurrent: 10,
            time_out_after_rows: None,
            unavailable: None,
            calls: Vec::new(),
            raw,
            events: None,
            columns: SCHEMA.iter().map(|c| c.to_lowercase()).collect(),
            scripts: HashMap::new(),
            queries: Vec::new(),
        }
    }

    /// Canned rows (each a list of column → value) for this exact statement text, which is
    /// then not parsed or executed: for statements beyond the engine.
    pub fn script(&mut self, sql: &str, columns_rows: Vec<Vec<(String, String)>>) {
        self.scripts.insert(sql.to_string(), columns_rows);
    }

    /// Events in the store.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// One Lake request (already authenticated by the caller).
    pub(crate) fn handle(&mut self, op: &str, body: &[u8], now_ms: i64) -> Reply {
        let request = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            _ => {
                self.calls.push((op.to_string(), Value::Null));
                return fail("SerializationException", "body is not a JSON object");
            }
        };
        self.calls
            .push((op.to_string(), Value::Object(request.clone())));
        if let Some(kind) = &self.unavailable {
            return unavailable(kind);
        }
        let p = Params(&request);
        match op {
            "ListEventDataStores" => store::list(&p),
            "GetEventDataStore" => match p.required("EventDataStore") {
                Ok(name) => store::check(name).unwrap_or_else(|| answer(store::describe())),
                Err(e) => e,
            },
            "StartQuery" => self.start(&p, now_ms),
            _ => results::answer_for(&mut self.queries, op, &p),
        }
    }

    fn start(&mut self, p: &Params, now_ms: i64) -> Reply {
        if p.0.contains_key("QueryParameters") || p.0.contains_key("QueryAlias") {
            return fail(
                "InvalidParameterException",
                "QueryParameters and QueryAlias are not supported by the fake Lake; send the whole QueryStatement",
            );
        }
        let statement = match p.required("QueryStatement") {
            Ok(s) if s.chars().count() <= 10_000 => s.to_string(),
            Ok(_) => {
                return fail(
                    "InvalidParameterException",
                    "QueryStatement is longer than 10000 characters.",
                )
            }
            Err(e) => return e,
        };
        let parsed = match self.scripts.get(&statement) {
            Some(_) => None,
            None => match sql::parse_statement(&statement) {
                Ok(q) => Some(q),
                Err(why) => return fail("InvalidQueryStatementException", &why),
            },
        };
        if let Some(q) = &parsed {
            let tables = plan::tables(q);
            if tables.is_empty() {
                return fail(
                    "InvalidQueryStatementException",
                    "The query must read FROM an event data store (its id).",
                );
            }
            if let Some(refusal) = tables.iter().find_map(|t| store::check(plan::unquote(t))) {
                return refusal;
            }
        }
        let active = self.queries.iter().filter(|q| q.status().active()).count();
        if active >= self.max_concurrent {
            return fail(
                "MaxConcurrentQueriesException",
                "You are already running the maximum number of concurrent queries. Wait a minute for some queries to finish, and then run the query again.",
            );
        }
        let (stats, outcome) = match (&parsed, self.scripts.get(&statement)) {
            (None, Some(rows)) => (Stats::default(), Ok(rows.clone())),
            (Some(q), _) => self.execute(q),
            (None, None) => (Stats::default(), Err("no statement".to_string())),
        };
        let outcome = match (outcome, self.time_out_after_rows) {
            (Err(why), _) => Outcome::Failed(why),
            (Ok(mut rows), Some(n)) => {
                rows.truncate(n);
                Outcome::TimedOut(
                    rows,
                    "Query timed out before it finished; the results found so far can be read."
                        .to_string(),
                )
            }
            (Ok(rows), None) => Outcome::Finished(rows),
        };
        let number = self.queries.len() as u64 + 1;
        let q = Query::new(
            number,
            &statement,
            now_ms,
            self.polls_per_state,
            stats,
            outcome,
        );
        let id = q.id.clone();
        self.queries.push(q);
        answer(json!({ "QueryId": id }))
    }

    fn execute(&mut self, q: &sqlparser::ast::Query) -> (Stats, Result<Rows, String>) {
        if self.events.is_none() {
            let events = parse_events(&self.raw);
            for o in events.iter().filter_map(|e| e.record.as_object()) {
                self.columns.extend(o.keys().map(|k| k.to_lowercase()));
            }
            self.events = Some(events);
        }
        let events = self.events.as_deref().unwrap_or_default();
        match plan::plan(q, &self.columns) {
            Ok(p) => run::run(&p, events),
            Err(why) => (Stats::default(), Err(why)),
        }
    }
}

fn parse_events(raw: &[Arc<str>]) -> Vec<LakeEvent> {
    raw.iter()
        .map(|r| {
            let record: Value = serde_json::from_str(r).unwrap_or(Value::Null);
            let time_ms = record
                .get("eventTime")
                .and_then(Value::as_str)
                .and_then(trailscope::model::time::EventTime::parse)
                .and_then(trailscope::model::time::EventTime::millis);
            LakeEvent {
                record,
                time_ms,
                bytes: r.len(),
            }
        })
        .collect()
}

fn unavailable(kind: &str) -> Reply {
    let message = match kind {
        "UnsupportedOperationException" => {
            "CloudTrail Lake is no longer available to new customers; this account cannot use it."
        }
        "OperationNotPermittedException" => "This operation is not permitted.",
        _ => "CloudTrail Lake is unavailable (injected by the fake).",
    };
    fail(kind, message)
}

/// An awsJson1_1 error (HTTP 400), its message bounded as the model bounds ErrorMessage.
pub(crate) fn fail(kind: &str, message: &str) -> Reply {
    Reply::error(400, kind, &bounded(message))
}

pub(crate) fn answer(body: Value) -> Reply {
    Reply::ok(200, body.to_string())
}

/// At most 1000 characters (the model's ErrorMessage), cut on a character boundary.
pub(crate) fn bounded(message: &str) -> String {
    match message.char_indices().nth(1000) {
        Some((at, _)) => message[..at].to_string(),
        None => message.to_string(),
    }
}
