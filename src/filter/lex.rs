//! Splits a filter into tokens, remembering where each came from so errors can point at it.

use super::ParseError;

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Tok {
    LParen,
    RParen,
    Or,
    Not,
    /// A bare word or a quoted string. `quoted` words are never operators or fields.
    Word {
        text: String,
        quoted: bool,
    },
    /// `field:value` (the value possibly quoted); `name` as typed.
    /// `exact` for `field:=value`.
    Pair {
        name: String,
        value: String,
        value_at: usize,
        exact: bool,
    },
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Token {
    pub tok: Tok,
    /// Character offsets (not bytes): what a cursor in the filter bar counts.
    pub start: usize,
    pub end: usize,
}

pub fn lex(input: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | '|' => {
                i += 1;
                let tok = match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    _ => Tok::Or,
                };
                out.push(Token { tok, start, end: i });
            }
            // A prefix `-` or `!` negates what follows it directly.
            '-' | '!' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                i += 1;
                out.push(Token {
                    tok: Tok::Not,
                    start,
                    end: i,
                });
            }
            '-' | '!' => {
                return Err(ParseError::new(start, 1, "nothing to negate after this"));
            }
            '"' => {
                let (text, next) = quoted(&chars, i)?;
                i = next;
                out.push(Token {
                    tok: Tok::Word { text, quoted: true },
                    start,
                    end: i,
                });
            }
            _ => {
                let (word, next) = bare(&chars, i);
                i = next;
                out.push(word_token(&chars, word, start, &mut i)?);
            }
        }
    }
    Ok(out)
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '|' | '"')
}

fn bare(chars: &[char], mut i: usize) -> (String, usize) {
    let mut s = String::new();
    while i < chars.len() && !ends_word(chars[i]) {
        s.push(chars[i]);
        i += 1;
    }
    (s, i)
}

/// A quoted string starting at `chars[i] == '"'`; `\"` and `\\` escape.
fn quoted(chars: &[char], i: usize) -> Result<(String, usize), ParseError> {
    let mut s = String::new();
    let mut j = i + 1;
    while j < chars.len() {
        match chars[j] {
            '"' => return Ok((s, j + 1)),
            '\\' if matches!(chars.get(j + 1), Some('"' | '\\')) => {
                s.push(chars[j + 1]);
                j += 2;
            }
            c => {
                s.push(c);
                j += 1;
            }
        }
    }
    Err(ParseError::new(i, chars.len() - i, "unclosed quote"))
}

/// Classifies a bare word: operator, `field:value` (value may continue as a quoted string), or
/// free text. `i` is just past the word and moves past a quoted value.
fn word_token(
    chars: &[char],
    word: String,
    start: usize,
    i: &mut usize,
) -> Result<Token, ParseError> {
    let end = *i;
    if word.eq_ignore_ascii_case("or") {
        return Ok(Token {
            tok: Tok::Or,
            start,
            end,
        });
    }
    if word.eq_ignore_ascii_case("not") {
        return Ok(Token {
            tok: Tok::Not,
            start,
            end,
        });
    }
    let free_text = |text: String| Token {
        tok: Tok::Word {
            text,
            quoted: false,
        },
        start,
        end,
    };
    let Some(colon) = word.find(':') else {
        return Ok(free_text(word));
    };
    let name = &word[..colon];
    // A pasted ARN is free text, not the `arn:` field with a strange value.
    let is_arn_text = name == "arn" && word[colon + 1..].starts_with("aws");
    if is_arn_text || !looks_like_field_name(name) {
        return Ok(free_text(word));
    }
    let name = name.to_string();
    let value_at = start + name.chars().count() + 1;
    let after_colon = &word[colon + 1..];
    let exact = after_colon.starts_with('=');
    let mut value = after_colon
        .strip_prefix('=')
        .unwrap_or(after_colon)
        .to_string();
    if value.is_empty() && chars.get(*i) == Some(&'"') {
        let (text, next) = quoted(chars, *i)?;
        value = text;
        *i = next;
    }
    let value_at = value_at + usize::from(exact);
    Ok(Token {
        tok: Tok::Pair {
            name,
            value,
            value_at,
            exact,
        },
        start,
        end: *i,
    })
}

/// `ip`, `event`: a field name, known or mistyped. `s3:GetObject` or `10:30` are free text.
fn looks_like_field_name(name: &str) -> bool {
    name.len() >= 2 && name.chars().all(|c| c.is_ascii_alphabetic())
}
