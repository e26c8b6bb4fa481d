//! Lake SQL generation: whatever the pivot value, the statement parses as one SELECT, holds
//! no terminal-driving character, and carries the value as exactly one literal that reads back
//! as the value. Also: the fake's SQL parser never panics on the bytes as a statement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sqlparser::dialect::GenericDialect;
use sqlparser::tokenizer::{Token, Tokenizer};
use trailscope::filter::field::Field;
use trailscope::filter::Expr;
use trailscope::lake::pushdown::condition;
use trailscope::lake::sql::{events_query, Window};
use trailscope::model::time::EventTime;
use trailscope_fake::lake::parse_statement;

fuzz_target!(|value: &str| {
    let _ = parse_statement(value);
    if value.is_empty() {
        return;
    }
    let expr = Expr::Field {
        field: Field::Ip,
        value: value.to_string(),
        exact: true,
    };
    let Ok(cond) = condition(&expr) else { return };
    let window = Window {
        start: EventTime::from_millis(1_700_000_000_000),
        end: EventTime::from_millis(1_700_086_400_000),
    };
    let sql = events_query("7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a", window, Some(&cond));
    assert!(parse_statement(&sql).is_ok(), "{sql}");
    assert!(!sql.chars().any(|c| trailscope::model::sanitize::is_unsafe(c) && c != '\n'));
    let literals: Vec<String> = Tokenizer::new(&GenericDialect {}, &sql)
        .tokenize()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::SingleQuotedString(s) | Token::UnicodeStringLiteral(s) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(literals.len(), 3, "{sql}");
    assert_eq!(literals[2], value);
});
