//! Identity Center hands out role credentials without recording them: `GetRoleCredentials`
//! (and the console's `Federate`) names only the account and the permission set
//! (`serviceEventDetails.account_id`, `role_name`, or the request's `accountId`, `roleName`),
//! and the key it minted first shows up on calls by an
//! `arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_<role>_<hash>/<user>` session. The edge
//! is therefore matched, not read, and says how:
//!
//! - by role and account: exactly one session key of that role in that account (and of that
//!   user, where the grant's user is known) is first used while the grant's credentials could
//!   be alive;
//! - by time: several are (or the grant names no role or account, only its user): the one
//!   first used soonest after the grant is taken.
//!
//! Every key is claimed once, the grants taken oldest first.

use super::{Matched, Mint};
use crate::model::intern::Sym;
use crate::model::store::{EventIdx, IndexedField, Store};
use crate::model::time::EventTime;
use std::collections::{HashMap, HashSet};

/// Role credentials last at most 12 hours: a key first used later is not this grant's.
const LIFETIME_MS: i64 = 12 * 3600 * 1000;
/// Clocks of two services differ a little; a first use just before the grant still counts.
const SKEW_MS: i64 = 5 * 60 * 1000;
/// What AWS writes for a name it will not show (a mistyped user name at sign-in).
const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// A `GetRoleCredentials` or `Federate` whose key was not recorded.
#[derive(Debug)]
pub(super) struct Grant {
    pub event: EventIdx,
    pub time: EventTime,
    pub account: Option<String>,
    pub role: Option<String>,
    /// The user's sign-in name, when the record has one (older records: `userName`).
    pub user: Option<String>,
    /// `onBehalfOf.userId`: the user's immutable ID (2025 records).
    pub user_id: Option<String>,
}

/// One key used by an `AWSReservedSSO_*` session.
struct Session<'a> {
    account: &'a str,
    role: &'a str,
    user: &'a str,
    /// `onBehalfOf.userId`, which some role sessions carry (trusted identity propagation).
    user_id: Option<&'a str>,
    arn: &'a str,
    key: String,
    first: i64,
}

/// Sessions grouped the ways a grant looks them up; each list in order of first use, so a
/// grant reads only its own time window (a binary search), and thousands of grants and
/// sessions cost about as much as sorting them, not their product.
struct Index<'a> {
    sessions: Vec<Session<'a>>,
    by_role: HashMap<(&'a str, &'a str), Vec<usize>>,
    by_role_and_user: HashMap<(&'a str, &'a str, String), Vec<usize>>,
    by_user: HashMap<String, Vec<usize>>,
}

/// Edges for the grants that a session key can be matched to. `taken` holds keys whose
/// minting is already on record (and so are not Identity Center's to give).
pub(super) fn match_grants(
    store: &Store,
    mut grants: Vec<Grant>,
    taken: &HashSet<String>,
) -> Vec<Mint> {
    if grants.is_empty() {
        return Vec::new();
    }
    grants.sort_by_key(|g| (g.time, g.event));
    let index = Index::new(sessions(store, taken));
    let mut names = KnownNames::default();
    let mut claimed = vec![false; index.sessions.len()];
    let mut mints = Vec::new();
    for g in grants {
        let Some(at) = g.time.millis() else { continue };
        let user = g.user.clone().or_else(|| names.of(store, g.event));
        let (list, exact) = match (&g.account, &g.role, &user) {
            (Some(a), Some(r), Some(u)) => (
                index
                    .by_role_and_user
                    .get(&(a.as_str(), r.as_str(), local_part(u))),
                true,
            ),
            (Some(a), Some(r), None) => (index.by_role.get(&(a.as_str(), r.as_str())), true),
            // No role or account to go by: the user's own sessions, by time alone. A grant
            // that names neither is not matched: any user's session would do.
            (_, _, Some(u)) => (index.by_user.get(&local_part(u)), false),
            (_, _, None) => (None, false),
        };
        let Some(list) = list else { continue };
        let fits = list
            .iter()
            .copied()
            .skip(list.partition_point(|&i| index.sessions[i].first < at - SKEW_MS))
            .take_while(|&i| index.sessions[i].first <= at + LIFETIME_MS)
            .filter(|&i| !claimed[i] && agrees(&g, user.as_deref(), &index.sessions[i]));
        // Two are enough to know whether the role and account decided it.
        let found: Vec<usize> = fits.take(2).collect();
        let (i, matched) = match found.as_slice() {
            [] => continue,
            [only] if exact => (*only, Matched::RoleAndAccount),
            [first, ..] => (*first, Matched::Time),
        };
        claimed[i] = true;
        let s = &index.sessions[i];
        mints.push(Mint {
            event: g.event,
            parent: super::cred::cred_of(store, g.event),
            child: s.key.clone(),
            child_principal: Some(s.arn.to_string()),
            time: g.time,
            matched: Some(matched),
        });
    }
    mints
}

