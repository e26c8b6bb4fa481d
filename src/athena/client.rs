//! Athena through the SDK: a query run to its end (`execution` starts, polls and stops it),
//! its result read as GetQueryResults pages of 1,000 rows as soon as it succeeded (the
//! header row first on the first page only), or through `unload` when it is large; and the
//! catalog (a table's metadata, the CloudTrail tables). Everything is reported as it
//! happens, so the caller shows progress and keeps every row that arrived.

use super::catalog::FoundTable;
use super::errors::explain;
use super::execution::execute;
pub use super::execution::{Page, Report, Target};
use crate::job::{Ending, QueryProgress};
use crate::lake::client::Polling;
use aws_sdk_athena::Client;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// An Athena client with the profile's credentials, in `region` or else the profile's own
/// (Athena, its workgroups and catalog are regional).
pub async fn connect(
    profile: Option<&str>,
    region: Option<&str>,
) -> Result<(Client, String), String> {
    let config = crate::source::lookup::client::load_config(profile).await;
    let region = crate::source::lookup::client::region_or(&config, region, "no region for Athena: give --region (the region of the workgroup and the table), or set one in the profile or AWS_REGION")?;
    let client = Client::from_conf(
        aws_sdk_athena::config::Builder::from(&config)
            .region(aws_config::Region::new(region.clone()))
            .build(),
    );
    Ok((client, region))
}

/// Runs `sql` to its end. `cancel` turning true stops it (StopQueryExecution once it has an
/// id) and it ends Stopped with the rows read so far. A result larger than
/// `target.unload_over` rows is read back through S3 instead of page by page (`unload`).
pub async fn run_query<Sent: std::future::Future<Output = ()>>(
    client: &Client,
    region: &str,
    sql: &str,
    target: &Target,
    polling: Polling,
    mut cancel: watch::Receiver<bool>,
    mut report: impl FnMut(Report) -> Sent,
) {
    let mut p = QueryProgress {
        status: "STARTING".to_string(),
        ..QueryProgress::default()
    };
    report(Report::Progress(p.clone())).await;
    let ran = execute(
        client,
        region,
        sql,
        target,
        polling,
        &mut cancel,
        &mut p,
        &mut report,
    )
    .await;
    let ending = match ran {
        Err(ending) => ending,
        Ok(succeeded) => {
            report(Report::Progress(p.clone())).await;
            let large = match target.unload_over {
                Some(over) => super::unload::worth_it(client, sql, &p, over).await,
                None => None,
            };
            let read = match (large, succeeded.output_location) {
                (Some(rows), Some(location)) => {
                    let how = super::unload::Unload {
                        select: sql,
                        location: &location,
                        rows,
                    };
                    let selected = p.clone();
                    let unloaded = how
                        .fetch(
                            client,
                            region,
                            target,
                            polling,
                            &mut cancel,
                            &mut p,
                            &mut report,
                        )
                        .await;
                    match unloaded {
                        // Nothing came through S3 (no permission on the results location, the
                        // UNLOAD refused): the SELECT's own result is still there, page by page.
                        Err(Ending::Failed(_)) if p.rows == 0 => {
                            let billed = p.bytes_scanned;
                            p = selected;
                            p.bytes_scanned = billed;
                            results(client, region, &mut p, &mut cancel, &mut report).await
                        }
                        other => other,
                    }
                }
                _ => results(client, region, &mut p, &mut cancel, &mut report).await,
            };
            read.err().unwrap_or(Ending::Finished)
        }
    };
    report(Report::Done(p, ending)).await;
}

