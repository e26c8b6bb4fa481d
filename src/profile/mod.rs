//! The profile of a view (usually a pivot: one key, one IP, one principal): when it was active,
//! how much, what failed, read against write, from where, with what, in which regions and
//! accounts, and what it called most (the playbook's "count activity by role"). Values the
//! view's principals had not used before are marked first-seen: a new IP, user agent, region
//! or API for a known principal is how an intruder stands out. What it moved through S3
//! (bytes, objects read and deleted) is `transfer`.

mod agent;
pub mod timeline;
mod transfer;

pub use agent::Agent;
pub use transfer::Transfer;

use crate::model::store::{EventIdx, IndexedField, Store};
use crate::model::time::EventTime;
use std::collections::{HashMap, HashSet};

/// Rows of each top list.
const TOP: usize = 8;
/// With no activity before the view, the principals' first day is their baseline.
const BASELINE_MS: i64 = 24 * 3_600_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub events: usize,
    pub first: Option<EventTime>,
    pub last: Option<EventTime>,
    pub errors: usize,
    /// AccessDenied, UnauthorizedOperation and their kin, counted apart from other errors.
    pub denied: usize,
    pub reads: usize,
    pub writes: usize,
    /// Bytes and distinct objects read, written and deleted through S3.
    pub s3: Transfer,
    pub principals: Vec<Count>,
    pub ips: Vec<Count>,
    pub agents: Vec<Count>,
    pub regions: Vec<Count>,
    pub accounts: Vec<Count>,
    /// `eventSource eventName`, most frequent first.
    pub calls: Vec<Count>,
    /// Detection rules the view's events raised (rule id, events), most first.
    pub findings: Vec<Count>,
    /// What the baseline for first-seen markers was, in words.
    pub baseline: String,
}

/// A value, how often it occurs in the view, and since when, if it is new for the principals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub value: String,
    pub count: usize,
    /// For a value new to the view's principals (see `Profile::baseline`): its first use.
    pub first_seen: Option<EventTime>,
}

/// Which field a list counts.
#[derive(Copy, Clone)]
enum Dim {
    Ip,
    Agent,
    Region,
    Call,
}

impl Profile {
    pub fn of(store: &Store, rows: &[EventIdx]) -> Profile {
        let mut p = Profile {
            events: rows.len(),
            ..Profile::default()
        };
        let times = rows
            .iter()
            .map(|&i| store.event(i).time)
            .filter(|t| t.is_known());
        p.first = times.clone().min();
        p.last = times.max();
        for &i in rows {
            let e = store.event(i);
            if let Some(code) = e.error_code {
                p.errors += 1;
                if is_denied(store.text(Some(code))) {
                    p.denied += 1;
                }
            }
            match e.read_only {
                Some(true) => p.reads += 1,
                Some(false) => p.writes += 1,
                None => {}
            }
        }
        p.s3 = Transfer::of(store, rows);
        let baseline = Baseline::new(store, rows, p.first);
        p.baseline = baseline.describe.clone();
        p.principals = top(
            rows.iter().map(|&i| {
                store
                    .text(Some(store.principal_name(store.event(i))))
                    .to_string()
            }),
            |_| None,
        );
        p.findings = top(
            rows.iter().flat_map(|&i| {
                store
                    .hits
                    .of_event(i)
                    .iter()
                    .map(|&r| store.hits.rule_id(r).to_string())
            }),
            |_| None,
        );
        p.accounts = top(
            rows.iter()
                .map(|&i| store.text(store.event(i).account).to_string()),
            |_| None,
        );
        for (dim, out) in [
            (Dim::Ip, &mut p.ips),
            (Dim::Agent, &mut p.agents),
            (Dim::Region, &mut p.regions),
            (Dim::Call, &mut p.calls),
        ] {
            let values = rows.iter().map(|&i| value(store, i, dim));
            *out = top(values, |v| baseline.first_seen(dim, v));
        }
        p
    }
}

impl Profile {
    /// Lines the pane draws (see ui::profile): three of figures (four with S3 transfers),
    /// then a title, a blank and the rows of each list.
    pub fn line_count(&self) -> usize {
        let lists = [
            &self.principals,
            &self.ips,
            &self.agents,
            &self.regions,
            &self.accounts,
            &self.calls,
        ];
        let figures = if self.s3.is_empty() { 3 } else { 4 };
        let findings = match self.findings.len() {
            0 => 0,
            n => n + 2,
        };
        figures + findings + lists.iter().map(|l| l.len() + 2).sum::<usize>()
    }
}

