//! Running one statement on the fake's table: the table it names must exist; partition
//! projection decides which events the table holds (a window outside its range holds none,
//! which Athena answers with zero rows, not an error); the WHERE's conjuncts on partition
//! columns alone decide which partitions are read, and so `DataScannedInBytes`; the rest is
//! the Lake engine's, with `eventtime` a string as the table has it.

use super::catalog::{FakeTable, Partitioning};
use super::conform::{self, HiveType};
use crate::lake::compile::Expr;
use crate::lake::eval::{predicate, Ctx};
use crate::lake::plan::{self, Item};
use crate::lake::run::{self, LakeEvent, Rows};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;
use trailscope::athena::table::{day_folder, PARTITIONS};
use trailscope::model::time::EventTime;

/// One event as every table sees it: its row (columns and partition values) and its size.
pub(crate) struct AthenaEvent {
    pub row: LakeEvent,
    /// `account`, `region`, `timestamp` (the day folder the record is delivered under).
    pub partition: [String; 3],
}

/// The events of the trail, as rows of the CloudTrail table.
pub(crate) fn events(raw: &[Arc<str>]) -> Vec<AthenaEvent> {
    let columns: Vec<(String, HiveType)> = conform::columns();
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
            let partition = [account, text("awsRegion"), day];
            let named: Vec<(&str, String)> = PARTITIONS
                .iter()
                .copied()
                .zip(partition.iter().cloned())
                .collect();
            AthenaEvent {
                row: LakeEvent {
                    record: conform::row(&record, &columns, &named),
                    time_ms: time.millis(),
                    bytes: r.len(),
                },
                partition,
            }
        })
        .collect()
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
    let mut known: HashSet<String> = conform::columns().into_iter().map(|(n, _)| n).collect();
    known.extend(partitions.iter().map(|p| p.to_string()));
    let mut plan = plan::plan(q, &known)?;
    plan.typed_time = false;

    // The partitions the table projects, then those the WHERE reads.
    let held: Vec<&AthenaEvent> = events.iter().filter(|e| projected(table, e)).collect();
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
    let mut read: Vec<&LakeEvent> = Vec::new();
    for e in held {
        let ctx = Ctx {
            record: Some(&e.row.record),
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
            read.push(&e.row);
        }
    }
    let scanned_bytes = read.iter().map(|e| e.bytes as u64).sum();
    let (_, rows) = run::run(&plan, &read);
    let header = plan
        .items
        .iter()
        .flat_map(|item| match item {
            Item::Expr { expr, name } => vec![(name.clone(), type_of(expr))],
            Item::Wildcard => known_in_order(partitions),
        })
        .collect();
    Ok(Answer {
        header,
        rows: rows?,
        scanned_bytes,
    })
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

fn known_in_order(partitions: &[&str]) -> Vec<(String, &'static str)> {
    conform::columns()
        .into_iter()
        .map(|(n, t)| {
            let ty = match t {
                HiveType::String => "varchar",
                HiveType::Struct(_) => "row",
                HiveType::Array(_) => "array",
                HiveType::Map(_) => "map",
            };
            (n, ty)
        })
        .chain(partitions.iter().map(|p| (p.to_string(), "varchar")))
        .collect()
}
