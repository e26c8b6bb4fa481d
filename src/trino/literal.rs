//! Values as Trino string literals, and globs as LIKE patterns. Nothing from an event or a
//! filter is ever written into a statement any other way.

use crate::model::sanitize::is_unsafe;
use std::fmt::Write;

/// `value` as a SQL string literal that reads back as exactly `value`.
pub fn literal(value: &str) -> String {
    if !value.chars().any(is_unsafe) {
        return format!("'{}'", value.replace('\'', "''"));
    }
    // A Unicode escape literal (Trino's U&'…'): escapes are `\XXXX` or `\+XXXXXX`, a
    // backslash is `\\`; quotes are still doubled. The statement itself then holds nothing
    // that could reach the terminal raw when it is shown before it runs.
    let mut out = String::from("U&'");
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c if is_unsafe(c) && (c as u32) <= 0xffff => {
                let _ = write!(out, "\\{:04X}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\+{:06X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The escape character of every LIKE trailscope writes (`… LIKE '…' ESCAPE '\'`).
pub const LIKE_ESCAPE: char = '\\';

/// A filter glob (`*` any run, `?` one character, nothing else special) as a LIKE pattern:
/// `%` and `_` are literal in a glob, so they are escaped, as is the escape character.
pub fn like_pattern(glob: &str) -> String {
    let mut out = String::with_capacity(glob.len() + 4);
    for c in glob.chars() {
        match c {
            '*' => out.push('%'),
            '?' => out.push('_'),
            '%' | '_' | LIKE_ESCAPE => {
                out.push(LIKE_ESCAPE);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `expr LIKE '<glob as a pattern>' ESCAPE '\'`.
pub fn like(expr: &str, glob: &str) -> String {
    format!(
        "{expr} LIKE {} ESCAPE {}",
        literal(&like_pattern(glob)),
        literal(&LIKE_ESCAPE.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_quotes_and_escape_what_a_terminal_would_obey() {
        assert_eq!(literal("plain"), "'plain'");
        assert_eq!(literal("O'Brien'; --"), "'O''Brien''; --'");
        assert_eq!(literal("back\\slash"), "'back\\slash'");
        assert_eq!(literal("a\u{1b}[31m'"), "U&'a\\001B[31m'''");
        assert_eq!(literal("\\\u{202e}"), "U&'\\\\\\202E'");
    }

    #[test]
    fn globs_become_like_patterns_with_their_own_wildcards_escaped() {
        assert_eq!(like_pattern("Delete*"), "Delete%");
        assert_eq!(like_pattern("Get?bject"), "Get_bject");
        assert_eq!(like_pattern("100%_x\\*"), "100\\%\\_x\\\\%");
        assert_eq!(
            like("eventname", "it's_*"),
            "eventname LIKE 'it''s\\_%' ESCAPE '\\'"
        );
    }
}
