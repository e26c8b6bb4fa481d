//! The lineage around one credential as an indented tree: the chain of credentials that led
//! to it (parents only, not their other children: a CI role may mint thousands of sessions),
//! then everything it minted, recursively. The same lines feed the app's overlay and
//! `trailscope query --lineage --output tree`.

use super::cred::{creds_of_principal, events_of};
use super::{Cred, Lineage, Matched, Mint};
use crate::model::sanitize::visible;
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use std::collections::HashSet;

/// Beyond this many lines the tree is cut (and says so).
pub const MAX_LINES: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeLine {
    pub depth: usize,
    pub cred: Cred,
    /// How it was minted: the event name and time.
    pub via: Option<(String, EventTime)>,
    /// Who it acts as.
    pub who: String,
    /// The account it acts in (its events' `userIdentity.accountId`): a hop into another
    /// account shows on its own line.
    pub account: Option<String>,
    /// Events done with it in the store, and the first one's time.
    pub events: usize,
    pub first: Option<EventTime>,
    /// The credential the tree was asked for.
    pub focus: bool,
    /// What is drawn before it: `│  ├─ ` (`draw_guides`, once the tree is whole).
    pub guide: String,
    /// What is drawn before its wrapped continuation rows: the guides that pass it, so the
    /// rest of its text lines up under it.
    pub continued: String,
}

impl TreeLine {
    /// `└─ AssumeRole 2026-11-19 02:21:40 → ASIAX…  deploy-sync  12 events from 02:24:12`,
    /// escaped for a terminal.
    pub fn text(&self) -> String {
        self.render(EventTime::format_utc)
    }

    /// The same with times to the minute and without the year (`11-19 02:21`): for the app's
    /// overlay, where width is short.
    pub fn compact(&self) -> String {
        format!("{}{}", self.guide, self.compact_text())
    }

    /// The text after the guide, escaped: what wraps in a narrow overlay.
    pub fn compact_text(&self) -> String {
        self.body(|t| {
            let full = t.format_utc();
            full.get(5..16).unwrap_or(&full).to_string()
        })
    }

    fn render(&self, time: impl Fn(EventTime) -> String) -> String {
        format!("{}{}", self.guide, self.body(time))
    }

    fn body(&self, time: impl Fn(EventTime) -> String) -> String {
        let via = match &self.via {
            Some((name, t)) => format!("{name} {} → ", time(*t)),
            None => String::new(),
        };
        let first = match self.first {
            Some(t) => format!(", first {}", time(t)),
            None => String::new(),
        };
        let focus = if self.focus { "  ◀" } else { "" };
        let account = match &self.account {
            Some(a) => format!("  acct {a}"),
            None => String::new(),
        };
        let events = match self.events {
            1 => "1 event".to_string(),
            n => format!("{n} events"),
        };
        let line = format!(
            "{via}{}  {}{account}  {events}{first}{focus}",
            self.cred.label(),
            self.who,
        );
        visible(&line).into_owned()
    }
}

/// The tree around `focus`, its guides drawn.
pub fn tree(lineage: &Lineage, store: &Store, focus: &Cred) -> Vec<TreeLine> {
    let mut lines = grow(lineage, store, focus);
    draw_guides(&mut lines);
    lines
}

/// `├─` before a line with a later sibling, `└─` before the last; `│` down every level whose
/// node has a sibling still to come, so each branch reads back to its parent.
fn draw_guides(lines: &mut [TreeLine]) {
    // Whether the line at `i` has a sibling further down (before its parent's subtree ends).
    let has_next_sibling = |lines: &[TreeLine], i: usize| {
        let depth = lines[i].depth;
        lines[i + 1..]
            .iter()
            .take_while(|l| l.depth >= depth)
            .any(|l| l.depth == depth)
    };
    let mut open: Vec<bool> = Vec::new(); // per depth: a sibling still to come
    for i in 0..lines.len() {
        let depth = lines[i].depth;
        let more = has_next_sibling(lines, i);
        let has_children = lines.get(i + 1).is_some_and(|l| l.depth > depth);
        open.truncate(depth);
        open.resize(depth, false);
        let bars = |levels: &[bool]| -> String {
            levels
                .iter()
                .map(|&o| if o { "│  " } else { "   " })
                .collect()
        };
        let (guide, through) = match depth {
            0 => (String::new(), String::new()),
            _ => (
                format!("{}{}", bars(&open[1..]), if more { "├─ " } else { "└─ " }),
                format!("{}{}", bars(&open[1..]), if more { "│  " } else { "   " }),
            ),
        };
        lines[i].guide = guide;
        lines[i].continued = format!("{through}{}", if has_children { "│  " } else { "   " });
        open.push(more);
    }
}

