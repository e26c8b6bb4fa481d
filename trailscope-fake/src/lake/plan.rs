//! A parsed SELECT → what the engine runs (`Plan`): the output columns and their names, the
//! filter, grouping, ordering and limit. Trino's rules that a wrong statement would trip over
//! are checked here (a column neither grouped nor aggregated, ORDER BY outside a DISTINCT's
//! select list), so that the fake fails the queries Lake would fail.

use super::compile::{clip, Aggregate, Compiler, Expr};
use sqlparser::ast::{
    self, Distinct, GroupByExpr, LimitClause, OrderByKind, OrderBySort, Query, SelectItem, SetExpr,
    TableFactor, Value as SqlValue,
};
use std::collections::HashSet;

#[derive(Debug)]
pub(crate) struct Plan {
    pub items: Vec<Item>,
    pub distinct: bool,
    pub filter: Option<Expr>,
    /// GROUP BY, or any aggregate: rows are groups.
    pub grouped: bool,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub aggregates: Vec<Aggregate>,
    pub order_by: Vec<SortKey>,
    pub offset: usize,
    pub limit: Option<usize>,
    /// `eventtime` is Lake's timestamp column (true) or Athena's ISO-8601 string (false).
    pub typed_time: bool,
}

#[derive(Debug)]
pub(crate) enum Item {
    /// `*`: every column the event has, in its order.
    Wildcard,
    Expr {
        expr: Expr,
        name: String,
    },
}

#[derive(Debug)]
pub(crate) struct SortKey {
    pub target: SortTarget,
    pub descending: bool,
    pub nulls_first: bool,
}

#[derive(Debug)]
pub(crate) enum SortTarget {
    /// An output column (by alias, ordinal or the same expression).
    Output(usize),
    Expr(Expr),
}

/// Every store a statement reads (`FROM x`, joins, subqueries), for the unknown-store check
/// StartQuery makes before anything runs.
pub(crate) fn tables(query: &Query) -> Vec<String> {
    let mut out = Vec::new();
    let mut bodies = vec![query.body.as_ref()];
    // A work list rather than recursion: a statement nests only as deep as the parser allows,
    // but nothing here needs to trust that.
    while let Some(body) = bodies.pop() {
        match body {
            SetExpr::Select(s) => {
                for t in &s.from {
                    let joined = t.joins.iter().map(|j| &j.relation);
                    for factor in std::iter::once(&t.relation).chain(joined) {
                        match factor {
                            TableFactor::Table { name, .. } => out.push(name.to_string()),
                            TableFactor::Derived { subquery, .. } => bodies.push(&subquery.body),
                            _ => {}
                        }
                    }
                }
            }
            SetExpr::Query(q) => bodies.push(&q.body),
            SetExpr::SetOperation { left, right, .. } => {
                bodies.push(left);
                bodies.push(right);
            }
            _ => {}
        }
    }
    out
}

/// A store name as written (`"7e1b…"` or `7e1b…`), unquoted.
pub(crate) fn unquote(name: &str) -> &str {
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name)
}

fn unsupported(what: &str) -> String {
    format!("{what} is not supported by the fake Lake (FakeLake::script can answer it)")
}

