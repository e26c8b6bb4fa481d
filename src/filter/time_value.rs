//! Time bounds for `after:` and `before:`: RFC 3339, a bare date or minute, or an age
//! relative to now (`-3h`, `90m`, `2d`, `1w`).

use crate::model::time::EventTime;

pub fn parse_time(value: &str, now: EventTime) -> Result<EventTime, String> {
    if let Some(ms) = relative_ms(value) {
        let now = now.millis().unwrap_or(0);
        return Ok(EventTime::from_millis(now.saturating_sub(ms)));
    }
    let v = value.trim();
    let candidates = [
        v.to_string(),
        format!("{v}T00:00:00Z"),
        format!("{v}:00Z"),
        format!("{v}:00"),
        format!("{}:00Z", v.trim_end_matches(['Z', 'z'])),
    ];
    // A plain number is not a time here: `after:2024` is a half-typed date, not epoch seconds.
    if v.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "`{v}` is not a time: use 2024-05-01, 2024-05-01T10:00Z or -3h"
        ));
    }
    candidates
        .iter()
        .find_map(|c| EventTime::parse(c).filter(|t| t.is_known()))
        .ok_or_else(|| format!("`{v}` is not a time: use 2024-05-01, 2024-05-01T10:00Z or -3h"))
}

/// `-3h` → 3 hours in milliseconds. Units: s, m, h, d, w.
fn relative_ms(value: &str) -> Option<i64> {
    let v = value.strip_prefix('-').unwrap_or(value);
    let unit = v.chars().last()?;
    let n: i64 = v[..v.len() - unit.len_utf8()].parse().ok()?;
    let scale = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        'w' => 7 * 86_400_000,
        _ => return None,
    };
    n.checked_mul(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let now = EventTime::parse("2024-06-30T12:00:00Z").unwrap_or(EventTime::UNKNOWN);
        let t = |s: &str| parse_time(s, now).map(|t| t.format_utc());
        assert_eq!(t("2024-05-01").as_deref(), Ok("2024-05-01 00:00:00"));
        assert_eq!(t("2024-05-01T10:00Z").as_deref(), Ok("2024-05-01 10:00:00"));
        assert_eq!(
            t("2024-05-01T10:00:05Z").as_deref(),
            Ok("2024-05-01 10:00:05")
        );
        assert_eq!(
            t("2024-05-01T12:00:00+02:00").as_deref(),
            Ok("2024-05-01 10:00:00")
        );
        assert_eq!(t("-3h").as_deref(), Ok("2024-06-30 09:00:00"));
        assert_eq!(t("2d").as_deref(), Ok("2024-06-28 12:00:00"));
        assert!(t("2024").is_err());
        assert!(t("2024-13-01").is_err());
        assert!(t("yesterday").is_err());
    }
}
