//! The fake as an AWS organization: STS AssumeRole into member accounts, Organizations
//! ListAccounts, and LookupEvents per account. Driven by AWS's own `aws` CLI (botocore) here,
//! checked against the models in `model`, and rule by rule through `FakeCloudTrail::handle`
//! with a test clock in `rules`.

mod common;
#[path = "fake_accounts/harness.rs"]
mod harness;
#[path = "fake_accounts/model.rs"]
mod model;
#[path = "fake_accounts/rules.rs"]
mod rules;

use harness::{args, demo_store, expected_ids, CALLER, MEMBER, ROLE};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Credentials the CLI signs with: the test's static key, or issued ones.
#[derive(Clone)]
struct Creds {
    key: String,
    secret: String,
    token: Option<String>,
}

/// `aws --endpoint-url URL --region us-east-1 ARGS…` with `creds`: its JSON output, or its
/// exit code and error text.
fn aws(
    cli: &Path,
    url: &str,
    creds: Option<&Creds>,
    args: &[&str],
) -> Result<Value, (i32, String)> {
    let mut cmd = Command::new(cli);
    cmd.args([
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
        "--output",
        "json",
    ])
    .args(args)
    .envs(common::isolated_aws_env())
    .env_remove("AWS_PROFILE")
    .env_remove("AWS_SESSION_TOKEN");
    if let Some(c) = creds {
        cmd.env("AWS_ACCESS_KEY_ID", &c.key)
            .env("AWS_SECRET_ACCESS_KEY", &c.secret);
        if let Some(t) = &c.token {
            cmd.env("AWS_SESSION_TOKEN", t);
        }
    }
    let out = cmd.output().expect("run the aws CLI");
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).expect("CLI prints JSON"))
    } else {
        Err((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

/// The CLI's error for a service error: exit status 255 (CLI v1) or 254 (v2), the code.
fn assert_refused(result: Result<Value, (i32, String)>, code: &str, words: &str) {
    let (status, text) = result.expect_err("refused");
    assert!(matches!(status, 254 | 255), "exit {status}: {text}");
    assert!(text.contains(&format!("({code})")), "{text}");
    assert!(text.contains(words), "{text}");
}

fn event_ids(v: &Value) -> Vec<String> {
    v["Events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["EventId"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_aws_cli_assumes_roles_lists_accounts_and_looks_up_per_account() {
    let Some(cli) = common::aws_cli() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the aws CLI is required in CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: no aws CLI (run .ci/run, or set AWS_CLI)");
        return;
    };
    // 22 extra accounts, a closed one and one that trusts nobody: 26 in all, two pages.
    let extras: Vec<String> = (1..=22).map(|n| format!("2000000000{n:02}")).collect();
    let mut flags = vec!["--caller-account", CALLER, "--rate", "100"];
    for e in &extras {
        flags.extend(["--org-account", e.as_str()]);
    }
    flags.extend(["--closed-account", "555555555555"]);
    flags.extend([
        "--org-account",
        "666666666666",
        "--deny-role",
        "666666666666",
    ]);
    let fake = trailscope_fake::start(&args(&flags)).expect("the fake starts");
    let url = fake.url.as_str();
    let store = demo_store();

    // ListAccounts: the CLI pages through every account, once each, sorted by ID.
    let listed = aws(&cli, url, None, &["organizations", "list-accounts"]).expect("listed");
    let ids: Vec<&str> = listed["Accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["Id"].as_str())
        .collect();
    let mut want: Vec<String> = [CALLER, MEMBER, "555555555555", "666666666666"]
        .iter()
        .map(|s| s.to_string())
        .chain(extras.iter().cloned())
        .collect();
    want.sort();
    assert_eq!(ids, want, "every account once, sorted");
    let closed = listed["Accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["Id"] == "555555555555")
        .expect("the closed account is listed");
    assert_eq!(
        (&closed["State"], &closed["Status"]),
        (&"CLOSED".into(), &"SUSPENDED".into())
    );
    // One page of 20 hands back a NextToken; it leads to the other 6.
    let first = aws(
        &cli,
        url,
        None,
        &[
            "organizations",
            "list-accounts",
            "--page-size",
            "20",
            "--max-items",
            "20",
        ],
    )
    .expect("a page");
    assert_eq!(first["Accounts"].as_array().map(Vec::len), Some(20));
    let token = first["NextToken"].as_str().expect("a NextToken after 20");
    let rest = aws(
        &cli,
        url,
        None,
        &["organizations", "list-accounts", "--starting-token", token],
    )
    .expect("the rest");
    assert_eq!(rest["Accounts"].as_array().map(Vec::len), Some(6));
    assert!(rest.get("NextToken").is_none());
    assert_refused(
        aws(
            &cli,
            url,
            None,
            &["organizations", "list-accounts", "--page-size", "21"],
        ),
        "InvalidInputException",
        "MaxResults",
    );

    // AssumeRole into the member account gives credentials for it.
    let role_arn = format!("arn:aws:iam::{MEMBER}:role/{ROLE}");
    let assumed = aws(
        &cli,
        url,
        None,
        &[
            "sts",
            "assume-role",
            "--role-arn",
            &role_arn,
            "--role-session-name",
            "trailscope-test",
        ],
    )
    .expect("assumed");
    let c = &assumed["Credentials"];
    let member = Creds {
        key: c["AccessKeyId"].as_str().expect("key").to_string(),
        secret: c["SecretAccessKey"].as_str().expect("secret").to_string(),
        token: c["SessionToken"].as_str().map(str::to_string),
    };
    assert!(
        member.key.starts_with("ASIA") && member.key.len() == 20,
        "{}",
        member.key
    );
    assert_eq!(
        assumed["AssumedRoleUser"]["Arn"],
        format!("arn:aws:sts::{MEMBER}:assumed-role/{ROLE}/trailscope-test")
    );
    // An hour from --now (CLI v1 prints it as sent, v2 reformats it).
    let expiration = c["Expiration"].as_str().unwrap_or("");
    assert!(
        matches!(
            expiration,
            "2026-11-21T13:00:00Z" | "2026-11-21T13:00:00+00:00"
        ),
        "{expiration}"
    );
    let who = aws(&cli, url, Some(&member), &["sts", "get-caller-identity"]).expect("who");
    assert_eq!(who["Account"], MEMBER);
    let who = aws(&cli, url, None, &["sts", "get-caller-identity"]).expect("who");
    assert_eq!(
        who["Arn"],
        format!("arn:aws:iam::{CALLER}:user/fake-caller")
    );

    // LookupEvents: the member's key sees exactly the member's management events of the
    // region, the static key exactly the caller account's.
    for (creds, account) in [(Some(&member), MEMBER), (None, CALLER)] {
        let got = aws(&cli, url, creds, &["cloudtrail", "lookup-events"]).expect("events");
        let ids = event_ids(&got);
        let set: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(ids.len(), set.len(), "no event twice");
        let want = expected_ids(&store, "us-east-1", account);
        assert!(want.len() > 100, "{account} has events in us-east-1");
        assert_eq!(set, want, "{account}");
        let accounts: BTreeSet<String> = got["Events"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["CloudTrailEvent"].as_str())
            .filter_map(|raw| serde_json::from_str::<Value>(raw).ok())
            .map(|r| {
                r["recipientAccountId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        assert_eq!(accounts, BTreeSet::from([account.to_string()]));
    }

    // Refusals: a role no account has, a closed account, an account trusting nobody.
    for (arn, why) in [
        (format!("arn:aws:iam::{MEMBER}:role/NotARole"), "other role"),
        (format!("arn:aws:iam::555555555555:role/{ROLE}"), "closed"),
        (format!("arn:aws:iam::666666666666:role/{ROLE}"), "denied"),
    ] {
        let r = aws(
            &cli,
            url,
            None,
            &[
                "sts",
                "assume-role",
                "--role-arn",
                &arn,
                "--role-session-name",
                "s-1",
            ],
        );
        eprintln!("{why}");
        assert_refused(
            r,
            "AccessDenied",
            &format!("is not authorized to perform: sts:AssumeRole on resource: {arn}"),
        );
    }
    assert_refused(
        aws(
            &cli,
            url,
            None,
            &[
                "sts",
                "assume-role",
                "--role-arn",
                &role_arn,
                "--role-session-name",
                "a b",
            ],
        ),
        "ValidationError",
        "roleSessionName",
    );
    assert_refused(
        aws(
            &cli,
            url,
            Some(&member),
            &["organizations", "list-accounts"],
        ),
        "AccessDeniedException",
        "management account",
    );
    // The fake kept every AssumeRole call, granted or not (the invalid one never got that far).
    let log = fake
        .shared
        .fake
        .lock()
        .map(|f| f.accounts.assumed.clone())
        .expect("log");
    let seen: Vec<(&str, &str, bool)> = log
        .iter()
        .map(|c| (c.account.as_str(), c.role.as_str(), c.granted))
        .collect();
    assert_eq!(
        seen,
        [
            (MEMBER, ROLE, true),
            (MEMBER, "NotARole", false),
            ("555555555555", ROLE, false),
            ("666666666666", ROLE, false),
        ]
    );
    assert_eq!(log[0].session, "trailscope-test");
    drop(fake);

    let alone = trailscope_fake::start(&args(&["--no-organization"])).expect("starts");
    assert_refused(
        aws(&cli, &alone.url, None, &["organizations", "list-accounts"]),
        "AWSOrganizationsNotInUseException",
        "not a member of an organization",
    );
}
