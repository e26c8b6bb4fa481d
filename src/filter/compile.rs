//! `Expr` + the store → a `Matcher` that tests one event cheaply. Every field condition is
//! decided once per distinct interned value (a `SymSet`); per event it is a bit test.

use super::ast::Expr;
use super::field::{Field, MatchKind};
use super::glob::{glob_match, has_wildcard};
use super::needle::Needle;
use super::symset::SymSet;
use super::time_value::parse_time;
use crate::model::event::Event;
use crate::model::store::Store;
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
}

pub(crate) enum Matcher {
    Const(bool),
    And(Vec<Matcher>),
    Or(Vec<Matcher>),
    Not(Box<Matcher>),
    In(Sel, SymSet),
    Text(Needle),
    After(EventTime),
    Before(EventTime),
    ReadOnly(bool),
    AnyError(bool),
    AnyVpce(bool),
    Id(String),
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

/// Whether a longer value of this field can only match fewer events (substring semantics):
/// lets the filter bar refine the previous result instead of starting over.
pub fn substring_semantics(field: Field, narrower: &str, wider: &str) -> bool {
    field.spec().kind == MatchKind::Contains && !has_wildcard(narrower) && !has_wildcard(wider)
}

pub(crate) fn compile(expr: &Expr, store: &Store, now: EventTime) -> Matcher {
    match expr {
        Expr::And(parts) if parts.is_empty() => Matcher::Const(true),
        Expr::And(parts) => Matcher::And(parts.iter().map(|p| compile(p, store, now)).collect()),
        Expr::Or(parts) => Matcher::Or(parts.iter().map(|p| compile(p, store, now)).collect()),
        Expr::Not(inner) => Matcher::Not(Box::new(compile(inner, store, now))),
        Expr::Text(t) => Matcher::Text(Needle::new(t)),
        Expr::Field {
            field: Field::Session,
            value,
            exact: true,
        } => {
            let set = SymSet::from_pred(&store.interner, |s| session_of(s) == Some(value));
            Matcher::In(Sel::Session, set)
        }
        Expr::Field {
            field,
            value,
            exact: true,
        } if field_sel(*field).is_some() => {
            let sel = field_sel(*field).unwrap_or(Sel::Name);
            let sym = store.interner.get(value);
            Matcher::In(sel, SymSet::single(&store.interner, sym))
        }
        Expr::Field { field, value, .. } => field_matcher(*field, value, store, now),
    }
}

fn field_matcher(field: Field, value: &str, store: &Store, now: EventTime) -> Matcher {
    let interner = &store.interner;
    let text_set = |kind: MatchKind| SymSet::from_pred(interner, text_pred(kind, value));
    match field {
        Field::After => time_bound(value, now, Matcher::After),
        Field::Before => time_bound(value, now, Matcher::Before),
        Field::ReadOnly => parse_bool(value).map_or(Matcher::Const(false), Matcher::ReadOnly),
        Field::Id => Matcher::Id(value.to_string()),
        Field::Error => match value.to_ascii_lowercase().as_str() {
            "any" | "yes" | "true" => Matcher::AnyError(true),
            "none" | "no" | "false" => Matcher::AnyError(false),
            _ => Matcher::In(Sel::ErrorCode, text_set(MatchKind::Whole)),
        },
        Field::Vpce if value.eq_ignore_ascii_case("any") => Matcher::AnyVpce(true),
        Field::Vpce if value.eq_ignore_ascii_case("none") => Matcher::AnyVpce(false),
        Field::Key | Field::Account if !has_wildcard(value) => {
            let sel = if field == Field::Key {
                Sel::Key
            } else {
                Sel::Account
            };
            Matcher::In(sel, SymSet::single(interner, interner.get(value)))
        }
        Field::Ip => Matcher::In(Sel::SourceIp, ip_set(store, value)),
        Field::Session => {
            let pred = text_pred(MatchKind::Contains, value);
            let set = SymSet::from_pred(interner, |s| session_of(s).is_some_and(&pred));
            Matcher::In(Sel::Session, set)
        }
        other => match field_sel(other) {
            Some(sel) => Matcher::In(sel, text_set(other.spec().kind)),
            None => Matcher::Const(false),
        },
    }
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
        Field::Type => Sel::IdentityType,
        Field::Category => Sel::Category,
        Field::Vpce => Sel::Vpce,
        Field::Session => Sel::Session,
        Field::Role => Sel::Role,
        Field::ReadOnly | Field::Id | Field::After | Field::Before => return None,
    })
}

