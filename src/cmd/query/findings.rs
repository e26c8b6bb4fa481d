//! `trailscope query … --findings`: the findings of the matching events, grouped by rule then
//! principal, for scripts and tickets. Every Sigma finding names its rule's author (DRL 1.1).

use super::output::Dest;
use crate::cmd::args::Output;
use crate::detect::{Detector, Group};
use crate::model::sanitize::{json_inert, visible};
use crate::model::store::Store;
use std::io::{self, Write};

const CSV_HEADER: [&str; 13] = [
    "severity",
    "rule",
    "title",
    "principal",
    "events",
    "first",
    "last",
    "tactics",
    "techniques",
    "origin",
    "author",
    "why",
    "first_event_id",
];

pub(crate) fn print(
    out: &mut impl Write,
    d: &Detector,
    store: &Store,
    groups: &[Group],
    (format, dest): (Output, Dest),
    limit: Option<usize>,
) -> io::Result<()> {
    let groups = &groups[..limit.unwrap_or(usize::MAX).min(groups.len())];
    let first_id = |g: &Group| {
        g.events
            .first()
            .and_then(|&i| store.event(i).event_id.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    match format {
        Output::Jsonl => {
            for g in groups {
                let Some(r) = d.rule(g.rule) else { continue };
                let ids: Vec<String> = g
                    .events
                    .iter()
                    .filter_map(|&i| store.event(i).event_id.as_ref().map(ToString::to_string))
                    .take(1000)
                    .collect();
                let line = serde_json::json!({
                    "severity": r.severity.label(),
                    "rule": r.id,
                    "title": r.title,
                    "principal": g.principal,
                    "events": g.events.len(),
                    "first": g.first.format_utc(),
                    "last": g.last.format_utc(),
                    "tactics": r.tactics.iter().map(|t| format!("{} {}", t.id(), t.name())).collect::<Vec<_>>(),
                    "techniques": r.techniques,
                    "origin": r.origin.label(),
                    "author": r.author,
                    "licence": matches!(r.origin, crate::detect::Origin::Sigma).then_some("DRL 1.1"),
                    "reference": r.reference,
                    "why": r.why,
                    "noisy": r.noisy,
                    "event_ids": ids,
                });
                writeln!(out, "{}", json_inert(&line.to_string()))?;
            }
        }
        Output::Csv => {
            writeln!(out, "{}", CSV_HEADER.join(","))?;
            for g in groups {
                let Some(r) = d.rule(g.rule) else { continue };
                let cells = [
                    r.severity.label().to_string(),
                    r.id.clone(),
                    r.title.clone(),
                    g.principal.clone(),
                    g.events.len().to_string(),
                    g.first.format_utc(),
                    g.last.format_utc(),
                    r.tactics
                        .iter()
                        .map(|t| t.id())
                        .collect::<Vec<_>>()
                        .join(" "),
                    r.techniques.join(" "),
                    r.origin.label().to_string(),
                    r.author.clone(),
                    r.why.clone(),
                    first_id(g),
                ];
                let line: Vec<String> = cells.iter().map(|c| dest.csv(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        Output::Table | Output::Count | Output::Tree => {
            writeln!(
                out,
                "{:<8}  {:<44}  {:<28}  {:>6}  {:<20}  {:<20}  BY",
                "SEVERITY", "RULE", "PRINCIPAL", "EVENTS", "FIRST", "LAST"
            )?;
            for g in groups {
                let Some(r) = d.rule(g.rule) else { continue };
                let noisy = if r.noisy { " (noisy)" } else { "" };
                writeln!(
                    out,
                    "{:<8}  {:<44}  {:<28}  {:>6}  {:<20}  {:<20}  {}{noisy}",
                    r.severity.label(),
                    visible(&cut(&r.id, 44)),
                    visible(&cut(&g.principal, 28)),
                    g.events.len(),
                    g.first.format_utc(),
                    g.last.format_utc(),
                    visible(&r.credit()),
                )?;
            }
        }
    }
    Ok(())
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
