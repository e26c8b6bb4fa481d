//! What running every shipped detection rule costs next to loading the trail, and how often
//! each rule fires on it (a benchmark, not a test: it prints figures for BENCHMARKS.md and
//! asserts nothing).
//!
//!   TRAILSCOPE_BENCH_DIR=/tmp/gen1m cargo bench --bench detect
//!
//! In one process, `RUNS` times interleaved: load the folder into a `Store` the way the TUI does
//! (raw records kept: rules read them), then run `Detector::shipped().update(.., true)` over
//! every event. A second fresh detector on the same store then runs the single-event rules
//! alone (`update(.., false)`) and the cross-event rules after them (`update(.., true)`), to
//! split the time. Medians over the runs, and detect / load. The first run also prints the
//! events each rule raised and their share of the trail: on the generator's trail (no attack
//! in it) every finding is noise.
//!
//! Environment: TRAILSCOPE_BENCH_DIR (default /tmp/gen1m), TRAILSCOPE_BENCH_RUNS (default 3).

use std::path::PathBuf;
use std::time::Instant;
use trailscope::detect::{Detector, NOISY_SHARE};
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope::source::files::load_blocking;
use trailscope::source::walk::plan;

// The binary's allocator (src/main.rs), so the load costs what it costs in the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The bound: all rules add at most this share to the load time.
const TARGET: f64 = 0.20;

struct Run {
    load: f64,
    detect: f64,
    single: f64,
    cross: f64,
    build: f64,
}

fn main() {
    let dir = std::env::var_os("TRAILSCOPE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/gen1m"));
    if !dir.is_dir() {
        println!(
            "detect bench skipped: {} is not a folder (generate one with \
             `cargo run --release -p trailscope-fake -- generate -n 1000000 -o {}`, \
             or set TRAILSCOPE_BENCH_DIR)",
            dir.display(),
            dir.display()
        );
        return;
    }
    let runs: usize = std::env::var("TRAILSCOPE_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    println!("detect bench: {} ({runs} interleaved runs)", dir.display());
    let mut figures = Vec::new();
    let mut first_counts: Option<Vec<usize>> = None;
    for n in 1..=runs {
        let t = Instant::now();
        let planned = plan(std::slice::from_ref(&dir));
        assert!(!planned.unread.raw, "rules read the raw records");
        let (mut store, warnings) = load_blocking(planned);
        let load = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let mut d = Detector::shipped();
        let build = t.elapsed().as_secs_f64();
        let now = EventTime::now();
        let t = Instant::now();
        d.update(&mut store, now, true);
        let detect = t.elapsed().as_secs_f64();
        let counts = per_rule(&d, &store);

        // The same work split in two, by a fresh detector (its publish replaces the hits).
        let mut split = Detector::shipped();
        let t = Instant::now();
        split.update(&mut store, now, false);
        let single = t.elapsed().as_secs_f64();
        let t = Instant::now();
        split.update(&mut store, now, true);
        let cross = t.elapsed().as_secs_f64();
        let same = per_rule(&split, &store) == counts;

        println!(
            "run {n}: load {load:.2} s ({} events, {} warnings); detect {detect:.2} s = {:.1}% of load \
             (single-event {single:.2} s + cross-event {cross:.2} s; rules built in {:.1} ms){}",
            store.len(),
            warnings.len(),
            100.0 * detect / load,
            build * 1e3,
            if same { "" } else { "; SPLIT RUN FOUND OTHER COUNTS" }
        );
        match &first_counts {
            None => {
                noise(&d, &store, &counts);
                first_counts = Some(counts);
            }
            Some(first) if *first != counts => println!("  counts differ from run 1"),
            Some(_) => {}
        }
        figures.push(Run {
            load,
            detect,
            single,
            cross,
            build,
        });
        drop(store);
    }
    let med = |f: fn(&Run) -> f64| median(figures.iter().map(f).collect());
    let (load, detect) = (med(|r| r.load), med(|r| r.detect));
    let ratios: Vec<String> = figures
        .iter()
        .map(|r| format!("{:.3}", r.detect / r.load))
        .collect();
    println!(
        "medians over {runs} runs: load {load:.2} s, detect {detect:.2} s (single-event {:.2} s, \
         cross-event {:.2} s, rules built {:.1} ms)",
        med(|r| r.single),
        med(|r| r.cross),
        med(|r| r.build) * 1e3
    );
    let ratio = detect / load;
    println!(
        "detect / load: {ratio:.3} (medians; per run {}): target <= {TARGET:.2}: {}",
        ratios.join(", "),
        if ratio <= TARGET { "met" } else { "MISSED" }
    );
}

/// Events each rule raised (by rule number), after the detector's publish.
fn per_rule(d: &Detector, store: &Store) -> Vec<usize> {
    d.rules()
        .iter()
        .map(|r| store.hits.events_where(|id| id == r.id).len())
        .collect()
}

/// Events and share of the trail per rule that fired, most first; the rest in one line.
fn noise(d: &Detector, store: &Store, counts: &[usize]) {
    let total = store.len().max(1) as f64;
    let mut fired: Vec<usize> = (0..counts.len()).filter(|&n| counts[n] > 0).collect();
    fired.sort_by_key(|&n| std::cmp::Reverse(counts[n]));
    let groups = d.groups(store, None);
    println!(
        "findings: {} events raised at least one rule ({:.4}% of {}), {} groups; {} of {} rules fired:",
        store.hits.events_where(|_| true).len(),
        100.0 * store.hits.events_where(|_| true).len() as f64 / total,
        store.len(),
        groups.len(),
        fired.len(),
        counts.len()
    );
    println!(
        "  rule\torigin\tseverity\tevents\tshare\tgroups\tnoisy (> {:.1}%)",
        NOISY_SHARE * 100.0
    );
    for &n in &fired {
        let r = &d.rules()[n];
        let share = counts[n] as f64 / total;
        let g = groups.iter().filter(|g| usize::from(g.rule) == n).count();
        println!(
            "  {}\t{}\t{}\t{}\t{:.4}%\t{g}\t{}",
            r.id,
            r.origin.label(),
            r.severity.label(),
            counts[n],
            100.0 * share,
            if share > NOISY_SHARE { "yes" } else { "no" }
        );
    }
    let silent: Vec<&str> = (0..counts.len())
        .filter(|&n| counts[n] == 0)
        .map(|n| d.rules()[n].id.as_str())
        .collect();
    println!("  fired 0 events ({}): {}", silent.len(), silent.join(" "));
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}
