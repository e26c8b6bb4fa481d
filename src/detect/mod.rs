//! Detections: rules run over every event as it arrives, from any source, and the findings
//! they raise. Sigma's single-event rules (shipped, `sigma`) and the user's (`user`) are
//! decided per event through the store's columns; trailscope's own rules (`own`) look across
//! events. Results go to `Store::hits` (what the filter, the table and the detail pane read)
//! minus what the user has suppressed.

pub mod attack;
pub(crate) mod cond;
pub mod findings;
mod own;
pub mod rule;
pub mod sigma;
mod subject;
pub mod suppress;
mod user;

pub use findings::Group;
pub use rule::{Origin, Rule, Severity};
pub use sigma::Skipped;
pub use suppress::Suppression;

use crate::filter::Compiled as Filter;
use crate::model::hits::RuleNo;
use crate::model::intern::Interner;
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use std::path::Path;
use subject::Subject;

/// Rules that fire on more than this share of the generator's ordinary trail are marked noisy
/// (BENCHMARKS.md, "Detections: noise").
pub const NOISY_SHARE: f64 = 0.001;

/// Rule ids measured noisy on the generator's 1M-event trail (no attack in it).
const NOISY: &[&str] = &[
    "aws_sts_assumerole_misuse",
    "ts_lambda_code_replaced",
    "aws_enum_buckets",
];

pub struct Detector {
    rules: Vec<Rule>,
    sigma: Vec<sigma::Compiled>,
    filters: Vec<user::FilterRule>,
    skipped: Vec<Skipped>,
    /// Sigma rules with no event-name gate: asked for every event.
    ungated: Vec<u16>,
    /// By event-name symbol: the Sigma rules whose gate that name passes.
    by_name: Vec<Option<Box<[u16]>>>,
    /// Events already run through the single-event rules.
    done: usize,
    /// (rule, event) raised by single-event rules.
    single: Vec<(RuleNo, EventIdx)>,
    /// (rule, event) raised by trailscope's rules at the last `refresh_own`.
    own: Vec<(RuleNo, EventIdx)>,
    own_at: usize,
    /// What the own rules read from raw records, so a run does not read them again.
    own_memo: own::Memo,
    suppressions: Vec<Suppression>,
}

/// trailscope's single-event rules, in the filter language (the format users write).
const OWN_FILTER_RULES: &str = include_str!("../../assets/detections/trailscope.toml");

fn shipped_rules() -> (Vec<sigma::Compiled>, Vec<user::FilterRule>, Vec<Skipped>) {
    let (sigma, mut skipped) = sigma::shipped();
    let mut own = user::UserRules::default();
    user::toml_rules(
        "trailscope.toml",
        OWN_FILTER_RULES,
        Origin::Trailscope,
        &mut own,
    );
    skipped.extend(own.skipped);
    (sigma, own.filters, skipped)
}

impl Detector {
    /// The shipped rules and the user's (from `rules/` in `config_dir`).
    pub fn new(config_dir: Option<&Path>) -> Detector {
        let (mut sigma, mut filters, mut skipped) = shipped_rules();
        let user = user::load(config_dir);
        sigma.extend(user.sigma);
        filters.extend(user.filters);
        skipped.extend(user.skipped);
        Detector::assemble(sigma, filters, skipped)
    }

    /// Only the shipped rules (tests).
    pub fn shipped() -> Detector {
        let (sigma, filters, skipped) = shipped_rules();
        Detector::assemble(sigma, filters, skipped)
    }

    fn assemble(
        sigma: Vec<sigma::Compiled>,
        filters: Vec<user::FilterRule>,
        skipped: Vec<Skipped>,
    ) -> Detector {
        let mut rules: Vec<Rule> = sigma.iter().map(|c| c.rule.clone()).collect();
        rules.extend(filters.iter().map(|f| f.rule.clone()));
        rules.extend(own::ALL.iter().map(|r| r.rule()));
        for r in &mut rules {
            r.noisy = NOISY.contains(&r.id.as_str());
        }
        let ungated = (0..sigma.len())
            .filter(|&n| sigma[n].cond.name_gate().is_none())
            .map(|n| n as u16)
            .collect();
        Detector {
            rules,
            sigma,
            filters,
            skipped,
            ungated,
            by_name: Vec::new(),
            done: 0,
            single: Vec::new(),
            own: Vec::new(),
            own_at: 0,
            own_memo: own::Memo::default(),
            suppressions: Vec::new(),
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, no: RuleNo) -> Option<&Rule> {
        self.rules.get(usize::from(no))
    }

    /// Rules (or files) not loaded, with why: said at start-up.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    pub fn suppressions(&self) -> &[Suppression] {
        &self.suppressions
    }

    /// Replaces the suppressions (a reopened investigation's) and republishes.
    pub fn set_suppressions(&mut self, store: &mut Store, list: Vec<Suppression>) {
        self.suppressions = list;
        self.publish(store);
    }

    pub fn suppress(&mut self, store: &mut Store, s: Suppression) {
        self.suppressions.retain(|old| old.scope() != s.scope());
        self.suppressions.push(s);
        self.publish(store);
    }

    /// Lifts the suppression with this scope; false when there was none.
    pub fn unsuppress(&mut self, store: &mut Store, scope: &str) -> bool {
        let before = self.suppressions.len();
        self.suppressions.retain(|s| s.scope() != scope);
        let changed = self.suppressions.len() != before;
        if changed {
            self.publish(store);
        }
        changed
    }

