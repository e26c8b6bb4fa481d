//! The provenance header and the digest that ties it to the exported records.

use super::{Exported, Provenance};
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io;

/// What a missing caller identity or investigation is written as.
const NOT_RECORDED: &str = "not recorded";

/// SHA-256 over the records exactly as the JSONL body writes them (raw record, then `\n`), so
/// every format's header names the same value and a JSONL re-export checks any of them.
/// Also checks the rows: this runs before anything is written, so a bad row leaves no half file.
pub(crate) fn digest(store: &Store, rows: &[EventIdx]) -> io::Result<Exported> {
    let mut hasher = Sha256::new();
    for &i in rows {
        if i as usize >= store.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("export: event {i} is not in the store"),
            ));
        }
        let raw = store.event(i).raw.text();
        if raw.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("export: event {i} has no raw record (loaded without raw JSON)"),
            ));
        }
        hasher.update(raw.as_bytes());
        hasher.update(b"\n");
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
    Ok(Exported {
        events: rows.len(),
        sha256,
    })
}

/// The label of the digest line, which says what the digest covers.
pub(crate) fn digest_label(events: usize) -> String {
    format!("sha256 of the {events} records as JSON lines")
}

/// The header as (label, value) lines for the text formats, in a fixed order. Labels are ours
/// (no commas or markup); values may hold anything and each format escapes them.
pub(crate) fn lines(prov: &Provenance, done: &Exported) -> Vec<(String, String)> {
    let mut lines = vec![
        (
            "tool".to_string(),
            format!("trailscope {}", prov.tool_version),
        ),
        (
            "investigation".to_string(),
            prov.investigation
                .clone()
                .unwrap_or_else(|| NOT_RECORDED.to_string()),
        ),
    ];
    if prov.sources.is_empty() {
        lines.push(("source".to_string(), NOT_RECORDED.to_string()));
    }
    for source in &prov.sources {
        lines.push(("source".to_string(), source.clone()));
    }
    let filter = if prov.filter.is_empty() {
        "(none: every event)".to_string()
    } else {
        prov.filter.clone()
    };
    lines.extend([
        (
            "caller identity".to_string(),
            prov.caller
                .clone()
                .unwrap_or_else(|| NOT_RECORDED.to_string()),
        ),
        ("filter".to_string(), filter),
        ("scope".to_string(), prov.scope.label().to_string()),
        (
            "exported at".to_string(),
            rfc3339_or_unknown(prov.exported_at),
        ),
        ("events".to_string(), done.events.to_string()),
        (digest_label(done.events), done.sha256.clone()),
    ]);
    lines
}

/// The JSONL header line. Missing values are `null` here rather than "not recorded": a
/// program reading it should not have to know our wording.
pub(crate) fn json(prov: &Provenance, done: &Exported) -> Value {
    json!({ "trailscope_provenance": {
        "tool": "trailscope",
        "tool_version": prov.tool_version,
        "investigation": prov.investigation,
        "sources": prov.sources,
        "caller": prov.caller,
        "filter": prov.filter,
        "scope": prov.scope.label(),
        "exported_at": rfc3339(prov.exported_at),
        "events": done.events,
        "sha256": done.sha256,
        "sha256_covers": format!(
            "{}: every line after this header, each with its newline",
            digest_label(done.events)
        ),
    }})
}

/// `2026-11-19T02:21:40Z` (fractional seconds only when there are some); `None` if unknown.
pub(crate) fn rfc3339(t: EventTime) -> Option<String> {
    let ts = jiff::Timestamp::from_millisecond(t.millis()?).ok()?;
    Some(ts.to_string())
}

fn rfc3339_or_unknown(t: EventTime) -> String {
    rfc3339(t).unwrap_or_else(|| "unknown".to_string())
}
