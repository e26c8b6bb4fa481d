//! Lake's answer back into trailscope's shapes. Every cell arrives as a string, a row as a
//! list of one-key maps. Rows that carry an event's identity (eventID, eventTime, eventName)
//! are rebuilt into CloudTrail records and join the store like any other source; anything
//! else (counts, groupings) is a results table whose cells are typed again (numbers, times,
//! booleans) so that they sort and export as what they are.

use super::sql::JSON_COLUMNS;
use crate::model::time::EventTime;
use serde_json::{Map, Value};

/// One row: (column, value) in SELECT order; a NULL cell is absent.
pub type Row = Vec<(String, String)>;

/// A cell of a results table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Time(EventTime),
    Text(String),
}

impl Cell {
    /// The typed value of a cell of `column`. Ids stay text whatever they look like (an
    /// account id is twelve digits, not a number); elsewhere only whole forms count: "00123"
    /// stays text, "1e5" stays text.
    pub fn typed(column: &str, text: &str) -> Cell {
        let leaf = column
            .rsplit('.')
            .next()
            .unwrap_or(column)
            .to_ascii_lowercase();
        if leaf.ends_with("id") || leaf.contains("account") {
            return Cell::Text(text.to_string());
        }
        Cell::parse(text)
    }

    /// The typed value of a string cell, from its form alone.
    pub fn parse(text: &str) -> Cell {
        match text {
            "true" => return Cell::Bool(true),
            "false" => return Cell::Bool(false),
            _ => {}
        }
        let digits = text.strip_prefix('-').unwrap_or(text);
        let plain_number = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|&b| b == b'.').count() <= 1
            && !(digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0."));
        if plain_number {
            if let Ok(i) = text.parse::<i64>() {
                return Cell::Int(i);
            }
            if let Ok(f) = text.parse::<f64>() {
                return Cell::Float(f);
            }
        }
        match lake_time(text) {
            Some(t) => Cell::Time(t),
            None => Cell::Text(text.to_string()),
        }
    }

    /// As text for the table and CSV (times in UTC, like the event table).
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Bool(b) => b.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Time(t) => t.format_utc(),
            Cell::Text(s) => s.clone(),
        }
    }

    /// As JSON, typed.
    pub fn json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Int(i) => Value::from(*i),
            Cell::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Cell::Time(t) => Value::String(iso(*t)),
            Cell::Text(s) => Value::String(s.clone()),
        }
    }
}

/// An aggregate answer: its columns, in SELECT order, and typed rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// Adds rows; columns are learnt in order of first appearance (a NULL cell is absent from
    /// its row, so a column may first show up in a later row).
    pub fn extend(&mut self, rows: &[Row]) {
        for row in rows {
            for (c, _) in row {
                if !self.columns.contains(c) {
                    self.columns.push(c.clone());
                }
            }
        }
        let width = self.columns.len();
        for row in rows {
            let mut cells = vec![Cell::Null; width];
            for (c, v) in row {
                if let Some(i) = self.columns.iter().position(|x| x == c) {
                    cells[i] = Cell::typed(c, v);
                }
            }
            self.rows.push(cells);
        }
        for r in &mut self.rows {
            r.resize(width, Cell::Null);
        }
    }
}

/// Whether rows with these columns are whole events (they can join the store).
pub fn are_events(row: &Row) -> bool {
    let has = |name: &str| row.iter().any(|(c, _)| c.eq_ignore_ascii_case(name));
    has("eventID") && has("eventTime") && has("eventName")
}

/// `2026-11-21 09:00:00.000` (Lake's timestamp text) as a time; also RFC 3339.
pub fn lake_time(text: &str) -> Option<EventTime> {
    let shaped = text.len() >= 19
        && text.as_bytes().get(4) == Some(&b'-')
        && text
            .as_bytes()
            .get(10)
            .is_some_and(|b| *b == b' ' || *b == b'T');
    if !shaped {
        return None;
    }
    let iso = match text.as_bytes().get(10) {
        Some(b' ') => format!("{}T{}Z", &text[..10], text[11..].trim_end_matches('Z')),
        _ => text.to_string(),
    };
    EventTime::parse(&iso).filter(|t| t.is_known())
}

/// CloudTrail's own form: `2026-11-21T09:00:00Z`.
fn iso(t: EventTime) -> String {
    let utc = t.format_utc();
    format!(
        "{}T{}Z",
        utc.get(..10).unwrap_or(""),
        utc.get(11..).unwrap_or("")
    )
}

/// A CloudTrail record rebuilt from an event row: dotted columns nest again, JSON columns
/// are parsed (a map's values that hold JSON too), booleans and times take CloudTrail's
/// forms. Unknown columns are kept as they came.
pub fn to_record(row: &Row) -> Value {
    let mut record = Map::new();
    for (column, text) in row {
        let value = typed(column, text);
        let mut path = column.split('.').peekable();
        let mut at = &mut record;
        while let Some(part) = path.next() {
            if path.peek().is_none() {
                at.insert(part.to_string(), value);
                break;
            }
            let child = at
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            match child.as_object_mut() {
                Some(map) => at = map,
                None => break,
            }
        }
    }
    Value::Object(record)
}

