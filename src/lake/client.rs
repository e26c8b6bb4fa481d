//! Lake through the SDK: the event data stores an account can query, and one query's life —
//! StartQuery, DescribeQuery polled with backoff (status, events and bytes scanned, the
//! cost so far), GetQueryResults pages of 1000 as soon as there are results, CancelQuery
//! when asked. Everything is reported as it happens, so the caller (the app, or
//! `trailscope query`) shows progress and keeps every row that arrived, whatever ends it.

use super::errors::{explain, is_transient};
use super::rows::Row;
use super::stores::StoreInfo;
use crate::job::{Ending, QueryProgress};
use aws_sdk_cloudtrail::Client;
use std::time::Duration;
use tokio::sync::watch;

/// Every event data store in the client's region, with the details ListEventDataStores no
/// longer returns (GetEventDataStore for each).
pub async fn list_stores(client: &Client, region: &str) -> Result<Vec<StoreInfo>, String> {
    let mut stores = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_event_data_stores()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| explain(&e, "ListEventDataStores", region))?;
        for s in page.event_data_stores() {
            let Some(arn) = s.event_data_store_arn() else {
                continue;
            };
            let id = arn.rsplit('/').next().unwrap_or(arn).to_string();
            let mut info = StoreInfo {
                id,
                arn: arn.to_string(),
                name: s.name().unwrap_or("").to_string(),
                status: String::new(),
                retention_days: None,
                multi_region: None,
                organization: None,
            };
            // The list is enough to pick from: a store whose details cannot be read stays.
            if let Ok(d) = client
                .get_event_data_store()
                .event_data_store(arn)
                .send()
                .await
            {
                info.status = d
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                info.retention_days = d.retention_period();
                info.multi_region = d.multi_region_enabled();
                info.organization = d.organization_enabled();
            }
            stores.push(info);
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(stores);
        }
    }
}

/// A report from a running query.
#[derive(Debug)]
pub enum Report {
    Progress(QueryProgress),
    Rows(Vec<Row>),
    Done(QueryProgress, Ending),
}

/// How often DescribeQuery is asked: `first`, doubling up to `max`.
#[derive(Copy, Clone, Debug)]
pub struct Polling {
    pub first: Duration,
    pub max: Duration,
    /// Throttles or transient failures in a row before giving up.
    pub max_retries: u32,
}

impl Default for Polling {
    fn default() -> Polling {
        Polling {
            first: Duration::from_millis(500),
            max: Duration::from_secs(5),
            max_retries: 6,
        }
    }
}

