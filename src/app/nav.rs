//! Pivots and the walk they make. A pivot replaces the view with every event sharing one value
//! of the selected event (its access key, source IP, principal…); the view it left goes on a
//! stack, so back and forward return to each view with the cursor on the same event, at the
//! same place on screen. The breadcrumbs are the stack, read left to right.

use crate::filter::facet::quote;
use crate::filter::preset::Preset;
use crate::filter::session_of;
use crate::lineage::{cred_of, Cred};
use crate::model::portal;
use crate::model::store::{EventIdx, Store};
use std::collections::BTreeSet;

/// What a pivot follows; the pivot menu's keys pick one (`pivot key` in the keymap).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Pivot {
    Key,
    Ip,
    Principal,
    Session,
    Role,
    Event,
    Resource,
    UserAgent,
    Error,
    Account,
    /// The credential's whole chain: what it did, what it minted and what that did.
    Lineage,
    /// An Identity Center access-portal session: sign-in, ListAccounts, GetRoleCredentials…
    Portal,
}

impl Pivot {
    pub const ALL: [Pivot; 12] = [
        Pivot::Key,
        Pivot::Ip,
        Pivot::Principal,
        Pivot::Session,
        Pivot::Role,
        Pivot::Event,
        Pivot::Resource,
        Pivot::UserAgent,
        Pivot::Error,
        Pivot::Account,
        Pivot::Lineage,
        Pivot::Portal,
    ];

    /// Its word after `pivot` in commands (`pivot key`, `:pivot ip`).
    pub fn word(self) -> &'static str {
        match self {
            Pivot::Key => "key",
            Pivot::Ip => "ip",
            Pivot::Principal => "principal",
            Pivot::Session => "session",
            Pivot::Role => "role",
            Pivot::Event => "event",
            Pivot::Resource => "resource",
            Pivot::UserAgent => "user-agent",
            Pivot::Error => "error",
            Pivot::Account => "account",
            Pivot::Lineage => "lineage",
            Pivot::Portal => "portal",
        }
    }

    pub fn from_word(word: &str) -> Option<Pivot> {
        Pivot::ALL.into_iter().find(|p| p.word() == word)
    }

    pub fn name(self) -> &'static str {
        match self {
            Pivot::Key => "access key",
            Pivot::Ip => "source IP",
            Pivot::Principal => "principal",
            Pivot::Session => "role session",
            Pivot::Role => "role",
            Pivot::Event => "event name",
            Pivot::Resource => "resource",
            Pivot::UserAgent => "user agent",
            Pivot::Error => "error code",
            Pivot::Account => "account",
            Pivot::Lineage => "credential chain",
            Pivot::Portal => "access-portal session",
        }
    }

    /// The filter term for this pivot from `idx`, when the event has that value.
    pub fn term(self, store: &Store, idx: EventIdx) -> Option<String> {
        let e = store.event(idx);
        let text = |sym| Some(store.text(sym)).filter(|s| !s.is_empty());
        let (field, value) = match self {
            Pivot::Key => ("key", text(e.identity.access_key_id)?),
            Pivot::Ip => ("ip", text(e.source_ip)?),
            Pivot::Principal => ("principal", text(Some(e.principal))?),
            Pivot::Session => ("session", text(e.identity.arn).and_then(session_of)?),
            Pivot::Role => ("role", text(e.identity.issuer_arn)?),
            Pivot::Event => ("event", text(e.name)?),
            Pivot::Resource => ("resource", e.resources.iter().find_map(|r| text(r.arn))?),
            Pivot::UserAgent => ("ua", text(e.user_agent)?),
            Pivot::Error => ("error", text(e.error_code)?),
            Pivot::Account => ("account", text(e.account)?),
            Pivot::Lineage => return Some(lineage_term(&cred_of(store, idx))),
            Pivot::Portal => return Some(portal_term(store, portal::session_of(store, idx)?)),
        };
        Some(format!("{field}:={}", quote(value)))
    }
}

/// The view of a credential's whole chain (`lineage:AKIA…`): the breadcrumbs name it so.
pub fn lineage_term(cred: &Cred) -> String {
    // `label`: a portal session as `portal:ID`, which `Cred::parse` reads back as one.
    format!("lineage:{}", quote(&cred.label()))
}

/// How a view was reached from the one before it, for the breadcrumbs.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Step {
    /// The first view, a typed filter, a pivot or a zoom: the view's filter says it all.
    #[default]
    Replace,
    /// A narrowing pivot: this term AND-ed with the view before.
    Narrow(String),
}

/// The view of one access-portal session: its calls (`portal:`), and the steps of the sign-in
/// that opened it (`signin:`, its AuthWorkflowID), which AWS does not give the session's
/// `credentialId`. Which sign-in that was is inferred (`model::portal`), so the term names it
/// for the reader to see rather than hiding it inside `portal:`.
pub(crate) fn portal_term(store: &Store, credential: &str) -> String {
    let session = format!("portal:={}", quote(credential));
    match portal::opening(store, credential).and_then(|o| o.workflow) {
        Some(workflow) => format!("{session} OR signin:={}", quote(workflow)),
        None => session,
    }
}

