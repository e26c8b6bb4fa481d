//! A job's end of the one bounded channel: every report is tagged with the job's id.
//! Bounded, so a fast reader waits for the app instead of filling memory.

use super::{JobId, JobMsg};
use tokio::sync::mpsc;

/// How many reports may wait for the app: a few batches of records, not a trail.
pub const CHANNEL_CAPACITY: usize = 64;

#[derive(Clone, Debug)]
pub struct Reporter {
    job: JobId,
    tx: mpsc::Sender<(JobId, JobMsg)>,
}

impl Reporter {
    pub fn new(job: JobId, tx: mpsc::Sender<(JobId, JobMsg)>) -> Reporter {
        Reporter { job, tx }
    }

    /// A reporter for one job with its own receiver (headless commands that read one job).
    pub fn channel() -> (Reporter, mpsc::Receiver<(JobId, JobMsg)>) {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        (Reporter::new(JobId(0), tx), rx)
    }

    pub fn job(&self) -> JobId {
        self.job
    }

    /// From async code. `false` when nobody listens any more (the app is gone): stop.
    pub async fn send(&self, msg: JobMsg) -> bool {
        self.tx.send((self.job, msg)).await.is_ok()
    }

    /// From a worker thread (never from inside the runtime). `false` when nobody listens.
    pub fn blocking_send(&self, msg: JobMsg) -> bool {
        self.tx.blocking_send((self.job, msg)).is_ok()
    }

    /// Without waiting: for a last word from code that cannot wait (a panic's fallback).
    pub fn try_send(&self, msg: JobMsg) -> bool {
        self.tx.try_send((self.job, msg)).is_ok()
    }
}