/// Runs `sql` to its end. `cancel` turning true stops it: CancelQuery is sent (once the
/// query has an id) and the query ends Stopped with the rows read so far. Each report is
/// awaited (a bounded channel's send), so a slow reader slows the paging.
pub async fn run_query<Sent: std::future::Future<Output = ()>>(
    client: &Client,
    region: &str,
    sql: &str,
    polling: Polling,
    mut cancel: watch::Receiver<bool>,
    mut report: impl FnMut(Report) -> Sent,
) {
    let mut p = QueryProgress {
        status: "STARTING".to_string(),
        ..QueryProgress::default()
    };
    report(Report::Progress(p.clone())).await;
    // Never retried: a second StartQuery after an answer lost on the way would scan (and
    // bill) twice.
    let started = client.start_query().query_statement(sql).send().await;
    p.query_id = match started {
        Ok(out) => out.query_id().unwrap_or_default().to_string(),
        Err(e) => {
            let why = explain(&e, "StartQuery", region);
            return report(Report::Done(p, Ending::Failed(why))).await;
        }
    };
    let mut wait = polling.first;
    let mut failed_in_a_row = 0;
    let ending = loop {
        if *cancel.borrow() {
            break cancel_query(client, region, &mut p).await;
        }
        match client.describe_query().query_id(&p.query_id).send().await {
            Ok(d) => {
                failed_in_a_row = 0;
                p.status = d
                    .query_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                if let Some(s) = d.query_statistics() {
                    p.events_matched = s.events_matched().unwrap_or(0);
                    p.events_scanned = s.events_scanned().unwrap_or(0);
                    p.bytes_scanned = s.bytes_scanned().unwrap_or(0);
                    p.millis = i64::from(s.execution_time_in_millis().unwrap_or(0));
                }
                let message = d
                    .error_message()
                    .map(|m| crate::model::sanitize::visible(m).into_owned());
                match p.status.as_str() {
                    "FINISHED" => {
                        break match results(client, region, &mut p, &mut cancel, &mut report).await
                        {
                            Ok(()) => Ending::Finished,
                            Err(e) => e,
                        }
                    }
                    "TIMED_OUT" => {
                        let why = message.unwrap_or_else(|| "the query ran out of time".into());
                        break match results(client, region, &mut p, &mut cancel, &mut report).await
                        {
                            Ok(()) => Ending::TimedOut(why),
                            Err(e) => e,
                        };
                    }
                    "FAILED" => {
                        break Ending::Failed(format!(
                            "the query failed: {} (fix the SQL in the editor and run again)",
                            message.unwrap_or_else(|| "Lake gave no reason".into())
                        ))
                    }
                    "CANCELLED" => break Ending::Stopped,
                    _ => report(Report::Progress(p.clone())).await,
                }
            }
            Err(e) if is_transient(&e) && failed_in_a_row < polling.max_retries => {
                failed_in_a_row += 1;
                p.retries += 1;
                report(Report::Progress(p.clone())).await;
            }
            Err(e) => break Ending::Failed(explain(&e, "DescribeQuery", region)),
        }
        // Sleep, but wake at once for a cancel.
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = cancel.changed() => {}
        }
        wait = (wait * 2).min(polling.max);
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
    let mut failures = 0;
    loop {
        if *cancel.borrow() {
            // Finished already: nothing to cancel on Lake's side, only stop reading.
            return Err(Ending::Stopped);
        }
        let page = client
            .get_query_results()
            .query_id(&p.query_id)
            .max_query_results(1000)
            .set_next_token(token.clone())
            .send()
            .await;
        match page {
            Ok(page) => {
                failures = 0;
                let rows: Vec<Row> = page
                    .query_result_rows()
                    .iter()
                    .map(|cells| {
                        cells
                            .iter()
                            .flat_map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())))
                            .collect()
                    })
                    .collect();
                p.rows += rows.len() as u64;
                if !rows.is_empty() {
                    report(Report::Rows(rows)).await;
                }
                report(Report::Progress(p.clone())).await;
                token = page.next_token().map(str::to_string);
                if token.is_none() {
                    return Ok(());
                }
            }
            Err(e) if is_transient(&e) && failures < 6 => {
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

async fn cancel_query(client: &Client, region: &str, p: &mut QueryProgress) -> Ending {
    match client.cancel_query().query_id(&p.query_id).send().await {
        Ok(out) => {
            p.status = out.query_status().as_str().to_string();
            Ending::Stopped
        }
        // It ended on its own in the meantime: nothing runs (or bills) any more.
        Err(e) if e.as_service_error().and_then(|s| s.meta().code()) == Some("InactiveQueryException") => {
            Ending::Stopped
        }
        Err(e) => Ending::Failed(format!(
            "could not cancel the query {} ({}); it may still be running and billing: `aws cloudtrail cancel-query --query-id {}`",
            p.query_id,
            explain(&e, "CancelQuery", region),
            p.query_id
        )),
    }
}

/// A CloudTrail client for Lake: the profile's credentials (the usual chain), in `region` or
/// else the profile's own. Event data stores are regional: the region says where to look.
pub async fn connect(
    profile: Option<&str>,
    region: Option<&str>,
) -> Result<(Client, String), String> {
    let config = crate::source::lookup::client::load_config(profile).await;
    let region = crate::source::lookup::client::region_or(&config, region, "no region for Lake: give --region (event data stores are regional), or set one in the profile or AWS_REGION")?;
    let client = Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(&config)
            .region(aws_config::Region::new(region.clone()))
            .build(),
    );
    Ok((client, region))
}
