//! sqlparser's expressions → the small expression language the fake evaluates (`Expr`).
//! Everything the engine cannot execute is refused here with a message, before any event is
//! read; the query then ends FAILED, as Lake fails a query its engine rejects.

use super::value::parse_time_literal;
use sqlparser::ast::{
    self, AccessExpr, BinaryOperator, CastKind, DataType, Subscript, UnaryOperator,
    Value as SqlValue,
};
use std::collections::HashSet;

/// Deeper nesting than this is refused: evaluation recurses, and a request must not be able
/// to exhaust a server thread's stack. AND/OR chains are flattened, so they do not count.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    /// A column path, lower-cased (Trino resolves names case-insensitively).
    Column(Vec<String>),
    Literal(Lit),
    /// `element_at(map, key)`: the map's value for the exact key, as text.
    ElementAt(Box<Expr>, Box<Expr>),
    /// `CAST(x AS JSON)`, also under `json_format(…)`: compact JSON text.
    CastJson(Box<Expr>),
    /// `CAST(x AS VARCHAR)`: the value's cell text.
    CastText(Box<Expr>),
    /// `CAST(x AS TIMESTAMP)`, `from_iso8601_timestamp(x)`.
    CastTime(Box<Expr>),
    Lower(Box<Expr>),
    Upper(Box<Expr>),
    /// `try(x)`: NULL where evaluating `x` fails (Athena's guard for a malformed value).
    Try(Box<Expr>),
    /// `json_extract_scalar(json_text, '$.a.b')`: the scalar at a simple path, as text.
    JsonScalar(Box<Expr>, Vec<String>),
    /// `strpos(text, part)`: 1-based position of `part` in `text`, 0 when absent.
    Strpos(Box<Expr>, Box<Expr>),
    /// `CAST(x AS IPADDRESS)`: the address in its canonical text; a failure for anything else.
    CastIp(Box<Expr>),
    /// `contains('10.0.0.0/8', ip)`: whether the network holds the address.
    Contains(Box<Expr>, Box<Expr>),
    /// `regexp_like(text, 'pattern')`, the pattern compiled once.
    RegexpLike(Box<Expr>, Pattern),
    /// `coalesce(a, b, …)`: the first argument that is not NULL (NULL if none is).
    Coalesce(Vec<Expr>),
    Cmp(Box<Expr>, Cmp, Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    InList(Box<Expr>, Vec<Expr>, bool),
    Like {
        expr: Box<Expr>,
        pattern: Box<Expr>,
        escape: Option<Box<Expr>>,
        negated: bool,
    },
    IsNull(Box<Expr>, bool),
    Between(Box<Expr>, Box<Expr>, Box<Expr>, bool),
    /// The value of `Compiler::aggregates[i]` for the current group.
    Aggregate(usize),
}

