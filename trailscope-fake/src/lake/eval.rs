//! Evaluating one expression for one event (or one group): column paths into the raw record,
//! SQL's three-valued logic (and coalesce, which ends it), LIKE, and the few functions Lake queries use. Any value may be
//! hostile: nothing here interprets a string beyond comparing it.

use super::compile::{Cmp, Expr, Lit, EVENT_TIME};
use super::value::{compare, parse_time_literal, Val};
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

/// What an expression is evaluated against: an event's record (none for a group of no
/// events) and the group's aggregate values.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a, 'g> {
    pub record: Option<&'a Value>,
    pub aggregates: &'g [Val<'a>],
    /// Whether `eventtime` reads as a timestamp (Lake's column) or as its text (Athena's
    /// table holds it as an ISO-8601 string).
    pub typed_time: bool,
}

pub(crate) fn eval<'a>(e: &'a Expr, ctx: Ctx<'a, '_>) -> Result<Val<'a>, String> {
    Ok(match e {
        Expr::Column(path) => column(ctx.record, path, ctx.typed_time),
        Expr::Literal(l) => literal(l),
        Expr::Aggregate(i) => ctx.aggregates.get(*i).cloned().unwrap_or(Val::Null),
        Expr::ElementAt(map, key) => element_at(eval(map, ctx)?, eval(key, ctx)?)?,
        Expr::CastJson(x) => text(eval(x, ctx)?.json_text()),
        Expr::CastText(x) => text(eval(x, ctx)?.cell()),
        Expr::CastTime(x) => match eval(x, ctx)? {
            v @ (Val::Null | Val::Time(_)) => v,
            Val::Str(s) => Val::Time(parse_time_literal(&s).ok_or_else(|| {
                format!(
                    "Value cannot be cast to timestamp: {}",
                    super::compile::clip(&s)
                )
            })?),
            other => return Err(format!("cannot cast {} to timestamp", other.type_name())),
        },
        Expr::Lower(x) => map_text(eval(x, ctx)?, "lower", |s| s.to_lowercase())?,
        Expr::Upper(x) => map_text(eval(x, ctx)?, "upper", |s| s.to_uppercase())?,
        Expr::Try(x) => eval(x, ctx).unwrap_or(Val::Null),
        Expr::Strpos(text, part) => match (eval(text, ctx)?, eval(part, ctx)?) {
            (Val::Null, _) | (_, Val::Null) => Val::Null,
            (Val::Str(t), Val::Str(p)) => Val::Int(match t.find(p.as_ref()) {
                Some(at) => t[..at].chars().count() as i64 + 1,
                None => 0,
            }),
            (a, b) => {
                return Err(format!(
                    "strpos takes varchar, not {} and {}",
                    a.type_name(),
                    b.type_name()
                ))
            }
        },
        Expr::JsonScalar(json, path) => json_scalar(eval(json, ctx)?, path)?,
        Expr::CastIp(x) => match eval(x, ctx)? {
            Val::Null => Val::Null,
            Val::Str(s) => match s.parse::<std::net::IpAddr>() {
                Ok(ip) => Val::Str(Cow::Owned(ip.to_string())),
                Err(_) => {
                    return Err(format!(
                        "Cannot cast value to IPADDRESS: {}",
                        super::compile::clip(&s)
                    ))
                }
            },
            other => return Err(format!("cannot cast {} to IPADDRESS", other.type_name())),
        },
        Expr::Contains(net, ip) => match (eval(net, ctx)?, eval(ip, ctx)?) {
            (Val::Null, _) | (_, Val::Null) => Val::Null,
            (Val::Str(n), Val::Str(a)) => Val::Bool(in_network(&n, &a)?),
            (a, b) => {
                return Err(format!(
                    "contains takes a network and an address, not {} and {}",
                    a.type_name(),
                    b.type_name()
                ))
            }
        },
        Expr::RegexpLike(x, re) => match eval(x, ctx)? {
            Val::Null => Val::Null,
            Val::Str(s) => Val::Bool(re.0.is_match(&s)),
            other => {
                return Err(format!(
                    "regexp_like takes varchar, not {}",
                    other.type_name()
                ))
            }
        },
        Expr::Coalesce(args) => {
            for a in args {
                let v = eval(a, ctx)?;
                if v != Val::Null {
                    return Ok(v);
                }
            }
            Val::Null
        }
        Expr::Cmp(l, op, r) => {
            let o = compare(&eval(l, ctx)?, &eval(r, ctx)?)?;
            truth(o.map(|o| holds(*op, o)))
        }
        Expr::And(parts) => {
            let mut unknown = false;
            for p in parts {
                match predicate(p, ctx)? {
                    Some(false) => return Ok(Val::Bool(false)),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            truth((!unknown).then_some(true))
        }
        Expr::Or(parts) => {
            let mut unknown = false;
            for p in parts {
                match predicate(p, ctx)? {
                    Some(true) => return Ok(Val::Bool(true)),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            truth((!unknown).then_some(false))
        }
        Expr::Not(x) => truth(predicate(x, ctx)?.map(|b| !b)),
        Expr::IsNull(x, negated) => Val::Bool((eval(x, ctx)? == Val::Null) != *negated),
        Expr::InList(x, list, negated) => {
            let v = eval(x, ctx)?;
            let mut found = Some(false);
            for item in list {
                match compare(&v, &eval(item, ctx)?)? {
                    Some(Ordering::Equal) => {
                        found = Some(true);
                        break;
                    }
                    None => found = None,
                    Some(_) => {}
                }
            }
            truth(found.map(|f| f != *negated))
        }
        Expr::Between(x, low, high, negated) => {
            let v = eval(x, ctx)?;
            let above = compare(&v, &eval(low, ctx)?)?.map(|o| o != Ordering::Less);
            let below = compare(&v, &eval(high, ctx)?)?.map(|o| o != Ordering::Greater);
            let inside = match (above, below) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            truth(inside.map(|i| i != *negated))
        }
        Expr::Like {
            expr,
            pattern,
            escape,
            negated,
        } => {
            let escape = match escape {
                Some(e) => escape_char(eval(e, ctx)?)?,
                None => None,
            };
            match (eval(expr, ctx)?, eval(pattern, ctx)?) {
                (Val::Null, _) | (_, Val::Null) => Val::Null,
                (Val::Str(s), Val::Str(p)) => Val::Bool(like(&s, &p, escape)? != *negated),
                (a, b) => {
                    return Err(format!(
                        "LIKE needs varchar, not {} LIKE {}",
                        a.type_name(),
                        b.type_name()
                    ))
                }
            }
        }
    })
}

/// A WHERE or HAVING condition: `Some(true)` keeps the row.
pub(crate) fn predicate(e: &Expr, ctx: Ctx<'_, '_>) -> Result<Option<bool>, String> {
    match eval(e, ctx)? {
        Val::Bool(b) => Ok(Some(b)),
        Val::Null => Ok(None),
        other => Err(format!(
            "a condition must be boolean, not {}",
            other.type_name()
        )),
    }
}

fn truth(b: Option<bool>) -> Val<'static> {
    b.map_or(Val::Null, Val::Bool)
}

fn text<'a>(s: Option<String>) -> Val<'a> {
    s.map_or(Val::Null, |s| Val::Str(Cow::Owned(s)))
}

fn holds(op: Cmp, o: Ordering) -> bool {
    match op {
        Cmp::Eq => o == Ordering::Equal,
        Cmp::NotEq => o != Ordering::Equal,
        Cmp::Lt => o == Ordering::Less,
        Cmp::LtEq => o != Ordering::Greater,
        Cmp::Gt => o == Ordering::Greater,
        Cmp::GtEq => o != Ordering::Less,
    }
}

fn literal(l: &Lit) -> Val<'_> {
    match l {
        Lit::Null => Val::Null,
        Lit::Bool(b) => Val::Bool(*b),
        Lit::Int(i) => Val::Int(*i),
        Lit::Float(f) => Val::Float(*f),
        Lit::Str(s) => Val::Str(Cow::Borrowed(s)),
        Lit::Time(ms) => Val::Time(*ms),
    }
}

/// A path of lower-cased names through nested objects, each matched case-insensitively
/// (Trino's identifiers are); missing or JSON null is SQL NULL.
fn column<'a>(record: Option<&'a Value>, path: &[String], typed_time: bool) -> Val<'a> {
    let mut at = match record {
        Some(r) => r,
        None => return Val::Null,
    };
    for name in path {
        let found = at
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| same_name(k, name)).map(|(_, v)| v));
        match found {
            Some(v) => at = v,
            None => return Val::Null,
        }
    }
    Val::from_json(at, typed_time && path.len() == 1 && path[0] == EVENT_TIME)
}

