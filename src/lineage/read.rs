//! What a minting event's record says it handed out: a key on record (STS, IAM, an Identity
//! Center response when it was recorded), or an Identity Center grant that names only the
//! account and role, to be matched to the session that used it (`sso`).

use super::cred::cred_of;
use super::sso::Grant;
use super::Mint;
use crate::model::store::{EventIdx, Store};
use serde::Deserialize;

/// Identity Center events that hand a role to a user without recording its key:
/// `GetRoleCredentials` (the CLI, SDKs, the portal's access keys) and `Federate` (the portal's
/// console link). Both come from `sso.amazonaws.com`.
const GRANTS: [&str; 2] = ["GetRoleCredentials", "Federate"];
const SSO_SOURCE: &str = "sso.amazonaws.com";

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

/// What `GetRoleCredentials` and `Federate` record of the role they handed out.
#[derive(Deserialize)]
struct SsoDetails {
    account_id: Option<String>,
    role_name: Option<String>,
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

/// What a minting event gave.
pub(super) enum Minted {
    Key(Mint),
    Grant(Grant),
}

/// The credential an event minted, if it did (and succeeded).
pub(super) fn mint_of(store: &Store, idx: EventIdx) -> Option<Minted> {
    let e = store.event(idx);
    if e.is_error() || e.raw.is_empty() {
        return None;
    }
    let record: MintRecord = serde_json::from_str(&e.raw.text()).ok()?;
    let role_key = record
        .response
        .as_ref()
        .and_then(|r| r.role_credentials.as_ref())
        .and_then(|k| k.access_key_id.as_ref());
    if role_key.is_none() && is_grant(store, idx) {
        return Some(Minted::Grant(grant(store, idx, record)));
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
        matched: None,
    }))
}

fn is_grant(store: &Store, idx: EventIdx) -> bool {
    let e = store.event(idx);
    GRANTS.contains(&store.text(e.name)) && store.text(e.source) == SSO_SOURCE
}

/// The grant's account and role, from `serviceEventDetails` (where Identity Center records
/// them) or else the request (`accountId`, `roleName`: the portal API's own parameters).
fn grant(store: &Store, idx: EventIdx, record: MintRecord) -> Grant {
    let e = store.event(idx);
    let request = |key: &str| {
        record
            .request
            .as_ref()
            .and_then(|r| r.get(key))
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let details = record.sso;
    let (account, role) = match details {
        Some(d) => (d.account_id, d.role_name),
        None => (None, None),
    };
    let text = |s| {
        Some(store.text(s))
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    Grant {
        event: idx,
        time: e.time,
        account: account
            .filter(|a| !a.is_empty())
            .or_else(|| request("accountId")),
        role: role
            .filter(|r| !r.is_empty())
            .or_else(|| request("roleName")),
        user: text(e.identity.sign_in_name).or_else(|| text(e.identity.user_name)),
        user_id: text(e.identity.on_behalf_of_user_id),
    }
}
