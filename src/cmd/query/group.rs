//! Counting matching events per value of a field (`--group-by`).

use crate::cmd::args::GroupBy;
use crate::model::event::Event;
use crate::model::intern::{Interner, Sym};
use crate::model::principal;
use crate::model::record::Record;
use crate::model::store::{EventIdx, Store};
use std::borrow::Cow;

// pub: the fuzz targets use it (fuzz/fuzz_targets/query_output.rs).
pub struct Group {
    /// `None`: events without the field.
    pub sym: Option<Sym>,
    pub count: usize,
}

fn value(by: GroupBy, store: &Store, e: &Event) -> Option<Sym> {
    match by {
        GroupBy::Session => e
            .identity
            .arn
            .filter(|&arn| crate::filter::session_of(store.interner.resolve(arn)).is_some()),
        GroupBy::Role => e.identity.issuer_arn,
        GroupBy::UserAgent => e.user_agent,
        GroupBy::Type => e.identity.kind,
        GroupBy::Principal => Some(e.principal),
        GroupBy::Arn => e.identity.arn,
        GroupBy::Ip => e.source_ip,
        GroupBy::Key => e.identity.access_key_id,
        GroupBy::Event => e.name,
        GroupBy::Source => e.source,
        GroupBy::Region => e.region,
        GroupBy::Error => e.error_code,
        GroupBy::Account => e.account,
        GroupBy::Target => e.target,
    }
}

/// What `value` gives for the event a store would make of `r`, read off the record itself:
/// a folded grouping of every event needs no store (`tally`). A store keeps no empty text
/// (`Interner::intern_opt`), but a principal always has one.
pub(crate) fn record_value(by: GroupBy, r: &Record) -> Option<Cow<'_, str>> {
    let id = r.identity.as_ref();
    let text = match by {
        GroupBy::Session => id
            .and_then(|id| id.arn.as_deref())
            .filter(|&arn| crate::filter::session_of(arn).is_some()),
        GroupBy::Role => id.and_then(|id| id.issuer_arn.as_deref()),
        GroupBy::UserAgent => r.user_agent.as_deref(),
        GroupBy::Type => id.and_then(|id| id.kind.as_deref()),
        GroupBy::Principal => {
            return Some(Cow::Owned(principal::resolve(id, r.source.as_deref()).key));
        }
        GroupBy::Arn => id.and_then(|id| id.arn.as_deref()),
        GroupBy::Ip => r.source_ip.as_deref(),
        GroupBy::Key => id.and_then(|id| id.access_key_id.as_deref()),
        GroupBy::Event => r.name.as_deref(),
        GroupBy::Source => r.source.as_deref(),
        GroupBy::Region => r.region.as_deref(),
        GroupBy::Error => r.error_code.as_deref(),
        GroupBy::Account => r.account.as_deref(),
        GroupBy::Target => r.target.as_deref(),
    };
    text.filter(|t| !t.is_empty()).map(Cow::Borrowed)
}

/// Most frequent first; ties by value so output is stable.
// pub: the fuzz targets use it (fuzz/fuzz_targets/query_output.rs).
pub fn count(store: &Store, rows: &[EventIdx], by: GroupBy) -> Vec<Group> {
    let mut counter = vec![0usize; store.interner.len()];
    let mut missing = 0;
    for &i in rows {
        match value(by, store, store.event(i)) {
            Some(sym) => counter[Interner::index_of(sym)] += 1,
            None => missing += 1,
        }
    }
    let mut groups: Vec<Group> = store
        .interner
        .iter()
        .filter(|&(sym, _)| counter[Interner::index_of(sym)] > 0)
        .map(|(sym, _)| Group {
            sym: Some(sym),
            count: counter[Interner::index_of(sym)],
        })
        .collect();
    if missing > 0 {
        groups.push(Group {
            sym: None,
            count: missing,
        });
    }
    sort(store, &mut groups);
    groups
}

/// Most frequent first; ties by value so output is stable.
pub(crate) fn sort(store: &Store, groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| store.text(a.sym).cmp(store.text(b.sym)))
    });
}
