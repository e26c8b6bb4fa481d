//! Load and per-keystroke filter latency over a folder of CloudTrail logs (a benchmark, not a
//! test: it prints figures for BENCHMARKS.md and asserts nothing).
//!
//!   cargo bench --bench filter -- DIR [IP] [PRINCIPAL] [WORD]
//!
//! `BENCH_VERBOSE=1` prints each keystroke's times; `BENCH_ONLY=word` runs only the typing
//! sessions whose description holds `word` (`principal`, `free-text`, `compound`…), and
//! `BENCH_ONLY=pivots` only the pivots.
//!
//! Typing is replayed through the app's own `FilterState` (the code behind the `/` bar): each
//! keystroke sets the new text and runs the idle-time work to completion, with a 50-row table
//! whose selected event is the one in the middle. Two latencies per keystroke: until the first
//! screen of the new result is there (a preview or the complete result, whichever the work
//! shows first), and until the view holds the complete new result. Pivots are replayed
//! through the app's reducer (`p` and a letter, `[` back, `l` lineage) the same way, after the
//! idle work a fresh store brings (detections); each facet is counted over the whole store.

use std::time::Instant;
use trailscope::app::filter::{FilterState, Screen};
use trailscope::app::key::parse_keys;
use trailscope::app::msg::Msg;
use trailscope::app::{update, App};
use trailscope::filter::facet::{counts, Facet};
use trailscope::job::{JobMsg, Progress, Reporter};
use trailscope::keymap::Keymap;
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope::source::files::{spawn_load, CancelToken};
use trailscope::source::walk::plan;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench filter -- DIR [IP] [PRINCIPAL] [WORD]");
        return;
    };
    let (store, load) = load(dir);
    println!(
        "load: {} events, {:.1} MB gzip read, in {:.2} s ({:.0} events/s); first rows after {:.1} ms",
        store.len(),
        load.bytes as f64 / 1e6,
        load.seconds,
        store.len() as f64 / load.seconds,
        load.first_rows_ms
    );
    println!("distinct strings interned: {}", store.interner.len());
    let rss = peak_rss_kb();
    println!(
        "memory: peak RSS {:.0} MiB after load ({:.0} bytes/event)",
        rss as f64 / 1024.0,
        rss as f64 * 1024.0 / store.len().max(1) as f64
    );
    let parts = store.footprint();
    let per_event = |n: usize| n as f64 / store.len().max(1) as f64;
    println!(
        "store: {:.0} MB counted ({:.0} bytes/event; allocator overhead not counted)",
        parts.total() as f64 / 1e6,
        per_event(parts.total())
    );
    for (part, bytes) in parts.parts() {
        println!(
            "  {part}: {:.1} MB ({:.1} bytes/event)",
            bytes as f64 / 1e6,
            per_event(bytes)
        );
    }
    let ip = args.get(1).cloned().unwrap_or_else(|| top(&store, "ip"));
    let principal = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "principal:deploy".into());
    let word = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "deleteobject".into());
    // An indicator pasted as free text: the access key of the event in the middle.
    let key = store
        .event(store.time_order()[store.len() / 2])
        .identity
        .access_key_id;
    let key = store.text(key).to_string();
    let sessions = [
        ("an IP", format!("ip:{ip}")),
        ("a principal", principal),
        ("a free-text word", word),
        ("an access key ID as free text", key),
        (
            "a compound expression",
            format!("event:Get* -error:none ip:{ip} | readonly:false region:eu-west-1"),
        ),
    ];
    // BENCH_ONLY=word: only the typing sessions whose description holds it, and no facets or
    // pivots unless it is `pivots` (a quick look at one change on a big set).
    let only = std::env::var("BENCH_ONLY").ok();
    for (what, text) in sessions {
        if only.as_deref().is_some_and(|o| !what.contains(o)) {
            continue;
        }
        let typed = typing(&store, &text);
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            let shown = |t: &[f64]| t.iter().map(|t| format!("{t:.1}")).collect::<Vec<_>>();
            println!(
                "  first screen per key (ms): {}",
                shown(&typed.first).join(" ")
            );
            println!(
                "  complete per key (ms): {}",
                shown(&typed.complete).join(" ")
            );
        }
        let (f50, f99, fmax) = percentiles(&mut typed.first.clone());
        let (p50, p99, max) = percentiles(&mut typed.complete.clone());
        println!(
            "typing {what} `{text}` ({} keys): first screen p50 {f50:.2} ms, p99 {f99:.2} ms, \
             max {fmax:.2} ms; complete p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms; \
             longest slice without reading keys {:.1} ms",
            text.chars().count(),
            typed.longest_slice
        );
    }
    if only.is_none() {
        facets(&store);
    }
    if only.as_deref().is_none_or(|o| o.contains("pivot")) {
        pivots(store);
    }
}

/// Milliseconds to count each facet's values over the whole store, the largest view there is.
fn facets(store: &Store) {
    let rows = store.time_order().to_vec();
    for facet in Facet::ALL {
        let t = Instant::now();
        let values = counts(store, &rows, facet);
        println!(
            "facet {} over all {} events: {:.1} ms ({} values)",
            facet.title(),
            rows.len(),
            t.elapsed().as_secs_f64() * 1e3,
            values.len()
        );
    }
}

