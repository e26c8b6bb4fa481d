//! Which regions and which time window to ask. LookupEvents is per region, and IAM, STS and the other global
//! services record their events in one region per partition (us-east-1 for most accounts), so
//! that region is added unless turned off. A mistyped region would only fail later as "cannot
//! reach CloudTrail" (a DNS error), so near misses are caught here with a suggestion.

use super::plan::{plan, LookupPlan};
use crate::filter::Expr;
use crate::filter::{edit_distance, time_bound};
use crate::model::time::EventTime;

/// Which regions and which window: what `--region`, `--regions`, `--no-global`, `--since`,
/// `--from` and `--to` ask for (the front door turns its flags into this).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupRequest {
    pub region: Option<String>,
    pub regions: Vec<String>,
    pub no_global: bool,
    /// An age (`24h`) or a time; `from` wins over it.
    pub since: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Default for LookupRequest {
    fn default() -> LookupRequest {
        LookupRequest {
            region: None,
            regions: Vec::new(),
            no_global: false,
            since: "24h".to_string(),
            from: None,
            to: None,
        }
    }
}

/// Commercial regions where CloudTrail runs: what `--regions all` means.
const COMMERCIAL: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
];

/// Regions of the other partitions: known, but never part of `all` (other credentials).
const OTHER_PARTITIONS: &[&str] = &[
    "us-gov-west-1",
    "us-gov-east-1",
    "cn-north-1",
    "cn-northwest-1",
];

/// The regions to ask, in the order given, the global-events region of their partition
/// included unless `--no-global`. Errs on a region that looks like a typo of a known one.
pub fn regions(args: &LookupRequest) -> Result<Vec<String>, String> {
    let mut list: Vec<String> = if args.regions.iter().any(|r| r == "all") {
        COMMERCIAL.iter().map(|r| r.to_string()).collect()
    } else {
        args.region.iter().chain(&args.regions).cloned().collect()
    };
    for region in &list {
        check(region)?;
    }
    if !args.no_global {
        let globals: Vec<&str> = list.iter().map(|r| global_region(r)).collect();
        for g in globals {
            if !list.iter().any(|r| r == g) {
                list.push(g.to_string());
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    list.retain(|r| seen.insert(r.clone()));
    Ok(list)
}

/// What a fetch asks: where, when, and what (one attribute at AWS, the rest here).
pub struct Scope {
    pub regions: Vec<String>,
    pub window: (EventTime, EventTime),
    pub plan: LookupPlan,
}

/// The scope of a fetch for `filter`, from the command line, as of `now`. The filter's own
/// `after:` / `before:` narrow the window further.
pub fn scope(args: &LookupRequest, filter: &Expr, now: EventTime) -> Result<Scope, String> {
    let regions = regions(args)?;
    let (start, end) = window(args, now)?;
    let plan = plan(filter, now);
    let start = plan.after.map_or(start, |a| a.max(start));
    let end = plan.before.map_or(end, |b| b.min(end));
    Ok(Scope {
        regions,
        window: (start, end),
        plan,
    })
}

/// The window, frozen now: NextTokens are only valid for identical parameters.
pub fn window(args: &LookupRequest, now: EventTime) -> Result<(EventTime, EventTime), String> {
    let bad = |what: &str, v: &str| {
        format!("{what} {v:?} is not a time (2024-05-01, RFC 3339, or an age like 24h)")
    };
    let end = match &args.to {
        Some(v) => time_bound(v, now).ok_or_else(|| bad("--to", v))?,
        None => now,
    };
    let start = match &args.from {
        Some(v) => time_bound(v, now).ok_or_else(|| bad("--from", v))?,
        None => time_bound(&args.since, now).ok_or_else(|| bad("--since", &args.since))?,
    };
    if start > end {
        return Err("the window starts after it ends".to_string());
    }
    Ok((start, end))
}

/// Where a partition's global services (IAM, STS, CloudFront…) record their events.
fn global_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "cn-north-1"
    } else if region.starts_with("us-gov-") {
        "us-gov-west-1"
    } else {
        "us-east-1"
    }
}

/// Known regions pass; a near miss of one is an error naming it; anything else passes (AWS
/// opens new regions, and a list in a binary ages).
fn check(region: &str) -> Result<(), String> {
    let known = COMMERCIAL.iter().chain(OTHER_PARTITIONS);
    if known.clone().any(|k| *k == region) {
        return Ok(());
    }
    let shape_ok = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    // A new number in a known area (ap-southeast-9) is a new region, not a typo.
    let area = |r: &str| r.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    if known.clone().any(|k| area(k) == area(region)) {
        return Ok(());
    }
    let nearest = known
        .map(|k| (edit_distance(region, k), *k))
        .min_by_key(|&(d, _)| d);
    match nearest {
        Some((d, k)) if d <= 2 => Err(format!(
            "unknown region {region:?}: did you mean {k}? (`--regions all` asks every commercial region)"
        )),
        _ if !shape_ok => Err(format!(
            "{region:?} is not a region name (like eu-west-1; `--regions all` asks every commercial region)"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(region: Option<&str>, regions: &[&str], no_global: bool) -> LookupRequest {
        LookupRequest {
            region: region.map(str::to_string),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            no_global,
            ..LookupRequest::default()
        }
    }

    #[test]
    fn the_global_region_is_added_once_unless_turned_off() {
        let got = regions(&args(Some("eu-west-1"), &["eu-west-1", "us-west-2"], false));
        assert_eq!(
            got,
            Ok(vec![
                "eu-west-1".into(),
                "us-west-2".into(),
                "us-east-1".into()
            ])
        );
        let got = regions(&args(Some("eu-west-1"), &[], true));
        assert_eq!(got, Ok(vec!["eu-west-1".into()]));
        let got = regions(&args(Some("cn-northwest-1"), &[], false));
        assert_eq!(got, Ok(vec!["cn-northwest-1".into(), "cn-north-1".into()]));
        let all = regions(&args(None, &["all"], false)).unwrap_or_default();
        assert_eq!(all.len(), COMMERCIAL.len());
    }

    #[test]
    fn typos_are_caught_with_a_suggestion_and_new_regions_pass() {
        let err = regions(&args(Some("eu-wset-1"), &[], false)).unwrap_err();
        assert!(err.contains("did you mean eu-west-1?"), "{err}");
        let err = regions(&args(Some("Frankfurt"), &[], false)).unwrap_err();
        assert!(err.contains("not a region name"), "{err}");
        assert!(regions(&args(Some("xx-future-9"), &[], true)).is_ok());
        assert!(regions(&args(Some("ap-southeast-9"), &[], true)).is_ok());
    }
}