/// A view left behind: enough to come back to it exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub filter: String,
    pub presets: BTreeSet<Preset>,
    /// The selected event, and its row on screen (counted from the top of the table).
    pub anchor: Option<EventIdx>,
    pub screen_row: usize,
    pub step: Step,
}

impl View {
    /// How the breadcrumbs name it: a narrowing step by what it added (`& event:=GetObject`).
    pub fn label(&self) -> String {
        let mut label = match (&self.step, self.filter.trim()) {
            (Step::Narrow(term), _) => format!("& {term}"),
            (Step::Replace, "") => "all".to_string(),
            (Step::Replace, f) => f.to_string(),
        };
        for p in &self.presets {
            label.push_str(&format!(" +{}", p.name()));
        }
        label
    }

    /// The same view, whatever the cursor: what the history lists once.
    fn same_place(&self, other: &View) -> bool {
        self.filter.trim() == other.filter.trim() && self.presets == other.presets
    }
}

/// Views left behind are kept this long in the history overlay.
const VISITED_MAX: usize = 200;

/// The walk: back and forward like a browser's, and every view ever left, so a new branch
/// taken from the middle of the walk never loses the old one (the history overlay lists it).
#[derive(Clone, Debug, Default)]
pub struct Nav {
    pub back: Vec<View>,
    pub forward: Vec<View>,
    /// How the view on screen was reached.
    pub here: Step,
    /// Every view left, oldest first, each place once (its latest visit).
    pub visited: Vec<View>,
}

impl Nav {
    /// Leaving `current` for a new view reached by `step`: it can be come back to; the
    /// forward path gives way to the new branch, but stays in `visited`.
    pub fn push(&mut self, current: View, step: Step) {
        self.remember(&current);
        self.back.push(current);
        self.forward.clear();
        self.here = step;
    }

    /// The view to return to, with `current` kept for forward.
    pub fn go_back(&mut self, current: View) -> Option<View> {
        let to = self.back.pop()?;
        self.remember(&current);
        self.forward.push(current);
        self.here = to.step.clone();
        Some(to)
    }

    pub fn go_forward(&mut self, current: View) -> Option<View> {
        let to = self.forward.pop()?;
        self.remember(&current);
        self.back.push(current);
        self.here = to.step.clone();
        Some(to)
    }

    fn remember(&mut self, view: &View) {
        self.visited.retain(|v| !v.same_place(view));
        self.visited.push(view.clone());
        if self.visited.len() > VISITED_MAX {
            self.visited.remove(0);
        }
    }

    /// The views the history overlay lists, newest first: the one on screen, then every view
    /// left, each once.
    pub fn history(&self, current: &View) -> Vec<View> {
        std::iter::once(current.clone())
            .chain(
                self.visited
                    .iter()
                    .rev()
                    .filter(|v| !v.same_place(current))
                    .cloned(),
            )
            .collect()
    }

    /// `all › key:=AKIA… › & event:=GetObject`, ending with the current view.
    pub fn breadcrumbs(&self, current: &View) -> String {
        self.crumbs(current).join(" › ")
    }

    /// The breadcrumbs one step each, oldest first.
    pub fn crumbs(&self, current: &View) -> Vec<String> {
        self.back
            .iter()
            .chain(std::iter::once(current))
            .map(View::label)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(filter: &str, anchor: u32) -> View {
        View {
            filter: filter.to_string(),
            presets: BTreeSet::new(),
            anchor: Some(anchor),
            screen_row: 3,
            step: Step::Replace,
        }
    }

    #[test]
    fn back_and_forward_walk_the_stack() {
        let mut nav = Nav::default();
        nav.push(view("", 1), Step::Replace);
        nav.push(view("key:=AKIA1", 2), Step::Replace);
        let here = view("ip:=203.0.113.7", 3);
        assert_eq!(nav.breadcrumbs(&here), "all › key:=AKIA1 › ip:=203.0.113.7");
        let back = nav.go_back(here.clone()).expect("a view to go back to");
        assert_eq!(back, view("key:=AKIA1", 2));
        assert_eq!(nav.breadcrumbs(&back), "all › key:=AKIA1");
        let fwd = nav.go_forward(back.clone()).expect("forward again");
        assert_eq!(fwd, here);
        // A new pivot from the middle takes the forward path's place, and the history
        // still holds it.
        nav.go_back(fwd);
        nav.push(back.clone(), Step::Replace);
        assert!(nav.forward.is_empty());
        let elsewhere = view("event:=DeleteObject", 4);
        let listed: Vec<String> = nav.history(&elsewhere).iter().map(View::label).collect();
        assert_eq!(
            listed,
            [
                "event:=DeleteObject",
                "key:=AKIA1",
                "ip:=203.0.113.7",
                "all"
            ]
        );
    }

    #[test]
    fn a_narrowing_step_is_named_by_what_it_added() {
        let mut nav = Nav::default();
        nav.push(
            view("key:=AKIA1", 1),
            Step::Narrow("event:=GetObject".into()),
        );
        let here = View {
            step: nav.here.clone(),
            ..view("key:=AKIA1 event:=GetObject", 2)
        };
        assert_eq!(nav.breadcrumbs(&here), "key:=AKIA1 › & event:=GetObject");
    }
}