/// A compiled regular expression, equal to another with the same pattern.
#[derive(Clone, Debug)]
pub(crate) struct Pattern(pub std::sync::Arc<regex::Regex>);

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cmp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Time(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Aggregate {
    pub kind: AggKind,
    /// `None` for COUNT(*).
    pub arg: Option<Expr>,
    pub distinct: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum AggKind {
    Count,
    Min,
    Max,
}

pub(crate) const EVENT_TIME: &str = "eventtime";

pub(crate) struct Compiler<'k> {
    /// Top-level columns that exist (lower-cased): Lake's schema and every event's keys.
    pub known: &'k HashSet<String>,
    /// `FROM id AS t`: `t.eventName` is `eventName`.
    pub table_alias: Option<String>,
    pub aggregates: Vec<Aggregate>,
}

pub(super) fn unsupported(what: impl std::fmt::Display) -> String {
    format!("{what} is not supported by the fake Lake (FakeLake::script can answer it)")
}

impl Compiler<'_> {
    /// `aggregates`: whether COUNT/MIN/MAX may appear (not in WHERE, GROUP BY or inside
    /// another aggregate).
    pub(crate) fn expr(&mut self, e: &ast::Expr, aggregates: bool) -> Result<Expr, String> {
        self.at(e, aggregates, 0)
    }

    pub(super) fn at(&mut self, e: &ast::Expr, aggs: bool, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err(format!("expressions nested deeper than {MAX_DEPTH} levels"));
        }
        let d = depth + 1;
        let sub = |c: &mut Self, x: &ast::Expr| c.at(x, aggs, d).map(Box::new);
        Ok(match e {
            ast::Expr::Identifier(i) => self.column(std::slice::from_ref(i))?,
            ast::Expr::CompoundIdentifier(parts) => self.column(parts)?,
            ast::Expr::CompoundFieldAccess { root, access_chain } => {
                self.field_access(root, access_chain, aggs, d)?
            }
            ast::Expr::Value(v) => Expr::Literal(literal(&v.value)?),
            ast::Expr::TypedString(t) => typed_literal(&t.data_type, &t.value.value)?,
            ast::Expr::Nested(inner) => self.at(inner, aggs, d)?,
            ast::Expr::UnaryOp { op, expr } => match (op, self.at(expr, aggs, d)?) {
                (UnaryOperator::Not, x) => Expr::Not(Box::new(x)),
                (UnaryOperator::Plus, x @ Expr::Literal(Lit::Int(_) | Lit::Float(_))) => x,
                (UnaryOperator::Minus, Expr::Literal(Lit::Int(i))) => {
                    Expr::Literal(Lit::Int(i.checked_neg().ok_or("number out of range")?))
                }
                (UnaryOperator::Minus, Expr::Literal(Lit::Float(f))) => {
                    Expr::Literal(Lit::Float(-f))
                }
                (op, _) => return Err(unsupported(format!("the operator {op}"))),
            },
            ast::Expr::BinaryOp {
                op: BinaryOperator::And | BinaryOperator::Or,
                ..
            } => self.chain(e, aggs, d)?,
            ast::Expr::BinaryOp { left, op, right } => {
                let cmp =
                    comparison(op).ok_or_else(|| unsupported(format!("the operator {op}")))?;
                let (l, r) = (sub(self, left)?, sub(self, right)?);
                let (l, r) = timed(*l, *r)?;
                Expr::Cmp(Box::new(l), cmp, Box::new(r))
            }
            ast::Expr::IsNull(x) => Expr::IsNull(sub(self, x)?, false),
            ast::Expr::IsNotNull(x) => Expr::IsNull(sub(self, x)?, true),
            ast::Expr::InList {
                expr,
                list,
                negated,
            } => {
                let x = self.at(expr, aggs, d)?;
                let mut items = Vec::with_capacity(list.len());
                for item in list {
                    items.push(timed(x.clone(), self.at(item, aggs, d)?)?.1);
                }
                Expr::InList(Box::new(x), items, *negated)
            }
            ast::Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let x = self.at(expr, aggs, d)?;
                let low = timed(x.clone(), self.at(low, aggs, d)?)?.1;
                let high = timed(x.clone(), self.at(high, aggs, d)?)?.1;
                Expr::Between(Box::new(x), Box::new(low), Box::new(high), *negated)
            }
            ast::Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            } => Expr::Like {
                expr: sub(self, expr)?,
                pattern: sub(self, pattern)?,
                escape: match escape_char {
                    Some(c) => Some(sub(self, c)?),
                    None => None,
                },
                negated: *negated,
            },
            ast::Expr::Cast {
                kind: kind @ (CastKind::Cast | CastKind::TryCast),
                expr,
                data_type,
                format: None,
            } => {
                let x = sub(self, expr)?;
                let cast = match data_type {
                    DataType::JSON => Expr::CastJson(x),
                    DataType::Varchar(_) | DataType::String(_) => Expr::CastText(x),
                    DataType::Timestamp(..) => Expr::CastTime(x),
                    DataType::Custom(name, _)
                        if name.to_string().eq_ignore_ascii_case("ipaddress") =>
                    {
                        Expr::CastIp(x)
                    }
                    other => return Err(unsupported(format!("CAST to {other}"))),
                };
                // try_cast: NULL where the cast fails (Athena's).
                match kind {
                    CastKind::TryCast => Expr::Try(Box::new(cast)),
                    _ => cast,
                }
            }
            ast::Expr::Function(f) => self.function(f, aggs, d)?,
            other => return Err(unsupported(format!("`{}`", clip(&other.to_string())))),
        })
    }

    /// A run of AND or OR (left-deep in the parser's tree) as one flat list, walked without
    /// recursion so that a long list of alternatives cannot exhaust the stack.
    fn chain(&mut self, e: &ast::Expr, aggs: bool, depth: usize) -> Result<Expr, String> {
        let ast::Expr::BinaryOp { op, .. } = e else {
            return self.at(e, aggs, depth);
        };
        let mut rights = Vec::new();
        let mut node = e;
        while let ast::Expr::BinaryOp { left, op: o, right } = node {
            if o != op {
                break;
            }
            rights.push(right.as_ref());
            node = left;
        }
        rights.push(node);
        let mut parts = Vec::with_capacity(rights.len());
        for part in rights.into_iter().rev() {
            parts.push(self.at(part, aggs, depth)?);
        }
        Ok(match op {
            BinaryOperator::And => Expr::And(parts),
            _ => Expr::Or(parts),
        })
    }

    fn column(&self, parts: &[ast::Ident]) -> Result<Expr, String> {
        let mut path: Vec<String> = parts.iter().map(|p| p.value.to_lowercase()).collect();
        let aliased =
            path.len() > 1 && self.table_alias.as_deref() == path.first().map(String::as_str);
        if aliased {
            path.remove(0);
        }
        match path.first() {
            Some(top) if self.known.contains(top) => Ok(Expr::Column(path)),
            _ => Err(format!(
                "Column '{}' cannot be resolved",
                clip(
                    &parts
                        .iter()
                        .map(|p| p.value.as_str())
                        .collect::<Vec<_>>()
                        .join(".")
                )
            )),
        }
    }

    /// `requestParameters['bucketName']` (a map subscript) and `x['k'].field`.
    fn field_access(
        &mut self,
        root: &ast::Expr,
        chain: &[AccessExpr],
        aggs: bool,
        depth: usize,
    ) -> Result<Expr, String> {
        let mut x = self.at(root, aggs, depth)?;
        for access in chain {
            x = match (access, x) {
                (AccessExpr::Dot(ast::Expr::Identifier(i)), Expr::Column(mut path)) => {
                    path.push(i.value.to_lowercase());
                    Expr::Column(path)
                }
                (AccessExpr::Subscript(Subscript::Index { index }), map) => {
                    Expr::ElementAt(Box::new(map), Box::new(self.at(index, aggs, depth)?))
                }
                (other, _) => return Err(unsupported(format!("`{}`", clip(&other.to_string())))),
            };
        }
        Ok(x)
    }
}

