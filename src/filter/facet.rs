//! Facets: the distinct values of a field over the current view, with counts, so a responder
//! picks an exact value instead of guessing one.

use super::field::Field;
use crate::model::event::Event;
use crate::model::intern::{Interner, Sym};
use crate::model::store::{EventIdx, Store};

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Facet {
    Principal,
    Ip,
    Key,
    Event,
    Error,
    Region,
    Target,
    Account,
    UserAgent,
}

impl Facet {
    pub const ALL: [Facet; 9] = [
        Facet::Principal,
        Facet::Ip,
        Facet::Key,
        Facet::Event,
        Facet::Target,
        Facet::Error,
        Facet::Region,
        Facet::Account,
        Facet::UserAgent,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Facet::Principal => "principals",
            Facet::Ip => "source IPs",
            Facet::Key => "access keys",
            Facet::Event => "event names",
            Facet::Error => "error codes",
            Facet::Region => "regions",
            Facet::Target => "targets",
            Facet::Account => "accounts",
            Facet::UserAgent => "user agents",
        }
    }

    /// The filter field a picked value is added as (`field:=value`).
    pub fn field(self) -> Field {
        match self {
            Facet::Principal => Field::Principal,
            Facet::Ip => Field::Ip,
            Facet::Key => Field::Key,
            Facet::Event => Field::Event,
            Facet::Error => Field::Error,
            Facet::Region => Field::Region,
            Facet::Target => Field::Target,
            Facet::Account => Field::Account,
            Facet::UserAgent => Field::UserAgent,
        }
    }

    fn value(self, e: &Event) -> Option<Sym> {
        match self {
            Facet::Principal => Some(e.principal),
            Facet::Ip => e.source_ip,
            Facet::Key => e.identity.access_key_id,
            Facet::Event => e.name,
            Facet::Error => e.error_code,
            Facet::Region => e.region,
            Facet::Target => e.target,
            // The account the event was recorded in (`account:` also matches the caller's).
            Facet::Account => e.account,
            Facet::UserAgent => e.user_agent,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetValue {
    pub sym: Sym,
    pub count: usize,
}

/// Distinct values among `rows`, most frequent first (ties by value, for a stable screen).
pub fn counts(store: &Store, rows: &[EventIdx], facet: Facet) -> Vec<FacetValue> {
    // A dense counter per interned string: one increment per event, no hashing.
    let mut counter = vec![0u32; store.interner.len()];
    for &i in rows {
        if let Some(sym) = facet.value(store.event(i)) {
            if let Some(c) = counter.get_mut(Interner::index_of(sym)) {
                *c += 1;
            }
        }
    }
    let mut out: Vec<FacetValue> = store
        .interner
        .iter()
        .filter_map(|(sym, _)| {
            let count = counter[Interner::index_of(sym)] as usize;
            (count > 0).then_some(FacetValue { sym, count })
        })
        .collect();
    out.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            store
                .interner
                .resolve(a.sym)
                .cmp(store.interner.resolve(b.sym))
        })
    });
    out
}

/// The filter term that selects exactly this value, quoted when it needs to be.
pub fn term(facet: Facet, value: &str) -> String {
    format!("{}:={}", facet.field().name(), quote(value))
}

/// A value as the filter language reads it back: bare when safe, else in double quotes.
pub fn quote(value: &str) -> String {
    let bare = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '|' | '\\'));
    if bare {
        return value.to_string();
    }
    let mut s = String::from("\"");
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}
