//! Which detection rules each event raised, kept beside the store by `detect` so that the
//! filter (`finding:`), the table's marker and the detail pane can ask without knowing rules.
//! Suppressed findings are not here: what a user has quieted neither marks nor matches.
//!
//! Most events that raise anything raise one rule, and on a noisy trail most events raise
//! one (81% of the generated 1M set): so each event's rule is one number in a dense column,
//! and only events with several rules take a list. A map from event to list cost about 48
//! bytes per event with a finding, 40 MB of the app's memory at 1M events.

use foldhash::HashMap;

/// In `Hits::one`: no rule, or several (then the event is in `Hits::many`).
const NONE: RuleNo = RuleNo::MAX;

/// An event's position in the store (`store::EventIdx`; named here so the store, which
/// holds the hits, and this module do not import each other).
type EventIdx = u32;

/// A rule's number in `Hits::rules`.
pub type RuleNo = u16;

#[derive(Default, Debug, Clone)]
pub struct Hits {
    /// Rule ids by number.
    rules: Vec<Box<str>>,
    /// Each rule's events, sorted by index.
    by_rule: Vec<Vec<EventIdx>>,
    /// By event index: the one rule the event raised, or `NONE`.
    one: Vec<RuleNo>,
    /// Events that raised several rules (or rule number `NONE` itself): all of them, sorted.
    many: HashMap<EventIdx, Vec<RuleNo>>,
    /// Bumped at every change, so views filtered on findings know to look again.
    generation: u64,
}

impl Hits {
    /// Replaces everything: `pairs` are (rule number, event), `rules` the ids by number.
    pub fn set(&mut self, rules: Vec<Box<str>>, pairs: &[(RuleNo, EventIdx)]) {
        let mut by_rule = vec![Vec::new(); rules.len()];
        let top = pairs
            .iter()
            .map(|&(_, i)| i as usize + 1)
            .max()
            .unwrap_or(0);
        self.one = vec![NONE; top];
        self.many = HashMap::default();
        for &(r, i) in pairs {
            if let Some(list) = by_rule.get_mut(usize::from(r)) {
                list.push(i);
                self.attach(i, r);
            }
        }
        for list in &mut by_rule {
            list.sort_unstable();
            list.dedup();
        }
        self.rules = rules;
        self.by_rule = by_rule;
        self.generation += 1;
    }

    /// Adds findings of events that just arrived, leaving the rest as it is: rebuilding
    /// everything for every batch of a load cost time in proportion to all findings so far
    /// (most of a 10M-event load's UI thread). Pairs may come in any order.
    pub fn add(&mut self, pairs: &[(RuleNo, EventIdx)]) {
        for &(r, i) in pairs {
            let Some(list) = self.by_rule.get_mut(usize::from(r)) else {
                continue;
            };
            match list.last() {
                Some(&last) if last >= i => {
                    if let Err(at) = list.binary_search(&i) {
                        list.insert(at, i);
                    }
                }
                _ => list.push(i),
            }
            self.attach(i, r);
        }
        self.generation += 1;
    }

    /// Records that event `i` raised rule `r` (once, however often it is told).
    fn attach(&mut self, i: EventIdx, r: RuleNo) {
        let slot = i as usize;
        if self.one.len() <= slot {
            self.one.resize(slot + 1, NONE);
        }
        // An event is in `many` only while its entry in `one` is `NONE`: most calls (an
        // event's first rule, or the same one again) never look in the map.
        match self.one[slot] {
            held if held == r && r != NONE => {}
            NONE => match self.many.get_mut(&i) {
                Some(rules) => {
                    if let Err(at) = rules.binary_search(&r) {
                        rules.insert(at, r);
                    }
                }
                None if r != NONE => self.one[slot] = r,
                None => {
                    self.many.insert(i, vec![r]);
                }
            },
            held => {
                self.one[slot] = NONE;
                self.many.insert(i, vec![held.min(r), held.max(r)]);
            }
        }
    }

