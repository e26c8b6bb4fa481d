//! Tokens → `Expr`. AND by juxtaposition, OR with `|` or `or`, `-`/`!`/`not` negate,
//! parentheses group; OR binds looser than AND.

use super::ast::Expr;
use super::field::{Field, FIELDS};
use super::lex::{lex, Tok, Token};
use super::ParseError;

pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let tokens = lex(input)?;
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        len: input.chars().count(),
    };
    let expr = p.or()?;
    match p.tokens.get(p.pos) {
        None => Ok(expr),
        Some(t) => Err(ParseError::new(t.start, t.end - t.start, "unmatched `)`")),
    }
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    len: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut branches = vec![self.and()?];
        while let Some(t) = self.peek() {
            if t.tok != Tok::Or {
                break;
            }
            let at = t.start;
            self.pos += 1;
            let rhs = self.and()?;
            if rhs.is_all() {
                return Err(ParseError::new(at, 1, "`or` needs something on both sides"));
            }
            branches.push(rhs);
        }
        if branches.len() == 1 {
            return Ok(branches.pop().unwrap_or_else(Expr::all));
        }
        if branches.iter().any(Expr::is_all) {
            let at = self
                .tokens
                .iter()
                .find(|t| t.tok == Tok::Or)
                .map_or(0, |t| t.start);
            return Err(ParseError::new(at, 1, "`or` needs something on both sides"));
        }
        Ok(Expr::Or(branches))
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut parts = Vec::new();
        while let Some(t) = self.peek() {
            if matches!(t.tok, Tok::Or | Tok::RParen) {
                break;
            }
            if matches!(&t.tok, Tok::Word { text, quoted: false } if text.eq_ignore_ascii_case("and"))
            {
                self.pos += 1;
                continue;
            }
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let Some(t) = self.peek().cloned() else {
            return Err(ParseError::new(self.len, 0, "expression ends too soon"));
        };
        self.pos += 1;
        match t.tok {
            Tok::Not => match self.peek() {
                None => Err(ParseError::new(t.start, 1, "nothing to negate after this")),
                Some(n) if matches!(n.tok, Tok::Or | Tok::RParen) => {
                    Err(ParseError::new(t.start, 1, "nothing to negate after this"))
                }
                Some(_) => Ok(Expr::Not(Box::new(self.unary()?))),
            },
            Tok::LParen => {
                let inner = self.or()?;
                match self.peek() {
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(ParseError::new(t.start, 1, "`(` is never closed")),
                }
            }
            Tok::RParen => Err(ParseError::new(t.start, 1, "unmatched `)`")),
            Tok::Or => Err(ParseError::new(
                t.start,
                t.end - t.start,
                "`or` needs something on both sides",
            )),
            Tok::Word { text, .. } => Ok(Expr::Text(text)),
            Tok::Pair {
                name,
                value,
                value_at,
                exact,
            } => pair(&name, value, exact, t.start, value_at, t.end),
        }
    }
}

fn pair(
    name: &str,
    value: String,
    exact: bool,
    start: usize,
    value_at: usize,
    end: usize,
) -> Result<Expr, ParseError> {
    let Some(field) = Field::by_name(name) else {
        let len = name.chars().count();
        let msg = match suggest(name) {
            Some(s) => format!("unknown field `{name}:` (did you mean `{s}:`?)"),
            None => format!("unknown field `{name}:` (fields: {})", field_list()),
        };
        return Err(ParseError::new(start, len, msg));
    };
    if value.is_empty() {
        return Err(ParseError::new(
            value_at,
            0,
            format!("`{name}:` needs a value"),
        ));
    }
    // Values are checked here, so a half-typed `after:2024-1` says what is wrong and where.
    if let Err(why) = super::compile::check_value(field, &value) {
        return Err(ParseError::new(value_at, end - value_at, why));
    }
    Ok(Expr::Field {
        field,
        value,
        exact,
    })
}

fn field_list() -> String {
    FIELDS
        .iter()
        .map(|f| f.names[0])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The known name closest to a typo (edit distance ≤ 2), or one it starts.
fn suggest(name: &str) -> Option<&'static str> {
    crate::did_you_mean::closest(name, FIELDS.iter().flat_map(|f| f.names.iter().copied()))
}
