//! `Expr` + the store → a `Matcher` that tests one event cheaply. Every field condition is
//! decided once per distinct interned value (a `SymSet`); per event it is a bit test.

use super::ast::Expr;
use super::field::{Field, MatchKind};
use super::glob::{glob_match, has_wildcard};
use super::needle::Needle;
use super::symset::SymSet;
use super::time_value::parse_time;
use crate::lineage::{Cred, Lineage};
use crate::model::columns::{Col, ValueSet};
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use std::net::IpAddr;

/// Which interned fields of an event a condition looks at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sel {
    Name,
    Source,
    Region,
    Account,
    SourceIp,
    UserAgent,
    ErrorCode,
    Category,
    Vpce,
    IdentityType,
    Arn,
    Principal,
    Key,
    Resource,
    Session,
    Role,
    Portal,
    SignIn,
    Target,
}

pub(crate) enum Matcher {
    Const(bool),
    And(Vec<Matcher>),
    Or(Vec<Matcher>),
    Not(Box<Matcher>),
    In(Sel, Values),
    Text(Needle),
    After(EventTime),
    Before(EventTime),
    ReadOnly(bool),
    AnyError(bool),
    AnyVpce(bool),
    Id(String),
    /// Events picked by the store as a whole rather than by a field (a credential's lineage),
    /// sorted by index.
    Rows(Vec<EventIdx>),
}

/// A field condition's values: as symbols, and as a bit per code of each column the selector
/// reads (`Columns::value_set`), which is what a scan tests.
#[derive(Debug)]
pub(crate) struct Values {
    set: SymSet,
    /// Beside `cols(sel)`, one per column.
    by_col: Vec<ValueSet>,
}

impl Matcher {
    fn is_in(store: &Store, sel: Sel, set: SymSet) -> Matcher {
        let by_col = cols(sel)
            .iter()
            .map(|&c| store.columns.value_set(c, |s| set.contains(Some(s))))
            .collect();
        Matcher::In(sel, Values { set, by_col })
    }
}

/// Validates a value at parse time, so errors point into the filter bar while typing.
pub fn check_value(field: Field, value: &str) -> Result<(), String> {
    match field.spec().kind {
        MatchKind::Time => parse_time(value, EventTime::from_millis(0)).map(|_| ()),
        MatchKind::Bool => parse_bool(value)
            .map(|_| ())
            .ok_or_else(|| format!("`{value}`: use true or false")),
        MatchKind::Address if value.contains('/') => parse_cidr(value).map(|_| ()),
        _ => Ok(()),
    }
}

pub(crate) fn compile(expr: &Expr, store: &Store, now: EventTime) -> Matcher {
    match expr {
        Expr::And(parts) if parts.is_empty() => Matcher::Const(true),
        Expr::And(parts) => Matcher::And(parts.iter().map(|p| compile(p, store, now)).collect()),
        Expr::Or(parts) => Matcher::Or(parts.iter().map(|p| compile(p, store, now)).collect()),
        Expr::Not(inner) => Matcher::Not(Box::new(compile(inner, store, now))),
        Expr::Text(t) => Matcher::Text(Needle::new(t)),
        Expr::Field {
            field,
            value,
            exact,
        } => field_matcher(condition(*field, value, *exact, now), store),
    }
}

