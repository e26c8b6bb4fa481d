//! One filterable field's values, one per event, as narrow as the field allows. Most fields
//! hold few distinct values (8 regions, 14 services, 67 event names in a generated million),
//! so an event's value is a 1- or 2-byte code into the column's list of distinct values, not
//! a 4-byte symbol: at 10M events that is half a gigabyte. A column widens once as values
//! appear (to 2 bytes past 255, to symbols past 65,535), copying itself once each time.

use crate::model::intern::{Interner, Sym};
use foldhash::HashMap;

#[derive(Debug, Default)]
pub(super) struct Cells {
    codes: Codes,
    /// The distinct values, in order of first appearance. Code `k` is `distinct[k - 1]`;
    /// code 0 is "no value".
    distinct: Vec<Sym>,
    /// Each distinct value's code, while `codes` holds codes.
    code_of: HashMap<Sym, u32>,
    /// Which symbols occur (a bit per interned string), once `codes` holds symbols.
    seen: Vec<u64>,
}

/// A condition's values in one column, a bit per code (`Columns::value_set`).
#[derive(Clone, Debug, Default)]
pub struct ValueSet {
    bits: Vec<u64>,
    /// Codes below this were decided when the set was built; later ones were not.
    covered: usize,
}

impl ValueSet {
    #[inline]
    fn bit(&self, code: u32) -> Option<bool> {
        let c = code as usize;
        (c < self.covered).then(|| {
            self.bits
                .get(c / 64)
                .is_some_and(|w| w & (1 << (c % 64)) != 0)
        })
    }
}

#[derive(Debug, Default)]
enum Codes {
    /// Nothing has filled the column yet: it holds nothing, whatever the store's length (a
    /// trail without Identity Center never fills its three columns).
    #[default]
    Empty,
    Byte(Vec<u8>),
    Short(Vec<u16>),
    Syms(Vec<Option<Sym>>),
}

impl Cells {
    /// Appends the value of event `len` (the number of events pushed before it).
    pub(super) fn push(&mut self, len: usize, sym: Option<Sym>) {
        if let Codes::Empty = self.codes {
            if sym.is_none() {
                return;
            }
            // The column's first value: every event before it had none.
            self.codes = Codes::Byte(vec![0; len]);
        }
        let code = sym.map_or(0, |s| self.code(s));
        // `code` fits: `code` widened the column before handing out a wider one.
        match &mut self.codes {
            Codes::Byte(v) => v.push(code as u8),
            Codes::Short(v) => v.push(code as u16),
            Codes::Syms(v) => v.push(sym),
            Codes::Empty => {}
        }
    }

    /// `s`'s code, given out on its first appearance (0 once the column holds symbols).
    fn code(&mut self, s: Sym) -> u32 {
        if let Codes::Syms(_) = self.codes {
            self.note_seen(s);
            return 0;
        }
        if let Some(&code) = self.code_of.get(&s) {
            return code;
        }
        self.distinct.push(s);
        let code = self.distinct.len() as u32;
        if code > u32::from(u16::MAX) {
            self.widen_to_syms();
            return 0;
        }
        if code > u32::from(u8::MAX) {
            if let Codes::Byte(v) = &self.codes {
                self.codes = Codes::Short(v.iter().map(|&c| u16::from(c)).collect());
            }
        }
        self.code_of.insert(s, code);
        code
    }

    /// Past 65,535 distinct values, codes cost as much as symbols and a lookup more.
    fn widen_to_syms(&mut self) {
        let syms = match &self.codes {
            Codes::Short(v) => v.iter().map(|&c| self.decode(u32::from(c))).collect(),
            Codes::Byte(v) => v.iter().map(|&c| self.decode(u32::from(c))).collect(),
            Codes::Syms(_) | Codes::Empty => return,
        };
        self.codes = Codes::Syms(syms);
        self.code_of = HashMap::default();
        let distinct = std::mem::take(&mut self.distinct);
        for s in distinct {
            self.note_seen(s);
        }
    }

    fn note_seen(&mut self, s: Sym) {
        let i = Interner::index_of(s);
        if self.seen.len() <= i / 64 {
            self.seen.resize(i / 64 + 1, 0);
        }
        if self.seen[i / 64] & (1 << (i % 64)) == 0 {
            self.seen[i / 64] |= 1 << (i % 64);
            self.distinct.push(s);
        }
    }

    #[inline]
    fn decode(&self, code: u32) -> Option<Sym> {
        let i = code.checked_sub(1)?;
        self.distinct.get(i as usize).copied()
    }

    /// Event `idx`'s value (`None` past the end and for a column nothing has filled).
    #[inline]
    pub(super) fn get(&self, idx: usize) -> Option<Sym> {
        match &self.codes {
            Codes::Empty => None,
            Codes::Byte(v) => self.decode(u32::from(*v.get(idx)?)),
            Codes::Short(v) => self.decode(u32::from(*v.get(idx)?)),
            Codes::Syms(v) => v.get(idx).copied().flatten(),
        }
    }

    /// The values `wanted` picks, by code: empty once the column holds symbols.
    pub(super) fn value_set(&self, wanted: impl Fn(Sym) -> bool) -> ValueSet {
        if let Codes::Syms(_) = self.codes {
            return ValueSet::default();
        }
        let covered = self.distinct.len() + 1;
        let mut bits = vec![0u64; covered.div_ceil(64)];
        for (i, &s) in self.distinct.iter().enumerate() {
            if wanted(s) {
                bits[(i + 1) / 64] |= 1 << ((i + 1) % 64);
            }
        }
        ValueSet { bits, covered }
    }

