//! What `update` asks the runtime to do: the only way the pure core touches the world.

use crate::session::db::SaveJob;
use crate::source::lookup::live::RegionOrder;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Leave with this message on stderr and a non-zero status (nothing could be read).
    Fail(String),
    /// Start these LookupEvents orders, each replacing what runs in its region.
    Fetch(Vec<RegionOrder>),
    /// Stop every LookupEvents region where it is.
    StopFetch,
    /// Run this statement on CloudTrail Lake (answered by `Msg::Lake` reports tagged `ticket`),
    /// cancelling the query running before it.
    LakeRun {
        ticket: u64,
        sql: String,
    },
    /// Cancel the running Lake query (CancelQuery); the rows read stay.
    LakeCancel,
    /// List the event data stores (answered by `Msg::Lake(LakeMsg::Stores)`).
    LakeStores,
    /// Stop loading (an S3 download); what was read stays and `Done` follows.
    StopLoad,
    /// Write this to the investigation's database (in the background).
    Save(SaveJob),
    /// Read the list of saved investigations (answered by `Msg::Sessions`).
    ListSessions,
    /// Leave this investigation for another one.
    OpenSession(String),
    /// Write an export to a new file, readable by the user alone (answered by `Msg::Wrote`).
    WriteFile {
        path: PathBuf,
        bytes: Vec<u8>,
        what: String,
    },
    /// Put `text` (already made safe, see `clipboard`) on the clipboard with OSC 52
    /// (answered by `Msg::Copied`); `what` says what it is.
    Copy {
        text: String,
        what: String,
    },
}
