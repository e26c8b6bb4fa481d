//! Accounts across an organization. A LookupEvents session reads one account per set of
//! credentials (Event history shows the signed-in account only), so reading several means one
//! set each: a role assumed in every account (`--accounts`, `--role-name`), or a profile per
//! account (`--profiles`, for Granted, aws-vault or SSO users). `resolve` turns the flags into
//! the list, `organization` asks AWS Organizations for it, `role` assumes the role, `profiles`
//! lists the config file's profiles, and `gate` keeps to `--account-concurrency`.

pub mod gate;
pub mod organization;
pub mod profiles;
pub mod resolve;
pub mod role;

use serde::{Deserialize, Serialize};

/// The role `--accounts` assumes unless `--role-name` says otherwise: what AWS Organizations
/// creates in every account it creates.
pub const DEFAULT_ROLE: &str = "OrganizationAccountAccessRole";

/// Accounts fetched at once unless `--account-concurrency` says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How one account's events are reached. Never credentials: names only, so it can be saved.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Via {
    /// The session's own credentials (`--profile`, or the default chain).
    #[default]
    Own,
    /// `role` assumed in account `account` with the session's own credentials.
    Role { account: String, role: String },
    /// A profile of the AWS config file, with its own credential chain.
    Profile(String),
}

impl Via {
    /// What the account is called on screen and in progress lines: its ID, the profile's
    /// name, or "" for the session's own account.
    pub fn label(&self) -> &str {
        match self {
            Via::Own => "",
            Via::Role { account, .. } => account,
            Via::Profile(name) => name,
        }
    }

    /// The 12-digit account ID, when it is known before any call.
    pub fn account_id(&self) -> Option<&str> {
        match self {
            Via::Role { account, .. } => Some(account),
            _ => None,
        }
    }

    /// For provenance and `sessions list`: `role OrganizationAccountAccessRole in 111122223333`.
    pub fn describe(&self) -> String {
        match self {
            Via::Own => "the session's own credentials".to_string(),
            Via::Role { account, role } => format!("role {role} in {account}"),
            Via::Profile(name) => format!("profile {name}"),
        }
    }
}

/// A 12-digit AWS account ID.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}
