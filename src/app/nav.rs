//! Pivots and the walk they make. A pivot replaces the view with every event sharing one value
//! of the selected event (its access key, source IP, principal…); the view it left goes on a
//! stack, so back and forward return to each view with the cursor on the same event, at the
//! same place on screen. The breadcrumbs are the stack, read left to right.

use crate::filter::facet::quote;
use crate::filter::preset::Preset;
use crate::filter::session_of;
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
}

impl Pivot {
    pub const ALL: [Pivot; 10] = [
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
        };
        Some(format!("{field}:={}", quote(value)))
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
}

impl View {
    /// How the breadcrumbs name it.
    pub fn label(&self) -> String {
        let mut label = match self.filter.trim() {
            "" => "all".to_string(),
            f => f.to_string(),
        };
        for p in &self.presets {
            label.push_str(&format!(" +{}", p.name()));
        }
        label
    }
}

#[derive(Clone, Debug, Default)]
pub struct Nav {
    pub back: Vec<View>,
    pub forward: Vec<View>,
}

impl Nav {
    /// Leaving `current` for a new view: it can be come back to; the forward path is gone.
    pub fn push(&mut self, current: View) {
        self.back.push(current);
        self.forward.clear();
    }

    /// The view to return to, with `current` kept for forward.
    pub fn go_back(&mut self, current: View) -> Option<View> {
        let to = self.back.pop()?;
        self.forward.push(current);
        Some(to)
    }

    pub fn go_forward(&mut self, current: View) -> Option<View> {
        let to = self.forward.pop()?;
        self.back.push(current);
        Some(to)
    }

    /// `all › key:=AKIA… › ip:=203.0.113.7`, ending with the current view.
    pub fn breadcrumbs(&self, current: &View) -> String {
        self.back
            .iter()
            .chain(std::iter::once(current))
            .map(View::label)
            .collect::<Vec<_>>()
            .join(" › ")
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
        }
    }

    #[test]
    fn back_and_forward_walk_the_stack() {
        let mut nav = Nav::default();
        nav.push(view("", 1));
        nav.push(view("key:=AKIA1", 2));
        let here = view("ip:=203.0.113.7", 3);
        assert_eq!(nav.breadcrumbs(&here), "all › key:=AKIA1 › ip:=203.0.113.7");
        let back = nav.go_back(here.clone()).expect("a view to go back to");
        assert_eq!(back, view("key:=AKIA1", 2));
        assert_eq!(nav.breadcrumbs(&back), "all › key:=AKIA1");
        let fwd = nav.go_forward(back.clone()).expect("forward again");
        assert_eq!(fwd, here);
        // A new pivot from the middle drops the forward path.
        nav.go_back(fwd);
        nav.push(back);
        assert!(nav.forward.is_empty());
    }
}
