//! A LookupEvents order for one region: pure data the app builds and the runtime carries out
//! (`live::run_order`), one job per order.

use super::accounts::Via;
use super::plan::LookupPlan;
use super::progress::RegionFetch;
use crate::model::time::EventTime;

/// Fetch one region's `window` with `plan`, from `resume` if given, stopping after
/// `max_events` (this order's own count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionOrder {
    /// Whose events: the session's own account, a role assumed in another, or a profile.
    pub via: Via,
    pub region: String,
    pub plan: LookupPlan,
    pub window: (EventTime, EventTime),
    pub resume: Option<String>,
    pub max_events: Option<u64>,
    /// The region's progress before this order: reports add to it, so the app sees totals.
    pub base: RegionFetch,
}

impl RegionOrder {
    /// The job kind's key: one job per account × region.
    pub fn lane(&self) -> (String, String) {
        (self.via.label().to_string(), self.region.clone())
    }

    /// `base` followed by `more`: counts add up, the state and token are the latest.
    pub fn totals(&self, more: &RegionFetch) -> RegionFetch {
        let base = &self.base;
        RegionFetch {
            account: base.account.clone(),
            region: more.region.clone(),
            pages: base.pages + more.pages,
            events: base.events + more.events,
            throttles: base.throttles + more.throttles,
            retries: base.retries + more.retries,
            last_problem: more
                .last_problem
                .clone()
                .or_else(|| base.last_problem.clone()),
            state: more.state.clone(),
            oldest: match (base.oldest, more.oldest) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            next_token: more.next_token.clone(),
        }
    }
}
