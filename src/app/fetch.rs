//! A live LookupEvents fetch as the app sees it: the window (its end frozen when the session
//! started, because page tokens are bound to identical parameters), each region's progress,
//! and the orders that start, continue, extend or stop it. Pure, like the rest of `app`:
//! each order runs as a job (`source::lookup::live`) that reports pages back.

use crate::job::JobId;
use crate::model::time::EventTime;
use crate::source::lookup::accounts::Via;
use crate::source::lookup::order::RegionOrder;
use crate::source::lookup::plan::LookupPlan;
use crate::source::lookup::progress::{FetchState, RegionFetch};
use crate::source::lookup::scope::{Clamped, Scope};

/// Events per region that "load more" fetches: ten seconds at LookupEvents' pace.
pub const DEFAULT_STEP: u64 = 1000;

/// How far back the time presets go, as ages (the API keeps 90 days).
pub const TIME_PRESETS: [(&str, i64); 7] = [
    ("1h", 3_600_000),
    ("6h", 6 * 3_600_000),
    ("24h", 24 * 3_600_000),
    ("3d", 3 * 86_400_000),
    ("7d", 7 * 86_400_000),
    ("30d", 30 * 86_400_000),
    ("90d", 90 * 86_400_000),
];

#[derive(Debug, Clone)]
pub struct LiveFetch {
    pub plan: LookupPlan,
    /// How far back the user asked to go, and where the window ends.
    pub start: EventTime,
    pub end: EventTime,
    /// Events per region for "load more".
    pub step: u64,
    pub regions: Vec<RegionRun>,
    /// What of the window asked for LookupEvents could not hold (the title says so).
    pub clamped: Clamped,
    /// The role `account ID` assumes in another account (`--role-name`).
    pub role: String,
}

/// One account × region: its own token, window, pace and job.
#[derive(Debug, Clone)]
pub struct RegionRun {
    /// Whose events this lane reads.
    pub via: Via,
    /// Totals over every order in this region.
    pub progress: RegionFetch,
    /// The window of the latest order: its token is only valid with it.
    pub window: (EventTime, EventTime),
    /// The job carrying out the latest order (`None` before it starts, or once stopped).
    pub job: Option<JobId>,
}

/// What a report changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Report {
    /// From no region's current job.
    Stale,
    Progress,
    /// The region stopped on an error, explained.
    Failed(String),
}

impl LiveFetch {
    /// The fetch of a scope (its regions, window and plan), each region's first order capped
    /// at `max_events` (`--max-events`), which is also what "load more" fetches; with its
    /// first orders.
    pub fn of_scope(
        s: Scope,
        accounts: &[Via],
        max_events: Option<u64>,
    ) -> (LiveFetch, Vec<RegionOrder>) {
        let step = max_events.unwrap_or(DEFAULT_STEP);
        let (mut live, orders) =
            LiveFetch::across(s.plan, accounts, &s.regions, s.window, max_events, step);
        live.clamped = s.clamped;
        (live, orders)
    }

    /// A fetch of `window` in every region of the session's own account; `first` caps each
    /// region's first order.
    pub fn new(
        plan: LookupPlan,
        regions: &[String],
        window: (EventTime, EventTime),
        first: Option<u64>,
        step: u64,
    ) -> (LiveFetch, Vec<RegionOrder>) {
        LiveFetch::across(plan, &[Via::Own], regions, window, first, step)
    }

    /// A fetch of `window` in every region of every account, account by account.
    pub fn across(
        plan: LookupPlan,
        accounts: &[Via],
        regions: &[String],
        window: (EventTime, EventTime),
        first: Option<u64>,
        step: u64,
    ) -> (LiveFetch, Vec<RegionOrder>) {
        let lane = |via: &Via, r: &String| RegionRun {
            via: via.clone(),
            progress: RegionFetch::idle_in(via.label(), r),
            window,
            job: None,
        };
        let mut live = LiveFetch {
            plan,
            start: window.0,
            end: window.1,
            step: step.max(1),
            clamped: Clamped::default(),
            role: crate::source::lookup::accounts::DEFAULT_ROLE.to_string(),
            regions: accounts
                .iter()
                .flat_map(|via| regions.iter().map(move |r| lane(via, r)))
                .collect(),
        };
        let all: Vec<usize> = (0..live.regions.len()).collect();
        let orders = all
            .into_iter()
            .map(|i| live.order(i, window, None, first))
            .collect();
        (live, orders)
    }

    pub fn is_running(&self) -> bool {
        self.regions
            .iter()
            .any(|r| r.progress.state == FetchState::Fetching)
    }

    /// The lane (account, region) `job` carries out the latest order of, now that it has
    /// started.
    pub fn started(&mut self, lane: &(String, String), job: JobId) {
        if let Some(run) = self
            .regions
            .iter_mut()
            .find(|r| (&r.progress.account, &r.progress.region) == (&lane.0, &lane.1))
        {
            run.job = Some(job);
        }
    }

