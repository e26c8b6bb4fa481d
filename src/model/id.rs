//! An event's `eventID` or `requestID`, held small. Nearly every one is a UUID: as a boxed
//! string it takes a pointer and a 48-byte allocation (64 bytes), twice per event, about a
//! tenth of a loaded event. A UUID in its usual spelling (lowercase or uppercase hex,
//! 8-4-4-4-12) is kept as its 16 bytes and spelled again on demand, exactly as it was written;
//! anything else is kept as written.

use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Id(Repr);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Repr {
    Uuid { bytes: [u8; 16], upper: bool },
    Text(Box<str>),
}

/// Where the dashes of a UUID's text are.
const DASHES: [usize; 4] = [8, 13, 18, 23];

impl From<Box<str>> for Id {
    fn from(text: Box<str>) -> Id {
        match uuid_bytes(text.as_bytes()) {
            Some((bytes, upper)) => Id(Repr::Uuid { bytes, upper }),
            None => Id(Repr::Text(text)),
        }
    }
}

impl From<String> for Id {
    fn from(text: String) -> Id {
        Id::from(text.into_boxed_str())
    }
}

impl From<&str> for Id {
    fn from(text: &str) -> Id {
        Id::from(Box::<str>::from(text))
    }
}

impl Id {
    /// The ID as it was written.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Text(text) => Cow::Borrowed(text),
            Repr::Uuid { bytes, upper } => Cow::Owned(spell(bytes, *upper)),
        }
    }

    /// Whether the ID is `text`, spelled the same.
    pub fn is(&self, text: &str) -> bool {
        match &self.0 {
            Repr::Text(own) => **own == *text,
            // The same bytes in the same case are the same spelling.
            Repr::Uuid { bytes, upper } => uuid_bytes(text.as_bytes()) == Some((*bytes, *upper)),
        }
    }

    /// Heap bytes held beyond the `Id` itself (a UUID holds none).
    pub(crate) fn heap_bytes(&self) -> usize {
        match &self.0 {
            Repr::Text(text) => text.len(),
            Repr::Uuid { .. } => 0,
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// A UUID's 16 bytes and its case, when `text` is one spelled in a single case: lowercase or
/// uppercase hex digits only, so spelling the bytes again gives `text` back.
fn uuid_bytes(text: &[u8]) -> Option<([u8; 16], bool)> {
    // One pass over the 36 bytes: every event ID of a load comes through here, on the thread
    // that builds the store.
    let text: &[u8; 36] = text.try_into().ok()?;
    let (mut upper, mut lower) = (false, false);
    let mut bytes = [0u8; 16];
    let mut at = 0;
    for byte in &mut bytes {
        if DASHES.contains(&at) {
            if text[at] != b'-' {
                return None;
            }
            at += 1;
        }
        let hi = nibble(text[at], &mut upper, &mut lower)?;
        let lo = nibble(text[at + 1], &mut upper, &mut lower)?;
        *byte = hi << 4 | lo;
        at += 2;
    }
    (!(upper && lower)).then_some((bytes, upper))
}

/// A hex digit's value, noting the case of a letter.
fn nibble(b: u8, upper: &mut bool, lower: &mut bool) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => {
            *lower = true;
            Some(b - b'a' + 10)
        }
        b'A'..=b'F' => {
            *upper = true;
            Some(b - b'A' + 10)
        }
        _ => None,
    }
}

fn spell(bytes: &[u8; 16], upper: bool) -> String {
    let digits: &[u8; 16] = match upper {
        true => b"0123456789ABCDEF",
        false => b"0123456789abcdef",
    };
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn uuids_are_kept_as_bytes_and_spelled_as_written() {
        for text in [
            "849298ec-1f0c-42a5-a4b1-835107c33876",
            "7D9A8B2C-1F0C-42A5-A4B1-835107C33876",
            "00000000-0000-0000-0000-000000000000",
        ] {
            let id = Id::from(text);
            assert!(matches!(id.0, Repr::Uuid { .. }), "{text}");
            assert_eq!(id.text(), text);
            assert!(id.is(text));
            assert_eq!(id.to_string(), text);
        }
        let id = Id::from("849298ec-1f0c-42a5-a4b1-835107c33876");
        assert!(!id.is("849298EC-1F0C-42A5-A4B1-835107C33876"));
        assert!(!id.is("849298ec-1f0c-42a5-a4b1-835107c33877"));
    }

    #[test]
    fn anything_else_is_kept_as_written() {
        for text in [
            "1",
            "",
            "849298ec-1f0c-42A5-a4b1-835107c33876",
            "849298ec-1f0c-42a5-a4b1-835107c3387g",
            "849298ec01f0c-42a5-a4b1-835107c33876",
            "EXAMPLE6E4F9EXAMPLE",
            "é49298ec-1f0c-42a5-a4b1-835107c3387",
        ] {
            let id = Id::from(text);
            assert!(matches!(id.0, Repr::Text(_)), "{text}");
            assert_eq!(id.text(), text);
            assert!(id.is(text));
        }
    }

    proptest! {
        /// Whatever the text, the ID reads back as it was, and is only itself.
        #[test]
        fn any_text_round_trips(text in "[0-9a-fA-F-]{0,40}|\\PC{0,40}", other in "\\PC{0,40}") {
            let id = Id::from(text.as_str());
            prop_assert_eq!(id.text(), text.as_str());
            prop_assert!(id.is(&text));
            prop_assert_eq!(id.is(&other), other == text);
        }

        /// Any UUID in either case is kept as bytes, and is only itself.
        #[test]
        fn any_uuid_round_trips(a: [u8; 16], b: [u8; 16], upper: bool, other_upper: bool) {
            let (text, other) = (spell(&a, upper), spell(&b, other_upper));
            let id = Id::from(text.as_str());
            let kept_as_bytes = matches!(id.0, Repr::Uuid { .. });
            prop_assert!(kept_as_bytes);
            prop_assert_eq!(id.text(), text.as_str());
            prop_assert_eq!(id.is(&other), other == text);
            prop_assert_eq!(id == Id::from(other.as_str()), other == text);
        }
    }
}
