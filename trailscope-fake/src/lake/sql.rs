//! Parsing a Lake statement with a real SQL parser (sqlparser's generic dialect, which reads
//! the Trino that Lake speaks closely enough: '' inside literals, no backslash escapes, U&'…'
//! Unicode literals, "quoted" identifiers). Lake's one oddity is the event data store id
//! written unquoted after FROM (`FROM 7e1b0c3a-5d2f-…`), which no SQL grammar reads as one
//! name: the token after FROM is quoted before parsing, found with the parser's own tokenizer
//! so that nothing inside a string literal or a comment is ever touched.

use sqlparser::ast::{Query, Statement};
use sqlparser::dialect::GenericDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token, Tokenizer};

/// Parses exactly one SELECT statement (a trailing `;` is allowed); anything else is an error
/// with the parser's message.
pub fn parse_statement(sql: &str) -> Result<Query, String> {
    let quoted = quote_store_ids(sql)?;
    let mut statements =
        Parser::parse_sql(&GenericDialect {}, &quoted).map_err(|e| e.to_string())?;
    if statements.len() > 1 {
        return Err(format!(
            "only one statement can run at a time ({} given)",
            statements.len()
        ));
    }
    match statements.pop() {
        Some(Statement::Query(query)) => Ok(*query),
        Some(other) => Err(format!(
            "only SELECT statements can run, not {}",
            first_words(&other.to_string())
        )),
        None => Err("the statement is empty".to_string()),
    }
}

/// `INSERT INTO …` for an error message: the statement's kind, not its (hostile) values.
fn first_words(statement: &str) -> String {
    statement
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '_')
        .collect()
}

/// Puts double quotes around an unquoted name after FROM (or JOIN) that SQL cannot read as one
/// identifier: one that starts with a digit or holds a dash.
fn quote_store_ids(sql: &str) -> Result<String, String> {
    let tokens = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| e.to_string())?;
    let mut starts = Vec::new();
    let mut after_from = false;
    for t in &tokens {
        match &t.token {
            Token::Whitespace(_) => continue,
            Token::Word(w)
                if w.quote_style.is_none()
                    && matches!(w.keyword, Keyword::FROM | Keyword::JOIN) =>
            {
                after_from = true;
                continue;
            }
            _ if after_from => {
                if let Some(at) = byte_offset(sql, t.span.start) {
                    starts.push(at);
                }
            }
            _ => {}
        }
        after_from = false;
    }
    let mut out = String::with_capacity(sql.len() + 2 * starts.len());
    let mut copied = 0;
    for start in starts {
        // A FROM inside a name just quoted (`FROM a-FROM-b`) is part of that name.
        let name = match sql.get(start..) {
            Some(rest) if start >= copied => store_like_name(rest),
            _ => continue,
        };
        if name.is_empty() {
            continue;
        }
        out.push_str(&sql[copied..start]);
        out.push('"');
        out.push_str(name);
        out.push('"');
        copied = start + name.len();
    }
    out.push_str(sql.get(copied..).unwrap_or_default());
    Ok(out)
}

/// The run of letters, digits, `_` and `-` at the start of `rest` (stopping at a `--`
/// comment), if it needs quoting; empty otherwise.
fn store_like_name(rest: &str) -> &str {
    let mut end = 0;
    let bytes = rest.as_bytes();
    while end < bytes.len() {
        let b = bytes[end];
        let dash_comment = b == b'-' && bytes.get(end + 1) == Some(&b'-');
        if dash_comment || !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            break;
        }
        end += 1;
    }
    let name = &rest[..end];
    // All digits is a number (`SUBSTRING(x FROM 2)`), not a name.
    let odd = (name.contains('-') || name.starts_with(|c: char| c.is_ascii_digit()))
        && !name.bytes().all(|b| b.is_ascii_digit());
    if odd {
        name
    } else {
        ""
    }
}

/// The byte offset of a tokenizer location (1-based line and column, counted in chars, a
/// line ending at each `\n`).
fn byte_offset(sql: &str, at: Location) -> Option<usize> {
    let (mut line, mut column) = (1u64, 1u64);
    for (i, c) in sql.char_indices() {
        if line == at.line && column == at.column {
            return Some(i);
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

    #[test]
    fn a_store_id_after_from_is_quoted_and_nothing_else() {
        let sql = format!("SELECT eventName FROM {ID} WHERE x = 'FROM 1-2' -- FROM 3-4\n");
        let quoted = quote_store_ids(&sql).expect("tokenizes");
        assert_eq!(
            quoted,
            format!("SELECT eventName FROM \"{ID}\" WHERE x = 'FROM 1-2' -- FROM 3-4\n")
        );
        assert_eq!(
            quote_store_ids("SELECT a FROM x-FROM-y").as_deref(),
            Ok("SELECT a FROM \"x-FROM-y\"")
        );
        let plain = "SELECT a FROM t WHERE b = 1";
        assert_eq!(quote_store_ids(plain).as_deref(), Ok(plain));
        let already = format!("SELECT a FROM \"{ID}\"");
        assert_eq!(quote_store_ids(&already).as_deref(), Ok(already.as_str()));
        let multiline = format!("SELECT 'é'\n, b\nFROM {ID}--c\n");
        assert_eq!(
            quote_store_ids(&multiline).as_deref(),
            Ok(format!("SELECT 'é'\n, b\nFROM \"{ID}\"--c\n").as_str())
        );
    }

    #[test]
    fn one_select_parses_and_everything_else_is_refused() {
        assert!(parse_statement(&format!("SELECT * FROM {ID};")).is_ok());
        assert!(parse_statement(&format!("select eventTime from {ID} limit 5")).is_ok());
        for bad in [
            "SELECT * FROM x; SELECT 1".to_string(),
            format!("DELETE FROM {ID}"),
            "SELECT * FROM".to_string(),
            "SELECT 'unterminated".to_string(),
            String::new(),
            ";".to_string(),
        ] {
            assert!(parse_statement(&bad).is_err(), "{bad:?} accepted");
        }
        let err = parse_statement(&format!("DROP TABLE \"{ID}\"")).expect_err("refused");
        assert!(err.contains("DROP TABLE"), "{err}");
    }
}
