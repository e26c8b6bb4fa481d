//! The filter language: text → `Expr` (with error positions) → a `Matcher` over the store.
//! See docs/filter-language.md for the syntax; `field::FIELDS` lists the fields.

mod ast;
mod compile;
pub mod facet;
pub mod field;
pub(crate) mod glob;
mod lex;
mod needle;
mod on_record;
mod parse;
pub mod preset;
mod run;
mod symset;
mod time_value;

pub(crate) use crate::did_you_mean::edit_distance;
pub use ast::Expr;
/// The role session name in an assumed-role ARN or `AROA…:session` principal ID.
pub use compile::session_of;
pub(crate) use on_record::RecordFilter;
pub use parse::parse;
pub(crate) use time_value::parse_time;

use crate::model::store::{EventIdx, IndexedField, Store};
use crate::model::time::EventTime;
use compile::{compile, Matcher};
use field::Field;
pub use run::{Candidates, Screen};
use std::borrow::Cow;

/// Where a filter is wrong, in characters from the start, and why.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParseError {
    pub at: usize,
    pub len: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(at: usize, len: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            at,
            len,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at column {}: {}", self.at + 1, self.message)
    }
}

/// A filter ready to run against one store (its sets refer to that store's interned strings).
pub struct Compiled {
    matcher: Matcher,
    /// Events from an index, in storage order, when the filter pins an indexed field exactly.
    seed: Option<Seed>,
}

/// Where a pinned filter's answer lies.
struct Seed {
    rows: Vec<EventIdx>,
    /// The filter is the pinned term alone: every one of `rows` matches (a pivot), so no
    /// event needs testing. Otherwise the answer is those of `rows` the other terms pass.
    is_answer: bool,
}

impl Compiled {
    pub fn new(expr: &Expr, store: &Store, now: EventTime) -> Compiled {
        let matcher = compile(expr, store, now);
        let seed = index_seed(expr, &matcher, store);
        Compiled { matcher, seed }
    }

    /// For testing given events only (`select` with candidates): no index's list is copied
    /// as a starting point, which each batch of a load would otherwise pay for again.
    pub fn for_candidates(expr: &Expr, store: &Store, now: EventTime) -> Compiled {
        Compiled {
            matcher: compile(expr, store, now),
            seed: None,
        }
    }

    /// Matching events among `candidates` (or among all events), oldest first.
    pub fn select(&self, store: &Store, candidates: Option<&[EventIdx]>) -> Vec<EventIdx> {
        match &self.seed {
            Some(seed) if seed.is_answer && candidates.is_none() => {
                run::Scan::answered(store, &seed.rows).finish(store).0
            }
            seed => run::run(
                store,
                &self.matcher,
                candidates.or(seed.as_ref().map(|s| s.rows.as_slice())),
            ),
        }
    }

    /// A resumable scan, for the UI: `step` a slice at a time between keystrokes, starting
    /// at the screen's selected event.
    pub fn scan(&self, store: &Store, candidates: Option<Candidates>, screen: Screen) -> Scan {
        match &self.seed {
            Some(seed) if seed.is_answer && candidates.is_none() => {
                Scan(run::Scan::answered(store, &seed.rows))
            }
            seed => {
                let seed = seed.as_ref().map(|s| Candidates {
                    rows: &s.rows,
                    bits: None,
                });
                Scan(run::Scan::new(store, candidates.or(seed), screen))
            }
        }
    }

    /// Whether its tests read raw records (free text), which costs microseconds an event.
    pub fn reads_raw(&self) -> bool {
        self.matcher.reads_raw()
    }

    pub fn matches(&self, store: &Store, idx: EventIdx) -> bool {
        self.matcher.matches(store, idx)
    }
}

/// The time an `after:` / `before:` value means, `None` when it does not parse.
pub fn time_bound(value: &str, now: EventTime) -> Option<EventTime> {
    time_value::parse_time(value, now).ok()
}

/// Parses and runs in one go: for headless use and tests.
pub fn select(store: &Store, text: &str, now: EventTime) -> Result<Vec<EventIdx>, ParseError> {
    let expr = parse(text)?;
    Ok(Compiled::new(&expr, store, now).select(store, None))
}

/// When the filter is a conjunction holding `key:K`, `ip:A`, `event:=N` (exact), `portal:P` or
/// a `lineage:` chain, only those events can match: start from them instead of scanning
/// everything. When it is that term alone (a pivot), they are the answer.
fn index_seed(expr: &Expr, matcher: &Matcher, store: &Store) -> Option<Seed> {
    fn pinned<'a>(e: &Expr, m: &'a Matcher, store: &'a Store) -> Option<Cow<'a, [EventIdx]>> {
        match (e, m) {
            (
                Expr::Field {
                    field: Field::Key,
                    value,
                    ..
                },
                _,
            ) if !value.contains(['*', '?']) => {
                Some(store.lookup(IndexedField::AccessKey, value).into())
            }
            (
                Expr::Field {
                    field: Field::Ip,
                    value,
                    ..
                },
                _,
            ) if !value.contains(['*', '?', '/']) => {
                Some(store.lookup(IndexedField::SourceIp, value).into())
            }
            (
                Expr::Field {
                    field: Field::Event,
                    value,
                    exact: true,
                },
                _,
            ) => Some(store.lookup(IndexedField::EventName, value).into()),
            (
                Expr::Field {
                    field: Field::Portal,
                    value,
                    ..
                },
                _,
            ) if !value.contains(['*', '?']) => {
                Some(store.lookup(IndexedField::PortalSession, value).into())
            }
            // The chain was worked out once, by the compiler.
            (_, Matcher::Rows(rows)) => Some(rows.as_slice().into()),
            _ => None,
        }
    }
    let (hits, is_answer) = match (expr, matcher) {
        // `compile` keeps a conjunction's parts in order, so they pair up.
        (Expr::And(parts), Matcher::And(ms)) => {
            let hits = parts
                .iter()
                .zip(ms)
                .filter_map(|(e, m)| pinned(e, m, store))
                .min_by_key(|h| h.len())?;
            (hits, false)
        }
        // An index holds exactly the events whose field has the value, which is what the
        // term's matcher tests (one interned value in the same column): nothing to test.
        (e, m) => (pinned(e, m, store)?, true),
    };
    // In the index's order, storage order: what a scan visits in (`run::Scan::new`).
    Some(Seed {
        rows: hits.into_owned(),
        is_answer,
    })
}

/// A filter scan in progress (see `Compiled::scan`); steps with the filter that started it.
pub struct Scan(run::Scan);

impl Scan {
    pub fn step(&mut self, store: &Store, compiled: &Compiled, budget: usize) {
        self.0.step(store, &compiled.matcher, budget);
    }
    pub fn is_done(&self) -> bool {
        self.0.is_done()
    }
    /// The smallest slice worth a step; a scan's first slice is this size.
    pub fn slice_min(&self) -> usize {
        self.0.slice_min()
    }
    pub fn progress(&self) -> f64 {
        self.0.progress()
    }
    /// The rows around the selected event, once they are final (see `run::Scan::screen`).
    pub fn screen(&self, store: &Store) -> Option<Vec<EventIdx>> {
        self.0.screen(store)
    }
    pub fn finish(self, store: &Store) -> (Vec<EventIdx>, Vec<u64>) {
        self.0.finish(store)
    }
}
