//! Lake for the interactive app: runs one query at a time on the current tokio runtime and
//! sends its reports back tagged with the app's ticket, so a replaced query's late pages are
//! recognised and dropped. The client (credentials, region) is made once, on first use.

use super::client::{connect, list_stores, run_query, Polling, Report, StoreInfo};
use aws_sdk_cloudtrail::Client;
use std::sync::Arc;
use tokio::sync::{mpsc, watch, OnceCell};
use tokio::task::JoinHandle;

/// What the runner tells the app.
#[derive(Debug)]
pub enum LakeMsg {
    Report(u64, Report),
    Stores(Result<Vec<StoreInfo>, String>),
}

/// The client and its region, made on first use and shared by every query; or why not.
type ClientCell = Arc<OnceCell<Result<(Client, String), String>>>;

pub struct LakeRunner {
    profile: Option<String>,
    region: Option<String>,
    client: ClientCell,
    tx: mpsc::UnboundedSender<LakeMsg>,
    cancel: Option<watch::Sender<bool>>,
    task: Option<JoinHandle<()>>,
    pub polling: Polling,
}

impl LakeRunner {
    pub fn new(
        profile: Option<String>,
        region: Option<String>,
        tx: mpsc::UnboundedSender<LakeMsg>,
    ) -> LakeRunner {
        LakeRunner {
            profile,
            region,
            client: Arc::new(OnceCell::new()),
            tx,
            cancel: None,
            task: None,
            polling: Polling::default(),
        }
    }

    fn client_cell(&self) -> (ClientCell, Option<String>, Option<String>) {
        (
            self.client.clone(),
            self.profile.clone(),
            self.region.clone(),
        )
    }

    /// Runs `sql`; a query still running is cancelled first (on Lake's side too).
    pub fn run(&mut self, ticket: u64, sql: String) {
        self.cancel();
        let (cell, profile, region) = self.client_cell();
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let tx = self.tx.clone();
        let polling = self.polling;
        self.cancel = Some(cancel_tx);
        self.task = Some(tokio::spawn(async move {
            let connected = cell
                .get_or_init(|| async { connect(profile.as_deref(), region.as_deref()).await })
                .await;
            let (client, region) = match connected {
                Ok(c) => c,
                Err(e) => {
                    let p = Default::default();
                    let _ = tx.send(LakeMsg::Report(
                        ticket,
                        Report::Done(p, super::client::Ending::Failed(e.clone())),
                    ));
                    return;
                }
            };
            run_query(client, region, &sql, polling, cancel_rx, |r| {
                // The app may be gone (quitting): nothing left to tell.
                let _ = tx.send(LakeMsg::Report(ticket, r));
            })
            .await;
        }));
    }

    /// Asks the running query to stop: it sends CancelQuery and reports its end.
    pub fn cancel(&mut self) {
        if let Some(c) = self.cancel.take() {
            let _ = c.send(true);
        }
        // The task finishes on its own (it must tell Lake); it is not aborted.
    }

    /// Waits for the query task to end (after `cancel`, once CancelQuery is sent).
    pub async fn finish(&mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    pub fn list_stores(&self) {
        let (cell, profile, region) = self.client_cell();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let connected = cell
                .get_or_init(|| async { connect(profile.as_deref(), region.as_deref()).await })
                .await;
            let answer = match connected {
                Ok((client, region)) => list_stores(client, region).await,
                Err(e) => Err(e.clone()),
            };
            let _ = tx.send(LakeMsg::Stores(answer));
        });
    }
}
