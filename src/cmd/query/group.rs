//! Counting matching events per value of a field (`--group-by`).

use crate::cmd::args::GroupBy;
use crate::model::columns::Col;
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

/// What `value` gives for the event a store would make of `r`, read off the record itself
/// (`Col::of_record`): a folded grouping needs no store (`tally`).
pub(crate) fn record_value(by: GroupBy, r: &Record) -> Option<Cow<'_, str>> {
    let col = match by {
        GroupBy::Principal => {
            let id = r.identity.as_ref();
            return Some(Cow::Owned(principal::resolve(id, r.source.as_deref()).key));
        }
        GroupBy::Session => {
            let arn = Col::Arn.of_record(r);
            return arn
                .filter(|&arn| crate::filter::session_of(arn).is_some())
                .map(Cow::Borrowed);
        }
        GroupBy::Role => Col::IssuerArn,
        GroupBy::UserAgent => Col::UserAgent,
        GroupBy::Type => Col::IdentityType,
        GroupBy::Arn => Col::Arn,
        GroupBy::Ip => Col::SourceIp,
        GroupBy::Key => Col::AccessKey,
        GroupBy::Event => Col::Name,
        GroupBy::Source => Col::Source,
        GroupBy::Region => Col::Region,
        GroupBy::Error => Col::ErrorCode,
        GroupBy::Account => Col::Account,
        GroupBy::Target => Col::Target,
    };
    col.of_record(r).map(Cow::Borrowed)
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
