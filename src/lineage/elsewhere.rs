//! Accounts a credential tree walks into without their events: a role assumed in another
//! account is logged in both, but what its session then did is recorded only in the role's
//! account. When that account's events are not loaded, the tree ends there without a word;
//! this names those accounts so the app can offer to fetch them.

use super::TreeLine;
use crate::model::store::Store;

/// The 12-digit accounts the tree's credentials act in (their events' account, or the
/// account in the assumed-role ARN they act as) that no loaded event was recorded in, in
/// tree order, each once.
pub fn accounts_not_loaded(store: &Store, tree: &[TreeLine]) -> Vec<String> {
    let mut wanted: Vec<String> = Vec::new();
    for line in tree {
        let account = line
            .account
            .clone()
            .or_else(|| arn_account(&line.who).map(str::to_string));
        if let Some(a) = account.filter(|a| is_id(a)) {
            if !wanted.contains(&a) {
                wanted.push(a);
            }
        }
    }
    if wanted.is_empty() {
        return wanted;
    }
    // One pass over the events for every account asked about.
    let mut seen = vec![false; wanted.len()];
    for &i in store.time_order() {
        let here = store.text(store.event(i).account);
        if let Some(k) = wanted.iter().position(|a| a == here) {
            seen[k] = true;
            if seen.iter().all(|&s| s) {
                break;
            }
        }
    }
    wanted
        .into_iter()
        .zip(seen)
        .filter(|(_, seen)| !seen)
        .map(|(a, _)| a)
        .collect()
}

/// `arn:aws:sts::444455556666:assumed-role/…` → `444455556666`.
fn arn_account(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    rest.split(':').nth(3).filter(|a| !a.is_empty())
}

fn is_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::arn_account;

    #[test]
    fn the_account_of_an_assumed_role_arn() {
        let arn = "arn:aws:sts::444455556666:assumed-role/deploy/s";
        assert_eq!(arn_account(arn), Some("444455556666"));
        assert_eq!(arn_account("arn:aws:iam::aws:policy/x"), Some("aws"));
        assert_eq!(arn_account("deploy-sync"), None);
    }
}
