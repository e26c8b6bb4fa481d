//! Runs a matcher over candidate events, in slices (so the UI can read keys between them) and
//! split across cores. Events are visited in storage order, not time order: memory is then
//! read sequentially, and neighbours share a packed block of raw records (`model::raw`), which
//! is inflated once, not once per event. Results are gathered as bits over time positions, so
//! they come out in time order.
//!
//! A scan starts at the selected event and grows outward from it in storage order. Loaders
//! read a folder's files in delivery order (`source::walk`), so storage near an event is near
//! it in time too, and the rows around the selection are decided early: `Scan::screen` hands
//! them out as the first screen of the result while the rest is still being searched.

use super::compile::Matcher;
use crate::model::store::{EventIdx, Store};

/// Below this many events one thread is faster than starting more (a scoped thread costs tens
/// of microseconds; the UI's first slices are 16,384 events).
const PARALLEL_MIN: usize = 16_384;
/// The same for a candidate list: its events are scattered, one packed block of raw records
/// each, and free text inflates that block (tens of microseconds) for every one.
const PARALLEL_MIN_LIST: usize = 256;
/// The smallest slice worth a step, for every event and for a list. A list's first slices
/// are small for the same reason: 512 scattered candidates can take 10 ms.
const SLICE_MIN: usize = 1 << 14;
const SLICE_MIN_LIST: usize = 512;

/// Candidate lists shorter than this (or than an eighth of the store) are visited as a list;
/// longer ones by visiting every event and skipping the rest.
const LIST_MAX: usize = 50_000;

pub(crate) struct Scan {
    /// What is visited: storage indices `0..total`, or a candidate list in storage order.
    list: Option<Vec<EventIdx>>,
    /// Visited so far: `lo..hi` of the storage indices (or of the list).
    lo: usize,
    hi: usize,
    total: usize,
    /// Matches, as bits over time positions.
    found: Vec<u64>,
    /// Time positions whose answer is known: tested, or never a candidate.
    decided: Vec<u64>,
    window: Window,
}

/// The run of decided time positions around the selected event's, grown until it holds the
/// screen's rows each side (or reaches an end).
struct Window {
    /// Time positions `lo..hi` are decided; the run started at the selected event's.
    lo: usize,
    hi: usize,
    /// Matches before the selected event's position and from it on.
    before: usize,
    after: usize,
    /// Rows wanted each side; 0 when no one is looking.
    want: usize,
}

/// Events a scan is limited to: a list in any order (an index's, in storage order, or a
/// finished scan's result, in time order), and when the caller has it (`Scan::finish`), the
/// same as bits over time positions, which spares reading the list (40 MB at 10M events)
/// before the first slice.
#[derive(Clone, Copy)]
pub struct Candidates<'a> {
    pub rows: &'a [EventIdx],
    pub bits: Option<&'a [u64]>,
}

/// What the table shows: where a scan starts and what its first screen needs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Screen {
    /// The selected event (`None`: the view's first rows).
    pub anchor: Option<EventIdx>,
    /// Rows on screen; 0 when no first screen is wanted (a sorted view shows other rows
    /// first).
    pub rows: usize,
}

fn bit(bits: &[u64], p: usize) -> bool {
    bits.get(p / 64).is_some_and(|w| w & (1 << (p % 64)) != 0)
}

fn set(bits: &mut [u64], p: usize) {
    if let Some(w) = bits.get_mut(p / 64) {
        *w |= 1 << (p % 64);
    }
}

