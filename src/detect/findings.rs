//! Findings as a responder reads them: grouped by rule, then by principal, with how many
//! events, when first and last; the worst first (severity, then rules not marked noisy, then
//! the most events).

use super::Detector;
use crate::model::hits::RuleNo;
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub rule: RuleNo,
    /// The principal as the table shows it.
    pub principal: String,
    /// The events, oldest first.
    pub events: Vec<EventIdx>,
    pub first: EventTime,
    pub last: EventTime,
}

pub(crate) fn group(d: &Detector, store: &Store, rows: Option<&[EventIdx]>) -> Vec<Group> {
    let mut by: HashMap<(RuleNo, &str), Vec<EventIdx>> = HashMap::new();
    let mut add = |i: EventIdx| {
        for &r in store.hits.of_event(i) {
            let who = store.text(Some(store.principal_name(store.event(i))));
            by.entry((r, who)).or_default().push(i);
        }
    };
    match rows {
        Some(rows) => rows.iter().copied().for_each(&mut add),
        None => (0..store.len() as EventIdx).for_each(&mut add),
    }
    let rank = store.time_rank();
    let mut groups: Vec<Group> = by
        .into_iter()
        .map(|((rule, who), mut events)| {
            events.sort_unstable_by_key(|&i| rank[i as usize]);
            events.dedup();
            let times = events
                .iter()
                .map(|&i| store.event(i).time)
                .filter(|t| t.is_known());
            Group {
                rule,
                principal: who.to_string(),
                first: times.clone().min().unwrap_or(EventTime::UNKNOWN),
                last: times.max().unwrap_or(EventTime::UNKNOWN),
                events,
            }
        })
        .collect();
    // Whole rules stay together (by severity, then the rule's event count), principals
    // within them by their count.
    let mut rule_events: HashMap<RuleNo, usize> = HashMap::new();
    for g in &groups {
        *rule_events.entry(g.rule).or_default() += g.events.len();
    }
    groups.sort_by_key(|g| {
        let r = d.rule(g.rule);
        (
            std::cmp::Reverse(r.map(|r| r.severity)),
            r.is_some_and(|r| r.noisy),
            std::cmp::Reverse(rule_events.get(&g.rule).copied().unwrap_or(0)),
            g.rule,
            std::cmp::Reverse(g.events.len()),
            g.principal.clone(),
        )
    });
    groups
}
