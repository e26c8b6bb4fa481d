//! A role assumed in another account: STS AssumeRole with the session's own credentials, the
//! session named for trailscope and who ran it (the target account's CloudTrail records it),
//! and assumed again before the credentials run out. Its failures are explained in words,
//! and reach the fetch as themselves (`AssumeFailed`), not as "no credentials".

use super::super::pager::{credentials_problem, innermost};
use aws_config::SdkConfig;
use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Credentials this close to their end are renewed first: a page in flight must not carry
/// credentials that expire on the way.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

/// Why a role could not be assumed, in words with the next step.
#[derive(Debug)]
pub struct AssumeFailed(pub String);

impl std::fmt::Display for AssumeFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AssumeFailed {}

/// Credentials for `role` in `account`, assumed on first use and renewed before they expire.
#[derive(Debug)]
pub struct AssumedRole {
    client: aws_sdk_sts::Client,
    account: String,
    role: String,
    role_arn: String,
    session_name: String,
    held: Mutex<Option<Credentials>>,
}

impl AssumedRole {
    /// With the session's own credentials (`base`), calling STS in `region`.
    pub fn new(base: &SdkConfig, region: &str, account: &str, role: &str) -> AssumedRole {
        let config = aws_sdk_sts::config::Builder::from(base)
            .region(aws_config::Region::new(region.to_string()))
            .build();
        AssumedRole {
            client: aws_sdk_sts::Client::from_conf(config),
            account: account.to_string(),
            role: role.to_string(),
            role_arn: format!("arn:{}:iam::{account}:role/{role}", partition(region)),
            session_name: session_name(),
            held: Mutex::new(None),
        }
    }

    /// Current credentials: those held while they last, else a new AssumeRole.
    pub async fn current(&self) -> Result<Credentials, String> {
        let held = self.held.lock().ok().and_then(|h| h.clone());
        if let Some(c) = held.filter(lasting) {
            return Ok(c);
        }
        let fresh = self.assume().await?;
        if let Ok(mut h) = self.held.lock() {
            *h = Some(fresh.clone());
        }
        Ok(fresh)
    }

    async fn assume(&self) -> Result<Credentials, String> {
        let answer = self
            .client
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .send()
            .await
            .map_err(|e| self.explain(&e))?;
        let Some(c) = answer.credentials() else {
            return Err(format!(
                "STS answered AssumeRole for {} without credentials",
                self.role_arn
            ));
        };
        let expiry = SystemTime::try_from(*c.expiration()).ok();
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            expiry,
            "trailscope-assume-role",
        ))
    }

    fn explain<E, R>(&self, err: &SdkError<E, R>) -> String
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + 'static,
    {
        let (role, account) = (&self.role, &self.account);
        if let Some(why) = credentials_problem(err) {
            return format!("cannot assume {role} in {account}: {why}");
        }
        let code = err.as_service_error().and_then(|e| e.code());
        let message = err
            .as_service_error()
            .and_then(|e| e.message())
            .unwrap_or("");
        let check = format!(
            "check with `aws sts assume-role --role-arn {} --role-session-name test`",
            self.role_arn
        );
        match code {
            Some("AccessDenied" | "AccessDeniedException") => format!(
                "cannot assume {role} in {account} (AccessDenied: {message}): the role may not exist there, its trust policy may not allow you, or an SCP denies it; --role-name names another role; {check}"
            ),
            Some("ExpiredToken" | "ExpiredTokenException") => format!(
                "cannot assume {role} in {account}: your own credentials expired ({message}); refresh them (`aws sso login`, a new `aws-vault exec`), then m resumes"
            ),
            Some("RegionDisabledException") => format!(
                "cannot assume {role} in {account}: STS is not activated in this region ({message})"
            ),
            Some(code) => format!("cannot assume {role} in {account} ({code}: {message}); {check}"),
            None => format!(
                "cannot reach STS to assume {role} in {account} (network, VPN or endpoint): {}",
                innermost(err)
            ),
        }
    }
}

impl ProvideCredentials for AssumedRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let result: provider::Result = self
                .current()
                .await
                .map_err(|why| CredentialsError::provider_error(AssumeFailed(why)));
            result
        })
    }
}

fn lasting(c: &Credentials) -> bool {
    c.expiry()
        .is_none_or(|end| end > SystemTime::now() + RENEW_BEFORE)
}

/// The ARN partition of a region.
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// `trailscope-<user>`: the target account's CloudTrail shows who ran trailscope there. STS
/// allows 2–64 characters of letters, digits and `+=,.@_-`; anything else becomes `_`.
pub fn session_name() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    session_name_for(&user)
}

fn session_name_for(user: &str) -> String {
    let clean: String = user
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) => c,
            _ => '_',
        })
        .collect();
    let name = match clean.is_empty() {
        true => "trailscope".to_string(),
        false => format!("trailscope-{clean}"),
    };
    name.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_name_says_trailscope_and_who_within_sts_rules() {
        assert_eq!(session_name_for("alice"), "trailscope-alice");
        assert_eq!(session_name_for(""), "trailscope");
        assert_eq!(session_name_for("ali ce/ü"), "trailscope-ali_ce__");
        let long = session_name_for(&"x".repeat(200));
        assert_eq!(long.len(), 64);
        assert_eq!(partition("cn-north-1"), "aws-cn");
        assert_eq!(partition("eu-west-1"), "aws");
    }
}