/// Reads every page of results, reporting each; a cancel stops between pages.
async fn results<Sent: std::future::Future<Output = ()>>(
    client: &Client,
    region: &str,
    p: &mut QueryProgress,
    cancel: &mut watch::Receiver<bool>,
    report: &mut impl FnMut(Report) -> Sent,
) -> Result<(), Ending> {
    let mut token: Option<String> = None;
    let mut header: Option<Arc<[String]>> = None;
    let mut failures = 0;
    loop {
        if *cancel.borrow() {
            return Err(Ending::Stopped);
        }
        let page = client
            .get_query_results()
            .query_execution_id(&p.query_id)
            .max_results(1000)
            .set_next_token(token.clone())
            .send()
            .await;
        match page {
            Ok(page) => {
                failures = 0;
                let mut rows: Vec<Vec<Option<String>>> = page
                    .result_set()
                    .map(|r| r.rows())
                    .unwrap_or_default()
                    .iter()
                    .map(|r| {
                        r.data()
                            .iter()
                            .map(|d| d.var_char_value().map(str::to_string))
                            .collect()
                    })
                    .collect();
                // The first page's first row names the columns (SELECT results only).
                let header = match &header {
                    Some(h) => h.clone(),
                    None if rows.is_empty() => return Ok(()),
                    None => {
                        let names: Vec<String> = rows
                            .remove(0)
                            .into_iter()
                            .map(Option::unwrap_or_default)
                            .collect();
                        header.insert(Arc::from(names)).clone()
                    }
                };
                p.rows += rows.len() as u64;
                if !rows.is_empty() {
                    report(Report::Rows(Page { header, rows })).await;
                }
                report(Report::Progress(p.clone())).await;
                token = page.next_token().map(str::to_string);
                if token.is_none() {
                    return Ok(());
                }
            }
            Err(e) if crate::lake::errors::is_transient(&e) && failures < 6 => {
                failures += 1;
                p.retries += 1;
                tokio::time::sleep(Duration::from_millis(250 << failures)).await;
            }
            Err(e) => {
                return Err(Ending::Failed(format!(
                    "{}; {} row(s) read before it are kept",
                    explain(&e, "GetQueryResults", region),
                    p.rows
                )))
            }
        }
    }
}

/// What the catalog says of a table: its partition keys and its properties (projection).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableInfo {
    pub partition_keys: Vec<String>,
    pub parameters: Vec<(String, String)>,
    pub columns: Vec<String>,
}

impl TableInfo {
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// GetTableMetadata for `database.table` in the default catalog.
pub async fn table_info(
    client: &Client,
    region: &str,
    database: &str,
    table: &str,
) -> Result<TableInfo, String> {
    let out = client
        .get_table_metadata()
        .catalog_name("AwsDataCatalog")
        .database_name(database)
        .table_name(table)
        .send()
        .await
        .map_err(|e| explain(&e, "GetTableMetadata", region))?;
    let Some(t) = out.table_metadata() else {
        return Err(format!("Athena described no table {database}.{table}"));
    };
    let names = |cols: &[aws_sdk_athena::types::Column]| {
        cols.iter()
            .map(|c| c.name().to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    let mut parameters: Vec<(String, String)> = t
        .parameters()
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    parameters.sort();
    Ok(TableInfo {
        partition_keys: names(t.partition_keys()),
        parameters,
        columns: names(t.columns()),
    })
}

/// Every table of the default catalog that holds CloudTrail: its columns are CloudTrail's
/// (`eventversion`, `useridentity`, `eventname`, `eventsource`) and its location a trail's
/// (`…/AWSLogs/…`).
pub async fn cloudtrail_tables(client: &Client, region: &str) -> Result<Vec<FoundTable>, String> {
    let mut databases = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_databases()
            .catalog_name("AwsDataCatalog")
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| explain(&e, "ListDatabases", region))?;
        databases.extend(page.database_list().iter().map(|d| d.name().to_string()));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let mut found = Vec::new();
    for db in databases {
        let mut token = None;
        loop {
            let page = client
                .list_table_metadata()
                .catalog_name("AwsDataCatalog")
                .database_name(&db)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| explain(&e, "ListTableMetadata", region))?;
            for t in page.table_metadata_list() {
                let columns: Vec<String> = t
                    .columns()
                    .iter()
                    .map(|c| c.name().to_ascii_lowercase())
                    .collect();
                let params = t.parameters();
                let param = |k: &str| params.and_then(|p| p.get(k)).cloned();
                let location = param("location").unwrap_or_default();
                let cloudtrail = ["eventversion", "useridentity", "eventname", "eventsource"]
                    .iter()
                    .all(|c| columns.iter().any(|x| x == c));
                if !cloudtrail || !location.contains("AWSLogs/") {
                    continue;
                }
                let keys: Vec<String> = t
                    .partition_keys()
                    .iter()
                    .map(|c| c.name().to_ascii_lowercase())
                    .collect();
                let projected = param("projection.enabled").as_deref() == Some("true");
                let first_day = param("projection.timestamp.range")
                    .and_then(|r| r.split(',').next().map(|d| d.trim().to_string()));
                found.push(FoundTable::new(
                    format!("{db}.{}", t.name()),
                    location,
                    keys,
                    projected,
                    first_day,
                ));
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    Ok(found)
}
