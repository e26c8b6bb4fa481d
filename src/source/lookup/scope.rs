//! Which regions and which time window to ask. LookupEvents is per region, and IAM, STS and the other global
//! services record their events in one region per partition (us-east-1 for most accounts), so
//! that region is added unless turned off. A mistyped region would only fail later as "cannot
//! reach CloudTrail" (a DNS error), so near misses are caught here with a suggestion.

use super::partitions;
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

/// The regions to ask, in the order given, the global-events region of their partition
/// included unless `--no-global`. Errs on a region that looks like a typo of a known one.
pub fn regions(args: &LookupRequest) -> Result<Vec<String>, String> {
    let mut list: Vec<String> = if args.regions.iter().any(|r| r == "all") {
        partitions::commercial()
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
    /// What of the window asked for LookupEvents cannot hold.
    pub clamped: Clamped,
}

/// LookupEvents keeps the last 90 days.
const KEPT_MS: i64 = 90 * 86_400_000;
/// The start is kept an hour inside the 90 days: AWS moves its own edge as time passes, and a
/// NextToken is only good while the parameters sent with it are valid.
const EDGE_MARGIN_MS: i64 = 3_600_000;

/// How the window asked for was cut to what LookupEvents holds, before the first call: a start
/// older than 90 days would be moved by AWS between pages (so its NextTokens fail), and an
/// end in the future is now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clamped {
    /// The start was older than the 90 days LookupEvents keeps.
    pub start: bool,
    /// The end was in the future.
    pub end: bool,
}

impl Clamped {
    /// For the title and the command line's first line; empty when nothing was cut.
    pub fn describe(self) -> &'static str {
        match (self.start, self.end) {
            (false, false) => "",
            (true, false) => "window cut to the 90 days LookupEvents keeps",
            (false, true) => "window ends now (it reached into the future)",
            (true, true) => "window cut to the 90 days LookupEvents keeps, ending now",
        }
    }
}

/// `window` cut to what LookupEvents holds as of `now`; an error when none of it is held.
pub fn clamp_to_kept(
    window: (EventTime, EventTime),
    now: EventTime,
) -> Result<((EventTime, EventTime), Clamped), String> {
    let (start, end) = window;
    let oldest = now
        .millis()
        .map(|n| EventTime::from_millis(n - KEPT_MS + EDGE_MARGIN_MS));
    let mut clamped = Clamped::default();
    let start = match oldest {
        Some(oldest) if start < oldest => {
            clamped.start = true;
            oldest
        }
        _ => start,
    };
    let end = if end > now {
        clamped.end = true;
        now
    } else {
        end
    };
    if start > end {
        return Err(format!(
            "the window ends {} and LookupEvents keeps only the last 90 days: read older events from the trail's S3 bucket (trailscope s3://BUCKET/PREFIX) or Athena",
            end.format_utc()
        ));
    }
    Ok(((start, end), clamped))
}

/// The scope of a fetch for `filter`, from the command line, as of `now`. The filter's own
/// `after:` / `before:` narrow the window further.
pub fn scope(args: &LookupRequest, filter: &Expr, now: EventTime) -> Result<Scope, String> {
    let regions = regions(args)?;
    let (window, clamped) = clamp_to_kept(window(args, now)?, now)?;
    let (start, end) = window;
    let plan = plan(filter, now);
    let start = plan.after.map_or(start, |a| a.max(start));
    let end = plan.before.map_or(end, |b| b.min(end)).max(start);
    Ok(Scope {
        regions,
        window: (start, end),
        plan,
        clamped,
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
pub(crate) fn global_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "cn-north-1"
    } else if region.starts_with("us-gov-") {
        "us-gov-west-1"
    } else {
        "us-east-1"
    }
}

/// A region the AWS SDK's partition data knows passes; anything else is refused, with the
/// nearest known name when one is close (`eu-west-7` → eu-west-1): an unknown region would
/// only answer nothing, or fail later as "cannot reach CloudTrail" (a DNS error).
pub(crate) fn check(region: &str) -> Result<(), String> {
    if partitions::known().any(|k| k == region) {
        return Ok(());
    }
    let nearest = partitions::known()
        .map(|k| (edit_distance(region, k), k))
        .min_by_key(|&(d, _)| d);
    let all = "`--regions all` asks every commercial region";
    match nearest {
        Some((d, k)) if d <= 3 => Err(format!(
            "unknown region {region:?}: did you mean {k}? ({all})"
        )),
        _ => Err(format!(
            "{region:?} is not a region this build of trailscope knows (like eu-west-1; {all})"
        )),
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
        assert_eq!(all.len(), partitions::commercial().len());
    }

    #[test]
    fn a_window_beyond_what_lookup_events_keeps_is_clamped_once() {
        let day = 86_400_000;
        let now = EventTime::from_millis(1_000 * day);
        let t = EventTime::from_millis;
        let got = clamp_to_kept((t(0), t(2_000 * day)), now);
        let want = Clamped {
            start: true,
            end: true,
        };
        assert_eq!(got, Ok(((t(910 * day + 3_600_000), now), want)));
        let got = clamp_to_kept((t(995 * day), t(999 * day)), now);
        assert_eq!(got, Ok(((t(995 * day), t(999 * day)), Clamped::default())));
        // Wholly older than the 90 days: said, with where older events are.
        let err = clamp_to_kept((t(0), t(day)), now).unwrap_err();
        assert!(err.contains("keeps only the last 90 days"), "{err}");
    }

    #[test]
    fn typos_are_caught_with_a_suggestion_and_new_regions_pass() {
        let err = regions(&args(Some("eu-wset-1"), &[], false)).unwrap_err();
        assert!(err.contains("did you mean eu-west-1?"), "{err}");
        let err = regions(&args(Some("Frankfurt"), &[], false)).unwrap_err();
        assert!(err.contains("not a region this build"), "{err}");
        // A region AWS does not have is refused rather than silently empty.
        let err = regions(&args(Some("eu-west-7"), &[], true)).unwrap_err();
        assert!(err.contains("did you mean eu-west-"), "{err}");
        assert!(regions(&args(Some("xx-future-9"), &[], true)).is_err());
    }
}
