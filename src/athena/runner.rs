//! Athena for the interactive app: the session's events query as a job. Each page of rows
//! becomes records for the store as it arrives, with the query's state and cost as progress;
//! a cancel stops the query on Athena's side (StopQueryExecution), and what arrived stays.

use super::client::{connect, run_query, Report, Target};
use super::rows::records;
use crate::job::{Ending, JobMsg, Progress, Reporter};
use crate::lake::client::Polling;
use std::sync::Arc;
use tokio::sync::watch;

/// Where a session's Athena statements run.
#[derive(Clone, Debug)]
pub struct AthenaContext {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub target: Target,
    pub polling: Polling,
}

/// Runs `sql`; rows become records whose origin is `origin` (`Athena db.table`).
pub async fn run(
    sql: String,
    origin: String,
    ctx: AthenaContext,
    cancel: watch::Receiver<bool>,
    out: Reporter,
) {
    let (client, region) = match connect(ctx.profile.as_deref(), ctx.region.as_deref()).await {
        Ok(c) => c,
        Err(e) => {
            out.send(JobMsg::Done(Ending::Failed(e))).await;
            return;
        }
    };
    let origin: Arc<str> = Arc::from(origin);
    run_query(
        &client,
        &region,
        &sql,
        &ctx.target,
        ctx.polling,
        cancel,
        |r| {
            let out = out.clone();
            let origin = origin.clone();
            async move {
                match r {
                    Report::Progress(p) => out.send(JobMsg::Progress(Progress::Query(p))).await,
                    Report::Rows(page) => {
                        let (recs, warnings) = records(&origin, &page);
                        if !warnings.is_empty() {
                            out.send(JobMsg::Warnings(warnings)).await;
                        }
                        out.send(JobMsg::Records(recs)).await
                    }
                    Report::Done(p, ending) => {
                        out.send(JobMsg::Progress(Progress::Query(p))).await;
                        out.send(JobMsg::Done(ending)).await
                    }
                };
            }
        },
    )
    .await;
}
