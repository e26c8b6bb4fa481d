//! A record as pretty, syntax-classed lines for the detail pane. Built once per selected
//! event (not per frame); every string passes through the sanitizer, so escapes hidden in
//! values show as visible, separately styled text.

use crate::model::sanitize::{escape_char, is_unsafe, segments};
use serde_json::Value;
use std::borrow::Cow;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum JsonTok {
    Key,
    Str,
    Num,
    Bool,
    Null,
    Punct,
    /// A control or invisible character made visible (`\x1b`, `\u{202e}`).
    Escaped,
    Plain,
}

pub type JsonLine = Vec<(JsonTok, String)>;

/// A record's pretty lines, and for each line the value a copy of "the field under the
/// cursor" takes: a scalar's text, or a whole object or array as compact JSON on the line
/// that opens it. Values are raw event text: whoever shows or copies one sanitizes it.
#[derive(Debug, Clone, Default)]
pub struct Pretty {
    pub lines: Vec<JsonLine>,
    pub values: Vec<Option<String>>,
}

/// Pretty-prints a raw record; text that is not JSON is shown as plain (sanitized) lines.
pub fn pretty_lines(raw: &str) -> Vec<JsonLine> {
    pretty(raw).lines
}

/// Pretty-prints a raw record with each line's copyable value.
pub fn pretty(raw: &str) -> Pretty {
    let mut b = Builder::default();
    match serde_json::from_str::<Value>(raw) {
        Ok(v) => {
            b.value = Some(compact(&v));
            b.write_value(&v, 0);
            b.end_line();
        }
        Err(_) => {
            for l in raw.lines() {
                push_text(&mut b.line, JsonTok::Plain, l);
                b.value = Some(l.to_string());
                b.end_line();
            }
        }
    }
    Pretty {
        lines: b.out,
        values: b.values,
    }
}

/// A value as it is copied: strings without their quotes, the rest as compact JSON.
fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn push_text(line: &mut JsonLine, tok: JsonTok, text: &str) {
    for (escaped, part) in segments(text) {
        line.push((
            if escaped { JsonTok::Escaped } else { tok },
            part.into_owned(),
        ));
    }
}

/// A string as JSON writes it, quotes included. Characters JSON must escape (C0 controls)
/// and those the sanitizer escapes are separate, `Escaped` pieces; everything else, including
/// a literal backslash followed by `u00` (`"\\u00…"`), is plain text of `tok`. Walks the
/// string's chars, never byte offsets into the quoted form, so any text is safe.
fn push_string(line: &mut JsonLine, tok: JsonTok, s: &str) {
    let mut plain = String::with_capacity(s.len() + 2);
    plain.push('"');
    for c in s.chars() {
        let json_escape = match c {
            '"' => Some(Cow::Borrowed("\\\"")),
            '\\' => Some(Cow::Borrowed("\\\\")),
            '\n' => Some(Cow::Borrowed("\\n")),
            '\r' => Some(Cow::Borrowed("\\r")),
            '\t' => Some(Cow::Borrowed("\\t")),
            '\u{8}' => Some(Cow::Borrowed("\\b")),
            '\u{c}' => Some(Cow::Borrowed("\\f")),
            c if (c as u32) < 0x20 => Some(Cow::Owned(format!("\\u{:04x}", c as u32))),
            _ => None,
        };
        match json_escape {
            // Quotes and backslashes are JSON's own syntax, shown as text.
            Some(e) if !is_unsafe(c) => plain.push_str(&e),
            // C0 controls: JSON's escape, styled as the hostile byte it is.
            Some(e) => push_escaped(line, tok, &mut plain, &e),
            None if is_unsafe(c) => {
                let mut e = String::new();
                escape_char(c, &mut e);
                push_escaped(line, tok, &mut plain, &e);
            }
            None => plain.push(c),
        }
    }
    plain.push('"');
    push_text(line, tok, &plain);
}