pub(crate) fn plan(query: &Query, known: &HashSet<String>) -> Result<Plan, String> {
    if query.with.is_some() {
        return Err(unsupported("WITH"));
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return Err(unsupported(
            "a statement other than one SELECT (UNION, VALUES…)",
        ));
    };
    let [from] = select.from.as_slice() else {
        return Err(unsupported("reading other than one event data store"));
    };
    let table_alias = match (&from.relation, from.joins.is_empty()) {
        (TableFactor::Table { alias, .. }, true) => {
            alias.as_ref().map(|a| a.name.value.to_lowercase())
        }
        _ => return Err(unsupported("a JOIN or a subquery in FROM")),
    };
    if select.prewhere.is_some() || select.qualify.is_some() || select.top.is_some() {
        return Err(unsupported("PREWHERE, QUALIFY or TOP"));
    }
    let distinct = match &select.distinct {
        None | Some(Distinct::All) => false,
        Some(Distinct::Distinct) => true,
        Some(_) => return Err(unsupported("DISTINCT ON")),
    };
    let mut c = Compiler {
        known,
        table_alias,
        aggregates: Vec::new(),
    };
    let mut items = Vec::with_capacity(select.projection.len());
    for (i, item) in select.projection.iter().enumerate() {
        items.push(match item {
            SelectItem::Wildcard(_) => Item::Wildcard,
            SelectItem::UnnamedExpr(e) => Item::Expr {
                expr: c.expr(e, true)?,
                name: default_name(e, i),
            },
            SelectItem::ExprWithAlias { expr, alias } => Item::Expr {
                expr: c.expr(expr, true)?,
                name: alias.value.clone(),
            },
            _ => return Err(unsupported("a qualified wildcard")),
        });
    }
    let filter = match &select.selection {
        Some(e) => Some(c.expr(e, false)?),
        None => None,
    };
    let group_by = match &select.group_by {
        GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => exprs
            .iter()
            .map(|e| group_key(&mut c, e, &items))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(unsupported("GROUP BY ALL, ROLLUP or CUBE")),
    };
    let having = match &select.having {
        Some(e) => Some(c.expr(e, true)?),
        None => None,
    };
    let order_by = match &query.order_by {
        None => Vec::new(),
        Some(o) => match &o.kind {
            OrderByKind::Expressions(list) => list
                .iter()
                .map(|k| sort_key(&mut c, k, &items))
                .collect::<Result<Vec<_>, _>>()?,
            OrderByKind::All(_) => return Err(unsupported("ORDER BY ALL")),
        },
    };
    let (offset, limit) = limits(query)?;
    let grouped = !group_by.is_empty() || !c.aggregates.is_empty() || having.is_some();
    let plan = Plan {
        items,
        distinct,
        filter,
        grouped,
        group_by,
        having,
        aggregates: c.aggregates,
        order_by,
        offset,
        limit,
        typed_time: true,
    };
    check_grouping(&plan)?;
    if plan.distinct
        && plan
            .order_by
            .iter()
            .any(|k| matches!(k.target, SortTarget::Expr(_)))
    {
        return Err("For SELECT DISTINCT, ORDER BY expressions must appear in select list".into());
    }
    Ok(plan)
}

/// Trino names a bare column by its last segment (`userIdentity.arn` → `arn`), anything else
/// `_colN`.
fn default_name(e: &ast::Expr, position: usize) -> String {
    match e {
        ast::Expr::Identifier(i) => i.value.clone(),
        ast::Expr::CompoundIdentifier(parts) => match parts.last() {
            Some(last) => last.value.clone(),
            None => format!("_col{position}"),
        },
        _ => format!("_col{position}"),
    }
}

/// A positive integer literal: an ordinal in GROUP BY and ORDER BY.
fn ordinal(e: &ast::Expr) -> Option<Result<usize, String>> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            SqlValue::Number(n, _) => Some(
                n.parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| format!("{} is not a column position", clip(n))),
            ),
            _ => None,
        },
        _ => None,
    }
}

fn output_at(items: &[Item], n: usize) -> Result<usize, String> {
    match items.get(n - 1) {
        Some(Item::Expr { .. }) => Ok(n - 1),
        Some(Item::Wildcard) => Err(unsupported("a position that points at *")),
        None => Err(format!("position {n} is not in the select list")),
    }
}

fn group_key(c: &mut Compiler, e: &ast::Expr, items: &[Item]) -> Result<Expr, String> {
    if let Some(n) = ordinal(e) {
        return match &items[output_at(items, n?)?] {
            Item::Expr { expr, .. } if !has_aggregate(expr) => Ok(expr.clone()),
            _ => Err(format!(
                "GROUP BY position {} is an aggregate",
                clip(&e.to_string())
            )),
        };
    }
    c.expr(e, false)
}

fn sort_key(c: &mut Compiler, k: &ast::OrderByExpr, items: &[Item]) -> Result<SortKey, String> {
    let descending = match &k.options.sort {
        None | Some(OrderBySort::Asc) => false,
        Some(OrderBySort::Desc) => true,
        Some(_) => return Err(unsupported("ORDER BY … USING")),
    };
    let named = |name: &str| {
        items
            .iter()
            .position(|i| matches!(i, Item::Expr { name: n, .. } if n.eq_ignore_ascii_case(name)))
    };
    let target = match (&k.expr, ordinal(&k.expr)) {
        (_, Some(n)) => SortTarget::Output(output_at(items, n?)?),
        (ast::Expr::Identifier(i), _) if named(&i.value).is_some() => {
            SortTarget::Output(named(&i.value).unwrap_or_default())
        }
        (e, _) => {
            let expr = c.expr(e, true)?;
            let same = items
                .iter()
                .position(|i| matches!(i, Item::Expr { expr: x, .. } if *x == expr));
            match same {
                Some(at) => SortTarget::Output(at),
                None => SortTarget::Expr(expr),
            }
        }
    };
    Ok(SortKey {
        target,
        descending,
        // Trino puts NULLs last whatever the direction.
        nulls_first: k.options.nulls_first.unwrap_or(false),
    })
}