    /// Whether event `idx` has a value in `set`; `wanted` decides the values `set` does not
    /// cover. An event without a value has none in any set.
    #[inline]
    pub(super) fn holds(&self, idx: usize, set: &ValueSet, wanted: impl Fn(Sym) -> bool) -> bool {
        let code = match &self.codes {
            Codes::Empty => return false,
            Codes::Byte(v) => v.get(idx).map(|&c| u32::from(c)),
            Codes::Short(v) => v.get(idx).map(|&c| u32::from(c)),
            Codes::Syms(v) => return v.get(idx).copied().flatten().is_some_and(wanted),
        };
        match code {
            None | Some(0) => false,
            Some(c) => match set.bit(c) {
                Some(b) => b,
                None => self.decode(c).is_some_and(wanted),
            },
        }
    }

    /// The distinct values, in order of first appearance.
    pub(super) fn distinct(&self) -> &[Sym] {
        &self.distinct
    }

    /// Heap bytes: the cells at their width, the distinct values and the lookup beside them.
    pub(super) fn heap_bytes(&self) -> usize {
        let cells = match &self.codes {
            Codes::Empty => 0,
            Codes::Byte(v) => v.capacity(),
            Codes::Short(v) => v.capacity() * 2,
            Codes::Syms(v) => v.capacity() * 4,
        };
        // A hash map entry is its key and value plus a control byte.
        let code_of = self.code_of.capacity() * 9;
        cells + self.distinct.capacity() * 4 + code_of + self.seen.capacity() * 8
    }

    /// How many bytes an event's value takes (0 for a column nothing has filled).
    #[cfg(test)]
    pub(super) fn width(&self) -> usize {
        match &self.codes {
            Codes::Empty => 0,
            Codes::Byte(_) => 1,
            Codes::Short(_) => 2,
            Codes::Syms(_) => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cells;
    use crate::model::intern::{Interner, Sym};

    /// 70,000 distinct values: past both widenings.
    fn many_values() -> Vec<Sym> {
        let mut interner = Interner::default();
        (0..70_000)
            .map(|i| interner.intern(&format!("v{i}")))
            .collect()
    }

    /// Values read back across both widenings, with gaps ("no value") before, between and
    /// after them, and the distinct list stays in order of first appearance.
    #[test]
    fn values_read_back_as_the_column_widens() {
        let syms = many_values();
        // After 3 events without a value, odd events hold the next new value, even ones none.
        let value = |i: usize| (i >= 3 && i % 2 == 1).then(|| syms[(i - 3) / 2]);
        let mut cells = Cells::default();
        let mut widths = Vec::new();
        for i in 0..(3 + 2 * syms.len()) {
            cells.push(i, value(i));
            if i < 3 {
                assert_eq!(cells.width(), 0, "event {i}");
            }
            widths.push(cells.width());
        }
        // Value 255 is the 256th: event 3 + 2 * 255.
        assert_eq!(widths[3 + 2 * 254], 1);
        assert_eq!(widths[3 + 2 * 255], 2);
        assert_eq!(widths[3 + 2 * 65_534], 2);
        assert_eq!(widths[3 + 2 * 65_535], 4);
        for i in 0..(3 + 2 * syms.len()) {
            assert_eq!(cells.get(i), value(i), "event {i}");
        }
        assert_eq!(cells.get(3 + 2 * syms.len()), None);
        assert_eq!(cells.distinct(), &syms[..]);
    }

    /// A repeated value keeps its code; the column stays a byte wide and lists it once.
    #[test]
    fn a_repeated_value_is_listed_once() {
        let mut interner = Interner::default();
        let (a, b) = (interner.intern("eu-west-1"), interner.intern("us-east-1"));
        let mut cells = Cells::default();
        for i in 0..1000 {
            cells.push(i, Some(if i % 3 == 0 { a } else { b }));
        }
        assert_eq!(cells.width(), 1);
        assert_eq!(cells.distinct(), &[a, b]);
        assert_eq!(
            (cells.get(0), cells.get(1), cells.get(999)),
            (Some(a), Some(b), Some(a))
        );
    }

    /// A set built early still answers for values that appeared after it (through `wanted`),
    /// and for every value once the column has widened to symbols.
    #[test]
    fn a_value_set_answers_for_values_added_after_it() {
        let syms = many_values();
        let wanted = |s: Sym| Interner::index_of(s) % 7 == 0;
        let mut cells = Cells::default();
        cells.push(0, None);
        cells.push(1, Some(syms[7]));
        cells.push(2, Some(syms[8]));
        let early = cells.value_set(wanted);
        for (i, &s) in syms.iter().enumerate() {
            cells.push(3 + i, Some(s));
            if i == 300 || i == 70_000 - 1 {
                let late = cells.value_set(wanted);
                for idx in 0..(4 + i) {
                    let expect = cells.get(idx).is_some_and(wanted);
                    assert_eq!(
                        cells.holds(idx, &early, wanted),
                        expect,
                        "early, event {idx}"
                    );
                    assert_eq!(cells.holds(idx, &late, wanted), expect, "late, event {idx}");
                }
            }
        }
        assert_eq!(cells.width(), 4);
        assert!(!cells.holds(0, &early, |_| true), "no value is in no set");
        assert!(!cells.holds(80_000, &early, |_| true), "past the end");
    }
}
