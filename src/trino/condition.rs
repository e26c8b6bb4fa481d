//! A filter as a SQL condition that selects exactly the events the local filter selects, the
//! part both engines share: AND, OR and NOT with the local filter's reading of a missing
//! field. Each engine passes its own `Term`: how one `field:value` reads on its columns, or
//! why it cannot be asked there.

use crate::filter::field::Field;
use crate::filter::Expr;

/// One `field:value` term (`exact` for `field:=value`) as a condition on an engine's
/// columns, or why it stays with the local filter.
pub type Term<'a> = &'a dyn Fn(Field, &str, bool) -> Result<String, String>;

/// The SQL condition for `expr`, or why it cannot be asked of the engine.
pub fn condition(expr: &Expr, term: Term<'_>) -> Result<String, String> {
    match expr {
        Expr::And(parts) if parts.is_empty() => {
            Err("the whole window: give a pivot or a condition".to_string())
        }
        Expr::And(parts) => join(parts, " AND ", term),
        Expr::Or(parts) => join(parts, " OR ", term),
        // SQL's NOT of NULL is NULL, which drops the row: `NOT (errorCode = 'x')` would lose
        // every call without an error code, which the local `-error:=x` keeps. coalesce makes
        // the inner condition false where a column is missing, as the local filter reads it.
        // AND and OR need nothing: without NOT, NULL drops a row exactly where false would
        // (NULL only ever stands where the local filter says false, and AND/OR are monotone).
        Expr::Not(inner) => Ok(format!(
            "NOT coalesce(({}), false)",
            condition(inner, term)?
        )),
        Expr::Text(_) => Err("free text searches the loaded events only".to_string()),
        Expr::Field {
            field,
            value,
            exact,
        } => term(*field, value, *exact),
    }
}

fn join(parts: &[Expr], op: &str, term: Term<'_>) -> Result<String, String> {
    let conditions: Result<Vec<String>, String> = parts
        .iter()
        .map(|p| condition(p, term).map(|c| format!("({c})")))
        .collect();
    Ok(conditions?.join(op))
}
