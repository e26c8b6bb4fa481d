//! Reaching a bucket: a one-key listing in the region the caller gave (or the profile's),
//! and when S3 answers that the bucket lives elsewhere, the client for that region instead.
//! Shared by the load and the survey (`athena create-table`).

use super::client::{client, first_region};
use super::discover::{Bucket, Ctx};
use super::errors::{wrong_region, Doing, Failure};
use super::retry::with_retries;
use super::url::S3Url;
use aws_config::SdkConfig;

/// The bucket, reached; with a note when it was found in another region than the one in use.
pub(super) async fn connect(
    config: &SdkConfig,
    url: &S3Url,
    asked: Option<&str>,
    ctx: &Ctx<'_>,
) -> Result<(Bucket, Option<String>), String> {
    let region = first_region(config, asked);
    let bucket = Bucket {
        client: client(config, &region),
        name: url.bucket.clone(),
    };
    let doing = Doing::List {
        bucket: &url.bucket,
        prefix: &url.prefix,
    };
    let probe = with_retries(ctx.stats, ctx.cancel, doing, || {
        bucket
            .client
            .list_objects_v2()
            .bucket(&url.bucket)
            .prefix(&url.prefix)
            .max_keys(1)
            .send()
    })
    .await;
    match probe {
        None | Some(Ok(_)) => Ok((bucket, None)),
        Some(Err(Failure::WrongRegion(Some(actual)))) if asked.is_none() && actual != region => {
            let note = format!(
                "the bucket is in {actual}: reading it there (--region {actual} skips this step)"
            );
            let moved = Bucket {
                client: client(config, &actual),
                name: url.bucket.clone(),
            };
            Ok((moved, Some(note)))
        }
        Some(Err(Failure::WrongRegion(actual))) => {
            Err(wrong_region(&url.bucket, &region, actual.as_deref()))
        }
        Some(Err(f)) => Err(words(f, &url.bucket)),
    }
}

/// A failure as the user reads it.
pub(super) fn words(failure: Failure, bucket: &str) -> String {
    match failure {
        Failure::Fatal(why) => why,
        Failure::Transient { what, .. } => what,
        Failure::WrongRegion(r) => wrong_region(bucket, "the region in use", r.as_deref()),
    }
}
