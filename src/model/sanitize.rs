//! Every string in an event may be written by an attacker (userAgent, userName, request
//! parameters, error messages). Before anything reaches the terminal, characters that could
//! drive it (ESC/CSI/OSC, BEL, C1 controls), deceive the reader (bidi overrides, zero-width and
//! other invisible characters) or shift a table row (characters terminals give different
//! widths) are replaced by a visible escape such as `\x1b` or `\u{202e}`.
//!
//! The set comes from Unicode's own properties (ICU's data, through `icu_properties`), not a
//! hand list, so new invisible or format characters are covered as Unicode assigns them.

use icu_properties::props::{
    BidiControl, DefaultIgnorableCodePoint, EmojiModifier, EmojiPresentation, ExtendedPictographic,
    GeneralCategory, HangulSyllableType, RegionalIndicator,
};
use icu_properties::{CodePointMapData, CodePointSetData};
use std::borrow::Cow;
use std::fmt::Write;

/// True for characters that must never reach the terminal as themselves.
pub fn is_unsafe(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control(); // C0 and DEL; the rest of ASCII is what it looks like
    }
    is_unsafe_beyond_ascii(c)
}

fn is_unsafe_beyond_ascii(c: char) -> bool {
    use GeneralCategory as Gc;
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    matches!(
        category,
        // C1 controls; format characters (bidi, zero-width, tags…); line and paragraph
        // separators; private use and unassigned code points, whose width no two terminals
        // agree on.
        Gc::Control
            | Gc::Format
            | Gc::LineSeparator
            | Gc::ParagraphSeparator
            | Gc::PrivateUse
            | Gc::Surrogate
            | Gc::Unassigned
    ) || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c) // fillers, VS, CGJ
        || CodePointSetData::new::<BidiControl>().contains(c)
        || width_disputed(c)
}

/// Characters that render at a width other than the one the layout counts in some terminals:
/// emoji shown as emoji by default (two cells in current tables, one in older ones) and the
/// pictographs of the emoji planes, skin-tone modifiers and regional indicators (merged into
/// one glyph by some terminals, not others), and conjoining Hangul vowels and finals (composed
/// with the syllable before by some). Symbols drawn as text by default (◀ ★ ✔ ©) keep one
/// cell everywhere and pass.
fn width_disputed(c: char) -> bool {
    let hangul = CodePointMapData::<HangulSyllableType>::new().get(c);
    CodePointSetData::new::<EmojiPresentation>().contains(c)
        || (CodePointSetData::new::<ExtendedPictographic>().contains(c) && c as u32 >= 0x1F000)
        || CodePointSetData::new::<EmojiModifier>().contains(c)
        || CodePointSetData::new::<RegionalIndicator>().contains(c)
        || matches!(
            hangul,
            HangulSyllableType::VowelJamo | HangulSyllableType::TrailingJamo
        )
}

/// The visible stand-in for an unsafe character.
pub fn escape_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// The string with every unsafe character made visible; borrowed when nothing needed escaping.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like `visible`, but a message's own line breaks stay line breaks: for multi-line messages
/// printed on stderr (every other unsafe character, `\r` included, is escaped).
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let lines: Vec<Cow<str>> = s.split('\n').map(visible).collect();
    Cow::Owned(lines.join("\n"))
}

/// JSON text with every unsafe character outside ASCII (and DEL) written as a `\uXXXX`
/// escape: the same JSON to any reader, so lossless, but inert in a terminal or a pager.
/// For serialized JSON, where such characters can only stand inside strings.
pub fn json_inert(json: &str) -> Cow<'_, str> {
    let needs = |c: char| c == '\u{7f}' || !c.is_ascii() && is_unsafe(c);
    if !json.chars().any(needs) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Splits a string into runs of plain text and escaped text, so the UI can style escapes.
pub fn segments(s: &str) -> Vec<(bool, Cow<'_, str>)> {
    if !s.chars().any(is_unsafe) {
        return vec![(false, Cow::Borrowed(s))];
    }
    let mut parts: Vec<(bool, Cow<str>)> = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if is_unsafe(c) {
            if start < i {
                parts.push((false, Cow::Borrowed(&s[start..i])));
            }
            let mut esc = String::new();
            escape_char(c, &mut esc);
            match parts.last_mut() {
                Some((true, prev)) => prev.to_mut().push_str(&esc),
                _ => parts.push((true, Cow::Owned(esc))),
            }
            start = i + c.len_utf8();
        }
    }
    if start < s.len() {
        parts.push((false, Cow::Borrowed(&s[start..])));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_injection_becomes_text() {
        let ua = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
        assert_eq!(visible(ua), "\\x1b]0;pwned\\x07\\x1b[2J");
        assert!(!visible(ua).chars().any(is_unsafe));
    }

    #[test]
    fn c1_bidi_and_zero_width_are_escaped() {
        assert_eq!(visible("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(visible("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(visible("ad\u{200b}min"), "ad\\u{200b}min");
        assert_eq!(visible("line\nbreak\ttab"), "line\\nbreak\\ttab");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            visible("aws-cli/2.15.30 Python/3.11.8 ünïcode 日本"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn segments_mark_escapes() {
        let s = segments("x\u{1b}\u{7}y");
        assert_eq!(
            s,
            vec![
                (false, "x".into()),
                (true, "\\x1b\\x07".into()),
                (false, "y".into())
            ]
        );
    }

    #[test]
    fn unicode_invisibles_found_by_property_not_by_list() {
        for c in [
            '\u{180b}',   // Mongolian free variation selector
            '\u{fe0f}',   // variation selector 16 (text → emoji width)
            '\u{e0041}',  // tag letter A (invisible)
            '\u{3164}',   // Hangul filler (renders as blank)
            '\u{115f}',   // Hangul choseong filler
            '\u{34f}',    // combining grapheme joiner
            '\u{2066}',   // left-to-right isolate
            '\u{e000}',   // private use
            '\u{10ffff}', // unassigned (a noncharacter)
            '\u{1f600}',  // 😀: wide or narrow depending on the terminal
            '\u{1f3fb}',  // skin-tone modifier
            '\u{1f1fa}',  // regional indicator U
            '\u{1161}',   // conjoining Hangul vowel
        ] {
            assert!(is_unsafe(c), "U+{:04X} passes", c as u32);
        }
        for c in [
            'a', 'é', 'ß', 'Ж', '日', '本', '한', '©', '€', '→', '✓', '◀', '★', '✔', '❤',
        ] {
            assert!(!is_unsafe(c), "{c} escaped");
        }
    }

    #[test]
    fn json_lines_stay_the_same_json_and_drive_nothing() {
        let raw = "{\"userAgent\":\"a\u{9b}b\u{202e}c\u{7f}d \u{1f600} 日本\",\"n\":1}";
        let inert = json_inert(raw);
        assert!(!inert.chars().any(is_unsafe), "{inert}");
        let a: serde_json::Value = serde_json::from_str(raw).expect("json");
        let b: serde_json::Value = serde_json::from_str(&inert).expect("json");
        assert_eq!(a, b, "lossless");
        assert!(
            inert.contains("\\ud83d\\ude00") && inert.contains("日本"),
            "{inert}"
        );
    }
}
