//! LookupEvents across an organization's accounts, through the real AWS SDK against the fake
//! endpoint (STS AssumeRole, Organizations ListAccounts, LookupEvents per account with its own
//! rate limit): `trailscope query --accounts all` reads every account × region, each event
//! once; an account whose role is refused is named with the reason while the others go on;
//! a throttled account still arrives whole.

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};

const ACCOUNTS: [&str; 5] = [
    "111111111111",
    "222222222222",
    "333333333333",
    "444444444444",
    "555555555555",
];

fn query(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("query")
        .args(args)
        .env("AWS_ENDPOINT_URL", url)
        .env("USER", "responder")
        .envs(common::isolated_aws_env())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("run trailscope")
}

/// Every event of `accounts`, as written.
fn events_of(ids: &BTreeMap<String, Vec<String>>, accounts: &[&str]) -> BTreeSet<String> {
    accounts
        .iter()
        .flat_map(|a| ids[*a].iter().cloned())
        .collect()
}

/// The events printed, checked to arrive once each.
fn received(out: &Output) -> BTreeSet<String> {
    let all = event_ids(out);
    let once: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(
        once.len(),
        all.len(),
        "an event arrived twice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    once
}

fn event_ids(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["eventID"].as_str().map(str::to_string))
        .collect()
}

/// 5 accounts × 2 regions: the caller's own account read with its own keys, three through
/// the role, one refused (named, the others go on), one at a third of the rate (throttled,
/// still whole). Every event of the readable accounts arrives, each once.
#[test]
fn every_account_and_region_once_with_one_denied_and_one_throttled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids =
        common::org::write_organization(dir.path(), &ACCOUNTS, &["eu-west-1", "us-east-1"], 120);
    let fake = common::FakeEndpoint::serving(
        dir.path(),
        &[
            "--caller-account",
            ACCOUNTS[0],
            "--deny-role",
            ACCOUNTS[3],
            "--account-rate",
            &format!("{}=0.7", ACCOUNTS[4]),
        ],
    );
    let out = query(
        &fake.url,
        &[
            "--accounts",
            "all",
            "--regions",
            "eu-west-1",
            "--since",
            "2h",
            "-o",
            "jsonl",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let readable = [ACCOUNTS[0], ACCOUNTS[1], ACCOUNTS[2], ACCOUNTS[4]];
    assert_eq!(received(&out), events_of(&ids, &readable), "{stderr}");
    // Partial, and said so: exit status 3, after the answer.
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("2 LookupEvents account × region fetch(es) failed"),
        "{stderr}"
    );
    // The refused account is named, with the role and what to check.
    assert!(
        stderr.contains(&format!(
            "cannot assume OrganizationAccountAccessRole in {}",
            ACCOUNTS[3]
        )),
        "{stderr}"
    );
    assert!(stderr.contains("AccessDenied"), "{stderr}");
    // The throttled account's lanes were throttled and still read to the end.
    let lines: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("trailscope: "))
        .collect();
    for region in ["eu-west-1", "us-east-1"] {
        let lane = format!("{} {region}:", ACCOUNTS[4]);
        let line = lines.iter().find(|l| l.starts_with(&lane)).unwrap_or(&"");
        assert!(line.contains("120 event(s)"), "{stderr}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(ACCOUNTS[4]) && !l.contains(" 0 throttle(s)")),
        "the slow account was throttled: {stderr}"
    );
}

