//! What the command line asks of Lake, as a statement: `--sql` as given, or `--template`
//! with its `--param`s, for the window of `--since`/`--from`/`--to`.

use crate::cmd::args::{LakeArgs, LookupArgs};
use crate::lake::sql::{store_id, Window};
use crate::lake::templates::{by_name, Param, TEMPLATES};
use crate::model::time::EventTime;

/// The store id, the window and the statement to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub store: String,
    pub window: Window,
    pub sql: String,
}

/// `sql_text` is `--sql`'s text already read (from stdin for `-`).
pub fn request(
    lake: &LakeArgs,
    lookup: &LookupArgs,
    sql_text: Option<String>,
    now: EventTime,
) -> Result<Request, String> {
    let store = store_id(lake.lake.as_deref().unwrap_or(""))?;
    let (start, end) = crate::source::lookup::scope::window(&lookup.request(), now)?;
    let window = Window { start, end };
    let sql = match (sql_text, &lake.template) {
        (Some(sql), _) if sql.trim().is_empty() => return Err("--sql is empty".to_string()),
        (Some(sql), _) => sql,
        (None, Some(name)) => {
            let template = by_name(name).ok_or_else(|| {
                let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
                format!(
                    "no template {} (one of: {})",
                    crate::model::sanitize::visible(name),
                    names.join(", ")
                )
            })?;
            let params = params(&lake.param)?;
            template.render(&store, window, |p| {
                params.iter().find(|(q, _)| *q == p).map(|(_, v)| v.clone())
            })?
        }
        (None, None) => crate::lake::sql::events_query(&store, window, None),
    };
    Ok(Request { store, window, sql })
}

/// `key=AKIA…` pairs; an unknown name is an error naming the known ones.
pub fn params(given: &[String]) -> Result<Vec<(Param, String)>, String> {
    given
        .iter()
        .map(|kv| {
            let (k, v) = kv.split_once('=').ok_or_else(|| {
                format!(
                    "--param {}: give NAME=VALUE",
                    crate::model::sanitize::visible(kv)
                )
            })?;
            let p = Param::by_name(k.trim()).ok_or_else(|| {
                format!(
                    "--param {}: the parameters are key, ip, role, arn and chain",
                    crate::model::sanitize::visible(k)
                )
            })?;
            Ok((p, v.to_string()))
        })
        .collect()
}

/// Whether a statement bounds `eventTime` at all (a user's own SQL may not: it then scans,
/// and bills, the whole store).
pub fn is_time_bounded(sql: &str) -> bool {
    sql.to_ascii_lowercase().contains("eventtime")
        && ["<", ">", "between"]
            .iter()
            .any(|op| sql.to_ascii_lowercase().contains(op))
}
