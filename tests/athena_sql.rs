//! Athena SQL from filters: each filter term's condition (or why it stays local), the
//! partition predicate in every events query, and arbitrary pivot values that never leave
//! their literal: the statement parses with a real SQL parser, the value reads back intact,
//! and the WHERE clause keeps its shape (partitions, window, the condition).

use proptest::prelude::*;
use sqlparser::ast::{BinaryOperator, Expr as Sql, SetExpr, Statement};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use trailscope::athena::plan::plan;
use trailscope::athena::pushdown::condition;
use trailscope::athena::sql::{events_query, Partitioned, Scope, Table};
use trailscope::filter::field::Field;
use trailscope::filter::{parse, Expr};
use trailscope::model::time::EventTime;
use trailscope::trino::Window;

fn window() -> Window {
    Window {
        start: EventTime::parse("2026-11-20T09:00:00Z").unwrap_or(EventTime::UNKNOWN),
        end: EventTime::parse("2026-11-21T09:00:00Z").unwrap_or(EventTime::UNKNOWN),
    }
}

fn table() -> Result<Table, String> {
    Table::new("trailscope", "cloudtrail_org")
}

fn sql(filter: &str) -> Result<String, String> {
    condition(&parse(filter).map_err(|e| format!("{e:?}"))?)
}

#[test]
fn filter_terms_become_conditions_with_the_local_meaning() {
    let sent: &[(&str, &str)] = &[
        ("key:=AKIAEXAMPLE", "useridentity.accesskeyid = 'AKIAEXAMPLE'"),
        ("key:AKIA*", "useridentity.accesskeyid LIKE 'AKIA%' ESCAPE '\\'"),
        ("ip:=198.51.100.7", "sourceipaddress = '198.51.100.7'"),
        ("ip:198.51.100.*", "lower(sourceipaddress) LIKE '198.51.100.%' ESCAPE '\\'"),
        (
            "ip:10.1.2.3/8",
            "regexp_like(sourceipaddress, '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}$') AND contains('10.0.0.0/8', try_cast(sourceipaddress AS IPADDRESS))",
        ),
        (
            "ip:2001:db8::/32",
            "strpos(sourceipaddress, ':') > 0 AND contains('2001:db8::/32', try_cast(sourceipaddress AS IPADDRESS))",
        ),
        ("event:=DeleteBucket", "eventname = 'DeleteBucket'"),
        ("event:deletebucket", "lower(eventname) = 'deletebucket'"),
        ("event:Delete*", "lower(eventname) LIKE 'delete%' ESCAPE '\\'"),
        ("event:Get_Object?", "lower(eventname) LIKE 'get\\_object_' ESCAPE '\\'"),
        ("source:S3", "strpos(lower(eventsource), 's3') > 0"),
        ("region:=us-east-1", "awsregion = 'us-east-1'"),
        ("ua:\"it's\"", "strpos(lower(useragent), 'it''s') > 0"),
        (
            "account:111122223333",
            "recipientaccountid = '111122223333' OR useridentity.accountid = '111122223333'",
        ),
        ("id:abc*", "eventid = 'abc*' OR requestid = 'abc*'"),
        ("error:=any", "errorcode = 'any'"),
        ("error:AccessDenied*", "lower(errorcode) LIKE 'accessdenied%' ESCAPE '\\'"),
        ("vpce:any", "vpcendpointid IS NOT NULL"),
        ("type:assumedrole", "lower(useridentity.type) = 'assumedrole'"),
        ("readonly:false", "readonly IN ('false', 'False', 'FALSE')"),
        (
            "role:Admin",
            "strpos(lower(useridentity.sessioncontext.sessionissuer.username), 'admin') > 0 OR strpos(lower(useridentity.sessioncontext.sessionissuer.arn), 'admin') > 0",
        ),
        ("resource:=arn:aws:s3:::b", "any_match(resources, r -> r.arn = 'arn:aws:s3:::b')"),
        ("resource:secret", "any_match(resources, r -> strpos(lower(r.arn), 'secret') > 0)"),
        (
            "arn:=arn:aws:sts::111122223333:assumed-role/Admin/alice",
            "useridentity.arn = 'arn:aws:sts::111122223333:assumed-role/Admin/alice'",
        ),
        // NOT keeps the rows where the field is missing, as the local filter does.
        ("-error:=AccessDenied", "NOT coalesce((errorcode = 'AccessDenied'), false)"),
        (
            "event:=A OR -source:=s3.amazonaws.com",
            "(eventname = 'A') OR (NOT coalesce((eventsource = 's3.amazonaws.com'), false))",
        ),
    ];
    for (filter, want) in sent {
        assert_eq!(sql(filter).as_deref(), Ok(*want), "{filter}");
    }
    let kept: &[(&str, &str)] = &[
        ("hello", "free text"),
        ("principal:alice", "principal"),
        ("principal:=arn:aws:iam::111122223333:user/bob", "principal"),
        ("arn:Admin", "principal keys"),
        ("arn:=arn:aws:iam::111122223333:root", "root or IAM user"),
        (
            "arn:=arn:aws:iam::111122223333:user/bob",
            "root or IAM user",
        ),
        ("session:alice", "session"),
        ("after:-3h", "narrows the window"),
        ("event:Délete", "non-ASCII"),
        ("event:=A OR hello", "free text"),
        // A failed sign-in's `Failure` has no errorCode (model::outcome).
        ("error:any", "failed sign-ins"),
        ("error:none", "failed sign-ins"),
        ("error:failure", "failed sign-ins"),
        ("error:=Failure", "failed sign-ins"),
        ("error:Fail*", "failed sign-ins"),
    ];
    for (filter, why) in kept {
        match sql(filter) {
            Ok(s) => panic!("{filter} was sent as {s}"),
            Err(e) => assert!(e.contains(why), "{filter}: {e}"),
        }
    }
}