/// Whether the CIDR block `net` (`10.0.0.0/8`) holds the address `addr`.
fn in_network(net: &str, addr: &str) -> Result<bool, String> {
    use std::net::IpAddr;
    let bad = || format!("Invalid CIDR: {}", super::compile::clip(net));
    let (base, bits) = net.split_once('/').ok_or_else(bad)?;
    let base: IpAddr = base.parse().map_err(|_| bad())?;
    let bits: u32 = bits.parse().map_err(|_| bad())?;
    let addr: IpAddr = addr.parse().map_err(|_| bad())?;
    Ok(match (base, addr) {
        (IpAddr::V4(b), IpAddr::V4(a)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(b) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(b), IpAddr::V6(a)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(b) & mask == u128::from(a) & mask
        }
        (IpAddr::V4(_) | IpAddr::V6(_), _) if bits <= 128 => false,
        _ => return Err(bad()),
    })
}

/// The scalar at `path` in the JSON text `json`, as text (NULL for an object, an array,
/// JSON null, a missing member or text that is not JSON), as Trino's json_extract_scalar.
fn json_scalar<'a>(json: Val<'a>, path: &[String]) -> Result<Val<'a>, String> {
    let text = match json {
        Val::Null => return Ok(Val::Null),
        Val::Str(s) => s,
        other => {
            return Err(format!(
                "json_extract_scalar takes varchar, not {}",
                other.type_name()
            ))
        }
    };
    let Ok(mut at) = serde_json::from_str::<Value>(&text) else {
        return Ok(Val::Null);
    };
    for name in path {
        match at.as_object_mut().and_then(|o| o.remove(name)) {
            Some(v) => at = v,
            None => return Ok(Val::Null),
        }
    }
    Ok(match at {
        Value::String(s) => Val::Str(Cow::Owned(s)),
        Value::Bool(b) => Val::Str(Cow::Owned(b.to_string())),
        Value::Number(n) => Val::Str(Cow::Owned(n.to_string())),
        _ => Val::Null,
    })
}

