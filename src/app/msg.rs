//! Everything that can happen to the app arrives as a `Msg`; time arrives in messages too,
//! so `update` never reads a clock.

use super::key::Key;
use crate::job::{JobId, JobMsg};
use crate::session::messages::Saved;
use crate::session::messages::Summary;

/// What the mouse did (the left button only: the others stay the terminal's).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum MouseKind {
    ScrollUp,
    ScrollDown,
    Down,
    Drag,
    Up,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

#[derive(Debug)]
pub enum Msg {
    Key(Key),
    Mouse(Mouse),
    Resize {
        width: u16,
        height: u16,
    },
    /// A report from a background job: files, S3, a LookupEvents region, a Lake query.
    Job(JobId, JobMsg),
    /// Milliseconds since the session started.
    Tick(u64),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// Nothing else to do: run a slice of pending work (filtering, sorting).
    Work,
    /// A save was written, or failed.
    Saved(Saved),
    /// The saved investigations, for the picker.
    Sessions(Result<Vec<Summary>, String>),
    /// An export file was written (its message), or not.
    Wrote(Result<String, String>),
    /// A copy went to the terminal (what was copied), or could not (why).
    Copied(Result<String, String>),
}