    /// Takes a region's totals in.
    pub fn on_progress(&mut self, job: JobId, progress: &RegionFetch) -> Report {
        let Some(run) = self.regions.iter_mut().find(|r| r.job == Some(job)) else {
            return Report::Stale;
        };
        run.progress = progress.clone();
        match &run.progress.state {
            FetchState::Failed(why) => Report::Failed(why.clone()),
            _ => Report::Progress,
        }
    }

    /// Fetches the whole window again with another plan (a pivot AWS can evaluate): every
    /// region starts over, its counts with it; what was fetched before stays in the store.
    pub fn refetch(&mut self, plan: LookupPlan) -> Vec<RegionOrder> {
        self.plan = plan;
        let window = (self.start, self.end);
        for run in &mut self.regions {
            run.progress = RegionFetch::idle_in(&run.progress.account, &run.progress.region);
        }
        (0..self.regions.len())
            .map(|i| self.order(i, window, None, None))
            .collect()
    }

    /// Stops every running region where it is: the jobs that were running them.
    pub fn stop(&mut self) -> Vec<JobId> {
        let mut stopped = Vec::new();
        for run in &mut self.regions {
            if run.progress.state == FetchState::Fetching {
                run.progress.state = FetchState::Paused;
                // Pages already on their way belong to the stopped order.
                stopped.extend(run.job.take());
            }
        }
        stopped
    }

    /// Continues every paused, stopped or failed region by `step` events, from its last token.
    pub fn more(&mut self) -> Vec<RegionOrder> {
        let step = self.step;
        self.continue_where(|run| Some(step).filter(|_| resumable(run)))
    }

    /// Continues every unfinished region until it holds `count` events.
    pub fn until_count(&mut self, count: u64) -> Vec<RegionOrder> {
        self.continue_where(|run| {
            let missing = count.saturating_sub(run.progress.events);
            (resumable(run) || run.progress.state == FetchState::Fetching)
                .then_some(missing)
                .filter(|&m| m > 0)
        })
    }

    /// Goes back to `time` in every region: whatever is not held yet between `time` and the
    /// oldest event reached is fetched, whole.
    pub fn until_time(&mut self, time: EventTime) -> Vec<RegionOrder> {
        self.start = self.start.min(time);
        let mut orders = Vec::new();
        for i in 0..self.regions.len() {
            let covered_from = self.covered_from(i);
            if covered_from > time {
                orders.push(self.order(i, (time, covered_from), None, None));
            }
        }
        orders
    }

    /// Every event from here to the end of the window is held in region `i`: pages come newest
    /// first, so everything after the oldest event reached has been seen.
    fn covered_from(&self, i: usize) -> EventTime {
        let run = &self.regions[i];
        match run.progress.state {
            FetchState::Done => run.window.0,
            _ => run.progress.oldest.unwrap_or(run.window.1),
        }
    }

    fn continue_where(&mut self, amount: impl Fn(&RegionRun) -> Option<u64>) -> Vec<RegionOrder> {
        let mut orders = Vec::new();
        for i in 0..self.regions.len() {
            let run = &self.regions[i];
            if let Some(max) = amount(run) {
                let (window, token) = (run.window, run.progress.next_token.clone());
                orders.push(self.order(i, window, token, Some(max)));
            }
        }
        orders
    }

    /// An order for region `i`, which from now on is the only one whose reports count.
    fn order(
        &mut self,
        i: usize,
        window: (EventTime, EventTime),
        resume: Option<String>,
        max_events: Option<u64>,
    ) -> RegionOrder {
        let run = &mut self.regions[i];
        // Until its job starts, no job's report is this region's.
        run.job = None;
        run.window = window;
        run.progress.state = FetchState::Fetching;
        RegionOrder {
            via: run.via.clone(),
            region: run.progress.region.clone(),
            plan: self.plan.clone(),
            window,
            resume,
            max_events,
            base: run.progress.clone(),
        }
    }

    /// Adds a region to the fetch (`region NAME` in the app), in every account: it reads the
    /// same window with the same plan, `step` events at first like the others. Nothing when
    /// it is already in.
    pub fn add_region(&mut self, region: &str) -> Vec<RegionOrder> {
        if self.regions.iter().any(|r| r.progress.region == region) {
            return Vec::new();
        }
        let lanes: Vec<(Via, String)> = self
            .accounts()
            .into_iter()
            .map(|via| (via, region.to_string()))
            .collect();
        self.add_lanes(lanes)
    }

