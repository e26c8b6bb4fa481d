//! A set of interned strings as a bit set: a field condition is decided once per distinct
//! value, then tested per event with one load, which is what makes a million rows cheap.

use crate::model::intern::{Interner, Sym};

#[derive(Clone, Debug, Default)]
pub struct SymSet {
    bits: Vec<u64>,
    count: usize,
}

impl SymSet {
    /// The strings of `interner` that satisfy `pred`.
    pub fn from_pred(interner: &Interner, mut pred: impl FnMut(&str) -> bool) -> SymSet {
        let mut set = SymSet {
            bits: vec![0; interner.len().div_ceil(64)],
            count: 0,
        };
        for (sym, text) in interner.iter() {
            if pred(text) {
                set.insert(sym);
            }
        }
        set
    }

    /// The symbols among `candidates` whose text satisfies `pred`.
    pub fn from_candidates<'a>(
        interner: &Interner,
        candidates: impl IntoIterator<Item = &'a Sym>,
        mut pred: impl FnMut(&str) -> bool,
    ) -> SymSet {
        let mut set = SymSet {
            bits: vec![0; interner.len().div_ceil(64)],
            count: 0,
        };
        for &sym in candidates {
            if pred(interner.resolve(sym)) {
                set.insert(sym);
            }
        }
        set
    }

    pub fn single(interner: &Interner, sym: Option<Sym>) -> SymSet {
        let mut set = SymSet {
            bits: vec![0; interner.len().div_ceil(64)],
            count: 0,
        };
        if let Some(s) = sym {
            set.insert(s);
        }
        set
    }

    pub(super) fn insert(&mut self, sym: Sym) {
        let i = Interner::index_of(sym);
        if let Some(word) = self.bits.get_mut(i / 64) {
            if *word & (1 << (i % 64)) == 0 {
                *word |= 1 << (i % 64);
                self.count += 1;
            }
        }
    }

    #[inline]
    pub fn contains(&self, sym: Option<Sym>) -> bool {
        let Some(sym) = sym else { return false };
        let i = Interner::index_of(sym);
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}
