//! LookupEvents for the interactive app: the app gives orders (which region, which window,
//! from which token, how many events) and gets pages back as they arrive, each tagged with the
//! order's ticket so that pages of a cancelled or replaced order are recognised and dropped.
//! One task per region; a new order for a region replaces the one running there.

use super::pager::{fetch_region, PagerConfig, RegionFetch};
use super::plan::LookupPlan;
use crate::model::record::Record;
use crate::model::time::EventTime;
use crate::model::warning::Warning;
use aws_config::SdkConfig;
use aws_sdk_cloudtrail::Client;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, OnceCell};
use tokio::task::JoinHandle;

/// Fetch one region's `window` with `plan`, from `resume` if given, stopping after
/// `max_events` (this order's own count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionOrder {
    pub ticket: u64,
    pub region: String,
    pub plan: LookupPlan,
    pub window: (EventTime, EventTime),
    pub resume: Option<String>,
    pub max_events: Option<u64>,
    /// The region's progress before this order: reports add to it, so the app sees totals.
    pub base: RegionFetch,
}

/// One page (or a throttle, or the end) of an order.
#[derive(Debug)]
pub struct Fetched {
    pub ticket: u64,
    pub records: Vec<Record>,
    pub warnings: Vec<Warning>,
    /// The region's totals, this page included.
    pub progress: RegionFetch,
}

pub struct Fetcher {
    profile: Option<String>,
    rate: f64,
    /// Loaded once, on first use: it reads profiles and may call SSO.
    config: Arc<OnceCell<SdkConfig>>,
    tasks: HashMap<String, JoinHandle<()>>,
    tx: mpsc::UnboundedSender<Fetched>,
}

impl Fetcher {
    /// Pages go to `tx`; `rate` is requests per second per region.
    pub fn new(profile: Option<String>, rate: f64, tx: mpsc::UnboundedSender<Fetched>) -> Fetcher {
        Fetcher {
            profile,
            rate,
            config: Arc::new(OnceCell::new()),
            tasks: HashMap::new(),
            tx,
        }
    }

    /// Starts each order on the current tokio runtime, replacing what runs in its region.
    pub fn start(&mut self, orders: Vec<RegionOrder>) {
        for order in orders {
            if let Some(old) = self.tasks.remove(&order.region) {
                old.abort();
            }
            let region = order.region.clone();
            let (config, profile, tx) =
                (self.config.clone(), self.profile.clone(), self.tx.clone());
            let pager = PagerConfig {
                rate: self.rate,
                max_events: order.max_events,
                ..PagerConfig::default()
            };
            let task = tokio::spawn(async move {
                let sdk = config
                    .get_or_init(|| super::client::load_config(profile.as_deref()))
                    .await;
                let client = Client::from_conf(
                    aws_sdk_cloudtrail::config::Builder::from(sdk)
                        .region(aws_config::Region::new(order.region.clone()))
                        .build(),
                );
                let base = &order.base;
                fetch_region(
                    &client,
                    &order.region,
                    &order.plan,
                    order.window,
                    &pager,
                    order.resume.clone(),
                    |records, warnings, p| {
                        // The app may be gone (quitting): nothing left to tell.
                        let _ = tx.send(Fetched {
                            ticket: order.ticket,
                            records,
                            warnings,
                            progress: add(base, p),
                        });
                    },
                )
                .await;
            });
            self.tasks.insert(region, task);
        }
    }

    /// Stops every region at once (what is fetched stays; the tokens resume).
    pub fn stop(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
    }
}

impl Drop for Fetcher {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `base` followed by `more`: counts add up, the state and token are the latest.
fn add(base: &RegionFetch, more: &RegionFetch) -> RegionFetch {
    RegionFetch {
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