/// Ends the plain run before an escape, then adds the escape (joined to one just before it).
fn push_escaped(line: &mut JsonLine, tok: JsonTok, plain: &mut String, escape: &str) {
    if !plain.is_empty() {
        line.push((tok, std::mem::take(plain)));
    }
    match line.last_mut() {
        Some((JsonTok::Escaped, prev)) => prev.push_str(escape),
        _ => line.push((JsonTok::Escaped, escape.to_string())),
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

#[derive(Default)]
struct Builder {
    out: Vec<JsonLine>,
    values: Vec<Option<String>>,
    line: JsonLine,
    /// The value of the line being built.
    value: Option<String>,
}

impl Builder {
    fn end_line(&mut self) {
        self.out.push(std::mem::take(&mut self.line));
        self.values.push(self.value.take());
    }

    fn write_value(&mut self, v: &Value, depth: usize) {
        let line = &mut self.line;
        match v {
            Value::Null => line.push((JsonTok::Null, "null".into())),
            Value::Bool(b) => line.push((JsonTok::Bool, b.to_string())),
            Value::Number(n) => line.push((JsonTok::Num, n.to_string())),
            Value::String(s) => push_string(line, JsonTok::Str, s),
            Value::Array(items) if items.is_empty() => line.push((JsonTok::Punct, "[]".into())),
            Value::Object(map) if map.is_empty() => line.push((JsonTok::Punct, "{}".into())),
            Value::Array(items) => {
                line.push((JsonTok::Punct, "[".into()));
                for (i, item) in items.iter().enumerate() {
                    self.end_line();
                    self.line.push((JsonTok::Plain, indent(depth + 1)));
                    self.value = Some(compact(item));
                    self.write_value(item, depth + 1);
                    if i + 1 < items.len() {
                        self.line.push((JsonTok::Punct, ",".into()));
                    }
                }
                self.end_line();
                self.line.push((JsonTok::Plain, indent(depth)));
                self.line.push((JsonTok::Punct, "]".into()));
            }
            Value::Object(map) => {
                line.push((JsonTok::Punct, "{".into()));
                let n = map.len();
                for (i, (k, item)) in map.iter().enumerate() {
                    self.end_line();
                    self.line.push((JsonTok::Plain, indent(depth + 1)));
                    push_string(&mut self.line, JsonTok::Key, k);
                    self.line.push((JsonTok::Punct, ": ".into()));
                    self.value = Some(compact(item));
                    self.write_value(item, depth + 1);
                    if i + 1 < n {
                        self.line.push((JsonTok::Punct, ",".into()));
                    }
                }
                self.end_line();
                self.line.push((JsonTok::Plain, indent(depth)));
                self.line.push((JsonTok::Punct, "}".into()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[JsonLine]) -> String {
        lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect::<String>() + "\n")
            .collect()
    }

    #[test]
    fn pretty_prints_in_key_order() {
        let lines = pretty_lines(r#"{"b":1,"a":[true,null],"c":{}}"#);
        assert_eq!(
            text(&lines),
            "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null\n  ],\n  \"c\": {}\n}\n"
        );
        assert_eq!(lines[1][1], (JsonTok::Key, "\"b\"".to_string()));
    }

    #[test]
    fn each_line_knows_the_value_it_shows() {
        let p = pretty(r#"{"b":1,"a":[true,"x"],"c":{"d":null}}"#);
        assert_eq!(p.lines.len(), p.values.len());
        let v = |i: usize| p.values[i].as_deref();
        assert_eq!(v(1), Some("1"));
        assert_eq!(
            v(2),
            Some("[true,\"x\"]"),
            "an array on the line opening it"
        );
        assert_eq!(v(3), Some("true"));
        assert_eq!(v(4), Some("x"), "strings without their quotes");
        assert_eq!(v(5), None, "a closing bracket holds nothing");
        assert_eq!(v(6), Some("{\"d\":null}"));
        assert_eq!(v(7), Some("null"));
    }

    #[test]
    fn hostile_strings_are_escaped_and_marked() {
        let lines = pretty_lines(r#"{"userAgent":"\u001b]0;pwned\u0007\u001b[2J \u009b \u202e"}"#);
        let all = text(&lines);
        assert!(!all.lines().any(|l| l.chars().any(is_unsafe)), "{all:?}");
        assert!(all.contains("\\u001b]0;pwned\\u0007\\u001b[2J"));
        assert!(all.contains("\\u{9b}") && all.contains("\\u{202e}"));
        assert!(lines[1]
            .iter()
            .any(|(t, s)| *t == JsonTok::Escaped && s == "\\u001b"));
    }

    /// Issue 18's reproducer: a literal backslash, `u00`, then a multi-byte character (a
    /// `CreateRole` description anyone can write) panicked on a byte slice.
    #[test]
    fn a_backslash_u00_before_multibyte_text_is_plain_text() {
        let lines = pretty_lines(r#"{"description":"\\u00日本","x":"\\u00"}"#);
        let all = text(&lines);
        assert!(all.contains(r#""description": "\\u00日本""#), "{all}");
        assert!(all.contains(r#""x": "\\u00""#), "{all}");
        assert!(
            !lines.iter().flatten().any(|(t, _)| *t == JsonTok::Escaped),
            "an escaped backslash is not an escape: {lines:?}"
        );
    }

    #[test]
    fn printed_strings_read_back_as_the_original() {
        for s in [
            "",
            "a\"b",
            "\\",
            "\\u0041",
            "日本\u{1b}x\u{202e}",
            "\n\t\r\u{8}\u{c}\u{1}",
        ] {
            let line = {
                let mut l = JsonLine::new();
                push_string(&mut l, JsonTok::Str, s);
                l.iter().map(|(_, t)| t.as_str()).collect::<String>()
            };
            if !s.chars().any(|c| is_unsafe(c) && (c as u32) >= 0x20) {
                let back: String = serde_json::from_str(&line).expect("valid JSON");
                assert_eq!(back, s, "{line}");
            }
            assert!(!line.chars().any(is_unsafe), "{line:?}");
        }
    }

    /// Found by the `exports` fuzz target: a number must show as the record holds it, not as
    /// the next double over (tests/fixtures/hostile/fuzz-exports-float-roundtrip.bin).
    #[test]
    fn numbers_show_as_the_record_holds_them() {
        let lines = pretty_lines(
            r#"{"n":7.777777777777777e54,"m":7777777777777777777777777777777777777777777777777777777}"#,
        );
        let all = text(&lines);
        assert!(all.contains("\"n\": 7.777777777777777e+54"), "{all}");
        assert!(all.contains("\"m\": 7.777777777777777e+54"), "{all}");
    }
}
