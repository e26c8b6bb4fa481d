//! SQL values as the fake Lake evaluates them, and how each becomes a result cell. Lake's
//! results are all strings; NULL is no cell at all. Comparisons coerce the way Lake's typed
//! columns make queries behave (a string literal against the `eventTime` timestamp, 'true'
//! against the `readOnly` boolean); a value that cannot be coerced compares as NULL, and a
//! comparison no schema would allow (a boolean against a number) fails the query.

use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;
use trailscope::model::time::EventTime;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    /// Milliseconds since the epoch, UTC (only `eventTime` and timestamp literals).
    Time(i64),
    /// An object or array (a map, a row or a list column).
    Json(&'a Value),
}

impl<'a> Val<'a> {
    /// A JSON value read from an event; `time` when it is the `eventTime` column.
    pub(crate) fn from_json(v: &'a Value, time: bool) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Val::Int(i),
                None => Val::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => match time.then(|| parse_event_time(s)).flatten() {
                Some(ms) => Val::Time(ms),
                None => Val::Str(Cow::Borrowed(s)),
            },
            Value::Array(_) | Value::Object(_) => Val::Json(v),
        }
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "unknown",
            Val::Bool(_) => "boolean",
            Val::Int(_) => "bigint",
            Val::Float(_) => "double",
            Val::Str(_) => "varchar",
            Val::Time(_) => "timestamp",
            Val::Json(Value::Array(_)) => "array",
            Val::Json(_) => "map",
        }
    }

    /// The result cell: `None` for NULL (Lake leaves the column out of the row).
    pub(crate) fn cell(&self) -> Option<String> {
        Some(match self {
            Val::Null => return None,
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => f.to_string(),
            Val::Str(s) => s.to_string(),
            Val::Time(ms) => format_time(*ms),
            Val::Json(v) => v.to_string(),
        })
    }

    /// The value as JSON text (`CAST(x AS JSON)`): strings quoted, objects compact.
    pub(crate) fn json_text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            Val::Str(s) => Some(Value::String(s.to_string()).to_string()),
            Val::Time(ms) => Some(Value::String(format_time(*ms)).to_string()),
            other => other.cell(),
        }
    }

    /// A hashable stand-in for grouping and DISTINCT.
    pub(crate) fn key(&self) -> Key {
        match self {
            Val::Null => Key::Null,
            Val::Bool(b) => Key::Bool(*b),
            Val::Int(i) => Key::Int(*i),
            Val::Float(f) => Key::Float(f.to_bits()),
            Val::Str(s) => Key::Str(s.to_string()),
            Val::Time(ms) => Key::Time(*ms),
            Val::Json(v) => Key::Json(v.to_string()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(String),
    Time(i64),
    Json(String),
}

/// `2026-11-19 02:11:05.000`: how Lake writes a timestamp cell.
pub(crate) fn format_time(ms: i64) -> String {
    format!(
        "{}.{:03}",
        EventTime::from_millis(ms).format_utc(),
        ms.rem_euclid(1000)
    )
}

/// An event's `eventTime` (RFC 3339 in CloudTrail; anything unreadable stays a string).
fn parse_event_time(s: &str) -> Option<i64> {
    EventTime::parse(s).and_then(EventTime::millis)
}

/// A time written in SQL: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.fff]`, with `T` and a trailing
/// `Z` accepted too.
pub(crate) fn parse_time_literal(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    let dated =
        b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-';
    if !dated {
        return None;
    }
    if b.len() == 10 {
        return parse_event_time(&format!("{s}T00:00:00Z"));
    }
    parse_event_time(s)
}

/// SQL comparison: `Ok(None)` when either side is NULL or cannot be coerced to the other's
/// type; an error when the types can never be compared.
pub(crate) fn compare(a: &Val, b: &Val) -> Result<Option<Ordering>, String> {
    use Val::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => None,
        (Str(x), Str(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Time(x), Time(y)) => Some(x.cmp(y)),
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Int(_) | Float(_), Int(_) | Float(_)) => number(a)?.partial_cmp(&number(b)?),
        (Time(x), Str(s)) => parse_time_literal(s).map(|y| x.cmp(&y)),
        (Str(s), Time(y)) => parse_time_literal(s).map(|x| x.cmp(y)),
        (Bool(x), Str(s)) => boolean(s).map(|y| x.cmp(&y)),
        (Str(s), Bool(y)) => boolean(s).map(|x| x.cmp(y)),
        (Int(_) | Float(_), Str(s)) => {
            let y = s.trim().parse::<f64>().ok();
            y.and_then(|y| number(a).ok()?.partial_cmp(&y))
        }
        (Str(s), Int(_) | Float(_)) => {
            let x = s.trim().parse::<f64>().ok();
            x.and_then(|x| x.partial_cmp(&number(b).ok()?))
        }
        _ => {
            return Err(format!(
                "cannot compare {} with {}",
                a.type_name(),
                b.type_name()
            ))
        }
    })
}

