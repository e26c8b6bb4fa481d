//! Running a plan over the store: partition pruning by the `eventTime` bounds (what Lake
//! bills), WHERE, grouping and aggregates, DISTINCT, ORDER BY, OFFSET and LIMIT, and the
//! rows as Lake returns them (string cells, NULLs left out).

use super::compile::{AggKind, Aggregate, Cmp, Expr, Lit, EVENT_TIME};
use super::eval::{eval, predicate, Ctx};
use super::plan::{Item, Plan, SortTarget};
use super::value::{order, Key, Val};
use serde_json::Value;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// One event of the store, as Lake holds it.
pub(crate) struct LakeEvent {
    pub record: Value,
    pub time_ms: Option<i64>,
    /// The raw record's length: what scanning it costs.
    pub bytes: usize,
}

/// Rows of one-column maps, in SELECT order, as GetQueryResults returns them.
pub(crate) type Rows = Vec<Vec<(String, String)>>;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Stats {
    pub matched: u64,
    pub scanned: u64,
    pub bytes: u64,
}

struct Row<'a> {
    record: Option<&'a Value>,
    values: Vec<Val<'a>>,
    keys: Vec<Val<'a>>,
}

/// The statistics are filled in even when evaluation fails part-way.
pub(crate) fn run<E: Borrow<LakeEvent>>(
    plan: &Plan,
    events: &[E],
) -> (Stats, Result<Rows, String>) {
    let (low, high) = plan.filter.as_ref().map_or((None, None), time_bounds);
    let scanned: Vec<&LakeEvent> = events
        .iter()
        .map(Borrow::borrow)
        .filter(|e| {
            (low.is_none() && high.is_none())
                || e.time_ms
                    .is_some_and(|t| low.is_none_or(|l| t >= l) && high.is_none_or(|h| t <= h))
        })
        .collect();
    let mut stats = Stats {
        matched: 0,
        scanned: scanned.len() as u64,
        bytes: scanned.iter().map(|e| e.bytes as u64).sum(),
    };
    let mut matched = Vec::new();
    for e in scanned {
        let keep = match &plan.filter {
            None => Some(true),
            Some(f) => match predicate(f, ctx(plan, Some(&e.record), &[])) {
                Ok(k) => k,
                Err(why) => return (stats, Err(why)),
            },
        };
        if keep == Some(true) {
            matched.push(&e.record);
        }
    }
    stats.matched = matched.len() as u64;
    let rows = if plan.grouped {
        grouped_rows(plan, &matched)
    } else {
        matched.iter().map(|r| row(plan, Some(r), &[])).collect()
    };
    (stats, rows.map(|rows| finish(plan, rows)))
}

fn ctx<'a, 'g>(plan: &Plan, record: Option<&'a Value>, aggregates: &'g [Val<'a>]) -> Ctx<'a, 'g> {
    Ctx {
        record,
        aggregates,
        typed_time: plan.typed_time,
    }
}

/// The output values and sort keys of one event or group.
fn row<'a>(plan: &'a Plan, record: Option<&'a Value>, aggs: &[Val<'a>]) -> Result<Row<'a>, String> {
    let c = ctx(plan, record, aggs);
    let mut values = Vec::with_capacity(plan.items.len());
    for item in &plan.items {
        values.push(match item {
            Item::Wildcard => Val::Null,
            Item::Expr { expr, .. } => eval(expr, c)?,
        });
    }
    let mut keys = Vec::with_capacity(plan.order_by.len());
    for k in &plan.order_by {
        keys.push(match &k.target {
            SortTarget::Output(i) => values.get(*i).cloned().unwrap_or(Val::Null),
            SortTarget::Expr(e) => eval(e, c)?,
        });
    }
    Ok(Row {
        record,
        values,
        keys,
    })
}

