//! Counts shared by the listing, download and parse tasks of one S3 load, read into a
//! `Progress` whenever one is reported.

use crate::source::{Progress, RemoteProgress};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};

#[derive(Default)]
pub(crate) struct Stats {
    pub listing: AtomicBool,
    pub listed: AtomicUsize,
    pub listed_bytes: AtomicU64,
    pub done: AtomicUsize,
    pub bytes: AtomicU64,
    pub cached: AtomicUsize,
    pub errors: AtomicUsize,
    pub throttles: AtomicU64,
    pub retries: AtomicU64,
    pub events: AtomicU64,
    /// Requests sent to S3 (lists and gets, retries included): for the closing summary.
    pub requests: AtomicU64,
    /// GetObject downloads under way now, and the most at once: counted here, at the client,
    /// because that is the limit trailscope keeps (a server sees its own lag too).
    pub downloads: AtomicUsize,
    pub peak_downloads: AtomicUsize,
}

/// One download under way, for as long as it lives.
pub(crate) struct Downloading<'a>(&'a Stats);

impl Drop for Downloading<'_> {
    fn drop(&mut self) {
        self.0.downloads.fetch_sub(1, Relaxed);
    }
}

impl Stats {
    pub(crate) fn downloading(&self) -> Downloading<'_> {
        let now = self.downloads.fetch_add(1, Relaxed) + 1;
        self.peak_downloads.fetch_max(now, Relaxed);
        Downloading(self)
    }

    pub fn progress(&self) -> Progress {
        Progress {
            files_done: self.done.load(Relaxed),
            files_total: self.listed.load(Relaxed),
            bytes_read: self.bytes.load(Relaxed),
            bytes_total: self.listed_bytes.load(Relaxed),
            s3: Some(RemoteProgress {
                listing: self.listing.load(Relaxed),
                cached: self.cached.load(Relaxed),
                errors: self.errors.load(Relaxed),
                throttles: self.throttles.load(Relaxed),
                retries: self.retries.load(Relaxed),
                events: self.events.load(Relaxed),
            }),
        }
    }
}
