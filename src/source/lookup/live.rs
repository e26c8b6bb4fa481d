//! LookupEvents for the interactive app: one job per account × region order. Pages go back as they
//! arrive (records, then the region's totals); the job ends with `Done` when the region is
//! read, paused at its count, or failed (the failure is in the last progress report).
//! The SDK configuration is loaded once per session and shared by every region; another
//! account's (its role assumed, or its profile) once per account.

use super::accounts::gate::AccountGate;
use super::accounts::role::AssumedRole;
use super::accounts::Via;
use super::order::RegionOrder;
use super::pager::{fetch_region, PagerConfig};
use super::progress::{FetchState, RegionFetch};
use crate::job::{Ending, JobMsg, Progress, Reporter};
use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// What every LookupEvents job of a session shares: how to reach AWS and at what pace.
#[derive(Clone)]
pub struct LookupContext {
    pub profile: Option<String>,
    /// Requests per second per account × region.
    pub rate: f64,
    /// Loaded once, on first use: it reads profiles and may call SSO.
    config: Arc<OnceCell<SdkConfig>>,
    /// Each other account's configuration once reached (its role assumed, its profile
    /// loaded); a failure is not kept, so `m` tries again.
    accounts: Arc<Mutex<HashMap<Via, SdkConfig>>>,
    /// At most this many accounts at once.
    gate: Arc<AccountGate>,
}

impl LookupContext {
    pub fn new(profile: Option<String>, rate: f64) -> LookupContext {
        LookupContext::with_accounts(profile, rate, usize::MAX)
    }

    /// With at most `concurrency` accounts fetched at once (`--account-concurrency`).
    pub fn with_accounts(profile: Option<String>, rate: f64, concurrency: usize) -> LookupContext {
        LookupContext {
            profile,
            rate,
            config: Arc::new(OnceCell::new()),
            accounts: Arc::new(Mutex::new(HashMap::new())),
            gate: AccountGate::new(concurrency),
        }
    }

    /// Waits for `account`'s turn (`--account-concurrency`); the pass lets it out.
    pub async fn enter(&self, account: &str) -> super::accounts::gate::Pass {
        self.gate.enter(account).await
    }

    /// The session's own configuration.
    pub async fn own(&self) -> &SdkConfig {
        self.config
            .get_or_init(|| super::client::load_config(self.profile.as_deref()))
            .await
    }

    /// How to reach `via`'s account, from `region`: the session's own configuration, a
    /// profile's, or the own one with a role assumed (checked here, so a refused role is
    /// said as such before any LookupEvents call).
    pub async fn config_for(&self, via: &Via, region: &str) -> Result<SdkConfig, String> {
        if *via == Via::Own {
            return Ok(self.own().await.clone());
        }
        if let Some(c) = self.accounts.lock().ok().and_then(|m| m.get(via).cloned()) {
            return Ok(c);
        }
        let config = match via {
            Via::Own => self.own().await.clone(),
            Via::Profile(name) => {
                super::client::load_profile(name, super::scope::global_region(region)).await
            }
            Via::Role { account, role } => {
                let base = self.own().await;
                let sts_region = super::scope::global_region(region);
                let assumed = AssumedRole::new(base, sts_region, account, role);
                // The first AssumeRole now: its refusal names the account and the role.
                assumed.current().await?;
                base.to_builder()
                    .credentials_provider(SharedCredentialsProvider::new(assumed))
                    .build()
            }
        };
        if let Ok(mut m) = self.accounts.lock() {
            m.insert(via.clone(), config.clone());
        }
        Ok(config)
    }
}

/// Carries out one order to its end, reporting on `out`. Stopping it is dropping the future
/// (the runtime's job does that): what was sent stays sent.
pub async fn run_order(order: RegionOrder, ctx: LookupContext, out: Reporter) {
    let _pass = ctx.enter(order.via.label()).await;
    let sdk = match ctx.config_for(&order.via, &order.region).await {
        Ok(c) => c,
        Err(why) => {
            let failed = RegionFetch {
                state: FetchState::Failed(why.clone()),
                ..RegionFetch::idle(&order.region)
            };
            out.send(JobMsg::Progress(Progress::Region(order.totals(&failed))))
                .await;
            out.send(JobMsg::Done(Ending::Failed(why))).await;
            return;
        }
    };
    let client = super::client::regional_client(&sdk, &order.region);
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
