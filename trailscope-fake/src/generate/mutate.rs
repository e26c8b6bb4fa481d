//! Turns a copy of a template record into a new event: fresh IDs, its own time, and a caller,
//! key, IP, account and region from the pools. Only the fields that identify the event and
//! its caller change; what was done (requestParameters, resources…) stays as in the template.
//! One event's rewrites agree with each other: the ARN's account is the accountId, the
//! session issuer is the role in the ARN, the key belongs to that principal.

use super::pools::{Account, Pools, Principal};
use super::rng::Rng;
use serde_json::{Map, Value};
use std::net::IpAddr;

/// Where and when the event happens: fixed per output file (a delivery file holds one
/// account and region) except for the time.
pub(crate) struct Slot<'a> {
    pub(crate) account: &'a Account,
    pub(crate) region: &'a str,
    /// eventTime, already formatted.
    pub(crate) time: String,
    /// Seconds since the epoch, for times derived from it (session creation).
    pub(crate) secs: i64,
}

/// Rewrites `record` (a clone of a template object) in place.
pub(crate) fn rewrite(record: &mut Value, slot: &Slot, pools: &Pools, rng: &mut Rng) {
    let Some(rec) = record.as_object_mut() else {
        return;
    };
    set(rec, "eventID", Value::String(rng.uuid()));
    if let Some(Value::String(id)) = rec.get_mut("requestID") {
        // S3 and a few other services use 16 uppercase characters; keep each template's style.
        *id = if is_short_request_id(id) {
            rng.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16)
        } else {
            rng.uuid()
        };
    }
    if let Some(Value::String(id)) = rec.get_mut("sharedEventID") {
        *id = rng.uuid();
    }
    set(rec, "eventTime", Value::String(slot.time.clone()));
    set(rec, "awsRegion", Value::String(slot.region.to_string()));
    set(
        rec,
        "recipientAccountId",
        Value::String(slot.account.id.clone()),
    );
    if let Some(Value::String(ip)) = rec.get_mut("sourceIPAddress") {
        // Service principals ("s3.amazonaws.com", "AWS Internal") are kept: they are not
        // addresses, and real trails show them as they are.
        if ip.parse::<IpAddr>().is_ok() {
            ip.clone_from(rng.pick(&pools.ips));
        }
    }
    if let Some(Value::Object(who)) = rec.get_mut("userIdentity") {
        identity(who, slot, rng);
    }
}

fn is_short_request_id(id: &str) -> bool {
    id.len() == 16
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The caller types whose identity is rotated; everything else keeps its names.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    User,
    Role,
    Root,
    Other,
}

fn identity(who: &mut Map<String, Value>, slot: &Slot, rng: &mut Rng) {
    let account = slot.account;
    let kind = match who.get("type").and_then(Value::as_str) {
        Some("IAMUser") => Kind::User,
        // Service-linked roles (role/aws-service-role/…/AWSServiceRoleFor…) have the same name
        // in every account and belong to a service: renamed, they would stop looking like one.
        Some("AssumedRole") if is_service_linked(who) => Kind::Other,
        Some("AssumedRole") => Kind::Role,
        Some("Root") => Kind::Root,
        _ => Kind::Other,
    };
    // Which principal the event is now from (users and roles only).
    let principal: Option<&Principal> = match kind {
        Kind::User => Some(rng.pick(&account.users)),
        Kind::Role => Some(rng.pick(&account.roles)),
        Kind::Root | Kind::Other => None,
    };
    match (kind, principal) {
        (Kind::User, Some(user)) => {
            rewrite_arn(who, "arn", &account.id, Rename::Last(&user.name));
            set(who, "principalId", Value::String(user.id.clone()));
            set(who, "userName", Value::String(user.name.clone()));
        }
        (Kind::Role, Some(role)) => {
            rewrite_arn(who, "arn", &account.id, Rename::Second(&role.name));
            if let Some(Value::String(pid)) = who.get_mut("principalId") {
                // AROA…:session-name: the role's ID changes, the session name stays.
                *pid = match pid.split_once(':') {
                    Some((_, session)) => format!("{}:{session}", role.id),
                    None => role.id.clone(),
                };
            }
        }
        (Kind::Root, _) => {
            rewrite_arn(who, "arn", &account.id, Rename::Keep);
            set(who, "principalId", Value::String(account.id.clone()));
        }
        _ => {
            // Other callers (federated, web identity, service…) keep their names; only the
            // account inside their ARNs follows the event's account.
            for field in ["arn", "identityProvider", "principalId"] {
                rewrite_arn(who, field, &account.id, Rename::Keep);
            }
        }
    }
    if who.contains_key("accountId") {
        set(who, "accountId", Value::String(account.id.clone()));
    }
    if let Some(Value::String(key)) = who.get_mut("accessKeyId") {
        *key = access_key(key, principal, kind, account, rng);
    }
    if let Some(Value::Object(session)) = who.get_mut("sessionContext") {
        let role = principal.filter(|_| kind == Kind::Role);
        session_context(session, role, slot, rng);
    }
}

