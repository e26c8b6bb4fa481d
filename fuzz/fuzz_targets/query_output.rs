//! The headless `trailscope query --output table|csv|jsonl` writers on fuzz-made records, for
//! both destinations (a terminal, a file or pipe), all events and a limit, and `--group-by`
//! every field.
//! Asserts: JSONL is one line per event, always inert (no unsafe character) and equal as JSON
//! to the record loaded; CSV reads back (RFC 4180) as a header and one row of 10 cells per
//! event, nothing formula-looking, exact names in a file and no unsafe character on a
//! terminal; the table is one line per event plus a header with no unsafe character; groups
//! are one line each (CSV: two cells, the count exact; JSONL: inert, value and count exact;
//! table: count, tab, visible value) and their counts add up to the events.
#![no_main]

mod common;

use common::{assert_no_formula, assert_safe, guarded, read_csv, records, store};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use trailscope::cmd::args::{GroupBy, Output};
use trailscope::model::sanitize::visible;
use trailscope::cmd::query::group::count;
use trailscope::cmd::query::output::{events, groups, Dest};

const BY: [GroupBy; 10] = [
    GroupBy::Principal,
    GroupBy::Arn,
    GroupBy::Ip,
    GroupBy::Key,
    GroupBy::Event,
    GroupBy::Source,
    GroupBy::Region,
    GroupBy::Error,
    GroupBy::Account,
    GroupBy::Target,
];

fuzz_target!(|data: &[u8]| {
    let (values, _) = records(data);
    let store = store(&values);
    let all: Vec<_> = store.time_order().to_vec();
    let limit = data.first().map(|&b| b as usize % 4);
    for dest in [Dest::Terminal, Dest::File] {
        for limit in [None, limit] {
            let rows = &all[..limit.unwrap_or(usize::MAX).min(all.len())];
            let write = |format| {
                let mut out = Vec::new();
                events(&mut out, &store, &all, (format, dest), limit).expect("write");
                String::from_utf8(out).expect("UTF-8")
            };

            let jsonl = write(Output::Jsonl);
            assert_safe(&jsonl, "query JSONL");
            let lines: Vec<&str> = jsonl.lines().collect();
            assert_eq!(lines.len(), rows.len(), "{jsonl:?}");
            for (line, &i) in lines.iter().zip(rows) {
                let back: Value = serde_json::from_str(line).expect("a JSONL line is JSON");
                let raw: Value = serde_json::from_str(&store.event(i).raw).expect("raw");
                assert_eq!(back, raw, "JSONL changed the record");
                assert!(
                    values.contains(&back),
                    "not a record that was loaded: {line}"
                );
            }

            let csv = write(Output::Csv);
            if dest == Dest::Terminal {
                assert_safe(&csv, "query CSV on a terminal");
            }
            let records = read_csv(&csv);
            assert_no_formula(&records);
            assert_eq!(records.len(), rows.len() + 1, "{csv:?}");
            for r in &records {
                assert_eq!(r.len(), 10, "{r:?}");
            }
            for (r, &i) in records[1..].iter().zip(rows) {
                let name = store.text(store.event(i).name);
                let expected = match dest {
                    Dest::Terminal => guarded(&visible(name)),
                    Dest::File => guarded(name),
                };
                assert_eq!(r[1], expected);
            }

            let table = write(Output::Table);
            assert_safe(&table, "query table");
            assert_eq!(table.lines().count(), rows.len() + 1, "{table:?}");
        }

        for by in BY {
            let gs = count(&store, &all, by);
            assert_eq!(gs.iter().map(|g| g.count).sum::<usize>(), all.len());
            let write = |format| {
                let mut out = Vec::new();
                groups(&mut out, &store, &gs, (format, dest), None).expect("write");
                String::from_utf8(out).expect("UTF-8")
            };

            let csv = read_csv(&write(Output::Csv));
            assert_no_formula(&csv);
            assert_eq!(csv.len(), gs.len() + 1);
            for (r, g) in csv[1..].iter().zip(&gs) {
                assert_eq!(r.len(), 2, "{r:?}");
                assert_eq!(r[1], g.count.to_string());
            }

            let jsonl = write(Output::Jsonl);
            assert_safe(&jsonl, "groups JSONL");
            let lines: Vec<&str> = jsonl.lines().collect();
            assert_eq!(lines.len(), gs.len());
            for (line, g) in lines.iter().zip(&gs) {
                let v: Value = serde_json::from_str(line).expect("JSON");
                assert_eq!(v["count"], g.count);
                match g.sym {
                    Some(_) => assert_eq!(v["value"], store.text(g.sym)),
                    None => assert!(v["value"].is_null()),
                }
            }

            let table = write(Output::Table);
            // The tab after the count is the format's own separator: the rest is data.
            for line in table.lines() {
                let (count, value) = line.split_once('\t').expect("count, tab, value");
                assert_safe(count, "groups table");
                assert_safe(value, "groups table");
            }
            let lines: Vec<&str> = table.lines().collect();
            assert_eq!(lines.len(), gs.len(), "{table:?}");
            for (line, g) in lines.iter().zip(&gs) {
                assert_eq!(
                    *line,
                    format!("{}\t{}", g.count, visible(store.text(g.sym)))
                );
            }
        }
    }
});
