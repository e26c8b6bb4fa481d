//! Athena queries over the CloudTrail table (`table`). Athena bills by the bytes it reads and
//! only partition predicates narrow what it reads, so every events query carries one: the
//! projected days of the window, and the accounts and regions asked for. The exact window
//! is then an `eventtime` bound. Values only ever appear as literals (`trino::literal`);
//! names are checked (`names`) before they are written.

use super::names;
use super::table::{day_folder, Kind, COLUMNS};
use crate::source::s3::plan::DELIVERY_LAG_MS;
use crate::trino::{literal, Window};
use jiff::Timestamp;
use std::fmt::Write;

/// A checked `database.table`, written as `"db"."table"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table(String);

impl Table {
    pub fn new(database: &str, table: &str) -> Result<Table, String> {
        Ok(Table(format!(
            "\"{}\".\"{}\"",
            names::identifier("database", database)?,
            names::identifier("table", table)?
        )))
    }

    pub fn as_sql(&self) -> &str {
        &self.0
    }
}

/// The accounts and regions a query reads, checked; empty reads every projected value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    accounts: Vec<String>,
    regions: Vec<String>,
}

impl Scope {
    pub fn new(accounts: &[String], regions: &[String]) -> Result<Scope, String> {
        let checked = |items: &[String], what, check| match items.is_empty() {
            true => Ok(Vec::new()),
            false => names::list(what, items, check),
        };
        Ok(Scope {
            accounts: checked(accounts, "account", names::account)?,
            regions: checked(regions, "region", names::region)?,
        })
    }

    pub fn accounts(&self) -> &[String] {
        &self.accounts
    }

    pub fn regions(&self) -> &[String] {
        &self.regions
    }
}

/// The first and last day folders a window's events are delivered under: a day folder holds
/// the files delivered that day, after every event in them, so the last day is the one the
/// window's end falls on plus the delivery lag.
fn days(window: Window) -> Result<(String, String), String> {
    let last_ms = window
        .end
        .millis()
        .map(|e| e.saturating_sub(1).saturating_add(DELIVERY_LAG_MS));
    let first = day_folder(window.start);
    let last = last_ms.and_then(|ms| day_folder(crate::model::time::EventTime::from_millis(ms)));
    match (first, last) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err("the window needs a known start and end".to_string()),
    }
}

/// What a statement reads, for the title and standard error: `reads days 2026/11/01 →
/// 2026/11/23 × every account × 2 regions`, or `reads the whole table`.
pub fn partitions_read(window: Window, scope: &Scope, partitioned: Partitioned) -> String {
    let many = |n: usize, one: &str| match n {
        0 => format!("every {one}"),
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    match (partitioned, days(window)) {
        (Partitioned::No, _) | (_, Err(_)) => "reads the whole table".to_string(),
        (Partitioned::ByAccountRegionDay, Ok((first, last))) => format!(
            "reads days {first} → {last} × {} × {}",
            many(scope.accounts.len(), "account"),
            many(scope.regions.len(), "region")
        ),
    }
}

/// `"timestamp" BETWEEN 'first day' AND 'last day'` [AND `"account" IN (…)`] [AND `"region"
/// IN (…)`], the days as `days` reads them.
pub fn partition_predicate(window: Window, scope: &Scope) -> Result<String, String> {
    let (first, last) = days(window)?;
    if window.end <= window.start {
        return Err("the window ends before it starts".to_string());
    }
    let mut sql = format!(
        "\"timestamp\" BETWEEN {} AND {}",
        literal(&first),
        literal(&last)
    );
    for (column, values) in [("account", &scope.accounts), ("region", &scope.regions)] {
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|v| literal(v)).collect();
            let _ = write!(sql, " AND \"{column}\" IN ({})", list.join(", "));
        }
    }
    Ok(sql)
}

/// `'2026-11-20T09:00:00.000Z'`: a window bound as `from_iso8601_timestamp` reads it.
fn iso(t: crate::model::time::EventTime) -> Result<String, String> {
    let ms = t.millis().ok_or("the window needs a known start and end")?;
    let ts = Timestamp::from_millisecond(ms).map_err(|e| format!("the window: {e}"))?;
    Ok(literal(&ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()))
}

/// The exact window on `eventtime`, an ISO-8601 string in the table. `try` makes a record
/// with a malformed time fall out of the window instead of failing the whole query.
pub fn time_bounds(window: Window) -> Result<String, String> {
    let at = "try(from_iso8601_timestamp(eventtime))";
    Ok(format!(
        "{at} >= from_iso8601_timestamp({}) AND {at} < from_iso8601_timestamp({})",
        iso(window.start)?,
        iso(window.end)?
    ))
}

