//! The output files: CloudTrail's S3 layout and naming, one `{"Records":[…]}` gzip file per
//! slice of the window (and, with `--incident`, the extra files `place` asks for), written by a
//! few threads. Each file is built from its own PRNG stream (seed + file index), so the bytes
//! do not depend on which thread wrote it; only the file being written is held in memory.

use super::clock::{Civil, Window};
use super::incident::Planted;
use super::mutate::{self, Slot};
use super::place::{Host, Placement};
use super::pools::{Account, Pools};
use super::rng::{Purpose, Rng};
use flate2::{Compression, GzBuilder};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Random part of real delivery file names.
const NAME_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Everything the writers share (read-only).
pub(crate) struct Job<'a> {
    pub(crate) out: &'a Path,
    pub(crate) seed: u64,
    pub(crate) events: u64,
    pub(crate) per_file: u64,
    pub(crate) window: Window,
    pub(crate) templates: &'a [Value],
    pub(crate) pools: &'a Pools,
    pub(crate) level: Compression,
    /// The incident's records and the files they go to (empty without `--incident`).
    pub(crate) placement: &'a Placement<'a>,
}

impl Job<'_> {
    /// The regular files: one per slice of the window.
    pub(crate) fn files(&self) -> u64 {
        self.events.div_ceil(self.per_file.max(1))
    }

    /// Every file: the regular ones, then the incident's extra ones.
    pub(crate) fn all_files(&self) -> u64 {
        self.files() + self.placement.extra.len() as u64
    }
}

#[derive(Default, Debug, Clone, Copy)]
pub(crate) struct Totals {
    pub(crate) files: u64,
    pub(crate) events: u64,
    pub(crate) raw_bytes: u64,
    pub(crate) gz_bytes: u64,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.files += other.files;
        self.events += other.events;
        self.raw_bytes += other.raw_bytes;
        self.gz_bytes += other.gz_bytes;
    }
}

/// Writes every file with `threads` workers taking file indices from a shared counter. Stops
/// at the first error (the files already written stay).
pub(crate) fn write_all(job: &Job, threads: usize) -> Result<Totals, String> {
    let next = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let results: Vec<Result<Totals, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| scope.spawn(|| worker(job, &next, &failed)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("a writer thread panicked".to_string()))
            })
            .collect()
    });
    let mut totals = Totals::default();
    for result in results {
        totals.add(result?);
    }
    Ok(totals)
}

/// Buffers reused from file to file, so a worker allocates them once.
#[derive(Default)]
struct Buffers {
    json: Vec<u8>,
    gz: Vec<u8>,
}

fn worker(job: &Job, next: &AtomicU64, failed: &AtomicBool) -> Result<Totals, String> {
    let files = job.all_files();
    let mut buffers = Buffers::default();
    let mut totals = Totals::default();
    while !failed.load(Ordering::Relaxed) {
        let k = next.fetch_add(1, Ordering::Relaxed);
        if k >= files {
            break;
        }
        match write_file(job, k, &mut buffers) {
            Ok(done) => totals.add(done),
            Err(e) => {
                failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
        }
    }
    Ok(totals)
}

/// File `k`: its events, in time order, from one account and region (as CloudTrail delivers).
/// Regular files come first; the incident's extra files follow, each with its own stream.
fn write_file(job: &Job, k: u64, buffers: &mut Buffers) -> Result<Totals, String> {
    let regular = job.files();
    if k >= regular {
        let j = k - regular;
        let extra = &job.placement.extra[j as usize];
        let mut rng = Rng::stream(job.seed, Purpose::IncidentFile, j);
        let account = &job.pools.accounts[extra.host.account];
        let (lo, span) = job.window.slice(extra.slice, regular);
        let noise = job.per_file.saturating_sub(extra.host.records.len() as u64);
        let file = File {
            account,
            region: extra.host.region,
            lo,
            span,
            noise,
            planted: &extra.host.records,
        };
        return fill(job, file, &mut rng, buffers);
    }
    let mut rng = Rng::stream(job.seed, Purpose::File, k);
    let count = job.per_file.min(job.events - k * job.per_file);
    let mut account = rng.pick(&job.pools.accounts);
    let mut region = *rng.pick(&job.pools.regions);
    let (lo, span) = job.window.slice(k, regular);
    let host: Option<&Host> = job
        .placement
        .regular
        .get(k as usize)
        .and_then(Option::as_ref);
    let planted: &[&Planted] = match host {
        Some(h) => {
            // The file is the group's account and region, and keeps its size.
            account = &job.pools.accounts[h.account];
            region = h.region;
            &h.records
        }
        None => &[],
    };
    let file = File {
        account,
        region,
        lo,
        span,
        noise: count.saturating_sub(planted.len() as u64),
        planted,
    };
    fill(job, file, &mut rng, buffers)
}

/// What one file holds: `noise` ordinary events of its account and region at random times in
/// its slice, and the planted records.
struct File<'a> {
    account: &'a Account,
    region: &'static str,
    lo: i64,
    span: i64,
    noise: u64,
    planted: &'a [&'a Planted],
}

