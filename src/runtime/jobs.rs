//! Carries out `Effect::Start` and `Effect::Cancel`: each job on its own threads or task,
//! every report on the one bounded channel the loop drains. Cancelling is the same for every
//! job: it stops where it is, and `Done(Stopped)` follows what it already sent.

use crate::job::{Ending, JobId, JobMsg, JobSpec, Reporter};
use crate::lake::runner::LakeContext;
use crate::source::files::{spawn_load, CancelToken};
use crate::source::lookup::live::LookupContext;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// How long quitting waits for a cancelled query to tell Lake (CancelQuery), so a query
/// does not go on scanning (and billing) after the app is gone.
const CANCEL_GRACE: Duration = Duration::from_secs(3);

pub(crate) struct JobRunner {
    tx: mpsc::Sender<(JobId, JobMsg)>,
    /// How to reach LookupEvents and Lake, when the session uses them.
    lookup: Option<LookupContext>,
    lake: Option<LakeContext>,
    athena: Option<crate::athena::runner::AthenaContext>,
    running: HashMap<JobId, Running>,
}

enum Running {
    /// Worker threads that check the token between files.
    Threads(CancelToken),
    /// A task that stops when `cancel` turns true; `tells_aws` when stopping sends a request
    /// that must not be cut short (CancelQuery).
    Task {
        cancel: watch::Sender<bool>,
        task: JoinHandle<()>,
        tells_aws: bool,
    },
}

impl JobRunner {
    pub(crate) fn new(tx: mpsc::Sender<(JobId, JobMsg)>, reach: super::Reach) -> JobRunner {
        JobRunner {
            tx,
            lookup: reach.lookup,
            lake: reach.lake,
            athena: reach.athena,
            running: HashMap::new(),
        }
    }

    pub(crate) fn start(&mut self, job: JobId, spec: JobSpec) {
        self.running.retain(|_, r| match r {
            Running::Task { task, .. } => !task.is_finished(),
            Running::Threads(_) => true,
        });
        let out = Reporter::new(job, self.tx.clone());
        let running = match spec {
            JobSpec::Load(plan) => {
                let cancel = CancelToken::default();
                let token = cancel.clone();
                // Planning reads directories: keep it off the loop, like the parsing.
                std::thread::spawn(move || spawn_load(plan, out, token));
                Running::Threads(cancel)
            }
            JobSpec::Lookup(order) => match &self.lookup {
                Some(ctx) => {
                    let work =
                        crate::source::lookup::live::run_order(order, ctx.clone(), out.clone());
                    task(out, work)
                }
                None => return refuse(out, "this session does not fetch from LookupEvents"),
            },
            JobSpec::LakeQuery(sql) => match &self.lake {
                Some(ctx) => {
                    let ctx = ctx.clone();
                    let (cancel, cancelled) = watch::channel(false);
                    let task = tokio::spawn(crate::lake::runner::run(sql, ctx, cancelled, out));
                    Running::Task {
                        cancel,
                        task,
                        tells_aws: true,
                    }
                }
                None => return refuse(out, "this session does not query CloudTrail Lake"),
            },
            JobSpec::AthenaQuery { sql, origin } => match &self.athena {
                Some(ctx) => {
                    let (cancel, cancelled) = watch::channel(false);
                    let work = crate::athena::runner::run(sql, origin, ctx.clone(), cancelled, out);
                    Running::Task {
                        cancel,
                        task: tokio::spawn(work),
                        tells_aws: true,
                    }
                }
                None => return refuse(out, "this session does not query Athena"),
            },
            JobSpec::AthenaTables => match &self.athena {
                Some(ctx) => {
                    let work = crate::athena::runner::tables(ctx.clone(), out.clone());
                    task(out, work)
                }
                None => return refuse(out, "this session does not query Athena"),
            },
            JobSpec::LakeStores => match &self.lake {
                Some(ctx) => {
                    let work = crate::lake::runner::stores(ctx.clone(), out.clone());
                    task(out, work)
                }
                None => return refuse(out, "this session does not query CloudTrail Lake"),
            },
        };
        self.running.insert(job, running);
    }

    /// Stops `job` where it is; what it sent stays sent.
    pub(crate) fn cancel(&mut self, job: JobId) {
        match self.running.get(&job) {
            Some(Running::Threads(token)) => token.cancel(),
            Some(Running::Task { cancel, .. }) => {
                let _ = cancel.send(true);
            }
            None => {}
        }
    }

    /// The session is over: every job stops, and a query that must tell AWS it stopped gets a
    /// few seconds to.
    pub(crate) async fn shutdown(mut self) {
        let mut telling = Vec::new();
        for (_, running) in self.running.drain() {
            match running {
                Running::Threads(token) => token.cancel(),
                Running::Task {
                    cancel,
                    task,
                    tells_aws,
                } => {
                    let _ = cancel.send(true);
                    match tells_aws && !task.is_finished() {
                        true => telling.push(task),
                        false => task.abort(),
                    }
                }
            }
        }
        for task in telling {
            let _ = tokio::time::timeout(CANCEL_GRACE, task).await;
        }
    }
}

/// A job as a task that a cancel stops at its next await, then says `Done(Stopped)`.
fn task(out: Reporter, work: impl std::future::Future<Output = ()> + Send + 'static) -> Running {
    let (cancel, cancelled) = watch::channel(false);
    let task = tokio::spawn(async move {
        tokio::select! {
            _ = work => {}
            _ = until_cancelled(cancelled) => {
                out.send(JobMsg::Done(Ending::Stopped)).await;
            }
        }
    });
    Running::Task {
        cancel,
        task,
        tells_aws: false,
    }
}

/// Returns once `cancelled` turns true (never, if the runner is gone without saying so).
async fn until_cancelled(mut cancelled: watch::Receiver<bool>) {
    loop {
        let stop = *cancelled.borrow_and_update();
        if stop {
            return;
        }
        if cancelled.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// A job this session cannot run ends at once, saying why.
fn refuse(out: Reporter, why: &str) {
    let why = why.to_string();
    tokio::spawn(async move {
        out.send(JobMsg::Done(Ending::Failed(why))).await;
    });
}
