//! A fake CloudTrail endpoint for tests and benchmarks: the LookupEvents API with AWS's
//! semantics (see CLOUDTRAIL.md and assets/api/cloudtrail-service-2.json), served from events
//! loaded from files. `lookup` is the protocol logic, free of any network; `serve` puts it on
//! 127.0.0.1 (`trailscope fake-endpoint`). `lake` is CloudTrail Lake over the same events.

pub mod faults;
pub mod lake;
mod lookup;
pub mod serve;
mod throttle;
mod token;

pub use lake::{FakeLake, FAKE_EDS_ID};
pub use lookup::{FakeCloudTrail, Reply};
pub use throttle::RateLimit;

/// `trailscope fake-endpoint`: loads the events, prints the address, serves until stopped.
pub fn main(args: &crate::cmd::args::FakeEndpointArgs) -> Result<(), String> {
    use crate::model::time::EventTime;
    use crate::source::{demo, files::load_blocking, walk};
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
    let events = fake.len();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async move {
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
            _ = serve::serve(listener, serve::Shared::new(fake, now_ms)) => Ok(()),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}
