//! At most N accounts fetched at once (`--account-concurrency`): every region of an account
//! runs once the account is let in, and the next account waits until one is done. Each
//! account × region keeps its own pace (2 requests/s), so this bounds connections and STS
//! sessions, not the rate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Accounts let in, with how many of their regions are running.
pub struct AccountGate {
    limit: usize,
    running: Mutex<HashMap<String, usize>>,
    freed: Notify,
}

/// Held while one region of an account runs; dropping it lets the account out when it was
/// its last region.
pub struct Pass {
    gate: Arc<AccountGate>,
    account: String,
}

impl AccountGate {
    pub fn new(limit: usize) -> Arc<AccountGate> {
        Arc::new(AccountGate {
            limit: limit.max(1),
            running: Mutex::new(HashMap::new()),
            freed: Notify::new(),
        })
    }

    /// Waits until `account` may run: it already runs, or fewer than the limit do.
    pub async fn enter(self: &Arc<Self>, account: &str) -> Pass {
        loop {
            // Registered before looking, so a pass dropped in between still wakes this one.
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            if self.try_enter(account) {
                return Pass {
                    gate: self.clone(),
                    account: account.to_string(),
                };
            }
            freed.await;
        }
    }

    fn try_enter(&self, account: &str) -> bool {
        let Ok(mut running) = self.running.lock() else {
            // A panic elsewhere poisoned it: let everything through rather than hang.
            return true;
        };
        if let Some(n) = running.get_mut(account) {
            *n += 1;
            return true;
        }
        if running.len() < self.limit {
            running.insert(account.to_string(), 1);
            return true;
        }
        false
    }

    /// How many accounts run now.
    pub fn running(&self) -> usize {
        self.running.lock().map_or(0, |r| r.len())
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        if let Ok(mut running) = self.gate.running.lock() {
            if let Some(n) = running.get_mut(&self.account) {
                *n -= 1;
                if *n == 0 {
                    running.remove(&self.account);
                }
            }
        }
        self.gate.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_third_account_waits_for_one_of_two_to_finish() {
        let gate = AccountGate::new(2);
        let a1 = gate.enter("a").await;
        let a2 = gate.enter("a").await;
        let b = gate.enter("b").await;
        assert_eq!(gate.running(), 2);
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.enter("c").await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "c waits while a and b run");
        drop(a1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "a still runs one region");
        drop(a2);
        let c = tokio::time::timeout(Duration::from_secs(5), waiting).await;
        assert!(matches!(c, Ok(Ok(_))), "c runs once a is done");
        drop(b);
    }
}
