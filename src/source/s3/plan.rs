//! Which key prefixes can hold a window. CloudTrail writes
//! `PREFIX/AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_RANDOM.json.gz`,
//! the folder and the timestamp being when the file was delivered (after every event in it).
//! So a window needs the days from its start's to its end's (plus the delivery lag), whole
//! months and years listed as one prefix each; and within the edge days, files delivered
//! before the window starts are skipped by name, never downloaded. Pure: no I/O here.

use crate::model::time::EventTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// How long after its last event a file can be delivered: CloudTrail says about 5 minutes on
/// average, 15 at most; an hour keeps the late ones.
pub(crate) const DELIVERY_LAG_MS: i64 = 60 * 60 * 1000;

/// What a user's prefix already decides, parsed from the part after `AWSLogs/`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fixed {
    /// Everything up to and including `AWSLogs/`.
    pub base: String,
    pub org: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// The prefix goes below a region (into dates, or elsewhere): list it as it is.
    pub deeper: bool,
}

/// Reads `prefix` against the trail layout. `None` when it holds no `AWSLogs/` folder (the
/// bucket is then searched for one under it).
pub fn fixed(prefix: &str) -> Option<Fixed> {
    let at = if prefix.starts_with("AWSLogs/") {
        0
    } else {
        prefix.find("/AWSLogs/")? + 1
    };
    let base_end = at + "AWSLogs/".len();
    let mut fixed = Fixed {
        base: prefix[..base_end].to_string(),
        ..Fixed::default()
    };
    let mut parts = prefix[base_end..].split('/').filter(|p| !p.is_empty());
    let mut next = parts.next();
    if let Some(org) = next.filter(|p| is_org(p)) {
        fixed.org = Some(org.to_string());
        next = parts.next();
    }
    let Some(account) = next else {
        return Some(fixed);
    };
    fixed.account = Some(account.to_string());
    match parts.next() {
        None => return Some(fixed),
        Some("CloudTrail") => {}
        Some(_) => {
            fixed.deeper = true;
            return Some(fixed);
        }
    }
    if let Some(region) = parts.next() {
        fixed.region = Some(region.to_string());
    }
    fixed.deeper = parts.next().is_some();
    Some(fixed)
}