#[test]
fn a_plan_sends_what_it_can_and_keeps_the_rest_here() {
    let now = EventTime::parse("2026-11-21T12:00:00Z").unwrap_or(EventTime::UNKNOWN);
    let filter =
        parse("key:=AKIAEXAMPLE hello after:2026-11-21 principal:bob -error:=AccessDenied")
            .unwrap_or_default();
    let p = plan(&filter, window(), now);
    assert_eq!(
        p.condition.as_deref(),
        Some("(useridentity.accesskeyid = 'AKIAEXAMPLE') AND (NOT coalesce((errorcode = 'AccessDenied'), false))")
    );
    assert_eq!(p.kept.len(), 3, "{:?}", p.kept);
    assert_eq!(
        p.window.start,
        EventTime::parse("2026-11-21T00:00:00Z").unwrap_or_default()
    );
    assert_eq!(p.window.end, window().end);
    assert_eq!(p.local, filter);
    assert_eq!(
        p.describe(),
        "Athena: key:=\"AKIAEXAMPLE\" (not error:=\"AccessDenied\") · here: \"hello\" principal:\"bob\""
    );
    let all = plan(&Expr::all(), window(), now);
    assert_eq!(all.condition, None);
    assert_eq!(all.describe(), "Athena: every event in the window");
}

/// The WHERE clause's conjuncts, left to right.
fn conjuncts(e: &Sql) -> Vec<&Sql> {
    match e {
        Sql::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let mut out = conjuncts(left);
            out.extend(conjuncts(right));
            out
        }
        other => vec![other],
    }
}

/// The statement's WHERE, parsed.
fn where_of(statement: &str) -> Result<Sql, String> {
    let parsed = Parser::parse_sql(&GenericDialect {}, statement).map_err(|e| format!("{e}"))?;
    let [Statement::Query(query)] = parsed.as_slice() else {
        return Err(format!("not one query: {parsed:?}"));
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return Err("not a SELECT".to_string());
    };
    select
        .selection
        .clone()
        .ok_or_else(|| "no WHERE".to_string())
}