fn grouped_rows<'a>(plan: &'a Plan, matched: &[&'a Value]) -> Result<Vec<Row<'a>>, String> {
    let mut groups: Vec<Vec<&'a Value>> = Vec::new();
    if plan.group_by.is_empty() {
        // An aggregate without GROUP BY is one row, even over no events (COUNT(*) = 0).
        groups.push(matched.to_vec());
    } else {
        let mut index: HashMap<Vec<Key>, usize> = HashMap::new();
        for r in matched {
            let mut key = Vec::with_capacity(plan.group_by.len());
            for g in &plan.group_by {
                key.push(eval(g, ctx(plan, Some(r), &[]))?.key());
            }
            let at = *index.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[at].push(r);
        }
    }
    let mut rows = Vec::with_capacity(groups.len());
    for members in groups {
        let mut aggs = Vec::with_capacity(plan.aggregates.len());
        for a in &plan.aggregates {
            aggs.push(aggregate(plan, a, &members)?);
        }
        let first = members.first().copied();
        if let Some(h) = &plan.having {
            if predicate(h, ctx(plan, first, &aggs))? != Some(true) {
                continue;
            }
        }
        rows.push(row(plan, first, &aggs)?);
    }
    Ok(rows)
}

fn aggregate<'a>(plan: &Plan, a: &'a Aggregate, members: &[&'a Value]) -> Result<Val<'a>, String> {
    let Some(arg) = &a.arg else {
        return Ok(Val::Int(members.len() as i64));
    };
    let mut values = Vec::with_capacity(members.len());
    for r in members {
        match eval(arg, ctx(plan, Some(r), &[]))? {
            Val::Null => {}
            v => values.push(v),
        }
    }
    Ok(match a.kind {
        AggKind::Count if a.distinct => {
            Val::Int(values.iter().map(Val::key).collect::<HashSet<_>>().len() as i64)
        }
        AggKind::Count => Val::Int(values.len() as i64),
        AggKind::Min => values.into_iter().min_by(order).unwrap_or(Val::Null),
        AggKind::Max => values.into_iter().max_by(order).unwrap_or(Val::Null),
    })
}

/// DISTINCT, ORDER BY, OFFSET, LIMIT, then the cells.
fn finish(plan: &Plan, rows: Vec<Row>) -> Rows {
    let mut rows: Vec<(Cells, Vec<Val>)> = rows
        .into_iter()
        .map(|r| (cells(plan, &r), r.keys))
        .collect();
    if plan.distinct {
        let mut seen = HashSet::new();
        rows.retain(|(cells, _)| seen.insert(cells.clone()));
    }
    if !plan.order_by.is_empty() {
        rows.sort_by(|(_, a), (_, b)| {
            plan.order_by
                .iter()
                .zip(a.iter().zip(b))
                .map(|(k, (x, y))| match (x, y) {
                    (Val::Null, Val::Null) => Ordering::Equal,
                    (Val::Null, _) if k.nulls_first => Ordering::Less,
                    (Val::Null, _) => Ordering::Greater,
                    (_, Val::Null) if k.nulls_first => Ordering::Greater,
                    (_, Val::Null) => Ordering::Less,
                    _ if k.descending => order(y, x),
                    _ => order(x, y),
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
    }
    rows.into_iter()
        .skip(plan.offset)
        .take(plan.limit.unwrap_or(usize::MAX))
        .map(|(cells, _)| {
            cells
                .into_iter()
                .filter_map(|(name, cell)| Some((name, cell?)))
                .collect()
        })
        .collect()
}

/// A row's columns before NULLs are left out.
type Cells = Vec<(String, Option<String>)>;

fn cells(plan: &Plan, row: &Row) -> Cells {
    let mut out = Vec::with_capacity(row.values.len());
    for (item, value) in plan.items.iter().zip(&row.values) {
        match item {
            Item::Expr { name, .. } => out.push((name.clone(), value.cell())),
            Item::Wildcard => {
                let fields = row.record.and_then(Value::as_object).into_iter().flatten();
                for (name, v) in fields {
                    let time = plan.typed_time && name.eq_ignore_ascii_case(EVENT_TIME);
                    out.push((name.clone(), Val::from_json(v, time).cell()));
                }
            }
        }
    }
    out
}

/// The `eventTime` range the WHERE's top-level AND bounds (inclusive milliseconds): the
/// partitions Lake would scan.
fn time_bounds(filter: &Expr) -> (Option<i64>, Option<i64>) {
    let conjuncts = match filter {
        Expr::And(parts) => parts.as_slice(),
        single => std::slice::from_ref(single),
    };
    let is_time = |e: &Expr| matches!(e, Expr::Column(p) if p.len() == 1 && p[0] == EVENT_TIME);
    let (mut low, mut high): (Option<i64>, Option<i64>) = (None, None);
    let mut raise = |l: i64| low = Some(low.map_or(l, |x| x.max(l)));
    let mut lower = |h: i64| high = Some(high.map_or(h, |x| x.min(h)));
    for c in conjuncts {
        match c {
            Expr::Cmp(l, op, r) => {
                let (op, t) = match (l.as_ref(), r.as_ref()) {
                    (x, Expr::Literal(Lit::Time(t))) if is_time(x) => (*op, *t),
                    (Expr::Literal(Lit::Time(t)), x) if is_time(x) => (flip(*op), *t),
                    _ => continue,
                };
                match op {
                    Cmp::Eq => {
                        raise(t);
                        lower(t);
                    }
                    Cmp::Gt => raise(t.saturating_add(1)),
                    Cmp::GtEq => raise(t),
                    Cmp::Lt => lower(t.saturating_sub(1)),
                    Cmp::LtEq => lower(t),
                    Cmp::NotEq => {}
                }
            }
            Expr::Between(x, a, b, false) if is_time(x) => {
                if let (Expr::Literal(Lit::Time(a)), Expr::Literal(Lit::Time(b))) =
                    (a.as_ref(), b.as_ref())
                {
                    raise(*a);
                    lower(*b);
                }
            }
            _ => {}
        }
    }
    (low, high)
}

fn flip(op: Cmp) -> Cmp {
    match op {
        Cmp::Lt => Cmp::Gt,
        Cmp::LtEq => Cmp::GtEq,
        Cmp::Gt => Cmp::Lt,
        Cmp::GtEq => Cmp::LtEq,
        same => same,
    }
}
