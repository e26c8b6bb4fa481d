//! `userIdentity` → who did it: a stable key (for grouping and pivots) and a short name a
//! human recognises, for every identity type CloudTrail writes.

use super::record::IdentityRecord;

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum PrincipalKind {
    IamUser,
    AssumedRole,
    Root,
    FederatedUser,
    AwsService,
    AwsAccount,
    SamlUser,
    WebIdentityUser,
    IdentityCenterUser,
    Unknown,
    /// No `userIdentity` at all (some service events).
    Missing,
    /// A type this version does not know yet; shown by its own name.
    Other,
}

impl PrincipalKind {
    pub fn from_type(t: Option<&str>) -> Self {
        match t {
            Some("IAMUser") => Self::IamUser,
            Some("AssumedRole") => Self::AssumedRole,
            Some("Root") => Self::Root,
            Some("FederatedUser") => Self::FederatedUser,
            Some("AWSService") => Self::AwsService,
            Some("AWSAccount") => Self::AwsAccount,
            Some("SAMLUser") => Self::SamlUser,
            Some("WebIdentityUser") => Self::WebIdentityUser,
            Some("IdentityCenterUser") => Self::IdentityCenterUser,
            Some("Unknown") => Self::Unknown,
            _ => Self::Other,
        }
    }
}

/// How an Identity Center user's principal key starts (`idc:<identity store ARN>:<user ID>`).
pub const IDC_PREFIX: &str = "idc:";

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// Stable across events of the same principal: what pivots and group-by use.
    pub key: String,
    /// What the table shows.
    pub name: String,
}

/// Resolves the principal of an event. `event_source` names the actor when there is no identity.
pub fn resolve(identity: Option<&IdentityRecord>, event_source: Option<&str>) -> Principal {
    let Some(id) = identity else {
        let name = event_source.unwrap_or("(no identity)").to_string();
        return Principal {
            kind: PrincipalKind::Missing,
            key: format!("none:{name}"),
            name,
        };
    };
    let kind = PrincipalKind::from_type(id.kind.as_deref());
    let (key, name) = match kind {
        PrincipalKind::IamUser => iam_user(id),
        PrincipalKind::AssumedRole => assumed_role(id),
        PrincipalKind::Root => root(id),
        PrincipalKind::FederatedUser => federated(id),
        PrincipalKind::AwsService => service(id, event_source),
        PrincipalKind::AwsAccount => account(id),
        PrincipalKind::SamlUser | PrincipalKind::WebIdentityUser => federation(id),
        PrincipalKind::IdentityCenterUser => identity_center(id),
        PrincipalKind::Unknown => unknown(id),
        PrincipalKind::Missing | PrincipalKind::Other => other(id),
    };
    Principal { kind, key, name }
}

fn s(v: &Option<Box<str>>) -> Option<&str> {
    v.as_deref().filter(|x| !x.is_empty())
}

/// The part of an ARN's resource after `prefix`, e.g. `user/` → `ci-deploy`.
fn arn_resource<'a>(arn: Option<&'a str>, prefix: &str) -> Option<&'a str> {
    let resource = arn?.splitn(6, ':').nth(5)?;
    resource.strip_prefix(prefix)
}

fn iam_user(id: &IdentityRecord) -> (String, String) {
    let name = s(&id.user_name)
        .or_else(|| arn_resource(s(&id.arn), "user/").map(|p| p.rsplit('/').next().unwrap_or(p)))
        .or(s(&id.principal_id))
        .unwrap_or("(unnamed user)");
    let key = match (s(&id.arn), s(&id.account_id)) {
        (Some(arn), _) => arn.to_string(),
        (None, Some(acct)) => format!("arn:aws:iam::{acct}:user/{name}"),
        (None, None) => format!("iam-user:{name}"),
    };
    (key, name.to_string())
}

