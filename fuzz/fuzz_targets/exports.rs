//! Evidence exports and the clipboard on fuzz-made records (fuzz strings also as the note,
//! investigation name, source, caller and filter of the provenance header).
//! Asserts: JSONL is a JSON header then one line per row, each equal (as JSON) to the record
//! loaded, and the header's SHA-256 is that body's; CSV reads back (RFC 4180) as `# ` lines of
//! two cells, a header and one row of 13 cells per event, nothing formula-looking, names and
//! error messages exact; Markdown holds no unsafe character and each event is one table row of
//! seven cells; a copied record is JSON equal to the record with no unsafe character, a copied
//! field is its visible form, and the OSC 52 sequence carries nothing but base64 between its
//! fixed escapes.
#![no_main]

mod common;

use base64::Engine;
use common::{assert_no_formula, assert_safe, guarded, read_csv, records, store};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use trailscope::clipboard::{json_text, osc52, plain_text, Mux};
use trailscope::export::{export, Format, Provenance, Scope};
use trailscope::model::sanitize::visible;
use trailscope::model::time::EventTime;

fuzz_target!(|data: &[u8]| {
    let (values, free) = records(data);
    let store = store(&values);
    let rows: Vec<_> = store.time_order().to_vec();
    let mut notes = BTreeMap::new();
    if let Some(&first) = rows.first() {
        notes.insert(first, free.clone());
    }
    let prov = Provenance {
        tool_version: "0.0.0-fuzz".to_string(),
        investigation: Some(free.clone()),
        sources: vec![free.clone(), "fuzz.json".to_string()],
        caller: Some(free.clone()),
        filter: free.clone(),
        scope: Scope::View,
        exported_at: EventTime::from_millis(1_700_000_000_000),
    };
    let run = |format| {
        let mut out = Vec::new();
        let done = export(&mut out, format, &store, &rows, &notes, &prov).expect("export");
        assert_eq!(done.events, rows.len());
        (String::from_utf8(out).expect("UTF-8"), done)
    };
    let inputs: Vec<Value> = values.clone();

    // JSONL: the records loaded, one per line, as the digest covers them.
    let (jsonl, done) = run(Format::Jsonl);
    let (header, body) = jsonl.split_once('\n').expect("a header line");
    let _: Value = serde_json::from_str(header).expect("the header is JSON");
    assert_eq!(hex(&Sha256::digest(body.as_bytes())), done.sha256);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), rows.len(), "{body:?}");
    for (line, &i) in lines.iter().zip(&rows) {
        let back: Value = serde_json::from_str(line).expect("a JSONL line is JSON");
        let raw: Value = serde_json::from_str(&store.event(i).raw).expect("raw is JSON");
        assert_eq!(back, raw);
        assert!(
            inputs.contains(&back),
            "not a record that was loaded: {line}"
        );
    }

    // CSV: provenance comments, a header, one row per event, in cells a reader gets back.
    let (csv, _) = run(Format::Csv);
    let records = read_csv(&csv);
    assert_no_formula(&records);
    let comments = records
        .iter()
        .take_while(|r| r[0].starts_with("# "))
        .count();
    for r in &records[..comments] {
        assert_eq!(r.len(), 2, "{r:?}");
    }
    let table = &records[comments..];
    assert_eq!(table.len(), rows.len() + 1, "{csv:?}");
    for r in table {
        assert_eq!(r.len(), 13, "{r:?}");
    }
    for (r, &i) in table[1..].iter().zip(&rows) {
        let e = store.event(i);
        assert_eq!(r[1], guarded(store.text(e.name)));
        assert_eq!(r[9], guarded(e.error_message.as_deref().unwrap_or("")));
    }

    // Markdown: inert text, one table row of seven cells per event.
    let (md, _) = run(Format::Markdown);
    assert_safe(&md, "Markdown export");
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .collect();
    assert_eq!(table.len(), rows.len(), "{md}");
    for row in table {
        assert_eq!(unescaped_pipes(row), 8, "{row}");
    }

    // The clipboard.
    for text in values
        .iter()
        .map(|v| v.to_string())
        .chain(rows.iter().map(|&i| store.event(i).raw.to_string()))
        .chain([free.clone()])
    {
        let copied = json_text(&text);
        assert_safe(&copied, "copied JSON");
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => assert_eq!(serde_json::from_str::<Value>(&copied).ok(), Some(v)),
            Err(_) => assert_eq!(copied, visible(&text)),
        }
    }
    let field = plain_text(&free);
    assert_safe(&field, "a copied field");
    assert_eq!(field, visible(&free));
    for (mux, escapes, bells) in [(Mux::None, 1, 1), (Mux::Tmux, 5, 2), (Mux::Screen, 3, 1)] {
        let bytes = osc52(&field, mux);
        assert_eq!(bytes.iter().filter(|&&b| b == 0x1b).count(), escapes);
        assert_eq!(bytes.iter().filter(|&&b| b == 0x07).count(), bells);
        let start = bytes
            .windows(6)
            .position(|w| w == b"]52;c;")
            .expect("OSC 52")
            + 6;
        let end = start + bytes[start..].iter().position(|&b| b == 0x07).expect("BEL");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&bytes[start..end])
            .expect("base64");
        assert_eq!(decoded, field.as_bytes());
    }
});

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `|` not escaped by a backslash.
fn unescaped_pipes(row: &str) -> usize {
    let mut n = 0;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => n += 1,
            _ => {}
        }
    }
    n
}
