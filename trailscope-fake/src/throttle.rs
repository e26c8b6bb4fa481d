//! LookupEvents' limit: 2 requests per second per account and region. A token bucket per
//! (account, region), driven by the caller's clock so tests need no sleeps; each account can
//! have its own limit (`--account-rate`), as AWS quotas are per account.

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
    /// (account, region) → (tokens, last refill in ms)
    state: HashMap<(String, String), (f64, u64)>,
}

impl Buckets {
    /// Takes a token of `account` in `region` at `now_ms` ("" for a caller seeing every
    /// account); false means throttled.
    pub(crate) fn take(
        &mut self,
        limit: RateLimit,
        account: &str,
        region: &str,
        now_ms: u64,
    ) -> bool {
        let (tokens, last) = self
            .state
            .entry((account.to_string(), region.to_string()))
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
        let a = "111122223333";
        assert!(b.take(l, a, "us-east-1", 0));
        assert!(b.take(l, a, "us-east-1", 0));
        assert!(!b.take(l, a, "us-east-1", 100), "third within a second");
        assert!(b.take(l, a, "eu-west-1", 100), "regions are separate");
        assert!(b.take(l, a, "us-east-1", 600), "refilled after 500 ms");
        assert!(!b.take(l, a, "us-east-1", 700));
    }

    #[test]
    fn accounts_have_their_own_buckets_and_limits() {
        let mut b = Buckets::default();
        let slow = RateLimit {
            per_second: 0.5,
            burst: 1.0,
        };
        let fast = RateLimit::default();
        assert!(b.take(slow, "444455556666", "us-east-1", 0));
        assert!(
            !b.take(slow, "444455556666", "us-east-1", 1000),
            "0.5/s: 1 s is not enough"
        );
        assert!(
            b.take(fast, "111122223333", "us-east-1", 1000),
            "another account is not"
        );
        assert!(b.take(fast, "111122223333", "us-east-1", 1000));
        assert!(
            b.take(slow, "444455556666", "us-east-1", 2000),
            "refilled after 2 s"
        );
    }
}
