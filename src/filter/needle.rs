//! Case-insensitive substring search over raw records, for free text. It scans for the
//! needle's rarest byte (both cases) with memchr and verifies around each hit, so a rare
//! needle like an IP or a bucket name runs near memory speed.

pub struct Needle {
    lower: Vec<u8>,
    /// The needle's position whose byte is least common in CloudTrail JSON.
    pivot: usize,
    ascii: bool,
    text: String,
}

impl Needle {
    pub fn new(text: &str) -> Needle {
        let lower_text = text.to_lowercase();
        let lower = lower_text.as_bytes().to_vec();
        let pivot = (0..lower.len())
            .min_by_key(|&i| commonness(lower[i]))
            .unwrap_or(0);
        Needle {
            ascii: text.is_ascii(),
            lower,
            pivot,
            text: lower_text,
        }
    }

    pub fn matches(&self, haystack: &str) -> bool {
        if self.lower.is_empty() {
            return true;
        }
        if !self.ascii {
            return haystack.to_lowercase().contains(&self.text);
        }
        let hay = haystack.as_bytes();
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

/// Rough frequency rank of a lowercase byte in CloudTrail JSON (higher = more common).
fn commonness(b: u8) -> u8 {
    match b {
        b'"' | b':' | b',' | b'e' | b'a' | b't' | b's' | b'i' | b'o' | b'n' | b'r' => 9,
        b'c' | b'l' | b'd' | b'm' | b'u' | b'p' | b'{' | b'}' => 7,
        b'0'..=b'9' | b'-' | b'.' | b'/' => 5,
        b'g' | b'h' | b'b' | b'y' | b'w' | b'f' | b'v' => 4,
        b'k' | b'x' | b'j' | b'q' | b'z' => 1,
        _ => 2,
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
        assert!(!Needle::new("x").matches(""));
    }
}
