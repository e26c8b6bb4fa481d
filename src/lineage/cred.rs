//! Who holds credentials, and which events each one did: an access key, an Identity Center
//! access-portal session, or a principal acting without either on record.

use crate::model::portal;
use crate::model::store::{EventIdx, IndexedField, Store};
use std::collections::BTreeSet;

/// A credential in the lineage graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cred {
    Key(String),
    /// An access-portal session (`userIdentity.credentialId`): what an Identity Center user
    /// signs in to, and what asks for role credentials.
    Portal(String),
    Principal(String),
}

/// How a portal session is written where a key or principal could be too (`--lineage`, the
/// tree): the filter field's own name, so the text can be pasted into a filter.
const PORTAL_PREFIX: &str = "portal:";
/// The filter field's alias, accepted too.
const CREDENTIAL_PREFIX: &str = "credential:";

impl Cred {
    /// Access keys look like `AKIA…` (long-term) or `ASIA…` (temporary); `portal:ID` (or
    /// `credential:ID`) names an access-portal session; anything else names a principal (an
    /// ARN, or the principal key trailscope shows).
    pub fn parse(text: &str) -> Cred {
        let t = text.trim();
        let keyish = (16..=128).contains(&t.len())
            && ["AKIA", "ASIA", "ABIA", "ACCA"]
                .iter()
                .any(|p| t.starts_with(p))
            && t.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if keyish {
            return Cred::Key(t.to_string());
        }
        let portal = t
            .strip_prefix(PORTAL_PREFIX)
            .or_else(|| t.strip_prefix(CREDENTIAL_PREFIX))
            .map(|id| id.trim_start_matches('=').trim());
        match portal {
            Some(id) if !id.is_empty() => Cred::Portal(id.to_string()),
            _ => Cred::Principal(t.to_string()),
        }
    }

    /// The value itself: the key, the session ID, the principal.
    pub fn text(&self) -> &str {
        match self {
            Cred::Key(k) | Cred::Portal(k) | Cred::Principal(k) => k,
        }
    }

    /// As a tree line shows it: a portal session says what it is, since its ID alone looks
    /// like neither a key nor a principal.
    pub fn label(&self) -> String {
        match self {
            Cred::Portal(id) => format!("{PORTAL_PREFIX}{id}"),
            other => other.text().to_string(),
        }
    }
}

/// The credential an event was done with: its key, else its access-portal session, else
/// its principal.
pub fn cred_of(store: &Store, idx: EventIdx) -> Cred {
    let e = store.event(idx);
    if let Some(k) = e.identity.access_key_id {
        return Cred::Key(store.text(Some(k)).to_string());
    }
    match portal::session_of(store, idx) {
        Some(session) => Cred::Portal(session.to_string()),
        None => Cred::Principal(store.text(Some(e.principal)).to_string()),
    }
}

/// The events done with `cred`: for a portal session, the sign-in that opened it too.
pub(super) fn events_of(store: &Store, cred: &Cred) -> Vec<EventIdx> {
    match cred {
        Cred::Key(k) => store.lookup(IndexedField::AccessKey, k).to_vec(),
        Cred::Portal(id) => portal::session_events(store, id),
        Cred::Principal(p) => events_of_principal(store, p).to_vec(),
    }
}

/// Events whose principal (stable key or ARN) is `p`.
pub(super) fn events_of_principal<'a>(store: &'a Store, p: &str) -> &'a [EventIdx] {
    store.lookup(IndexedField::Principal, p)
}

/// What a principal acted with: the keys it used and its portal sessions (read off its
/// calls; a sign-in's own `credentialId` names no session, see `model::portal`).
pub(super) fn creds_of_principal(store: &Store, p: &str) -> BTreeSet<Cred> {
    let mut out = BTreeSet::new();
    for &i in events_of_principal(store, p) {
        let e = store.event(i);
        if let Some(k) = e.identity.access_key_id {
            out.insert(Cred::Key(store.text(Some(k)).to_string()));
        } else if let Some(c) = e.identity.credential_id {
            if !portal::is_sign_in(store, e) {
                out.insert(Cred::Portal(store.text(Some(c)).to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Cred;

    #[test]
    fn keys_portal_sessions_and_principals_are_told_apart() {
        assert_eq!(
            Cred::parse(" ASIAXATTACKSESSION01 "),
            Cred::Key("ASIAXATTACKSESSION01".into())
        );
        assert_eq!(
            Cred::parse("portal:AAAAAExample_session-1"),
            Cred::Portal("AAAAAExample_session-1".into())
        );
        assert_eq!(Cred::parse("credential:=abc"), Cred::Portal("abc".into()));
        assert_eq!(Cred::parse("portal:"), Cred::Principal("portal:".into()));
        assert_eq!(
            Cred::parse("arn:aws:iam::111122223333:user/alice"),
            Cred::Principal("arn:aws:iam::111122223333:user/alice".into())
        );
        assert_eq!(Cred::Portal("abc".into()).label(), "portal:abc");
        assert_eq!(Cred::Portal("abc".into()).text(), "abc");
    }
}
