//! Raw records are packed into compressed blocks by the loaders (`model::raw`). Everything that
//! reads them (the detail pane, free text, export) must see the same bytes as a store that kept
//! each record's text as parsed from the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use trailscope::export::{export, Format, Provenance, Scope};
use trailscope::model::parse::parse_text;
use trailscope::model::store::{EventIdx, Store};
use trailscope::model::time::EventTime;
use trailscope::source::files::load_blocking;
use trailscope::source::input::decode;
use trailscope::source::walk::plan;

/// Real trails: CloudTrail files (31, some with hundreds of records) and one JSON-lines file of
/// 500+ records, so many blocks hold 64 records and some fewer.
const DIRS: [&str; 2] = [
    "tests/fixtures/stratus-red-team-detonation-logs",
    "tests/fixtures/panther-analysis-cloudtrail-test-events",
];

fn dirs() -> Vec<PathBuf> {
    DIRS.iter()
        .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join(d))
        .collect()
}

/// The same files parsed here, one at a time, with nothing packed.
fn plain_store() -> Store {
    let mut store = Store::default();
    for dir in dirs() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "jsonl"))
            .collect();
        files.sort();
        for file in files {
            let origin: Arc<str> = Arc::from(file.display().to_string());
            let text = decode(&origin, std::fs::read(&file).expect("read")).text;
            let mut sink = (Vec::new(), Vec::new());
            parse_text(&origin, &text, &mut sink);
            store.insert_batch(sink.0);
        }
    }
    store
}

fn texts(store: &Store, rows: &[EventIdx]) -> Vec<String> {
    let mut all: Vec<String> = rows
        .iter()
        .map(|&i| store.event(i).raw.text().to_string())
        .collect();
    all.sort();
    all
}

fn jsonl_body(store: &Store) -> Vec<String> {
    let prov = Provenance {
        tool_version: "test".to_string(),
        investigation: None,
        sources: vec!["fixtures".to_string()],
        caller: None,
        filter: String::new(),
        scope: Scope::All,
        exported_at: EventTime::parse("2026-12-06T00:00:00Z").expect("time"),
    };
    let mut out = Vec::new();
    export(
        &mut out,
        Format::Jsonl,
        store,
        store.time_order(),
        &BTreeMap::new(),
        &prov,
    )
    .expect("export");
    let text = String::from_utf8(out).expect("UTF-8");
    // The header names the digest of the rows in time order, which equal times may order
    // differently between two loads: compare the records only.
    let mut lines: Vec<String> = text.lines().skip(1).map(str::to_string).collect();
    lines.sort();
    lines
}

#[test]
fn packed_records_read_the_same_bytes_as_the_files() {
    let (packed, _) = load_blocking(plan(&dirs()));
    let plain = plain_store();
    assert!(packed.len() > 600, "{} events", packed.len());
    assert_eq!(packed.len(), plain.len());
    let packed_count = (0..packed.len() as EventIdx)
        .filter(|&i| packed.event(i).raw.is_packed())
        .count();
    assert_eq!(packed_count, packed.len(), "every loaded record is packed");

    // The detail pane, the clipboard and the detections read `raw.text()`.
    assert_eq!(
        texts(&packed, packed.time_order()),
        texts(&plain, plain.time_order())
    );

    // Free text: words common and rare, short (no trigram filter) and long, in any case, an
    // address, a key ID, a field name, and text no record holds.
    let now = EventTime::parse("2026-12-06T00:00:00Z").expect("time");
    for word in [
        "s",
        "ec",
        "GetObject",
        "deleteobject",
        "eventname",
        "stratus",
        "AKIA",
        "assumed-role",
        "AccessDenied",
        "198.51.100",
        "ConsoleLogin",
        "zzzyyyxxx",
    ] {
        let from_packed = trailscope::filter::select(&packed, word, now).expect("parses");
        let from_plain = trailscope::filter::select(&plain, word, now).expect("parses");
        assert_eq!(
            texts(&packed, &from_packed),
            texts(&plain, &from_plain),
            "free text {word}"
        );
    }

    // Export writes each record's bytes.
    assert_eq!(jsonl_body(&packed), jsonl_body(&plain));
}