impl Scan {
    /// A scan of `candidates` (in time order), or of every event, starting at `around`'s
    /// event.
    pub(crate) fn new(store: &Store, candidates: Option<Candidates>, around: Screen) -> Scan {
        let n = store.len();
        let rank = store.time_rank();
        let words = n.div_ceil(64);
        let decided = match candidates {
            Some(c) if c.rows.len() < n => match c.bits.filter(|b| b.len() == words) {
                Some(bits) => complement(bits, n),
                None => not_candidates(store, c.rows),
            },
            _ => vec![0; words],
        };
        let candidates = candidates.map(|c| c.rows);
        // Copied only to visit as a list; a long candidate list is read once, into `decided`.
        let list = candidates
            .filter(|c| c.len() < LIST_MAX || c.len() * 8 < n)
            .map(|c| {
                let mut c = c.to_vec();
                // An index's list is in storage order already; a result in time order nearly.
                if !c.is_sorted() {
                    c.sort_unstable();
                }
                c
            });
        let at = around
            .anchor
            .and_then(|a| rank.get(a as usize))
            .map_or(0, |&p| p as usize);
        // The storage index where the visit starts: the selected event's (or its place in the
        // list).
        let start = store.time_order().get(at).copied().unwrap_or(0);
        let (start, total) = match &list {
            Some(c) => (c.partition_point(|&i| i < start), c.len()),
            None => (start as usize, n),
        };
        let mut scan = Scan {
            list,
            lo: start,
            hi: start,
            total,
            found: vec![0; words],
            decided,
            window: Window {
                lo: at,
                hi: at,
                before: 0,
                after: 0,
                want: around.rows,
            },
        };
        scan.window.grow(&scan.decided, &scan.found, n);
        scan
    }

    /// A scan already done: every one of `rows` matches and nothing else does (a filter
    /// that is one indexed value, such as a pivot).
    pub(crate) fn answered(store: &Store, rows: &[EventIdx]) -> Scan {
        let rank = store.time_rank();
        let mut found = vec![0; store.len().div_ceil(64)];
        for &i in rows {
            if let Some(&p) = rank.get(i as usize) {
                set(&mut found, p as usize);
            }
        }
        Scan {
            list: None,
            lo: 0,
            hi: 0,
            total: 0,
            found,
            decided: Vec::new(),
            window: Window {
                lo: 0,
                hi: 0,
                before: 0,
                after: 0,
                want: 0,
            },
        }
    }

    /// The smallest slice `step` should be given (a scan's first slice is this size).
    pub(crate) fn slice_min(&self) -> usize {
        match self.list {
            Some(_) => SLICE_MIN_LIST,
            None => SLICE_MIN,
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.hi - self.lo >= self.total
    }

    pub(crate) fn progress(&self) -> f64 {
        (self.hi - self.lo) as f64 / self.total.max(1) as f64
    }

    /// Tests up to `budget` more events: half after the visited run, half before it (all on
    /// one side once the other is done).
    pub(crate) fn step(&mut self, store: &Store, matcher: &Matcher, budget: usize) {
        if matcher.is_never() {
            self.lo = 0;
            self.hi = self.total;
            return;
        }
        let after = budget.div_ceil(2).min(self.total - self.hi);
        let before = (budget - after).min(self.lo);
        let after = budget.saturating_sub(before).min(self.total - self.hi);
        let ranges = [self.hi..self.hi + after, self.lo - before..self.lo];
        self.hi += after;
        self.lo -= before;
        let rank = store.time_rank();
        let mut visited: Vec<EventIdx> = Vec::with_capacity(after + before);
        for r in ranges {
            match &self.list {
                Some(c) => visited.extend_from_slice(&c[r]),
                None => visited.extend(r.start as EventIdx..r.end as EventIdx),
            }
        }
        let decided = &self.decided;
        let min = match self.list {
            Some(_) => PARALLEL_MIN_LIST,
            None => PARALLEL_MIN,
        };
        let positions = parallel(&visited, min, |part| {
            part.iter()
                .filter_map(|&i| {
                    let p = *rank.get(i as usize)? as usize;
                    (!bit(decided, p) && matcher.matches(store, i)).then_some(p as u32)
                })
                .collect()
        });
        for p in positions {
            set(&mut self.found, p as usize);
        }
        // Only the window reads what was decided, and only until it is full (candidates that
        // are not visited twice need no mark).
        if !self.window.is_full(store.len()) {
            for &i in &visited {
                if let Some(&p) = rank.get(i as usize) {
                    set(&mut self.decided, p as usize);
                }
            }
            self.window.grow(&self.decided, &self.found, store.len());
        }
    }

    /// The first screen of the result, oldest first, once every position around the
    /// selected event is decided (the screen's rows each side, or up to an end): these rows
    /// are the complete result's there. `None` until then, and when no screen was asked for.
    pub(crate) fn screen(&self, store: &Store) -> Option<Vec<EventIdx>> {
        let w = &self.window;
        if w.want == 0 || !w.is_full(store.len()) {
            return None;
        }
        let order = store.time_order();
        Some(
            (w.lo..w.hi)
                .filter(|&p| bit(&self.found, p))
                .filter_map(|p| order.get(p).copied())
                .collect(),
        )
    }

    /// The matching events, oldest first, and the same as bits over time positions (for a
    /// narrowing scan's `Candidates`, while the store is unchanged).
    pub(crate) fn finish(self, store: &Store) -> (Vec<EventIdx>, Vec<u64>) {
        let order = store.time_order();
        // Sized first: an answer of 100,000s of events is otherwise copied at every doubling.
        let count = self.found.iter().map(|w| w.count_ones() as usize).sum();
        let mut out = Vec::with_capacity(count);
        for (w, &word) in self.found.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                if let Some(&i) = order.get(w * 64 + bits.trailing_zeros() as usize) {
                    out.push(i);
                }
                bits &= bits - 1;
            }
        }
        (out, self.found)
    }
}

