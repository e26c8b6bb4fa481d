//! LookupEvents for the interactive app: one job per region order. Pages go back as they
//! arrive (records, then the region's totals); the job ends with `Done` when the region is
//! read, paused at its count, or failed (the failure is in the last progress report).
//! The SDK configuration is loaded once per session and shared by every region.

use super::order::RegionOrder;
use super::pager::{fetch_region, PagerConfig};
use super::progress::FetchState;
use crate::job::{Ending, JobMsg, Progress, Reporter};
use aws_config::SdkConfig;
use aws_sdk_cloudtrail::Client;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// What every LookupEvents job of a session shares: how to reach AWS and at what pace.
#[derive(Clone)]
pub struct LookupContext {
    pub profile: Option<String>,
    /// Requests per second per region.
    pub rate: f64,
    /// Loaded once, on first use: it reads profiles and may call SSO.
    config: Arc<OnceCell<SdkConfig>>,
}

impl LookupContext {
    pub fn new(profile: Option<String>, rate: f64) -> LookupContext {
        LookupContext {
            profile,
            rate,
            config: Arc::new(OnceCell::new()),
        }
    }
}

/// Carries out one order to its end, reporting on `out`. Stopping it is dropping the future
/// (the runtime's job does that): what was sent stays sent.
pub async fn run_order(order: RegionOrder, ctx: LookupContext, out: Reporter) {
    let sdk = ctx
        .config
        .get_or_init(|| super::client::load_config(ctx.profile.as_deref()))
        .await;
    let client = Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(sdk)
            .region(aws_config::Region::new(order.region.clone()))
            .build(),
    );
    let pager = PagerConfig {
        rate: ctx.rate,
        max_events: order.max_events,
        ..PagerConfig::default()
    };
    let done = fetch_region(
        &client,
        &order.region,
        &order.plan,
        order.window,
        &pager,
        order.resume.clone(),
        |records, warnings, p| {
            let (out, totals) = (out.clone(), order.totals(p));
            async move {
                // The app may be gone (quitting): nothing left to tell.
                if !records.is_empty() {
                    out.send(JobMsg::Records(records)).await;
                }
                if !warnings.is_empty() {
                    out.send(JobMsg::Warnings(warnings)).await;
                }
                out.send(JobMsg::Progress(Progress::Region(totals))).await;
            }
        },
    )
    .await;
    let ending = match done.state {
        FetchState::Failed(why) => Ending::Failed(why),
        _ => Ending::Finished,
    };
    out.send(JobMsg::Done(ending)).await;
}
