//! From `--accounts`, `--role-name` and `--profiles` to the accounts a fetch reads, before
//! the first LookupEvents call: `all` asks AWS Organizations, IDs are checked, profile globs
//! are matched against the config files. Accounts Organizations lists as suspended or closed
//! are not asked, and said so.

use super::organization::{caller_account, list_accounts};
use super::{is_account_id, profiles, Via};
use crate::model::sanitize::visible;
use aws_config::SdkConfig;

/// What the command line asks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountsRequest {
    /// `all`, or account IDs; empty: the session's own account.
    pub accounts: Vec<String>,
    pub role: String,
    /// Profile names or globs.
    pub profiles: Vec<String>,
}

impl AccountsRequest {
    /// Whether more than the session's own account is asked for.
    pub fn wanted(&self) -> bool {
        !self.accounts.is_empty() || !self.profiles.is_empty()
    }

    /// Whether answering needs AWS (Organizations) or the config files.
    fn needs_lookup(&self) -> bool {
        self.profiles.iter().any(|p| p.contains(['*', '?'])) || self.is_all()
    }

    fn is_all(&self) -> bool {
        self.accounts.iter().any(|a| a.eq_ignore_ascii_case("all"))
    }
}

/// The accounts to read, and those named but left out (with why).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountList {
    pub accounts: Vec<Via>,
    /// (account, why it is not read): suspended or closed in Organizations.
    pub skipped: Vec<(String, String)>,
}

/// The accounts `req` names, checked without any call: IDs, `all` and plain profile names.
/// `Ok(None)` when `all` or a glob needs `resolve`.
pub fn without_calls(req: &AccountsRequest) -> Result<Option<AccountList>, String> {
    if !req.accounts.is_empty() && !req.profiles.is_empty() {
        return Err("--accounts assumes a role in each account, --profiles uses a profile per account: give one of them".to_string());
    }
    check_role(&req.role)?;
    if req.is_all() {
        if req.accounts.len() > 1 {
            return Err(
                "--accounts all already means every account: give `all` or IDs, not both"
                    .to_string(),
            );
        }
        return Ok(None);
    }
    if req.needs_lookup() {
        return Ok(None);
    }
    let mut list = AccountList::default();
    for id in req.accounts.iter().map(|a| a.trim()) {
        if !is_account_id(id) {
            return Err(format!(
                "--accounts {:?}: an account ID is 12 digits (or `all` for the organization's accounts)",
                visible(id)
            ));
        }
        push(
            &mut list.accounts,
            Via::Role {
                account: id.to_string(),
                role: req.role.clone(),
            },
        );
    }
    for p in &req.profiles {
        push(&mut list.accounts, Via::Profile(p.trim().to_string()));
    }
    if list.accounts.is_empty() {
        list.accounts.push(Via::Own);
    }
    Ok(Some(list))
}

/// The accounts `req` names, asking AWS Organizations (with `base`, the session's own
/// credentials, in `region`'s partition) or reading the config files when needed.
pub async fn resolve(
    req: &AccountsRequest,
    base: impl std::future::Future<Output = SdkConfig>,
    region: &str,
) -> Result<AccountList, String> {
    if let Some(list) = without_calls(req)? {
        return Ok(list);
    }
    if !req.profiles.is_empty() {
        let known = profiles::known().await?;
        let chosen = profiles::select(&req.profiles, &known)?;
        return Ok(AccountList {
            accounts: chosen.into_iter().map(Via::Profile).collect(),
            skipped: Vec::new(),
        });
    }
    let base = base.await;
    let org = list_accounts(&base, region).await?;
    let own = caller_account(&base, region).await;
    let mut list = AccountList::default();
    for a in org {
        if own.as_deref() == Some(a.id.as_str()) {
            // Its own credentials read it; "this account" on screen.
            push(&mut list.accounts, Via::Own);
        } else if a.is_active() {
            push(
                &mut list.accounts,
                Via::Role {
                    account: a.id,
                    role: req.role.clone(),
                },
            );
        } else {
            let why = format!(
                "{} in AWS Organizations: not read (its events stay in the organization trail's S3 bucket)",
                a.state
            );
            list.skipped.push((a.id, why));
        }
    }
    if list.accounts.is_empty() {
        return Err("AWS Organizations lists no active account".to_string());
    }
    Ok(list)
}

fn push(list: &mut Vec<Via>, via: Via) {
    if !list.contains(&via) {
        list.push(via);
    }
}

/// IAM role names: 1–64 characters of letters, digits and `+=,.@_-`.
fn check_role(role: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&role.len())
        && role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    match ok {
        true => Ok(()),
        false => Err(format!(
            "--role-name {:?} is not an IAM role name (1–64 letters, digits and +=,.@_-)",
            visible(role)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(accounts: &[&str], profiles: &[&str]) -> AccountsRequest {
        AccountsRequest {
            accounts: accounts.iter().map(|s| s.to_string()).collect(),
            role: super::super::DEFAULT_ROLE.to_string(),
            profiles: profiles.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn ids_are_checked_and_kept_in_order_once() {
        let got = without_calls(&req(&["444455556666", "111122223333", "444455556666"], &[]));
        let ids: Vec<String> = got
            .ok()
            .flatten()
            .map(|l| l.accounts.iter().map(|v| v.label().to_string()).collect())
            .unwrap_or_default();
        assert_eq!(ids, ["444455556666", "111122223333"]);
        let err = without_calls(&req(&["1234"], &[])).unwrap_err();
        assert!(err.contains("12 digits"), "{err}");
        assert_eq!(without_calls(&req(&["all"], &[])), Ok(None));
        assert_eq!(without_calls(&req(&[], &["prod-*"])), Ok(None));
        assert!(without_calls(&req(&["all", "111122223333"], &[])).is_err());
        assert!(without_calls(&req(&["111122223333"], &["a"])).is_err());
        let own = without_calls(&req(&[], &[]))
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(own.accounts, vec![Via::Own]);
        let mut bad = req(&["111122223333"], &[]);
        bad.role = "role/with/slashes".into();
        assert!(without_calls(&bad).unwrap_err().contains("--role-name"));
    }
}
