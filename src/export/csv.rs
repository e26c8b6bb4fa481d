//! CSV export: `# ` provenance lines, a header row, one row per event. Every cell is
//! attacker-controlled text, so every cell is quoted and formula-guarded.

use super::provenance::rfc3339;
use crate::model::sanitize::visible;
use crate::model::store::{EventIdx, Store};
use std::collections::BTreeMap;
use std::io::{self, Write};

const HEADER: [&str; 14] = [
    "eventTime",
    "eventName",
    "eventSource",
    "principal",
    "accessKeyId",
    "sourceIPAddress",
    "awsRegion",
    "recipientAccountId",
    "errorCode",
    "errorMessage",
    "userAgent",
    "eventID",
    "target",
    "note",
];

pub(crate) fn write(
    out: &mut impl Write,
    store: &Store,
    rows: &[EventIdx],
    notes: &BTreeMap<EventIdx, String>,
    header: &[(String, String)],
) -> io::Result<()> {
    // `# label,value`: the value is a cell of its own, so a spreadsheet that does not skip
    // comment lines still gets it quoted and formula-guarded. `visible` first, so a newline in
    // a source label or filter stays on its line instead of opening a quoted multi-line cell.
    for (label, value) in header {
        writeln!(out, "# {label},{}", csv_cell(&visible(value)))?;
    }
    writeln!(out, "{}", HEADER.join(","))?;
    for &i in rows {
        let e = store.event(i);
        // Event values are kept as they are (quoting keeps newlines inside their cell): this
        // is evidence, and the raw records it came from are in the JSONL export.
        let time = rfc3339(e.time).unwrap_or_default();
        let event_id = e.event_id.as_ref().map(|id| id.text()).unwrap_or_default();
        let cells: [&str; 14] = [
            &time,
            store.text(e.name),
            store.text(e.source),
            store.interner.resolve(e.principal_name),
            store.text(e.identity.access_key_id),
            store.text(e.source_ip),
            store.text(e.region),
            store.text(e.account),
            store.text(e.error_code),
            store.text(e.error_message),
            store.text(e.user_agent),
            &event_id,
            store.text(e.target),
            notes.get(&i).map_or("", String::as_str),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// RFC 4180 quoting, and a leading `'` on cells a spreadsheet would run as a formula
/// (OWASP's CSV-injection advice): event strings are attacker-controlled.
pub(crate) fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