/// `o-` and 10 to 32 lowercase letters or digits: an organization trail's folder.
pub fn is_org(part: &str) -> bool {
    part.strip_prefix("o-").is_some_and(|id| {
        (10..=32).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// One account's log folder in one region: `…/AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/`.
pub fn region_prefix(base: &str, org: Option<&str>, account: &str, region: &str) -> String {
    match org {
        Some(o) => format!("{base}{o}/{account}/CloudTrail/{region}/"),
        None => format!("{base}{account}/CloudTrail/{region}/"),
    }
}

/// The date prefixes under a region folder that can hold `[start, end]`: days, or a whole
/// month (`2024/06/`) or year (`2023/`) where the window covers it, oldest first.
pub fn date_prefixes(region_prefix: &str, start: EventTime, end: EventTime) -> Vec<String> {
    let (Some(first), Some(last)) = (day(start), day(end.add_ms(DELIVERY_LAG_MS))) else {
        return vec![region_prefix.to_string()];
    };
    let mut out = Vec::new();
    let mut d = first;
    while d <= last {
        let year_end = d.last_of_year();
        let month_end = d.last_of_month();
        let (text, next_after) = if d.day_of_year() == 1 && year_end <= last {
            (format!("{:04}/", d.year()), year_end)
        } else if d.day() == 1 && month_end <= last {
            (format!("{:04}/{:02}/", d.year(), d.month()), month_end)
        } else {
            (
                format!("{:04}/{:02}/{:02}/", d.year(), d.month(), d.day()),
                d,
            )
        };
        out.push(format!("{region_prefix}{text}"));
        match next_after.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

/// Whether an object can hold events of `[start, end]`, by the delivery time in its name.
/// Names without one are kept: better read than missed.
pub fn may_hold(key: &str, start: EventTime, end: EventTime) -> bool {
    let Some(delivered) = delivered_at(key) else {
        return true;
    };
    let (Some(s), Some(e)) = (start.millis(), end.millis()) else {
        return true;
    };
    // Delivered (to the minute) before the window began: every event in it is earlier.
    delivered + 60_000 > s && delivered <= e.saturating_add(DELIVERY_LAG_MS)
}

/// `…_20240630T2355Z_…` in an object's file name, as ms since the epoch.
pub fn delivered_at(key: &str) -> Option<i64> {
    let name = key.rsplit('/').next()?;
    name.split('_').find_map(|part| {
        let b = part.as_bytes();
        let shaped = b.len() == 14
            && b[8] == b'T'
            && b[13] == b'Z'
            && b[..8].iter().chain(&b[9..13]).all(u8::is_ascii_digit);
        if !shaped {
            return None;
        }
        let text = format!(
            "{}-{}-{}T{}:{}:00Z",
            &part[0..4],
            &part[4..6],
            &part[6..8],
            &part[9..11],
            &part[11..13]
        );
        text.parse::<Timestamp>().ok().map(|t| t.as_millisecond())
    })
}

/// Object names that are logs: digests and Insights folders are not CloudTrail events of
/// the trail (digests hold hashes), nor are objects that are not JSON.
pub fn is_log_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    !key.contains("CloudTrail-Digest")
        && !key.ends_with('/')
        && [".json", ".json.gz", ".jsonl", ".gz"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

fn day(t: EventTime) -> Option<Date> {
    let ts = Timestamp::from_millisecond(t.millis()?).ok()?;
    Some(ts.to_zoned(TimeZone::UTC).date())
}

trait AddMs {
    fn add_ms(self, ms: i64) -> EventTime;
}

impl AddMs for EventTime {
    fn add_ms(self, ms: i64) -> EventTime {
        match self.millis() {
            Some(t) => EventTime::from_millis(t.saturating_add(ms)),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> EventTime {
        EventTime::parse(s).expect("a time")
    }

    fn dates(start: &str, end: &str) -> Vec<String> {
        date_prefixes("R/", t(start), t(end))
            .into_iter()
            .map(|p| p.trim_start_matches("R/").to_string())
            .collect()
    }

    #[test]
    fn a_window_within_a_day_lists_that_day_and_the_delivery_lag() {
        assert_eq!(
            dates("2024-06-30T01:00:00Z", "2024-06-30T05:00:00Z"),
            ["2024/06/30/"]
        );
        // Events up to 23:30 may be delivered after midnight: the next day is listed too.
        assert_eq!(
            dates("2024-06-30T22:00:00Z", "2024-06-30T23:30:00Z"),
            ["2024/06/30/", "2024/07/01/"]
        );
    }

    #[test]
    fn windows_crossing_months_and_years_use_whole_months_and_years() {
        assert_eq!(
            dates("2024-01-30T10:00:00Z", "2024-02-02T10:00:00Z"),
            ["2024/01/30/", "2024/01/31/", "2024/02/01/", "2024/02/02/"]
        );
        assert_eq!(
            dates("2023-12-31T10:00:00Z", "2024-01-01T10:00:00Z"),
            ["2023/12/31/", "2024/01/01/"]
        );
        assert_eq!(
            dates("2024-05-30T00:00:00Z", "2024-07-01T10:00:00Z"),
            ["2024/05/30/", "2024/05/31/", "2024/06/", "2024/07/01/"]
        );
        assert_eq!(
            dates("2022-12-31T00:00:00Z", "2024-02-01T10:00:00Z"),
            ["2022/12/31/", "2023/", "2024/01/", "2024/02/01/"]
        );
    }

    #[test]
    fn the_user_prefix_fixes_org_account_and_region() {
        assert_eq!(fixed("logs/"), None);
        let f = fixed("AWSLogs/").unwrap();
        assert_eq!((f.base.as_str(), f.org.as_deref()), ("AWSLogs/", None));
        let f = fixed("trail/AWSLogs/o-abcdef1234/111122223333/").unwrap();
        assert_eq!(f.base, "trail/AWSLogs/");
        assert_eq!(f.org.as_deref(), Some("o-abcdef1234"));
        assert_eq!(f.account.as_deref(), Some("111122223333"));
        let f = fixed("AWSLogs/111122223333/CloudTrail/eu-west-1/").unwrap();
        assert_eq!(f.region.as_deref(), Some("eu-west-1"));
        assert!(!f.deeper);
        assert!(
            fixed("AWSLogs/111122223333/CloudTrail/eu-west-1/2024/")
                .unwrap()
                .deeper
        );
        assert!(
            fixed("AWSLogs/111122223333/CloudTrail-Digest/")
                .unwrap()
                .deeper
        );
    }

    #[test]
    fn objects_are_pruned_by_their_delivery_time() {
        let key = "AWSLogs/1/CloudTrail/eu-west-1/2024/06/30/1_CloudTrail_eu-west-1_20240630T1000Z_abc.json.gz";
        assert_eq!(
            delivered_at(key),
            Some(t("2024-06-30T10:00:00Z").millis().unwrap())
        );
        let (s, e) = (t("2024-06-30T10:30:00Z"), t("2024-06-30T12:00:00Z"));
        assert!(!may_hold(key, s, e), "delivered before the window");
        assert!(
            may_hold(key, t("2024-06-30T10:00:30Z"), e),
            "the same minute"
        );
        assert!(
            may_hold(key, t("2024-06-30T08:00:00Z"), t("2024-06-30T09:30:00Z")),
            "lag"
        );
        assert!(!may_hold(
            key,
            t("2024-06-30T06:00:00Z"),
            t("2024-06-30T08:00:00Z")
        ));
        assert!(may_hold("AWSLogs/odd-name.json", s, e));
    }

    #[test]
    fn digests_and_other_files_are_not_logs() {
        assert!(is_log_key("a/1_CloudTrail_x_20240630T1000Z_a.json.gz"));
        assert!(!is_log_key(
            "AWSLogs/1/CloudTrail-Digest/x/1_CloudTrail-Digest_x.json.gz"
        ));
        assert!(!is_log_key("AWSLogs/1/CloudTrail/x/"));
        assert!(!is_log_key("AWSLogs/README.txt"));
    }

    #[test]
    fn org_folders_are_recognised() {
        assert!(is_org("o-abcdef1234"));
        assert!(!is_org("o-x"));
        assert!(!is_org("111122223333"));
    }
}
