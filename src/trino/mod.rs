//! SQL text for the two Trino engines trailscope asks: CloudTrail Lake (`lake`) and Athena
//! (`athena`). What both need lives here once: `literal` (a value that can never leave its
//! quotes), `Window` (the time a query covers) and `condition` (a filter → a SQL condition
//! with the local filter's NULL semantics; each engine brings its own column map).

pub mod condition;
pub mod literal;

pub use literal::literal;

use crate::model::time::EventTime;

/// A time window, `start` inclusive and `end` exclusive.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: EventTime,
    pub end: EventTime,
}
