//! The errors users hit before the first page, through the real binary: no credentials at
//! all, an expired SSO session, a mistyped region. Each says what to do next. Nothing here
//! leaves loopback: the endpoint is a closed port on 127.0.0.1.

use sha1::{Digest, Sha1};
use std::path::Path;
use std::process::{Command, Output};

/// Nothing listens here: if credentials were somehow found, the error would say so.
const CLOSED_ENDPOINT: &str = "http://127.0.0.1:9";

/// The binary with an empty environment apart from `HOME` and `vars`: no keys, no profiles,
/// no instance metadata.
fn query(home: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("query")
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", CLOSED_ENDPOINT)
        .envs(vars.iter().copied())
        .output()
        .expect("run trailscope")
}

#[test]
fn no_credentials_says_how_to_get_some() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = query(
        home.path(),
        &["--region", "eu-west-1", "--no-global", "-o", "count"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
    assert!(stderr.contains("aws configure"), "{stderr}");
    assert!(
        !stderr.contains("cannot reach"),
        "not mistaken for a network problem: {stderr}"
    );
}

#[test]
fn an_expired_sso_session_says_to_log_in_again() {
    let home = tempfile::tempdir().expect("temp dir");
    let aws = home.path().join(".aws");
    let cache = aws.join("sso/cache");
    std::fs::create_dir_all(&cache).expect("mkdir");
    std::fs::write(
        aws.join("config"),
        "[profile incident]\nsso_session = corp\nsso_account_id = 111122223333\n\
         sso_role_name = Responder\nregion = eu-west-1\n\n\
         [sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n\
         sso_region = us-east-1\n",
    )
    .expect("write config");
    // The cache file is named by the SHA-1 of the session name; this token expired in 2020
    // and has no refresh token, so the SDK cannot renew it.
    let name = format!("{:x}.json", Sha1::digest(b"corp"));
    std::fs::write(
        cache.join(name),
        r#"{"accessToken":"expired","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://example.awsapps.com/start"}"#,
    )
    .expect("write token");
    let out = query(
        home.path(),
        &[
            "--profile",
            "incident",
            "--region",
            "eu-west-1",
            "--no-global",
            "-o",
            "count",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("SSO session has expired"), "{stderr}");
    assert!(stderr.contains("aws sso login"), "{stderr}");
}

#[test]
fn a_mistyped_region_is_caught_before_any_request() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = query(home.path(), &["--region", "eu-wset-1", "-o", "count"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown region \"eu-wset-1\": did you mean eu-west-1?"),
        "{stderr}"
    );
}
