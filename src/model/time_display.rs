//! How event times are shown in the table: UTC (CloudTrail's own clock, the default), the
//! responder's local time, or relative ages ("3h 12m ago"). The time zone and "now" are
//! handed in, so the reducer and the snapshots never read a clock.

use crate::model::time::EventTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

#[derive(Copy, Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeDisplay {
    #[default]
    Utc,
    Local,
    Relative,
}

impl TimeDisplay {
    pub const ALL: [TimeDisplay; 3] = [TimeDisplay::Utc, TimeDisplay::Local, TimeDisplay::Relative];

    pub fn name(self) -> &'static str {
        match self {
            TimeDisplay::Utc => "utc",
            TimeDisplay::Local => "local",
            TimeDisplay::Relative => "relative",
        }
    }

    pub fn parse(text: &str) -> Option<TimeDisplay> {
        TimeDisplay::ALL.into_iter().find(|t| t.name() == text)
    }

    /// The toggle's order: UTC → local → relative → UTC.
    pub fn next(self) -> TimeDisplay {
        match self {
            TimeDisplay::Utc => TimeDisplay::Local,
            TimeDisplay::Local => TimeDisplay::Relative,
            TimeDisplay::Relative => TimeDisplay::Utc,
        }
    }

    /// The time column's header: it always says which clock the column reads.
    pub fn header(self) -> &'static str {
        match self {
            TimeDisplay::Utc => "TIME (UTC)",
            TimeDisplay::Local => "TIME (LOCAL)",
            TimeDisplay::Relative => "AGE",
        }
    }

    /// One table cell: 19 characters at most, so switching never reflows the table.
    pub fn format(self, t: EventTime, tz: &TimeZone, now: EventTime) -> String {
        let Some(ms) = t.millis() else {
            return "(unknown time)".to_string();
        };
        match self {
            TimeDisplay::Utc => t.format_utc(),
            TimeDisplay::Local => match Timestamp::from_millisecond(ms) {
                Ok(ts) => tz.to_datetime(ts).strftime("%Y-%m-%d %H:%M:%S").to_string(),
                Err(_) => t.format_utc(),
            },
            TimeDisplay::Relative => age(now.millis().unwrap_or(0).saturating_sub(ms)),
        }
    }

    /// What the status bar says after a toggle: the local zone by name and offset, since
    /// "local" on a jump host may not be the responder's own.
    pub fn describe(self, tz: &TimeZone, now: EventTime) -> String {
        match self {
            TimeDisplay::Utc => "times in UTC".to_string(),
            TimeDisplay::Local => {
                let name = tz.iana_name().unwrap_or("this machine's zone");
                let offset = Timestamp::from_millisecond(now.millis().unwrap_or(0))
                    .map(|ts| tz.to_offset(ts).to_string())
                    .unwrap_or_default();
                format!("times in local time: {name} (UTC{offset})")
            }
            TimeDisplay::Relative => "times as ages before now".to_string(),
        }
    }
}

/// "45s ago", "12m 05s ago", "3h 12m ago", "5d 03h ago", "412d ago"; "in 5m" for clock skew.
fn age(ms: i64) -> String {
    if ms < 0 {
        let later = age(-ms);
        return format!("in {}", later.trim_end_matches(" ago"));
    }
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s}s ago"),
        60..=3_599 => format!("{}m {:02}s ago", s / 60, s % 60),
        3_600..=86_399 => format!("{}h {:02}m ago", s / 3_600, s % 3_600 / 60),
        86_400..=8_639_999 => format!("{}d {:02}h ago", s / 86_400, s % 86_400 / 3_600),
        _ => format!("{}d ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::Offset;

    #[test]
    fn formats_each_way() {
        let t = EventTime::parse("2026-11-19T02:11:05Z").expect("valid");
        let now = EventTime::parse("2026-11-20T05:20:00Z").expect("valid");
        let sydney = TimeZone::fixed(Offset::constant(11));
        assert_eq!(
            TimeDisplay::Utc.format(t, &sydney, now),
            "2026-11-19 02:11:05"
        );
        assert_eq!(
            TimeDisplay::Local.format(t, &sydney, now),
            "2026-11-19 13:11:05"
        );
        assert_eq!(TimeDisplay::Relative.format(t, &sydney, now), "1d 03h ago");
        assert_eq!(age(45_000), "45s ago");
        assert_eq!(age(725_000), "12m 05s ago");
        assert_eq!(age(-300_000), "in 5m 00s");
        assert_eq!(age(500 * 86_400_000), "500d ago");
        assert_eq!(TimeDisplay::Utc.next().next().next(), TimeDisplay::Utc);
        assert_eq!(
            TimeDisplay::Local.format(EventTime::UNKNOWN, &sydney, now),
            "(unknown time)"
        );
    }
}