fn is_denied(code: &str) -> bool {
    code.contains("AccessDenied") || code.contains("Unauthorized") || code == "Forbidden"
}

fn value(store: &Store, i: EventIdx, dim: Dim) -> String {
    let e = store.event(i);
    match dim {
        Dim::Ip => store.text(e.source_ip).to_string(),
        Dim::Agent => Agent::classify(store.text(e.user_agent), store.text(e.source_ip)).label(),
        Dim::Region => store.text(e.region).to_string(),
        Dim::Call => format!(
            "{} {}",
            store.text(e.source).trim_end_matches(".amazonaws.com"),
            store.text(e.name)
        ),
    }
}

/// The most frequent values first (ties by value), with first-seen times where new.
fn top(
    values: impl Iterator<Item = String>,
    new_since: impl Fn(&str) -> Option<EventTime>,
) -> Vec<Count> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for v in values.filter(|v| !v.is_empty()) {
        *counts.entry(v).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // New values matter even when rare: keep them in the list past the top few.
    let mut out: Vec<Count> = Vec::new();
    for (value, count) in list {
        let first_seen = new_since(&value);
        if out.len() < TOP || first_seen.is_some() && out.len() < TOP * 3 {
            out.push(Count {
                value,
                count,
                first_seen,
            });
        }
    }
    out
}

/// What the view's principals did before: values they used successfully there are not new.
struct Baseline {
    before: EventTime,
    seen: [HashSet<String>; 4],
    /// When each value was first used by the principals, for the markers.
    first_use: [HashMap<String, EventTime>; 4],
    describe: String,
}

impl Baseline {
    fn new(store: &Store, rows: &[EventIdx], view_first: Option<EventTime>) -> Baseline {
        let principals: HashSet<&str> = rows
            .iter()
            .map(|&i| store.text(Some(store.event(i).principal)))
            .collect();
        let mut history: Vec<EventIdx> = principals
            .iter()
            .flat_map(|p| store.lookup(IndexedField::Principal, p).iter().copied())
            .collect();
        history.sort_unstable();
        history.dedup();
        let start = view_first.unwrap_or(EventTime::UNKNOWN);
        let earlier = history.iter().any(|&i| store.event(i).time < start);
        let (before, describe) = if earlier {
            (
                start,
                format!(
                    "new: not used by these principals before {}",
                    start.format_utc()
                ),
            )
        } else {
            let first = history
                .iter()
                .map(|&i| store.event(i).time)
                .filter(|t| t.is_known())
                .min()
                .unwrap_or(start);
            let end =
                EventTime::from_millis(first.millis().unwrap_or(0).saturating_add(BASELINE_MS));
            (
                end,
                format!(
                    "new: not used by these principals in their first 24 h (to {})",
                    end.format_utc()
                ),
            )
        };
        let mut b = Baseline {
            before,
            seen: Default::default(),
            first_use: Default::default(),
            describe,
        };
        for &i in &history {
            let t = store.event(i).time;
            // Only a use that worked is prior use: an attacker's own failed logins from an
            // address minutes before the one that succeeded must not make that address old.
            let succeeded = !store.event(i).is_error();
            for (k, dim) in [Dim::Ip, Dim::Agent, Dim::Region, Dim::Call]
                .into_iter()
                .enumerate()
            {
                let v = value(store, i, dim);
                if t < b.before && succeeded {
                    b.seen[k].insert(v.clone());
                }
                let first = b.first_use[k].entry(v).or_insert(t);
                *first = (*first).min(t);
            }
        }
        b
    }

    /// When `value` was first used (tried, even if that failed), if it had not been used
    /// successfully before the baseline. Without failures in the history this is a use
    /// after the baseline; with them, a value only tried before it is still new.
    fn first_seen(&self, dim: Dim, value: &str) -> Option<EventTime> {
        let k = dim as usize;
        if self.seen[k].contains(value) {
            return None;
        }
        self.first_use[k].get(value).copied()
    }
}
