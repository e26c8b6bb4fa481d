//! Event times: CloudTrail writes RFC 3339 UTC, exports add offsets or spaces, the
//! LookupEvents wire format sends epoch seconds, and test data says "redacted".

use jiff::Timestamp;

/// Milliseconds since the Unix epoch, or unknown. A sentinel keeps `Event` 8 bytes smaller
/// than `Option<i64>` would.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct EventTime(i64);

impl EventTime {
    pub const UNKNOWN: EventTime = EventTime(i64::MIN);

    pub fn from_millis(ms: i64) -> Self {
        EventTime(ms)
    }

    pub fn millis(self) -> Option<i64> {
        (self.0 != i64::MIN).then_some(self.0)
    }

    /// The wall clock (for relative filter times); the epoch if the clock is before it.
    pub fn now() -> Self {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        EventTime(ms)
    }

    pub fn is_known(self) -> bool {
        self.0 != i64::MIN
    }

    /// Parses the textual forms found in the wild; `None` for placeholders like "redacted".
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        if let Ok(ts) = t.parse::<Timestamp>() {
            return Some(EventTime(ts.as_millisecond()));
        }
        // "2022-02-08 09:23:37+11:00" (Python's str(datetime)) and offset-less UTC times.
        let with_t = t.replacen(' ', "T", 1);
        if let Ok(ts) = with_t.parse::<Timestamp>() {
            return Some(EventTime(ts.as_millisecond()));
        }
        if let Ok(ts) = format!("{with_t}Z").parse::<Timestamp>() {
            return Some(EventTime(ts.as_millisecond()));
        }
        t.parse::<f64>().ok().and_then(Self::from_epoch_seconds)
    }

    pub fn from_epoch_seconds(secs: f64) -> Option<Self> {
        // Plausible CloudTrail range (1970..2200); anything else is a unit mistake or garbage.
        (secs.is_finite() && (0.0..7.3e9).contains(&secs))
            .then(|| EventTime((secs * 1000.0).round() as i64))
    }

    /// `2026-11-19 02:11:05` in UTC: sortable, unambiguous, fits a table column.
    pub fn format_utc(self) -> String {
        match self
            .millis()
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        {
            Some(ts) => ts.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            None => "(unknown time)".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EventTime;

    #[test]
    fn parses_forms_seen_in_the_wild() {
        let z = EventTime::parse("2024-07-30T12:00:00Z").and_then(|t| t.millis());
        assert_eq!(z, Some(1_722_340_800_000));
        assert_eq!(
            EventTime::parse("2024-07-30T12:00:00+00:00").and_then(|t| t.millis()),
            z
        );
        assert_eq!(
            EventTime::parse("2024-07-30 22:00:00+10:00").and_then(|t| t.millis()),
            z
        );
        assert_eq!(
            EventTime::parse("2024-07-30T12:00:00").and_then(|t| t.millis()),
            z
        );
        assert_eq!(EventTime::parse("1722340800").and_then(|t| t.millis()), z);
        assert_eq!(EventTime::parse("1722340800.0").and_then(|t| t.millis()), z);
        assert_eq!(EventTime::parse("redacted"), None);
        assert_eq!(EventTime::parse("..."), None);
        assert_eq!(EventTime::parse(""), None);
    }

    #[test]
    fn formats_utc() {
        let t = EventTime::parse("2026-11-19T02:11:05Z").expect("valid");
        assert_eq!(t.format_utc(), "2026-11-19 02:11:05");
        assert_eq!(EventTime::UNKNOWN.format_utc(), "(unknown time)");
    }
}
