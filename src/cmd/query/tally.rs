//! A headless count or grouping folded through the load. Each batch of records goes into a
//! small store of its own, is filtered and counted there, and is dropped: memory stays at a few
//! batches and the events' identities (8 bytes each, for deduplication), however many events
//! are read. When the filter can be decided on each record alone (`filter::RecordFilter`: no
//! free text, no `id:`), no store is built: each record says whether it is chosen and gives
//! its value (`group::record_value`), a third of a grouping's time. The store path held every event: 434–457 MB at 1M events, against DuckDB's
//! 107–157 MB for the same question (BENCHMARKS.md).
//!
//! Only for questions each event answers alone. Findings, lineage and `principal:` need the
//! other events: rules count across them, lineage follows credentials from one to the next,
//! and `principal:` finds an Identity Center user by a name learned from another of their
//! events. Those load the whole store, as before.

use super::group::{self, Group};
use crate::cmd::args::{GroupBy, Output, QueryArgs};
use crate::filter::field::Field;
use crate::filter::{Compiled, Expr, RecordFilter};
use crate::model::record::Record;
use crate::model::store::{dedup_key, Store};
use crate::model::time::EventTime;
use crate::model::warning::Warning;
use crate::source::files::load_each;
use crate::source::walk::Plan;
use foldhash::{HashMap, HashSet};

/// Whether `args` asks a question a folded load answers: a count, or a grouping, of events
/// chosen by a filter that looks at each event alone.
pub(crate) fn folds(args: &QueryArgs, expr: &Expr) -> bool {
    let counts = args.output == Output::Count || args.group_by.is_some();
    let alone = [Field::Principal, Field::Lineage, Field::Finding]
        .into_iter()
        .all(|f| !expr.mentions(f));
    counts && alone && args.lineage.is_none() && !args.findings
}

/// Whether a folded question reads what each call acted on (`target:`, `--group-by target`).
/// A folded load reads nothing but the filter's and the grouping's fields, so otherwise the
/// loaders need not work the target out (8 % of a parse, `benches/parse.rs`).
pub(crate) fn reads_target(args: &QueryArgs, expr: &Expr) -> bool {
    expr.mentions(Field::Target) || args.group_by == Some(GroupBy::Target)
}

/// What a folded load leaves.
#[derive(Default, Debug, PartialEq)]
pub(crate) struct Tally {
    /// Distinct events read.
    pub(crate) events: usize,
    /// Of those, the ones the filter chose.
    pub(crate) matched: usize,
    /// Chosen events per value of the grouping field.
    values: HashMap<Box<str>, usize>,
    /// Chosen events without the field.
    missing: usize,
}

/// Loads `plan`, counting the events `expr` chooses, per value of `by` when given.
pub(crate) fn tally(
    plan: Plan,
    expr: &Expr,
    by: Option<GroupBy>,
    now: EventTime,
) -> (Tally, Vec<Warning>) {
    let mut folder = Folder::new(expr, by, now);
    let warnings = load_each(plan, |records| folder.fold(records));
    (folder.tally, warnings)
}

/// Folds batches of records into a tally.
struct Folder<'e> {
    expr: &'e Expr,
    by: Option<GroupBy>,
    now: EventTime,
    /// The filter decided on each record, when it can be: then no batch needs a store.
    on_record: Option<RecordFilter<'e>>,
    /// The identities of the events of every batch so far (`store::dedup_key`): a copy in a
    /// later batch is dropped exactly as one big store would drop it.
    seen: HashSet<u64>,
    tally: Tally,
}

