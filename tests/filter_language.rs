//! The filter language, table-driven: how expressions parse, where errors point, and what
//! every field and preset selects, checked against jq over the same records.

mod common;

use common::{fixture, load};
use std::io::Write;
use std::process::Command;
use trailscope::filter::preset::Preset;
use trailscope::filter::{parse, select, Expr};
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;

#[test]
fn parses() {
    let cases = [
        ("", "(and)"),
        ("  ", "(and)"),
        ("alice", r#""alice""#),
        ("Alice Bob", r#"(and "Alice" "Bob")"#),
        ("ip:10.0.0.1", r#"ip:"10.0.0.1""#),
        ("IP:10.0.0.1", r#"ip:"10.0.0.1""#),
        ("user:bob", r#"principal:"bob""#),
        ("key:=AKIAEXAMPLE", r#"key:="AKIAEXAMPLE""#),
        (r#"ua:"AWS Internal""#, r#"ua:"AWS Internal""#),
        (r#"principal:="a b""#, r#"principal:="a b""#),
        (r#""error:any""#, r#""error:any""#),
        (r#""say \"hi\"""#, r#""say \"hi\"""#),
        ("-error:any", r#"(not error:"any")"#),
        ("!error:any", r#"(not error:"any")"#),
        ("not error:any", r#"(not error:"any")"#),
        ("a | b", r#"(or "a" "b")"#),
        ("a or b", r#"(or "a" "b")"#),
        ("a OR b c", r#"(or "a" (and "b" "c"))"#),
        ("a and b", r#"(and "a" "b")"#),
        ("(a | b) c", r#"(and (or "a" "b") "c")"#),
        ("-(a | b)", r#"(not (or "a" "b"))"#),
        (
            "event:Delete* -source:s3",
            r#"(and event:"Delete*" (not source:"s3"))"#,
        ),
        (
            "after:-3h before:2024-05-01",
            r#"(and after:"-3h" before:"2024-05-01")"#,
        ),
        ("ip:10.0.0.0/8", r#"ip:"10.0.0.0/8""#),
        // Not fields: free text that happens to hold a colon.
        ("s3:GetObject", r#""s3:GetObject""#),
        (
            "arn:aws:iam::111122223333:user/bob",
            r#""arn:aws:iam::111122223333:user/bob""#,
        ),
        ("10:30", r#""10:30""#),
        ("a-b", r#""a-b""#),
        ("x!", r#""x!""#),
    ];
    for (input, want) in cases {
        match parse(input) {
            Ok(expr) => assert_eq!(expr.to_string(), want, "parsing {input:?}"),
            Err(e) => panic!("{input:?} should parse, got {e}"),
        }
    }
}

#[test]
fn errors_point_at_the_problem() {
    // (input, column, length, part of the message)
    let cases = [
        ("pricipal:bob", 0, 8, "did you mean `principal:`"),
        ("zzzz:1", 0, 4, "unknown field `zzzz:`"),
        ("ip:", 3, 0, "needs a value"),
        ("event:Get key:", 14, 0, "`key:` needs a value"),
        ("(a | b", 0, 1, "never closed"),
        ("a)", 1, 1, "unmatched `)`"),
        ("a |", 2, 1, "both sides"),
        ("| a", 0, 1, "both sides"),
        ("a - b", 2, 1, "nothing to negate"),
        ("a -", 2, 1, "nothing to negate"),
        (r#"ua:"AWS In"#, 3, 7, "unclosed quote"),
        ("after:2024-13-01", 6, 10, "not a time"),
        ("after:2024", 6, 4, "not a time"),
        ("readonly:maybe", 9, 5, "true or false"),
        ("ip:10.0.0.0/40", 3, 11, "longer than an address"),
        ("ip:nope/8", 3, 6, "not a CIDR"),
        ("écoute pricipal:x", 7, 8, "did you mean"),
    ];
    for (input, at, len, msg) in cases {
        match parse(input) {
            Ok(e) => panic!("{input:?} should fail, parsed as {e}"),
            Err(e) => {
                assert_eq!((e.at, e.len), (at, len), "{input:?}: {e}");
                assert!(e.message.contains(msg), "{input:?}: {}", e.message);
            }
        }
    }
}

#[test]
fn narrowing_is_recognised_only_when_safe() {
    let p = |s: &str| parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    let narrows = [
        ("delet", "dele"),
        ("DELETE", "dele"),
        ("ip:10.0.0.1 error:any", "ip:10.0.0.1"),
        ("principal:alice", "principal:ali"),
        ("a b c", "a b"),
        ("(a | b) c", "a | b"),
        ("anything", ""),
    ];
    for (narrower, wider) in narrows {
        assert!(p(narrower).narrows(&p(wider)), "{narrower} ⊆ {wider}");
    }
    let not = [
        ("del", "dele"),
        ("-delet", "-dele"),
        ("key:AKIA1", "key:AKIA"),
        ("event:Delete*", "event:Delete"),
        ("principal:=alice", "principal:=ali"),
        ("a | b", "a"),
        ("", "a"),
    ];
    for (a, b) in not {
        assert!(!p(a).narrows(&p(b)), "{a} is not known to narrow {b}");
    }
}

/// All demo and fixture records as one JSON-lines file, and the store loaded from the same.
fn corpus() -> (Store, tempfile::NamedTempFile) {
    // The hostile corpus is left out: it puts numbers where strings belong, which jq would
    // need a type check for in every condition (tests/input_shapes.rs covers it).
    let mut plan = demo::plan();
    let sets = [
        "aws-cloudtrail-processing-library-fixtures",
        "panther-analysis-cloudtrail-test-events",
        "plaso-lookupevents-jsonl",
        "stratus-red-team-detonation-logs",
        "presets",
        "identity_center",
    ];
    let fixtures = trailscope::source::walk::plan(&sets.map(fixture));
    plan.inputs.extend(fixtures.inputs);
    let (store, _) = load_blocking(plan);
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    for &i in store.time_order() {
        writeln!(file, "{}", &*store.event(i).raw.text()).expect("write");
    }
    (store, file)
}

/// Counts per jq `select` condition, in one pass of jq over the corpus.
fn jq_counts(file: &std::path::Path, conditions: &[&str]) -> Vec<usize> {
    let program = format!(
        "[{}]",
        conditions
            .iter()
            .map(|c| format!("(map(select({c})) | length)"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let out = Command::new("jq")
        .args(["-s", "-c", &program])
        .arg(file)
        .output()
        .expect("jq must be installed (.ci/run installs it)");
    assert!(
        out.status.success(),
        "jq: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("jq prints a list of counts")
}

const NOW: &str = "2026-11-20T00:00:00Z";

/// The error field in jq (model::outcome): `errorCode`, else `Failure` where the sign-in
/// service (any of its events) or an Identity Center sign-in step says so under a key named
/// after the event, in `responseElements` or `serviceEventDetails`.
macro_rules! error_jq {
    () => {
        r#"((.eventName // "") as $n | (.errorCode // "") as $c | if $c != "" then $c elif (.eventSource == "signin.amazonaws.com" or ($n | IN("CredentialChallenge", "CredentialVerification", "UserAuthentication"))) and ([.responseElements, .serviceEventDetails] | map(if type == "string" then (fromjson? // null) else . end | objects | .[$n] | strings | ascii_downcase == "failure") | any) then "Failure" else "" end)"#
    };
}

/// Every field, operator and preset, each beside the jq condition that means the same.
const CASES: &[(&str, &str)] = &[
    ("", "true"),
    (
        "AKIAXLEAKED0EXAMPLE1",
        r#"tostring | test("akiaxleaked0example1"; "i")"#,
    ),
    (
        "acme-finance-reports",
        r#"tostring | contains("acme-finance-reports")"#,
    ),
    (
        "ACME-FINANCE-reports deleteobject",
        r#"tostring | test("acme-finance-reports"; "i") and test("deleteobject"; "i")"#,
    ),
    (
        "principal:backup-svc",
        r#"[.userIdentity.userName, .userIdentity.arn] | map(. // "" | test("backup-svc"; "i")) | any"#,
    ),
    (
        "arn:assumed-role/OrganizationAccountAccessRole",
        r#".userIdentity.arn // "" | test("assumed-role/organizationaccountaccessrole"; "i")"#,
    ),
    (
        "key:AKIAXLEAKED0EXAMPLE1",
        r#".userIdentity.accessKeyId == "AKIAXLEAKED0EXAMPLE1""#,
    ),
    ("key:akiaxleaked0example1", "false"),
    (
        "key:ASIA*",
        r#".userIdentity.accessKeyId // "" | startswith("ASIA")"#,
    ),
    ("ip:198.51.100.77", r#".sourceIPAddress == "198.51.100.77""#),
    (
        "ip:198.51.100.0/24",
        r#".sourceIPAddress // "" | startswith("198.51.100.")"#,
    ),
    (
        "ip:10.0.0.0/8",
        r#".sourceIPAddress // "" | startswith("10.") and (split(".") | length == 4)"#,
    ),
    (
        "ip:*.amazonaws.com",
        r#".sourceIPAddress // "" | test("\\.amazonaws\\.com$"; "i")"#,
    ),
    ("event:DeleteObject", r#".eventName == "DeleteObject""#),
    ("event:deleteobject", r#".eventName == "DeleteObject""#),
    (
        "event:Delete*",
        r#".eventName // "" | test("^delete"; "i")"#,
    ),
    (
        "event:*Policy",
        r#".eventName // "" | test("policy$"; "i")"#,
    ),
    ("source:iam", r#".eventSource // "" | contains("iam")"#),
    ("region:eu-west-1", r#".awsRegion == "eu-west-1""#),
    (
        "account:444455556666",
        r#".recipientAccountId == "444455556666" or .userIdentity.accountId == "444455556666""#,
    ),
    // An empty errorCode is no error; a failed sign-in without one is (`ERROR_JQ`).
    ("error:any", concat!(error_jq!(), r#" != """#)),
    ("error:none", concat!(error_jq!(), r#" == """#)),
    (
        "error:AccessDenied",
        concat!(error_jq!(), r#" | test("^accessdenied$"; "i")"#),
    ),
    (
        "error:*Denied*",
        concat!(error_jq!(), r#" | test("denied"; "i")"#),
    ),
    ("error:failure", concat!(error_jq!(), r#" == "Failure""#)),
    ("ua:Boto3", r#".userAgent // "" | test("boto3"; "i")"#),
    (
        "resource:acme-finance",
        r#"[.resources[]? | objects | .ARN // ""] | map(test("acme-finance"; "i")) | any"#,
    ),
    // What the call acted on: for S3, bucket/key from the request, else the first resource.
    (
        "target:ACME-FINANCE-REPORTS/reports source:=s3.amazonaws.com",
        r#".eventSource == "s3.amazonaws.com" and (([.requestParameters | objects | .bucketName, .key] | map(strings | select(. != "")) | join("/")) as $t | if $t != "" then $t else ([.resources[]? | objects | .ARN | strings | select(. != "")][0] // "") end | ascii_downcase | contains("acme-finance-reports/reports"))"#,
    ),
    ("type:AssumedRole", r#".userIdentity.type == "AssumedRole""#),
    ("type:root", r#".userIdentity.type == "Root""#),
    // Some producers write booleans as strings.
    (
        "readonly:false",
        r#".readOnly | tostring | ascii_downcase == "false""#,
    ),
    (
        "readonly:true",
        r#".readOnly | tostring | ascii_downcase == "true""#,
    ),
    ("category:Data", r#".eventCategory == "Data""#),
    ("vpce:any", ".vpcEndpointId != null"),
    (
        "session:deploy-sync",
        r#".userIdentity.arn // "" | contains(":assumed-role/") and (split("/")[2:] | join("/") | contains("deploy-sync"))"#,
    ),
    (
        "role:web-app",
        r#".userIdentity.sessionContext.sessionIssuer.userName // "" | contains("web-app")"#,
    ),
    // Identity Center: a portal session by its credentialId (case-sensitive, globs allowed),
    // a sign-in's steps by their workflow, and the two together as the portal pivot writes them.
    (
        "portal:AAAAAGExampleAlicePortalSession_Vk3mQ9tZrW8xY2nB7cD4fG5hJ6kL1pOq",
        r#".userIdentity.credentialId == "AAAAAGExampleAlicePortalSession_Vk3mQ9tZrW8xY2nB7cD4fG5hJ6kL1pOq""#,
    ),
    (
        "credential:AAAAAGExample*",
        r#".userIdentity.credentialId // "" | startswith("AAAAAGExample")"#,
    ),
    ("portal:aaaaagexample*", "false"),
    (
        "signin:7a4ef12c-7c4b-4bc3-b5bd-c2469afcc795",
        r#"(.additionalEventData | objects | .AuthWorkflowID) == "7a4ef12c-7c4b-4bc3-b5bd-c2469afcc795""#,
    ),
    (
        "portal:=AAAAAGExampleAlicePortalSession_Vk3mQ9tZrW8xY2nB7cD4fG5hJ6kL1pOq OR workflow:=7a4ef12c-7c4b-4bc3-b5bd-c2469afcc795",
        r#".userIdentity.credentialId == "AAAAAGExampleAlicePortalSession_Vk3mQ9tZrW8xY2nB7cD4fG5hJ6kL1pOq" or (.additionalEventData | objects | .AuthWorkflowID) == "7a4ef12c-7c4b-4bc3-b5bd-c2469afcc795""#,
    ),
    // Times compare as text in jq (the corpus has `2021-10-14 21:25:20` as well as RFC 3339), so
    // only readable times take part, as in trailscope, where a missing or unreadable time
    // matches no time bound.
    (
        "after:2026-11-19T03:00:00Z",
        r#"(.eventTime | strings | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]")) and (.eventTime | sub(" "; "T")) >= "2026-11-19T03:00:00Z""#,
    ),
    (
        "before:2026-11-19",
        r#"(.eventTime | strings | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]")) and (.eventTime | sub(" "; "T")) < "2026-11-19""#,
    ),
    (
        "after:-36h",
        r#"(.eventTime | strings | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]")) and (.eventTime | sub(" "; "T")) >= "2026-11-18T12:00:00Z""#,
    ),
    (
        "ip:198.51.100.77 -event:GetObject",
        r#".sourceIPAddress == "198.51.100.77" and .eventName != "GetObject""#,
    ),
    (
        "!ip:198.51.100.77",
        r#".sourceIPAddress != "198.51.100.77""#,
    ),
    (
        "event:StopLogging | event:StartLogging",
        r#".eventName == "StopLogging" or .eventName == "StartLogging""#,
    ),
    (
        "(event:CreateUser or event:CreateAccessKey) ip:198.51.100.77",
        r#"(.eventName == "CreateUser" or .eventName == "CreateAccessKey") and .sourceIPAddress == "198.51.100.77""#,
    ),
];

// Written without regexes: jq compiles a `test` pattern for every record it runs on.
const DANGEROUS_JQ: &str = r#"(.eventName // "" | ascii_downcase) as $n | ($n | IN("stoplogging","deletetrail","updatetrail","puteventselectors","putinsightselectors","deleteeventdatastore","createaccesskey","createuser","createloginprofile","updateloginprofile","createpolicyversion","setdefaultpolicyversion","updateassumerolepolicy","addusertogroup","deactivatemfadevice","deletevirtualmfadevice","putbucketpolicy","putbucketacl","deletepublicaccessblock","putbucketpublicaccessblock","disablekey","schedulekeydeletion","leaveorganization","deleteflowlogs","deletedetector","stopconfigurationrecorder","deleteconfigurationrecorder","deleteloggroup","disablesecurityhub","modifysnapshotattribute","modifyimageattribute","authorizesecuritygroupingress","createkeypair","importkeypair","createsamlprovider","createopenidconnectprovider")) or ($n | startswith("attach") and endswith("policy")) or ($n | startswith("put") and endswith("policy")) or ($n | startswith("deletebucket"))"#;

fn preset_jq(p: Preset) -> &'static str {
    match p {
        Preset::Writes => r#".readOnly | tostring | ascii_downcase == "false""#,
        Preset::Errors => concat!(error_jq!(), r#" != """#),
        Preset::Denied => concat!(
            error_jq!(),
            r#" | test("accessdenied|unauthorized|forbidden"; "i")"#
        ),
        Preset::ConsoleSignIn => r#".eventName == "ConsoleLogin""#,
        Preset::HideServiceNoise => {
            r#".userIdentity.type != "AWSService" and (.sourceIPAddress // "" | test("\\.amazonaws\\.com$"; "i") | not) and (.userAgent // "" | test("aws internal"; "i") | not)"#
        }
        Preset::Dangerous => DANGEROUS_JQ,
        Preset::AiAssisted => {
            r#".userAgent // "" | contains("exec-env/AmazonQ-For-CLI-Version-") or contains("exec-env/AmazonQ-For-IDE-Version-")"#
        }
        Preset::Destructive => {
            r#".eventName // "" | test("^(Delete|Stop|Disable|Terminate|Deactivate|Remove|Detach|Revoke|Deregister)"; "i") or test("^(ScheduleKeyDeletion|PurgeQueue|LeaveOrganization)$"; "i") or test("^PutBucketLifecycle"; "i")"#
        }
    }
}

#[test]
fn every_field_and_preset_agrees_with_jq() {
    let (store, file) = corpus();
    let now = EventTime::parse(NOW).unwrap_or(EventTime::UNKNOWN);
    let mut filters: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    let mut conditions: Vec<&str> = CASES.iter().map(|(_, j)| *j).collect();
    for p in Preset::ALL {
        filters.push(p.expression().to_string());
        conditions.push(preset_jq(p));
        // Presets compose with a filter by AND.
        filters.push(format!("({}) ip:198.51.100.77", p.expression()));
        conditions.push("false");
    }
    let want = jq_counts(file.path(), &conditions);
    let mut failures = Vec::new();
    for (i, filter) in filters.iter().enumerate() {
        let got = select(&store, filter, now).map(|rows| rows.len());
        // The composed preset rows: recount with jq's condition ANDed in this process.
        let expected = if conditions[i] == "false" && i >= CASES.len() {
            let base = select(&store, &filters[i - 1], now).unwrap_or_default();
            base.iter()
                .filter(|&&e| store.text(store.event(e).source_ip) == "198.51.100.77")
                .count()
        } else {
            want[i]
        };
        if got != Ok(expected) {
            failures.push(format!("{filter:?}: trailscope {got:?}, jq {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The table would prove little if the filters matched nothing.
    for (i, (filter, _)) in CASES.iter().enumerate() {
        let allowed_empty = [
            "key:akiaxleaked0example1",
            "portal:aaaaagexample*",
            "ip:10.0.0.0/8",
            "vpce:any",
            "type:root",
        ];
        if !allowed_empty.contains(filter) {
            assert!(want[i] > 0, "{filter:?} matches nothing in the corpus");
        }
    }
    for (k, p) in Preset::ALL.iter().enumerate() {
        let n = want[CASES.len() + 2 * k];
        assert!(
            n > 0 && n < store.len(),
            "preset {} selects {n} of {}",
            p.name(),
            store.len()
        );
    }
}

#[test]
fn presets_parse_and_are_named() {
    for p in Preset::ALL {
        let e = parse(p.expression()).unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        assert_ne!(e, Expr::all());
        assert_eq!(Preset::by_name(p.name()), Some(p));
    }
}

#[test]
fn index_seeded_and_scanned_filters_agree() {
    let (store, _) = load(&[fixture("")]);
    let now = EventTime::UNKNOWN;
    // `key:`, `ip:` and `portal:` start from an index; the same condition written as a glob
    // scans.
    for (seeded, scanned) in [
        ("key:AKIAIOSFODNN7EXAMPLE", "key:AKIAIOSFODNN7EXAMPL?"),
        (
            "ip:203.0.113.10 readonly:true",
            "ip:203.0.113.1? readonly:true -ip:203.0.113.11",
        ),
        (
            "portal:AAAAAGExampleBobPortalSession_Zq4wE7rT1yU8iO3pA6sD9fG2hJ5kL0mNb",
            "portal:AAAAAGExampleBobPortalSession_*",
        ),
    ] {
        let a = select(&store, seeded, now).unwrap_or_default();
        let b = select(&store, scanned, now).unwrap_or_default();
        assert_eq!(a, b, "{seeded} vs {scanned}");
    }
}