impl<'a> Index<'a> {
    fn new(mut sessions: Vec<Session<'a>>) -> Index<'a> {
        sessions.sort_by_key(|s| s.first);
        let mut index = Index {
            sessions: Vec::new(),
            by_role: HashMap::new(),
            by_role_and_user: HashMap::new(),
            by_user: HashMap::new(),
        };
        for (i, s) in sessions.iter().enumerate() {
            let user = local_part(s.user);
            index
                .by_role
                .entry((s.account, s.role))
                .or_default()
                .push(i);
            index
                .by_role_and_user
                .entry((s.account, s.role, user.clone()))
                .or_default()
                .push(i);
            index.by_user.entry(user).or_default().push(i);
        }
        index.sessions = sessions;
        index
    }
}

/// Whether a session can be the grant's user's: the same user ID where both record one, the
/// same name where the grant has one.
fn agrees(g: &Grant, user: Option<&str>, s: &Session) -> bool {
    if let (Some(a), Some(b)) = (g.user_id.as_deref(), s.user_id) {
        return a == b;
    }
    user.is_none_or(|u| same_user(u, s.user))
}

/// A user's name as typed at sign-in and as the role session names them can differ in form:
/// AWS writes what the user typed (`anyuser`, `anyuser@company.com` or `company.com\anyuser`
/// for the same Active Directory user), the session carries the directory's user name.
fn same_user(typed: &str, session: &str) -> bool {
    let (a, b) = (bare(typed), bare(session));
    a == b || (a.contains('@') != b.contains('@') && local_part(&a) == local_part(&b))
}

/// Lowercase, without a `DOMAIN\` prefix.
fn bare(name: &str) -> String {
    name.rsplit('\\').next().unwrap_or(name).to_lowercase()
}

/// The part of a name before `@`, bare: what `same_user` can always compare, so it keys the
/// index.
fn local_part(name: &str) -> String {
    let bare = bare(name);
    match bare.split_once('@') {
        Some((local, _)) => local.to_string(),
        None => bare,
    }
}

/// Sign-in names learned per Identity Center user: since 2025 a grant carries only the user's
/// ID, and AWS records the name the user signed in with on their sign-in events
/// (`additionalEventData.UserName`), which share the grant's principal.
#[derive(Default)]
struct KnownNames {
    by_principal: HashMap<Sym, Option<String>>,
}

impl KnownNames {
    fn of(&mut self, store: &Store, grant: EventIdx) -> Option<String> {
        let principal = store.event(grant).principal;
        self.by_principal
            .entry(principal)
            .or_insert_with(|| {
                store
                    .lookup(IndexedField::Principal, store.text(Some(principal)))
                    .iter()
                    .filter_map(|&i| store.event(i).identity.sign_in_name)
                    .map(|s| store.text(Some(s)))
                    .find(|n| !n.is_empty() && *n != HIDDEN)
                    .map(str::to_string)
            })
            .clone()
    }
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
        let mut user_id = None;
        for &i in rows {
            let e = store.event(i);
            user_id = user_id.or(e.identity.on_behalf_of_user_id);
            let (Some(k), Some(t)) = (e.identity.access_key_id, e.time.millis()) else {
                continue;
            };
            let first = keys.entry(store.text(Some(k))).or_insert(t);
            *first = (*first).min(t);
        }
        let user_id = user_id.map(|s| store.text(Some(s)));
        let mut keys: Vec<(&str, i64)> = keys.into_iter().collect();
        keys.sort_unstable();
        out.extend(
            keys.into_iter()
                .filter(|(k, _)| !taken.contains(*k))
                .map(|(key, first)| Session {
                    account,
                    role,
                    user,
                    user_id,
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
    use super::{reserved_session, same_user};

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

    #[test]
    fn typed_names_match_the_directory_name_in_its_forms() {
        assert!(same_user("Alice@Example.com", "alice@example.com"));
        assert!(same_user("alice", "alice@example.com"));
        assert!(same_user("EXAMPLE\\alice", "alice@example.com"));
        assert!(!same_user("alice@other.example", "alice@example.com"));
        assert!(!same_user("bob", "alice@example.com"));
    }
}
