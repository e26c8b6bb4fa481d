//! Evidence export: the rows an investigator chose, as JSON lines, CSV or a Markdown incident
//! timeline, each opened by a provenance header (tool version, investigation, sources, caller
//! identity, filter, scope, export time, event count and a SHA-256).
//!
//! The SHA-256 is always over the exported records exactly as the JSONL body writes them: for
//! each row in order, the raw record bytes followed by `\n`. It is the same whatever the
//! format, so a colleague can check a CSV or Markdown export by re-exporting the same rows as
//! JSONL and hashing every line after the header (`tail -n +2 export.jsonl | sha256sum`).
//! Raw records are compact JSON (see `model::compact`), so each is exactly one line.

pub(crate) mod csv;
pub mod file;
mod markdown;
mod provenance;

use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The file format of an export.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// The raw records, one per line, after a one-line JSON provenance header.
    Jsonl,
    /// One row per event with the fields a spreadsheet user filters on.
    Csv,
    /// An incident timeline table for a report or a ticket.
    Markdown,
}

impl Format {
    /// `jsonl`, `csv`, `md` or `markdown` (any case).
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "jsonl" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// File name extension, without the dot.
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "md",
        }
    }
}

/// Which events the investigator exported; recorded in the header so a reader knows whether
/// the file is a curated selection or everything that was loaded.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Marked,
    View,
    All,
}

impl Scope {
    /// `marked`, `view` or `all` (any case).
    pub fn parse(text: &str) -> Option<Scope> {
        match text.trim().to_ascii_lowercase().as_str() {
            "marked" => Some(Scope::Marked),
            "view" => Some(Scope::View),
            "all" => Some(Scope::All),
            _ => None,
        }
    }

    /// How the header describes the scope.
    pub fn label(&self) -> &'static str {
        match self {
            Scope::Marked => "marked events",
            Scope::View => "events in the current view",
            Scope::All => "all loaded events",
        }
    }

    /// One word, for file names (a name with spaces breaks the shell line that checks it).
    pub fn word(&self) -> &'static str {
        match self {
            Scope::Marked => "marked",
            Scope::View => "view",
            Scope::All => "all",
        }
    }
}

/// Where the exported events came from and who exported them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// Callers pass `env!("CARGO_PKG_VERSION")`.
    pub tool_version: String,
    pub investigation: Option<String>,
    /// One human line per source, e.g. "LookupEvents eu-west-1 (profile ir)
    /// 2026-11-20T00:00:00Z..2026-11-21T00:00:00Z, fetched 2026-11-21T03:12:00Z".
    pub sources: Vec<String>,
    /// The caller identity where known; `None` is written as "not recorded".
    pub caller: Option<String>,
    /// The view's filter text; empty means every event.
    pub filter: String,
    pub scope: Scope,
    pub exported_at: EventTime,
}

/// What an export wrote: the number of events and the SHA-256 (lowercase hex) of those records
/// as JSON lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub events: usize,
    pub sha256: String,
}

/// Writes `rows` (in the given order) as `format`, with `notes` in the note column of CSV and
/// Markdown and in the header of JSON lines. Fails before writing anything if a row is not in the store or an event has no raw
/// record (a store loaded for headless counting drops them), since the digest would not cover
/// the evidence. `out` is written in many small pieces: pass a buffered writer for files.
pub fn export(
    out: &mut impl Write,
    format: Format,
    store: &Store,
    rows: &[EventIdx],
    notes: &BTreeMap<EventIdx, String>,
    prov: &Provenance,
) -> io::Result<Exported> {
    let done = provenance::digest(store, rows)?;
    match format {
        Format::Jsonl => jsonl(out, store, rows, notes, prov, &done)?,
        Format::Csv => csv::write(out, store, rows, notes, &provenance::lines(prov, &done))?,
        Format::Markdown => markdown::write(
            out,
            store,
            rows,
            notes,
            prov.investigation.as_deref(),
            &provenance::lines(prov, &done),
        )?,
    }
    Ok(done)
}

/// The header object on the first line (the notes with it, by line and event ID), then each
/// raw record unchanged: the body is exactly the bytes the digest covers.
fn jsonl(
    out: &mut impl Write,
    store: &Store,
    rows: &[EventIdx],
    notes: &BTreeMap<EventIdx, String>,
    prov: &Provenance,
    done: &Exported,
) -> io::Result<()> {
    let mut header = provenance::json(prov, done);
    let noted: Vec<serde_json::Value> = rows
        .iter()
        .enumerate()
        .filter_map(|(n, i)| {
            let note = notes.get(i)?;
            Some(serde_json::json!({
                // The record's line in this file (the header is line 1).
                "line": n + 2,
                "eventID": store.event(*i).event_id.as_ref().map(ToString::to_string),
                "note": note,
            }))
        })
        .collect();
    if let Some(obj) = header
        .get_mut("trailscope_provenance")
        .and_then(|p| p.as_object_mut())
    {
        obj.insert("notes".to_string(), serde_json::Value::Array(noted));
    }
    writeln!(out, "{header}")?;
    for &i in rows {
        let raw = store.event(i).raw.text();
        out.write_all(raw.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
