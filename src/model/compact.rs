//! Whitespace removal for raw JSON records: pretty-printed inputs are kept compact in memory,
//! byte for byte otherwise (key order, number spelling and escapes are untouched).

/// Removes insignificant whitespace from JSON text that has already been validated.
pub fn compact_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
            out.push(b);
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            out.push(b);
        }
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
    fn trailing_backslash_in_string() {
        assert_eq!(
            compact_json("{ \"p\": \"C:\\\\\" , \"q\" : 1 }"),
            "{\"p\":\"C:\\\\\",\"q\":1}"
        );
    }
}
