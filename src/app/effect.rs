//! What `update` asks the runtime to do: the only way the pure core touches the world.

use crate::job::{JobId, JobSpec};
use crate::session::messages::SaveJob;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Effect {
    Quit,
    /// Leave with this message on stderr and a non-zero status (nothing could be read).
    Fail(String),
    /// Run this job in the background; its reports arrive as `Msg::Job(job, _)`.
    Start {
        job: JobId,
        /// Boxed: a plan or an order is large, and effects are moved around a lot.
        spec: Box<JobSpec>,
    },
    /// Stop this job where it is: what it reported stays, and its `Done` follows (unless the
    /// app already forgot it).
    Cancel(JobId),
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
