//! The CloudTrail client: the standard credential chain (environment, profiles, SSO, IMDS,
//! `credential_process`, so `aws-vault exec` works), a region, and timeouts. Without a
//! `TimeoutConfig` a call to an endpoint that never answers hangs forever; retries are the
//! pager's job (it counts throttles and shows them), so the SDK's own are off.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudtrail::Client;
use std::time::Duration;

pub(crate) fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(20))
        .operation_timeout(Duration::from_secs(30))
        .build()
}

/// A client for `region`, from the environment and `profile` (`AWS_ENDPOINT_URL` points it at
/// a fake endpoint).
pub async fn client(profile: Option<&str>, region: &str) -> Client {
    regional_client(&load_config(profile).await, region)
}

/// A client for `region` with a loaded configuration (one account's credentials).
pub fn regional_client(config: &SdkConfig, region: &str) -> Client {
    Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(config)
            .region(Region::new(region.to_string()))
            .build(),
    )
}

/// The shared configuration (credentials, timeouts, endpoint), without a region: one per
/// session, so credentials are resolved once for every region.
/// The region a regional service is asked in: `given`, else the profile's, else `missing`
/// (which says how to give one).
pub(crate) fn region_or(
    config: &SdkConfig,
    given: Option<&str>,
    missing: &str,
) -> Result<String, String> {
    given
        .map(str::to_string)
        .or_else(|| config.region().map(|r| r.to_string()))
        .ok_or_else(|| missing.to_string())
}

pub async fn load_config(profile: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts())
        .retry_config(RetryConfig::disabled());
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

/// The configuration of one profile of the AWS config files, its credentials from that
/// profile alone (keys, SSO, `credential_process`, `role_arn` with `source_profile`): the
/// default chain would take keys from the environment first, and every profile of
/// `--profiles` would then be the same account. STS (for a profile's `role_arn`) is asked in
/// `sts_region` unless the profile names a region.
pub async fn load_profile(profile: &str, sts_region: &str) -> SdkConfig {
    let region = aws_config::default_provider::region::DefaultRegionChain::builder()
        .profile_name(profile)
        .build()
        .region()
        .await
        .unwrap_or_else(|| Region::new(sts_region.to_string()));
    let provider =
        aws_config::provider_config::ProviderConfig::without_region().with_region(Some(region));
    let credentials = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .configure(&provider)
        .profile_name(profile)
        .build();
    aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts())
        .retry_config(RetryConfig::disabled())
        .profile_name(profile)
        .credentials_provider(credentials)
        .load()
        .await
}

/// A client with fixed keys for an explicit endpoint: tests and benchmarks against the fake.
pub fn with_endpoint(endpoint: &str, region: &str, access_key: &str, secret: &str) -> Client {
    with_endpoint_and_timeouts(endpoint, region, access_key, secret, timeouts())
}

/// `with_endpoint` with other timeouts: fault tests stall the fake past a short one.
pub fn with_endpoint_and_timeouts(
    endpoint: &str,
    region: &str,
    access_key: &str,
    secret: &str,
    timeouts: TimeoutConfig,
) -> Client {
    let credentials =
        aws_sdk_cloudtrail::config::Credentials::new(access_key, secret, None, None, "static");
    let config = aws_sdk_cloudtrail::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}
