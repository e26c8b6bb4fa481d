//! Word wrapping of the detail pane's styled lines, done here rather than by the widget so the
//! reducer knows exactly which screen row shows which JSON line: the line cursor stays on
//! screen, and a click lands on the line that was clicked.

use super::json_view::{JsonLine, JsonTok};
use unicode_width::UnicodeWidthStr;

/// `line` cut into rows of at most `width` cells: at spaces where it can, inside a word where
/// a word is longer than a row. An empty line is one empty row.
pub fn wrap(line: &JsonLine, width: usize) -> Vec<JsonLine> {
    let width = width.max(1);
    let mut rows: Vec<JsonLine> = Vec::new();
    let mut row: JsonLine = Vec::new();
    let mut used = 0;
    for word in words(line) {
        let w = word_width(&word);
        let trimmed = trimmed_width(&word);
        if used > 0 && used + trimmed > width {
            rows.push(std::mem::take(&mut row));
            used = 0;
        }
        if trimmed > width {
            // A word longer than a row: cut it, character by character.
            for (tok, text) in word {
                for c in text.chars() {
                    let cw = UnicodeWidthStr::width(c.encode_utf8(&mut [0; 4]) as &str);
                    if used + cw > width && used > 0 {
                        rows.push(std::mem::take(&mut row));
                        used = 0;
                    }
                    push(&mut row, tok, c);
                    used += cw;
                }
            }
            continue;
        }
        for (tok, text) in word {
            for c in text.chars() {
                push(&mut row, tok, c);
            }
        }
        used += w;
    }
    rows.push(row);
    rows
}

/// How many screen rows `line` takes at `width`.
pub fn rows(line: &JsonLine, width: usize) -> usize {
    wrap(line, width).len()
}

fn push(row: &mut JsonLine, tok: JsonTok, c: char) {
    match row.last_mut() {
        Some((t, text)) if *t == tok => text.push(c),
        _ => row.push((tok, c.to_string())),
    }
}

/// The line as words, each a run of non-spaces followed by its spaces, with its styles.
fn words(line: &JsonLine) -> Vec<Vec<(JsonTok, String)>> {
    let mut words: Vec<Vec<(JsonTok, String)>> = Vec::new();
    let mut word: Vec<(JsonTok, String)> = Vec::new();
    let mut in_space = false;
    for (tok, text) in line {
        for c in text.chars() {
            if c == ' ' {
                in_space = true;
            } else if in_space {
                words.push(std::mem::take(&mut word));
                in_space = false;
            }
            match word.last_mut() {
                Some((t, s)) if t == tok => s.push(c),
                _ => word.push((*tok, c.to_string())),
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn word_width(word: &[(JsonTok, String)]) -> usize {
    word.iter().map(|(_, s)| s.width()).sum()
}

/// The width without the trailing spaces: spaces may hang past the row's end.
fn trimmed_width(word: &[(JsonTok, String)]) -> usize {
    let text: String = word.iter().map(|(_, s)| s.as_str()).collect();
    text.trim_end_matches(' ').width()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[JsonLine]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|(_, s)| s.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        let line = vec![
            (JsonTok::Key, "\"errorMessage\"".to_string()),
            (JsonTok::Punct, ": ".to_string()),
            (JsonTok::Str, "\"is not authorized\"".to_string()),
        ];
        assert_eq!(
            text(&wrap(&line, 20)),
            vec!["\"errorMessage\": \"is ", "not authorized\""]
        );
        let long = vec![(JsonTok::Str, "abcdefghij".to_string())];
        assert_eq!(text(&wrap(&long, 4)), vec!["abcd", "efgh", "ij"]);
        assert_eq!(rows(&Vec::new(), 10), 1);
        // Styles survive a cut.
        let styled = wrap(&line, 20);
        assert_eq!(styled[1][0].0, JsonTok::Str);
        assert_eq!(rows(&line, 0), text(&wrap(&line, 1)).len());
    }
}
