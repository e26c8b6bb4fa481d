//! Every string in an event may be written by an attacker (userAgent, userName, request
//! parameters, error messages). Before anything reaches the terminal, characters that could
//! drive it (ESC/CSI/OSC, BEL, C1 controls) or deceive the reader (bidi overrides, zero-width
//! characters) are replaced by a visible escape such as `\x1b` or `\u{202e}`.

use std::borrow::Cow;
use std::fmt::Write;

/// True for characters that must never reach the terminal as themselves.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'        // C0, DEL, C1 (CSI is U+009B)
        | '\u{ad}'                                      // soft hyphen: invisible
        | '\u{61c}' | '\u{200b}'..='\u{200f}'           // zero-width and directional marks
        | '\u{2028}'..='\u{202e}'                       // separators, bidi embeddings/overrides
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' // word joiner, bidi isolates
        | '\u{feff}'                                    // zero-width no-break space
        | '\u{fff9}'..='\u{fffb}'                       // interlinear annotations
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
}
