//! What each call acted on (`model::target`), on the real fixtures: one row per call, the
//! fixture it is in, how to find it and the target expected; then the column, the `target:`
//! filter, the facet and `--group-by target` agreeing with one another and with jq, and the
//! 80-column table keeping the target (shortened) beside time, event, principal, IP and error.

mod common;

use common::harness::given_demo;
use common::{fixture, load};
use std::collections::HashMap;
use std::io::Write;
use std::process::Command;
use trailscope::cmd::args::GroupBy;
use trailscope::cmd::query::group;
use trailscope::filter::facet::{counts, Facet};
use trailscope::filter::select;
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;

const STRATUS: &str = "stratus-red-team-detonation-logs/aws.";
const PANTHER: &str = "panther-analysis-cloudtrail-test-events/panther_cloudtrail_rule_tests.jsonl";

/// (fixture file, a filter that picks the call out, the target every call it picks has).
/// Panther's test events reuse eventIDs, so some rows pick by name and ID together; its
/// GetObject events have no ID, so that one picks by name and time.
const CASES: &[(&str, &str, &str)] = &[
    // S3 data events: bucket/key.
    (
        PANTHER,
        "event:=GetObject after:2023-01-01T12:00:00Z before:2023-01-01T12:00:01Z",
        "sensitive-data-bucket/confidential/file.pdf",
    ),
    (
        PANTHER,
        "event:=PutObject id:z9y8x7w6-5432-10fe-dcba-EXAMPLE22222",
        "production-data/documents/financial/HOW_TO_DECRYPT_FILES.txt",
    ),
    (
        PANTHER,
        "event:=DeleteObject id:EXAMPLE-1234-5678-9012-EXAMPLE",
        "example-bucket/example-object",
    ),
    // IAM: the user or role changed; with a policy, the policy beside it.
    (
        "persistence.iam-create-admin-user.json",
        "event:=CreateUser",
        "malicious-iam-user",
    ),
    (
        "persistence.iam-create-admin-user.json",
        "event:=AttachUserPolicy",
        "malicious-iam-user ← arn:aws:iam::aws:policy/AdministratorAccess",
    ),
    (
        "persistence.iam-backdoor-user.json",
        "event:=CreateAccessKey id:c64c4ded-ef03-4e5c-81eb-153b118d72f2",
        "stratus-red-team-backdoor-u-user",
    ),
    (
        "persistence.iam-create-user-login-profile.json",
        "event:=CreateLoginProfile",
        "stratus-red-team-login-profile-user",
    ),
    (
        "persistence.iam-backdoor-role.json",
        "event:=UpdateAssumeRolePolicy",
        "stratus-red-team-backdoor-r-role",
    ),
    (
        PANTHER,
        "event:=PutUserPolicy id:7ee6ba6e-1943-417a-a6a3-3a2b0292cdac",
        "test-user ← TestUserDenyAll",
    ),
    // CloudTrail: the trail.
    (
        PANTHER,
        "event:=StopLogging id:1",
        "arn:aws:cloudtrail:us-west-2:123456789012:trail/example-trail",
    ),
    (
        "defense-evasion.cloudtrail-delete.json",
        "event:=DeleteTrail",
        "stratus-red-team-cloudtraild-trail-kvrwohmiai",
    ),
    (
        "defense-evasion.cloudtrail-event-selectors.json",
        "event:=PutEventSelectors",
        "stratus-red-team-ctes-trail-khlvciwdor",
    ),
    // GuardDuty: the detector.
    (
        "aws-docs-examples/guardduty-create-threat-intel-set.json",
        "event:=CreateThreatIntelSet",
        "5ab04b1110c865eecf516eee2435ede7",
    ),
    // Secrets Manager: the secret.
    (
        "credential-access.secretsmanager-retrieve-secrets.json",
        "event:=GetSecretValue id:99207de2-f8ea-4160-bbe8-22cb14da3a26",
        "arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-4-Rma50d",
    ),
    // EC2: the instances, else the image, snapshot, group or flow log.
    (
        "execution.ec2-user-data.json",
        "event:=StopInstances",
        "i-DDd6c7B0e18F0E35f",
    ),
    (
        PANTHER,
        "event:=StopInstances id:9357a8cc-a0eb-46a1-b67e-EXAMPLE19b14",
        "i-EXAMPLE56126103cb, i-EXAMPLEaff4840c22",
    ),
    (
        "credential-access.ec2-get-password-data.json",
        "event:=GetPasswordData id:d2d44fa9-f50b-4877-8a52-9e3855029970",
        "i-z4rfvoc4sgtoirf6",
    ),
    (
        "execution.ec2-launch-unusual-instances.json",
        "event:=RunInstances id:1a4debbb-12e9-4bde-b8c7-ea29002bb2a7",
        "ami-aCBbfd13bdb1d1E4b",
    ),
    (
        "exfiltration.ec2-share-ebs-snapshot.json",
        "event:=ModifySnapshotAttribute",
        "snap-041993b54a9b3af6f",
    ),
    (
        "exfiltration.ec2-security-group-open-port-22-ingress.json",
        "event:=AuthorizeSecurityGroupIngress",
        "sg-003dc7f1f1c686164",
    ),
    (
        "defense-evasion.vpc-remove-flow-logs.json",
        "event:=DeleteFlowLogs",
        "fl-0e17aa62a21d4bbfe",
    ),
    (
        "lateral-movement.ec2-instance-connect.json",
        "event:=SendSSHPublicKey id:0968cbec-f8df-43f3-94ba-b451aad083ed",
        "i-fDb357cB7e99ad973",
    ),
    // SSM: the instances a command ran on (three shown, the rest counted), the parameters.
    (
        "execution.ssm-send-command.json",
        "event:=SendCommand",
        "i-00456A8D163f546Ff, i-cfE23b1a7ceba6f86, i-9D40CCFc0aE91CFa5",
    ),
    (
        "credential-access.ssm-retrieve-securestring-parameters.json",
        "event:=GetParameters id:7fbcfbae-35c6-4c93-88bf-741fe4c4ada3",
        "/credentials/stratus-red-team/credentials-10, /credentials/stratus-red-team/credentials-13, /credentials/stratus-red-team/credentials-14 +7 more",
    ),
    // STS: the role assumed.
    (
        "credential-access.ec2-get-password-data.json",
        "event:=AssumeRole id:d769ddfd-2cda-4cfa-b33f-05d3b886921d",
        "arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role",
    ),
    // Lambda, RDS, Route 53 Resolver.
    (
        "persistence.lambda-overwrite-code.json",
        "event:=UpdateFunctionCode20150331v2",
        "arn:aws:lambda:ap-westeast-2r:266106314375:function:stratus-red-team-olc-func-vayhjqkdav",
    ),
    (
        "exfiltration.rds-share-snapshot.json",
        "event:=ModifyDBSnapshotAttribute",
        "exfiltration",
    ),
    (
        "defense-evasion.dns-delete-logs.json",
        "event:=DeleteResolverQueryLogConfig",
        "rqlc-4473f20ca554c07",
    ),
    // KMS Decrypt names no key in its parameters: the resource's ARN.
    (
        PANTHER,
        "event:=Decrypt id:1",
        "arn:aws:kms:us-west-2:123456789012:key/1",
    ),
    // Nothing to name: LeaveOrganization has no parameters and no resources.
    ("defense-evasion.organizations-leave.json", "event:=LeaveOrganization", ""),
];

