//! String interning: the same principal, region or event name repeated across a million
//! events is stored once and referenced by a 4-byte `Sym`.

use foldhash::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

/// A handle to an interned string. `NonZeroU32` makes `Option<Sym>` as small as `Sym`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Sym(NonZeroU32);

#[derive(Default, Debug)]
pub struct Interner {
    map: HashMap<Arc<str>, Sym>,
    strings: Vec<Arc<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let arc: Arc<str> = Arc::from(s);
        self.strings.push(arc.clone());
        // Index + 1 is never zero; more than u32::MAX distinct strings cannot fit in memory anyway.
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        let sym = Sym(NonZeroU32::MIN.saturating_add(id - 1));
        self.map.insert(arc, sym);
        sym
    }

    pub fn intern_opt(&mut self, s: Option<&str>) -> Option<Sym> {
        s.filter(|s| !s.is_empty()).map(|s| self.intern(s))
    }

    /// Looks a string up without adding it: a filter for a value never seen matches nothing.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings
            .get(sym.0.get() as usize - 1)
            .map(|s| &**s)
            .unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Every interned string with its handle, in the order first seen.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> + '_ {
        self.strings
            .iter()
            .enumerate()
            .map(|(i, s)| (Sym(NonZeroU32::MIN.saturating_add(i as u32)), &**s))
    }

    /// A dense index for `sym`, for tables indexed by symbol (bit sets, sort ranks).
    pub fn index_of(sym: Sym) -> usize {
        sym.0.get() as usize - 1
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Heap bytes: each string (with its `Arc` counts), the list and the map.
    pub(crate) fn heap_bytes(&self) -> usize {
        let texts: usize = self.strings.iter().map(|s| s.len() + 16).sum();
        texts + self.strings.capacity() * 16 + self.map.capacity() * (16 + 4 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_string_same_sym() {
        let mut i = Interner::default();
        let a = i.intern("us-east-1");
        let b = i.intern("eu-west-1");
        assert_eq!(a, i.intern("us-east-1"));
        assert_ne!(a, b);
        assert_eq!(i.resolve(b), "eu-west-1");
        assert_eq!(i.len(), 2);
        assert_eq!(i.intern_opt(Some("")), None);
        assert_eq!(std::mem::size_of::<Option<Sym>>(), 4);
    }
}
