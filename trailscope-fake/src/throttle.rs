//! LookupEvents' limit: 2 requests per second per account and region. A token bucket per
//! region, driven by the caller's clock so tests need no sleeps.

use std::collections::HashMap;

#[derive(Clone, Copy, Debug)]
pub struct RateLimit {
    /// Requests per second, refilled continuously.
    pub per_second: f64,
    /// Requests allowed back to back after an idle spell.
    pub burst: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_second: 2.0,
            burst: 2.0,
        }
    }
}

#[derive(Default)]
pub(crate) struct Buckets {
    /// region → (tokens, last refill in ms)
    state: HashMap<String, (f64, u64)>,
}

impl Buckets {
    /// Takes a token for `region` at `now_ms`; false means throttled.
    pub(crate) fn take(&mut self, limit: RateLimit, region: &str, now_ms: u64) -> bool {
        let (tokens, last) = self
            .state
            .entry(region.to_string())
            .or_insert((limit.burst, now_ms));
        let elapsed = now_ms.saturating_sub(*last) as f64 / 1000.0;
        *tokens = (*tokens + elapsed * limit.per_second).min(limit.burst);
        *last = now_ms;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_per_second_per_region() {
        let mut b = Buckets::default();
        let l = RateLimit::default();
        assert!(b.take(l, "us-east-1", 0));
        assert!(b.take(l, "us-east-1", 0));
        assert!(!b.take(l, "us-east-1", 100), "third within a second");
        assert!(b.take(l, "eu-west-1", 100), "regions are separate");
        assert!(b.take(l, "us-east-1", 600), "refilled after 500 ms");
        assert!(!b.take(l, "us-east-1", 700));
    }
}
