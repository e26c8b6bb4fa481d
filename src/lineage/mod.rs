//! Credential lineage: which credentials minted which. An attacker with one key assumes a role
//! (a new ASIA… key), creates an access key for a backdoor user (a new AKIA… key), and so on;
//! following those edges is how an incident is walked from the first lead to the damage.
//!
//! Edges come from the events that hand out credentials (CLOUDTRAIL.md, "Credential lineage"):
//! STS `AssumeRole*`, `GetSessionToken`, `GetFederationToken` (the new key in
//! `responseElements.credentials`), IAM `CreateAccessKey` (`responseElements.accessKey`) and
//! Identity Center `GetRoleCredentials` (read when its response is recorded, else matched to
//! the `AWSReservedSSO_*` session that used the key: see `sso`). The parent is the
//! caller's own key, or, when the record has none (the role-side copy of a cross-account
//! AssumeRole, a console session), the caller's principal. Role chaining needs nothing more:
//! a session that assumes another role is the parent key of the next session.

mod sso;
mod tree;

pub use tree::{tree, TreeLine, MAX_LINES as MAX_TREE_LINES};

use crate::model::store::{EventIdx, IndexedField, Store};
use crate::model::time::EventTime;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Who holds credentials: an access key, or a principal acting without one on record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cred {
    Key(String),
    Principal(String),
}

impl Cred {
    /// Access keys look like `AKIA…` (long-term) or `ASIA…` (temporary); anything else names
    /// a principal (an ARN, or the principal key trailscope shows).
    pub fn parse(text: &str) -> Cred {
        let t = text.trim();
        let keyish = (16..=128).contains(&t.len())
            && ["AKIA", "ASIA", "ABIA", "ACCA"]
                .iter()
                .any(|p| t.starts_with(p))
            && t.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if keyish {
            Cred::Key(t.to_string())
        } else {
            Cred::Principal(t.to_string())
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Cred::Key(k) | Cred::Principal(k) => k,
        }
    }
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
    /// Inferred rather than read from the record (Identity Center grants: see `sso`).
    pub matched: bool,
}

#[derive(Default, Debug)]
pub struct Lineage {
    pub mints: Vec<Mint>,
    /// Minting events that succeeded but whose new credential could not be read (no
    /// `responseElements`, a shape not known): not in any tree, so the tree says how many.
    pub unread: usize,
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
        let recorded: HashSet<String> = lineage.mints.iter().map(|m| m.child.clone()).collect();
        for mint in sso::match_grants(store, grants, &recorded) {
            lineage.add(mint, &mut twins);
        }
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

    /// Every credential reachable downwards from `start`: for a principal, the keys it used
    /// and what they minted.
    pub fn reachable(&self, store: &Store, start: &Cred) -> BTreeSet<Cred> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        if let Cred::Principal(p) = start {
            todo.extend(keys_of_principal(store, p).into_iter().map(Cred::Key));
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
            match c {
                Cred::Key(k) => out.extend(store.lookup(IndexedField::AccessKey, k)),
                Cred::Principal(p) => out.extend(events_of_principal(store, p)),
            }
            if let Cred::Key(k) = c {
                out.extend(self.parents(k).map(|m| m.event));
            }
        }
        let mut rows: Vec<EventIdx> = out.into_iter().collect();
        rows.sort_by_key(|&i| (store.event(i).time, i));
        rows
    }
}

/// The credential an event was done with: its key, else its principal.
pub fn cred_of(store: &Store, idx: EventIdx) -> Cred {
    let e = store.event(idx);
    match e.identity.access_key_id {
        Some(k) => Cred::Key(store.text(Some(k)).to_string()),
        None => Cred::Principal(store.text(Some(e.principal)).to_string()),
    }
}

/// Events whose principal (stable key or ARN) is `p`.
fn events_of_principal<'a>(store: &'a Store, p: &str) -> &'a [EventIdx] {
    store.lookup(IndexedField::Principal, p)
}

pub(crate) fn keys_of_principal(store: &Store, p: &str) -> BTreeSet<String> {
    events_of_principal(store, p)
        .iter()
        .filter_map(|&i| store.event(i).identity.access_key_id)
        .map(|k| store.text(Some(k)).to_string())
        .collect()
}

/// The parts of a minting record that name the new credential. Deserialised into these few
/// fields (serde skips the rest without building it): several times faster than a
/// `serde_json::Value` of the whole record, which matters when a busy account has a hundred
/// thousand AssumeRole events.
#[derive(Deserialize)]
struct MintRecord {
    #[serde(rename = "responseElements")]
    response: Option<MintResponse>,
    /// Kept loose: its shape varies by API, and a surprise there must not hide the mint.
    #[serde(rename = "requestParameters")]
    request: Option<serde_json::Value>,
    #[serde(rename = "serviceEventDetails")]
    sso: Option<SsoDetails>,
}

/// What `GetRoleCredentials` records of the role it handed out.
#[derive(Deserialize)]
struct SsoDetails {
    account_id: Option<String>,
    role_name: Option<String>,
}

/// What a minting event gave: a key on record, or an Identity Center grant to match.
enum Minted {
    Key(Mint),
    Grant(sso::Grant),
}

#[derive(Deserialize)]
struct MintResponse {
    credentials: Option<KeyId>,
    #[serde(rename = "assumedRoleUser")]
    assumed_role_user: Option<Arn>,
    #[serde(rename = "federatedUser")]
    federated_user: Option<Arn>,
    #[serde(rename = "accessKey")]
    access_key: Option<KeyId>,
    #[serde(rename = "roleCredentials")]
    role_credentials: Option<KeyId>,
}

#[derive(Deserialize)]
struct KeyId {
    #[serde(rename = "accessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "userName")]
    user_name: Option<String>,
}

#[derive(Deserialize)]
struct Arn {
    arn: Option<String>,
}

/// The credential an event minted, if it did (and succeeded).
fn mint_of(store: &Store, idx: EventIdx) -> Option<Minted> {
    let e = store.event(idx);
    if e.is_error() || e.raw.is_empty() {
        return None;
    }
    let record: MintRecord = serde_json::from_str(&e.raw).ok()?;
    let role_key = record
        .response
        .as_ref()
        .and_then(|r| r.role_credentials.as_ref())
        .and_then(|k| k.access_key_id.as_ref());
    if let (None, Some(sso)) = (role_key, record.sso) {
        let text = |s| {
            Some(store.text(s))
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        return Some(Minted::Grant(sso::Grant {
            event: idx,
            time: e.time,
            account: sso.account_id?,
            role: sso.role_name?,
            user: text(e.identity.sign_in_name).or_else(|| text(e.identity.user_name)),
        }));
    }
    let resp = record.response?;
    let arn = |a: Option<Arn>| a.and_then(|a| a.arn);
    let (child, child_principal) = if let Some(k) = resp.credentials.and_then(|c| c.access_key_id) {
        (
            k,
            arn(resp.assumed_role_user).or_else(|| arn(resp.federated_user)),
        )
    } else if let Some(key) = resp.access_key {
        let user = key.user_name.or_else(|| {
            let name = record.request?.get("userName")?.as_str()?.to_string();
            Some(name)
        });
        (key.access_key_id?, user)
    } else {
        (resp.role_credentials?.access_key_id?, None)
    };
    Some(Minted::Key(Mint {
        event: idx,
        parent: cred_of(store, idx),
        child,
        child_principal,
        time: e.time,
        matched: false,
    }))
}
