//! Credential lineage: which credentials minted which. An attacker with one key assumes a role
//! (a new ASIA… key), creates an access key for a backdoor user (a new AKIA… key), and so on;
//! following those edges is how an incident is walked from the first lead to the damage.
//!
//! Edges come from the events that hand out credentials (CLOUDTRAIL.md, "Credential lineage"):
//! STS `AssumeRole*`, `GetSessionToken`, `GetFederationToken` (the new key in
//! `responseElements.credentials`), IAM `CreateAccessKey` (`responseElements.accessKey`) and
//! Identity Center `GetRoleCredentials` and `Federate` (read when the response is recorded,
//! else matched to the `AWSReservedSSO_*` session that used the key: see `sso`). The parent is
//! the caller's own key; else its Identity Center access-portal session (`credentialId`), so a
//! portal session is the parent of the role credentials it asked for; else, when the record
//! has neither (the role-side copy of a cross-account AssumeRole, a console session), the
//! caller's principal. Role chaining needs nothing more: a session that assumes another role
//! is the parent key of the next session.

mod cred;
mod elsewhere;
mod read;
mod sso;
mod tree;

pub use cred::{cred_of, Cred};
pub use elsewhere::accounts_not_loaded;
pub use tree::{tree, TreeLine, MAX_LINES as MAX_TREE_LINES};

use crate::model::store::{EventIdx, IndexedField, Store};
use crate::model::time::EventTime;
use read::{mint_of, Minted};
use std::collections::{BTreeSet, HashMap, HashSet};

/// How an edge that was not read from a record was matched (Identity Center grants: see `sso`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Matched {
    /// Only one session of the grant's role in the grant's account (and of its user) fits.
    RoleAndAccount,
    /// Several fit, or the grant names no role or account: the soonest used after it.
    Time,
}

/// One credential handed out.
#[derive(Clone, Debug)]
pub struct Mint {
    /// The event that minted it.
    pub event: EventIdx,
    pub parent: Cred,
    /// The new access key.
    pub child: String,
    /// Who the new key acts as: the assumed-role session ARN, or the user given a key.
    pub child_principal: Option<String>,
    pub time: EventTime,
    /// Inferred rather than read from the record, and how.
    pub matched: Option<Matched>,
}

#[derive(Default, Debug)]
pub struct Lineage {
    pub mints: Vec<Mint>,
    /// Minting events that succeeded but whose new credential could not be read (no
    /// `responseElements`, a shape not known): not in any tree, so the tree says how many.
    pub unread: usize,
    /// Identity Center grants no role session among the loaded events could be matched to.
    pub unmatched: usize,
    by_parent: HashMap<Cred, Vec<usize>>,
    by_child: HashMap<String, Vec<usize>>,
}

/// Event names that hand out credentials; their responses are read from the raw record.
const MINTING: &[&str] = &[
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "AssumeRoot",
    "GetSessionToken",
    "GetFederationToken",
    "CreateAccessKey",
    "GetRoleCredentials",
    "Federate",
];

impl Lineage {
    /// Reads every minting event in the store (only those are parsed again).
    pub fn build(store: &Store) -> Lineage {
        let mut lineage = Lineage::default();
        let mut twins = HashMap::new();
        let mut grants = Vec::new();
        for name in MINTING {
            for &idx in store.lookup(IndexedField::EventName, name) {
                match mint_of(store, idx) {
                    Some(Minted::Key(mint)) => lineage.add(mint, &mut twins),
                    Some(Minted::Grant(grant)) => grants.push(grant),
                    None if !store.event(idx).is_error() => lineage.unread += 1,
                    None => {}
                }
            }
        }
        // Identity Center mints a role session's key through AssumeRoleWithSAML in the member
        // account, so the key may be on record there, its caller the SAML provider's user.
        // That copy stays matchable, and gives way to the grant it is matched to: the grant
        // names who asked (the portal session), the SAML copy only the mechanism.
        let recorded: HashSet<String> = lineage
            .mints
            .iter()
            .filter(|m| !is_identity_center_saml(store, m))
            .map(|m| m.child.clone())
            .collect();
        let total = grants.len();
        let matched = sso::match_grants(store, grants, &recorded);
        lineage.unmatched = total - matched.len();
        let granted: HashSet<String> = matched.iter().map(|m| m.child.clone()).collect();
        lineage
            .mints
            .retain(|m| !(granted.contains(&m.child) && is_identity_center_saml(store, m)));
        // A grant is recorded once (no cross-account twin), and its key by nothing else now.
        lineage.mints.extend(matched);
        lineage
            .mints
            .sort_by(|a, b| (a.time, &a.child).cmp(&(b.time, &b.child)));
        lineage.reindex();
        lineage
    }

    /// A cross-account AssumeRole is recorded in both accounts: keep one edge per new key
    /// and event time, preferring the copy whose parent is a key (the more specific one).
    fn add(&mut self, mint: Mint, twins: &mut HashMap<(String, EventTime), usize>) {
        match twins.get(&(mint.child.clone(), mint.time)) {
            Some(&i) => {
                let t = &mut self.mints[i];
                if matches!(t.parent, Cred::Principal(_)) && matches!(mint.parent, Cred::Key(_)) {
                    *t = mint;
                }
            }
            None => {
                twins.insert((mint.child.clone(), mint.time), self.mints.len());
                self.mints.push(mint);
            }
        }
    }

    fn reindex(&mut self) {
        self.by_parent.clear();
        self.by_child.clear();
        for (i, m) in self.mints.iter().enumerate() {
            self.by_parent.entry(m.parent.clone()).or_default().push(i);
            self.by_child.entry(m.child.clone()).or_default().push(i);
        }
    }

    /// Credentials minted by `cred`, oldest first.
    pub fn children(&self, cred: &Cred) -> impl Iterator<Item = &Mint> {
        self.by_parent
            .get(cred)
            .into_iter()
            .flatten()
            .map(|&i| &self.mints[i])
    }

    /// How `key` was minted (normally once).
    pub fn parents(&self, key: &str) -> impl Iterator<Item = &Mint> {
        self.by_child
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.mints[i])
    }

    /// Every credential reachable downwards from `start`: for a principal, the keys and
    /// portal sessions it used and what they minted.
    pub fn reachable(&self, store: &Store, start: &Cred) -> BTreeSet<Cred> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        if let Cred::Principal(p) = start {
            todo.extend(cred::creds_of_principal(store, p));
        }
        while let Some(c) = todo.pop() {
            if !seen.insert(c.clone()) {
                continue;
            }
            todo.extend(self.children(&c).map(|m| Cred::Key(m.child.clone())));
        }
        seen
    }

    /// The events done with any of `creds` and the events that minted them, in time order.
    pub fn events(&self, store: &Store, creds: &BTreeSet<Cred>) -> Vec<EventIdx> {
        let mut out: BTreeSet<EventIdx> = BTreeSet::new();
        for c in creds {
            out.extend(cred::events_of(store, c));
            if let Cred::Key(k) = c {
                out.extend(self.parents(k).map(|m| m.event));
            }
        }
        let mut rows: Vec<EventIdx> = out.into_iter().collect();
        rows.sort_by_key(|&i| (store.event(i).time, i));
        rows
    }
}

/// A key Identity Center minted for a role session, as STS recorded it in the member account.
fn is_identity_center_saml(store: &Store, m: &Mint) -> bool {
    store.text(store.event(m.event).name) == "AssumeRoleWithSAML"
        && m.child_principal
            .as_deref()
            .and_then(sso::reserved_session)
            .is_some()
}