/// What a `field:value` term tests, said once for both of its readers: `compile` decides it
/// once per distinct value of the store's columns, `on_record` on one record's own fields.
pub(super) enum Cond<'v> {
    Const(bool),
    After(EventTime),
    Before(EventTime),
    ReadOnly(bool),
    AnyError(bool),
    AnyVpce(bool),
    /// An event or request ID.
    Id(&'v str),
    /// The events of a credential's chain: needs every event.
    Lineage(&'v str),
    /// The findings of the cross-event rules: needs every event.
    Finding(&'v str),
    /// The selector's fields hold this value exactly (looked up, not scanned).
    Is(Sel, &'v str),
    /// The selector's fields hold a value that passes the test.
    Where(Sel, Box<dyn Fn(&str) -> bool + 'v>),
}

pub(super) fn condition(field: Field, value: &str, exact: bool, now: EventTime) -> Cond<'_> {
    if exact {
        if field == Field::Session {
            return Cond::Where(
                Sel::Session,
                Box::new(move |s| session_of(s) == Some(value)),
            );
        }
        if let Some(sel) = field_sel(field) {
            return Cond::Is(sel, value);
        }
    }
    match field {
        Field::After => parse_time(value, now).map_or(Cond::Const(false), Cond::After),
        Field::Before => parse_time(value, now).map_or(Cond::Const(false), Cond::Before),
        Field::ReadOnly => parse_bool(value).map_or(Cond::Const(false), Cond::ReadOnly),
        Field::Id => Cond::Id(value),
        Field::Lineage => Cond::Lineage(value),
        Field::Finding => Cond::Finding(value),
        Field::Error => match value.to_ascii_lowercase().as_str() {
            "any" | "yes" | "true" => Cond::AnyError(true),
            "none" | "no" | "false" => Cond::AnyError(false),
            _ => Cond::Where(Sel::ErrorCode, Box::new(text_pred(MatchKind::Whole, value))),
        },
        Field::Vpce if value.eq_ignore_ascii_case("any") => Cond::AnyVpce(true),
        Field::Vpce if value.eq_ignore_ascii_case("none") => Cond::AnyVpce(false),
        // Identifiers without a glob: the one interned value, no scan of the distinct ones.
        Field::Key | Field::Account | Field::Portal | Field::SignIn if !has_wildcard(value) => {
            Cond::Is(field_sel(field).unwrap_or(Sel::Key), value)
        }
        Field::Ip => ip_condition(value),
        Field::Session => {
            let pred = text_pred(MatchKind::Contains, value);
            Cond::Where(
                Sel::Session,
                Box::new(move |s| session_of(s).is_some_and(&pred)),
            )
        }
        other => match field_sel(other) {
            Some(sel) => Cond::Where(sel, Box::new(text_pred(other.spec().kind, value))),
            None => Cond::Const(false),
        },
    }
}

fn field_matcher(cond: Cond<'_>, store: &Store) -> Matcher {
    match cond {
        Cond::Const(b) => Matcher::Const(b),
        Cond::After(t) => Matcher::After(t),
        Cond::Before(t) => Matcher::Before(t),
        Cond::ReadOnly(b) => Matcher::ReadOnly(b),
        Cond::AnyError(b) => Matcher::AnyError(b),
        Cond::AnyVpce(b) => Matcher::AnyVpce(b),
        Cond::Id(value) => Matcher::Id(value.to_string()),
        Cond::Lineage(value) => {
            let mut rows = lineage_rows(store, value);
            rows.sort_unstable();
            Matcher::Rows(rows)
        }
        // The findings as they stand when compiled: the view refilters when they change.
        Cond::Finding(value) if value.eq_ignore_ascii_case("any") => {
            Matcher::Rows(store.hits.events_where(|_| true))
        }
        Cond::Finding(value) => {
            Matcher::Rows(store.hits.events_where(|id| glob_match(value, id, true)))
        }
        Cond::Is(sel, value) => {
            let sym = store.interner.get(value);
            Matcher::is_in(store, sel, SymSet::single(&store.interner, sym))
        }
        Cond::Where(sel, pred) => Matcher::is_in(store, sel, values_where(store, sel, pred)),
    }
}

/// The columns a selector reads; empty for `Resource`, which is a list inside the event.
pub(super) fn cols(sel: Sel) -> &'static [Col] {
    match sel {
        Sel::Name => &[Col::Name],
        Sel::Source => &[Col::Source],
        Sel::Region => &[Col::Region],
        Sel::Account => &[Col::Account, Col::CallerAccount],
        Sel::SourceIp => &[Col::SourceIp],
        Sel::UserAgent => &[Col::UserAgent],
        Sel::ErrorCode => &[Col::ErrorCode],
        Sel::Category => &[Col::Category],
        Sel::Vpce => &[Col::Vpce],
        Sel::IdentityType => &[Col::IdentityType],
        Sel::Arn => &[Col::Arn, Col::Principal],
        Sel::Principal => &[
            Col::PrincipalName,
            Col::Principal,
            Col::UserName,
            Col::SignInName,
        ],
        Sel::Key => &[Col::AccessKey],
        Sel::Resource => &[],
        Sel::Session => &[Col::Arn, Col::PrincipalId],
        Sel::Role => &[Col::IssuerName, Col::IssuerArn],
        Sel::Portal => &[Col::CredentialId],
        Sel::SignIn => &[Col::AuthWorkflow],
        Sel::Target => &[Col::Target],
    }
}

/// The values of the selector's fields that satisfy `pred`: only values that occur there are
/// tested, not every string the store has interned.
fn values_where(store: &Store, sel: Sel, pred: impl Fn(&str) -> bool) -> SymSet {
    if sel == Sel::Resource {
        return SymSet::from_pred(&store.interner, pred);
    }
    let candidates = cols(sel).iter().flat_map(|&c| store.columns.distinct(c));
    let mut set = SymSet::from_candidates(&store.interner, candidates, &pred);
    // A user is found by the name shown for them, learned from another of their events.
    if sel == Sel::Principal {
        for (key, name) in store.learned_names() {
            if pred(store.interner.resolve(name)) {
                set.insert(key);
            }
        }
    }
    set
}

/// The interned fields a field name looks at; `None` for fields that are not strings.
fn field_sel(field: Field) -> Option<Sel> {
    Some(match field {
        Field::Principal => Sel::Principal,
        Field::Arn => Sel::Arn,
        Field::Key => Sel::Key,
        Field::Ip => Sel::SourceIp,
        Field::Event => Sel::Name,
        Field::Source => Sel::Source,
        Field::Region => Sel::Region,
        Field::Account => Sel::Account,
        Field::Error => Sel::ErrorCode,
        Field::UserAgent => Sel::UserAgent,
        Field::Resource => Sel::Resource,
        Field::Target => Sel::Target,
        Field::Type => Sel::IdentityType,
        Field::Category => Sel::Category,
        Field::Vpce => Sel::Vpce,
        Field::Session => Sel::Session,
        Field::Role => Sel::Role,
        Field::Portal => Sel::Portal,
        Field::SignIn => Sel::SignIn,
        Field::ReadOnly
        | Field::Id
        | Field::Lineage
        | Field::Finding
        | Field::After
        | Field::Before => return None,
    })
}

/// The string test for a value under a match kind.
fn text_pred(kind: MatchKind, value: &str) -> impl Fn(&str) -> bool {
    let lower = value.to_lowercase();
    let pattern = value.to_string();
    let glob = has_wildcard(value);
    move |s: &str| match (kind, glob) {
        (MatchKind::Exact | MatchKind::Address, true) => glob_match(&pattern, s, false),
        (MatchKind::Exact | MatchKind::Address, false) => s == pattern,
        (_, true) => glob_match(&pattern, s, true),
        (MatchKind::Contains, false) => contains_ci(s, &lower),
        (_, false) => s.eq_ignore_ascii_case(&pattern) || s.to_lowercase() == lower,
    }
}

fn contains_ci(s: &str, lower_needle: &str) -> bool {
    if s.is_ascii() && lower_needle.is_ascii() {
        let (h, n) = (s.as_bytes(), lower_needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        s.to_lowercase().contains(lower_needle)
    }
}

fn ip_condition(value: &str) -> Cond<'_> {
    if value.contains('/') {
        return match parse_cidr(value) {
            Ok((net, bits)) => Cond::Where(
                Sel::SourceIp,
                Box::new(move |s| s.parse::<IpAddr>().is_ok_and(|ip| in_cidr(ip, net, bits))),
            ),
            // Never met: no value passes.
            Err(_) => Cond::Where(Sel::SourceIp, Box::new(|_| false)),
        };
    }
    if has_wildcard(value) {
        return Cond::Where(Sel::SourceIp, Box::new(move |s| glob_match(value, s, true)));
    }
    Cond::Is(Sel::SourceIp, value)
}

fn parse_cidr(value: &str) -> Result<(IpAddr, u8), String> {
    let bad = || format!("`{value}` is not a CIDR block like 10.0.0.0/8 or 2001:db8::/32");
    let (addr, bits) = value.split_once('/').ok_or_else(bad)?;
    let net: IpAddr = addr.parse().map_err(|_| bad())?;
    let bits: u8 = bits.parse().map_err(|_| bad())?;
    let max = if net.is_ipv4() { 32 } else { 128 };
    if bits > max {
        return Err(format!("`/{bits}` is longer than an address ({max} bits)"));
    }
    Ok((net, bits))
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let prefix = |a: u128, width: u32| {
        if bits == 0 {
            0
        } else {
            a >> (width - u32::from(bits))
        }
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            prefix(u32::from(a).into(), 32) == prefix(u32::from(b).into(), 32)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => prefix(u128::from(a), 128) == prefix(u128::from(b), 128),
        _ => false,
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// The events of `value`'s chain (a key or principal), in time order: everything done with it
/// and with the credentials it minted, and the minting events (`lineage::Lineage::events`).
pub(crate) fn lineage_rows(store: &Store, value: &str) -> Vec<EventIdx> {
    let lineage = Lineage::build(store);
    let reach = lineage.reachable(store, &Cred::parse(value));
    lineage.events(store, &reach)
}

/// The role session name inside an assumed-role ARN or an `AROA…:session` principal ID.
pub fn session_of(s: &str) -> Option<&str> {
    if let Some(rest) = s.split_once(":assumed-role/").map(|(_, r)| r) {
        return rest.split_once('/').map(|(_, session)| session);
    }
    let (id, session) = s.split_once(':')?;
    (id.starts_with("AROA") && !session.is_empty()).then_some(session)
}

impl Matcher {
    #[inline]
    pub(crate) fn matches(&self, store: &Store, idx: EventIdx) -> bool {
        let columns = &store.columns;
        match self {
            Matcher::Const(b) => *b,
            Matcher::And(ms) => ms.iter().all(|m| m.matches(store, idx)),
            Matcher::Or(ms) => ms.iter().any(|m| m.matches(store, idx)),
            Matcher::Not(m) => !m.matches(store, idx),
            Matcher::In(Sel::Resource, v) => store
                .event(idx)
                .resources
                .iter()
                .any(|r| v.set.contains(r.arn)),
            Matcher::In(sel, v) => cols(*sel)
                .iter()
                .zip(&v.by_col)
                .any(|(&c, codes)| columns.holds(c, idx, codes, |s| v.set.contains(Some(s)))),
            Matcher::Text(needle) => needle.matches_raw(&store.event(idx).raw),
            Matcher::After(t) => {
                let time = store.time_of(idx);
                time.is_known() && time >= *t
            }
            Matcher::Before(t) => {
                let time = store.time_of(idx);
                time.is_known() && time < *t
            }
            Matcher::ReadOnly(b) => columns.read_only[idx as usize] == Some(*b),
            Matcher::AnyError(b) => columns.get(Col::ErrorCode, idx).is_some() == *b,
            Matcher::AnyVpce(b) => columns.get(Col::Vpce, idx).is_some() == *b,
            Matcher::Rows(rows) => rows.binary_search(&idx).is_ok(),
            Matcher::Id(id) => {
                let e = store.event(idx);
                e.event_id.as_ref().is_some_and(|e| e.is(id))
                    || e.request_id.as_ref().is_some_and(|r| r.is(id))
            }
        }
    }

    /// Whether testing an event reads its raw record (free text): microseconds per event, and
    /// an inflated block per scattered candidate, against nanoseconds for the rest.
    pub(crate) fn reads_raw(&self) -> bool {
        match self {
            Matcher::Text(_) => true,
            Matcher::And(ms) | Matcher::Or(ms) => ms.iter().any(Matcher::reads_raw),
            Matcher::Not(m) => m.reads_raw(),
            _ => false,
        }
    }

    /// Conditions that can never match (a key or IP never seen): the engine skips the scan.
    pub(crate) fn is_never(&self) -> bool {
        match self {
            Matcher::Const(b) => !b,
            Matcher::In(_, v) => v.set.is_empty(),
            Matcher::Rows(rows) => rows.is_empty(),
            Matcher::And(ms) => ms.iter().any(Matcher::is_never),
            Matcher::Or(ms) => !ms.is_empty() && ms.iter().all(Matcher::is_never),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_and_sessions() {
        let (net, bits) = parse_cidr("10.1.0.0/16").unwrap_or((IpAddr::from([0, 0, 0, 0]), 0));
        assert!(in_cidr("10.1.200.3".parse().unwrap_or(net), net, bits));
        assert!(!in_cidr("10.2.0.1".parse().unwrap_or(net), net, bits));
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("nope/8").is_err());
        let (v6, b6) = parse_cidr("2001:db8::/32").unwrap_or((net, 0));
        assert!(in_cidr("2001:db8:1::5".parse().unwrap_or(v6), v6, b6));
        assert_eq!(
            session_of("arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com"),
            Some("alice@example.com")
        );
        assert_eq!(session_of("AROAEXAMPLE:deploy-sync"), Some("deploy-sync"));
        assert_eq!(session_of("arn:aws:iam::111122223333:user/bob"), None);
    }
}