/// `bits` over `n` positions, inverted.
fn complement(bits: &[u64], n: usize) -> Vec<u64> {
    let mut out: Vec<u64> = bits.iter().map(|w| !w).collect();
    if n % 64 != 0 {
        if let Some(last) = out.last_mut() {
            *last &= (1 << (n % 64)) - 1;
        }
    }
    out
}

/// Bits over time positions, set for every event that is not a candidate: those are decided
/// (not in the result) before the scan starts.
fn not_candidates(store: &Store, candidates: &[EventIdx]) -> Vec<u64> {
    let n = store.len();
    let rank = store.time_rank();
    let mut bits = vec![u64::MAX; n.div_ceil(64)];
    if n % 64 != 0 {
        if let Some(last) = bits.last_mut() {
            *last = (1 << (n % 64)) - 1;
        }
    }
    for &i in candidates {
        if let Some(&p) = rank.get(i as usize) {
            if let Some(w) = bits.get_mut(p as usize / 64) {
                *w &= !(1 << (p % 64));
            }
        }
    }
    bits
}

impl Window {
    fn is_full(&self, n: usize) -> bool {
        self.want == 0
            || (self.before >= self.want || self.lo == 0)
                && (self.after >= self.want || self.hi >= n)
    }

    /// Takes in the decided positions next to the run, up to the screen's rows each side.
    fn grow(&mut self, decided: &[u64], found: &[u64], n: usize) {
        if self.want == 0 {
            return;
        }
        while self.after < self.want && self.hi < n && bit(decided, self.hi) {
            self.after += usize::from(bit(found, self.hi));
            self.hi += 1;
        }
        while self.before < self.want && self.lo > 0 && bit(decided, self.lo - 1) {
            self.lo -= 1;
            self.before += usize::from(bit(found, self.lo));
        }
    }
}

/// Maps `work` over `items` split across cores (when there are `min` items or more),
/// concatenating results in order.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    min: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < min {
        return work(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| (part, s.spawn(move || work(part))))
            .collect();
        let mut out = Vec::new();
        for (part, h) in handles {
            // A panicking worker is a bug; still answer, on this thread.
            out.extend(h.join().unwrap_or_else(|_| work(part)));
        }
        out
    })
}

/// Candidate lists this many times shorter than the store are tested as a list and sorted
/// into time order, not gathered as bits over every time position: the rules and the view
/// take each batch of a load this way, and bits cost a pass over the whole store per batch
/// (a fifth of the UI thread's time through a 10M load).
const SHORT_LIST: usize = 32;

