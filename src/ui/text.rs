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

/// `text` in at most `width` cells, cut from the middle (`head…tail`) when it is longer: the
/// end of a walk (the view on screen) and its start both stay readable.
pub(crate) fn shorten_middle(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let cells = |c: char| c.width().unwrap_or(0);
    let total: usize = text.chars().map(cells).sum();
    if total <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    // One cell for the ellipsis; the tail (the current view) gets two thirds of the rest.
    let room = width - 1;
    let tail_room = room - room / 3;
    let head_room = room - tail_room;
    let mut head = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + cells(c) > head_room {
            break;
        }
        used += cells(c);
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        if used + cells(c) > tail_room {
            break;
        }
        used += cells(c);
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
}

/// A path or ARN in at most `width` cells: when it is cut, its last `/` segment (an object's
/// file name, a trail's or a user's name) stays whole if it leaves room for a few cells of the
/// head (the bucket, the service); otherwise cut from the middle like any identifier.
pub(crate) fn shorten_path(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let Some(at) = text.rfind('/') else {
        return shorten_middle(text, width);
    };
    let tail = &text[at..];
    // The head keeps at least four cells, then `…`.
    match width.checked_sub(tail.width() + 1) {
        Some(head_room) if head_room >= 4 => {
            format!("{}{tail}", shorten_end(&text[..at], head_room + 1))
        }
        _ => shorten_middle(text, width),
    }
}

/// A step of the walk longer than this is cut from its middle before any step is dropped.
const CRUMB_CELLS: usize = 28;

/// The walk's breadcrumbs (oldest first, already escaped) in `width` cells: first each step but
/// the last is cut from its middle (an ARN keeps its start and its name), then the oldest steps
/// after the first fold into one `…`; the view on screen stays whole while it fits.
pub(crate) fn fit_crumbs(crumbs: &[String], width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let joined = |parts: &[String]| parts.join(" › ");
    let mut parts = crumbs.to_vec();
    if joined(&parts).width() <= width {
        return joined(&parts);
    }
    let last = parts.len().saturating_sub(1);
    for part in &mut parts[..last] {
        *part = shorten_middle(part, CRUMB_CELLS);
    }
    let mut folded = false;
    while joined(&parts).width() > width && parts.len() > 2 {
        let at = 1 + usize::from(folded);
        if at >= parts.len() - 1 {
            break;
        }
        parts.remove(if folded { at } else { 1 });
        if !folded {
            parts.insert(1, "…".to_string());
            folded = true;
        }
    }
    if joined(&parts).width() <= width {
        return joined(&parts);
    }
    // Still too wide: the view on screen alone, after a `…` for the walk before it while
    // that fits, else cut from its middle (a key keeps its start and its end).
    let here = crumbs.last().map(String::as_str).unwrap_or_default();
    let after_fold = format!("… › {here}");
    match crumbs.len() > 1 && after_fold.width() <= width {
        true => after_fold,
        false => shorten_middle(here, width),
    }
}

/// `text` in at most `width` cells, its end replaced by `…` when it is longer.
pub(crate) fn shorten_end(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let cells = |c: char| c.width().unwrap_or(0);
    if text.chars().map(cells).sum::<usize>() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + cells(c) > width - 1 {
            break;
        }
        used += cells(c);
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn crumbs_shorten_each_step_then_fold_the_oldest() {
        let crumbs: Vec<String> = [
            "all",
            "key:AKIAXLEAKED0EXAMPLE1",
            "key:=arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/deploy-sync",
            "lineage:AKIAXLEAKED0EXAMPLE1",
        ]
        .map(String::from)
        .to_vec();
        let wide = super::fit_crumbs(&crumbs, 500);
        assert_eq!(wide, crumbs.join(" › "));
        let mid = super::fit_crumbs(&crumbs, 100);
        assert!(mid.ends_with(" › lineage:AKIAXLEAKED0EXAMPLE1"), "{mid}");
        assert!(
            mid.contains("key:=arn:aws:s…ole/deploy-sync") || mid.contains('…'),
            "{mid}"
        );
        let narrow = super::fit_crumbs(&crumbs, 45);
        assert!(narrow.starts_with("all › … › "), "{narrow}");
        assert!(narrow.ends_with("lineage:AKIAXLEAKED0EXAMPLE1"), "{narrow}");
        // Narrower still, the view on screen stays whole before anything else does.
        assert_eq!(
            super::fit_crumbs(&crumbs, 32),
            "… › lineage:AKIAXLEAKED0EXAMPLE1"
        );
        assert_eq!(
            super::fit_crumbs(&crumbs, 28),
            "lineage:AKIAXLEAKED0EXAMPLE1"
        );
        use unicode_width::UnicodeWidthStr;
        for w in 0..140 {
            assert!(super::fit_crumbs(&crumbs, w).width() <= w, "fits {w}");
        }
    }

    #[test]
    fn paths_keep_their_last_segment_whole() {
        use unicode_width::UnicodeWidthStr;
        let key = "acme-payroll-exports-4kz1/exports/2024/06/payroll-2024-06-20.csv";
        assert_eq!(
            super::shorten_path(key, 30),
            "acme-p…/payroll-2024-06-20.csv"
        );
        assert_eq!(super::shorten_path(key, 200), key);
        // Too narrow for the file name and a head: cut from the middle.
        assert_eq!(super::shorten_path(key, 12), super::shorten_middle(key, 12));
        assert_eq!(
            super::shorten_path("no-slash-here", 6),
            super::shorten_middle("no-slash-here", 6)
        );
        for w in 0..70 {
            assert!(super::shorten_path(key, w).width() <= w, "fits {w}");
        }
    }

    #[test]
    fn words_are_cut_at_the_end_within_their_width() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(super::shorten_end("AccessDenied", 12), "AccessDenied");
        assert_eq!(super::shorten_end("AccessDenied", 7), "Access…");
        assert_eq!(super::shorten_end("AccessDenied", 1), "…");
        assert_eq!(super::shorten_end("AccessDenied", 0), "");
        assert!(super::shorten_end("日本語日本語", 6).width() <= 6);
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(super::group(0), "0");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(1000), "1,000");
        assert_eq!(super::group(1234567), "1,234,567");
    }

    #[test]
    fn long_text_is_cut_from_the_middle_within_its_width() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(
            super::shorten_middle("all › key:=AKIA", 40),
            "all › key:=AKIA"
        );
        let walk = "all › key:AKIAXLEAKED0EXAMPLE1 › key:=ASIAXATTACKSESSION01 › all";
        for width in [0, 1, 5, 20, 40] {
            let short = super::shorten_middle(walk, width);
            assert!(short.width() <= width, "{width}: {short}");
        }
        let short = super::shorten_middle(walk, 30);
        assert!(
            short.starts_with("all › key") && short.ends_with("› all"),
            "{short}"
        );
        // Wide characters count as the two cells they take.
        assert!(super::shorten_middle("日本語日本語日本語", 7).width() <= 7);
    }
}
