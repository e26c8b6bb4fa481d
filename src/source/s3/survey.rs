//! What an Athena table over a trail's bucket needs to know from the bucket itself: its
//! region folders (`discover`, every account and region) and the first day they hold
//! (`first_day`). Only delimiter listings: nothing is downloaded. The table's statement is
//! written above this layer (`athena::layout`, `athena::table`); this is the listing half.

use super::connect::{connect, words};
use super::discover::{discover, Ctx, Target};
use super::first_day::{first_day, MAX_REGION_FOLDERS};
use super::stats::Stats;
use super::url::S3Url;
use crate::model::time::EventTime;
use crate::source::files::CancelToken;

/// When the day folders cannot be read, the projection starts this many days before now:
/// Event history's own reach, so the table covers at least what LookupEvents does.
pub const FALLBACK_DAYS: i64 = 90;

/// Where to look, and how to reach it.
#[derive(Clone, Debug)]
pub struct SurveyRequest {
    pub url: S3Url,
    pub profile: Option<String>,
    /// The bucket's region (`--region`); found from S3's answer when not given.
    pub region: Option<String>,
}

/// What the bucket says.
#[derive(Clone, Debug)]
pub struct Survey {
    /// Every `…/AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/` found (empty: no trail layout).
    pub region_prefixes: Vec<String>,
    /// The first day folder, or `FALLBACK_DAYS` before now (a note then says so).
    pub since: EventTime,
    /// Things to tell the user; they can quote keys, so pass them through `visible`.
    pub notes: Vec<String>,
}

/// Surveys the bucket on a runtime of its own and returns when done. `keep` picks, from every
/// region folder found, those the table covers: the first day is read from them alone (a
/// second trail in the bucket, or a folder that is not an account, must not move it).
/// `Err`: the bucket could not be listed at all (the words say what would help).
pub fn survey_blocking(
    req: &SurveyRequest,
    now: EventTime,
    keep: impl FnOnce(&[String]) -> Vec<String>,
) -> Result<Survey, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the S3 client: {e}"))?;
    rt.block_on(survey(req, now, keep))
}

async fn survey(
    req: &SurveyRequest,
    now: EventTime,
    keep: impl FnOnce(&[String]) -> Vec<String>,
) -> Result<Survey, String> {
    let stats = Stats::default();
    let cancel = CancelToken::default();
    let ctx = Ctx {
        stats: &stats,
        cancel: &cancel,
    };
    let config = crate::source::lookup::client::load_config(req.profile.as_deref()).await;
    let mut notes = Vec::new();
    let (bucket, moved) = connect(&config, &req.url, req.region.as_deref(), &ctx).await?;
    notes.extend(moved);
    let found = discover(&bucket, &req.url.prefix, &[], &[], &ctx)
        .await
        .map_err(|f| words(f, &bucket.name))?;
    let region_prefixes: Vec<String> = found
        .targets
        .into_iter()
        .filter_map(|t| match t {
            Target::Region(p) => Some(p),
            Target::Whole(_) => None,
        })
        .collect();
    let covered = keep(&region_prefixes);
    if covered.is_empty() {
        return Ok(Survey {
            region_prefixes,
            since: now,
            notes,
        });
    }
    if covered.len() > MAX_REGION_FOLDERS {
        notes.push(format!(
            "the first day was read from {MAX_REGION_FOLDERS} of {} region folders",
            covered.len()
        ));
    }
    let fallback = || {
        now.millis()
            .map(|t| EventTime::from_millis(t - FALLBACK_DAYS * 86_400_000))
            .unwrap_or(now)
    };
    let since = match first_day(&bucket, &covered, &ctx).await {
        Ok(Some(day)) => match EventTime::parse(&format!("{}T00:00:00Z", day.replace('/', "-"))) {
            Some(t) => t,
            None => {
                notes.push(format!("the first day folder {day} is not a date: the projection starts {FALLBACK_DAYS} days ago; edit 'projection.timestamp.range' to reach further back"));
                fallback()
            }
        },
        Ok(None) => {
            notes.push(format!("no year/month/day folder found: the projection starts {FALLBACK_DAYS} days ago; edit 'projection.timestamp.range' to reach further back"));
            fallback()
        }
        Err(f) => {
            notes.push(format!(
                "the day folders could not be listed ({}): the projection starts {FALLBACK_DAYS} days ago; edit 'projection.timestamp.range' to reach further back",
                words(f, &bucket.name)
            ));
            fallback()
        }
    };
    Ok(Survey {
        region_prefixes,
        since,
        notes,
    })
}
