//! The output files: CloudTrail's S3 layout and naming, one `{"Records":[…]}` gzip file per
//! slice of the window, written by a few threads. Each file is built from its own PRNG stream
//! (seed + file index), so the bytes do not depend on which thread wrote it; only the file
//! being written is held in memory.

use super::clock::{Civil, Window};
use super::mutate::{self, Slot};
use super::pools::Pools;
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
}

impl Job<'_> {
    pub(crate) fn files(&self) -> u64 {
        self.events.div_ceil(self.per_file.max(1))
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
    let files = job.files();
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
fn write_file(job: &Job, k: u64, buffers: &mut Buffers) -> Result<Totals, String> {
    let mut rng = Rng::stream(job.seed, Purpose::File, k);
    let count = job.per_file.min(job.events - k * job.per_file);
    let account = rng.pick(&job.pools.accounts);
    let region = *rng.pick(&job.pools.regions);
    let (lo, span) = job.window.slice(k, job.files());
    let mut times: Vec<i64> = (0..count)
        .map(|_| lo + rng.below(span as u64) as i64)
        .collect();
    times.sort_unstable();

    let json = &mut buffers.json;
    json.clear();
    json.extend_from_slice(b"{\"Records\":[");
    for (j, &secs) in times.iter().enumerate() {
        let mut record = rng.pick(job.templates).clone();
        let slot = Slot {
            account,
            region,
            time: Civil::from_secs(secs).iso(),
            secs,
        };
        mutate::rewrite(&mut record, &slot, job.pools, &mut rng);
        if j > 0 {
            json.push(b',');
        }
        serde_json::to_writer(&mut *json, &record)
            .map_err(|e| format!("cannot serialise a generated record: {e}"))?;
    }
    json.extend_from_slice(b"]}");

    // Named and filed by the minute of its newest event, like a delivery right after it.
    let newest = times.last().copied().unwrap_or(lo);
    let stamp = Civil::from_secs(newest - newest.rem_euclid(60));
    let path = file_path(job.out, &account.id, region, &stamp, &mut rng);
    let gz = gzip(json, std::mem::take(&mut buffers.gz), job.level)
        .map_err(|e| format!("cannot compress {}: {e}", path.display()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, &gz).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let done = Totals {
        files: 1,
        events: count,
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
