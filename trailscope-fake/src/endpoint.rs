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
    // Checked before the (slow) load, so a typo fails at once.
    limit(args.rate, "--rate")?;
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
    configure(&mut fake, args)?;
    Ok(Shared::new(fake, now_ms))
}

/// Applies `args`' knobs (rate limits, faults, Lake, accounts) to a fake already loaded: what
/// `serve` does after loading, and what tests use to drive `FakeCloudTrail::handle` with the
/// flags' semantics and their own clock.
pub fn configure(fake: &mut FakeCloudTrail, args: &ServeArgs) -> Result<(), String> {
    fake.limit = limit(args.rate, "--rate")?;
    for spec in &args.fault {
        fake.faults.add(faults::parse_rule(spec)?);
    }
    fake.lake.polls_per_state = args.lake_polls;
    fake.lake.time_out_after_rows = args.lake_timeout_rows;
    fake.lake.unavailable = args.lake_unavailable.clone();
    fake.lake.max_concurrent = args.lake_max_concurrent;
    let a = &mut fake.accounts;
    let id_of =
        |flag: &str, id: &Option<String>| id.as_deref().map(|id| account_id(flag, id)).transpose();
    a.caller = id_of("--caller-account", &args.caller_account)?;
    a.management = id_of("--management-account", &args.management_account)?;
    a.no_organization = args.no_organization;
    for (flag, list, into) in [
        ("--org-account", &args.org_account, &mut a.extra),
        ("--closed-account", &args.closed_account, &mut a.closed),
        ("--deny-role", &args.deny_role, &mut a.denied),
    ] {
        for id in list {
            into.insert(account_id(flag, id)?);
        }
    }
    a.role_names = args
        .role_names
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if a.role_names.is_empty() {
        return Err("--role-names names no role".to_string());
    }
    for spec in &args.account_rate {
        let (id, rate) = spec
            .split_once('=')
            .ok_or_else(|| format!("--account-rate {spec:?}: expected ID=RATE"))?;
        let rate: f64 = rate
            .trim()
            .parse()
            .map_err(|_| format!("--account-rate {spec:?}: {rate:?} is not a number"))?;
        a.rates.insert(
            account_id("--account-rate", id.trim())?,
            limit(rate, "--account-rate")?,
        );
    }
    a.credential_seconds = args.credential_seconds;
    Ok(())
}

/// A rate of requests per second as a token bucket allowing a burst of one second's worth.
fn limit(rate: f64, flag: &str) -> Result<RateLimit, String> {
    if !(rate.is_finite() && rate > 0.0) {
        return Err(format!(
            "{flag} must be a positive number of requests per second"
        ));
    }
    Ok(RateLimit {
        per_second: rate,
        burst: rate.max(1.0),
    })
}

/// An AWS account ID: 12 digits.
fn account_id(flag: &str, id: &str) -> Result<String, String> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(format!("{flag} {id:?}: not an AWS account ID (12 digits)"))
    }
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
    /// What it serves from: tests read `fake` (requests, AssumeRole calls) through it.
    pub shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Serves what `args` says (`--port 0` for any free port) on its own thread and runtime, so
/// it runs beside a test's own runtime or none. Returns once it listens.
pub fn start(args: &ServeArgs) -> Result<Running, String> {
    let shared = prepare(args)?;
    let served = shared.clone();
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
        shared: served,
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
