//! `trailscope query --region …`: fetch from LookupEvents through the same planner and pager
//! as the app, every region in parallel, progress on standard error, into a store.

use super::progress_line::ProgressLine;
use crate::cmd::args::LookupArgs;
use crate::filter::Expr;
use crate::model::sanitize::visible;
use crate::model::store::Store;
use crate::model::time::EventTime;
use crate::model::warning::{Location, Warning};
use crate::source::lookup::accounts::Via;
use crate::source::lookup::client::regional_client;
use crate::source::lookup::live::LookupContext;
use crate::source::lookup::pager::{fetch_region, PagerConfig};
use crate::source::lookup::progress::FetchState;
use crate::source::lookup::scope::{scope, Scope};
use std::sync::{Arc, Mutex};

/// Fetches into a store. Failures of single lanes become warnings; events fetched stay. An
/// error comes with its exit status: 2 for the command line, 1 for AWS refusing.
pub(crate) fn fetch(
    args: &LookupArgs,
    filter: &Expr,
) -> Result<(Store, Vec<Warning>), (String, u8)> {
    let Scope {
        regions,
        window: (start, end),
        plan: lookup,
        clamped,
    } = scope(&args.request(), filter, EventTime::now()).map_err(|e| (e, 2))?;
    let cut = match clamped.describe() {
        "" => String::new(),
        said => format!(" ({said})"),
    };
    eprintln!(
        "trailscope: LookupEvents {} → {}{cut} · {}",
        start.format_utc(),
        end.format_utc(),
        visible(&lookup.describe())
    );
    let first_region = regions.first().cloned().unwrap_or_default();
    let list =
        crate::cmd::accounts::accounts(args, &first_region).map_err(|r| (r.message, r.code))?;
    for (account, why) in &list.skipped {
        eprintln!("trailscope: {account}: {}", visible(why));
    }
    let lanes: Vec<(Via, String)> = list
        .accounts
        .iter()
        .flat_map(|via| regions.iter().map(move |r| (via.clone(), r.clone())))
        .collect();
    let ctx =
        LookupContext::with_accounts(args.profile.clone(), args.rate, args.account_concurrency);
    let config = PagerConfig {
        rate: args.rate,
        max_events: args.max_events,
        ..PagerConfig::default()
    };
    let store = Arc::new(Mutex::new(Store::default()));
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::new(Mutex::new(ProgressLine::new()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| (format!("cannot start the runtime: {e}"), 1))?;
    rt.block_on(async {
        let tasks = lanes.into_iter().map(|(via, region)| {
            let (store, warnings, progress, lookup, config, ctx) = (
                store.clone(),
                warnings.clone(),
                progress.clone(),
                &lookup,
                &config,
                &ctx,
            );
            async move {
                let lane = match via.label() {
                    "" => region.clone(),
                    account => format!("{account} {region}"),
                };
                let said = |why: &str| {
                    // Always said: a lane that failed is not a lane with no events.
                    if let Ok(mut line) = progress.lock() {
                        line.say(&format!("{lane}: {}", visible(why)));
                    }
                    let origin: Arc<str> = Arc::from(format!("LookupEvents {lane}"));
                    if let Ok(mut all) = warnings.lock() {
                        all.push(Warning::problem(
                            &origin,
                            Location::WholeFile,
                            why.to_string(),
                        ));
                    }
                };
                let _pass = ctx.enter(via.label()).await;
                let sdk = match ctx.config_for(&via, &region).await {
                    Ok(c) => c,
                    Err(why) => return said(&why),
                };
                let client = regional_client(&sdk, &region);
                let mut retries_said = 0;
                let done = fetch_region(
                    &client,
                    &region,
                    lookup,
                    (start, end),
                    config,
                    None,
                    |records, w, p| {
                        if let Ok(mut s) = store.lock() {
                            s.insert_batch(records);
                        }
                        if let Ok(mut all) = warnings.lock() {
                            all.extend(w);
                        }
                        // A report with a new retry says what is being retried, on a line
                        // of its own; the counts update the one progress line.
                        let retrying = p.retries > retries_said;
                        retries_said = p.retries;
                        let counts = format!(
                            "{} page(s), {} event(s), {} throttle(s), {} retry(ies)",
                            p.pages, p.events, p.throttles, p.retries
                        );
                        if let Ok(mut line) = progress.lock() {
                            if let (Some(problem), true) = (&p.last_problem, retrying) {
                                line.say(&format!("{lane}: {}", visible(problem)));
                            }
                            line.update(&lane, counts);
                        }
                        std::future::ready(())
                    },
                )
                .await;
                if let FetchState::Failed(why) = &done.state {
                    said(why);
                }
            }
        });
        futures_join_all(tasks.collect()).await;
    });
    if let Ok(mut line) = progress.lock() {
        line.finish();
    }
    let store = Arc::try_unwrap(store)
        .map_err(|_| ("fetch tasks still running".to_string(), 1))?
        .into_inner()
        .map_err(|_| ("a fetch task failed".to_string(), 1))?;
    let warnings = warnings.lock().map(|w| w.clone()).unwrap_or_default();
    Ok((store, warnings))
}

/// How many account × region fetches stopped on an error (each left one whole-input problem
/// under its `LookupEvents LANE` origin).
pub(crate) fn failed_lanes(warnings: &[Warning]) -> usize {
    warnings
        .iter()
        .filter(|w| {
            w.origin.starts_with("LookupEvents ")
                && w.location == Location::WholeFile
                && w.severity == crate::model::warning::Severity::Problem
        })
        .count()
}

/// Runs futures concurrently to completion (a small `join_all`, to avoid a dependency).
async fn futures_join_all<F: std::future::Future<Output = ()>>(futures: Vec<F>) {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    std::future::poll_fn(move |cx| {
        set.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if set.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}
