//! A record as pretty, syntax-classed lines for the detail pane. Built once per selected
//! event (not per frame); every string passes through the sanitizer, so escapes hidden in
//! values show as visible, separately styled text.

use crate::model::sanitize::segments;
use serde_json::Value;

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

/// Pretty-prints a raw record; text that is not JSON is shown as plain (sanitized) lines.
pub fn pretty_lines(raw: &str) -> Vec<JsonLine> {
    let mut out = Vec::new();
    match serde_json::from_str::<Value>(raw) {
        Ok(v) => {
            let mut line = Vec::new();
            write_value(&v, 0, &mut line, &mut out);
            out.push(line);
        }
        Err(_) => {
            for l in raw.lines() {
                let mut line = Vec::new();
                push_text(&mut line, JsonTok::Plain, l);
                out.push(line);
            }
        }
    }
    out
}

fn push_text(line: &mut JsonLine, tok: JsonTok, text: &str) {
    for (escaped, part) in segments(text) {
        line.push((
            if escaped { JsonTok::Escaped } else { tok },
            part.into_owned(),
        ));
    }
}

/// JSON-quoted string, then sanitized: JSON escapes C0 controls, the sanitizer the rest.
fn push_string(line: &mut JsonLine, tok: JsonTok, s: &str) {
    let quoted = serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"));
    // Show JSON's own \u001b escapes as escapes too: they are exactly the hostile bytes.
    let mut rest = quoted.as_str();
    while let Some(i) = rest.find("\\u00") {
        push_text(line, tok, &rest[..i]);
        let end = (i + 6).min(rest.len());
        line.push((JsonTok::Escaped, rest[i..end].to_string()));
        rest = &rest[end..];
    }
    push_text(line, tok, rest);
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn write_value(v: &Value, depth: usize, line: &mut JsonLine, out: &mut Vec<JsonLine>) {
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
                out.push(std::mem::take(line));
                line.push((JsonTok::Plain, indent(depth + 1)));
                write_value(item, depth + 1, line, out);
                if i + 1 < items.len() {
                    line.push((JsonTok::Punct, ",".into()));
                }
            }
            out.push(std::mem::take(line));
            line.push((JsonTok::Plain, indent(depth)));
            line.push((JsonTok::Punct, "]".into()));
        }
        Value::Object(map) => {
            line.push((JsonTok::Punct, "{".into()));
            let n = map.len();
            for (i, (k, item)) in map.iter().enumerate() {
                out.push(std::mem::take(line));
                line.push((JsonTok::Plain, indent(depth + 1)));
                push_string(line, JsonTok::Key, k);
                line.push((JsonTok::Punct, ": ".into()));
                write_value(item, depth + 1, line, out);
                if i + 1 < n {
                    line.push((JsonTok::Punct, ",".into()));
                }
            }
            out.push(std::mem::take(line));
            line.push((JsonTok::Plain, indent(depth)));
            line.push((JsonTok::Punct, "}".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sanitize::is_unsafe;

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
}
