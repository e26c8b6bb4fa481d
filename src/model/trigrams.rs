//! Which three-byte sequences a block of raw records may hold: a Bloom filter over its
//! ASCII-lowercased trigrams, so a free-text word skips (without inflating) every block that
//! lacks one of the word's trigrams. A rare word (a key ID, an address, a bucket name) then
//! reads a handful of blocks instead of the whole trail.
//!
//! One hash, 2^14 bits (2 KB) per block: a block of 64 generated records holds about 8,600
//! distinct trigrams, so about two fifths of the bits are set and each of a word's trigrams
//! that the block lacks still passes two times in five. A word of eight letters has six
//! trigrams; a block passes only if all six do. Twice the bits (a quarter set) cost 32 more
//! bytes per event, and in the filter bench typed words completed as fast with these but for
//! one keystroke in forty (BENCHMARKS.md, "Trigram filters of 2 KB").

/// Bits per filter, as a power of two.
const LOG_BITS: u32 = 14;
const WORDS: usize = (1 << LOG_BITS) / 64;

/// The trigrams a text may hold. Never a false "absent": a trigram of the text always tests
/// present.
#[derive(Debug)]
pub struct Bloom(Box<[u64]>);

/// The bits a word's trigrams set, computed once per filter (not per block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe(Box<[u32]>);

impl Bloom {
    /// The filter of `text`'s trigrams, ASCII-lowercased (the case free text ignores).
    pub fn of(text: &[u8]) -> Bloom {
        let mut bits = vec![0u64; WORDS].into_boxed_slice();
        let mut window: u32 = 0;
        for (i, &b) in text.iter().enumerate() {
            window = (window << 8 | u32::from(b.to_ascii_lowercase())) & 0x00ff_ffff;
            if i >= 2 {
                let bit = slot(window);
                bits[(bit / 64) as usize] |= 1 << (bit % 64);
            }
        }
        Bloom(bits)
    }

    /// False only when the text surely lacks one of the probe's trigrams.
    pub fn may_hold(&self, probe: &Probe) -> bool {
        probe.0.iter().all(|&bit| {
            self.0
                .get((bit / 64) as usize)
                .is_none_or(|w| w & (1 << (bit % 64)) != 0)
        })
    }

    /// Bytes the filter takes.
    pub fn size(&self) -> usize {
        self.0.len() * 8
    }
}

impl Probe {
    /// The probe for a lowercased word, or `None` when no trigram can rule a block out: words
    /// under three bytes, and words with non-ASCII letters (those match after Unicode
    /// lowercasing, which the ASCII filter does not model).
    pub fn of(lower: &[u8]) -> Option<Probe> {
        if lower.len() < 3 || !lower.is_ascii() {
            return None;
        }
        let mut bits: Vec<u32> = lower
            .windows(3)
            .map(|w| slot(u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2])))
            .collect();
        bits.sort_unstable();
        bits.dedup();
        Some(Probe(bits.into_boxed_slice()))
    }
}

/// A trigram's bit: Fibonacci hashing of its 24 bits down to `LOG_BITS`.
fn slot(trigram: u32) -> u32 {
    trigram.wrapping_mul(0x9e37_79b1) >> (32 - LOG_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigram_of_the_text_tests_present_whatever_its_case() {
        let text = br#"{"eventName":"DeleteObject","sourceIPAddress":"198.51.100.77"}"#;
        let bloom = Bloom::of(text);
        for word in [
            "deleteobject",
            "198.51.100.77",
            "{\"eventname",
            "ipaddress\":\"1",
        ] {
            let probe = Probe::of(word.as_bytes()).expect("ASCII word of 3+ bytes");
            assert!(bloom.may_hold(&probe), "{word}");
        }
    }

    #[test]
    fn a_missing_word_is_ruled_out_and_short_or_unicode_words_are_not_probed() {
        let bloom = Bloom::of(b"{\"eventName\":\"GetObject\"}");
        let probe = Probe::of(b"akia5exampleexample").expect("probe");
        assert!(!bloom.may_hold(&probe));
        assert_eq!(Probe::of(b"ab"), None);
        assert_eq!(Probe::of("élan".as_bytes()), None);
    }
}
