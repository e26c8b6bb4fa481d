//! Which detection rules each event raised, kept beside the store by `detect` so that the
//! filter (`finding:`), the table's marker and the detail pane can ask without knowing rules.
//! Suppressed findings are not here: what a user has quieted neither marks nor matches.

use foldhash::HashMap;

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
    by_event: HashMap<EventIdx, Vec<RuleNo>>,
    /// Bumped at every change, so views filtered on findings know to look again.
    generation: u64,
}

impl Hits {
    /// Replaces everything: `pairs` are (rule number, event), `rules` the ids by number.
    pub fn set(&mut self, rules: Vec<Box<str>>, pairs: &[(RuleNo, EventIdx)]) {
        let mut by_rule = vec![Vec::new(); rules.len()];
        let mut by_event: HashMap<EventIdx, Vec<RuleNo>> = HashMap::default();
        for &(r, i) in pairs {
            if let Some(list) = by_rule.get_mut(usize::from(r)) {
                list.push(i);
                by_event.entry(i).or_default().push(r);
            }
        }
        for list in &mut by_rule {
            list.sort_unstable();
            list.dedup();
        }
        for list in by_event.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        self.rules = rules;
        self.by_rule = by_rule;
        self.by_event = by_event;
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
            let rules = self.by_event.entry(i).or_default();
            if let Err(at) = rules.binary_search(&r) {
                rules.insert(at, r);
            }
        }
        self.generation += 1;
    }

    /// How many rules the hits are numbered for.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn is_empty(&self) -> bool {
        self.by_event.is_empty()
    }

    /// The rules `idx` raised, by number.
    pub fn of_event(&self, idx: EventIdx) -> &[RuleNo] {
        self.by_event.get(&idx).map(Vec::as_slice).unwrap_or(&[])
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
}
