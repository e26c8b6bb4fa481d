//! Paging LookupEvents in one region at the API's pace: at most `rate` requests per second,
//! MaxResults 50, the same parameters with every NextToken, backoff with jitter when throttled,
//! each page handed on as soon as it arrives. An error ends the fetch with what was read kept
//! and the token to resume from.

use super::plan::{LookupKey, LookupPlan};
use super::progress::{FetchState, RegionFetch};
use crate::model::parse::parse_text;
use crate::model::record::Record;
use crate::model::time::EventTime;
use crate::model::warning::Warning;
use aws_sdk_cloudtrail::config::http::HttpResponse;
use aws_sdk_cloudtrail::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_sdk_cloudtrail::Client;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Consecutive throttles after which a region gives up (and can be resumed).
const MAX_THROTTLES_IN_A_ROW: u32 = 8;

#[derive(Clone, Debug)]
pub struct PagerConfig {
    /// Requests per second (LookupEvents allows 2 per account and region).
    pub rate: f64,
    /// Stop after this many events (load more / load until a count).
    pub max_events: Option<u64>,
    /// The first wait after a throttle or a transient failure; it doubles each time (to 16×).
    pub backoff: Duration,
    /// Transient failures in a row (5xx, a cut answer, a timeout, a lost connection) after
    /// which a region stops, resumable from its last page.
    pub max_retries: u32,
}

impl Default for PagerConfig {
    fn default() -> Self {
        PagerConfig {
            rate: 2.0,
            max_events: None,
            backoff: Duration::from_millis(500),
            max_retries: 5,
        }
    }
}

/// Fetches pages for `plan` in `[start, end]`, from `resume` if given, calling `on_page` with
/// each page's records and the progress so far, and waiting for what it returns (a bounded
/// channel's send: a slow reader slows the pages, memory stays bounded).
pub async fn fetch_region<Page: std::future::Future<Output = ()>>(
    client: &Client,
    region: &str,
    plan: &LookupPlan,
    (start, end): (EventTime, EventTime),
    config: &PagerConfig,
    resume: Option<String>,
    mut on_page: impl FnMut(Vec<Record>, Vec<Warning>, &RegionFetch) -> Page,
) -> RegionFetch {
    let mut progress = RegionFetch {
        state: FetchState::Fetching,
        next_token: resume,
        ..RegionFetch::idle(region)
    };
    let interval = Duration::from_secs_f64(1.0 / config.rate.max(0.01));
    let origin: Arc<str> = Arc::from(format!("LookupEvents {region}"));
    let mut last_send: Option<Instant> = None;
    let mut throttled_in_a_row = 0;
    let mut failed_in_a_row = 0;
    let mut jitter = Jitter::new(region);
    // Exactly one attribute, or none: AWS ignores any beyond the first without a word.
    let attribute = match &plan.attribute {
        None => None,
        Some((key, value)) => {
            let built = LookupAttribute::builder()
                .attribute_key(sdk_key(*key))
                .attribute_value(value)
                .build();
            match built {
                Ok(a) => Some(vec![a]),
                Err(e) => {
                    progress.state = FetchState::Failed(format!("bad lookup attribute: {e}"));
                    return progress;
                }
            }
        }
    };
    loop {
        if let Some(t) = last_send {
            let due = t + interval;
            tokio::time::sleep_until(due.into()).await;
        }
        last_send = Some(Instant::now());
        // Identical parameters on every page: a NextToken is only valid with them.
        let request = client
            .lookup_events()
            .start_time(to_datetime(start))
            .end_time(to_datetime(end))
            .max_results(50)
            .set_lookup_attributes(attribute.clone())
            .set_next_token(progress.next_token.clone());
        match request.send().await {
            Ok(page) => {
                throttled_in_a_row = 0;
                failed_in_a_row = 0;
                progress.pages += 1;
                let mut records = Vec::new();
                let mut warnings = Vec::new();
                for event in page.events() {
                    let Some(text) = event.cloud_trail_event() else {
                        continue;
                    };
                    let mut sink = (Vec::new(), Vec::new());
                    parse_text(&origin, text, &mut sink);
                    records.extend(sink.0);
                    warnings.extend(sink.1);
                }
                progress.events += records.len() as u64;
                if let Some(oldest) = records
                    .iter()
                    .map(|r| r.time)
                    .filter(|t| t.is_known())
                    .min()
                {
                    progress.oldest = Some(progress.oldest.map_or(oldest, |o| o.min(oldest)));
                }
                progress.next_token = page.next_token().map(str::to_string);
                let reached = config.max_events.is_some_and(|m| progress.events >= m);
                progress.state = match (&progress.next_token, reached) {
                    (None, _) => FetchState::Done,
                    (Some(_), true) => FetchState::Paused,
                    (Some(_), false) => FetchState::Fetching,
                };
                on_page(records, warnings, &progress).await;
                if progress.state != FetchState::Fetching {
                    return progress;
                }
            }
            Err(err) if is_throttling(&err) && throttled_in_a_row < MAX_THROTTLES_IN_A_ROW => {
                throttled_in_a_row += 1;
                progress.throttles += 1;
                on_page(Vec::new(), Vec::new(), &progress).await;
                let pause = backoff(config.backoff, throttled_in_a_row, jitter.next());
                tokio::time::sleep(pause).await;
            }
            Err(err) => match transient(&err, region) {
                // The same request again: the token has not moved, so nothing is read twice.
                Some(what) if failed_in_a_row < config.max_retries => {
                    failed_in_a_row += 1;
                    progress.retries += 1;
                    progress.last_problem = Some(format!(
                        "{what}; retrying ({failed_in_a_row}/{})",
                        config.max_retries
                    ));
                    on_page(Vec::new(), Vec::new(), &progress).await;
                    let pause = backoff(config.backoff, failed_in_a_row, jitter.next());
                    tokio::time::sleep(pause).await;
                }
                Some(what) => {
                    let kept = kept_words(region, progress.events);
                    progress.state = FetchState::Failed(format!(
                        "{what}; gave up after {} tries; {kept}",
                        failed_in_a_row + 1
                    ));
                    on_page(Vec::new(), Vec::new(), &progress).await;
                    return progress;
                }
                None => {
                    progress.state = FetchState::Failed(explain(&err, region, progress.events));
                    on_page(Vec::new(), Vec::new(), &progress).await;
                    return progress;
                }
            },
        }
    }
}

