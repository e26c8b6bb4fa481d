//! Warnings as they arrive, bounded whatever the input: a gzip of a billion bad lines, two
//! million S3 objects that all fail the same way. The first few of each kind are kept and
//! named; the rest are counted onto the last one kept ("and K more like this"), so memory and
//! the overlay stay small and nothing is recounted per frame. Kept warnings are listed by input,
//! then position, then arrival: parallel readers finish in any order, a reader wants a stable
//! list.

use super::warning::{Severity, Warning};
use std::collections::HashMap;
use std::sync::Arc;

/// Kept per input and kind of reason: a bad line's first few tell what is wrong.
const PER_KIND: usize = 3;
/// Kept per input, whatever the reasons.
const PER_ORIGIN: usize = 20;
/// Kept per kind of reason across inputs (10,000 objects denied alike).
const PER_REASON: usize = 50;
/// Kept at all.
const MAX_KEPT: usize = 2_000;
/// Characters of a reason that make its kind (reasons can quote input).
const KIND_CHARS: usize = 80;

/// One kept warning and how many others like it were counted onto it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept<'a> {
    pub warning: &'a Warning,
    pub more: usize,
}

#[derive(Clone, Debug, Default)]
pub struct WarningLog {
    /// Sorted by (origin, location, arrival id).
    kept: Vec<(u64, Warning)>,
    /// Others counted onto a kept warning, by its id.
    more: HashMap<u64, usize>,
    /// Anchors for counting: the last kept of an (origin, kind), and of a kind anywhere.
    last_of_kind: HashMap<(Arc<str>, String), u64>,
    last_of_reason: HashMap<String, u64>,
    kept_per_kind: HashMap<(Arc<str>, String), usize>,
    kept_per_origin: HashMap<Arc<str>, usize>,
    kept_per_reason: HashMap<String, usize>,
    /// Warnings neither kept nor like a kept one.
    unlisted: usize,
    total: usize,
    problems: usize,
    next_id: u64,
}

impl WarningLog {
    pub fn push(&mut self, w: Warning) {
        let count = 1 + w.also;
        self.total += count;
        if w.severity == Severity::Problem {
            self.problems += count;
        }
        let kind = kind_of(&w.reason);
        let key = (w.origin.clone(), kind);
        let of_kind = self.last_of_kind.get(&key).copied();
        let full = self.kept.len() >= MAX_KEPT
            || self.kept_per_origin.get(&w.origin).copied().unwrap_or(0) >= PER_ORIGIN
            || self.kept_per_reason.get(&key.1).copied().unwrap_or(0) >= PER_REASON
            || self.kept_per_kind.get(&key).copied().unwrap_or(0) >= PER_KIND;
        if full {
            match of_kind.or_else(|| self.last_of_reason.get(&key.1).copied()) {
                Some(id) => *self.more.entry(id).or_default() += count,
                None => self.unlisted += count,
            }
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        *self.kept_per_origin.entry(w.origin.clone()).or_default() += 1;
        *self.kept_per_reason.entry(key.1.clone()).or_default() += 1;
        *self.kept_per_kind.entry(key.clone()).or_default() += 1;
        if w.also > 0 {
            self.more.insert(id, w.also);
        }
        self.last_of_reason.insert(key.1.clone(), id);
        self.last_of_kind.insert(key, id);
        // At most `MAX_KEPT` long: a sorted insert is cheap, and keeps listing free.
        let at = self
            .kept
            .partition_point(|(i, k)| order(k, *i) <= order(&w, id));
        self.kept.insert(at, (id, w));
    }

    /// Every warning received, kept or counted.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Problems received (not notes), kept or counted.
    pub fn problems(&self) -> usize {
        self.problems
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Rows the list shows: the kept warnings, and one more when some were not listed.
    pub fn rows(&self) -> usize {
        self.kept.len() + usize::from(self.unlisted > 0)
    }

    /// The kept warnings in order.
    pub fn kept(&self) -> impl Iterator<Item = Kept<'_>> {
        self.kept.iter().map(|(id, warning)| Kept {
            warning,
            more: self.more.get(id).copied().unwrap_or(0),
        })
    }

    /// Warnings counted but neither listed nor like a listed one.
    pub fn unlisted(&self) -> usize {
        self.unlisted
    }

    /// Each kept warning as text, with its count of others like it, then the unlisted count:
    /// what a failure message or `--warnings` prints (unsanitized: the caller's gate does).
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.kept()
            .map(|k| k.to_string())
            .chain((self.unlisted > 0).then(|| unlisted_line(self.unlisted)))
    }
}

/// The row that counts warnings not listed.
pub fn unlisted_line(n: usize) -> String {
    format!("… and {n} more warning(s) not listed (only the first of each kind are kept)")
}

impl std::fmt::Display for Kept<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.more {
            0 => write!(f, "{}", self.warning),
            n => write!(f, "{} (and {n} more like this)", self.warning),
        }
    }
}

impl Extend<Warning> for WarningLog {
    fn extend<I: IntoIterator<Item = Warning>>(&mut self, iter: I) {
        for w in iter {
            self.push(w);
        }
    }
}

impl FromIterator<Warning> for WarningLog {
    fn from_iter<I: IntoIterator<Item = Warning>>(iter: I) -> Self {
        let mut log = WarningLog::default();
        log.extend(iter);
        log
    }
}

fn order(w: &Warning, id: u64) -> (&str, super::warning::Location, u64) {
    (&w.origin, w.location, id)
}

