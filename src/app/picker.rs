//! The facet picker: values of one field over the current view with their counts, narrowed
//! by fuzzy search. Picking adds `field:=value` (exact) to the filter.

use crate::filter::facet::{counts, Facet, FacetValue};
use crate::model::store::{EventIdx, Store};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

pub struct FacetPicker {
    pub facet: Facet,
    pub query: String,
    pub cursor: usize,
    values: Vec<FacetValue>,
    /// Indices into `values` that match the query, best first.
    pub shown: Vec<usize>,
}

impl FacetPicker {
    pub fn open(store: &Store, rows: &[EventIdx], facet: Facet) -> FacetPicker {
        let mut p = FacetPicker {
            facet,
            query: String::new(),
            cursor: 0,
            values: counts(store, rows, facet),
            shown: Vec::new(),
        };
        p.refilter(store);
        p
    }

    pub fn value(&self, i: usize) -> Option<&FacetValue> {
        self.shown.get(i).and_then(|&v| self.values.get(v))
    }

    pub fn total(&self) -> usize {
        self.values.len()
    }

    /// Next (or previous) facet, recounted over the same rows.
    pub fn switch(&mut self, store: &Store, rows: &[EventIdx], forward: bool) {
        let all = Facet::ALL;
        let i = all.iter().position(|&f| f == self.facet).unwrap_or(0);
        let next = if forward {
            (i + 1) % all.len()
        } else {
            (i + all.len() - 1) % all.len()
        };
        *self = FacetPicker::open(store, rows, all[next]);
    }

    pub fn type_char(&mut self, store: &Store, c: char) {
        self.query.push(c);
        self.refilter(store);
    }

    pub fn backspace(&mut self, store: &Store) {
        self.query.pop();
        self.refilter(store);
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Count order with no query; best fuzzy score (then count) with one.
    fn refilter(&mut self, store: &Store) {
        self.cursor = 0;
        if self.query.is_empty() {
            self.shown = (0..self.values.len()).collect();
            return;
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize)> = self
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                matcher
                    .fuzzy_match(store.interner.resolve(v.sym), &self.query)
                    .map(|score| (score, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.shown = scored.into_iter().map(|(_, i)| i).collect();
    }
}
