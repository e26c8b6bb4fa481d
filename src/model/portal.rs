//! Identity Center access-portal sessions. Since 2025 every call a user makes in the AWS access
//! portal or through the CLI (`ListAccounts`, `ListAccountRoles`, `GetRoleCredentials`…)
//! carries `userIdentity.credentialId`, the portal session's ID: one session, one value.
//!
//! The sign-in that opened a session does not share it. AWS: "You can't use `credentialId` to
//! correlate sign-in events to the subsequent events… The value of the `credentialId` field
//! emitted in sign-in events has internal use" (IAM Identity Center user guide, "CloudTrail
//! use cases"). Sign-in steps are tied together by `additionalEventData.AuthWorkflowID`
//! instead, and to the session only by who and when: the user's last successful
//! `UserAuthentication` shortly before the session's first call. That link is inferred here,
//! in one place, so every reader (the portal pivot, lineage) infers it the same way.

use super::event::Event;
use super::store::{EventIdx, IndexedField, Store};
use super::time::EventTime;

/// Where Identity Center (and every other AWS sign-in) records its sign-in steps.
pub(crate) const SIGN_IN_SOURCE: &str = "signin.amazonaws.com";

/// The sign-in steps of one workflow, in the order AWS documents them.
const SIGN_IN_STEPS: [&str; 3] = [
    "CredentialChallenge",
    "CredentialVerification",
    "UserAuthentication",
];

/// A session's first call follows its sign-in within this long: the portal lists the
/// user's accounts at once, and `aws sso login` waits for the user to approve the device in
/// a browser, which takes minutes, not hours.
const OPENING_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Two services' clocks differ a little: a first call stamped just before the sign-in still
/// belongs to it.
const SKEW_MS: i64 = 60 * 1000;

/// The sign-in that opened a portal session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Opening<'a> {
    /// The successful `UserAuthentication`.
    pub authentication: EventIdx,
    /// Its workflow (`AuthWorkflowID`), which names every step of that sign-in.
    pub workflow: Option<&'a str>,
    /// The steps of that sign-in (the authentication among them), oldest first.
    pub steps: Vec<EventIdx>,
}

/// Whether the event is a sign-in step rather than a call made in a session.
pub(crate) fn is_sign_in(store: &Store, e: &Event) -> bool {
    store.text(e.source) == SIGN_IN_SOURCE
}

fn text(store: &Store, sym: Option<super::intern::Sym>) -> Option<&str> {
    Some(store.text(sym)).filter(|t| !t.is_empty())
}

/// The portal session an event belongs to: its `credentialId`, except that a sign-in step
/// belongs to the session it opened (when one is in the store), its own value otherwise.
pub(crate) fn session_of(store: &Store, idx: EventIdx) -> Option<&str> {
    let e = store.event(idx);
    let own = text(store, e.identity.credential_id);
    if is_sign_in(store, e) {
        return opened_by_sign_in(store, idx).or(own);
    }
    own
}

/// The events of portal session `credential` and the sign-in that opened it, oldest first.
pub(crate) fn session_events(store: &Store, credential: &str) -> Vec<EventIdx> {
    let mut rows = store
        .lookup(IndexedField::PortalSession, credential)
        .to_vec();
    if let Some(opening) = opening(store, credential) {
        rows.extend(opening.steps);
    }
    rows.sort_by_key(|&i| (store.event(i).time, i));
    rows.dedup();
    rows
}

/// The sign-in that opened `credential`: the user's last successful `UserAuthentication` at
/// most `OPENING_WINDOW_MS` before the session's first call, with the steps of its workflow.
pub(crate) fn opening<'a>(store: &'a Store, credential: &str) -> Option<Opening<'a>> {
    let (start, user) = session_start(store, credential)?;
    let authentication = store
        .lookup(IndexedField::EventName, "UserAuthentication")
        .iter()
        .copied()
        .filter(|&i| {
            let e = store.event(i);
            let at = e.time.millis();
            is_sign_in(store, e)
                && !e.is_error()
                && text(store, e.identity.on_behalf_of_user_id) == Some(user)
                && at.is_some_and(|t| t >= start - OPENING_WINDOW_MS && t <= start + SKEW_MS)
        })
        .max_by_key(|&i| (store.event(i).time, i))?;
    let workflow = text(store, store.event(authentication).identity.auth_workflow);
    let mut steps: Vec<EventIdx> = match workflow {
        Some(w) => SIGN_IN_STEPS
            .iter()
            .flat_map(|name| store.lookup(IndexedField::EventName, name))
            .copied()
            .filter(|&i| {
                let e = store.event(i);
                is_sign_in(store, e) && text(store, e.identity.auth_workflow) == Some(w)
            })
            .collect(),
        None => vec![authentication],
    };
    steps.sort_by_key(|&i| (store.event(i).time, i));
    Some(Opening {
        authentication,
        workflow,
        steps,
    })
}

/// When a session's first call (not a sign-in step) was made, and by which user ID.
fn session_start<'a>(store: &'a Store, credential: &str) -> Option<(i64, &'a str)> {
    let calls = store
        .lookup(IndexedField::PortalSession, credential)
        .iter()
        .map(|&i| store.event(i))
        .filter(|e| !is_sign_in(store, e));
    let mut start: Option<i64> = None;
    let mut user = None;
    for e in calls {
        if let Some(t) = e.time.millis() {
            start = Some(start.map_or(t, |s| s.min(t)));
        }
        user = user.or_else(|| text(store, e.identity.on_behalf_of_user_id));
    }
    Some((start?, user?))
}

/// The portal session a sign-in step opened: among the sessions of the same user whose first
/// call follows that sign-in's authentication closely, the first one `opening` agrees on.
fn opened_by_sign_in(store: &Store, idx: EventIdx) -> Option<&str> {
    let e = store.event(idx);
    let authentication = authentication_of(store, idx)?;
    let at = store.event(authentication).time.millis()?;
    let mut sessions: Vec<(EventTime, &str)> = store
        .lookup(IndexedField::Principal, store.text(Some(e.principal)))
        .iter()
        .map(|&i| store.event(i))
        .filter(|c| !is_sign_in(store, c))
        .filter(|c| {
            c.time
                .millis()
                .is_some_and(|t| t >= at - SKEW_MS && t <= at + OPENING_WINDOW_MS)
        })
        .filter_map(|c| Some((c.time, text(store, c.identity.credential_id)?)))
        .collect();
    sessions.sort();
    sessions
        .into_iter()
        .map(|(_, c)| c)
        .find(|c| opening(store, c).is_some_and(|o| o.authentication == authentication))
}

/// The successful `UserAuthentication` that ended the sign-in `idx` is a step of.
fn authentication_of(store: &Store, idx: EventIdx) -> Option<EventIdx> {
    let e = store.event(idx);
    if store.text(e.name) == "UserAuthentication" {
        return (!e.is_error()).then_some(idx);
    }
    let workflow = text(store, e.identity.auth_workflow)?;
    store
        .lookup(IndexedField::EventName, "UserAuthentication")
        .iter()
        .copied()
        .find(|&i| {
            let a = store.event(i);
            is_sign_in(store, a)
                && !a.is_error()
                && text(store, a.identity.auth_workflow) == Some(workflow)
        })
}
