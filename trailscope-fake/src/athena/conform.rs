//! An event as Athena's CloudTrail table reads it: the JSON SerDe maps the record's members to
//! the table's lowercase columns case-insensitively, keeps nested objects bound for a STRING
//! column as their JSON text, conforms STRUCTs to their declared fields (a field the record
//! lacks is NULL, one the table does not declare is gone) and adds the partition columns
//! from the folder the file lies in. The columns are the product's (`trailscope::athena::
//! table`), which are AWS's documented ones.

use serde_json::{Map, Value};
use trailscope::athena::table::COLUMNS;

/// A Hive column type, as far as the CloudTrail table uses them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum HiveType {
    String,
    Struct(Vec<(String, HiveType)>),
    Array(Box<HiveType>),
    Map(Box<HiveType>),
}

/// Parses `STRING`, `STRUCT<a: T, …>`, `ARRAY<T>`, `MAP<STRING,T>`.
pub(crate) fn parse_type(text: &str) -> Result<HiveType, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (t, rest) = one(&compact)?;
    match rest.is_empty() {
        true => Ok(t),
        false => Err(format!("trailing text in the type {text}")),
    }
}

fn one(s: &str) -> Result<(HiveType, &str), String> {
    let upper = s.to_ascii_uppercase();
    if upper.starts_with("STRING") {
        return Ok((HiveType::String, &s[6..]));
    }
    if upper.starts_with("ARRAY<") {
        let (inner, rest) = one(&s[6..])?;
        let rest = rest.strip_prefix('>').ok_or("ARRAY<… without >")?;
        return Ok((HiveType::Array(Box::new(inner)), rest));
    }
    if upper.starts_with("MAP<STRING,") {
        let (inner, rest) = one(&s[11..])?;
        let rest = rest.strip_prefix('>').ok_or("MAP<… without >")?;
        return Ok((HiveType::Map(Box::new(inner)), rest));
    }
    if upper.starts_with("STRUCT<") {
        let mut rest = &s[7..];
        let mut fields = Vec::new();
        loop {
            let colon = rest.find(':').ok_or("a STRUCT field without a type")?;
            let name = rest[..colon].to_ascii_lowercase();
            let (t, after) = one(&rest[colon + 1..])?;
            fields.push((name, t));
            match after.as_bytes().first() {
                Some(b',') => rest = &after[1..],
                Some(b'>') => return Ok((HiveType::Struct(fields), &after[1..])),
                _ => return Err("a STRUCT not closed".to_string()),
            }
        }
    }
    Err(format!("an unknown type at {s}"))
}

/// The table's columns with their parsed types (the product's list always parses: a unit
/// test holds it to that).
pub(crate) fn columns() -> Vec<(String, HiveType)> {
    COLUMNS
        .iter()
        .filter_map(|c| Some((c.name.to_string(), parse_type(c.hive_type).ok()?)))
        .collect()
}

/// `record` as a row of the table: every column (NULL where the record has nothing), then
/// `partitions` (name, value).
pub(crate) fn row(
    record: &Value,
    columns: &[(String, HiveType)],
    partitions: &[(&str, String)],
) -> Value {
    let mut out = Map::with_capacity(columns.len() + partitions.len());
    for (name, t) in columns {
        out.insert(name.clone(), conform(member(record, name), t));
    }
    for (name, value) in partitions {
        out.insert(name.to_string(), Value::String(value.clone()));
    }
    Value::Object(out)
}

/// The member of `object` named `name` ignoring case (the SerDe's `case.insensitive`).
fn member<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    let o = object.as_object()?;
    o.get(name).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn conform(value: Option<&Value>, t: &HiveType) -> Value {
    let Some(v) = value.filter(|v| !v.is_null()) else {
        return Value::Null;
    };
    match (t, v) {
        (HiveType::String, Value::String(s)) => Value::String(s.clone()),
        // Objects, arrays, numbers and booleans bound for a STRING: their JSON text.
        (HiveType::String, other) => Value::String(other.to_string()),
        (HiveType::Struct(fields), Value::Object(_)) => {
            let mut out = Map::with_capacity(fields.len());
            for (name, ft) in fields {
                out.insert(name.clone(), conform(member(v, name), ft));
            }
            Value::Object(out)
        }
        (HiveType::Array(inner), Value::Array(items)) => {
            Value::Array(items.iter().map(|i| conform(Some(i), inner)).collect())
        }
        (HiveType::Map(inner), Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), conform(Some(v), inner)))
                .collect(),
        ),
        // A value of the wrong shape reads as NULL (the SerDe's ignore.malformed.json off
        // would fail the query; the fake keeps the table readable, as most tables set it).
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_column_type_of_the_table_parses() {
        assert_eq!(columns().len(), COLUMNS.len());
        let ident = &columns()[1];
        assert_eq!(ident.0, "useridentity");
        let HiveType::Struct(fields) = &ident.1 else {
            panic!("useridentity is a STRUCT")
        };
        assert!(fields.iter().any(|(n, _)| n == "sessioncontext"));
    }

    #[test]
    fn records_conform_to_the_table() {
        let record = json!({
            "eventVersion": "1.08",
            "userIdentity": {"type": "IAMUser", "accessKeyId": "AKIAX", "extra": 1},
            "eventTime": "2026-11-20T09:00:00Z",
            "requestParameters": {"bucketName": "b"},
            "readOnly": true,
            "resources": [{"ARN": "arn:aws:s3:::b", "type": "AWS::S3::Bucket"}]
        });
        let row = row(&record, &columns(), &[("account", "111122223333".into())]);
        assert_eq!(row["eventversion"], "1.08");
        assert_eq!(row["useridentity"]["accesskeyid"], "AKIAX");
        assert_eq!(row["useridentity"]["username"], Value::Null);
        assert!(row["useridentity"].get("extra").is_none());
        assert_eq!(row["requestparameters"], r#"{"bucketName":"b"}"#);
        assert_eq!(row["readonly"], "true");
        assert_eq!(row["resources"][0]["arn"], "arn:aws:s3:::b");
        assert_eq!(row["resources"][0]["accountid"], Value::Null);
        assert_eq!(row["errorcode"], Value::Null);
        assert_eq!(row["account"], "111122223333");
    }
}