impl<'e> Folder<'e> {
    fn new(expr: &'e Expr, by: Option<GroupBy>, now: EventTime) -> Folder<'e> {
        Folder {
            expr,
            by,
            now,
            on_record: RecordFilter::new(expr, now),
            seen: HashSet::default(),
            tally: Tally::default(),
        }
    }

    fn fold(&mut self, mut records: Vec<Record>) {
        records.retain(|r| self.seen.insert(dedup_key(r)));
        self.tally.events += records.len();
        if self.expr.is_all() && self.by.is_none() {
            // Counting every event needs no store, nor a look at each.
            self.tally.matched += records.len();
            return;
        }
        if let Some(filter) = &self.on_record {
            // Each record says whether it is chosen and, for a grouping, its value.
            for r in records.iter().filter(|r| filter.matches(r)) {
                self.tally.matched += 1;
                if let Some(by) = self.by {
                    self.tally.count(group::record_value(by, r).as_deref(), 1);
                }
            }
            return;
        }
        let mut batch = Store::default();
        batch.insert_batch(records);
        self.tally.add(&batch, self.expr, self.by, self.now);
    }
}

impl Tally {
    fn add(&mut self, batch: &Store, expr: &Expr, by: Option<GroupBy>, now: EventTime) {
        let rows = Compiled::new(expr, batch, now).select(batch, None);
        self.matched += rows.len();
        let Some(by) = by else { return };
        for g in group::count(batch, &rows, by) {
            self.count(g.sym.map(|sym| batch.interner.resolve(sym)), g.count);
        }
    }

    /// Adds `n` chosen events whose grouping field is `value` (`None`: without the field).
    fn count(&mut self, value: Option<&str>, n: usize) {
        match value {
            Some(value) => match self.values.get_mut(value) {
                Some(count) => *count += n,
                None => {
                    self.values.insert(value.into(), n);
                }
            },
            None => self.missing += n,
        }
    }