fn assumed_role(id: &IdentityRecord) -> (String, String) {
    // assumed-role/ROLE/SESSION; roles with paths keep only their name, as AWS does in the ARN.
    if let Some(rest) = arn_resource(s(&id.arn), "assumed-role/") {
        return (s(&id.arn).unwrap_or_default().to_string(), rest.to_string());
    }
    let role = s(&id.issuer_name).or_else(|| {
        arn_resource(s(&id.issuer_arn), "role/").map(|r| r.rsplit('/').next().unwrap_or(r))
    });
    let session = s(&id.principal_id).and_then(|p| p.split_once(':').map(|(_, sess)| sess));
    let name = match (role, session) {
        (Some(r), Some(sess)) => format!("{r}/{sess}"),
        (Some(r), None) => r.to_string(),
        (None, _) => s(&id.principal_id)
            .unwrap_or("(unnamed role session)")
            .to_string(),
    };
    let key = s(&id.arn)
        .map(str::to_string)
        .unwrap_or_else(|| format!("assumed-role:{}", s(&id.principal_id).unwrap_or(&name)));
    (key, name)
}

fn root(id: &IdentityRecord) -> (String, String) {
    let acct = s(&id.account_id).or_else(|| s(&id.arn).and_then(|a| a.split(':').nth(4)));
    match acct {
        Some(a) => (format!("arn:aws:iam::{a}:root"), format!("root ({a})")),
        None => ("root".to_string(), "root".to_string()),
    }
}

fn federated(id: &IdentityRecord) -> (String, String) {
    let name = arn_resource(s(&id.arn), "federated-user/")
        .or(s(&id.principal_id))
        .unwrap_or("(unnamed federated user)");
    let key = s(&id.arn)
        .map(str::to_string)
        .unwrap_or_else(|| format!("federated:{name}"));
    (key, format!("federated:{name}"))
}

fn service(id: &IdentityRecord, event_source: Option<&str>) -> (String, String) {
    let name = s(&id.invoked_by)
        .or(event_source)
        .unwrap_or("(aws service)");
    (format!("service:{name}"), name.to_string())
}

fn account(id: &IdentityRecord) -> (String, String) {
    let acct = s(&id.account_id).unwrap_or("?");
    let key = match s(&id.principal_id) {
        Some(p) => format!("account:{acct}:{p}"),
        None => format!("account:{acct}"),
    };
    (key, format!("account {acct}"))
}

fn federation(id: &IdentityRecord) -> (String, String) {
    let prefix = if id.kind.as_deref() == Some("SAMLUser") {
        "saml"
    } else {
        "web"
    };
    let user = s(&id.user_name)
        .or(s(&id.principal_id))
        .unwrap_or("(unnamed)");
    let idp = s(&id.identity_provider).unwrap_or("?");
    (format!("{prefix}:{idp}:{user}"), format!("{prefix}:{user}"))
}

/// Keyed by the user's immutable ID in its identity store; named by the sign-in name AWS
/// records on sign-in events (`additionalEventData.UserName`), else the older `userName`,
/// else that ID: portal calls and grants carry no name since 2025.
fn identity_center(id: &IdentityRecord) -> (String, String) {
    let user = s(&id.on_behalf_of_user_id)
        .or(s(&id.principal_id))
        .unwrap_or("?");
    let store = s(&id.identity_store_arn).unwrap_or("?");
    let name = s(&id.sign_in_name).or(s(&id.user_name)).unwrap_or(user);
    (format!("{IDC_PREFIX}{store}:{user}"), format!("sso:{name}"))
}

fn unknown(id: &IdentityRecord) -> (String, String) {
    // An authenticated Identity Center user before the 2025 change (type `Unknown`, with
    // `onBehalfOf`): the same principal as the `IdentityCenterUser` events that followed, so a
    // pivot on the user spans the change (AWS: "workflows should accept both type values").
    if s(&id.on_behalf_of_user_id).is_some() {
        return identity_center(id);
    }
    // Failed sign-ins: AWS may hide the typed name as HIDDEN_DUE_TO_SECURITY_REASONS; show it as is.
    let name = s(&id.sign_in_name)
        .or(s(&id.user_name))
        .or(s(&id.principal_id))
        .unwrap_or("(unknown)");
    (format!("unknown:{name}"), format!("unknown:{name}"))
}

fn other(id: &IdentityRecord) -> (String, String) {
    let kind = s(&id.kind).unwrap_or("(no type)");
    let who = s(&id.arn)
        .or(s(&id.user_name))
        .or(s(&id.principal_id))
        .or(s(&id.invoked_by));
    match who {
        Some(w) => (format!("{kind}:{w}"), w.to_string()),
        None => (format!("type:{kind}"), kind.to_string()),
    }
}
