//! Lake's failures in words, each with the next step. Credentials, expiry and the network are
//! explained as for LookupEvents (`pager::explain`); these are Lake's own.

use aws_sdk_cloudtrail::error::{ProvideErrorMetadata, SdkError};

/// What went wrong calling `operation`, and what to do.
pub(crate) fn explain<E, R>(err: &SdkError<E, R>, operation: &str, region: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let (code, message) = code_and_message(err);
    match code {
        Some("InvalidQueryStatementException") => {
            format!("Lake refused the SQL: {message} (fix it in the editor and run again)")
        }
        Some("MaxConcurrentQueriesException") => format!(
            "Lake already runs the most queries it allows at once in this account ({message}): \
             wait for one to finish, or cancel one (`aws cloudtrail list-queries`, then \
             `cancel-query`), then run again"
        ),
        Some("EventDataStoreNotFoundException" | "EventDataStoreARNInvalidException") => format!(
            "no such event data store in {region} ({message}): `trailscope --lake` lists the \
             ones this account can read there; --region picks another region"
        ),
        Some("InactiveEventDataStoreException") => format!(
            "the event data store is not enabled ({message}): it may have stopped ingestion or \
             be pending deletion; pick another with `trailscope --lake`"
        ),
        Some(
            "UnsupportedOperationException"
            | "OperationNotPermittedException"
            | "NoManagementAccountSLRExistsException",
        ) => format!(
            "CloudTrail Lake is not available to this account in {region} ({message}); Lake \
             closed to new customers on 2026-05-31: read the trail's files (a folder or \
             s3://bucket) or use LookupEvents (--region) instead"
        ),
        Some("QueryIdNotFoundException") => {
            format!("Lake no longer knows this query ({message}): results are kept 7 days; run it again")
        }
        Some("AccessDeniedException" | "AccessDenied") => format!(
            "not allowed to call cloudtrail:{operation} in {region} ({message}): the role needs \
             cloudtrail:{operation} on the event data store"
        ),
        // Credentials, expiry, the network: as for LookupEvents, less its "kept" clause.
        _ => general(err, &format!("cloudtrail:{operation}"), region),
    }
}

/// A service error's code, and its message through the gate (empty when there is none): the
/// same reading for every AWS SDK's errors (Lake's, Athena's).
pub(crate) fn code_and_message<E, R>(err: &SdkError<E, R>) -> (Option<&str>, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let code = err.as_service_error().and_then(|e| e.code());
    let message = err
        .as_service_error()
        .and_then(|e| e.message())
        .map(|m| crate::model::sanitize::visible(m).into_owned())
        .unwrap_or_default();
    (code, message)
}

/// Credentials, expiry, the network: explained as for LookupEvents, naming `permission`
/// (`athena:StartQueryExecution`) where LookupEvents' words name its own.
pub(crate) fn general<E, R>(err: &SdkError<E, R>, permission: &str, region: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    crate::source::lookup::pager::explain(err, region, 0)
        .replace(&format!("; nothing fetched from {region} yet"), "")
        .replace("cloudtrail:LookupEvents", permission)
}

/// Whether waiting and asking again can get past it (throttling, a 5xx, the network).
pub(crate) fn is_transient<E, R>(err: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    if crate::source::lookup::pager::credentials_problem(err).is_some() {
        return false;
    }
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(_) => matches!(
            err.as_service_error().and_then(|e| e.code()),
            Some(
                "ThrottlingException"
                    | "Throttling"
                    | "TooManyRequestsException"
                    | "InternalFailure"
                    | "InternalError"
                    | "ServiceUnavailable"
                    | "ServiceUnavailableException"
            )
        ),
        _ => false,
    }
}
