//! Runs a matcher over candidate events, split across cores: per-event work is a few bit tests
//! (or a memchr scan for free text), so a million events is a memory-bandwidth job.

use super::compile::Matcher;
use crate::model::store::{EventIdx, Store};

/// Below this many candidates one thread is faster than starting more.
const PARALLEL_MIN: usize = 50_000;

/// The candidates that match, in the candidates' order.
pub(crate) fn run(store: &Store, matcher: &Matcher, candidates: &[EventIdx]) -> Vec<EventIdx> {
    if matcher.is_never() {
        return Vec::new();
    }
    if let Matcher::Const(true) = matcher {
        return candidates.to_vec();
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || candidates.len() < PARALLEL_MIN {
        return scan(store, matcher, candidates);
    }
    let chunk = candidates.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| s.spawn(move || scan(store, matcher, part)))
            .collect();
        let mut out = Vec::new();
        for (h, part) in handles.into_iter().zip(candidates.chunks(chunk)) {
            match h.join() {
                Ok(found) => out.extend(found),
                // A panicking worker is a bug; still answer, on this thread.
                Err(_) => out.extend(scan(store, matcher, part)),
            }
        }
        out
    })
}

fn scan(store: &Store, matcher: &Matcher, candidates: &[EventIdx]) -> Vec<EventIdx> {
    candidates
        .iter()
        .copied()
        .filter(|&i| matcher.matches(store.event(i)))
        .collect()
}