fn number(v: &Val) -> Result<f64, String> {
    match v {
        Val::Int(i) => Ok(*i as f64),
        Val::Float(f) => Ok(*f),
        other => Err(format!("{} is not a number", other.type_name())),
    }
}

fn boolean(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A total order for ORDER BY, MIN and MAX (NULLs are placed by the caller): values of one
/// type by value, different types by a fixed rank. Strictly total (numbers by `total_cmp`,
/// then exactly), as sorting requires.
pub(crate) fn order(a: &Val, b: &Val) -> Ordering {
    use Val::*;
    rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
        (Bool(x), Bool(y)) => x.cmp(y),
        (Time(x), Time(y)) => x.cmp(y),
        (Str(x), Str(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Json(x), Json(y)) => x.to_string().cmp(&y.to_string()),
        (Int(x), Int(y)) => x.cmp(y),
        (Float(x), Float(y)) => x.total_cmp(y),
        (Int(x), Float(y)) => (*x as f64).total_cmp(y).then(Ordering::Less),
        (Float(x), Int(y)) => x.total_cmp(&(*y as f64)).then(Ordering::Greater),
        _ => Ordering::Equal,
    })
}

fn rank(v: &Val) -> u8 {
    match v {
        Val::Null => 0,
        Val::Bool(_) => 1,
        Val::Int(_) | Val::Float(_) => 2,
        Val::Time(_) => 3,
        Val::Str(_) => 4,
        Val::Json(_) => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_strings_and_null_is_no_cell() {
        let obj = json!({"b": [1, "x"], "a": null});
        assert_eq!(Val::Null.cell(), None);
        assert_eq!(Val::Bool(true).cell().as_deref(), Some("true"));
        assert_eq!(Val::Int(-3).cell().as_deref(), Some("-3"));
        assert_eq!(Val::Float(1.5).cell().as_deref(), Some("1.5"));
        assert_eq!(
            Val::Json(&obj).cell().as_deref(),
            Some(r#"{"b":[1,"x"],"a":null}"#)
        );
        let t = parse_time_literal("2026-11-19T02:11:05.25Z").expect("a time");
        assert_eq!(
            Val::Time(t).cell().as_deref(),
            Some("2026-11-19 02:11:05.250")
        );
        assert_eq!(
            Val::Str("a\"b".into()).json_text().as_deref(),
            Some(r#""a\"b""#)
        );
    }

    #[test]
    fn time_literals_in_every_accepted_form() {
        let midnight = parse_time_literal("2026-11-19");
        assert!(midnight.is_some());
        assert_eq!(parse_time_literal("2026-11-19 00:00:00"), midnight);
        assert_eq!(parse_time_literal("2026-11-19T00:00:00Z"), midnight);
        assert_eq!(parse_time_literal("2026-11-19 00:00:00.000"), midnight);
        for bad in [
            "",
            "redacted",
            "1722340800",
            "2026/11/19",
            "2026-11-19 25:00:00",
        ] {
            assert_eq!(parse_time_literal(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparisons_coerce_like_typed_columns_and_refuse_nonsense() {
        let t = Val::Time(parse_time_literal("2026-11-19").unwrap_or_default());
        let later = Val::Str("2026-11-19 00:00:01".into());
        assert_eq!(compare(&t, &later), Ok(Some(Ordering::Less)));
        assert_eq!(compare(&t, &Val::Str("redacted".into())), Ok(None));
        assert_eq!(
            compare(&Val::Bool(true), &Val::Str("TRUE".into())),
            Ok(Some(Ordering::Equal))
        );
        assert_eq!(
            compare(&Val::Int(2), &Val::Float(2.0)),
            Ok(Some(Ordering::Equal))
        );
        assert_eq!(compare(&Val::Null, &Val::Int(1)), Ok(None));
        assert_eq!(
            compare(&Val::Str("é".into()), &Val::Str("e".into())),
            Ok(Some(Ordering::Greater))
        );
        assert!(compare(&Val::Bool(true), &Val::Int(1)).is_err());
        assert_eq!(order(&Val::Int(10), &Val::Str("1".into())), Ordering::Less);
    }
}
