//! One Lake query's life: QUEUED for a few polls, RUNNING for as many, then FINISHED (or
//! FAILED, or TIMED_OUT with part of its rows), unless CANCELLED first. The result is
//! computed when the query starts; the states only decide when it may be seen, driven by the
//! client's own polling so that tests need no clock.

use super::run::{Rows, Stats};
use std::hash::BuildHasher;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Queued,
    Running,
    Finished,
    Failed,
    Cancelled,
    TimedOut,
}

impl Status {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Status::Queued => "QUEUED",
            Status::Running => "RUNNING",
            Status::Finished => "FINISHED",
            Status::Failed => "FAILED",
            Status::Cancelled => "CANCELLED",
            Status::TimedOut => "TIMED_OUT",
        }
    }

    pub(crate) fn active(self) -> bool {
        matches!(self, Status::Queued | Status::Running)
    }
}

/// How a query ends once it has run.
pub(crate) enum Outcome {
    Finished(Rows),
    Failed(String),
    /// The rows read before the time-out, and why it stopped.
    TimedOut(Rows, String),
}

pub(crate) struct Query {
    pub id: String,
    pub statement: String,
    pub created_ms: i64,
    pub stats: Stats,
    pub outcome: Outcome,
    polls: u32,
    polls_per_state: u32,
    cancelled: bool,
}

impl Query {
    pub(crate) fn new(
        number: u64,
        statement: &str,
        created_ms: i64,
        polls_per_state: u32,
        stats: Stats,
        outcome: Outcome,
    ) -> Query {
        Query {
            id: query_id(number),
            statement: statement.to_string(),
            created_ms,
            stats,
            outcome,
            polls: 0,
            polls_per_state,
            cancelled: false,
        }
    }

    /// The status now, without counting a poll.
    pub(crate) fn status(&self) -> Status {
        let per = u64::from(self.polls_per_state);
        let polls = u64::from(self.polls);
        if self.cancelled {
            Status::Cancelled
        } else if polls < per {
            Status::Queued
        } else if polls < 2 * per {
            Status::Running
        } else {
            match self.outcome {
                Outcome::Finished(_) => Status::Finished,
                Outcome::Failed(_) => Status::Failed,
                Outcome::TimedOut(..) => Status::TimedOut,
            }
        }
    }

    /// A DescribeQuery or GetQueryResults call: the status it sees, then one poll counted.
    pub(crate) fn poll(&mut self) -> Status {
        let status = self.status();
        self.polls = self.polls.saturating_add(1);
        status
    }

    /// Cancelled whatever its polls say: a query whose result is still being computed.
    pub(crate) fn force_cancel(&mut self) {
        self.cancelled = true;
    }

    /// CancelQuery: `false` if the query had already ended.
    pub(crate) fn cancel(&mut self) -> bool {
        if !self.status().active() {
            return false;
        }
        self.cancelled = true;
        true
    }

    /// The rows a client may read, once the query has ended with some.
    pub(crate) fn rows(&self) -> &[Vec<(String, String)>] {
        match &self.outcome {
            Outcome::Finished(rows) | Outcome::TimedOut(rows, _) => rows,
            Outcome::Failed(_) => &[],
        }
    }

    pub(crate) fn error_message(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Failed(m) | Outcome::TimedOut(_, m) => Some(m),
            Outcome::Finished(_) => None,
        }
    }

    /// The statistics as the status shows them: none while queued, half while running (a
    /// query part-way through), all once it has ended; a cancelled query shows none.
    pub(crate) fn visible_stats(&self, status: Status) -> (Stats, u64) {
        let execution_ms = 40 + self.stats.scanned / 50;
        match status {
            Status::Queued | Status::Cancelled => (Stats::default(), 0),
            Status::Running => (
                Stats {
                    matched: self.stats.matched / 2,
                    scanned: self.stats.scanned / 2,
                    bytes: self.stats.bytes / 2,
                },
                execution_ms / 2,
            ),
            _ => (self.stats, execution_ms),
        }
    }
}

/// A 36-character id in UUID form, lowercase hex (the model's `^[a-f0-9\-]+$`), the same for
/// the same query number on every run.
fn query_id(number: u64) -> String {
    let h =
        |salt: u64| foldhash::quality::FixedState::with_seed(0x6c61_6b65).hash_one((salt, number));
    let (a, b) = (h(1), h(2));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(polls_per_state: u32, outcome: Outcome) -> Query {
        Query::new(1, "SELECT 1", 0, polls_per_state, Stats::default(), outcome)
    }

    #[test]
    fn polls_move_a_query_through_its_states() {
        let mut q = query(2, Outcome::Finished(Vec::new()));
        let seen: Vec<Status> = (0..6).map(|_| q.poll()).collect();
        use Status::*;
        assert_eq!(seen, [Queued, Queued, Running, Running, Finished, Finished]);
        assert!(!q.cancel(), "a finished query cannot be cancelled");
        let mut q = query(0, Outcome::Failed("boom".into()));
        assert_eq!(q.poll(), Failed);
        let mut q = query(1, Outcome::Finished(Vec::new()));
        assert!(q.cancel());
        assert_eq!(q.poll(), Cancelled);
        assert!(!q.cancel());
    }

    #[test]
    fn ids_look_like_uuids_and_differ() {
        let (a, b) = (query_id(1), query_id(2));
        assert_ne!(a, b);
        for id in [a, b] {
            assert_eq!(id.len(), 36, "{id}");
            assert!(id
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase() || c == '-'));
            assert_eq!(id.matches('-').count(), 4);
        }
    }
}
