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
    /// Which account (its ID or profile; "" for the session's own): one fetch per account ×
    /// region, each with its own token and pace.
    pub account: String,
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
            account: String::new(),
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

    /// Nothing fetched yet from `region` of `account`.
    pub fn idle_in(account: &str, region: &str) -> RegionFetch {
        RegionFetch {
            account: account.to_string(),
            ..RegionFetch::idle(region)
        }
    }

    /// `111122223333 eu-west-1`, or just the region for the session's own account.
    pub fn lane(&self) -> String {
        match self.account.as_str() {
            "" => self.region.clone(),
            a => format!("{a} {}", self.region),
        }
    }
}
