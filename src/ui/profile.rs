//! The profile overlay: figures first, then the top lists side by side in reading order, new
//! values marked ★ with their first use. Values come from events: shown escaped.

use crate::model::sanitize::visible;
use crate::model::size::bytes;
use crate::profile::{Count, Profile, Transfer};
use crate::theme::{Meaning, Theme};
use crate::ui::text::group;
use ratatui::text::{Line, Span};

/// The profile's lines; `loading` while the events are still arriving (a reopen, a first
/// load), when an empty profile would read as "nothing here".
pub fn lines<'a>(p: &Profile, loading: bool, theme: &Theme) -> Vec<Line<'a>> {
    let head = theme.style(Meaning::Header);
    if loading && p.events == 0 {
        return vec![Line::styled(
            "  loading: the profile follows the events",
            head,
        )];
    }
    let when =
        |t: Option<crate::model::time::EventTime>| t.map_or("?".to_string(), |t| t.format_utc());
    let mut out = vec![
        Line::styled(
            format!(
                "  {} events, {} → {}",
                group(p.events),
                when(p.first),
                when(p.last)
            ),
            head,
        ),
        Line::raw(format!(
            "  errors {} (denied {}) · reads {} · writes {}",
            group(p.errors),
            group(p.denied),
            group(p.reads),
            group(p.writes)
        )),
    ];
    if !p.s3.is_empty() {
        out.push(Line::raw(transfer_line(&p.s3)));
    }
    out.push(Line::styled(
        format!("  ★ {}", p.baseline),
        theme.style(Meaning::Dim),
    ));
    if !p.findings.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            "  Findings (rule: events; ! lists them)",
            head,
        ));
        out.extend(p.findings.iter().map(|c| count_line(c, theme)));
    }
    for (title, list) in [
        ("Principals", &p.principals),
        ("Source IPs", &p.ips),
        ("Made with", &p.agents),
        ("Regions", &p.regions),
        ("Accounts", &p.accounts),
        ("Top calls", &p.calls),
    ] {
        out.push(Line::raw(""));
        out.push(Line::styled(format!("  {title}"), head));
        out.extend(list.iter().map(|c| count_line(c, theme)));
    }
    out
}

/// `S3: read 1.2 MiB (34 objects) · written 5.0 KiB · deleted 3 objects`.
fn transfer_line(t: &Transfer) -> String {
    let objects = |n: usize| match n {
        1 => "1 object".to_string(),
        n => format!("{} objects", group(n)),
    };
    format!(
        "  S3: read {} ({}) · written {} · deleted {}",
        bytes(t.bytes_read),
        objects(t.objects_read),
        bytes(t.bytes_written),
        objects(t.objects_deleted)
    )
}

fn count_line<'a>(c: &Count, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::raw(format!(
        "  {:>8}  {}",
        group(c.count),
        visible(&c.value)
    ))];
    if let Some(t) = c.first_seen {
        spans.push(Span::styled(
            format!("  ★ new, first {}", t.format_utc()),
            theme.style(Meaning::Warning),
        ));
    }
    Line::from(spans)
}
