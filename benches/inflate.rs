//! Decompression alone, the floor under every load (a benchmark, not a test: it prints
//! figures for BENCHMARKS.md and asserts nothing but that both inflaters agree):
//!
//!   TRAILSCOPE_BENCH_DIR=/tmp/gen1m cargo bench --bench inflate
//!
//! Every `*.json.gz` under the folder is read into memory once, then inflated on one thread
//! by (1) the streaming inflater trailscope used before (flate2's MultiGzDecoder over
//! zlib-rs, in 64 KiB reads) and (2) `source::inflate::whole` (libdeflate, one call into a
//! buffer sized by the trailer), three rounds each, interleaved; and `zcat` (gzip's own,
//! one process over all the files, output to /dev/null) in the same run, as the peer.

#[path = "common/gz_files.rs"]
mod gz_files;

use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

fn streaming(gz: &[u8]) -> usize {
    let mut d = MultiGzDecoder::new(gz);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut n = 0;
    while let Ok(k) = d.read(&mut chunk) {
        if k == 0 {
            break;
        }
        n += k;
    }
    n
}

fn main() {
    let dir = PathBuf::from(
        std::env::var("TRAILSCOPE_BENCH_DIR").unwrap_or_else(|_| "/tmp/gen1m".to_string()),
    );
    let paths = gz_files::gz_files(&dir);
    let blobs: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let gz: usize = blobs.iter().map(Vec::len).sum();
    println!("{} files, {} bytes gzipped, in memory", blobs.len(), gz);
    let mut best_stream = f64::MAX;
    let mut best_whole = f64::MAX;
    let mut plain = 0;
    for round in 1..=3 {
        let t = Instant::now();
        let a: usize = blobs.iter().map(|b| streaming(b)).sum();
        let s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let b: usize = blobs
            .iter()
            .map(|g| trailscope::source::inflate::whole(g, usize::MAX).map_or(0, |v| v.len()))
            .sum();
        let w = t.elapsed().as_secs_f64();
        assert_eq!(a, b, "both inflaters read every byte");
        plain = a;
        println!("round {round}: streaming {s:.2} s, whole {w:.2} s");
        best_stream = best_stream.min(s);
        best_whole = best_whole.min(w);
    }
    let t = Instant::now();
    let zcat = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "find '{}' -name '*.json.gz' -print0 | xargs -0 zcat > /dev/null",
            dir.display()
        ))
        .status();
    let z = t.elapsed().as_secs_f64();
    println!(
        "{plain} bytes inflated; best of 3, one thread: streaming {best_stream:.2} s ({:.0} MB/s), whole {best_whole:.2} s ({:.0} MB/s) = {:.2}x streaming's time; zcat (one process, from disk) {z:.2} s {:?} = whole takes {:.2}x zcat's time",
        plain as f64 / best_stream / 1e6,
        plain as f64 / best_whole / 1e6,
        best_whole / best_stream,
        zcat.map(|s| s.success()),
        best_whole / z
    );
}
