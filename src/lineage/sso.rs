//! Identity Center hands out role credentials without recording them: `GetRoleCredentials`
//! names only the account and the permission set (`serviceEventDetails.account_id`,
//! `role_name`), and the key it minted first shows up on calls by an
//! `arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_<role>_<hash>/<user>` session. The edge
//! is therefore matched, not read: the same account and role, the same user where the grant
//! names one, and the key's first use soon after the grant. Lines built this way say so.

use super::Mint;
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use std::collections::{HashMap, HashSet};

/// Role credentials last at most 12 hours: a key first used later is not this grant's.
const LIFETIME_MS: i64 = 12 * 3600 * 1000;
/// Clocks of two services differ a little; a first use just before the grant still counts.
const SKEW_MS: i64 = 5 * 60 * 1000;

/// A `GetRoleCredentials` whose response was not recorded.
#[derive(Debug)]
pub(super) struct Grant {
    pub event: EventIdx,
    pub time: EventTime,
    pub account: String,
    pub role: String,
    /// The Identity Center user name, when the record has one.
    pub user: Option<String>,
}

/// One key used by an `AWSReservedSSO_*` session.
struct Session<'a> {
    account: &'a str,
    role: &'a str,
    user: &'a str,
    arn: &'a str,
    key: String,
    first: i64,
}

/// Edges for the grants that a session key can be matched to, each key claimed once, the
/// grants taken oldest first. `taken` holds keys whose minting is already on record.
pub(super) fn match_grants(
    store: &Store,
    mut grants: Vec<Grant>,
    taken: &HashSet<String>,
) -> Vec<Mint> {
    if grants.is_empty() {
        return Vec::new();
    }
    grants.sort_by_key(|g| (g.time, g.event));
    let mut sessions = sessions(store, taken);
    sessions.sort_by_key(|s| s.first);
    // Sessions by (account, role), each list in order of first use: a grant looks only at its
    // own role's sessions within its time window (a binary search), so thousands of grants
    // and sessions cost about as much as sorting them, not their product.
    let mut by_role: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, s) in sessions.iter().enumerate() {
        by_role.entry((s.account, s.role)).or_default().push(i);
    }
    let mut claimed = vec![false; sessions.len()];
    let mut mints = Vec::new();
    for g in grants {
        let Some(at) = g.time.millis() else { continue };
        let Some(candidates) = by_role.get(&(g.account.as_str(), g.role.as_str())) else {
            continue;
        };
        let from = candidates.partition_point(|&i| sessions[i].first < at - SKEW_MS);
        let found = candidates[from..]
            .iter()
            .take_while(|&&i| sessions[i].first <= at + LIFETIME_MS)
            .map(|&i| (i, &sessions[i]))
            .find(|(i, s)| {
                !claimed[*i]
                    && g.user
                        .as_deref()
                        .is_none_or(|u| u.eq_ignore_ascii_case(s.user))
            });
        if let Some((i, s)) = found {
            claimed[i] = true;
            mints.push(Mint {
                event: g.event,
                parent: super::cred_of(store, g.event),
                child: s.key.clone(),
                child_principal: Some(s.arn.to_string()),
                time: g.time,
                matched: true,
            });
        }
    }
    mints
}

/// Keys used by Identity Center role sessions, with their first use.
fn sessions<'a>(store: &'a Store, taken: &HashSet<String>) -> Vec<Session<'a>> {
    let mut out: Vec<Session> = Vec::new();
    for (arn, rows) in store.principals() {
        let Some((account, role, user)) = reserved_session(arn) else {
            continue;
        };
        // One role session's keys with their first use (a key per sign-in: many, so a map).
        let mut keys: HashMap<&str, i64> = HashMap::new();
        for &i in rows {
            let e = store.event(i);
            let (Some(k), Some(t)) = (e.identity.access_key_id, e.time.millis()) else {
                continue;
            };
            let first = keys.entry(store.text(Some(k))).or_insert(t);
            *first = (*first).min(t);
        }
        let mut keys: Vec<(&str, i64)> = keys.into_iter().collect();
        keys.sort_unstable();
        out.extend(
            keys.into_iter()
                .filter(|(k, _)| !taken.contains(*k))
                .map(|(key, first)| Session {
                    account,
                    role,
                    user,
                    arn,
                    key: key.to_string(),
                    first,
                }),
        );
    }
    out
}

/// `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123abcd/bob` →
/// (account, permission set, user).
pub(super) fn reserved_session(arn: &str) -> Option<(&str, &str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (arn_tag, _partition, service, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn_tag != "arn" || service != "sts" {
        return None;
    }
    let rest = resource.strip_prefix("assumed-role/AWSReservedSSO_")?;
    let (role_and_hash, user) = rest.split_once('/')?;
    let (role, _hash) = role_and_hash.rsplit_once('_')?;
    Some((account, role, user))
}

#[cfg(test)]
mod tests {
    use super::reserved_session;

    #[test]
    fn reserved_session_arns_are_split_and_others_refused() {
        assert_eq!(
            reserved_session(
                "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Power_User_0a1b2c3d/bob@example.com"
            ),
            Some(("111122223333", "Power_User", "bob@example.com"))
        );
        assert_eq!(
            reserved_session("arn:aws-cn:sts::111122223333:assumed-role/AWSReservedSSO_A_ff/x"),
            Some(("111122223333", "A", "x"))
        );
        assert_eq!(
            reserved_session("arn:aws:sts::1:assumed-role/Admin/x"),
            None
        );
        assert_eq!(
            reserved_session("arn:aws:iam::1:role/AWSReservedSSO_A_ff/x"),
            None
        );
        assert_eq!(reserved_session("AWSReservedSSO_A_ff/x"), None);
    }
}
