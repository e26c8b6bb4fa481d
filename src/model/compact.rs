//! Whitespace removal for raw JSON records: pretty-printed inputs are kept compact in memory,
//! byte for byte otherwise (key order, number spelling and escapes are untouched).

/// Removes insignificant whitespace from JSON text that has already been validated. Strings are
/// copied whole (memchr finds their ends), so compact input costs little more than a copy.
pub fn compact_json(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        // Outside a string: structural characters, with whitespace to drop.
        let quote = memchr::memchr(b'"', &b[i..]).map_or(b.len(), |p| i + p);
        out.extend(
            b[i..quote]
                .iter()
                .copied()
                .filter(|c| !matches!(c, b' ' | b'\n' | b'\r' | b'\t')),
        );
        if quote == b.len() {
            break;
        }
        // Inside a string: up to the closing quote, stepping over escapes.
        let mut j = quote + 1;
        let end = loop {
            match memchr::memchr2(b'"', b'\\', &b[j..]) {
                None => break b.len(),
                Some(p) if b[j + p] == b'"' => break j + p + 1,
                Some(p) => j = (j + p + 2).min(b.len()),
            }
        };
        out.extend_from_slice(&b[quote..end]);
        i = end;
    }
    // Only ASCII whitespace outside strings was removed, so UTF-8 boundaries are intact.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::compact_json;

    #[test]
    fn keeps_strings_and_escapes() {
        let pretty = "{\n  \"a b\" : \"x \\\" y\",\n  \"n\": [1, 2]\n}";
        assert_eq!(compact_json(pretty), "{\"a b\":\"x \\\" y\",\"n\":[1,2]}");
    }

    #[test]
    fn unterminated_and_escaped_quotes() {
        assert_eq!(compact_json("{ \"a\" : \"b"), "{\"a\":\"b");
        assert_eq!(
            compact_json("[ \"\\\\\" , \"\\\"\" ]"),
            "[\"\\\\\",\"\\\"\"]"
        );
        assert_eq!(compact_json(" \"x\\"), "\"x\\");
        assert_eq!(compact_json("{}"), "{}");
        assert_eq!(compact_json(""), "");
    }

    #[test]
    fn trailing_backslash_in_string() {
        assert_eq!(
            compact_json("{ \"p\": \"C:\\\\\" , \"q\" : 1 }"),
            "{\"p\":\"C:\\\\\",\"q\":1}"
        );
    }
}
