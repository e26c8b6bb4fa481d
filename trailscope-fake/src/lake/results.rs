//! DescribeQuery, GetQueryResults and CancelQuery: what a client sees of a query as it
//! polls, the result pages, and cancelling.

use super::params::{max_results, Params};
use super::query::{Query, Status};
use super::{answer, bounded, fail, store};
use crate::Reply;
use serde_json::{json, Value};
use std::hash::BuildHasher;

/// DescribeQuery, GetQueryResults or CancelQuery for the query the request names.
pub(crate) fn answer_for(queries: &mut [Query], op: &str, p: &Params) -> Reply {
    if let Some(refusal) = p.str("EventDataStore").and_then(store::check) {
        return refusal;
    }
    let id = match p.required("QueryId") {
        Ok(id) => id,
        Err(e) => return e,
    };
    let Some(q) = queries.iter_mut().find(|q| q.id == id) else {
        return fail(
            "QueryIdNotFoundException",
            "The query ID does not exist or does not map to a query.",
        );
    };
    match op {
        "DescribeQuery" => describe(q),
        "GetQueryResults" => results(q, p),
        _ => cancel(q),
    }
}

fn describe(q: &mut Query) -> Reply {
    let status = q.poll();
    let (stats, execution_ms) = q.visible_stats(status);
    let mut body = json!({
        "QueryId": q.id,
        "QueryString": q.statement,
        "QueryStatus": status.name(),
        "QueryStatistics": {
            "EventsMatched": stats.matched,
            "EventsScanned": stats.scanned,
            "BytesScanned": stats.bytes,
            "ExecutionTimeInMillis": execution_ms,
            "CreationTime": q.created_ms as f64 / 1000.0,
        },
    });
    add_error(&mut body, q, status);
    answer(body)
}

fn results(q: &mut Query, p: &Params) -> Reply {
    let max = match max_results(p, "MaxQueryResults", 1000) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let offset = match p.str("NextToken") {
        None => 0,
        Some(t) => match decode(t, &q.id) {
            Some(o) => o,
            None => {
                return fail(
                    "InvalidNextTokenException",
                    "A token that is not valid, or a token that was previously used in a request with different parameters.",
                )
            }
        },
    };
    let status = q.poll();
    let (stats, _) = q.visible_stats(status);
    let readable = matches!(status, Status::Finished | Status::TimedOut);
    let rows: &[Vec<(String, String)>] = if readable { q.rows() } else { &[] };
    let page: Vec<Value> = rows
        .iter()
        .skip(offset)
        .take(max)
        .map(|row| {
            Value::Array(
                row.iter()
                    .map(|(column, cell)| {
                        let mut one = serde_json::Map::new();
                        one.insert(column.clone(), Value::String(cell.clone()));
                        Value::Object(one)
                    })
                    .collect(),
            )
        })
        .collect();
    let mut body = json!({
        "QueryStatus": status.name(),
        "QueryStatistics": {
            "ResultsCount": page.len(),
            "TotalResultsCount": rows.len(),
            "BytesScanned": stats.bytes,
        },
        "QueryResultRows": page,
    });
    let next = offset.saturating_add(max);
    if readable && next < rows.len() {
        body["NextToken"] = json!(encode(&q.id, next));
    }
    add_error(&mut body, q, status);
    answer(body)
}

fn cancel(q: &mut Query) -> Reply {
    if !q.cancel() {
        return fail(
            "InactiveQueryException",
            &format!(
                "The query is {}: only a QUEUED or RUNNING query can be cancelled.",
                q.status().name()
            ),
        );
    }
    answer(json!({ "QueryId": q.id, "QueryStatus": Status::Cancelled.name() }))
}

fn add_error(body: &mut Value, q: &Query, status: Status) {
    if let (Status::Failed | Status::TimedOut, Some(m)) = (status, q.error_message()) {
        body["ErrorMessage"] = json!(bounded(m));
    }
}

/// A results token: the row it resumes at, bound to its query.
pub(crate) fn encode(query_id: &str, offset: usize) -> String {
    format!("tslake1.{:016x}.{offset}", digest(query_id))
}

pub(crate) fn decode(token: &str, query_id: &str) -> Option<usize> {
    let mut parts = token.split('.');
    let (Some("tslake1"), Some(hash), Some(offset), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    (u64::from_str_radix(hash, 16).ok()? == digest(query_id)).then_some(())?;
    offset.parse().ok()
}

fn digest(query_id: &str) -> u64 {
    foldhash::quality::FixedState::with_seed(0x7265_7375).hash_one(query_id)
}
