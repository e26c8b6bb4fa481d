//! What a job is asked to do: one variant per kind of source. A new source is one folder
//! under `source/` plus one variant here (and its arm in `runtime::jobs`).

use crate::source::lookup::order::RegionOrder;
use crate::source::walk::Plan;

#[derive(Debug)]
pub enum JobSpec {
    /// Read local files, a folder, stdin or an S3 trail: the plan says which.
    Load(Plan),
    /// Page one LookupEvents region.
    Lookup(RegionOrder),
    /// Run this statement on CloudTrail Lake.
    LakeQuery(String),
    /// List the Lake event data stores the account can query.
    LakeStores,
    /// Run this statement on Athena: rows of whole events are records from `origin`
    /// (`Athena db.t`), other rows a results table.
    AthenaQuery { sql: String, origin: String },
    /// List the Athena catalog's CloudTrail tables (the picker's list).
    AthenaTables,
}

impl JobSpec {
    /// A few words for logs and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            JobSpec::Load(_) => "load",
            JobSpec::Lookup(_) => "lookup",
            JobSpec::LakeQuery(_) => "lake query",
            JobSpec::LakeStores => "lake stores",
            JobSpec::AthenaQuery { .. } => "athena query",
            JobSpec::AthenaTables => "athena tables",
        }
    }
}