    /// Adds an account to the fetch (`account ID` in the app, or the lineage's offer), in
    /// every region: the same window and plan. Nothing when it is already in.
    pub fn add_account(&mut self, via: Via) -> Vec<RegionOrder> {
        if self.regions.iter().any(|r| r.via.label() == via.label()) {
            return Vec::new();
        }
        let lanes: Vec<(Via, String)> = self
            .region_names()
            .into_iter()
            .map(|r| (via.clone(), r))
            .collect();
        self.add_lanes(lanes)
    }

    fn add_lanes(&mut self, lanes: Vec<(Via, String)>) -> Vec<RegionOrder> {
        let window = (self.start, self.end);
        let mut orders = Vec::new();
        for (via, region) in lanes {
            self.regions.push(RegionRun {
                progress: RegionFetch::idle_in(via.label(), &region),
                via,
                window,
                job: None,
            });
            let i = self.regions.len() - 1;
            orders.push(self.order(i, window, None, Some(self.step)));
        }
        orders
    }

    /// A lane named but not read (an account Organizations lists as closed): failed with
    /// why, so the overlay names it and `m` can try it.
    pub fn add_skipped(&mut self, via: Via, why: &str) {
        let window = (self.start, self.end);
        for region in self.region_names() {
            let mut progress = RegionFetch::idle_in(via.label(), &region);
            progress.state = FetchState::Failed(why.to_string());
            self.regions.push(RegionRun {
                via: via.clone(),
                progress,
                window,
                job: None,
            });
        }
    }

    /// Every account read, in the order first read.
    pub fn accounts(&self) -> Vec<Via> {
        let mut list: Vec<Via> = Vec::new();
        for run in &self.regions {
            if !list.contains(&run.via) {
                list.push(run.via.clone());
            }
        }
        list
    }

    /// Every region read, in the order first read.
    pub fn region_names(&self) -> Vec<String> {
        let mut list: Vec<String> = Vec::new();
        for run in &self.regions {
            if !list.contains(&run.progress.region) {
                list.push(run.progress.region.clone());
            }
        }
        list
    }

    /// Totals over every region, for the status bar.
    pub fn totals(&self) -> RegionFetch {
        let mut t = RegionFetch {
            state: FetchState::Done,
            ..RegionFetch::idle("")
        };
        for r in &self.regions {
            t.pages += r.progress.pages;
            t.events += r.progress.events;
            t.throttles += r.progress.throttles;
            t.retries += r.progress.retries;
        }
        t
    }

    /// Held completely from this time on in every region (the least reached).
    pub fn reached(&self) -> EventTime {
        (0..self.regions.len())
            .map(|i| self.covered_from(i))
            .max()
            .unwrap_or(self.end)
    }
}