fn path(file: &str) -> std::path::PathBuf {
    if file.contains('/') {
        fixture(file)
    } else {
        fixture(&format!("{STRATUS}{file}"))
    }
}

#[test]
fn every_call_names_its_target_on_the_real_fixtures() {
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for &(file, filter, want) in CASES {
        let (store, _) = load(&[path(file)]);
        let rows = select(&store, filter, EventTime::UNKNOWN).expect("filter parses");
        assert!(!rows.is_empty(), "{file}: nothing matches {filter}");
        for &i in &rows {
            let e = store.event(i);
            names.insert(store.text(e.name).to_string());
            let got = store.text(e.target);
            if got != want {
                failures.push(format!("{file} {filter}: {got:?}, expected {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(names.len() >= 15, "{} event names", names.len());
}

/// Every fixture together: the `target:` filter selects exactly the events whose target
/// contains the value (case-insensitively), `target:=` the whole value; the facet counts and
/// `--group-by target` count the same.
#[test]
fn filter_facet_and_group_by_agree_with_the_column() {
    let (store, _) = load(&[fixture("")]);
    let all = select(&store, "", EventTime::UNKNOWN).expect("parses");
    let target = |i: u32| store.text(store.event(i).target).to_string();
    for needle in [
        "stratus-red-team",
        "I-DDD6C7",
        "example-bucket/",
        "←",
        "+7 more",
    ] {
        let got =
            select(&store, &format!("target:\"{needle}\""), EventTime::UNKNOWN).expect("parses");
        let want: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&i| target(i).to_lowercase().contains(&needle.to_lowercase()))
            .collect();
        assert!(!want.is_empty(), "{needle}");
        assert_eq!(got, want, "target:{needle}");
    }
    let exact = select(&store, "target:=malicious-iam-user", EventTime::UNKNOWN).expect("parses");
    assert!(exact.iter().all(|&i| target(i) == "malicious-iam-user"));
    // CreateUser and CreateAccessKey; AttachUserPolicy's target names the policy too.
    assert_eq!(exact.len(), 2);
    let glob = select(&store, "target:i-*", EventTime::UNKNOWN).expect("parses");
    assert!(glob
        .iter()
        .all(|&i| target(i).to_lowercase().starts_with("i-")));
    let none = select(&store, "-target:*", EventTime::UNKNOWN).expect("parses");
    assert!(none.iter().all(|&i| target(i).is_empty()));

    let facet: HashMap<String, usize> = counts(&store, &all, Facet::Target)
        .into_iter()
        .map(|v| (store.interner.resolve(v.sym).to_string(), v.count))
        .collect();
    let groups: HashMap<String, usize> = group::count(&store, &all, GroupBy::Target)
        .into_iter()
        .filter(|g| g.sym.is_some())
        .map(|g| (store.text(g.sym).to_string(), g.count))
        .collect();
    assert_eq!(facet, groups);
    assert_eq!(
        facet.values().sum::<usize>() + none.len(),
        all.len(),
        "every event has a target or none"
    );
}

/// The store's records as JSON lines, for jq.
fn dump(store: &Store, rows: &[u32]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    for &i in rows {
        writeln!(file, "{}", &*store.event(i).raw.text()).expect("write");
    }
    file
}

/// jq's `program` (one value per record, `-r`) over `file`, counted.
fn jq_groups(file: &std::path::Path, program: &str) -> HashMap<String, usize> {
    let out = Command::new("jq")
        .args(["-r", program])
        .arg(file)
        .output()
        .expect("jq must be installed (.ci/run installs it)");
    assert!(
        out.status.success(),
        "jq: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut counts = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        *counts.entry(line.to_string()).or_insert(0) += 1;
    }
    counts
}

/// `trailscope query … --group-by target` (its counting, in process) against jq reading the
/// rules it applies: S3 calls on the demo (bucket/key, else the first resource ARN), STS and
/// Secrets Manager calls in the Stratus detonations (role ARN or secret ID, else the resource).
#[test]
fn group_by_target_agrees_with_jq() {
    let fallback = r#"([.resources[]? | .ARN? | strings | select(. != "")][0] // "")"#;
    let cases = [
        (
            store_of_demo(),
            "source:=s3.amazonaws.com",
            format!(
                r#"([.requestParameters.bucketName, .requestParameters.key] | map(strings | select(. != "")) | join("/")) as $t | if $t != "" then $t else {fallback} end"#
            ),
        ),
        (
            load(&[fixture("stratus-red-team-detonation-logs")]).0,
            "source:=sts.amazonaws.com | source:=secretsmanager.amazonaws.com",
            format!(
                r#"(if .eventSource == "sts.amazonaws.com" then [.requestParameters.roleArn?, .requestParameters.name?] else [.requestParameters.secretId?, .requestParameters.name?] end | map(strings | select(. != ""))[0]) // {fallback}"#
            ),
        ),
    ];
    for (store, filter, program) in cases {
        let rows = select(&store, filter, EventTime::UNKNOWN).expect("parses");
        assert!(rows.len() > 10, "{filter}");
        let ours: HashMap<String, usize> = group::count(&store, &rows, GroupBy::Target)
            .into_iter()
            .map(|g| (store.text(g.sym).to_string(), g.count))
            .collect();
        let file = dump(&store, &rows);
        assert_eq!(ours, jq_groups(file.path(), &program), "{filter}");
    }
}

fn store_of_demo() -> Store {
    trailscope::source::files::load_blocking(trailscope::source::demo::plan()).0
}

/// Issue 22, item 7: at 80×24 the table keeps time, event, principal, source IP, error and
/// target, shortening them (`…`) rather than dropping any; source and region are what the
/// column chooser lists as hidden for width.
#[test]
fn at_80_columns_the_table_keeps_six_columns_shortened() {
    let h = given_demo(80, 24).keys("/target:acme-finance-reports/reports<enter>");
    let screen = h.draw();
    let header = screen
        .iter()
        .find(|l| l.contains("EVENT"))
        .expect("a header row");
    for title in ["TIME", "EVENT", "PRINCIPAL", "SOURCE IP", "ERROR", "TARGET"] {
        assert!(header.contains(title), "{title} in {header:?}");
    }
    assert!(!header.contains("REGION"), "{header:?}");
    // Object paths are cut in the middle: the bucket and the file name both stay.
    let row = screen
        .iter()
        .find(|l| l.contains("GetObject"))
        .unwrap_or_else(|| panic!("a GetObject row in {screen:#?}"));
    let cell = row
        .trim_end_matches('│')
        .split_whitespace()
        .last()
        .unwrap_or_default();
    assert!(
        cell.starts_with("acme") && cell.contains('…') && cell.ends_with("0001.csv"),
        "{row:?}"
    );
    let chooser = h.keys("c").draw().join("\n");
    for hidden in ["SOURCE  (hidden", "REGION  (hidden"] {
        assert!(chooser.contains(hidden), "{hidden} in {chooser}");
    }
    assert!(!chooser.contains("TARGET  (hidden"), "{chooser}");
}

/// A target is written by the caller like every other field: a bucket name carrying an OSC 52
/// clipboard write and a key with a right-to-left override show as visible escapes in the
/// table, the facet picker and the group-by's terminal output, never as the bytes themselves.
#[test]
fn a_hostile_target_is_shown_escaped_everywhere() {
    use trailscope::app::session::SessionMeta;
    use trailscope::cmd::query::output::{groups, Dest};
    use trailscope::model::sanitize::is_unsafe;
    let record = r#"{"eventVersion":"1.09","eventTime":"2026-11-19T02:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"e1","sourceIPAddress":"198.51.100.7","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/m","userName":"m"},"requestParameters":{"bucketName":"b\u001b]52;c;cHduZWQ=\u0007","key":"\u202eexe.txt"}}"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("hostile-target.json");
    std::fs::write(&file, record).expect("write");
    let planned = trailscope::source::walk::plan(&[file]);
    let mut h = common::harness::given_session(planned, "t", 200, 30, SessionMeta::default());
    // Time and target alone, so the whole target fits its cell.
    h.app.columns = vec![
        trailscope::model::column::Column::Time,
        trailscope::model::column::Column::Target,
    ];
    let store = &h.app.store;
    assert_eq!(
        store.text(store.event(0).target),
        "b\u{1b}]52;c;cHduZWQ=\u{7}/\u{202e}exe.txt",
        "stored as written"
    );
    let clean = |text: &str| !text.chars().any(|c| is_unsafe(c) && c != '\n');
    let table = h.draw().join("\n");
    assert!(
        table.contains("b\\x1b]52;c;cHduZWQ=\\x07/\\u{202e}exe.txt"),
        "{table}"
    );
    assert!(clean(&table), "{table}");
    // The facet picker on the targets tab (the fifth).
    let h = h.keys("f<tab><tab><tab><tab>");
    assert_eq!(h.app.picker.as_ref().map(|p| p.facet), Some(Facet::Target));
    let picker = h.draw().join("\n");
    assert!(picker.contains(" targets "), "{picker}");
    assert!(picker.contains("\\x1b]52;c;"), "{picker}");
    assert!(clean(&picker), "{picker}");
    // `trailscope query --group-by target` to a terminal.
    let (store, _) = load(&[dir.path().join("hostile-target.json")]);
    let all = select(&store, "", EventTime::UNKNOWN).expect("parses");
    let mut out = Vec::new();
    let counted = group::count(&store, &all, GroupBy::Target);
    let format = (trailscope::cmd::args::Output::Table, Dest::Terminal);
    groups(&mut out, &store, &counted, format, None).expect("written");
    let text = String::from_utf8(out).expect("utf-8");
    // `COUNT<tab>VALUE`: the tab is the output's own.
    assert!(clean(&text.replace('\t', " ")), "{text}");
    assert!(text.contains("\\u{202e}exe.txt"), "{text}");
}
