//! A client for a loopback S3 (moto's): test keys, path-style addressing (a bucket cannot be
//! a hostname under 127.0.0.1). What the fake's UNLOAD writes with, and what the tests and
//! benchmarks upload and check with.

pub fn client(endpoint: &str) -> aws_sdk_s3::Client {
    let creds = aws_sdk_s3::config::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(creds)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}
