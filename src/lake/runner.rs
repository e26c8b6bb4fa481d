//! Lake for the interactive app: a query or the store listing as a job. The client
//! (credentials, region) is made once per session, on first use, and shared.

use super::client::{connect, list_stores, run_query, Polling, Report};
use crate::job::{Ending, JobMsg, Progress, Reporter};
use aws_sdk_cloudtrail::Client;
use std::sync::Arc;
use tokio::sync::{watch, OnceCell};

/// What every Lake job of a session shares: where to connect, the client once made, and how
/// often a query is polled.
#[derive(Clone)]
pub struct LakeContext {
    profile: Option<String>,
    region: Option<String>,
    /// The client and its region, made on first use; or why not.
    client: Arc<OnceCell<Result<(Client, String), String>>>,
    pub polling: Polling,
}

impl LakeContext {
    pub fn new(profile: Option<String>, region: Option<String>) -> LakeContext {
        LakeContext {
            profile,
            region,
            client: Arc::new(OnceCell::new()),
            polling: Polling::default(),
        }
    }

    async fn client(&self) -> &Result<(Client, String), String> {
        self.client
            .get_or_init(|| connect(self.profile.as_deref(), self.region.as_deref()))
            .await
    }
}

/// Runs `sql` to its end. `cancel` turning true sends CancelQuery (a query runs up a bill
/// until Lake is told), and the job ends `Stopped` with the rows read so far.
pub async fn run(sql: String, ctx: LakeContext, cancel: watch::Receiver<bool>, out: Reporter) {
    let (client, region) = match ctx.client().await {
        Ok(c) => c,
        Err(e) => {
            out.send(JobMsg::Done(Ending::Failed(e.clone()))).await;
            return;
        }
    };
    run_query(client, region, &sql, ctx.polling, cancel, |r| {
        let out = out.clone();
        async move {
            // The app may be gone (quitting): nothing left to tell.
            match r {
                Report::Progress(p) => out.send(JobMsg::Progress(Progress::Query(p))).await,
                Report::Rows(rows) => out.send(JobMsg::Rows(rows)).await,
                Report::Done(p, ending) => {
                    out.send(JobMsg::Progress(Progress::Query(p))).await;
                    out.send(JobMsg::Done(ending)).await
                }
            };
        }
    })
    .await;
}

/// Lists the event data stores, then ends.
pub async fn stores(ctx: LakeContext, out: Reporter) {
    let answer = match ctx.client().await {
        Ok((client, region)) => list_stores(client, region).await,
        Err(e) => Err(e.clone()),
    };
    let ending = match answer {
        Ok(list) => {
            out.send(JobMsg::Stores(list)).await;
            Ending::Finished
        }
        Err(e) => Ending::Failed(e),
    };
    out.send(JobMsg::Done(ending)).await;
}