fn limits(query: &Query) -> Result<(usize, Option<usize>), String> {
    let count = |e: &ast::Expr| match ordinal(e) {
        Some(Ok(n)) => Ok(n),
        _ if matches!(e, ast::Expr::Value(v) if v.value == SqlValue::Number("0".into(), false)) => {
            Ok(0)
        }
        _ => Err(format!(
            "LIMIT and OFFSET take a number, not {}",
            clip(&e.to_string())
        )),
    };
    let mut out = match &query.limit_clause {
        None => (0, None),
        Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) if limit_by.is_empty() => {
            let offset = match offset {
                Some(o) => count(&o.value)?,
                None => 0,
            };
            let limit = match limit {
                Some(l) => Some(count(l)?),
                None => None,
            };
            (offset, limit)
        }
        Some(_) => return Err(unsupported("this LIMIT form")),
    };
    if let Some(fetch) = &query.fetch {
        match (&fetch.quantity, fetch.percent || fetch.with_ties) {
            (Some(q), false) => out.1 = Some(count(q)?),
            _ => return Err(unsupported("FETCH … PERCENT or WITH TIES")),
        }
    }
    Ok(out)
}

fn has_aggregate(e: &Expr) -> bool {
    let mut found = false;
    walk(e, &mut |x| found |= matches!(x, Expr::Aggregate(_)));
    found
}

/// Whether `e` can be computed once per group: built from aggregates, literals and GROUP BY
/// expressions only.
fn grouped_ok(e: &Expr, group_by: &[Expr]) -> bool {
    if group_by.contains(e) {
        return true;
    }
    match e {
        Expr::Column(_) => false,
        Expr::Literal(_) | Expr::Aggregate(_) => true,
        other => children(other).iter().all(|c| grouped_ok(c, group_by)),
    }
}

fn check_grouping(plan: &Plan) -> Result<(), String> {
    if !plan.grouped {
        return Ok(());
    }
    let ok = |e: &Expr| grouped_ok(e, &plan.group_by);
    for item in &plan.items {
        match item {
            Item::Wildcard => return Err("SELECT * cannot be grouped".into()),
            Item::Expr { expr, name } if !ok(expr) => {
                return Err(format!(
                    "'{}' must be an aggregate expression or appear in GROUP BY clause",
                    clip(name)
                ))
            }
            _ => {}
        }
    }
    let order = plan.order_by.iter().filter_map(|k| match &k.target {
        SortTarget::Expr(e) => Some(e),
        SortTarget::Output(_) => None,
    });
    if plan.having.iter().chain(order).any(|e| !ok(e)) {
        return Err("HAVING and ORDER BY may use only aggregates and GROUP BY expressions".into());
    }
    Ok(())
}

pub(crate) fn walk(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    for c in children(e) {
        walk(c, f);
    }
}

fn children(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::Column(_) | Expr::Literal(_) | Expr::Aggregate(_) => Vec::new(),
        Expr::ElementAt(a, b) | Expr::Cmp(a, _, b) | Expr::Strpos(a, b) => vec![a, b],
        Expr::Contains(a, b) => vec![a, b],
        Expr::Try(a) | Expr::JsonScalar(a, _) | Expr::CastIp(a) | Expr::RegexpLike(a, _) => vec![a],
        Expr::CastJson(a) | Expr::CastText(a) | Expr::CastTime(a) => vec![a],
        Expr::Lower(a) | Expr::Upper(a) | Expr::Not(a) | Expr::IsNull(a, _) => vec![a],
        Expr::And(list) | Expr::Or(list) | Expr::Coalesce(list) => list.iter().collect(),
        Expr::InList(a, list, _) => std::iter::once(a.as_ref()).chain(list).collect(),
        Expr::Like {
            expr,
            pattern,
            escape,
            ..
        } => {
            let mut v = vec![expr.as_ref(), pattern.as_ref()];
            v.extend(escape.as_deref());
            v
        }
        Expr::Between(a, b, c, _) => vec![a, b, c],
    }
}
