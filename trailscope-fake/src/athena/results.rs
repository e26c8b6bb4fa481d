//! GetQueryExecution, GetQueryResults and StopQueryExecution: what a client sees of a query
//! as it polls (state, statistics, the reason a query failed), the result pages (every cell
//! a string, NULL a cell without a value, the header row first on the first page only), and
//! stopping.

use super::{invalid, AthenaQuery};
use crate::lake::answer;
use crate::lake::params::Params;
use crate::lake::query::Status;
use crate::lake::results::{decode, encode};
use crate::Reply;
use serde_json::{json, Value};

/// The most rows GetQueryResults returns at once (the model's MaxResults bound).
const PAGE_MAX: usize = 1000;

pub(crate) fn answer_for(queries: &mut [AthenaQuery], op: &str, p: &Params) -> Reply {
    let id = match p.required_athena("QueryExecutionId") {
        Ok(id) => id,
        Err(e) => return e,
    };
    let Some(q) = queries.iter_mut().find(|q| q.query.id == id) else {
        return invalid(&format!(
            "QueryExecution {} was not found",
            trailscope::model::sanitize::visible(id)
        ));
    };
    // A statement running in the background: its result, once ready, becomes the query's.
    let ready = q
        .pending
        .as_ref()
        .and_then(|slot| slot.lock().ok().and_then(|mut done| done.take()));
    if let Some(done) = ready {
        (q.query.stats, q.query.outcome, q.header) = done;
        q.pending = None;
    }
    if q.pending.is_some() {
        return running(q, op);
    }
    match op {
        "GetQueryExecution" => execution(q),
        "GetQueryResults" => results(q, p),
        "GetQueryRuntimeStatistics" => runtime(q),
        _ => stop(q),
    }
}

/// GetQueryRuntimeStatistics: how many rows the statement read and returned (those an
/// UNLOAD wrote, for an UNLOAD), once it ended; nothing yet while it runs.
fn runtime(q: &mut AthenaQuery) -> Reply {
    let status = q.query.poll();
    let done = status == Status::Finished;
    let (stats, millis) = q.query.visible_stats(status);
    let output = match (done, q.unload) {
        (false, _) => 0,
        (true, true) => stats.matched,
        (true, false) => q.query.rows().len() as u64,
    };
    answer(json!({
        "QueryRuntimeStatistics": {
            "Timeline": {
                "QueryQueueTimeInMillis": 40,
                "QueryPlanningTimeInMillis": 20,
                "EngineExecutionTimeInMillis": millis,
                "ServiceProcessingTimeInMillis": 10,
                "TotalExecutionTimeInMillis": millis + 40,
            },
            "Rows": {
                "InputRows": stats.scanned,
                "InputBytes": stats.bytes,
                "OutputBytes": 0,
                "OutputRows": output,
            },
        }
    }))
}

/// A query whose statement is still running: RUNNING to every poll, stoppable.
fn running(q: &mut AthenaQuery, op: &str) -> Reply {
    match op {
        "GetQueryExecution" => {
            let submitted = q.query.created_ms as f64 / 1000.0;
            answer(json!({
                "QueryExecution": {
                    "QueryExecutionId": q.query.id,
                    "Query": q.query.statement,
                    "StatementType": q.statement_type,
                    "ResultConfiguration": { "OutputLocation": q.output },
                    "QueryExecutionContext": { "Database": q.database, "Catalog": "awsdatacatalog" },
                    "Status": { "State": "RUNNING", "SubmissionDateTime": submitted },
                    "Statistics": { "DataScannedInBytes": 0 },
                    "WorkGroup": q.workgroup,
                }
            }))
        }
        "GetQueryResults" => invalid("Query has not yet finished. Current state: RUNNING"),
        "GetQueryRuntimeStatistics" => answer(json!({ "QueryRuntimeStatistics": {} })),
        _ => {
            q.pending = None;
            q.query.force_cancel();
            answer(json!({}))
        }
    }
}

/// Athena's name for a state.
fn state(s: Status) -> &'static str {
    match s {
        Status::Queued => "QUEUED",
        Status::Running => "RUNNING",
        Status::Finished => "SUCCEEDED",
        Status::Failed | Status::TimedOut => "FAILED",
        Status::Cancelled => "CANCELLED",
    }
}