/// `key` matches the lower-cased `name` ignoring case (without allocating for ASCII keys,
/// which nearly all are).
fn same_name(key: &str, name: &str) -> bool {
    if key.is_ascii() {
        key.eq_ignore_ascii_case(name)
    } else {
        key.to_lowercase() == name
    }
}

/// A map's value for an exact key. Lake's maps hold strings, so the value is its text.
fn element_at<'a>(map: Val<'a>, key: Val<'a>) -> Result<Val<'a>, String> {
    let key = match key {
        Val::Null => return Ok(Val::Null),
        Val::Str(k) => k,
        other => {
            return Err(format!(
                "element_at needs a varchar key, not {}",
                other.type_name()
            ))
        }
    };
    match map {
        Val::Null => Ok(Val::Null),
        Val::Json(Value::Object(o)) => Ok(match o.get(key.as_ref()) {
            None | Some(Value::Null) => Val::Null,
            Some(Value::String(s)) => Val::Str(Cow::Borrowed(s)),
            Some(other) => Val::Str(Cow::Owned(match other {
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                v => v.to_string(),
            })),
        }),
        other => Err(format!("element_at needs a map, not {}", other.type_name())),
    }
}

fn map_text<'a>(v: Val<'a>, name: &str, f: impl Fn(&str) -> String) -> Result<Val<'a>, String> {
    match v {
        Val::Null => Ok(Val::Null),
        Val::Str(s) => Ok(Val::Str(Cow::Owned(f(&s)))),
        other => Err(format!("{name} needs varchar, not {}", other.type_name())),
    }
}

