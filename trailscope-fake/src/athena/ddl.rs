//! `CREATE EXTERNAL TABLE [IF NOT EXISTS]` on the fake's catalog: the statement is parsed with
//! a real SQL parser (Databricks' dialect reads Hive's DDL whole: nested column types,
//! PARTITIONED BY, ROW FORMAT SERDE, LOCATION, TBLPROPERTIES) and the table it describes joins
//! the catalog, its partition projection read from its properties. DDL reads no data: it
//! scans nothing and returns no rows. A table already there is kept as it is (IF NOT EXISTS),
//! or the statement fails (without it), as Athena does.

use super::catalog::{FakeTable, Partitioning};
use sqlparser::ast::{CreateTableOptions, HiveDistributionStyle, SqlOption, Statement};
use sqlparser::dialect::DatabricksDialect;
use sqlparser::parser::Parser;

/// Whether `sql` is a statement the DDL path takes.
pub(crate) fn is_ddl(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("create"))
}

/// Runs the CREATE statement against `tables`; `database` names the query's database.
pub(crate) fn run(sql: &str, database: &str, tables: &mut Vec<FakeTable>) -> Result<(), String> {
    let parsed =
        Parser::parse_sql(&DatabricksDialect {}, sql).map_err(|e| format!("line 1:1: {e}"))?;
    let [Statement::CreateTable(t)] = parsed.as_slice() else {
        return Err("the fake Athena runs one CREATE EXTERNAL TABLE per statement".to_string());
    };
    if !t.external {
        return Err("only CREATE EXTERNAL TABLE: Athena's tables over S3 are external".to_string());
    }
    let names: Vec<String> = t
        .name
        .0
        .iter()
        .map(|p| p.to_string().trim_matches(['`', '"']).to_ascii_lowercase())
        .collect();
    let (db, name) = match names.as_slice() {
        [n] => (database.to_string(), n.clone()),
        [d, n] => (d.clone(), n.clone()),
        _ => return Err(format!("a table name of {} parts", names.len())),
    };
    if tables.iter().any(|x| x.database == db && x.name == name) {
        return match t.if_not_exists {
            true => Ok(()),
            false => Err(format!(
                "AlreadyExistsException: Table {db}.{name} already exists"
            )),
        };
    }
    let location = t
        .hive_formats
        .as_ref()
        .and_then(|f| f.location.clone())
        .ok_or("an external table needs a LOCATION")?;
    let properties: Vec<(String, String)> = match &t.table_options {
        CreateTableOptions::TableProperties(list) => list
            .iter()
            .filter_map(|o| match o {
                SqlOption::KeyValue { key, value } => Some((
                    key.to_string().trim_matches('\'').to_string(),
                    value.to_string().trim_matches('\'').to_string(),
                )),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let property = |k: &str| {
        properties
            .iter()
            .find(|(p, _)| p == k)
            .map(|(_, v)| v.clone())
    };
    let partitioned = matches!(&t.hive_distribution, HiveDistributionStyle::PARTITIONED { columns } if !columns.is_empty());
    let list = |k: &str| property(k).map(|v| v.split(',').map(str::to_string).collect());
    let partitioning = match (partitioned, property("projection.enabled").as_deref()) {
        (true, Some("true")) => Partitioning::Projected {
            accounts: list("projection.account.values"),
            regions: list("projection.region.values"),
            since: property("projection.timestamp.range")
                .and_then(|r| r.split(',').next().map(str::to_string))
                .ok_or("projection.timestamp.range missing")?,
        },
        (true, _) => return Err("the fake's tables are partitioned by projection only".to_string()),
        (false, _) => Partitioning::None,
    };
    tables.push(FakeTable {
        database: db,
        name,
        location,
        partitioning,
    });
    Ok(())
}
