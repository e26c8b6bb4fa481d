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