fn escape_char(v: Val) -> Result<Option<char>, String> {
    match v {
        Val::Null => Ok(None),
        Val::Str(s) => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(Some(c)),
                _ => Err("Escape string must be a single character".to_string()),
            }
        }
        other => Err(format!("ESCAPE needs varchar, not {}", other.type_name())),
    }
}

#[derive(Debug, PartialEq)]
enum Piece {
    Char(char),
    One,
    Any,
}

/// SQL LIKE: `%` any run, `_` one character, `escape` makes the next character literal.
/// Matching backtracks only to the last `%`, so it is linear in practice and never worse
/// than text × pattern.
pub(crate) fn like(text: &str, pattern: &str, escape: Option<char>) -> Result<bool, String> {
    let mut pieces = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        pieces.push(match c {
            c if Some(c) == escape => match chars.next() {
                Some(n) if n == '%' || n == '_' || Some(n) == escape => Piece::Char(n),
                _ => {
                    return Err(
                        "Escape character must be followed by '%', '_' or the escape character"
                            .to_string(),
                    )
                }
            },
            '%' => Piece::Any,
            '_' => Piece::One,
            c => Piece::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    let (mut t, mut p) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pieces.get(p) {
            Some(Piece::Any) => {
                resume = Some((p, t));
                p += 1;
            }
            Some(Piece::One) => {
                t += 1;
                p += 1;
            }
            Some(Piece::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match resume {
                Some((rp, rt)) => {
                    resume = Some((rp, rt + 1));
                    p = rp + 1;
                    t = rt + 1;
                }
                None => return Ok(false),
            },
        }
    }
    Ok(pieces[p.min(pieces.len())..]
        .iter()
        .all(|x| *x == Piece::Any))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_handles_wildcards_escapes_and_any_text() {
        let yes = |t: &str, p: &str| like(t, p, None).expect("valid pattern");
        assert!(yes("DeleteObject", "Delete%"));
        assert!(yes("DeleteObject", "%Object"));
        assert!(yes("DeleteObject", "%e%e%"));
        assert!(yes("abc", "a_c"));
        assert!(!yes("abc", "a_"));
        assert!(yes("", "%"));
        assert!(!yes("", "_"));
        assert!(yes("ünï'cödé\\", "ü_ï'%\\"));
        assert!(!yes("abc", "ABC"), "case-sensitive");
        assert!(yes("aaaaaaaaaaaaaaaaaaaaaaaab", "%a%a%a%a%b"));
        assert_eq!(like("50%", "50!%", Some('!')), Ok(true));
        assert_eq!(like("501", "50!%", Some('!')), Ok(false));
        assert_eq!(like("a_b", "a!_b", Some('!')), Ok(true));
        assert!(like("x", "!x", Some('!')).is_err());
    }

    #[test]
    fn columns_resolve_case_insensitively_through_nested_objects() {
        let record = serde_json::json!({
            "eventTime": "2026-11-19T02:11:05Z",
            "userIdentity": {"sessionContext": {"sessionIssuer": {"arn": "arn:x"}}},
            "requestParameters": {"bucketName": "b", "Key": null, "n": 3},
            "errorCode": null
        });
        let ctx = Ctx {
            record: Some(&record),
            aggregates: &[],
            typed_time: true,
        };
        let col = |p: &[&str]| {
            let path: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            column(ctx.record, &path, true).cell()
        };
        assert_eq!(
            col(&["useridentity", "sessioncontext", "sessionissuer", "arn"]).as_deref(),
            Some("arn:x")
        );
        assert_eq!(
            col(&["eventtime"]).as_deref(),
            Some("2026-11-19 02:11:05.000")
        );
        assert_eq!(col(&["errorcode"]), None);
        assert_eq!(col(&["nosuch", "thing"]), None);
        let map = column(ctx.record, &["requestparameters".to_string()], true);
        let at = |k: &str| element_at(map.clone(), Val::Str(k.into())).map(|v| v.cell());
        assert_eq!(at("bucketName"), Ok(Some("b".to_string())));
        assert_eq!(at("bucketname"), Ok(None), "map keys are exact");
        assert_eq!(at("Key"), Ok(None));
        assert_eq!(at("n"), Ok(Some("3".to_string())));
        assert!(element_at(Val::Int(1), Val::Str("k".into())).is_err());
    }
}