fn fill(job: &Job, file: File, rng: &mut Rng, buffers: &mut Buffers) -> Result<Totals, String> {
    let File {
        account,
        region,
        lo,
        span,
        noise,
        planted,
    } = file;
    let mut times: Vec<i64> = (0..noise)
        .map(|_| lo + rng.below(span as u64) as i64)
        .collect();
    times.sort_unstable();

    let json = &mut buffers.json;
    json.clear();
    json.extend_from_slice(b"{\"Records\":[");
    // Ordinary events are made in time order (so a file without planted records is the same
    // bytes as before there were any), the planted ones slotted in by time.
    let mut pending = planted.iter().peekable();
    let mut written = 0u64;
    let mut newest = lo;
    let mut put = |json: &mut Vec<u8>, record: &serde_json::Value| -> Result<(), String> {
        if written > 0 {
            json.push(b',');
        }
        written += 1;
        serde_json::to_writer(&mut *json, record)
            .map_err(|e| format!("cannot serialise a generated record: {e}"))
    };
    for &secs in &times {
        while let Some(p) = pending.next_if(|p| p.secs < secs) {
            put(json, &p.record)?;
            newest = newest.max(p.secs);
        }
        let mut record = rng.pick(job.templates).clone();
        let slot = Slot {
            account,
            region,
            time: Civil::from_secs(secs).iso(),
            secs,
        };
        mutate::rewrite(&mut record, &slot, job.pools, rng);
        put(json, &record)?;
        newest = newest.max(secs);
    }
    for p in pending {
        put(json, &p.record)?;
        newest = newest.max(p.secs);
    }
    json.extend_from_slice(b"]}");

    // Named and filed by the minute of its newest event, like a delivery right after it.
    let stamp = Civil::from_secs(newest - newest.rem_euclid(60));
    let path = file_path(job.out, &account.id, region, &stamp, rng);
    let gz = gzip(json, std::mem::take(&mut buffers.gz), job.level)
        .map_err(|e| format!("cannot compress {}: {e}", path.display()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, &gz).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let done = Totals {
        files: 1,
        events: noise + planted.len() as u64,
        raw_bytes: json.len() as u64,
        gz_bytes: gz.len() as u64,
    };
    buffers.gz = gz;
    Ok(done)
}

/// OUT/AWSLogs/{account}/CloudTrail/{region}/YYYY/MM/DD/
/// {account}_CloudTrail_{region}_YYYYMMDDTHHMMZ_{16 random}.json.gz
fn file_path(out: &Path, account: &str, region: &str, stamp: &Civil, rng: &mut Rng) -> PathBuf {
    let mut path = out.join("AWSLogs");
    path.push(account);
    path.push("CloudTrail");
    path.push(region);
    path.push(format!("{:04}", stamp.year));
    path.push(format!("{:02}", stamp.month));
    path.push(format!("{:02}", stamp.day));
    path.push(format!(
        "{account}_CloudTrail_{region}_{}_{}.json.gz",
        stamp.file_stamp(),
        rng.chars(NAME_CHARS, 16)
    ));
    path
}

/// Gzip with a zero timestamp and no file name in the header, so output is byte-identical
/// from run to run.
fn gzip(data: &[u8], mut into: Vec<u8>, level: Compression) -> std::io::Result<Vec<u8>> {
    into.clear();
    let mut encoder = GzBuilder::new().mtime(0).write(into, level);
    encoder.write_all(data)?;
    encoder.finish()
}
