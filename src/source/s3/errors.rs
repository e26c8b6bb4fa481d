//! What an S3 failure means and what to do next. The SDK's own text says "service error";
//! a responder needs to know which permission is missing (s3:ListBucket on the bucket,
//! s3:GetObject on the keys, kms:Decrypt on an SSE-KMS trail's key), which region the bucket
//! is in, or that S3 is asking us to slow down. Every message is built from our own words and
//! the error's code; S3's free-text message is passed through `visible` by whoever prints it.

use crate::source::lookup::pager::{credentials_problem, innermost};
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

/// What was being done when it failed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Doing<'a> {
    List { bucket: &'a str, prefix: &'a str },
    Get { bucket: &'a str, key: &'a str },
}

/// How a failure is handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Worth another try after a pause (SlowDown, 5xx, a cut connection, a timeout).
    Transient { throttled: bool, what: String },
    /// The bucket lives in another region (S3 said which, when it did).
    WrongRegion(Option<String>),
    /// Retrying will not help; the message says what would.
    Fatal(String),
}

pub(crate) fn classify<E>(err: &SdkError<E, HttpResponse>, doing: Doing) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(why) = credentials_problem(err) {
        return Failure::Fatal(why);
    }
    let status = err.raw_response().map(|r| r.status().as_u16());
    let bucket_region = err
        .raw_response()
        .and_then(|r| r.headers().get("x-amz-bucket-region"))
        .map(str::to_string);
    let code = err.as_service_error().and_then(|e| e.code()).unwrap_or("");
    let message = err
        .as_service_error()
        .and_then(|e| e.message())
        .unwrap_or("");
    let region_code = matches!(
        code,
        "PermanentRedirect" | "AuthorizationHeaderMalformed" | "IllegalLocationConstraintException"
    );
    if region_code || status == Some(301) {
        return Failure::WrongRegion(bucket_region);
    }
    match err {
        SdkError::TimeoutError(_) => {
            return Failure::Transient {
                throttled: false,
                what: "no answer within the timeout".into(),
            }
        }
        SdkError::DispatchFailure(f) if f.is_io() || f.is_timeout() || f.is_other() => {
            return Failure::Transient {
                throttled: false,
                what: format!(
                    "cannot reach S3, or the connection was cut: {}",
                    innermost(err)
                ),
            }
        }
        SdkError::ResponseError(_) => {
            return Failure::Transient {
                throttled: false,
                what: format!("the answer was cut off or unreadable ({})", innermost(err)),
            }
        }
        _ => {}
    }
    if matches!(
        code,
        "SlowDown" | "Throttling" | "ThrottlingException" | "RequestLimitExceeded"
    ) || status == Some(429)
    {
        return Failure::Transient {
            throttled: true,
            what: format!("S3 asked to slow down ({code})"),
        };
    }
    if status.is_some_and(|s| s >= 500) || matches!(code, "InternalError" | "ServiceUnavailable") {
        return Failure::Transient {
            throttled: code == "ServiceUnavailable" || status == Some(503),
            what: format!("S3 answered {} {code}", status.unwrap_or(0)),
        };
    }
    Failure::Fatal(fatal(code, message, status, doing, err))
}

fn fatal<E>(
    code: &str,
    message: &str,
    status: Option<u16>,
    doing: Doing,
    err: &SdkError<E, HttpResponse>,
) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let kms = code.starts_with("KMS.")
        || message.contains("kms:")
        || message.contains("KMS")
        || code == "KMSAccessDenied";
    match (code, doing) {
        (_, Doing::Get { bucket, .. }) if kms => format!(
            "cannot decrypt: the object is encrypted with SSE-KMS and kms:Decrypt on the trail's KMS key is not allowed ({code}: {message}); ask for kms:Decrypt on the key in the trail's KmsKeyId (`aws cloudtrail describe-trails`), as well as s3:GetObject on arn:aws:s3:::{bucket}/*"
        ),
        ("AccessDenied" | "AllAccessDisabled", Doing::List { bucket, prefix }) => format!(
            "not allowed to list s3://{bucket}/{prefix} ({message}): s3:ListBucket on arn:aws:s3:::{bucket} is needed (IAM policy, bucket policy, or an SCP may deny it); with an organization trail, the bucket usually lives in the log-archive account: use a profile there (--profile)"
        ),
        ("AccessDenied" | "AllAccessDisabled", Doing::Get { bucket, .. }) => format!(
            "not allowed to read this object ({message}): s3:GetObject on arn:aws:s3:::{bucket}/* is needed, and kms:Decrypt on the trail's key if it is encrypted with SSE-KMS"
        ),
        ("NoSuchBucket", _) => "no such bucket: check its name (`aws cloudtrail describe-trails` shows the trail's S3BucketName) and the account of the credentials in use".to_string(),
        ("NoSuchKey", _) => "the object was deleted or replaced since it was listed: open the window again".to_string(),
        ("ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired", _) => format!(
            "credentials expired ({message}): refresh them (`aws sso login --profile …`, or a new `aws-vault exec`), then open the window again: what was read is cached"
        ),
        ("InvalidAccessKeyId" | "SignatureDoesNotMatch" | "InvalidToken", _) => format!(
            "credentials rejected ({code}: {message}): check the profile or keys in use (--profile)"
        ),
        ("InvalidObjectState", _) => "the object is archived (Glacier or Deep Archive): restore it first (`aws s3api restore-object`), then open the window again".to_string(),
        ("", _) => format!(
            "S3 answered {}: {}",
            status.map_or("nothing".to_string(), |s| s.to_string()),
            innermost(err)
        ),
        (code, _) => format!("S3 error {code}: {message}"),
    }
}

/// The message for a bucket in another region.
pub(crate) fn wrong_region(bucket: &str, asked: &str, actual: Option<&str>) -> String {
    match actual {
        Some(r) => format!(
            "bucket {bucket} is in {r}, not {asked}: pass --region {r} (or set AWS_REGION={r}, or the profile's region)"
        ),
        None => format!(
            "bucket {bucket} is not in {asked} and S3 did not say where it is: pass --region with the bucket's region (`aws s3api get-bucket-location --bucket {bucket}`)"
        ),
    }
}
