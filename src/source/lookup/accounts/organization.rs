//! `--accounts all`: the organization's accounts from AWS Organizations' ListAccounts (20 a
//! page, every page until NextToken is gone, since a page may come back empty with more to
//! follow). Only the management account or a delegated administrator may ask; anyone else
//! is told so, with the way around (name the accounts, or a profile per account).

use super::super::pager::{backoff, credentials_problem, innermost, Jitter};
use aws_config::SdkConfig;
use aws_sdk_organizations::error::{ProvideErrorMetadata, SdkError};
use std::time::Duration;

/// An account of the organization, as ListAccounts describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`… (State, or the older Status).
    pub state: String,
}

impl OrgAccount {
    /// Whether CloudTrail can still be read there.
    pub fn is_active(&self) -> bool {
        self.state.is_empty() || self.state == "ACTIVE"
    }
}

/// Throttled pages retried before giving up (Organizations allows a few calls a second).
const MAX_THROTTLES: u32 = 5;

/// Every account of the organization, in the order AWS lists them. Organizations is a global
/// service answered in us-east-1 (the commercial partition) or its partition's own region.
pub async fn list_accounts(base: &SdkConfig, region: &str) -> Result<Vec<OrgAccount>, String> {
    let config = aws_sdk_organizations::config::Builder::from(base)
        .region(aws_config::Region::new(region.to_string()))
        .build();
    let client = aws_sdk_organizations::Client::from_conf(config);
    let mut accounts = Vec::new();
    let mut token: Option<String> = None;
    let mut throttled = 0;
    let mut jitter = Jitter::new("organizations");
    loop {
        let page = client
            .list_accounts()
            .max_results(20)
            .set_next_token(token.clone())
            .send()
            .await;
        let page = match page {
            Ok(p) => p,
            Err(e) if is_throttled(&e) && throttled < MAX_THROTTLES => {
                throttled += 1;
                let pause = backoff(Duration::from_millis(500), throttled, jitter.next());
                tokio::time::sleep(pause).await;
                continue;
            }
            Err(e) => return Err(explain(&e)),
        };
        for a in page.accounts() {
            let Some(id) = a.id() else { continue };
            let state = match (a.state(), a.status()) {
                (Some(s), _) => s.as_str().to_string(),
                (None, Some(s)) => s.as_str().to_string(),
                (None, None) => String::new(),
            };
            accounts.push(OrgAccount {
                id: id.to_string(),
                name: a.name().unwrap_or_default().to_string(),
                state,
            });
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(accounts);
        }
    }
}

/// The account the session's own credentials belong to (STS GetCallerIdentity), when STS
/// answers: that account is read with them, not through a role (the management account
/// usually has no OrganizationAccountAccessRole).
pub async fn caller_account(base: &SdkConfig, region: &str) -> Option<String> {
    let config = aws_sdk_sts::config::Builder::from(base)
        .region(aws_config::Region::new(region.to_string()))
        .build();
    let answer = aws_sdk_sts::Client::from_conf(config)
        .get_caller_identity()
        .send()
        .await
        .ok()?;
    answer.account().map(str::to_string)
}

fn is_throttled<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    matches!(
        err.as_service_error().and_then(|e| e.code()),
        Some("TooManyRequestsException" | "ThrottlingException")
    )
}

const NAME_THEM: &str = "name the accounts instead (--accounts 111122223333,444455556666) or give a profile per account (--profiles 'prod-*')";

fn explain<E, R>(err: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    if let Some(why) = credentials_problem(err) {
        return format!("cannot list the organization's accounts: {why}");
    }
    let message = err
        .as_service_error()
        .and_then(|e| e.message())
        .unwrap_or("");
    match err.as_service_error().and_then(|e| e.code()) {
        Some("AccessDeniedException") => format!(
            "`--accounts all` lists the organization's accounts, which only its management account or a delegated administrator may do (organizations:ListAccounts refused: {message}): run it with their credentials, or {NAME_THEM}"
        ),
        Some("AWSOrganizationsNotInUseException") => format!(
            "these credentials' account is not in an organization, so there are no accounts to list: {NAME_THEM}"
        ),
        Some(code) => format!("cannot list the organization's accounts ({code}: {message})"),
        None => format!(
            "cannot reach AWS Organizations to list the accounts (network, VPN or endpoint): {}",
            innermost(err)
        ),
    }
}
