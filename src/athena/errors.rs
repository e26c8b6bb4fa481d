//! Athena's failures in words, each naming the permission or setting to fix. Credentials,
//! expiry and the network are explained as for LookupEvents; throttling is retried before it
//! gets here.

use aws_sdk_athena::error::{ProvideErrorMetadata, SdkError};

/// What went wrong calling `operation`, and what to do.
pub(crate) fn explain<E, R>(err: &SdkError<E, R>, operation: &str, region: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let (code, message) = crate::lake::errors::code_and_message(err);
    match code {
        Some("InvalidRequestException") if message.contains("output location") => format!(
            "Athena has nowhere to write results ({message}): give --output-location s3://BUCKET/PREFIX/, or set one on the workgroup (--workgroup)"
        ),
        Some("InvalidRequestException") if message.contains("WorkGroup") => format!(
            "{message}: --workgroup names a workgroup of {region} (`aws athena list-work-groups`)"
        ),
        Some("InvalidRequestException") => format!("Athena refused {operation}: {message}"),
        Some("MetadataException") => format!(
            "{message}: check the database and table in {region} (`trailscope --athena` lists them), or make one with `trailscope athena create-table s3://BUCKET`"
        ),
        Some("TooManyRequestsException") => format!(
            "Athena is throttling {operation} in {region} ({message}), still after retries: wait a minute and run again"
        ),
        Some("AccessDeniedException" | "AccessDenied") => format!(
            "not allowed to call athena:{operation} in {region} ({message}): the role needs athena:{operation} on the workgroup"
        ),
        _ => crate::lake::errors::general(err, &format!("athena:{operation}"), region),
    }
}

/// A FAILED query's reason, with the permission it points at when it is one of the access
/// failures Athena reports only as text.
pub(crate) fn failure(reason: &str) -> String {
    let lower = reason.to_ascii_lowercase();
    let hint = if lower.contains("kms") {
        Some("the role needs kms:Decrypt on the trail's KMS key (and kms:GenerateDataKey for encrypted results)")
    } else if lower.contains("glue") {
        Some("the role needs glue:GetTable and glue:GetDatabase on the table's catalog")
    } else if lower.contains("writing to location") || lower.contains("output location") {
        Some("the role needs s3:PutObject and s3:GetObject on the output location (--output-location)")
    } else if lower.contains("access denied") || lower.contains("permission denied") {
        Some("the role needs s3:GetObject and s3:ListBucket on the trail's bucket")
    } else if lower.contains("table_not_found") || lower.contains("does not exist") {
        Some("`trailscope --athena` lists the tables; `trailscope athena create-table s3://BUCKET` makes one")
    } else {
        None
    };
    match hint {
        Some(h) => format!("{reason} ({h})"),
        None => reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::failure;

    #[test]
    fn access_failures_name_the_permission() {
        assert!(failure("Access denied when writing to location: s3://r/").contains("s3:PutObject"));
        assert!(
            failure("Permission denied on S3 path: s3://trail/AWSLogs").contains("s3:GetObject")
        );
        assert!(failure("KMS key access denied").contains("kms:Decrypt"));
        assert!(
            failure("Insufficient Lake Formation permission(s) … glue:GetTable")
                .contains("glue:GetTable")
        );
        assert_eq!(failure("SYNTAX_ERROR: line 1:8"), "SYNTAX_ERROR: line 1:8");
    }
}
