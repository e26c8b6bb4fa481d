//! Helpers shared by the test rig's integration tests.
#![allow(dead_code)]

/// Test keys and no config files, profiles or IMDS probe: nothing of the developer's AWS
/// setup can leak into (or out of) these tests. (The same as the product's tests/common.)
pub fn isolated_aws_env() -> [(&'static str, &'static str); 5] {
    [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
}
