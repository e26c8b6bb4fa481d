//! The profile overlay: figures first, then the top lists side by side in reading order, new
//! values marked ★ with their first use. Values come from events: shown escaped.

use crate::model::sanitize::visible;
use crate::profile::{Count, Profile};
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
        Line::styled(format!("  ★ {}", p.baseline), theme.style(Meaning::Dim)),
    ];
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
