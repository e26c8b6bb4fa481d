//! One LookupEvents region's progress: pure data, for the app's status bar and the
//! orders that resume a region from its token.

use crate::model::time::EventTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchState {
    Fetching,
    /// Every page read.
    Done,
    /// Stopped at the configured count; `next_token` continues.
    Paused,
    /// Stopped by an error; `next_token` resumes from the last good page.
    Failed(String),
}

/// One region's progress, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionFetch {
    pub region: String,
    pub pages: u32,
    pub events: u64,
    pub throttles: u32,
    /// Requests repeated after a transient failure (not throttling).
    pub retries: u32,
    /// The latest transient failure, while it is being retried or after it was overcome.
    pub last_problem: Option<String>,
    pub state: FetchState,
    /// The oldest event time reached (pages go newest first).
    pub oldest: Option<EventTime>,
    pub next_token: Option<String>,
}

impl RegionFetch {
    /// Nothing fetched yet, nothing running.
    pub fn idle(region: &str) -> RegionFetch {
        RegionFetch {
            region: region.to_string(),
            pages: 0,
            events: 0,
            throttles: 0,
            retries: 0,
            last_problem: None,
            state: FetchState::Paused,
            oldest: None,
            next_token: None,
        }
    }
}