fn typed(column: &str, text: &str) -> Value {
    let leaf = column.rsplit('.').next().unwrap_or(column);
    if JSON_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(column)) {
        return match serde_json::from_str::<Value>(text) {
            Ok(v) if column.eq_ignore_ascii_case("responseElements") => unnest(v),
            Ok(v) => v,
            Err(_) => Value::String(text.to_string()),
        };
    }
    match leaf {
        "readOnly" | "managementEvent" | "sessionCredentialFromConsole" => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        "eventTime" | "creationDate" => match lake_time(text) {
            Some(t) => Value::String(iso(t)),
            None => Value::String(text.to_string()),
        },
        _ => Value::String(text.to_string()),
    }
}

/// Where minted credentials sit in `responseElements` (what lineage reads).
const MINTED: &[&str] = &[
    "credentials",
    "accessKey",
    "assumedRoleUser",
    "federatedUser",
];

/// Lake keeps `responseElements` as a map of strings: a nested object (AssumeRole's
/// `credentials`) is JSON text inside, and lineage needs it as an object again. Only those
/// keys: elsewhere JSON text is what the record held (a policy document is a string).
fn unnest(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match &v {
                        Value::String(s) if MINTED.contains(&k.as_str()) && s.starts_with('{') => {
                            serde_json::from_str(s).unwrap_or(v)
                        }
                        _ => v,
                    };
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

/// Event rows as records, through the same parser as every other source (`origin` names
/// them in warnings: `CloudTrail Lake <store>`).
pub fn records(
    store_id: &str,
    rows: &[Row],
) -> (
    Vec<crate::model::record::Record>,
    Vec<crate::model::warning::Warning>,
) {
    let origin: std::sync::Arc<str> = std::sync::Arc::from(format!("CloudTrail Lake {store_id}"));
    let mut sink = (Vec::new(), Vec::new());
    for row in rows {
        crate::model::parse::parse_text(&origin, &to_record(row).to_string(), &mut sink);
    }
    sink
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&str, &str)]) -> Row {
        cells
            .iter()
            .map(|(c, v)| (c.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn cells_get_their_types_back_but_ids_keep_their_zeros() {
        assert_eq!(Cell::parse("42"), Cell::Int(42));
        assert_eq!(Cell::parse("-3"), Cell::Int(-3));
        assert_eq!(Cell::parse("0.5"), Cell::Float(0.5));
        assert_eq!(Cell::parse("true"), Cell::Bool(true));
        assert_eq!(
            Cell::parse("012345678901"),
            Cell::Text("012345678901".into())
        );
        assert_eq!(Cell::parse("1e5"), Cell::Text("1e5".into()));
        assert!(matches!(
            Cell::parse("2026-11-21 09:00:00.000"),
            Cell::Time(_)
        ));
        assert_eq!(Cell::parse("AKIA1"), Cell::Text("AKIA1".into()));
        assert_eq!(
            Cell::typed("recipientAccountId", "444455556666"),
            Cell::Text("444455556666".into())
        );
        assert_eq!(
            Cell::typed("events", "444455556666"),
            Cell::Int(444_455_556_666)
        );
    }

    #[test]
    fn event_rows_rebuild_records_with_nested_identity_and_credentials() {
        let r = row(&[
            ("eventID", "e1"),
            ("eventTime", "2026-11-21 09:00:00.000"),
            ("eventName", "AssumeRole"),
            ("readOnly", "false"),
            ("userIdentity.arn", "arn:aws:iam::1:user/a"),
            (
                "userIdentity.sessionContext.sessionIssuer.arn",
                "arn:aws:iam::1:role/r",
            ),
            (
                "responseElements",
                r#"{"credentials":"{\"accessKeyId\":\"ASIA1\"}"}"#,
            ),
        ]);
        assert!(are_events(&r));
        let rec = to_record(&r);
        assert_eq!(rec["eventTime"], "2026-11-21T09:00:00Z");
        assert_eq!(rec["readOnly"], false);
        assert_eq!(rec["userIdentity"]["arn"], "arn:aws:iam::1:user/a");
        assert_eq!(
            rec["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"],
            "arn:aws:iam::1:role/r"
        );
        assert_eq!(
            rec["responseElements"]["credentials"]["accessKeyId"],
            "ASIA1"
        );
    }

    #[test]
    fn tables_learn_columns_from_rows_with_null_cells() {
        let mut t = Table::default();
        t.extend(&[
            row(&[("ip", "1.2.3.4"), ("events", "3")]),
            row(&[("events", "2"), ("err", "X")]),
        ]);
        assert_eq!(t.columns, ["ip", "events", "err"]);
        assert_eq!(
            t.rows[1],
            vec![Cell::Null, Cell::Int(2), Cell::Text("X".into())]
        );
        assert_eq!(t.rows[0][2], Cell::Null);
    }
}
