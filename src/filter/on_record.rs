//! A filter decided on one record before any store holds it: what a folded headless count or
//! grouping needs (`cmd::query::tally`), so that it builds no store for each batch. Every
//! `field:value` term is the `Cond` that `compile` decides over a store's columns, tested here
//! on the record's own values, so the two readings cannot drift apart. Terms that need more
//! than the record's fields make `RecordFilter::new` say `None`, and the caller uses a store:
//! free text (the raw record), `lineage:` and `finding:` (other events), `principal:` (a name
//! learned from another event), `id:` (the store's packed IDs).

use super::ast::Expr;
use super::compile::{cols, condition, Cond, Sel};
use crate::model::columns::Col;
use crate::model::principal::{self, Principal};
use crate::model::record::Record;
use crate::model::time::EventTime;

/// A filter that tests records.
pub(crate) struct RecordFilter<'e>(Node<'e>);

enum Node<'e> {
    And(Vec<Node<'e>>),
    Or(Vec<Node<'e>>),
    Not(Box<Node<'e>>),
    Term(Cond<'e>),
}

impl<'e> RecordFilter<'e> {
    /// `None` when some term needs the store (see the module's doc).
    pub(crate) fn new(expr: &'e Expr, now: EventTime) -> Option<RecordFilter<'e>> {
        node(expr, now).map(RecordFilter)
    }

    pub(crate) fn matches(&self, r: &Record) -> bool {
        // The principal is worked out only if a term reads it, once per record.
        let mut who = None;
        self.0.matches(r, &mut who)
    }
}

fn node(expr: &Expr, now: EventTime) -> Option<Node<'_>> {
    Some(match expr {
        Expr::And(parts) => Node::And(nodes(parts, now)?),
        Expr::Or(parts) => Node::Or(nodes(parts, now)?),
        Expr::Not(inner) => Node::Not(Box::new(node(inner, now)?)),
        Expr::Text(_) => return None,
        Expr::Field {
            field,
            value,
            exact,
        } => match condition(*field, value, *exact, now) {
            Cond::Id(_) | Cond::Lineage(_) | Cond::Finding(_) => return None,
            Cond::Is(Sel::Principal, _) | Cond::Where(Sel::Principal, _) => return None,
            cond => Node::Term(cond),
        },
    })
}

fn nodes(parts: &[Expr], now: EventTime) -> Option<Vec<Node<'_>>> {
    parts.iter().map(|p| node(p, now)).collect()
}

impl Node<'_> {
    fn matches(&self, r: &Record, who: &mut Option<Principal>) -> bool {
        match self {
            Node::And(parts) => parts.iter().all(|p| p.matches(r, who)),
            Node::Or(parts) => parts.iter().any(|p| p.matches(r, who)),
            Node::Not(inner) => !inner.matches(r, who),
            Node::Term(cond) => term(cond, r, who),
        }
    }
}

fn term(cond: &Cond<'_>, r: &Record, who: &mut Option<Principal>) -> bool {
    let present = |v: &Option<Box<str>>| v.as_deref().is_some_and(|s| !s.is_empty());
    match cond {
        Cond::Const(b) => *b,
        Cond::After(t) => r.time.is_known() && r.time >= *t,
        Cond::Before(t) => r.time.is_known() && r.time < *t,
        Cond::ReadOnly(b) => r.read_only == Some(*b),
        Cond::AnyError(b) => present(&r.error_code) == *b,
        Cond::AnyVpce(b) => present(&r.vpce) == *b,
        Cond::Is(sel, value) => any_value(*sel, r, who, |s| s == *value),
        Cond::Where(sel, pred) => any_value(*sel, r, who, pred),
        // Refused by `node`.
        Cond::Id(_) | Cond::Lineage(_) | Cond::Finding(_) => false,
    }
}

/// Whether one of the values the selector reads in `r` passes `test`: the values a store
/// would hold in the selector's columns for this record's event.
fn any_value(
    sel: Sel,
    r: &Record,
    who: &mut Option<Principal>,
    test: impl Fn(&str) -> bool,
) -> bool {
    if sel == Sel::Resource {
        return r
            .resources
            .iter()
            .filter_map(|res| res.arn.as_deref())
            .any(|arn| !arn.is_empty() && test(arn));
    }
    cols(sel)
        .iter()
        .any(|&c| column_value(c, r, who).is_some_and(&test))
}

/// What `Col::of` gives for the event a store makes of `r` (`Col::of_record`), the principal
/// worked out once if a column asks for it: a store always has one.
fn column_value<'r>(c: Col, r: &'r Record, who: &'r mut Option<Principal>) -> Option<&'r str> {
    match c {
        Col::Principal | Col::PrincipalName => {
            let id = r.identity.as_ref();
            let who = who.get_or_insert_with(|| principal::resolve(id, r.source.as_deref()));
            Some(match c {
                Col::Principal => who.key.as_str(),
                _ => who.name.as_str(),
            })
        }
        _ => c.of_record(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::field::{Field, MatchKind, FIELDS};
    use crate::filter::{parse, Compiled};
    use crate::model::record::{IdentityRecord, ResourceRecord};
    use crate::model::store::Store;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// A field's value from a few that terms below name, empty and absent included.
    fn text(pool: &'static [&'static str]) -> impl Strategy<Value = Option<Box<str>>> {
        proptest::option::of(select(pool)).prop_map(|v| v.map(Box::from))
    }

    const ARNS: &[&str] = &[
        "arn:aws:sts::111:assumed-role/Admin/alice",
        "arn:aws:iam::111:user/bob",
        "arn:aws:iam::111:role/Admin",
        "",
    ];
    const IDS: &[&str] = &[
        "AROAX:alice",
        "AROAX:carol",
        "AIDAY",
        "ASIA1",
        "AKIA2",
        "111",
        "",
    ];
    const WORDS: &[&str] = &[
        "GetObject",
        "AssumeRole",
        "s3.amazonaws.com",
        "us-east-1",
        "",
    ];
    const IPS: &[&str] = &[
        "10.1.2.3",
        "198.51.100.7",
        "2001:db8::1",
        "s3.amazonaws.com",
        "",
    ];

    fn identity() -> impl Strategy<Value = IdentityRecord> {
        (
            (
                text(&["AssumedRole", "IAMUser", "Root", ""]),
                text(ARNS),
                text(IDS),
            ),
            (text(IDS), text(IDS), text(&["alice", "bob", ""])),
            (
                text(ARNS),
                text(&["Admin", ""]),
                text(IDS),
                text(&["alice", ""]),
                text(IDS),
            ),
        )
            .prop_map(
                |((kind, arn, account_id), (principal_id, key, user), rest)| {
                    let (issuer_arn, issuer_name, credential_id, sign_in_name, auth_workflow) =
                        rest;
                    IdentityRecord {
                        kind,
                        arn,
                        account_id,
                        principal_id,
                        access_key_id: key,
                        user_name: user,
                        issuer_arn,
                        issuer_name,
                        credential_id,
                        sign_in_name,
                        auth_workflow,
                        ..IdentityRecord::default()
                    }
                },
            )
    }

    fn record() -> impl Strategy<Value = Record> {
        (
            (text(WORDS), text(WORDS), text(WORDS), text(IDS), text(IPS)),
            (
                text(&["aws-cli/2", "console.amazonaws.com", ""]),
                text(&["AccessDenied", ""]),
            ),
            (
                text(&["Management", "Data", ""]),
                text(&["vpce-1", ""]),
                text(ARNS),
            ),
            (
                proptest::option::of(any::<bool>()),
                select(&[0i64, 1_714_521_600_000][..]),
            ),
            (
                proptest::option::of(identity()),
                proptest::collection::vec(text(ARNS), 0..3),
            ),
        )
            .prop_map(|(words, more, kinds, flags, who)| {
                let (name, source, region, account, source_ip) = words;
                let (user_agent, error_code) = more;
                let (category, vpce, target) = kinds;
                let (read_only, millis) = flags;
                let (identity, resources) = who;
                Record {
                    time: match millis {
                        0 => crate::model::time::EventTime::UNKNOWN,
                        ms => crate::model::time::EventTime::from_millis(ms),
                    },
                    name,
                    source,
                    region,
                    account,
                    source_ip,
                    user_agent,
                    error_code,
                    category,
                    vpce,
                    target,
                    read_only,
                    identity,
                    resources: resources
                        .into_iter()
                        .map(|arn| ResourceRecord {
                            arn,
                            ..ResourceRecord::default()
                        })
                        .collect(),
                    ..Record::default()
                }
            })
    }

    /// A term on any field a record decides, with a value its kind accepts that the records
    /// above may hold: a glob, a block, a special word, exact or not.
    fn term() -> impl Strategy<Value = String> {
        let fields: Vec<(&'static str, MatchKind)> = FIELDS
            .iter()
            .filter(|f| {
                !matches!(
                    f.field,
                    Field::Principal | Field::Lineage | Field::Finding | Field::Id
                )
            })
            .map(|f| (f.names[0], f.kind))
            .collect();
        select(fields).prop_flat_map(|(name, kind)| {
            let values: &'static [&'static str] = match kind {
                MatchKind::Time => &["2024-05-01", "2023-01-01", "-3h"],
                MatchKind::Bool => &["true", "false"],
                MatchKind::Address => &[
                    "10.0.0.0/8",
                    "2001:db8::/32",
                    "198.51.*",
                    "10.1.2.3",
                    "=10.1.2.3",
                    "s3*",
                ],
                MatchKind::ErrorCode => {
                    &["any", "none", "accessdenied", "Access*", "=AccessDenied"]
                }
                _ => &[
                    "*",
                    "a*",
                    "*Admin*",
                    "AROA*",
                    "alice",
                    "carol",
                    "=alice",
                    "=AIDAY",
                    "AIDAY",
                    "aiday",
                    "any",
                    "none",
                    "getobject",
                    "=GetObject",
                    "s3",
                    "us-east-1",
                    "111",
                    "vpce-1",
                    "console",
                    "management",
                    "assumed-role",
                ],
            };
            select(values).prop_map(move |v| format!("{name}:{v}"))
        })
    }

    fn expression() -> impl Strategy<Value = String> {
        let leaf = term().boxed();
        leaf.prop_recursive(2, 6, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
                inner.prop_map(|a| format!("not {a}")),
            ]
        })
    }

    proptest! {
        // Many cases: a term meets a record holding its value on one field at a time.
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn a_record_decides_what_a_store_of_it_decides(
            records in proptest::collection::vec(record(), 1..6),
            text in expression(),
        ) {
            let expr = parse(&text).map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))?;
            let now = crate::model::time::EventTime::from_millis(1_800_000_000_000);
            let filter = RecordFilter::new(&expr, now).expect("decided on records");
            // Each record alone in a store, then all of them in one.
            for (i, r) in records.iter().enumerate() {
                let mut store = Store::default();
                let mut one = r.clone();
                one.event_id = Some(i.to_string().into());
                store.insert_batch(vec![one]);
                let chosen = Compiled::new(&expr, &store, now).select(&store, None).len() == 1;
                prop_assert_eq!(filter.matches(r), chosen, "`{}` on {:?}", text, r);
            }
            let mut store = Store::default();
            store.insert_batch(
                records
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Record { event_id: Some(i.to_string().into()), ..r.clone() })
                    .collect(),
            );
            let chosen = Compiled::new(&expr, &store, now).select(&store, None).len();
            prop_assert_eq!(records.iter().filter(|r| filter.matches(r)).count(), chosen);
        }
    }
}