fn execution(q: &mut AthenaQuery) -> Reply {
    let status = q.query.poll();
    let (stats, millis) = q.query.visible_stats(status);
    let submitted = q.query.created_ms as f64 / 1000.0;
    let mut state_json = json!({
        "State": state(status),
        "SubmissionDateTime": submitted,
    });
    if !status.active() {
        state_json["CompletionDateTime"] = json!(submitted + millis as f64 / 1000.0);
    }
    if let (Status::Failed | Status::TimedOut, Some(m)) = (status, q.query.error_message()) {
        let m = crate::lake::bounded(m);
        state_json["StateChangeReason"] = json!(m);
        state_json["AthenaError"] = json!({
            "ErrorCategory": 2,
            "ErrorType": 1006,
            "Retryable": false,
            "ErrorMessage": m,
        });
    }
    let body = json!({
        "QueryExecution": {
            "QueryExecutionId": q.query.id,
            "Query": q.query.statement,
            "StatementType": q.statement_type,
            "ResultConfiguration": { "OutputLocation": q.output },
            "QueryExecutionContext": { "Database": q.database, "Catalog": "awsdatacatalog" },
            "Status": state_json,
            "Statistics": {
                "EngineExecutionTimeInMillis": millis,
                "DataScannedInBytes": stats.bytes,
                "TotalExecutionTimeInMillis": millis + 40,
                "QueryQueueTimeInMillis": 40,
                "QueryPlanningTimeInMillis": 20,
                "ServiceProcessingTimeInMillis": 10,
            },
            "WorkGroup": q.workgroup,
            "EngineVersion": {
                "SelectedEngineVersion": "AUTO",
                "EffectiveEngineVersion": "Athena engine version 3"
            },
            "SubstatementType": match (q.statement_type, q.unload) {
                ("DDL", _) => "CREATE_TABLE",
                (_, true) => "UNLOAD",
                _ => "SELECT",
            },
        }
    });
    answer(body)
}

fn results(q: &mut AthenaQuery, p: &Params) -> Reply {
    let max = match p.0.get("MaxResults") {
        None | Some(Value::Null) => PAGE_MAX,
        Some(v) => match v.as_u64() {
            Some(n) if (1..=PAGE_MAX as u64).contains(&n) => n as usize,
            _ => return invalid("MaxResults must be from 1 to 1000."),
        },
    };
    let status = q.query.status();
    if status != Status::Finished {
        return invalid(&match q.query.error_message() {
            Some(m) if !status.active() => format!(
                "Query did not finish successfully. Final query state: {}. {}",
                state(status),
                crate::lake::bounded(m)
            ),
            _ => format!(
                "Query has not yet finished. Current state: {}",
                state(status)
            ),
        });
    }
    // The header is row 0 of the result, so offsets count it.
    let offset = match p.str("NextToken") {
        None => 0,
        Some(t) => match decode(t, &q.query.id) {
            Some(o) => o,
            None => return invalid("The NextToken is not valid."),
        },
    };
    let rows = q.query.rows();
    let total = rows.len() + 1;
    let mut page = Vec::new();
    for at in offset..total.min(offset.saturating_add(max)) {
        let cells: Vec<Value> = match at {
            0 => q
                .header
                .iter()
                .map(|(n, _)| json!({ "VarCharValue": n }))
                .collect(),
            _ => aligned(&q.header, &rows[at - 1]),
        };
        page.push(json!({ "Data": cells }));
    }
    let columns: Vec<Value> = q
        .header
        .iter()
        .map(|(name, ty)| {
            json!({
                "CatalogName": "hive",
                "SchemaName": "",
                "TableName": "",
                "Name": name,
                "Label": name,
                "Type": ty,
                "Precision": if *ty == "bigint" { 19 } else { 2_147_483_647 },
                "Scale": 0,
                "Nullable": "UNKNOWN",
                "CaseSensitive": *ty == "varchar",
            })
        })
        .collect();
    let mut body = json!({
        "UpdateCount": 0,
        "ResultSet": {
            "Rows": page,
            "ResultSetMetadata": { "ColumnInfo": columns },
        },
    });
    let next = offset.saturating_add(max);
    if next < total {
        body["NextToken"] = json!(encode(&q.query.id, next));
    }
    answer(body)
}

/// A row's cells in header order: the engine leaves NULL cells out, Athena sends them empty.
fn aligned(header: &[(String, &'static str)], row: &[(String, String)]) -> Vec<Value> {
    let mut cells = row.iter().peekable();
    header
        .iter()
        .map(|(name, _)| match cells.peek() {
            Some((n, v)) if n == name => {
                let v = json!({ "VarCharValue": v });
                cells.next();
                v
            }
            _ => json!({}),
        })
        .collect()
}

fn stop(q: &mut AthenaQuery) -> Reply {
    // Athena answers a stop of an ended query with success, and changes nothing.
    q.query.cancel();
    answer(json!({}))
}
