//! `trailscope-fake generate`: synthetic CloudTrail for benchmarks. Real records (the bundled demo
//! or `--templates`) are replicated into N events with fresh IDs, times spread over a window,
//! and callers, keys, IPs, accounts and regions rotated from seeded pools, then written as
//! gzipped `AWSLogs/…` delivery files. Same arguments and seed → byte-identical files.
//!
//! `clock` is the window and timestamps, `rng` the seeded PRNG, `pools` the made-up
//! organisation, `template` reads the records to copy, `mutate` rewrites one copy, `write`
//! lays out, compresses and writes the files. With `--incident`, `incident` writes an attack
//! (and its `incident.json`) and `place` files its records among the others.

mod clock;
mod incident;
mod mutate;
mod place;
mod pools;
mod rng;
mod template;
mod write;

use crate::cli::GenerateArgs;
use flate2::Compression;
use std::path::Path;
use std::time::Instant;

/// `--incident`'s answers, next to `AWSLogs/`.
pub const MANIFEST: &str = "incident.json";

/// More threads than this gains nothing: the work per file is small and the disk is shared.
const MAX_THREADS: usize = 8;

/// Writes the events; returns a one-line summary for standard error.
pub fn run(args: &GenerateArgs) -> Result<String, String> {
    let started = Instant::now();
    if args.events_per_file == 0 {
        return Err("--events-per-file must be at least 1".to_string());
    }
    let window = clock::Window::new(&args.end, args.days)?;
    check_out(&args.out)?;
    let templates = template::load(&args.templates)?;
    let pools = pools::Pools::new(args.seed);
    let incident = if args.incident {
        Some(incident::build(args.seed, window, &pools)?)
    } else {
        None
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let placement = match &incident {
        Some(inc) => place::place(&inc.planted, &window, args.events, args.events_per_file),
        None => place::Placement::default(),
    };
    let job = write::Job {
        out: &args.out,
        seed: args.seed,
        events: args.events,
        per_file: args.events_per_file,
        window,
        templates: &templates,
        pools: &pools,
        // gzip's default level, as real delivery files are compressed: readers benchmarked on
        // these files then inflate realistic streams. Level 1 wrote 100k events in 1.1 s
        // instead of 1.9 s, but files 70% larger (8x ratio → 4.6x).
        level: Compression::new(6),
        placement: &placement,
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS);
    let threads = threads.min(
        usize::try_from(job.all_files())
            .unwrap_or(usize::MAX)
            .max(1),
    );
    let totals = write::write_all(&job, threads)?;
    let mut summary = format!(
        "wrote {} in {} ({} uncompressed, {} gzipped) to {} in {:.1} s",
        count(totals.events, "event"),
        count(totals.files, "file"),
        human_bytes(totals.raw_bytes),
        human_bytes(totals.gz_bytes),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if let Some(inc) = &incident {
        let path = args.out.join(MANIFEST);
        let mut text = serde_json::to_string_pretty(&inc.manifest)
            .map_err(|e| format!("cannot serialise the incident manifest: {e}"))?;
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        summary.push_str(&format!(
            "; the incident is {} of them ({} by the attacker, {} extra files), answers in {}",
            inc.planted.len(),
            inc.attack_events(),
            placement.extra.len(),
            path.display()
        ));
    }
    Ok(summary)
}

/// Refuses a folder that already holds logs: generating into it would mix two data sets (and
/// a benchmark would silently read both). A missing folder is created later.
fn check_out(out: &Path) -> Result<(), String> {
    match std::fs::metadata(out) {
        Ok(meta) if !meta.is_dir() => {
            return Err(format!("{} exists and is not a folder", out.display()));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot open {}: {e}", out.display())),
    }
    if out.join("AWSLogs").exists() {
        return Err(format!(
            "{} already holds an AWSLogs folder: pick an empty folder (or delete the old data)",
            out.display()
        ));
    }
    Ok(())
}

fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Decimal units, as `du --si` and most benchmark write-ups use.
fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_units() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(140_000_000), "140.0 MB");
        assert_eq!(human_bytes(1_520_000_000), "1.52 GB");
    }
}
