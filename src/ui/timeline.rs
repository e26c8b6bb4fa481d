//! The timeline overlay: a bar per time bucket, errors (bottom) and writes stacked in their own
//! colours over the rest, empty buckets dotted so silences show; the cursor's bucket and the
//! span being chosen are marked under the bars; the longest silences are listed below.

use crate::app::App;
use crate::profile::timeline::{duration, Timeline};
use crate::theme::{Meaning, Theme};
use crate::ui::text::group;
use ratatui::text::{Line, Span};

/// Rows of bars.
const HEIGHT: usize = 10;

pub fn lines<'a>(app: &App, theme: &Theme, cursor: usize, anchor: Option<usize>) -> Vec<Line<'a>> {
    let t: &Timeline = &app.timeline;
    if t.buckets.is_empty() {
        return vec![Line::raw("  No events with a time in this view.")];
    }
    let max = t.buckets.iter().map(|b| b.events).max().unwrap_or(1).max(1);
    let heights: Vec<usize> = t
        .buckets
        .iter()
        .map(|b| (b.events * HEIGHT).div_ceil(max))
        .collect();
    let (error, write, normal, dim) = (
        theme.style(Meaning::Error),
        theme.style(Meaning::StatusAccent),
        theme.style(Meaning::Normal),
        theme.style(Meaning::Dim),
    );
    let mut out = Vec::new();
    for row in (0..HEIGHT).rev() {
        let spans: Vec<Span> = t
            .buckets
            .iter()
            .zip(&heights)
            .map(|(b, &h)| {
                if b.events == 0 {
                    return Span::styled(if row == 0 { "·" } else { " " }, dim);
                }
                if row >= h {
                    return Span::raw(" ");
                }
                // Stacked from the bottom: errors, then writes, then the rest.
                let share = |n: usize| {
                    if n == 0 {
                        0
                    } else {
                        (n * h).div_ceil(b.events)
                    }
                };
                let (e, w) = (share(b.errors), share(b.writes));
                let style = if row < e {
                    error
                } else if row < e + w {
                    write
                } else {
                    normal
                };
                Span::styled("█", style)
            })
            .collect();
        let mut line = vec![Span::raw("  ")];
        line.extend(spans);
        out.push(Line::from(line));
    }
    let (lo, hi) = match anchor {
        Some(a) => (a.min(cursor), a.max(cursor)),
        None => (cursor, cursor),
    };
    let marks: String = (0..t.buckets.len())
        .map(|i| match i {
            _ if i == cursor => '▲',
            _ if i >= lo && i <= hi => '─',
            _ => ' ',
        })
        .collect();
    out.push(Line::styled(
        format!("  {marks}"),
        theme.style(Meaning::HelpKey),
    ));
    let (from, _) = t.span(0, 0);
    let (_, to) = t.span(t.buckets.len() - 1, t.buckets.len() - 1);
    out.push(Line::styled(
        format!(
            "  {} → {} UTC · {} per column · █ errors, writes, other",
            from.format_utc(),
            to.format_utc(),
            duration(t.bucket_ms)
        ),
        dim,
    ));
    let (a, b) = t.span(lo, hi);
    let picked = &t.buckets[lo..=hi];
    let sum =
        |f: fn(&crate::profile::timeline::Bucket) -> usize| picked.iter().map(f).sum::<usize>();
    out.push(Line::styled(
        format!(
            "  {} → {}: {} events, {} errors, {} writes",
            a.format_utc(),
            b.format_utc(),
            group(sum(|b| b.events)),
            group(sum(|b| b.errors)),
            group(sum(|b| b.writes)),
        ),
        theme.style(Meaning::Header),
    ));
    if !t.gaps.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            "  Longest silences",
            theme.style(Meaning::Header),
        ));
        for g in &t.gaps {
            let ms = g.to.millis().unwrap_or(0) - g.from.millis().unwrap_or(0);
            out.push(Line::raw(format!(
                "  {:>8}  {} → {}, after {}",
                duration(ms),
                g.from.format_utc(),
                g.to.format_utc(),
                crate::model::sanitize::visible(&g.after)
            )));
        }
    }
    out
}