/// Every string literal in the statement, as the SQL tokenizer reads it back.
fn literals(sql: &str) -> Vec<String> {
    Tokenizer::new(&GenericDialect {}, sql)
        .tokenize()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::SingleQuotedString(s) | Token::UnicodeStringLiteral(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Partitions (the day range, accounts, regions), the two window bounds, then the condition.
fn assert_shape(statement: &str, scoped: bool, with_condition: bool) -> Result<(), String> {
    let selection = where_of(statement)?;
    let parts = conjuncts(&selection);
    let expected = 3 + usize::from(scoped) * 2 + usize::from(with_condition);
    if parts.len() != expected {
        return Err(format!(
            "{} conjuncts, not {expected}: {statement}",
            parts.len()
        ));
    }
    if !matches!(parts[0], Sql::Between { .. }) {
        return Err(format!("the day range is not first: {statement}"));
    }
    let rest = if scoped {
        if !parts[1..3].iter().all(|p| matches!(p, Sql::InList { .. })) {
            return Err(format!("no account and region lists: {statement}"));
        }
        &parts[3..]
    } else {
        &parts[1..]
    };
    if !rest[..2].iter().all(|p| matches!(p, Sql::BinaryOp { .. })) {
        return Err(format!("no window bounds: {statement}"));
    }
    if with_condition && !matches!(rest[2], Sql::Nested(_)) {
        return Err(format!("the condition is not parenthesised: {statement}"));
    }
    Ok(())
}

#[test]
fn every_events_query_has_its_partition_predicate() -> Result<(), String> {
    let scope = Scope::new(&["111122223333".to_string()], &["us-east-1".to_string()])?;
    for filter in [
        "",
        "key:=AKIA",
        "hello",
        "event:Delete* OR ip:10.0.0.0/8",
        "-error:any",
        "resource:secret",
    ] {
        let p = plan(
            &parse(filter).unwrap_or_default(),
            window(),
            EventTime::UNKNOWN,
        );
        for (s, scoped) in [(&Scope::default(), false), (&scope, true)] {
            let statement = events_query(
                &table()?,
                p.window,
                s,
                p.condition.as_deref(),
                Partitioned::ByAccountRegionDay,
            )?;
            assert!(statement.contains("WHERE \"timestamp\" BETWEEN '2026/11/20' AND '2026/11/21'"));
            assert_shape(&statement, scoped, p.condition.is_some())?;
        }
    }
    Ok(())
}

const FIELDS: [Field; 11] = [
    Field::Key,
    Field::Ip,
    Field::Event,
    Field::Source,
    Field::UserAgent,
    Field::Error,
    Field::Account,
    Field::Id,
    Field::Role,
    Field::Portal,
    Field::SignIn,
];

/// Values an attacker would try, and anything at all.
fn values() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9'\"\\\\;%_ \\-\\*/\\n\\t\u{1b}\u{7}\u{9b}\u{202e}\u{200b}é中😀{}]{1,24}",
        any::<String>().prop_filter("not empty", |s| !s.is_empty()),
        Just("' OR '1'='1".to_string()),
        Just("x'; DROP TABLE t; --".to_string()),
        Just("\\'".to_string()),
        Just("%_\\".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn pivot_values_never_leave_their_literal(value in values(), f in 0..FIELDS.len()) {
        let field = FIELDS[f];
        let expr = Expr::Field { field, value: value.clone(), exact: true };
        let cond = condition(&expr).map_err(TestCaseError::fail)?;
        let statement = events_query(&table().map_err(TestCaseError::fail)?, window(), &Scope::default(), Some(&cond), Partitioned::ByAccountRegionDay)
            .map_err(TestCaseError::fail)?;
        assert_shape(&statement, false, true).map_err(TestCaseError::fail)?;
        let lits = literals(&statement);
        prop_assert!(lits.contains(&value), "{value:?} not among {lits:?}");
        // Two days, two bounds, and the value once per column compared.
        // `signin:` reads a JSON path, itself a literal.
        let columns = if matches!(field, Field::Account | Field::Id | Field::Role | Field::SignIn) { 2 } else { 1 };
        prop_assert_eq!(lits.len(), 4 + columns, "{:?}", lits);
        prop_assert!(!statement.chars().any(|c| trailscope::model::sanitize::is_unsafe(c) && c != '\n'));
    }

    #[test]
    fn substrings_and_globs_stay_inside_their_literal(value in "[ -~]{1,16}", glob in any::<bool>()) {
        // Printable ASCII: sent case-insensitively, lowercased; `*` and `?` are globs.
        let value = if glob { format!("{value}*") } else { value.replace(['*', '?'], "") };
        prop_assume!(!value.is_empty());
        let expr = Expr::Field { field: Field::UserAgent, value: value.clone(), exact: false };
        let cond = condition(&expr).map_err(TestCaseError::fail)?;
        let statement = events_query(&table().map_err(TestCaseError::fail)?, window(), &Scope::default(), Some(&cond), Partitioned::ByAccountRegionDay)
            .map_err(TestCaseError::fail)?;
        assert_shape(&statement, false, true).map_err(TestCaseError::fail)?;
        let lits = literals(&statement);
        let lower = value.to_ascii_lowercase();
        let expected = if glob {
            lower.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_").replace('*', "%").replace('?', "_")
        } else {
            lower
        };
        prop_assert!(lits.contains(&expected), "{expected:?} not among {lits:?}");
    }
}
