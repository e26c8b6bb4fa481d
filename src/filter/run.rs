//! Runs a matcher over candidate events, in slices (so the UI can read keys between them) and
//! split across cores. Large candidate sets are visited in storage order, not time order:
//! memory is then read sequentially, where a time-ordered walk would wait on a cache miss per
//! event. Results are gathered as bits over time positions, so they come out in time order.

use super::compile::Matcher;
use crate::model::store::{EventIdx, Store};

/// Below this many events one thread is faster than starting more (a scoped thread costs tens
/// of microseconds; the UI's first slices are 16,384 events).
const PARALLEL_MIN: usize = 16_384;

/// Candidate lists shorter than this (or than an eighth of the store) are visited as a list;
/// longer ones as bits over a scan of every event.
const LIST_MAX: usize = 50_000;

pub(crate) struct Scan {
    mode: Mode,
    /// How far the scan has got: storage index (Storage) or candidate number (List).
    next: usize,
    total: usize,
}

enum Mode {
    /// Every event in storage order; `wanted` limits it to candidates (by time position).
    Storage {
        wanted: Option<Vec<u64>>,
        found: Vec<u64>,
    },
    /// A short candidate list, visited in storage order: neighbours in storage share a packed
    /// block of raw records (`model::raw`), which is then inflated once, not once per visit.
    List {
        candidates: Vec<EventIdx>,
        found: Vec<EventIdx>,
    },
}

impl Scan {
    /// A scan of `candidates` (in time order), or of every event.
    pub(crate) fn new(store: &Store, candidates: Option<Vec<EventIdx>>) -> Scan {
        let n = store.len();
        match candidates {
            Some(mut c) if c.len() < LIST_MAX || c.len() * 8 < n => {
                c.sort_unstable();
                Scan {
                    next: 0,
                    total: c.len(),
                    mode: Mode::List {
                        candidates: c,
                        found: Vec::new(),
                    },
                }
            }
            candidates => {
                let wanted = candidates.filter(|c| c.len() < n).map(|c| {
                    let rank = store.time_rank();
                    let mut bits = vec![0u64; n.div_ceil(64)];
                    for i in c {
                        let p = rank[i as usize] as usize;
                        bits[p / 64] |= 1 << (p % 64);
                    }
                    bits
                });
                Scan {
                    next: 0,
                    total: n,
                    mode: Mode::Storage {
                        wanted,
                        found: vec![0; n.div_ceil(64)],
                    },
                }
            }
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.next >= self.total
    }

    pub(crate) fn progress(&self) -> f64 {
        self.next as f64 / self.total.max(1) as f64
    }

    /// Tests up to `budget` more events.
    pub(crate) fn step(&mut self, store: &Store, matcher: &Matcher, budget: usize) {
        let from = self.next;
        let to = from.saturating_add(budget).min(self.total);
        self.next = to;
        if matcher.is_never() {
            self.next = self.total;
            return;
        }
        match &mut self.mode {
            Mode::List { candidates, found } => {
                found.extend(parallel(&candidates[from..to], |part| {
                    part.iter()
                        .copied()
                        .filter(|&i| matcher.matches(store, i))
                        .collect()
                }));
            }
            Mode::Storage { wanted, found } => {
                let rank = store.time_rank();
                let wanted = wanted.as_deref();
                let indices: Vec<u32> = (from as u32..to as u32).collect();
                let positions = parallel(&indices, |part| {
                    part.iter()
                        .filter_map(|&i| {
                            let p = rank[i as usize] as usize;
                            let in_view = wanted.is_none_or(|w| w[p / 64] & (1 << (p % 64)) != 0);
                            (in_view && matcher.matches(store, i)).then_some(p as u32)
                        })
                        .collect()
                });
                for p in positions {
                    let p = p as usize;
                    found[p / 64] |= 1 << (p % 64);
                }
            }
        }
    }

    /// The matching events, oldest first.
    pub(crate) fn finish(self, store: &Store) -> Vec<EventIdx> {
        match self.mode {
            Mode::List { mut found, .. } => {
                let rank = store.time_rank();
                found.sort_unstable_by_key(|&i| rank.get(i as usize).copied().unwrap_or(u32::MAX));
                found
            }
            Mode::Storage { found, .. } => {
                let order = store.time_order();
                let mut out = Vec::new();
                for (w, &word) in found.iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        out.push(order[w * 64 + bits.trailing_zeros() as usize]);
                        bits &= bits - 1;
                    }
                }
                out
            }
        }
    }
}

/// Maps `work` over `items` split across cores, concatenating results in order.
fn parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < PARALLEL_MIN {
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

/// The matching candidates in one go (headless use).
pub(crate) fn run(
    store: &Store,
    matcher: &Matcher,
    candidates: Option<Vec<EventIdx>>,
) -> Vec<EventIdx> {
    let mut scan = Scan::new(store, candidates);
    scan.step(store, matcher, usize::MAX);
    scan.finish(store)
}