/// Every column of the table, so rows can be rebuilt into records: strings as they are,
/// STRUCTs and ARRAYs as JSON text (their field names lowercase, as the table has them).
pub fn select_list() -> String {
    let items: Vec<String> = COLUMNS
        .iter()
        .map(|c| match c.kind {
            Kind::Text | Kind::Json => c.name.to_string(),
            Kind::Nested => format!("json_format(CAST({0} AS JSON)) AS {0}", c.name),
        })
        .collect();
    items.join(",\n  ")
}

/// Whether a table is partitioned the way `table::create_table` makes it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Partitioned {
    /// `account`, `region`, `timestamp` (projected or added).
    ByAccountRegionDay,
    /// No partitions (the CloudTrail console's table): every statement reads every file.
    No,
}

/// The scope as plain column conditions, for a table without partitions (they narrow the
/// rows, not what is read).
fn scope_columns(scope: &Scope) -> String {
    let mut sql = String::new();
    for (column, values) in [
        ("recipientaccountid", &scope.accounts),
        ("awsregion", &scope.regions),
    ] {
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|v| literal(v)).collect();
            let _ = write!(sql, "\n  AND {column} IN ({})", list.join(", "));
        }
    }
    sql
}

/// `SELECT <every column> FROM "db"."table" WHERE <partitions> AND <window> [AND (condition)]`.
/// No ORDER BY: the store orders events itself, and sorting an organization's window would
/// make Athena hold every row before returning the first.
pub fn events_query(
    table: &Table,
    window: Window,
    scope: &Scope,
    condition: Option<&str>,
    partitioned: Partitioned,
) -> Result<String, String> {
    let mut sql = format!(
        "SELECT\n  {}\nFROM {}\nWHERE ",
        select_list(),
        table.as_sql()
    );
    match partitioned {
        Partitioned::ByAccountRegionDay => {
            let _ = write!(sql, "{}\n  AND ", partition_predicate(window, scope)?);
            sql.push_str(&time_bounds(window)?);
        }
        Partitioned::No => {
            sql.push_str(&time_bounds(window)?);
            sql.push_str(&scope_columns(scope));
        }
    }
    if let Some(c) = condition {
        let _ = write!(sql, "\n  AND ({c})");
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::EventTime;

    fn window(start: &str, end: &str) -> Window {
        Window {
            start: EventTime::parse(start).unwrap_or_default(),
            end: EventTime::parse(end).unwrap_or_default(),
        }
    }

    #[test]
    fn the_partition_predicate_covers_the_days_and_the_delivery_lag() {
        let w = window("2026-11-20T09:00:00Z", "2026-11-21T00:00:00Z");
        assert_eq!(
            partition_predicate(w, &Scope::default()).as_deref(),
            Ok("\"timestamp\" BETWEEN '2026/11/20' AND '2026/11/21'")
        );
        let w = window("2026-11-20T09:00:00Z", "2026-11-20T12:00:00Z");
        let scope = Scope::new(
            &["222233334444".to_string(), "111122223333".to_string()],
            &["us-east-1".to_string()],
        )
        .unwrap_or_default();
        assert_eq!(
            partition_predicate(w, &scope).as_deref(),
            Ok("\"timestamp\" BETWEEN '2026/11/20' AND '2026/11/20' AND \"account\" IN ('111122223333', '222233334444') AND \"region\" IN ('us-east-1')")
        );
        assert!(Scope::new(&["x".to_string()], &[]).is_err());
        assert!(partition_predicate(
            window("2026-11-21T00:00:00Z", "2026-11-20T00:00:00Z"),
            &Scope::default()
        )
        .is_err());
    }

    #[test]
    fn events_queries_select_every_column_within_partitions_and_the_window() {
        let table = Table::new("trailscope", "cloudtrail_org");
        let table = table.unwrap_or_else(|_| Table(String::new()));
        let w = window("2026-11-20T09:00:00Z", "2026-11-20T12:00:00Z");
        let sql = events_query(
            &table,
            w,
            &Scope::default(),
            Some("eventname = 'x'"),
            Partitioned::ByAccountRegionDay,
        )
        .unwrap_or_else(|e| e);
        assert!(sql.starts_with("SELECT\n  eventversion,\n  json_format(CAST(useridentity AS JSON)) AS useridentity,\n  eventtime,"), "{sql}");
        assert!(sql.contains("\nFROM \"trailscope\".\"cloudtrail_org\"\nWHERE \"timestamp\" BETWEEN '2026/11/20' AND '2026/11/20'\n  AND try(from_iso8601_timestamp(eventtime)) >= from_iso8601_timestamp('2026-11-20T09:00:00.000Z') AND try(from_iso8601_timestamp(eventtime)) < from_iso8601_timestamp('2026-11-20T12:00:00.000Z')\n  AND (eventname = 'x')"), "{sql}");
        assert!(Table::new("db", "Bad-Name").is_err());
    }
}
