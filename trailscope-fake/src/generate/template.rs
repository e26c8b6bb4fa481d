//! The records that generated events are copied from: the bundled demo, or real files named
//! with `--templates`. Unlike the viewer's loader this is strict: a template that cannot be
//! read is an error, since silently generating from fewer templates would skew a benchmark.

use flate2::read::MultiGzDecoder;
use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;
use trailscope::source::walk::Plan;
use trailscope::source::{demo, walk};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Template records (JSON objects with eventTime and eventName), in file order.
pub(crate) fn load(paths: &[PathBuf]) -> Result<Vec<Value>, String> {
    let plan = if paths.is_empty() {
        demo::plan()
    } else {
        walk::plan(paths)
    };
    let records = from_plan(plan)?;
    if records.is_empty() {
        let from = if paths.is_empty() {
            "the bundled demo".to_string()
        } else {
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(format!(
            "no CloudTrail records found in {from}: templates must be {{\"Records\":[…]}} files, \
             JSON arrays or JSON lines of objects with eventTime and eventName"
        ));
    }
    Ok(records)
}

fn from_plan(plan: Plan) -> Result<Vec<Value>, String> {
    // Paths that could not be opened are fatal here (see the module comment); skipped digest
    // and non-log files are only notes and are fine to ignore.
    if let Some(w) = plan
        .warnings
        .iter()
        .find(|w| w.severity == trailscope::model::warning::Severity::Problem)
    {
        return Err(format!("cannot read template {w}"));
    }
    let mut records = Vec::new();
    for input in &plan.inputs {
        let label = input.label();
        let bytes = trailscope::source::files::read_all(input)
            .map_err(|e| format!("cannot read template {label}: {e}"))?;
        let bytes = gunzip(bytes).map_err(|e| format!("cannot gunzip template {label}: {e}"))?;
        collect(&bytes, &mut records);
    }
    Ok(records)
}

/// Gzip is recognised by its magic bytes, not the file name; every member is read.
fn gunzip(bytes: Vec<u8>) -> std::io::Result<Vec<u8>> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() * 8);
    MultiGzDecoder::new(bytes.as_slice()).read_to_end(&mut out)?;
    Ok(out)
}

/// Accepts `{"Records":[…]}`, a bare array, a single record, or JSON lines. Lines that do not
/// parse and values that are not records are skipped: a template file may carry other JSON.
fn collect(bytes: &[u8], out: &mut Vec<Value>) {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        if let Ok(doc) = serde_json::from_slice::<Value>(trimmed) {
            take_document(doc, out);
            return;
        }
    }
    // Not one JSON document: JSON lines.
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if let Ok(doc) = serde_json::from_slice::<Value>(line) {
            take_document(doc, out);
        }
    }
}

fn take_document(doc: Value, out: &mut Vec<Value>) {
    match doc {
        Value::Object(mut map) => match map.remove("Records") {
            Some(Value::Array(items)) => out.extend(items.into_iter().filter(is_record)),
            Some(other) => {
                // Not a wrapper after all: put the field back and judge the object itself.
                map.insert("Records".to_string(), other);
                push_if_record(Value::Object(map), out);
            }
            None => push_if_record(Value::Object(map), out),
        },
        Value::Array(items) => out.extend(items.into_iter().filter(is_record)),
        _ => {}
    }
}

fn push_if_record(value: Value, out: &mut Vec<Value>) {
    if is_record(&value) {
        out.push(value);
    }
}

fn is_record(value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.get("eventTime").is_some_and(Value::is_string)
            && m.get("eventName").is_some_and(Value::is_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> usize {
        let mut out = Vec::new();
        collect(text.as_bytes(), &mut out);
        out.len()
    }

    #[test]
    fn accepts_the_usual_shapes() {
        let r = r#"{"eventTime":"2024-01-01T00:00:00Z","eventName":"GetObject"}"#;
        assert_eq!(records(&format!(r#"{{"Records":[{r},{r},1]}}"#)), 2);
        assert_eq!(records(&format!("[{r},{r},{r}]")), 3);
        assert_eq!(records(&format!("{r}\n\n{r}\nnot json\n{{\"x\":1}}\n")), 2);
        assert_eq!(records(r#"{"eventName":"NoTime"}"#), 0);
    }

    #[test]
    fn demo_templates_load() {
        let recs = load(&[]).unwrap();
        assert!(recs.len() > 1000);
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = load(&[PathBuf::from("/definitely/not/here.json")]).unwrap_err();
        assert!(err.contains("cannot read template"), "{err}");
    }
}
