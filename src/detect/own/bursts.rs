//! Bursts: one key doing many things in minutes (discovery, refusals, secret reads).

use super::{millis, name_is, OwnRule, BURST_WINDOW, DENIED_COUNT, RECON_DISTINCT};
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

/// Sliding 5-minute windows over one key's calls.
pub(super) fn bursts(store: &Store, rows: &[EventIdx], hits: &mut Vec<(OwnRule, EventIdx)>) {
    // `terraform plan` reads every resource it manages in a minute or two, and services read
    // for the caller: neither is someone mapping the account.
    let mut by_agent: HashMap<(Option<Sym>, Option<Sym>), bool> = HashMap::new();
    let mut by_tool = |i: EventIdx| {
        let e = store.event(i);
        *by_agent
            .entry((e.user_agent, e.source_ip))
            .or_insert_with(|| {
                !matches!(
                    Agent::classify(store.text(e.user_agent), store.text(e.source_ip)),
                    Agent::Terraform | Agent::AwsService
                )
            })
    };
    let recon: Vec<EventIdx> = rows
        .iter()
        .copied()
        .filter(|&i| is_recon(store.text(store.event(i).name)) && by_tool(i))
        .collect();
    secret_reads(store, rows, hits);
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
        .filter(|&i| {
            store
                .event(i)
                .error_code
                .is_some_and(|c| is_denied(store.interner.resolve(c)))
        })
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
fn secret_reads(store: &Store, rows: &[EventIdx], hits: &mut Vec<(OwnRule, EventIdx)>) {
    let reads: Vec<EventIdx> = rows
        .iter()
        .copied()
        .filter(|&i| name_is(store, i, SECRET_READS) && !store.event(i).is_error())
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