/// A reason's kind: its words without the numbers in them (line, offset, sizes), cut short.
fn kind_of(reason: &str) -> String {
    kind_chars(reason).collect()
}

fn kind_chars(reason: &str) -> impl Iterator<Item = char> + '_ {
    reason
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(KIND_CHARS)
}

/// Whether two reasons are of one kind, without allocating (readers ask per bad line).
pub(crate) fn same_kind(a: &str, b: &str) -> bool {
    kind_chars(a).eq(kind_chars(b))
}

/// Warnings a reader sends for one input before it counts instead.
const SENT_PER_INPUT: usize = 20;
/// Kinds counted separately per input; past them, one count for the rest.
const HELD_KINDS: usize = 16;

/// One input's warnings as a reader raises them: the first few are sent, the rest counted per
/// kind and sent once at the input's end, as the first of each kind with `also` set. Memory
/// and messages stay bounded however many bad lines an input holds.
#[derive(Debug, Default)]
pub(crate) struct PerInput {
    sent: usize,
    held: Vec<Warning>,
}

impl PerInput {
    /// The warning to send now, or `None` when it was counted instead.
    pub(crate) fn admit(&mut self, w: Warning) -> Option<Warning> {
        if self.sent < SENT_PER_INPUT {
            self.sent += 1;
            return Some(w);
        }
        let held = self.held.len();
        match self
            .held
            .iter_mut()
            .find(|h| same_kind(&h.reason, &w.reason))
        {
            Some(h) => h.also += 1 + w.also,
            None if held < HELD_KINDS => self.held.push(w),
            // Kinds past the limit count onto the last one held: counted, not named.
            None => {
                if let Some(h) = self.held.last_mut() {
                    h.also += 1 + w.also;
                }
            }
        }
        None
    }

    /// At the input's end: what was counted, to send; ready for the next input.
    pub(crate) fn finish(&mut self) -> Vec<Warning> {
        self.sent = 0;
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::warning::Location;

    fn problem(origin: &str, line: usize, reason: &str) -> Warning {
        Warning::problem(&Arc::from(origin), Location::Line(line), reason)
    }

    #[test]
    fn a_billion_bad_lines_keep_a_few_and_count_the_rest() {
        let mut log = WarningLog::default();
        for n in 1..=100_000 {
            log.push(problem("bomb.gz", n, &format!("line {n}: not a record")));
        }
        assert_eq!(log.total(), 100_000);
        assert_eq!(log.problems(), 100_000);
        assert_eq!(log.rows(), PER_KIND);
        let last = log.kept().last().expect("kept");
        assert_eq!(last.more, 100_000 - PER_KIND);
        assert!(last.to_string().ends_with("(and 99997 more like this)"));
    }

    #[test]
    fn listed_by_input_then_position_whatever_the_arrival_order() {
        let a: WarningLog = [
            problem("b", 2, "x"),
            problem("a", 9, "y"),
            problem("b", 1, "z"),
        ]
        .into_iter()
        .collect();
        let b: WarningLog = [
            problem("b", 1, "z"),
            problem("b", 2, "x"),
            problem("a", 9, "y"),
        ]
        .into_iter()
        .collect();
        let lines = |l: &WarningLog| l.lines().collect::<Vec<_>>();
        assert_eq!(lines(&a), lines(&b));
        assert_eq!(lines(&a), vec!["a:9: y", "b:1: z", "b:2: x"]);
    }

    #[test]
    fn many_inputs_failing_alike_are_named_up_to_a_limit() {
        let mut log = WarningLog::default();
        for n in 0..10_000 {
            log.push(problem(
                &format!("s3://b/k{n:05}"),
                0,
                "AccessDenied: s3:GetObject",
            ));
        }
        assert_eq!(log.rows(), PER_REASON);
        let more: usize = log.kept().map(|k| k.more).sum();
        assert_eq!(more + PER_REASON, 10_000);
    }

    #[test]
    fn one_input_with_many_different_reasons_is_capped_and_the_rest_said() {
        let mut log = WarningLog::default();
        for n in 0..500 {
            let reason = format!(
                "unexpected field {}",
                "abcdefghijklmnopqrstuvwxyz"
                    .repeat(1 + n / 26)
                    .chars()
                    .skip(n)
                    .take(5)
                    .collect::<String>()
            );
            log.push(problem("one.json", n, &reason));
        }
        assert!(log.rows() <= PER_ORIGIN + 1, "{}", log.rows());
        assert_eq!(log.total(), 500);
        let counted: usize = log.kept().map(|k| 1 + k.more).sum::<usize>() + log.unlisted();
        assert_eq!(counted, 500, "every warning is kept, counted or unlisted");
        assert!(log.lines().last().is_some_and(|l| l.contains("not listed")));
    }

    #[test]
    fn a_reader_sends_a_few_per_input_and_counts_the_rest_exactly() {
        let mut per = PerInput::default();
        let mut sent: Vec<Warning> = (1..=1_000_000)
            .filter_map(|n| per.admit(problem("bomb", n, &format!("line {n}: not a record"))))
            .collect();
        sent.extend(per.finish());
        assert_eq!(sent.len(), SENT_PER_INPUT + 1);
        let log: WarningLog = sent.into_iter().collect();
        assert_eq!(log.total(), 1_000_000);
        assert_eq!(log.rows(), PER_KIND);
        assert!(per.finish().is_empty(), "ready for the next input");
    }
}
