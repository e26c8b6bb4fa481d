//! The findings view: each rule that fired, worst first, with the principals it fired for
//! under it (events, first and last time). A Sigma rule's author is on its line (DRL 1.1).
//! Suppressions are listed at the end with their reasons, so nothing is quieted unseen.

use crate::app::App;
use crate::detect::Severity;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::text::{Line, Span};

/// The lines, and the line the cursor's group is on (for scrolling).
pub fn lines<'a>(app: &'a App, theme: &Theme, cursor: usize) -> (Vec<Line<'a>>, usize) {
    let mut out: Vec<Line> = Vec::new();
    let mut cursor_line = 0;
    // What is quieted comes first: nothing is hidden without it being on screen.
    let quiet = app.detector.suppressions();
    if !quiet.is_empty() {
        let counts = app.detector.suppressed_counts(&app.store);
        out.push(Line::styled(
            " Suppressed (`:unsuppress …` lifts one)",
            theme.style(Meaning::Header),
        ));
        for (s, n) in quiet.iter().zip(counts) {
            out.push(Line::styled(
                format!(
                    "   {} · {n} finding(s) · {}",
                    visible(&s.scope()),
                    visible(&s.reason)
                ),
                theme.style(Meaning::Dim),
            ));
        }
        out.push(Line::raw(""));
    }
    if app.findings.is_empty() {
        out.push(Line::raw(format!(
            " No findings in this view: {} rules ran over {} events.",
            app.detector.rules().len(),
            app.store.len()
        )));
    }
    let mut last_rule = None;
    for (i, g) in app.findings.iter().enumerate() {
        let Some(rule) = app.detector.rule(g.rule) else {
            continue;
        };
        if last_rule != Some(g.rule) {
            if last_rule.is_some() {
                out.push(Line::raw(""));
            }
            last_rule = Some(g.rule);
            let noisy = if rule.noisy { " · noisy" } else { "" };
            out.push(Line::from(vec![
                Span::styled(
                    format!(" {:<8} ", rule.severity.label().to_uppercase()),
                    severity_style(theme, rule.severity),
                ),
                Span::styled(
                    visible(&rule.title).into_owned(),
                    theme.style(Meaning::Header),
                ),
                Span::styled(
                    format!("  {}{noisy}", visible(&rule.id)),
                    theme.style(Meaning::Dim),
                ),
            ]));
            out.push(Line::styled(
                format!("    {} · {}", rule.attack_text(), visible(&rule.credit())),
                theme.style(Meaning::Dim),
            ));
        }
        if i == cursor {
            cursor_line = out.len();
        }
        let (first, last) = (app.time_text(g.first), app.time_text(g.last));
        let span = match last.split_once(' ') {
            _ if first == last => first,
            // The same day: the end's time alone.
            Some((day, time)) if first.starts_with(day) => format!("{first} – {time}"),
            _ => format!("{first} – {last}"),
        };
        let events = if g.events.len() == 1 {
            "event".to_string()
        } else {
            "events".to_string()
        };
        let line = Line::raw(format!(
            "    ▸ {}  ·  {} {events}  ·  {span}",
            visible(&g.principal),
            g.events.len()
        ));
        out.push(if i == cursor {
            line.style(theme.style(Meaning::Selected))
        } else {
            line
        });
    }
    (out, cursor_line)
}

fn severity_style(theme: &Theme, s: Severity) -> ratatui::style::Style {
    match s {
        Severity::Critical | Severity::High => theme.style(Meaning::Error),
        Severity::Medium => theme.style(Meaning::Warning),
        Severity::Low | Severity::Info => theme.style(Meaning::Dim),
    }
}