/// The matching candidates in one go (headless use, and each batch of a load).
pub(crate) fn run(
    store: &Store,
    matcher: &Matcher,
    candidates: Option<&[EventIdx]>,
) -> Vec<EventIdx> {
    if let Some(rows) = candidates.filter(|c| c.len().saturating_mul(SHORT_LIST) < store.len()) {
        return run_short(store, matcher, rows);
    }
    let candidates = candidates.map(|rows| Candidates { rows, bits: None });
    let mut scan = Scan::new(store, candidates, Screen::default());
    scan.step(store, matcher, usize::MAX);
    scan.finish(store).0
}

/// `run` over a short candidate list: tested in storage order (neighbours share a packed
/// block of raw records), then put in time order. Each candidate counts once.
fn run_short(store: &Store, matcher: &Matcher, rows: &[EventIdx]) -> Vec<EventIdx> {
    if matcher.is_never() {
        return Vec::new();
    }
    let n = store.len();
    let mut list: Vec<EventIdx> = rows.iter().copied().filter(|&i| (i as usize) < n).collect();
    list.sort_unstable();
    list.dedup();
    // Threads only for free text: a column test over a batch takes less than starting one.
    let min = match matcher.reads_raw() {
        true => PARALLEL_MIN_LIST,
        false => PARALLEL_MIN,
    };
    let mut out = parallel(&list, min, |part| {
        part.iter()
            .copied()
            .filter(|&i| matcher.matches(store, i))
            .collect()
    });
    let rank = store.time_rank();
    out.sort_unstable_by_key(|&i| rank.get(i as usize).copied().unwrap_or(u32::MAX));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::compile::compile;
    use crate::filter::parse;
    use crate::model::parse::parse_text;
    use crate::model::time::EventTime;

    /// 400 events whose times are not in storage order.
    fn store() -> Store {
        let records: Vec<String> = (0..400)
            .map(|n| {
                let second = (n * 37) % 400;
                format!(
                    r#"{{"eventTime":"2024-05-01T10:{:02}:{:02}Z","eventSource":"s3.amazonaws.com","eventName":"{}","sourceIPAddress":"10.0.0.{}","eventID":"e{n}","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u{}"}}}}"#,
                    second / 60,
                    second % 60,
                    ["GetObject", "DeleteObject", "PutObject"][n % 3],
                    n % 5,
                    n % 7,
                )
            })
            .collect();
        let text = format!("{{\"Records\":[{}]}}", records.join(","));
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&std::sync::Arc::from("t"), &text, &mut sink);
        let mut store = Store::default();
        store.insert_batch(sink.0);
        store
    }

    #[test]
    fn a_short_candidate_list_gives_what_the_bits_give() {
        let store = store();
        let now = EventTime::from_millis(1_717_200_000_000);
        for text in [
            "event:Delete*",
            "ip:10.0.0.3",
            "\"putobject\"",
            "-event:Get*",
            "u3",
        ] {
            let matcher = compile(&parse(text).unwrap(), &store, now);
            // Unsorted, with a repeat and an index past the store: each counts once, in time
            // order.
            let rows: Vec<EventIdx> = vec![9, 3, 250, 3, 77, 0, 399, 12, 5000];
            let short = run_short(&store, &matcher, &rows);
            let mut scan = Scan::new(
                &store,
                Some(Candidates {
                    rows: &rows[..rows.len() - 1],
                    bits: None,
                }),
                Screen::default(),
            );
            scan.step(&store, &matcher, usize::MAX);
            assert_eq!(short, scan.finish(&store).0, "{text}");
            let rank = store.time_rank();
            assert!(short
                .windows(2)
                .all(|w| rank[w[0] as usize] < rank[w[1] as usize]));
            let expected = rows
                .iter()
                .filter(|&&i| i < 400 && matcher.matches(&store, i))
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            assert_eq!(short.len(), expected, "{text}");
            assert!(
                !short.is_empty() || text == "ip:10.0.0.3",
                "{text}: something matches"
            );
        }
    }
}
