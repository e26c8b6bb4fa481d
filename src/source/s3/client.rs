//! The S3 client: the same credential chain, profile and timeouts as LookupEvents, in the
//! bucket's region. `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`) points it at another S3
//! (tests use a local one); such endpoints are addressed path-style, since a bucket name
//! cannot become a hostname under `127.0.0.1`. The SDK's own retries stay off: the downloader
//! retries, so it can count and show every SlowDown.

use aws_config::{Region, SdkConfig};
use aws_sdk_s3::Client;

/// A client in `region` from a loaded configuration.
pub(crate) fn client(config: &SdkConfig, region: &str) -> Client {
    let custom_endpoint = config.endpoint_url().is_some()
        || ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|u| !u.is_empty()));
    let builder = aws_sdk_s3::config::Builder::from(config)
        .region(Region::new(region.to_string()))
        .force_path_style(custom_endpoint);
    Client::from_conf(builder.build())
}

/// The region to ask first: `--region`, else the profile's or the environment's, else
/// us-east-1 (a bucket elsewhere answers with its region, and the client moves there).
pub(crate) fn first_region(config: &SdkConfig, asked: Option<&str>) -> String {
    asked
        .map(str::to_string)
        .or_else(|| config.region().map(|r| r.to_string()))
        .unwrap_or_else(|| "us-east-1".to_string())
}