/// A string literal compared with `eventTime` is a time: parsed once, here, so that a bad
/// literal fails the query instead of silently matching nothing.
fn timed(left: Expr, right: Expr) -> Result<(Expr, Expr), String> {
    let is_time = |e: &Expr| matches!(e, Expr::Column(p) if p.len() == 1 && p[0] == EVENT_TIME);
    let as_time = |e: Expr| match e {
        Expr::Literal(Lit::Str(s)) => parse_time_literal(&s)
            .map(|ms| Expr::Literal(Lit::Time(ms)))
            .ok_or_else(|| format!("Value cannot be cast to timestamp: {}", clip(&s))),
        other => Ok(other),
    };
    match (is_time(&left), is_time(&right)) {
        (true, false) => Ok((left, as_time(right)?)),
        (false, true) => Ok((as_time(left)?, right)),
        _ => Ok((left, right)),
    }
}

fn comparison(op: &BinaryOperator) -> Option<Cmp> {
    Some(match op {
        BinaryOperator::Eq => Cmp::Eq,
        BinaryOperator::NotEq => Cmp::NotEq,
        BinaryOperator::Lt => Cmp::Lt,
        BinaryOperator::LtEq => Cmp::LtEq,
        BinaryOperator::Gt => Cmp::Gt,
        BinaryOperator::GtEq => Cmp::GtEq,
        _ => return None,
    })
}

pub(crate) fn literal(v: &SqlValue) -> Result<Lit, String> {
    Ok(match v {
        SqlValue::Null => Lit::Null,
        SqlValue::Boolean(b) => Lit::Bool(*b),
        SqlValue::Number(n, _) => match n.parse::<i64>() {
            Ok(i) => Lit::Int(i),
            Err(_) => Lit::Float(
                n.parse::<f64>()
                    .map_err(|_| format!("{} is not a number", clip(n)))?,
            ),
        },
        SqlValue::SingleQuotedString(s) | SqlValue::UnicodeStringLiteral(s) => Lit::Str(s.clone()),
        other => {
            return Err(unsupported(format!(
                "the literal {}",
                clip(&other.to_string())
            )))
        }
    })
}

/// `TIMESTAMP '2026-11-19 02:11:05'`, `DATE '2026-11-19'`.
fn typed_literal(t: &DataType, v: &SqlValue) -> Result<Expr, String> {
    let text = match literal(v)? {
        Lit::Str(s) => s,
        _ => return Err(unsupported(format!("{t} {v}"))),
    };
    match t {
        DataType::Timestamp(..) | DataType::Date => parse_time_literal(&text)
            .map(|ms| Expr::Literal(Lit::Time(ms)))
            .ok_or_else(|| format!("Value cannot be cast to timestamp: {}", clip(&text))),
        other => Err(unsupported(format!("{other} literals"))),
    }
}

/// Bounds what the engine echoes back of a statement in a message.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 120;
    match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}
