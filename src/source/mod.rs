//! Sources stream records into the store. Each runs as a job (`crate::job`): on its own
//! threads or tasks, reporting `JobMsg`s over the one bounded channel, tagged with its job.

pub mod demo;
pub mod files;
pub mod inflate;
pub mod input;
pub mod lookup;
pub mod s3;
mod stream;
pub mod walk;

/// How far a load of files (or S3 objects) has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    /// Bytes read from disk (compressed where the file is).
    pub bytes_read: u64,
    /// The objects listed so far, in bytes (S3). Local files are sized when read, not when
    /// listed, so this is 0 for them.
    pub bytes_total: u64,
    /// Reading from S3: files are objects (the total grows while listing).
    pub s3: Option<RemoteProgress>,
}

/// What a download adds to the counts: where the objects came from and what went wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemoteProgress {
    /// Still listing keys: the total is not final.
    pub listing: bool,
    /// Objects read from the local cache instead of downloaded.
    pub cached: usize,
    /// Objects that could not be listed or read (each is a warning).
    pub errors: usize,
    /// SlowDown / 503 answers, retried after a pause.
    pub throttles: u64,
    /// Requests repeated after another transient failure.
    pub retries: u64,
    pub events: u64,
}
