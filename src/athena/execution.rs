//! One statement's life on Athena, below the reading of its result: StartQueryExecution (in
//! the workgroup, with an output location when the workgroup sets none, retried on
//! throttling with one ClientRequestToken), GetQueryExecution polled with backoff (the state,
//! the bytes scanned and so the cost so far), StopQueryExecution when asked or when the bytes
//! scanned pass `--max-scan`. `client` reads a result page by page, `unload` through S3.

use super::errors::explain;
use crate::job::{Ending, QueryProgress};
use crate::lake::client::Polling;
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use aws_sdk_athena::Client;
use std::sync::Arc;
use tokio::sync::watch;

/// Where a statement runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    pub workgroup: String,
    /// `s3://…/` for results, when the workgroup sets none.
    pub output_location: Option<String>,
    /// The database unqualified names are in.
    pub database: Option<String>,
    /// Stop the query once it has scanned more than this many bytes.
    pub max_scan: Option<u64>,
    /// The profile whose credentials read an UNLOAD's objects from S3.
    pub profile: Option<String>,
    /// Read a result of more than this many rows through UNLOAD and S3 (events statements);
    /// `None`: always page by page.
    pub unload_over: Option<u64>,
}

/// A page of result rows: the header (column names) and the cells, NULL as `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub header: Arc<[String]>,
    pub rows: Vec<Vec<Option<String>>>,
}

#[derive(Debug)]
pub enum Report {
    Progress(QueryProgress),
    Rows(Page),
    Done(QueryProgress, Ending),
}

/// How a statement that SUCCEEDED left its result.
pub struct Succeeded {
    /// Where Athena wrote the result (`s3://…/ID.csv`).
    pub output_location: Option<String>,
}

/// StartQueryExecution, then GetQueryExecution with backoff until the statement ends,
/// reporting its state and bytes; stopped on `cancel` and past `target.max_scan`.
#[allow(clippy::too_many_arguments)]
pub async fn execute<Sent: std::future::Future<Output = ()>>(
    client: &Client,
    region: &str,
    sql: &str,
    target: &Target,
    polling: Polling,
    cancel: &mut watch::Receiver<bool>,
    p: &mut QueryProgress,
    report: &mut impl FnMut(Report) -> Sent,
) -> Result<Succeeded, Ending> {
    p.query_id = start(client, region, sql, target, polling, p)
        .await
        .map_err(Ending::Failed)?;
    let mut wait = polling.first;
    let mut failed_in_a_row = 0;
    loop {
        if *cancel.borrow() {
            return Err(stop(client, region, p, Ending::Stopped).await);
        }
        match client
            .get_query_execution()
            .query_execution_id(&p.query_id)
            .send()
            .await
        {
            Ok(out) => {
                failed_in_a_row = 0;
                let q = out.query_execution();
                let status = q.and_then(|q| q.status());
                let state = status.and_then(|s| s.state()).cloned();
                p.status = state
                    .as_ref()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                if let Some(s) = q.and_then(|q| q.statistics()) {
                    p.bytes_scanned = s.data_scanned_in_bytes().unwrap_or(0);
                    p.millis = s.total_execution_time_in_millis().unwrap_or(0);
                }
                if let Some(limit) = target.max_scan {
                    if p.bytes_scanned.max(0) as u64 > limit && state.as_ref().is_some_and(active) {
                        let why = format!(
                            "stopped: the query had scanned {} bytes, past max-scan {limit}",
                            p.bytes_scanned
                        );
                        return Err(stop(client, region, p, Ending::Failed(why)).await);
                    }
                }
                let reason = status
                    .and_then(|s| {
                        s.athena_error()
                            .and_then(|e| e.error_message())
                            .or(s.state_change_reason())
                    })
                    .map(|m| crate::model::sanitize::visible(m).into_owned());
                match state {
                    Some(QueryExecutionState::Succeeded) => {
                        let output_location = q
                            .and_then(|q| q.result_configuration())
                            .and_then(|r| r.output_location())
                            .map(str::to_string);
                        return Ok(Succeeded { output_location });
                    }
                    Some(QueryExecutionState::Failed) => {
                        let reason = reason.unwrap_or_else(|| "Athena gave no reason".into());
                        return Err(Ending::Failed(format!(
                            "the Athena query {} failed: {}",
                            p.query_id,
                            super::errors::failure(&reason)
                        )));
                    }
                    Some(QueryExecutionState::Cancelled) => return Err(Ending::Stopped),
                    _ => report(Report::Progress(p.clone())).await,
                }
            }
            Err(e)
                if crate::lake::errors::is_transient(&e)
                    && failed_in_a_row < polling.max_retries =>
            {
                failed_in_a_row += 1;
                p.retries += 1;
                report(Report::Progress(p.clone())).await;
            }
            Err(e) => return Err(Ending::Failed(explain(&e, "GetQueryExecution", region))),
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = cancel.changed() => {}
        }
        wait = (wait * 2).min(polling.max);
    }
}

fn active(s: &QueryExecutionState) -> bool {
    matches!(
        s,
        QueryExecutionState::Queued | QueryExecutionState::Running
    )
}

/// StartQueryExecution, retried on throttling with the same ClientRequestToken, so a retry
/// after an answer lost on the way cannot start (and bill) a second query.
async fn start(
    client: &Client,
    region: &str,
    sql: &str,
    target: &Target,
    polling: Polling,
    p: &mut QueryProgress,
) -> Result<String, String> {
    let token = request_token(sql);
    let mut wait = polling.first;
    let mut tries = 0;
    loop {
        let mut call = client
            .start_query_execution()
            .query_string(sql)
            .client_request_token(&token)
            .work_group(&target.workgroup);
        if let Some(db) = &target.database {
            call = call.query_execution_context(
                QueryExecutionContext::builder()
                    .database(db)
                    .catalog("AwsDataCatalog")
                    .build(),
            );
        }
        if let Some(o) = &target.output_location {
            call = call
                .result_configuration(ResultConfiguration::builder().output_location(o).build());
        }
        match call.send().await {
            Ok(out) => return Ok(out.query_execution_id().unwrap_or_default().to_string()),
            Err(e) if crate::lake::errors::is_transient(&e) && tries < polling.max_retries => {
                tries += 1;
                p.retries += 1;
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(polling.max);
            }
            Err(e) => return Err(explain(&e, "StartQueryExecution", region)),
        }
    }
}

/// A ClientRequestToken (32–128 characters) unique to this statement and moment.
fn request_token(sql: &str) -> String {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let h = foldhash::quality::RandomState::default().hash_one((sql, nanos));
    format!("trailscope-{nanos:032x}-{h:016x}")
}

/// StopQueryExecution; `ending` is how the query ends once stopped.
pub(super) async fn stop(
    client: &Client,
    region: &str,
    p: &mut QueryProgress,
    ending: Ending,
) -> Ending {
    match client
        .stop_query_execution()
        .query_execution_id(&p.query_id)
        .send()
        .await
    {
        Ok(_) => {
            p.status = "CANCELLED".to_string();
            ending
        }
        Err(e) => Ending::Failed(format!(
            "could not stop the Athena query {} ({}); it may still be running and billing: `aws athena stop-query-execution --query-execution-id {}`",
            p.query_id,
            explain(&e, "StopQueryExecution", region),
            p.query_id
        )),
    }
}