fn is_service_linked(who: &Map<String, Value>) -> bool {
    who.get("sessionContext")
        .and_then(|s| s.get("sessionIssuer"))
        .and_then(|i| i.get("arn"))
        .and_then(Value::as_str)
        .is_some_and(|arn| arn.contains(":role/aws-service-role/"))
}

/// A key from the principal's own keys (root's, or a random role's for other callers),
/// keeping the template's AKIA/ASIA kind: console and role sessions use ASIA keys even for
/// IAM users, so the template knows better than the identity type.
fn access_key(
    old: &str,
    principal: Option<&Principal>,
    kind: Kind,
    account: &Account,
    rng: &mut Rng,
) -> String {
    if old.is_empty() {
        return String::new();
    }
    let prefix = if old.starts_with("AKIA") {
        "AKIA"
    } else if old.starts_with("ASIA") {
        "ASIA"
    } else if kind == Kind::User {
        "AKIA"
    } else {
        "ASIA"
    };
    let keys = match (principal, kind) {
        (Some(p), _) => &p.keys,
        (None, Kind::Root) => &account.root_keys,
        (None, _) => &rng.pick(&account.roles).keys,
    };
    format!("{prefix}{}", rng.pick(keys))
}

fn session_context(
    session: &mut Map<String, Value>,
    role: Option<&Principal>,
    slot: &Slot,
    rng: &mut Rng,
) {
    if let Some(Value::Object(issuer)) = session.get_mut("sessionIssuer") {
        match role {
            Some(role) => {
                rewrite_arn(issuer, "arn", &slot.account.id, Rename::Last(&role.name));
                if issuer.contains_key("userName") {
                    set(issuer, "userName", Value::String(role.name.clone()));
                }
                if issuer.contains_key("principalId") {
                    set(issuer, "principalId", Value::String(role.id.clone()));
                }
            }
            None => rewrite_arn(issuer, "arn", &slot.account.id, Rename::Keep),
        }
        if issuer.contains_key("accountId") {
            set(issuer, "accountId", Value::String(slot.account.id.clone()));
        }
    }
    if let Some(Value::Object(attrs)) = session.get_mut("attributes") {
        if attrs.contains_key("creationDate") {
            // Sessions start before they are used: up to an hour before the event.
            let created = slot.secs - rng.below(3600) as i64;
            let text = super::clock::Civil::from_secs(created).iso();
            set(attrs, "creationDate", Value::String(text));
        }
    }
}

/// Which part of the ARN's resource names the principal.
#[derive(Copy, Clone)]
enum Rename<'a> {
    /// Only the account changes (root, federated, providers).
    Keep,
    /// user/[path/]NAME, role/[path/]NAME.
    Last(&'a str),
    /// assumed-role/NAME/session.
    Second(&'a str),
}

fn rewrite_arn(map: &mut Map<String, Value>, field: &str, account: &str, rename: Rename) {
    if let Some(Value::String(arn)) = map.get_mut(field) {
        if let Some(new) = arn_with(arn, account, rename) {
            *arn = new;
        }
    }
}

/// `arn:partition:service:region:account:resource` with a new account (when it had one) and
/// principal name; `None` when `arn` is not an ARN.
fn arn_with(arn: &str, account: &str, rename: Rename) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(old), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let account = if old.is_empty() { "" } else { account };
    let mut out = format!("arn:{partition}:{service}:{region}:{account}:");
    match rename {
        Rename::Keep => out.push_str(resource),
        Rename::Last(name) => match resource.rfind('/') {
            Some(i) => {
                out.push_str(&resource[..=i]);
                out.push_str(name);
            }
            None => out.push_str(resource),
        },
        Rename::Second(name) => {
            let mut segs = resource.splitn(3, '/');
            match (segs.next(), segs.next(), segs.next()) {
                (Some(first), Some(_), rest) => {
                    out.push_str(first);
                    out.push('/');
                    out.push_str(name);
                    if let Some(rest) = rest {
                        out.push('/');
                        out.push_str(rest);
                    }
                }
                _ => out.push_str(resource),
            }
        }
    }
    Some(out)
}

/// Replaces a field's value in place (keeping the template's key order), or adds it.
fn set(map: &mut Map<String, Value>, key: &str, value: Value) {
    match map.get_mut(key) {
        Some(slot) => *slot = value,
        None => {
            map.insert(key.to_string(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_are_rewritten_by_shape() {
        let a = "999988887777";
        assert_eq!(
            arn_with(
                "arn:aws:iam::111122223333:user/dev/carol",
                a,
                Rename::Last("bob")
            ),
            Some("arn:aws:iam::999988887777:user/dev/bob".into())
        );
        assert_eq!(
            arn_with(
                "arn:aws:sts::111122223333:assumed-role/eu-api/i-0c5",
                a,
                Rename::Second("web")
            ),
            Some("arn:aws:sts::999988887777:assumed-role/web/i-0c5".into())
        );
        assert_eq!(
            arn_with("arn:aws:iam::111122223333:root", a, Rename::Keep),
            Some("arn:aws:iam::999988887777:root".into())
        );
        assert_eq!(
            arn_with("arn:aws:s3:::bucket/key", a, Rename::Keep),
            Some("arn:aws:s3:::bucket/key".into())
        );
        assert_eq!(arn_with("not-an-arn", a, Rename::Keep), None);
    }
}
