//! The time window and the timestamps written into records and file names. Formatting is done
//! by hand (days → civil date) because it runs once per event and must stay cheap; jiff only
//! validates the user's `--end` date.

use std::fmt::Write;

const DAY: i64 = 86_400;
/// Keeps the window inside years CloudTrail could have written (and 4-digit years).
const MAX_DAYS: u32 = 36_500;

/// Seconds since the Unix epoch, `start` inclusive, `end` exclusive.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) start: i64,
    pub(crate) end: i64,
}

impl Window {
    /// `days` whole UTC days ending with the day `end` (YYYY-MM-DD).
    pub(crate) fn new(end: &str, days: u32) -> Result<Self, String> {
        let last = parse_date(end)?;
        if days == 0 || days > MAX_DAYS {
            return Err(format!(
                "--days must be between 1 and {MAX_DAYS} (got {days})"
            ));
        }
        let end = (last + 1) * DAY;
        let start = end - i64::from(days) * DAY;
        if start < 0 {
            return Err(format!(
                "the window ({days} days ending {}) starts before 1970; use a later --end or fewer --days",
                end_label(last)
            ));
        }
        Ok(Window { start, end })
    }

    /// File `k` of `files` covers the k-th consecutive slice of the window, so that files read
    /// in order are in time order, like real 5-minute delivery files. Returns (first second,
    /// length in seconds ≥ 1).
    pub(crate) fn slice(&self, k: u64, files: u64) -> (i64, i64) {
        let width = (self.end - self.start) as u128;
        let files = u128::from(files.max(1));
        let lo = (u128::from(k) * width / files) as i64;
        let hi = ((u128::from(k) + 1) * width / files) as i64;
        (self.start + lo, (hi - lo).max(1))
    }
}

fn end_label(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// YYYY-MM-DD → days since the epoch; strict, so a typo is an error rather than a surprise.
fn parse_date(text: &str) -> Result<i64, String> {
    let bad = || format!("--end must be a date like 2024-06-30 (got {text:?})");
    let mut parts = text.trim().split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: i16 = y.parse().map_err(|_| bad())?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    let d: i8 = d.parse().map_err(|_| bad())?;
    // jiff knows month lengths and leap years.
    jiff::civil::Date::new(y, m, d)
        .map_err(|e| format!("--end {text:?} is not a real date: {e}"))?;
    Ok(days_from_civil(i64::from(y), i64::from(m), i64::from(d)))
}

/// Howard Hinnant's days_from_civil (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's civil_from_days: (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Broken-down UTC time.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub(crate) year: i64,
    pub(crate) month: i64,
    pub(crate) day: i64,
    pub(crate) hour: i64,
    pub(crate) minute: i64,
    pub(crate) second: i64,
}

impl Civil {
    pub(crate) fn from_secs(secs: i64) -> Self {
        let (year, month, day) = civil_from_days(secs.div_euclid(DAY));
        let rem = secs.rem_euclid(DAY);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// CloudTrail's eventTime form: 2024-06-30T12:34:56Z.
    pub(crate) fn iso(&self) -> String {
        let mut s = String::with_capacity(20);
        let _ = write!(
            s,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        s
    }

    /// How IAM and STS write dates inside responses: `Nov 19, 2026 2:28:15 AM` (createDate),
    /// or with a comma after the year (STS credentials' expiration).
    pub(crate) fn response_date(&self, comma_after_year: bool) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS[(self.month - 1).clamp(0, 11) as usize];
        let (hour, half) = match self.hour {
            0 => (12, "AM"),
            h @ 1..=11 => (h, "AM"),
            12 => (12, "PM"),
            h => (h - 12, "PM"),
        };
        let comma = if comma_after_year { "," } else { "" };
        format!(
            "{month} {}, {}{comma} {hour}:{:02}:{:02} {half}",
            self.day, self.year, self.minute, self.second
        )
    }

    /// The stamp in delivery file names: 20240630T1234Z.
    pub(crate) fn file_stamp(&self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_ends_at_the_end_of_the_day() {
        let w = Window::new("2024-06-30", 7).unwrap();
        assert_eq!(Civil::from_secs(w.start).iso(), "2024-06-24T00:00:00Z");
        assert_eq!(Civil::from_secs(w.end - 1).iso(), "2024-06-30T23:59:59Z");
    }

    #[test]
    fn bad_dates_and_days_are_refused() {
        for bad in [
            "2024-6-30",
            "2024-02-30",
            "yesterday",
            "2024-06-30T00:00",
            "",
        ] {
            assert!(Window::new(bad, 7).is_err(), "{bad}");
        }
        assert!(Window::new("2024-06-30", 0).is_err());
        assert!(Window::new("1970-01-03", 7).is_err());
        assert!(Window::new("2024-02-29", 1).is_ok());
    }

    #[test]
    fn civil_round_trip() {
        for day in [-1, 0, 59, 60, 11_016, 19_904, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(Civil::from_secs(0).file_stamp(), "19700101T0000Z");
    }

    #[test]
    fn response_dates_as_iam_and_sts_write_them() {
        // 2026-11-19T02:28:15Z and 15:21:40Z, as in the demo's records.
        let t = days_from_civil(2026, 11, 19) * DAY;
        let at = |secs| Civil::from_secs(t + secs);
        assert_eq!(
            at(2 * 3600 + 28 * 60 + 15).response_date(false),
            "Nov 19, 2026 2:28:15 AM"
        );
        assert_eq!(
            at(15 * 3600 + 21 * 60 + 40).response_date(true),
            "Nov 19, 2026, 3:21:40 PM"
        );
        assert_eq!(at(0).response_date(false), "Nov 19, 2026 12:00:00 AM");
        assert_eq!(
            at(12 * 3600 + 5).response_date(false),
            "Nov 19, 2026 12:00:05 PM"
        );
    }

    #[test]
    fn slices_tile_the_window() {
        let w = Window::new("2024-06-30", 1).unwrap();
        let mut next = w.start;
        for k in 0..7 {
            let (lo, len) = w.slice(k, 7);
            assert_eq!(lo, next);
            next = lo + len;
        }
        assert_eq!(next, w.end);
    }
}
