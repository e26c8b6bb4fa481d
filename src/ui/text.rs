//! How numbers and times read on screen, shared by every pane (so panes never borrow each
//! other's helpers).

use crate::model::time::EventTime;

/// 1234567 → "1,234,567": counts a tired reader can take in at a glance.
pub(crate) fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2026-11-20 14:02`: to the minute.
pub(crate) fn minute(t: EventTime) -> String {
    let full = t.format_utc();
    full.get(..16).unwrap_or(&full).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_thousands() {
        assert_eq!(super::group(0), "0");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(1000), "1,000");
        assert_eq!(super::group(1234567), "1,234,567");
    }
}
