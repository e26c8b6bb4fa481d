//! Sources stream records into the store. Each fetch runs on its own threads and sends
//! `SourceMsg`s over a bounded channel; the runtime tags them with the query they belong to.

pub mod demo;
pub mod files;
pub mod input;
pub mod lookup;
mod stream;
pub mod walk;

use crate::model::record::Record;
use crate::model::warning::Warning;

#[derive(Debug)]
pub enum SourceMsg {
    Batch(Vec<Record>),
    Warnings(Vec<Warning>),
    Progress(Progress),
    Done,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    /// Bytes read from disk (compressed where the file is).
    pub bytes_read: u64,
    pub bytes_total: u64,
}