/// Milliseconds from the pivot keys until the new view is complete, for each pivot from an
/// event in the middle of the store; then back (`[`) and the lineage overlay (`l`).
fn pivots(store: Store) {
    let len = store.len();
    let mut app = App::new(Keymap::default_keymap(), "bench".into(), 200, 50);
    app.store = store;
    app.clock_origin = EventTime::now();
    // An event in the middle with an access key, so most pivots apply.
    let keys = |dsl: &str| parse_keys(dsl).unwrap_or_default();
    let settle = |app: &mut App| {
        while app.wants_work() {
            update(app, Msg::Work);
        }
    };
    let mid = len / 2;
    let pos = (mid..len)
        .find(|&p| {
            let idx = app.store.time_order()[p];
            app.store.event(idx).identity.access_key_id.is_some()
        })
        .unwrap_or(mid);
    for k in keys("<home>") {
        update(&mut app, Msg::Key(k));
    }
    // The idle work a fresh store brings (every detection rule over every event) runs before
    // the first pivot's clock starts, as it does in the app while the user reads the table.
    let t = Instant::now();
    settle(&mut app);
    println!(
        "idle work after the load (detections): {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "findings: {} events raised a rule, held in {:.1} MB",
        app.store.hits.events_where(|_| true).len(),
        app.store.footprint().findings as f64 / 1e6
    );
    app.table.cursor = pos;
    app.table.anchor = Some(app.store.time_order()[pos]);
    let timed = |app: &mut App, dsl: &str| -> f64 {
        let t = Instant::now();
        for k in keys(dsl) {
            update(app, Msg::Key(k));
            settle(app);
        }
        t.elapsed().as_secs_f64() * 1e3
    };
    for (letter, what) in [
        ('k', "access key (indexed)"),
        ('i', "source IP (indexed)"),
        ('p', "principal"),
        ('e', "event name"),
        ('u', "user agent"),
        ('a', "account"),
    ] {
        let ms = timed(&mut app, &format!("p{letter}"));
        let rows = app.rows().len();
        let back = timed(&mut app, "[");
        println!(
            "pivot on {what}: {ms:.2} ms to the complete view ({rows} of {len} events); back: {back:.2} ms"
        );
    }
    let ms = timed(&mut app, "l");
    println!(
        "lineage overlay, first time (graph built from every minting event): {ms:.2} ms, {} lines",
        app.lineage.len()
    );
    let again = timed(&mut app, "<esc>l");
    println!("lineage overlay again (graph kept while no events arrive): {again:.2} ms");
}

struct LoadFigures {
    seconds: f64,
    first_rows_ms: f64,
    bytes: u64,
}

fn load(dir: &str) -> (Store, LoadFigures) {
    let started = Instant::now();
    let (tx, mut rx) = Reporter::channel();
    spawn_load(plan(&[dir.into()]), tx, CancelToken::default());
    let mut store = Store::default();
    let mut first_rows_ms = None;
    let mut bytes = 0;
    while let Some((_, msg)) = rx.blocking_recv() {
        match msg {
            JobMsg::Records(records) => {
                store.insert_batch(records);
                first_rows_ms.get_or_insert(started.elapsed().as_secs_f64() * 1e3);
            }
            JobMsg::Progress(Progress::Files(p)) => bytes = bytes.max(p.bytes_read),
            JobMsg::Done(_) => break,
            _ => {}
        }
    }
    let figures = LoadFigures {
        seconds: started.elapsed().as_secs_f64(),
        first_rows_ms: first_rows_ms.unwrap_or(f64::NAN),
        bytes,
    };
    (store, figures)
}

/// Per keystroke while typing one character at a time, in milliseconds: until the first
/// screen of the new result, and until the complete result; and the longest single slice of
/// work: the longest the UI can go without reading a key.
struct Typed {
    first: Vec<f64>,
    complete: Vec<f64>,
    longest_slice: f64,
}

fn typing(store: &Store, text: &str) -> Typed {
    let mut filter = FilterState::default();
    let now = EventTime::now();
    let screen = Screen {
        anchor: store.time_order().get(store.len() / 2).copied(),
        rows: 50,
    };
    let mut typed = String::new();
    let mut out = Typed {
        first: Vec::new(),
        complete: Vec::new(),
        longest_slice: 0.0,
    };
    for c in text.chars() {
        typed.push(c);
        let t = Instant::now();
        filter.set_text(&typed);
        let mut first = None;
        while filter.has_work() {
            let slice = Instant::now();
            let changed = filter.work(store, now, screen);
            let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
            out.longest_slice = out.longest_slice.max(ms(slice));
            if changed {
                first.get_or_insert(ms(t));
            }
        }
        let complete = t.elapsed().as_secs_f64() * 1e3;
        // No work at all (the text means what it meant): the screen stands as it was.
        out.first.push(first.unwrap_or(complete));
        out.complete.push(complete);
    }
    out
}

fn percentiles(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), at(1.0))
}

/// The most frequent source IP address (not a service name), so the IP being typed exists.
fn top(store: &Store, _field: &str) -> String {
    let mut counts = std::collections::HashMap::new();
    for &i in store.time_order() {
        if let Some(ip) = store.event(i).source_ip {
            if store.text(Some(ip)).parse::<std::net::IpAddr>().is_ok() {
                *counts.entry(ip).or_insert(0usize) += 1;
            }
        }
    }
    let best = counts.into_iter().max_by_key(|&(_, n)| n).map(|(s, _)| s);
    store.text(best).to_string()
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