/// Exponential backoff with jitter: `base`, 2×, 4× … capped at 16×, each ±50%.
pub(crate) fn backoff(base: Duration, attempt: u32, jitter: f64) -> Duration {
    let factor = 2f64.powi(attempt.saturating_sub(1).min(4) as i32);
    base.mul_f64(factor * jitter)
}

/// What went wrong, when it is the kind of failure that a second try can get past: a 5xx, an
/// answer cut off or garbled on the way, no answer in time, a connection that failed. `None`
/// for everything a retry cannot fix (credentials, permissions, a bad request).
fn transient<E>(err: &SdkError<E, HttpResponse>, region: &str) -> Option<String>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if credentials_problem(err).is_some() {
        return None;
    }
    match err {
        SdkError::TimeoutError(_) => Some("no answer within the timeout".to_string()),
        SdkError::ResponseError(_) => Some(format!(
            "the answer was cut off or unreadable ({})",
            innermost(err)
        )),
        SdkError::DispatchFailure(f) if f.is_io() || f.is_timeout() || f.is_other() => {
            Some(format!(
                "cannot reach CloudTrail in {region}, or the connection was cut (network, VPN or endpoint): {}",
                innermost(err)
            ))
        }
        SdkError::ServiceError(e) => {
            let status = e.raw().status().as_u16();
            let code = e.err().code().unwrap_or("");
            let server_side = matches!(
                code,
                "InternalFailure"
                    | "InternalError"
                    | "ServiceUnavailable"
                    | "ServiceUnavailableException"
            );
            if (200..300).contains(&status) {
                // A success whose body is not what CloudTrail sends: garbled on the way.
                Some(format!(
                    "the answer was cut off or unreadable ({})",
                    innermost(err)
                ))
            } else {
                (status >= 500 || server_side)
                    .then(|| format!("CloudTrail answered {status} {code}"))
            }
        }
        _ => None,
    }
}

/// The deepest cause's own words ("connection closed before message completed"), not the
/// SDK's wrappers and debug dumps.
pub(crate) fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err;
    while let Some(source) = last.source() {
        last = source;
    }
    last.to_string()
}

fn kept_words(region: &str, kept: u64) -> String {
    match kept {
        0 => format!("nothing fetched from {region} yet"),
        n => format!("{n} event(s) from {region} kept; resume continues from the last page"),
    }
}

fn sdk_key(key: LookupKey) -> LookupAttributeKey {
    match key {
        LookupKey::AccessKeyId => LookupAttributeKey::AccessKeyId,
        LookupKey::EventId => LookupAttributeKey::EventId,
        LookupKey::ResourceName => LookupAttributeKey::ResourceName,
        LookupKey::Username => LookupAttributeKey::Username,
        LookupKey::EventName => LookupAttributeKey::EventName,
        LookupKey::EventSource => LookupAttributeKey::EventSource,
        LookupKey::ReadOnly => LookupAttributeKey::ReadOnly,
    }
}

fn to_datetime(t: EventTime) -> DateTime {
    DateTime::from_millis(t.millis().unwrap_or(0))
}

