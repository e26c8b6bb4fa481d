//! Bursts: one key doing many things in minutes (discovery, refusals, secret reads).

use super::{millis, OwnRule, BURST_WINDOW, DENIED_COUNT, RECON_DISTINCT};
use crate::model::columns::{Col, ValueSet};
use crate::model::intern::Sym;
use crate::model::store::{EventIdx, Store};
use crate::profile::Agent;
use foldhash::{HashMap, HashMapExt, HashSet};

fn is_recon(name: &str) -> bool {
    ["List", "Describe", "Get"]
        .iter()
        .any(|p| name.starts_with(p))
}

fn is_denied(code: &str) -> bool {
    code.contains("AccessDenied") || code.contains("Unauthorized") || code == "Forbidden"
}

fn is_secret_read(name: &str) -> bool {
    SECRET_READS.contains(&name)
}

/// The names and error codes bursts look for, as a bit per code of their columns, and the
/// tools in a person's hands: decided once per value and run of the rules, not once per
/// event (every key's events are read again on every run).
pub(super) struct Sought {
    recon: ValueSet,
    secret_read: ValueSet,
    denied: ValueSet,
    /// Whether a user agent from an address is a person's tool, by (agent, address): decided
    /// once per run for all keys. `terraform plan` reads every resource it manages in a
    /// minute or two, and services read for the caller: neither is someone mapping the
    /// account.
    by_hand: HashMap<(Option<Sym>, Option<Sym>), bool>,
}

impl Sought {
    pub(super) fn new(store: &Store) -> Sought {
        let set = |col, test: fn(&str) -> bool| {
            store
                .columns
                .value_set(col, |s| test(store.interner.resolve(s)))
        };
        Sought {
            recon: set(Col::Name, is_recon),
            secret_read: set(Col::Name, is_secret_read),
            denied: set(Col::ErrorCode, is_denied),
            by_hand: HashMap::new(),
        }
    }

    /// Whether event `i` was made with a tool in a person's hands (not Terraform, not a
    /// service). Agent and address are read from their columns, which a key's events in
    /// storage order walk forward, not from the events themselves (208 bytes each).
    fn by_hand(&mut self, store: &Store, i: EventIdx) -> bool {
        let ua = store.columns.get(Col::UserAgent, i);
        let ip = store.columns.get(Col::SourceIp, i);
        *self.by_hand.entry((ua, ip)).or_insert_with(|| {
            !matches!(
                Agent::classify(store.text(ua), store.text(ip)),
                Agent::Terraform | Agent::AwsService
            )
        })
    }

    fn holds(store: &Store, col: Col, i: EventIdx, set: &ValueSet, test: fn(&str) -> bool) -> bool {
        store
            .columns
            .holds(col, i, set, |s| test(store.interner.resolve(s)))
    }

    fn recon(&self, store: &Store, i: EventIdx) -> bool {
        Sought::holds(store, Col::Name, i, &self.recon, is_recon)
    }

    fn secret_read(&self, store: &Store, i: EventIdx) -> bool {
        Sought::holds(store, Col::Name, i, &self.secret_read, is_secret_read)
    }

    fn denied(&self, store: &Store, i: EventIdx) -> bool {
        Sought::holds(store, Col::ErrorCode, i, &self.denied, is_denied)
    }
}

/// Sliding 5-minute windows over one key's calls.
pub(super) fn bursts(
    store: &Store,
    sought: &mut Sought,
    rows: &[EventIdx],
    hits: &mut Vec<(OwnRule, EventIdx)>,
) {
    let recon: Vec<EventIdx> = rows
        .iter()
        .copied()
        .filter(|&i| sought.recon(store, i) && sought.by_hand(store, i))
        .collect();
    secret_reads(store, sought, rows, hits);
    if recon.len() >= RECON_DISTINCT {
        let mut counts: HashMap<Option<Sym>, usize> = HashMap::new();
        let mut lo = 0;
        let mut flagged_to = 0;
        for hi in 0..recon.len() {
            *counts.entry(store.event(recon[hi]).name).or_default() += 1;
            while millis(store, recon[hi]) - millis(store, recon[lo]) > BURST_WINDOW {
                let name = store.event(recon[lo]).name;
                if let Some(c) = counts.get_mut(&name) {
                    *c -= 1;
                    if *c == 0 {
                        counts.remove(&name);
                    }
                }
                lo += 1;
            }
            if counts.len() >= RECON_DISTINCT {
                for &i in &recon[lo.max(flagged_to)..=hi] {
                    hits.push((OwnRule::ReconBurst, i));
                }
                flagged_to = hi + 1;
            }
        }
    }
    let denied: Vec<EventIdx> = rows
        .iter()
        .copied()
        .filter(|&i| sought.denied(store, i))
        .collect();
    let mut lo = 0;
    let mut flagged_to = 0;
    for hi in 0..denied.len() {
        while millis(store, denied[hi]) - millis(store, denied[lo]) > BURST_WINDOW {
            lo += 1;
        }
        if hi + 1 - lo >= DENIED_COUNT {
            for &i in &denied[lo.max(flagged_to)..=hi] {
                hits.push((OwnRule::DeniedStorm, i));
            }
            flagged_to = hi + 1;
        }
    }
}

const SECRET_READS: &[&str] = &[
    "GetSecretValue",
    "GetParameter",
    "GetParameters",
    "GetParametersByPath",
];
/// Distinct secrets (or parameter sets) one key reads in `BURST_WINDOW` that make a harvest.
const SECRETS_DISTINCT: usize = 5;

/// One key reading many different secrets in minutes (an application reads its own few).
fn secret_reads(
    store: &Store,
    sought: &Sought,
    rows: &[EventIdx],
    hits: &mut Vec<(OwnRule, EventIdx)>,
) {
    let reads: Vec<EventIdx> = rows
        .iter()
        .copied()
        .filter(|&i| sought.secret_read(store, i) && !store.event(i).is_error())
        .collect();
    let mut lo = 0;
    let mut flagged_to = 0;
    for hi in 0..reads.len() {
        while millis(store, reads[hi]) - millis(store, reads[lo]) > BURST_WINDOW {
            lo += 1;
        }
        let distinct: HashSet<(Option<Sym>, Option<Sym>)> = reads[lo..=hi]
            .iter()
            .map(|&i| (store.event(i).name, store.event(i).target))
            .collect();
        if distinct.len() >= SECRETS_DISTINCT {
            for &i in &reads[lo.max(flagged_to)..=hi] {
                hits.push((OwnRule::SecretHarvest, i));
            }
            flagged_to = hi + 1;
        }
    }
}