    /// Heap bytes (for memory reports).
    pub(crate) fn heap_bytes(&self) -> usize {
        let lists: usize = self.by_rule.iter().map(|l| l.capacity() * 4).sum();
        let many: usize = self.many.values().map(|l| l.capacity() * 2).sum();
        lists + self.one.capacity() * 2 + self.many.capacity() * 33 + many
    }

    /// How many rules the hits are numbered for.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn is_empty(&self) -> bool {
        self.by_rule.iter().all(Vec::is_empty)
    }

    /// The rules `idx` raised, by number, sorted.
    pub fn of_event(&self, idx: EventIdx) -> &[RuleNo] {
        match self.one.get(idx as usize) {
            Some(r) if *r != NONE => std::slice::from_ref(r),
            Some(_) => self.many.get(&idx).map(Vec::as_slice).unwrap_or(&[]),
            None => &[],
        }
    }

    pub fn rule_id(&self, no: RuleNo) -> &str {
        self.rules.get(usize::from(no)).map(|s| &**s).unwrap_or("")
    }

    /// Events that raised any rule whose id `pred` accepts, sorted by index.
    pub fn events_where(&self, pred: impl Fn(&str) -> bool) -> Vec<EventIdx> {
        let mut out: Vec<EventIdx> = self
            .rules
            .iter()
            .zip(&self.by_rule)
            .filter(|(id, _)| pred(id))
            .flat_map(|(_, rows)| rows.iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod add_tests {
    use super::*;

    /// Findings added batch by batch read back as those set all at once.
    #[test]
    fn adding_batches_equals_setting_everything() {
        let rules: Vec<Box<str>> = vec!["a".into(), "b".into(), "c".into()];
        let pairs: Vec<(RuleNo, EventIdx)> = (0..300u32)
            .flat_map(|i| [((i % 3) as RuleNo, i), ((i * 7 % 3) as RuleNo, i / 2)])
            .chain([(9, 5), (1, 4), (1, 4)])
            .collect();
        let mut whole = Hits::default();
        whole.set(rules.clone(), &pairs);
        let mut batched = Hits::default();
        batched.set(rules, &pairs[..40]);
        for chunk in pairs[40..].chunks(37) {
            batched.add(chunk);
        }
        for i in 0..300 {
            assert_eq!(whole.of_event(i), batched.of_event(i), "event {i}");
        }
        for id in ["a", "b", "c"] {
            assert_eq!(
                whole.events_where(|r| r == id),
                batched.events_where(|r| r == id)
            );
        }
        assert_eq!(whole.by_rule, batched.by_rule);
        assert_eq!(batched.rule_count(), 3);
    }

    /// One rule, several, none, past the last event, and the rule whose number is the
    /// column's "none or several" mark: each reads back as it was told, sorted, once.
    #[test]
    fn each_event_reads_back_its_rules() {
        let rules: Vec<Box<str>> = (0..=u32::from(NONE))
            .map(|n| n.to_string().into())
            .collect();
        let pairs = [
            (7, 1),
            (3, 2),
            (9, 2),
            (3, 2),
            (1, 2),
            (NONE, 4),
            (NONE, 5),
            (2, 5),
        ];
        let mut hits = Hits::default();
        hits.set(rules.clone(), &pairs);
        let mut batched = Hits::default();
        batched.set(rules, &[]);
        assert!(batched.is_empty());
        for pair in pairs {
            batched.add(&[pair]);
        }
        for h in [&hits, &batched] {
            assert_eq!(h.of_event(0), &[] as &[RuleNo]);
            assert_eq!(h.of_event(1), &[7]);
            assert_eq!(h.of_event(2), &[1, 3, 9]);
            assert_eq!(h.of_event(3), &[] as &[RuleNo]);
            assert_eq!(h.of_event(4), &[NONE]);
            assert_eq!(h.of_event(5), &[2, NONE]);
            assert_eq!(h.of_event(6), &[] as &[RuleNo]);
            assert_eq!(h.of_event(u32::MAX), &[] as &[RuleNo]);
            assert!(!h.is_empty());
        }
    }
}
