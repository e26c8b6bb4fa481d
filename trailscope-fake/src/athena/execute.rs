//! Running one statement on the fake's table: the table it names must exist; partition
//! projection decides which events the table holds (a window outside its range holds none,
//! which Athena answers with zero rows, not an error); the WHERE's conjuncts on partition
//! columns alone decide which partitions are read, and so `DataScannedInBytes`; the rest is
//! the Lake engine's, with `eventtime` a string as the table has it.
//!
//! Events are kept as their raw text and made into table rows (`conform`) only when a
//! statement reads them, a chunk at a time when the statement allows (no grouping, order,
//! DISTINCT or LIMIT): a million conformed rows at once would not fit beside the trail.

use super::catalog::{FakeTable, Partitioning};
use super::conform::{self, HiveType};
use crate::lake::compile::Expr;
use crate::lake::eval::{predicate, Ctx};
use crate::lake::plan::{self, Item, Plan};
use crate::lake::run::{self, LakeEvent, Rows};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;
use trailscope::athena::table::{day_folder, PARTITIONS};
use trailscope::model::time::EventTime;

/// Events conformed at once when a statement can be run a chunk at a time.
const CHUNK: usize = 20_000;

/// One event of the trail: its raw record and the partition it is delivered under.
pub(crate) struct AthenaEvent {
    raw: Arc<str>,
    /// `account`, `region`, `timestamp` (the day folder the record is delivered under).
    partition: [String; 3],
    time_ms: Option<i64>,
}

/// The events of the trail, with their partitions.
pub(crate) fn events(raw: &[Arc<str>]) -> Vec<AthenaEvent> {
    raw.iter()
        .map(|r| {
            let record: Value = serde_json::from_str(r).unwrap_or(Value::Null);
            let text = |k: &str| {
                record
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let account = match text("recipientAccountId") {
                a if a.is_empty() => record
                    .pointer("/userIdentity/accountId")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                a => a,
            };
            let time = EventTime::parse(&text("eventTime")).unwrap_or_default();
            let day = day_folder(time).unwrap_or_default();
            AthenaEvent {
                raw: r.clone(),
                partition: [account, text("awsRegion"), day],
                time_ms: time.millis(),
            }
        })
        .collect()
}

/// The event as a row of the table (its columns, then its partition values).
fn conformed(e: &AthenaEvent, columns: &[(String, HiveType)]) -> LakeEvent {
    let record: Value = serde_json::from_str(&e.raw).unwrap_or(Value::Null);
    let named: Vec<(&str, String)> = PARTITIONS
        .iter()
        .copied()
        .zip(e.partition.iter().cloned())
        .collect();
    LakeEvent {
        record: conform::row(&record, columns, &named),
        time_ms: e.time_ms,
        bytes: e.raw.len(),
    }
}

/// What a statement produced: the header (name and Athena type), the rows, and the bytes
/// the partitions it read hold.
pub(crate) struct Answer {
    pub header: Vec<(String, &'static str)>,
    pub rows: Rows,
    pub scanned_bytes: u64,
}

/// Runs `q` (already parsed) on `table`.
pub(crate) fn execute(
    q: &sqlparser::ast::Query,
    table: &FakeTable,
    events: &[AthenaEvent],
) -> Result<Answer, String> {
    let partitions = table.partition_names();
    let columns = conform::columns();
    let mut known: HashSet<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    known.extend(partitions.iter().map(|p| p.to_string()));
    let mut plan = plan::plan(q, &known)?;
    plan.typed_time = false;

    // The partitions the table projects, then those the WHERE reads.
    let pruning: Vec<&Expr> = match &plan.filter {
        None => Vec::new(),
        Some(Expr::And(parts)) => parts
            .iter()
            .filter(|p| on_partitions(p, partitions))
            .collect(),
        Some(one) => [one]
            .into_iter()
            .filter(|p| on_partitions(p, partitions))
            .collect(),
    };
    let mut read: Vec<&AthenaEvent> = Vec::new();
    for e in events.iter().filter(|e| projected(table, e)) {
        let folder = json!({
            "account": e.partition[0],
            "region": e.partition[1],
            "timestamp": e.partition[2],
        });
        let ctx = Ctx {
            record: Some(&folder),
            aggregates: &[],
            typed_time: false,
        };
        let mut keep = true;
        for p in &pruning {
            if predicate(p, ctx)? != Some(true) {
                keep = false;
                break;
            }
        }
        if keep {
            read.push(e);
        }
    }
    let scanned_bytes = read.iter().map(|e| e.raw.len() as u64).sum();
    let chunk = match streams(&plan) {
        true => CHUNK,
        false => read.len().max(1),
    };
    let mut rows = Rows::new();
    for part in read.chunks(chunk) {
        let conformed: Vec<LakeEvent> = part.iter().map(|e| conformed(e, &columns)).collect();
        let (_, answer) = run::run(&plan, &conformed);
        rows.extend(answer?);
    }
    if read.is_empty() {
        // Aggregates over nothing still answer (COUNT(*) = 0).
        let (_, answer) = run::run::<LakeEvent>(&plan, &[]);
        rows = answer?;
    }
    let header = plan
        .items
        .iter()
        .flat_map(|item| match item {
            Item::Expr { expr, name } => vec![(name.clone(), type_of(expr))],
            Item::Wildcard => known_in_order(&columns, partitions),
        })
        .collect();
    Ok(Answer {
        header,
        rows,
        scanned_bytes,
    })
}

/// Whether the plan's rows are each one event's, in any order: it can run a chunk at a time.
fn streams(plan: &Plan) -> bool {
    !plan.grouped
        && !plan.distinct
        && plan.order_by.is_empty()
        && plan.offset == 0
        && plan.limit.is_none()
}

/// Whether the table's projection holds the event's partition.
fn projected(table: &FakeTable, e: &AthenaEvent) -> bool {
    match &table.partitioning {
        Partitioning::None => true,
        Partitioning::Projected {
            accounts,
            regions,
            since,
        } => {
            let within = |allowed: &Option<Vec<String>>, v: &String| {
                allowed.as_ref().is_none_or(|a| a.contains(v))
            };
            within(accounts, &e.partition[0])
                && within(regions, &e.partition[1])
                && !e.partition[2].is_empty()
                && e.partition[2].as_str() >= since.as_str()
        }
    }
}

/// Whether every column `e` reads is a partition column (and it reads one).
fn on_partitions(e: &Expr, partitions: &[&str]) -> bool {
    let mut any = false;
    let mut only = true;
    plan::walk(e, &mut |x| {
        if let Expr::Column(path) = x {
            any = true;
            only &= path.len() == 1 && partitions.contains(&path[0].as_str());
        }
    });
    any && only
}

fn type_of(e: &Expr) -> &'static str {
    match e {
        Expr::Aggregate(_) | Expr::Strpos(..) => "bigint",
        _ => "varchar",
    }
}

fn known_in_order(
    columns: &[(String, HiveType)],
    partitions: &[&str],
) -> Vec<(String, &'static str)> {
    columns
        .iter()
        .map(|(n, t)| {
            let ty = match t {
                HiveType::String => "varchar",
                HiveType::Struct(_) => "row",
                HiveType::Array(_) => "array",
                HiveType::Map(_) => "map",
            };
            (n.clone(), ty)
        })
        .chain(partitions.iter().map(|p| (p.to_string(), "varchar")))
        .collect()
}