fn time_bound(value: &str, now: EventTime, make: fn(EventTime) -> Matcher) -> Matcher {
    parse_time(value, now).map_or(Matcher::Const(false), make)
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

fn ip_set(store: &Store, value: &str) -> SymSet {
    let interner = &store.interner;
    if value.contains('/') {
        return match parse_cidr(value) {
            Ok((net, bits)) => SymSet::from_pred(interner, |s| {
                s.parse::<IpAddr>().is_ok_and(|ip| in_cidr(ip, net, bits))
            }),
            Err(_) => SymSet::default(),
        };
    }
    if has_wildcard(value) {
        return SymSet::from_pred(interner, |s| glob_match(value, s, true));
    }
    SymSet::single(interner, interner.get(value))
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

/// The role session name inside an assumed-role ARN or an `AROA…:session` principal ID.
pub(crate) fn session_of(s: &str) -> Option<&str> {
    if let Some(rest) = s.split_once(":assumed-role/").map(|(_, r)| r) {
        return rest.split_once('/').map(|(_, session)| session);
    }
    let (id, session) = s.split_once(':')?;
    (id.starts_with("AROA") && !session.is_empty()).then_some(session)
}

impl Matcher {
    #[inline]
    pub(crate) fn matches(&self, e: &Event) -> bool {
        match self {
            Matcher::Const(b) => *b,
            Matcher::And(ms) => ms.iter().all(|m| m.matches(e)),
            Matcher::Or(ms) => ms.iter().any(|m| m.matches(e)),
            Matcher::Not(m) => !m.matches(e),
            Matcher::In(sel, set) => sel_matches(*sel, set, e),
            Matcher::Text(needle) => needle.matches(&e.raw),
            Matcher::After(t) => e.time.is_known() && e.time >= *t,
            Matcher::Before(t) => e.time.is_known() && e.time < *t,
            Matcher::ReadOnly(b) => e.read_only == Some(*b),
            Matcher::AnyError(b) => e.error_code.is_some() == *b,
            Matcher::AnyVpce(b) => e.vpce.is_some() == *b,
            Matcher::Id(id) => {
                e.event_id.as_deref() == Some(id.as_str())
                    || e.request_id.as_deref() == Some(id.as_str())
            }
        }
    }

    /// Conditions that can never match (a key or IP never seen): the engine skips the scan.
    pub(crate) fn is_never(&self) -> bool {
        match self {
            Matcher::Const(b) => !b,
            Matcher::In(_, set) => set.is_empty(),
            Matcher::And(ms) => ms.iter().any(Matcher::is_never),
            Matcher::Or(ms) => !ms.is_empty() && ms.iter().all(Matcher::is_never),
            _ => false,
        }
    }
}

#[inline]
fn sel_matches(sel: Sel, set: &SymSet, e: &Event) -> bool {
    let id = &e.identity;
    match sel {
        Sel::Name => set.contains(e.name),
        Sel::Source => set.contains(e.source),
        Sel::Region => set.contains(e.region),
        Sel::Account => set.contains(e.account) || set.contains(id.account_id),
        Sel::SourceIp => set.contains(e.source_ip),
        Sel::UserAgent => set.contains(e.user_agent),
        Sel::ErrorCode => set.contains(e.error_code),
        Sel::Category => set.contains(e.category),
        Sel::Vpce => set.contains(e.vpce),
        Sel::IdentityType => set.contains(id.kind),
        Sel::Arn => set.contains(id.arn) || set.contains(Some(e.principal)),
        Sel::Principal => {
            set.contains(Some(e.principal_name))
                || set.contains(Some(e.principal))
                || set.contains(id.user_name)
                || set.contains(id.sign_in_name)
        }
        Sel::Key => set.contains(id.access_key_id),
        Sel::Resource => e.resources.iter().any(|r| set.contains(r.arn)),
        Sel::Session => set.contains(id.arn) || set.contains(id.principal_id),
        Sel::Role => set.contains(id.issuer_name) || set.contains(id.issuer_arn),
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