fn grow(lineage: &Lineage, store: &Store, focus: &Cred) -> Vec<TreeLine> {
    // Up: the chain of parents (the first minting of each), guarding against loops.
    let mut chain = vec![(focus.clone(), None)];
    let mut seen: HashSet<Cred> = HashSet::from([focus.clone()]);
    while let Some((Cred::Key(k), _)) = chain.last() {
        let Some(m) = lineage.parents(k).next() else {
            break;
        };
        let via = Some((via_name(store, m), m.time));
        if let Some(last) = chain.last_mut() {
            last.1 = via;
        }
        if !seen.insert(m.parent.clone()) {
            break;
        }
        chain.push((m.parent.clone(), None));
    }
    chain.reverse();
    let mut lines: Vec<TreeLine> = chain
        .iter()
        .enumerate()
        .map(|(depth, (cred, via))| line(store, lineage, cred, via.clone(), depth, cred == focus))
        .collect();
    // Down: everything the focus minted, depth first, oldest first.
    let base = lines.len().saturating_sub(1);
    let mut todo: Vec<(Cred, usize)> = vec![(focus.clone(), base)];
    while let Some((cred, depth)) = todo.pop() {
        // A principal's children are the keys and portal sessions it used (no minting event
        // on record) and what it minted without either.
        let mut kids: Vec<(Cred, Option<(String, EventTime)>)> = match &cred {
            Cred::Principal(p) => creds_of_principal(store, p)
                .into_iter()
                .map(|c| (c, None))
                .collect(),
            Cred::Key(_) | Cred::Portal(_) => Vec::new(),
        };
        kids.extend(lineage.children(&cred).map(|m| {
            (
                Cred::Key(m.child.clone()),
                Some((via_name(store, m), m.time)),
            )
        }));
        let mut placed = Vec::new();
        for (child, via) in kids {
            if !seen.insert(child.clone()) {
                continue;
            }
            if lines.len() >= MAX_LINES {
                return lines;
            }
            // Each after its parent's subtree so far, so siblings stay oldest first.
            let at = insert_point(&lines, &cred, depth);
            lines.insert(at, line(store, lineage, &child, via, depth + 1, false));
            placed.push(child);
        }
        // The oldest child's subtree is expanded first (the stack pops it first), so a cut
        // at MAX_LINES keeps the earliest part of the walk.
        todo.extend(placed.into_iter().rev().map(|c| (c, depth + 1)));
    }
    lines
}

/// The minting event's name, marked when the edge was matched rather than read.
fn via_name(store: &Store, m: &Mint) -> String {
    let name = store.text(store.event(m.event).name);
    match m.matched {
        Some(Matched::RoleAndAccount) => format!("{name} (matched by role and account)"),
        Some(Matched::Time) => format!("{name} (matched by time)"),
        None => name.to_string(),
    }
}

/// After the parent's line and its descendants already placed.
fn insert_point(lines: &[TreeLine], parent: &Cred, depth: usize) -> usize {
    let Some(p) = lines
        .iter()
        .position(|l| &l.cred == parent && l.depth == depth)
    else {
        return lines.len();
    };
    let mut at = p + 1;
    while at < lines.len() && lines[at].depth > depth {
        at += 1;
    }
    at
}

fn line(
    store: &Store,
    lineage: &Lineage,
    cred: &Cred,
    via: Option<(String, EventTime)>,
    depth: usize,
    focus: bool,
) -> TreeLine {
    let events = events_of(store, cred);
    let who = match cred {
        Cred::Key(k) => events
            .first()
            .map(|&i| principal_name(store, i))
            .or_else(|| lineage.parents(k).find_map(|m| m.child_principal.clone()))
            .unwrap_or_default(),
        Cred::Portal(_) | Cred::Principal(_) => events
            .first()
            .map(|&i| principal_name(store, i))
            .unwrap_or_default(),
    };
    let first = events
        .iter()
        .map(|&i| store.event(i).time)
        .filter(|t| t.is_known())
        .min();
    let account = events.iter().find_map(|&i| {
        let e = store.event(i);
        Some(store.text(e.identity.account_id.or(e.account)))
            .filter(|a| !a.is_empty())
            .map(|a| visible(a).into_owned())
    });
    TreeLine {
        depth,
        cred: cred.clone(),
        via,
        who,
        account,
        events: events.len(),
        first,
        focus,
        guide: String::new(),
        continued: String::new(),
    }
}

fn principal_name(store: &Store, idx: EventIdx) -> String {
    store
        .text(Some(store.principal_name(store.event(idx))))
        .to_string()
}