/// Accounts named by ID, a role name of the user's, and `--accounts all` refused to a member
/// account or outside an organization, with what to do instead.
#[test]
fn named_accounts_and_refusals_say_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = common::org::write_organization(dir.path(), &ACCOUNTS[..3], &["eu-west-1"], 60);
    let fake = common::FakeEndpoint::serving(
        dir.path(),
        &[
            "--caller-account",
            ACCOUNTS[0],
            "--role-names",
            "IncidentResponder",
        ],
    );
    let asked = format!("{},{}", ACCOUNTS[1], ACCOUNTS[2]);
    let out = query(
        &fake.url,
        &[
            "--accounts",
            &asked,
            "--role-name",
            "IncidentResponder",
            "--region",
            "eu-west-1",
            "--no-global",
            "--since",
            "2h",
            "-o",
            "jsonl",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = events_of(&ids, &ACCOUNTS[1..3]);
    assert_eq!(received(&out), want, "{stderr}");
    // The default role does not exist there: refused, named.
    let out = query(
        &fake.url,
        &[
            "--accounts",
            ACCOUNTS[1],
            "--region",
            "eu-west-1",
            "--no-global",
            "--since",
            "2h",
            "-o",
            "count",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--role-name names another role"),
        "{stderr}"
    );

    let member = common::FakeEndpoint::serving(
        dir.path(),
        &[
            "--caller-account",
            ACCOUNTS[1],
            "--management-account",
            ACCOUNTS[0],
        ],
    );
    let out = query(
        &member.url,
        &["--accounts", "all", "--region", "eu-west-1", "-o", "count"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("only its management account or a delegated administrator"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--accounts 111122223333,444455556666"),
        "{stderr}"
    );

    let alone = common::FakeEndpoint::serving(
        dir.path(),
        &["--caller-account", ACCOUNTS[0], "--no-organization"],
    );
    let out = query(
        &alone.url,
        &["--accounts", "all", "--region", "eu-west-1", "-o", "count"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not in an organization"), "{stderr}");

    // Accounts without a region: LookupEvents is asked region by region.
    let out = query(&fake.url, &["--accounts", "all", "-o", "count"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --region R"));
    // A mistyped ID is the command line's mistake.
    let out = query(
        &fake.url,
        &[
            "--accounts",
            "12345",
            "--region",
            "eu-west-1",
            "-o",
            "count",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// `--profiles 'prod-*'`: one account per profile of the config file, each through its own
/// chain (here `role_arn` with `source_profile`, which the SDK assumes at the fake's STS),
/// even with keys in the environment; a glob that matches nothing lists what there is.
#[test]
fn profiles_by_glob_each_reach_their_own_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = common::org::write_organization(dir.path(), &ACCOUNTS[..3], &["eu-west-1"], 60);
    let fake = common::FakeEndpoint::serving(dir.path(), &["--caller-account", ACCOUNTS[0]]);
    let config = dir.path().join("config");
    let role = |a: &str| format!("arn:aws:iam::{a}:role/OrganizationAccountAccessRole");
    std::fs::write(
        &config,
        format!(
            "[profile base]\naws_access_key_id = AKIDBASEPROFILE\naws_secret_access_key = x\n\n\
             [profile prod-a]\nrole_arn = {}\nsource_profile = base\n\n\
             [profile prod-b]\nrole_arn = {}\nsource_profile = base\n\n\
             [profile staging]\nrole_arn = {}\nsource_profile = base\n",
            role(ACCOUNTS[1]),
            role(ACCOUNTS[2]),
            role(ACCOUNTS[0])
        ),
    )
    .expect("write config");
    let run = |profiles: &str| {
        Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args([
                "query",
                "--profiles",
                profiles,
                "--region",
                "eu-west-1",
                "--no-global",
            ])
            .args(["--since", "2h", "-o", "jsonl"])
            .env("AWS_ENDPOINT_URL", &fake.url)
            .envs(common::isolated_aws_env())
            .env("AWS_CONFIG_FILE", &config)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .expect("run trailscope")
    };
    let out = run("prod-*");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let want = events_of(&ids, &ACCOUNTS[1..3]);
    assert_eq!(received(&out), want, "{stderr}");
    assert!(
        stderr.contains("prod-a eu-west-1: 2 page(s), 60 event(s)"),
        "{stderr}"
    );

    let out = run("dev-*");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("matches no profile") && stderr.contains("prod-a, prod-b"),
        "{stderr}"
    );
}

/// Credentials from AssumeRole that expire in the middle of a lane are assumed again before
/// they run out: every page of a 12-page lane arrives though each set lasts 3 seconds, and the
/// role session is named for trailscope and who ran it.
#[test]
fn an_assumed_role_is_renewed_before_it_expires() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = common::org::write_organization(dir.path(), &ACCOUNTS[..2], &["eu-west-1"], 600);
    let fake = common::FakeEndpoint::serving(
        dir.path(),
        &["--caller-account", ACCOUNTS[0], "--credential-seconds", "3"],
    );
    let out = query(
        &fake.url,
        &[
            "--accounts",
            ACCOUNTS[1],
            "--region",
            "eu-west-1",
            "--no-global",
            "--since",
            "6h",
            "-o",
            "jsonl",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(received(&out), events_of(&ids, &ACCOUNTS[1..2]), "{stderr}");
    assert!(!stderr.contains("expired"), "{stderr}");
    let calls = fake.assume_calls();
    assert!(
        calls.len() >= 2,
        "assumed again as the credentials ran out: {calls:?}"
    );
    assert!(
        calls.iter().all(|(a, session, granted)| a == ACCOUNTS[1]
            && session == "trailscope-responder"
            && *granted),
        "{calls:?}"
    );
}
