//! Parsing alone, on one thread, stage by stage (a benchmark, not a test: it prints figures
//! for BENCHMARKS.md):
//!
//!   TRAILSCOPE_BENCH_DIR=/tmp/gen1m cargo bench --bench parse
//!
//! Every `*.json.gz` under the folder is inflated into memory once (libdeflate, timed), then
//! three rounds, interleaved, of: (1) the duplicate-key scan over each file's text; (2)
//! serde_json skipping each file's text (`IgnoredAny`), the floor of any serde reading; (3)
//! the loader's whole reading (`parse_text`), records without their raw JSON as a headless
//! count keeps them, and (4) with it, as the app keeps them.

#[path = "common/gz_files.rs"]
mod gz_files;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use trailscope::model::parse::{parse_text, Sink};
use trailscope::model::record::{Record, Unread};
use trailscope::model::warning::Warning;

// The binary's allocator: a parse allocates a few dozen small strings per record, and glibc's
// malloc would make this bench slower than the loaders it stands for.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Counts records and drops them, as a fold would once it has what it needs.
struct Counting {
    unread: Unread,
    records: usize,
    warnings: usize,
}

impl Sink for Counting {
    fn record(&mut self, record: Record) {
        self.records += 1;
        drop(record);
    }
    fn warning(&mut self, _: Warning) {
        self.warnings += 1;
    }
    fn unread(&self) -> Unread {
        self.unread
    }
}

fn main() {
    let dir = PathBuf::from(
        std::env::var("TRAILSCOPE_BENCH_DIR").unwrap_or_else(|_| "/tmp/gen1m".to_string()),
    );
    let paths = gz_files::gz_files(&dir);
    let t = Instant::now();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|gz| trailscope::source::inflate::whole(&gz, usize::MAX))
        .filter_map(|b| String::from_utf8(b).ok())
        .collect();
    let read = t.elapsed().as_secs_f64();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} files, {bytes} bytes of JSON, read and inflated in {read:.2} s",
        texts.len()
    );
    let origin: Arc<str> = Arc::from("bench");
    for round in 1..=3 {
        let t = Instant::now();
        let dups = texts
            .iter()
            .filter(|s| trailscope::model::dup_keys::first_duplicate_key(s).is_some())
            .count();
        let scan = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let skipped = texts
            .iter()
            .filter(|s| serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok())
            .count();
        let skip = t.elapsed().as_secs_f64();
        let mut lines = vec![
            format!(
                "duplicate-key scan {scan:.2} s ({:.0} MB/s, {dups} with one)",
                mb / scan
            ),
            format!(
                "serde skip {skip:.2} s ({:.0} MB/s, {skipped} files)",
                mb / skip
            ),
        ];
        for keep_raw in [false, true] {
            let mut sink = Counting {
                unread: Unread {
                    raw: !keep_raw,
                    target: false,
                },
                records: 0,
                warnings: 0,
            };
            let t = Instant::now();
            for s in &texts {
                parse_text(&origin, s, &mut sink);
            }
            let took = t.elapsed().as_secs_f64();
            lines.push(format!(
                "parse_text{} {took:.2} s ({:.0} MB/s, {} records, {} warnings)",
                if keep_raw { " with raw" } else { "" },
                mb / took,
                sink.records,
                sink.warnings
            ));
        }
        println!("round {round}: {}", lines.join("; "));
    }
}
