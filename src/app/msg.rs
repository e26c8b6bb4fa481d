//! Everything that can happen to the app arrives as a `Msg`; time arrives in messages too,
//! so `update` never reads a clock.

use super::key::Key;
use crate::session::db::Summary;
use crate::session::saver::Saved;
use crate::source::lookup::live::Fetched;
use crate::source::SourceMsg;

/// Tags a fetch; messages from a superseded fetch are dropped.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct QueryId(pub u64);

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
    Source(QueryId, SourceMsg),
    /// A page (or a throttle, an error, the end) from LookupEvents.
    Fetched(Fetched),
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
    /// A report from CloudTrail Lake: a query's progress, rows and end, or the stores.
    Lake(crate::lake::runner::LakeMsg),
}
