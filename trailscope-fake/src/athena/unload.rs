//! `UNLOAD (SELECT …) TO 's3://…/' WITH (format = 'JSON', compression = 'GZIP')`: the SELECT
//! runs as any other, and its rows are written as Athena writes them, gzipped JSON lines (one
//! object per row, NULL columns left out) in several objects, into a real S3 (moto's, in
//! tests: `FakeAthena::unload_s3`). As Athena does, a destination that already holds objects
//! is refused, and only the formats the fake writes are accepted.

use crate::lake::run::Rows;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{Map, Value};
use sqlparser::ast::{Expr, Query, SqlOption, Statement, Value as SqlValue};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use std::io::Write;

/// Rows per object written (Athena writes one object per worker; several here, so that a
/// reader has to gather them).
const ROWS_PER_OBJECT: usize = 20_000;

/// An UNLOAD statement: its SELECT and where it writes.
pub(crate) struct Unload {
    pub query: Query,
    pub bucket: String,
    pub prefix: String,
}

/// `None` for a statement that is not an UNLOAD; else the UNLOAD, or why Athena would refuse it.
pub(crate) fn parse(statement: &str) -> Option<Result<Unload, String>> {
    let first = statement.trim_start().get(..6)?;
    if !first.eq_ignore_ascii_case("UNLOAD") {
        return None;
    }
    Some(parse_unload(statement))
}

fn parse_unload(statement: &str) -> Result<Unload, String> {
    let mut parsed =
        Parser::parse_sql(&GenericDialect {}, statement).map_err(|e| format!("line 1:1: {e}"))?;
    let Some(Statement::Unload {
        query: Some(query),
        to,
        with,
        ..
    }) = parsed.pop()
    else {
        return Err("line 1:1: UNLOAD takes (SELECT …) TO 's3://…'".to_string());
    };
    let option = |name: &str| {
        with.iter().find_map(|o| match o {
            SqlOption::KeyValue {
                key,
                value: Expr::Value(v),
            } if key.value.eq_ignore_ascii_case(name) => match &v.value {
                SqlValue::SingleQuotedString(s) => Some(s.to_ascii_uppercase()),
                _ => None,
            },
            _ => None,
        })
    };
    if option("format").as_deref() != Some("JSON")
        || option("compression").as_deref() != Some("GZIP")
    {
        return Err(
            "the fake Athena UNLOADs only WITH (format = 'JSON', compression = 'GZIP')".to_string(),
        );
    }
    let rest = to
        .value
        .strip_prefix("s3://")
        .ok_or_else(|| format!("UNLOAD TO {} is not an s3:// location", to.value))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    Ok(Unload {
        query: *query,
        bucket: bucket.to_string(),
        prefix: prefix.to_string(),
    })
}

/// Writes `rows` (cells named by `header`, a bigint column as a number) under the UNLOAD's
/// folder in the S3 at `endpoint`; `name` makes the objects' names. Returns the objects
/// written, or the failure Athena would report.
pub(crate) fn write(
    endpoint: &str,
    unload: &Unload,
    header: &[(String, &'static str)],
    rows: &Rows,
    name: &str,
) -> Result<usize, String> {
    let objects: Vec<(String, Vec<u8>)> = rows
        .chunks(ROWS_PER_OBJECT)
        .enumerate()
        .map(|(i, chunk)| {
            let key = format!("{}{name}_{i:05}.gz", unload.prefix);
            (key, gzipped_lines(header, chunk))
        })
        .collect();
    let endpoint = endpoint.to_string();
    let (bucket, prefix) = (unload.bucket.clone(), unload.prefix.clone());
    // The caller may be on the endpoint's runtime: the upload gets a thread and runtime of
    // its own.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime: {e}"))?;
        rt.block_on(upload(&endpoint, &bucket, &prefix, objects))
    })
    .join()
    .map_err(|_| "the UNLOAD writer panicked".to_string())?
}

fn gzipped_lines(header: &[(String, &'static str)], rows: &[Vec<(String, String)>]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    for row in rows {
        let object: Map<String, Value> = row
            .iter()
            .map(|(name, value)| {
                let bigint = header.iter().any(|(n, t)| n == name && *t == "bigint");
                let v = match value.parse::<i64>() {
                    Ok(n) if bigint => Value::from(n),
                    _ => Value::String(value.clone()),
                };
                (name.clone(), v)
            })
            .collect();
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut gz, &object);
        let _ = gz.write_all(b"\n");
    }
    gz.finish().unwrap_or_default()
}

async fn upload(
    endpoint: &str,
    bucket: &str,
    prefix: &str,
    objects: Vec<(String, Vec<u8>)>,
) -> Result<usize, String> {
    let s3 = crate::s3::client(endpoint);
    let existing = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .max_keys(1)
        .send()
        .await
        .map_err(|e| {
            format!("Access denied when writing output to url: s3://{bucket}/{prefix} ({e})")
        })?;
    if !existing.contents().is_empty() {
        return Err(format!(
            "HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: s3://{bucket}/{prefix}. You may need to manually clean the data at location before retrying."
        ));
    }
    let n = objects.len();
    for (key, body) in objects {
        s3.put_object()
            .bucket(bucket)
            .key(&key)
            .body(body.into())
            .send()
            .await
            .map_err(|e| {
                format!("Access denied when writing output to url: s3://{bucket}/{key} ({e})")
            })?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn an_unload_is_its_select_and_its_folder() {
        let u = parse("UNLOAD (SELECT eventid FROM t) TO 's3://results/x/y/' WITH (format = 'JSON', compression = 'GZIP')")
            .expect("an UNLOAD")
            .expect("valid");
        assert_eq!((u.bucket.as_str(), u.prefix.as_str()), ("results", "x/y/"));
        assert_eq!(u.query.to_string(), "SELECT eventid FROM t");
        assert!(parse("SELECT 1").is_none());
        let parquet = parse("UNLOAD (SELECT 1) TO 's3://r/' WITH (format = 'PARQUET')");
        assert!(parquet.expect("an UNLOAD").is_err());
    }
}