    /// Runs the single-event rules over the events that arrived since the last call, and
    /// trailscope's own rules over everything when `own_too` (they look across events, so they
    /// are run less often while events stream in). True when the findings changed.
    pub fn update(&mut self, store: &mut Store, now: EventTime, own_too: bool) -> bool {
        let before = (self.single.len(), self.own.len());
        let len = store.len();
        if self.done < len {
            self.run_single(store, self.done as EventIdx..len as EventIdx, now);
            self.done = len;
        }
        let mut own_changed = false;
        if own_too && self.own_at != len {
            let base = (self.sigma.len() + self.filters.len()) as RuleNo;
            let fresh: Vec<(RuleNo, EventIdx)> = own::run(store, &mut self.own_memo)
                .into_iter()
                .map(|(r, i)| (base + r as RuleNo, i))
                .collect();
            own_changed = fresh != self.own;
            self.own = fresh;
            self.own_at = len;
        }
        let changed = own_changed || (self.single.len(), self.own.len()) != before;
        match changed {
            false => {}
            // Only new events' findings: added, not everything rebuilt.
            true if !own_changed && store.hits.rule_count() == self.rules.len() => {
                self.publish_new(store, before.0)
            }
            true => self.publish(store),
        }
        changed
    }

    /// How many events the cross-event rules last ran over.
    pub fn own_seen(&self) -> usize {
        self.own_at
    }

    /// Whether events arrived that the cross-event rules have not seen.
    pub fn own_due(&self, store: &Store) -> bool {
        self.own_at != store.len()
    }

    fn run_single(&mut self, store: &Store, range: std::ops::Range<EventIdx>, now: EventTime) {
        let mut found = Vec::new();
        for idx in range.clone() {
            let subject = Subject::new(store, idx);
            let slot = self.gate_slot(&subject);
            let gated = slot.and_then(|i| self.by_name[i].as_deref()).unwrap_or(&[]);
            for &n in gated.iter().chain(&self.ungated) {
                if self.sigma[usize::from(n)].cond.eval(&subject) {
                    found.push((n, idx));
                }
            }
        }
        self.single.extend(found);
        if !self.filters.is_empty() {
            let rows: Vec<EventIdx> = range.collect();
            let base = self.sigma.len();
            for (k, f) in self.filters.iter().enumerate() {
                let compiled = Filter::for_candidates(&f.expr, store, now);
                for idx in compiled.select(store, Some(&rows)) {
                    self.single.push(((base + k) as RuleNo, idx));
                }
            }
        }
    }

    /// Where the gated Sigma rules an event's name lets through are kept (decided once per
    /// name); `None` for an event without a name, which no gated rule can match.
    fn gate_slot(&mut self, s: &Subject) -> Option<usize> {
        let i = Interner::index_of(s.event.name?);
        if self.by_name.get(i).is_some_and(Option::is_some) {
            return Some(i);
        }
        let list: Box<[u16]> = self
            .sigma
            .iter()
            .enumerate()
            .filter(|(_, c)| c.cond.name_gate().is_some_and(|g| g.eval(s)))
            .map(|(n, _)| n as u16)
            .collect();
        if self.by_name.len() <= i {
            self.by_name.resize(i + 1, None);
        }
        self.by_name[i] = Some(list);
        Some(i)
    }

    /// Adds the single-event findings from `self.single[from..]` that are not suppressed.
    fn publish_new(&self, store: &mut Store, from: usize) {
        let pairs: Vec<(RuleNo, EventIdx)> = self.single[from..]
            .iter()
            .copied()
            .filter(|&(r, i)| !self.suppressed(store, r, i))
            .collect();
        store.hits.add(&pairs);
    }

    /// Writes what is not suppressed into the store's hits.
    fn publish(&self, store: &mut Store) {
        let ids: Vec<Box<str>> = self.rules.iter().map(|r| r.id.as_str().into()).collect();
        let pairs: Vec<(RuleNo, EventIdx)> = self
            .single
            .iter()
            .chain(&self.own)
            .copied()
            .filter(|&(r, i)| !self.suppressed(store, r, i))
            .collect();
        store.hits.set(ids, &pairs);
    }

    fn suppressed(&self, store: &Store, rule: RuleNo, idx: EventIdx) -> bool {
        if self.suppressions.is_empty() {
            return false;
        }
        let e = store.event(idx);
        let principal = store.text(Some(store.principal_name(e)));
        let role = store.text(e.identity.issuer_name);
        let id = self
            .rules
            .get(usize::from(rule))
            .map(|r| r.id.as_str())
            .unwrap_or("");
        self.suppressions
            .iter()
            .any(|s| s.covers(id, principal, role))
    }

    /// How many findings (events) each suppression quiets now.
    pub fn suppressed_counts(&self, store: &Store) -> Vec<usize> {
        self.suppressions
            .iter()
            .map(|s| {
                self.single
                    .iter()
                    .chain(&self.own)
                    .filter(|&&(r, i)| {
                        let e = store.event(i);
                        let id = self
                            .rules
                            .get(usize::from(r))
                            .map(|r| r.id.as_str())
                            .unwrap_or("");
                        s.covers(
                            id,
                            store.text(Some(store.principal_name(e))),
                            store.text(e.identity.issuer_name),
                        )
                    })
                    .count()
            })
            .collect()
    }

    /// The findings among `rows` (all events when `None`), grouped by rule then principal.
    pub fn groups(&self, store: &Store, rows: Option<&[EventIdx]>) -> Vec<Group> {
        findings::group(self, store, rows)
    }

    /// Every event that raised a finding (not suppressed), with the rules, for exports.
    pub fn rules_of(&self, store: &Store, idx: EventIdx) -> Vec<&Rule> {
        store
            .hits
            .of_event(idx)
            .iter()
            .filter_map(|&n| self.rule(n))
            .collect()
    }
}