/// Stopped before its window was read: by a count, by the user, or by an error.
fn resumable(run: &RegionRun) -> bool {
    matches!(
        run.progress.state,
        FetchState::Paused | FetchState::Failed(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Expr;

    fn t(s: &str) -> EventTime {
        EventTime::parse(s).unwrap_or(EventTime::UNKNOWN)
    }

    fn plan() -> LookupPlan {
        LookupPlan {
            attribute: None,
            pushed: None,
            after: None,
            before: None,
            local: Expr::And(Vec::new()),
        }
    }

    /// Starts each order as a job (as the reducer does), numbering them from `first`.
    fn start(live: &mut LiveFetch, orders: &[RegionOrder], first: u64) -> Vec<JobId> {
        orders
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let job = JobId(first + i as u64);
                live.started(&o.lane(), job);
                job
            })
            .collect()
    }

    /// A page of `order`: its region's totals after it.
    fn page(order: &RegionOrder, events: u64, oldest: &str, state: FetchState) -> RegionFetch {
        let token = (state != FetchState::Done)
            .then(|| format!("tok-{}-{}", order.region, order.base.pages));
        RegionFetch {
            pages: order.base.pages + 1,
            events: order.base.events + events,
            oldest: Some(t(oldest)),
            state,
            next_token: token,
            ..order.base.clone()
        }
    }

    fn window() -> (EventTime, EventTime) {
        (t("2026-11-20T12:00:00Z"), t("2026-11-21T12:00:00Z"))
    }

    #[test]
    fn stop_then_more_resumes_from_the_token_and_late_pages_are_dropped() {
        let regions = ["eu-west-1".to_string(), "us-east-1".to_string()];
        let (mut live, orders) = LiveFetch::new(plan(), &regions, window(), None, 500);
        assert_eq!(orders.len(), 2);
        let jobs = start(&mut live, &orders, 1);
        assert!(live.is_running());
        let first = page(&orders[0], 50, "2026-11-21T10:00:00Z", FetchState::Fetching);
        assert_eq!(live.on_progress(jobs[0], &first), Report::Progress);
        assert_eq!(live.stop(), jobs, "both regions' jobs stop");
        assert!(!live.is_running());
        // A page that was already on its way when Esc was pressed.
        let late = page(
            &orders[0],
            100,
            "2026-11-21T09:00:00Z",
            FetchState::Fetching,
        );
        assert_eq!(live.on_progress(jobs[0], &late), Report::Stale);
        let more = live.more();
        assert_eq!(more.len(), 2, "both regions continue");
        assert_eq!(more[0].resume.as_deref(), Some("tok-eu-west-1-0"));
        assert_eq!(more[0].window, window(), "the token's own window");
        assert_eq!(more[0].max_events, Some(500));
        assert_eq!(more[0].base.events, 50);
        assert_eq!(more[1].resume, None, "no page yet: from the start");
    }

    #[test]
    fn going_further_back_fetches_only_what_is_missing() {
        let regions = ["eu-west-1".to_string(), "us-east-1".to_string()];
        let (mut live, orders) = LiveFetch::new(plan(), &regions, window(), None, 500);
        let jobs = start(&mut live, &orders, 1);
        let done = page(&orders[0], 80, "2026-11-20T13:00:00Z", FetchState::Done);
        live.on_progress(jobs[0], &done);
        let partway = page(
            &orders[1],
            50,
            "2026-11-21T08:00:00Z",
            FetchState::Failed("throttled".into()),
        );
        assert_eq!(
            live.on_progress(jobs[1], &partway),
            Report::Failed("throttled".into())
        );
        assert_eq!(live.reached(), t("2026-11-21T08:00:00Z"));
        let back = live.until_time(t("2026-11-14T12:00:00Z"));
        assert_eq!(back.len(), 2);
        assert_eq!(
            back[0].window,
            (t("2026-11-14T12:00:00Z"), t("2026-11-20T12:00:00Z")),
            "the finished region continues below its window"
        );
        assert_eq!(
            back[1].window,
            (t("2026-11-14T12:00:00Z"), t("2026-11-21T08:00:00Z")),
            "the failed one from the oldest event it reached"
        );
        assert!(back
            .iter()
            .all(|o| o.resume.is_none() && o.max_events.is_none()));
        assert_eq!(live.start, t("2026-11-14T12:00:00Z"));
        // Nothing more to do for a time already covered.
        let back_jobs = start(&mut live, &back, 3);
        live.on_progress(
            back_jobs[0],
            &page(&back[0], 10, "2026-11-15T00:00:00Z", FetchState::Done),
        );
        live.on_progress(
            back_jobs[1],
            &page(&back[1], 10, "2026-11-15T00:00:00Z", FetchState::Done),
        );
        assert!(live.until_time(t("2026-11-16T00:00:00Z")).is_empty());
        assert_eq!(live.totals().events, 80 + 50 + 20);
    }

    #[test]
    fn refetching_with_a_new_plan_starts_every_region_over() {
        let regions = ["eu-west-1".to_string(), "us-east-1".to_string()];
        let (mut live, orders) = LiveFetch::new(plan(), &regions, window(), Some(50), 500);
        let jobs = start(&mut live, &orders, 1);
        live.on_progress(
            jobs[0],
            &page(&orders[0], 50, "2026-11-21T10:00:00Z", FetchState::Paused),
        );
        let mut pivot = plan();
        pivot.attribute = Some((
            crate::source::lookup::plan::LookupKey::AccessKeyId,
            "AKIAXPERSIST0BACKUP1".into(),
        ));
        let again = live.refetch(pivot.clone());
        assert_eq!(again.len(), 2);
        start(&mut live, &again, 3);
        assert!(again
            .iter()
            .all(|o| o.plan == pivot && o.window == window()));
        assert!(again
            .iter()
            .all(|o| o.resume.is_none() && o.base.events == 0));
        // Pages of the old plan still on their way are dropped.
        let late = page(&orders[1], 50, "2026-11-21T09:00:00Z", FetchState::Fetching);
        assert_eq!(live.on_progress(jobs[1], &late), Report::Stale);
    }

    #[test]
    fn until_a_count_asks_each_region_for_what_it_lacks() {
        let regions = ["eu-west-1".to_string()];
        let (mut live, orders) = LiveFetch::new(plan(), &regions, window(), Some(100), 500);
        assert_eq!(orders[0].max_events, Some(100));
        let jobs = start(&mut live, &orders, 1);
        live.on_progress(
            jobs[0],
            &page(&orders[0], 100, "2026-11-21T10:00:00Z", FetchState::Paused),
        );
        let next = live.until_count(250);
        assert_eq!(next[0].max_events, Some(150));
        assert_eq!(next[0].resume.as_deref(), Some("tok-eu-west-1-0"));
        let next_jobs = start(&mut live, &next, 2);
        live.on_progress(
            next_jobs[0],
            &page(&next[0], 150, "2026-11-21T09:00:00Z", FetchState::Paused),
        );
        assert!(live.until_count(250).is_empty());
    }
}