    /// The groups in `group::count`'s order, their values held by the store returned.
    pub(crate) fn groups(&self) -> (Store, Vec<Group>) {
        let mut store = Store::default();
        let mut groups: Vec<Group> = self
            .values
            .iter()
            .map(|(value, &count)| Group {
                sym: Some(store.interner.intern(value)),
                count,
            })
            .collect();
        if self.missing > 0 {
            groups.push(Group {
                sym: None,
                count: self.missing,
            });
        }
        group::sort(&store, &mut groups);
        (store, groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::parse;
    use crate::source::walk;
    use clap::ValueEnum;

    /// Every grouping of a filtered store, as (value, count) pairs in output order.
    fn stored(store: &Store, expr: &Expr, by: GroupBy, now: EventTime) -> Vec<(String, usize)> {
        let rows = Compiled::new(expr, store, now).select(store, None);
        group::count(store, &rows, by)
            .iter()
            .map(|g| (store.text(g.sym).to_string(), g.count))
            .collect()
    }

    fn folded(tally: &Tally) -> Vec<(String, usize)> {
        let (store, groups) = tally.groups();
        groups
            .iter()
            .map(|g| (store.text(g.sym).to_string(), g.count))
            .collect()
    }

    /// A quarter of the demo's records, each twice, in batches of uneven sizes: a copy must count once
    /// whichever batch it lands in.
    fn batches_with_copies() -> Vec<Vec<Record>> {
        let mut records = Vec::new();
        // Every fourth of the demo's 6,707: each kind of event, and a quick test in debug.
        load_each(crate::source::demo::plan(), |batch| {
            records.extend(batch.into_iter().step_by(4))
        });
        let twice = [records.clone(), records].concat();
        twice.chunks(97).map(<[Record]>::to_vec).collect()
    }

    /// `batches_with_copies`, and one store of them all.
    fn batches_and_their_store() -> (Vec<Vec<Record>>, Store) {
        let batches = batches_with_copies();
        let mut store = Store::default();
        for b in &batches {
            store.insert_batch(b.clone());
        }
        (batches, store)
    }

    fn fold(batches: &[Vec<Record>], expr: &Expr, by: Option<GroupBy>, now: EventTime) -> Tally {
        let mut folder = Folder::new(expr, by, now);
        for b in batches {
            folder.fold(b.clone());
        }
        folder.tally
    }

    #[test]
    fn a_folded_load_answers_what_the_whole_store_answers() {
        let (batches, store) = batches_and_their_store();
        assert!(store.len() > 100, "the demo has events: {}", store.len());
        let now = EventTime::now();
        for text in [
            "",
            "ip:10.0.0.0/8 or error:any",
            "s3 event:Get* or event:List*",
        ] {
            let expr = parse(text).expect("filter");
            let all = Compiled::new(&expr, &store, now).select(&store, None);
            let narrower = text.is_empty() || all.len() < store.len();
            assert!(
                !all.is_empty() && narrower,
                "`{text}` chooses some: {}",
                all.len()
            );
            let mut bys: Vec<Option<GroupBy>> = vec![None];
            bys.extend(GroupBy::value_variants().iter().copied().map(Some));
            for by in bys {
                let t = &fold(&batches, &expr, by, now);
                assert_eq!(t.events, store.len(), "`{text}` by {by:?}: events read");
                assert_eq!(t.matched, all.len(), "`{text}` by {by:?}: events chosen");
                if let Some(by) = by {
                    assert_eq!(
                        folded(t),
                        stored(&store, &expr, by, now),
                        "`{text}` by {by:?}"
                    );
                }
            }
        }
    }

    /// Every kind of term a record can decide, plain, negated and combined.
    const RECORD_TERMS: &[&str] = &[
        "ip:10.0.0.0/8",
        "ip:198.51.*",
        "ip:2001:db8::/32",
        "ip:=203.0.113.10",
        "error:any",
        "error:none",
        "error:AccessDenied*",
        "readonly:true",
        "readonly:false",
        "vpce:any",
        "vpce:none",
        "key:ASIA*",
        "key:AKIA*",
        "account:1*",
        "arn:assumed-role",
        "arn:=root",
        "type:AssumedRole",
        "type:iam*",
        "category:management",
        "ua:console",
        "role:*",
        "session:*",
        "session:=x",
        "region:us-east-1",
        "source:iam*",
        "event:=AssumeRole",
        "event:Create*",
        "resource:arn:aws:s3*",
        "target:*",
        "portal:*",
        "signin:*",
        "after:2020-01-01",
        "before:2020-01-01",
        "not ip:*",
        "(event:Get* or error:any) not readonly:true",
    ];

    #[test]
    fn a_filter_decided_on_each_record_chooses_what_the_store_chooses() {
        let (batches, store) = batches_and_their_store();
        let now = EventTime::now();
        let (mut some, mut not_all) = (0, 0);
        for text in RECORD_TERMS {
            let expr = parse(text).expect("filter");
            assert!(
                RecordFilter::new(&expr, now).is_some(),
                "`{text}` is decided on records"
            );
            let all = Compiled::new(&expr, &store, now).select(&store, None);
            some += usize::from(!all.is_empty());
            not_all += usize::from(all.len() < store.len());
            for by in [None, Some(GroupBy::Event), Some(GroupBy::Principal)] {
                let t = &fold(&batches, &expr, by, now);
                assert_eq!(t.matched, all.len(), "`{text}` by {by:?}: events chosen");
                if let Some(by) = by {
                    let stored = stored(&store, &expr, by, now);
                    assert_eq!(folded(t), stored, "`{text}` by {by:?}");
                }
            }
        }
        // The terms are not all trivial on the demo: most choose some events and not all.
        assert!(
            some * 3 >= RECORD_TERMS.len() * 2,
            "{some} of {} choose some",
            RECORD_TERMS.len()
        );
        assert!(
            not_all * 3 >= RECORD_TERMS.len() * 2,
            "{not_all} choose fewer than all"
        );
        for text in [
            "s3",
            "id:1",
            "principal:alice",
            "lineage:AKIA",
            "finding:any",
        ] {
            let expr = parse(text).expect("filter");
            assert!(
                RecordFilter::new(&expr, now).is_none(),
                "`{text}` needs the store"
            );
        }
    }

    #[test]
    fn empty_and_missing_values_group_as_the_store_groups_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let records = [
            // Every grouped field present but empty.
            r#"{"eventID":"1","eventTime":"2024-05-01T00:00:00Z","eventName":"","eventSource":"","awsRegion":"","sourceIPAddress":"","userAgent":"","errorCode":"","recipientAccountId":"","userIdentity":{"type":"","arn":"","accessKeyId":"","sessionContext":{"sessionIssuer":{"arn":""}}}}"#,
            // No identity at all, and one that is not an object.
            r#"{"eventID":"2","eventTime":"2024-05-01T00:00:01Z","eventName":"GetObject","eventSource":"s3.amazonaws.com"}"#,
            r#"{"eventID":"3","eventTime":"2024-05-01T00:00:02Z","eventName":"GetObject","userIdentity":"root"}"#,
            r#"{"eventID":"4","eventTime":"2024-05-01T00:00:03Z","eventName":"AssumeRole","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/r"}}}}"#,
        ];
        let file = format!(r#"{{"Records":[{}]}}"#, records.join(","));
        std::fs::write(dir.path().join("odd.json"), file).expect("write");
        let plan = || walk::plan(&[dir.path().to_path_buf()]);
        let mut store = Store::default();
        load_each(plan(), |batch| {
            store.insert_batch(batch);
        });
        assert_eq!(store.len(), records.len());
        let (expr, now) = (parse("").expect("filter"), EventTime::now());
        for &by in GroupBy::value_variants() {
            let (t, _) = tally(plan(), &expr, Some(by), now);
            assert_eq!(folded(&t), stored(&store, &expr, by, now), "by {by:?}");
        }
    }

    #[test]
    fn a_folded_load_reads_every_input_of_the_plan() {
        let dir = tempfile::tempdir().expect("temp dir");
        let record = |id: &str, ip: &str| {
            format!(
                r#"{{"eventID":"{id}","eventTime":"2024-05-01T00:00:00Z","eventName":"GetObject","sourceIPAddress":"{ip}"}}"#
            )
        };
        let file = |records: &[String]| format!(r#"{{"Records":[{}]}}"#, records.join(","));
        let (a, b, c) = (
            record("1", "10.0.0.1"),
            record("2", "10.0.0.2"),
            record("3", "10.0.0.1"),
        );
        std::fs::write(dir.path().join("one.json"), file(&[a.clone(), b])).expect("write");
        // The same event delivered again, and one new.
        std::fs::write(dir.path().join("two.json"), file(&[a, c])).expect("write");
        std::fs::write(dir.path().join("cut.json"), "{\"Records\":[{\"eventID\":").expect("write");
        let plan = || walk::plan(&[dir.path().to_path_buf()]);
        let expr = parse("ip:10.0.0.1").expect("filter");
        let (t, warnings) = tally(plan(), &expr, Some(GroupBy::Ip), EventTime::now());
        assert_eq!((t.events, t.matched), (3, 2));
        assert_eq!(folded(&t), vec![("10.0.0.1".to_string(), 2)]);
        assert!(
            warnings.iter().any(|w| w.origin.contains("cut.json")),
            "the cut file is said: {warnings:?}"
        );
    }

    #[test]
    fn questions_that_need_other_events_load_the_whole_store_and_targets_only_when_read() {
        use clap::Parser;
        let args = |line: &[&str]| {
            let cli = crate::cmd::args::Cli::try_parse_from(line).expect("command line");
            match cli.command {
                Some(crate::cmd::args::Command::Query(q)) => *q,
                other => panic!("not a query: {other:?}"),
            }
        };
        let expr = |text: &str| parse(text).expect("filter");
        let counted = args(&["trailscope", "query", "x", "-o", "count"]);
        assert!(folds(&counted, &expr("ip:10.0.0.1")));
        assert!(folds(
            &args(&["trailscope", "query", "x", "-g", "arn"]),
            &expr("")
        ));
        assert!(!folds(&counted, &expr("principal:alice")));
        assert!(!folds(&counted, &expr("finding:any")));
        assert!(!folds(&counted, &expr("lineage:AKIAEXAMPLE")));
        assert!(!folds(&args(&["trailscope", "query", "x"]), &expr("")));
        assert!(!folds(
            &args(&["trailscope", "query", "x", "--findings"]),
            &expr("")
        ));
        // The target is worked out only for a question that reads it.
        assert!(!reads_target(&counted, &expr("ip:10.0.0.1 event:Get*")));
        assert!(reads_target(&counted, &expr("not target:*secret*")));
        let by_target = args(&["trailscope", "query", "x", "-g", "target"]);
        assert!(reads_target(&by_target, &expr("")));
    }
}