fn is_throttling<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    matches!(
        err.as_service_error().and_then(|e| e.code()),
        Some(
            "ThrottlingException"
                | "Throttling"
                | "TooManyRequestsException"
                | "RequestLimitExceeded"
        )
    )
}

/// What went wrong, in words, with the next step. The SDK's own Display says only "service
/// error" or "dispatch failure"; `DisplayErrorContext` walks the causes.
pub(crate) fn explain<E, R>(err: &SdkError<E, R>, region: &str, kept: u64) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let kept = kept_words(region, kept);
    let code = err.as_service_error().and_then(|e| e.code());
    let message = err
        .as_service_error()
        .and_then(|e| e.message())
        .unwrap_or("");
    if let Some(why) = credentials_problem(err) {
        return format!("{why}; {kept}");
    }
    match code {
        Some("ExpiredTokenException" | "ExpiredToken" | "RequestExpired") => format!(
            "credentials expired ({message}): refresh them (`aws sso login --profile …`, or a new `aws-vault exec`); {kept}"
        ),
        Some("UnrecognizedClientException" | "InvalidClientTokenId" | "InvalidSignatureException" | "MissingAuthenticationTokenException") => format!(
            "credentials rejected ({message}): check the profile or keys in use; {kept}"
        ),
        Some("AccessDeniedException" | "AccessDenied") => format!(
            "not allowed to call cloudtrail:LookupEvents in {region} ({message}); {kept}"
        ),
        Some("ThrottlingException") => format!("throttled {MAX_THROTTLES_IN_A_ROW} times in a row; {kept}"),
        Some(code) => format!("{code}: {message}; {kept}"),
        None => match err {
            SdkError::TimeoutError(_) => format!("no answer from CloudTrail in {region} within the timeout; {kept}"),
            SdkError::DispatchFailure(_) => format!(
                "cannot reach CloudTrail in {region} (network, VPN or endpoint): {}; {kept}",
                DisplayErrorContext(err)
            ),
            _ => format!("{}; {kept}", DisplayErrorContext(err)),
        },
    }
}

/// What to run when no credentials could be loaded.
const RUN_TO_LOG_IN: &str = "run `aws configure`, `aws sso login --profile NAME` or `aws-vault exec NAME --`, or pass --profile";

/// When credentials could not be loaded at all (nothing configured, an expired SSO session, a
/// broken profile), what to do about it. The SDK reports these as a failure to dispatch, which
/// would otherwise read like a network problem.
pub(crate) fn credentials_problem(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    use aws_credential_types::provider::error::CredentialsError;
    let mut cause = Some(err);
    while let Some(e) = cause {
        if let Some(c) = e.downcast_ref::<CredentialsError>() {
            let context = DisplayErrorContext(c).to_string();
            let sso = context.contains("SSO") || context.contains("sso");
            // The innermost cause in words, not the SDK's nested debug dump.
            let reason = innermost(c);
            return Some(match c {
                CredentialsError::CredentialsNotLoaded(_) => format!("no AWS credentials found (environment, ~/.aws, SSO, instance role): {RUN_TO_LOG_IN}"),
                _ if sso => format!("the SSO session has expired or was never started: run `aws sso login` for this profile, then resume ({reason})"),
                CredentialsError::InvalidConfiguration(_) => format!("the AWS profile is misconfigured: {reason}"),
                // An instance metadata service that refuses (403), a broken process
                // provider…: the chain's last provider answered, but no credentials came.
                _ => format!("no usable AWS credentials (the last provider tried said: {reason}): {RUN_TO_LOG_IN}"),
            });
        }
        cause = e.source();
    }
    None
}

/// Jitter factors in [0.5, 1.5), from a small generator seeded by the region and the clock.
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new(region: &str) -> Jitter {
        let seed = region.bytes().fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter(seed ^ clock | 1)
    }

    pub(crate) fn next(&mut self) -> f64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        0.5 + (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::credentials_problem;
    use aws_credential_types::provider::error::CredentialsError;

    /// No credentials where the instance metadata service refuses (issue 21, item 6): what
    /// is missing and what to run, in words, not the SDK's nested debug dump.
    #[test]
    fn a_refusing_provider_says_what_to_run() {
        let refused =
            std::io::Error::other("failed to load IMDS session token: HTTP 403 Forbidden");
        let err = CredentialsError::provider_error(refused);
        let said = credentials_problem(&err).unwrap_or_default();
        assert!(said.starts_with("no usable AWS credentials"), "{said}");
        assert!(said.contains("HTTP 403 Forbidden"), "{said}");
        assert!(said.contains("aws sso login --profile NAME"), "{said}");
        assert!(!said.contains("ProviderError("), "{said}");
        let none = CredentialsError::not_loaded("no providers in chain provided credentials");
        let said = credentials_problem(&none).unwrap_or_default();
        assert!(said.starts_with("no AWS credentials found"), "{said}");
    }
}
