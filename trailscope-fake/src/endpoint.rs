//! The fake endpoint as a whole: events loaded and knobs set from `ServeArgs`, then served on
//! 127.0.0.1, either by the binary until Ctrl-C (`main`) or on a thread of this process until
//! dropped (`start`, for tests: no binary to find, and `cargo test --test NAME` alone works).

use crate::cli::ServeArgs;
use crate::serve::{self, Shared};
use crate::{faults, lake, FakeCloudTrail, RateLimit, FAKE_EDS_ID};
use std::sync::Arc;
use trailscope::model::time::EventTime;
use trailscope::source::{demo, files::load_blocking, walk};

/// Loads the events and applies the flags: what both ways of serving share.
fn prepare(args: &ServeArgs) -> Result<Arc<Shared>, String> {
    let now_ms = match &args.now {
        Some(t) => Some(
            EventTime::parse(t)
                .and_then(EventTime::millis)
                .ok_or_else(|| format!("--now {t:?} is not a time (use RFC 3339)"))?,
        ),
        None => None,
    };
    if !(args.rate.is_finite() && args.rate > 0.0) {
        return Err("--rate must be a positive number of requests per second".to_string());
    }
    let plan = if args.demo {
        demo::plan()
    } else {
        walk::plan(&args.paths)
    };
    let (store, warnings) = load_blocking(plan);
    if store.is_empty() {
        return Err(format!(
            "no events to serve ({} warning(s) while reading)",
            warnings.len()
        ));
    }
    let mut fake = FakeCloudTrail::from_store(&store);
    fake.limit = RateLimit {
        per_second: args.rate,
        burst: args.rate.max(1.0),
    };
    for spec in &args.fault {
        fake.faults.add(faults::parse_rule(spec)?);
    }
    fake.lake.polls_per_state = args.lake_polls;
    fake.lake.time_out_after_rows = args.lake_timeout_rows;
    fake.lake.unavailable = args.lake_unavailable.clone();
    fake.lake.max_concurrent = args.lake_max_concurrent;
    Ok(Shared::new(fake, now_ms))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

/// `trailscope-fake serve`: loads the events, prints the address, serves until stopped.
pub fn main(args: &ServeArgs) -> Result<(), String> {
    let shared = prepare(args)?;
    let events = shared.fake.lock().map_or(0, |f| f.len());
    runtime()?.block_on(async move {
        let (addr, listener) = serve::bind(args.port)
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
        // Both lines in one write: a reader that takes the first line and hangs up must not
        // leave a second write to fail on a closed pipe.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(
            format!(
                "listening on http://{addr} ({events} events; Ctrl-C stops)\n\
                 lake: event data store {FAKE_EDS_ID} ({})\n",
                lake::STORE_NAME
            )
            .as_bytes(),
        );
        let _ = out.flush();
        drop(out);
        tokio::select! {
            _ = serve::serve(listener, shared) => Ok(()),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

/// The endpoint serving on a thread of this process; dropping it stops the server and waits
/// for its thread.
pub struct Running {
    /// `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL or `--endpoint-url`.
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Serves what `args` says (`--port 0` for any free port) on its own thread and runtime, so
/// it runs beside a test's own runtime or none. Returns once it listens.
pub fn start(args: &ServeArgs) -> Result<Running, String> {
    let shared = prepare(args)?;
    let rt = runtime()?;
    let port = args.port;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("trailscope-fake".to_string())
        .spawn(move || {
            rt.block_on(async move {
                let listener = match serve::bind(port).await {
                    Ok((addr, listener)) => {
                        let _ = ready_tx.send(Ok(addr));
                        listener
                    }
                    Err(e) => {
                        let _ =
                            ready_tx.send(Err(format!("cannot listen on 127.0.0.1:{port}: {e}")));
                        return;
                    }
                };
                tokio::select! {
                    _ = serve::serve(listener, shared) => {}
                    // Sent, or the sender dropped: either way, stop.
                    _ = stop_rx => {}
                }
            });
        })
        .map_err(|e| format!("cannot start the endpoint's thread: {e}"))?;
    let addr = ready_rx
        .recv()
        .map_err(|_| "the endpoint's thread ended before it listened".to_string())??;
    Ok(Running {
        url: format!("http://{addr}"),
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The runtime drops with the thread's closure, cancelling open connections (a stalled
        // answer included), so this returns promptly.
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
