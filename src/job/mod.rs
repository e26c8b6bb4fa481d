//! Background jobs: the one way work outside the app (reading files, downloading a trail,
//! paging LookupEvents, running a query) is started, reported and stopped.
//!
//! The pure app allocates a [`JobId`] and asks for `Effect::Start { job, spec }`; the runtime
//! runs the [`JobSpec`] and every report comes back on one bounded channel as
//! `(JobId, JobMsg)`. A job ends with exactly one [`JobMsg::Done`]; the app drops a report
//! whose job it no longer knows (replaced, or forgotten), in one place. `Effect::Cancel`
//! stops a job where it is and what it already reported stays.
//!
//! This module is pure data (and the reporter, a channel's sending end): the app and the ui
//! import it, never a source's SDK client.

mod reporter;
mod spec;

pub use reporter::{Reporter, CHANNEL_CAPACITY};
pub use spec::JobSpec;

use crate::lake::rows::Row;
use crate::lake::stores::StoreInfo;
use crate::model::record::Record;
use crate::model::warning::Warning;
use crate::source::lookup::progress::RegionFetch;

/// Names one job for its whole life; never reused within a process.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct JobId(pub u64);

/// What a job reports.
#[derive(Debug)]
pub enum JobMsg {
    /// Events read, for the store.
    Records(Vec<Record>),
    /// Problems met on the way (a file that is not CloudTrail, a page that failed…).
    Warnings(Vec<Warning>),
    /// How far it has come.
    Progress(Progress),
    /// Rows of a query's results table.
    Rows(Vec<Row>),
    /// The event data stores a Lake account can query (the picker's list).
    Stores(Vec<StoreInfo>),
    /// The CloudTrail tables of an Athena catalog (the picker's list).
    Tables(Vec<crate::athena::catalog::FoundTable>),
    /// The end; nothing follows.
    Done(Ending),
}

/// Progress, one shape per kind of work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Files, a folder, stdin or an S3 trail.
    Files(crate::source::Progress),
    /// One LookupEvents region: its totals so far.
    Region(RegionFetch),
    /// A SQL query (CloudTrail Lake).
    Query(QueryProgress),
}

/// How a job ended. What it reported before the end is kept, whatever the ending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    Finished,
    /// Stopped when asked (Esc, or a newer job replacing it).
    Stopped,
    /// The engine's own time limit stopped it; what it found is what was read.
    TimedOut(String),
    Failed(String),
}

/// Where a query is, from the engine (Lake's DescribeQuery).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryProgress {
    pub query_id: String,
    /// QUEUED, RUNNING, FINISHED, FAILED, CANCELLED or TIMED_OUT ("STARTING" before Lake answers).
    pub status: String,
    pub events_matched: i64,
    pub events_scanned: i64,
    pub bytes_scanned: i64,
    pub millis: i64,
    /// Rows read so far.
    pub rows: u64,
    /// Throttles and transient failures waited out.
    pub retries: u32,
}
