//! Athena for the interactive app: a statement as a job. Each page of rows of whole events
//! becomes records for the store as it arrives (other rows, an aggregate's, a results
//! table), with the query's state and cost as progress; a cancel stops the query on
//! Athena's side (StopQueryExecution), and what arrived stays. The picker's list of tables is
//! a job too.

use super::client::{connect, run_query, Report, Target};
use super::rows::{are_events, records, table_rows};
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
                    Report::Rows(page) if !are_events(&page) => {
                        out.send(JobMsg::Rows(table_rows(&page))).await
                    }
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

/// The catalog's CloudTrail tables, for the picker (a table read whole with its size).
pub async fn tables(ctx: AthenaContext, out: Reporter) {
    let found = super::listing::tables(ctx.profile.as_deref(), ctx.region.as_deref()).await;
    match found {
        Ok((tables, _)) => {
            out.send(JobMsg::Tables(tables)).await;
            out.send(JobMsg::Done(Ending::Finished)).await;
        }
        Err(why) => {
            out.send(JobMsg::Done(Ending::Failed(why))).await;
        }
    }
}
