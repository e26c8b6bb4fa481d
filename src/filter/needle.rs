//! Case-insensitive substring search over raw records, for free text. It scans for the
//! needle's rarest byte (both cases) with memchr and verifies around each hit, so a rare
//! needle like an IP or a bucket name runs near memory speed.

use crate::model::raw::Raw;
use crate::model::trigrams::Probe;

pub struct Needle {
    lower: Vec<u8>,
    /// The needle's position whose byte is least common in CloudTrail JSON.
    pivot: usize,
    ascii: bool,
    text: String,
    /// The needle's trigrams, to rule out packed blocks without inflating them.
    probe: Option<Probe>,
}

impl Needle {
    pub fn new(text: &str) -> Needle {
        let lower_text = text.to_lowercase();
        let lower = lower_text.as_bytes().to_vec();
        let pivot = (0..lower.len())
            .min_by_key(|&i| commonness(lower[i]))
            .unwrap_or(0);
        Needle {
            // Only for ASCII text: a non-ASCII letter may lowercase to ASCII (the Kelvin sign
            // to `k`), and the blocks' filters hold the records' bytes, not their lowercase.
            probe: text.is_ascii().then(|| Probe::of(&lower)).flatten(),
            ascii: text.is_ascii(),
            lower,
            pivot,
            text: lower_text,
        }
    }

    /// Whether `raw` holds the needle, inflating its block only when the block's trigrams
    /// allow it.
    pub fn matches_raw(&self, raw: &Raw) -> bool {
        if self.probe.as_ref().is_some_and(|p| !raw.may_hold(p)) {
            return false;
        }
        match self.ascii {
            true => raw.with_bytes(|hay| self.matches_ascii(hay)),
            false => self.matches(&raw.text()),
        }
    }

    pub fn matches(&self, haystack: &str) -> bool {
        if self.lower.is_empty() {
            return true;
        }
        if !self.ascii {
            // An all-ASCII record lowercases to ASCII, which cannot hold a needle whose
            // lowercase is not ASCII: skip the copy (most records are ASCII, and lowercasing
            // each one for every keystroke was most of a non-ASCII filter's time).
            if haystack.is_ascii() && !self.text.is_ascii() {
                return false;
            }
            return haystack.to_lowercase().contains(&self.text);
        }
        self.matches_ascii(haystack.as_bytes())
    }

    /// `matches` for an ASCII needle, on bytes: any byte outside ASCII in `hay` is part of a
    /// character the needle cannot match.
    fn matches_ascii(&self, hay: &[u8]) -> bool {
        if self.lower.is_empty() {
            return true;
        }
        let (n, k) = (self.lower.len(), self.pivot);
        let b = self.lower[k];
        let upper = b.to_ascii_uppercase();
        let hits = memchr::memchr2_iter(b, upper, hay);
        for hit in hits {
            let Some(start) = hit.checked_sub(k) else {
                continue;
            };
            if let Some(window) = hay.get(start..start + n) {
                if window.eq_ignore_ascii_case(&self.lower) {
                    return true;
                }
            }
        }
        false
    }
}

/// How common a (lowercased) byte is in CloudTrail JSON, per mille, measured over the demo and
/// the test fixtures. Bytes not listed are rarer than any listed.
fn commonness(b: u8) -> u8 {
    match b {
        b'"' => 97,
        b'e' => 81,
        b'a' => 61,
        b's' => 51,
        b't' => 50,
        b':' => 43,
        b'r' => 40,
        b'n' => 39,
        b'i' => 37,
        b'o' => 32,
        b'c' => 31,
        b'1' => 28,
        b'd' | b'2' => 26,
        b',' => 22,
        b'u' => 21,
        b'm' | b'3' => 20,
        b'-' => 19,
        b'l' | b'p' => 17,
        b'.' => 15,
        b'6' => 13,
        b'v' | b'5' | b'4' | b'0' => 12,
        b'b' => 11,
        b'w' => 10,
        b'f' | b'g' | b'h' | b'/' | b'y' => 9,
        b'8' => 7,
        b'7' | b'9' => 6,
        b'{' | b'}' | b'z' => 5,
        b'_' | b'k' => 4,
        b'x' => 3,
        b'q' | b'j' => 2,
        b'#' => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::Needle;

    #[test]
    fn finds_case_insensitively() {
        let hay = r#"{"eventName":"DeleteObject","sourceIPAddress":"198.51.100.77"}"#;
        for (needle, want) in [
            ("deleteobject", true),
            ("DELETE", true),
            ("198.51.100.77", true),
            ("198.51.100.78", false),
            ("", true),
            ("{\"eventname", true),
            ("zzz", false),
        ] {
            assert_eq!(Needle::new(needle).matches(hay), want, "{needle}");
        }
        assert!(Needle::new("élan").matches("un ÉLAN vital"));
        // A letter that lowercases to ASCII, in a packed block whose filter never saw `kkk`.
        let mut raws = [crate::model::raw::Raw::from(
            "{\"note\":\"\u{212a}\u{212a}\u{212a}\"}",
        )];
        crate::model::raw::pack(raws.iter_mut());
        assert!(raws[0].is_packed());
        assert!(Needle::new("\u{212a}\u{212a}\u{212a}").matches_raw(&raws[0]));
        assert!(!Needle::new("x").matches(""));
    }

    #[test]
    fn a_non_ascii_needle_against_ascii_records() {
        let hay = r#"{"eventName":"DeleteObject","userAgent":"aws-cli/2.15"}"#;
        assert!(!Needle::new("ৡ").matches(hay));
        assert!(!Needle::new("élan").matches(hay));
        // A needle that lowercases to ASCII (the Kelvin sign is a `k`) still matches.
        assert!(Needle::new("\u{212a}").matches("ok"));
        assert!(Needle::new("ৡ").matches("xৡy"));
    }
}
