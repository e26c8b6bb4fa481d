//! Failures are failures: a sign-in CloudTrail records as failed outside `errorCode` (a
//! refused ConsoleLogin says `"responseElements": {"ConsoleLogin": "Failure"}`) is an error
//! for every reader of the error field, and an attacker's failed attempts are not prior use
//! in the profile's first-seen (★ new) markers.

mod common;

use common::harness::given_demo;
use common::{fixture, load};
use std::collections::BTreeMap;
use std::sync::Arc;
use trailscope::cmd::args::GroupBy;
use trailscope::cmd::query::group;
use trailscope::export::{export, Format, Provenance, Scope};
use trailscope::filter::preset::Preset;
use trailscope::filter::select;
use trailscope::model::column::Column;
use trailscope::model::outcome::FAILURE;
use trailscope::model::parse::parse_text;
use trailscope::model::store::{EventIdx, Store};
use trailscope::model::time::EventTime;
use trailscope::profile::Profile;

const PANTHER: &str = "panther-analysis-cloudtrail-test-events";

/// Counted independently with jq over the fixture, deduplicated as tests/fixtures_load.rs
/// explains (`$K` is the key given there):
///   jq -c '.event | . as $e | select((.errorCode // "") == "" and
///          .eventSource == "signin.amazonaws.com" and
///          ((.responseElements | objects | .[$e.eventName]) // "") == "Failure") | '"$K" \
///     …/panther_cloudtrail_rule_tests.jsonl | sort -u | wc -l                         → 7
/// (5 ConsoleLogin, 1 ExternalIdPDirectoryLogin, 1 PasswordUpdated), and
///   jq -c '.event | select((.errorCode // "") != "") | '"$K" … | sort -u | wc -l     → 63
const SIGN_IN_FAILURES: usize = 7;
const WITH_ERROR_CODE: usize = 63;

fn count(store: &Store, filter: &str) -> usize {
    select(store, filter, EventTime::UNKNOWN)
        .map(|rows| rows.len())
        .unwrap_or_else(|e| panic!("{filter}: {e:?}"))
}

#[test]
fn failed_sign_ins_in_the_fixture_are_errors_for_every_reader() {
    let (store, _) = load(&[fixture(PANTHER)]);
    let all: Vec<EventIdx> = store.time_order().to_vec();
    let failed: Vec<EventIdx> = all
        .iter()
        .copied()
        .filter(|&i| store.text(store.event(i).error_code) == FAILURE)
        .collect();
    assert_eq!(failed.len(), SIGN_IN_FAILURES);
    for &i in &failed {
        let e = store.event(i);
        assert!(e.is_error());
        assert_eq!(store.text(e.source), "signin.amazonaws.com");
        // The error column shows it; the raw record (the detail pane) is CloudTrail's own.
        assert_eq!(Column::Error.cell(&store, e), FAILURE);
        let raw = e.raw.text();
        assert!(!raw.contains("errorCode"), "{}", &*raw);
    }

    // The filter language and the errors preset.
    let errors = WITH_ERROR_CODE + SIGN_IN_FAILURES;
    assert_eq!(count(&store, "error:any"), errors);
    assert_eq!(count(&store, "error:none"), store.len() - errors);
    assert_eq!(count(&store, Preset::Errors.expression()), errors);
    assert_eq!(count(&store, "error:failure"), SIGN_IN_FAILURES);
    assert_eq!(count(&store, "error:=Failure"), SIGN_IN_FAILURES);
    assert_eq!(count(&store, "event:ConsoleLogin error:any"), 5);

    // The profile's figures.
    let p = Profile::of(&store, &all);
    assert_eq!(p.errors, errors);

    // `trailscope query --group-by error`.
    let groups = group::count(&store, &all, GroupBy::Error);
    let failure = groups
        .iter()
        .find(|g| store.text(g.sym) == FAILURE)
        .map(|g| g.count);
    assert_eq!(failure, Some(SIGN_IN_FAILURES));
}

/// Written as CloudTrail writes them (the failures' shape is the fixture's: an IAM user's
/// refused password has no ARN and no errorCode).
const ALICE: [&str; 6] = [
    // Alice's own sign-in the day before, from her usual address.
    r#"{"eventVersion":"1.08","eventTime":"2026-11-01T09:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.10","userAgent":"Mozilla/5.0 (Macintosh)","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"},"eventID":"a-1","recipientAccountId":"111122223333"}"#,
    // The attacker guessing, minutes before getting in.
    r#"{"eventVersion":"1.08","eventTime":"2026-11-02T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.77","userAgent":"Mozilla/5.0 (X11; Linux)","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","accountId":"111122223333","userName":"alice","accessKeyId":""},"responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication","additionalEventData":{"MFAUsed":"No"},"eventID":"a-2","recipientAccountId":"111122223333"}"#,
    r#"{"eventVersion":"1.08","eventTime":"2026-11-02T10:01:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.77","userAgent":"Mozilla/5.0 (X11; Linux)","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","accountId":"111122223333","userName":"alice","accessKeyId":""},"responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication","additionalEventData":{"MFAUsed":"No"},"eventID":"a-3","recipientAccountId":"111122223333"}"#,
    r#"{"eventVersion":"1.08","eventTime":"2026-11-02T10:02:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.77","userAgent":"Mozilla/5.0 (X11; Linux)","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","accountId":"111122223333","userName":"alice","accessKeyId":""},"responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication","additionalEventData":{"MFAUsed":"No"},"eventID":"a-4","recipientAccountId":"111122223333"}"#,
    // In.
    r#"{"eventVersion":"1.08","eventTime":"2026-11-02T10:05:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.77","userAgent":"Mozilla/5.0 (X11; Linux)","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"},"eventID":"a-5","recipientAccountId":"111122223333"}"#,
    r#"{"eventVersion":"1.08","eventTime":"2026-11-02T10:06:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.77","userAgent":"Mozilla/5.0 (X11; Linux)","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice","accessKeyId":"ASIAALICECONSOLE0001"},"readOnly":true,"eventID":"a-6","recipientAccountId":"111122223333"}"#,
];

fn alice() -> Store {
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&Arc::from("alice"), &ALICE.join("\n"), &mut sink);
    assert!(sink.1.is_empty(), "{:?}", sink.1);
    let mut store = Store::default();
    store.insert_batch(sink.0);
    assert_eq!(store.len(), ALICE.len());
    store
}

#[test]
fn failed_attempts_do_not_make_the_attackers_address_old() {
    let store = alice();
    // One principal, whatever the records say about ARNs.
    assert_eq!(count(&store, "principal:alice"), ALICE.len());
    // The view from the successful login on: everything before it is the baseline.
    let now = EventTime::UNKNOWN;
    let view = select(&store, "after:2026-11-02T10:05:00Z", now).expect("filter");
    assert_eq!(view.len(), 2);
    let p = Profile::of(&store, &view);
    assert!(p.baseline.contains("2026-11-02 10:05:00"), "{}", p.baseline);
    let ip = p
        .ips
        .iter()
        .find(|c| c.value == "198.51.100.77")
        .expect("the attacker's IP");
    // New, since its first (failed) try: the failures are not prior use.
    assert_eq!(
        ip.first_seen.map(|t| t.format_utc()).as_deref(),
        Some("2026-11-02 10:00:00")
    );
    // A successful use before the view still makes a value old: alice's own console
    // sign-in the day before, and her region.
    let login = p.calls.iter().find(|c| c.value == "signin ConsoleLogin");
    assert!(login.is_some_and(|c| c.first_seen.is_none()), "{p:?}");
    assert!(p.regions.iter().all(|c| c.first_seen.is_none()), "{p:?}");

    // The whole history as the view: the failures count as errors.
    let all = store.time_order().to_vec();
    assert_eq!(Profile::of(&store, &all).errors, 3);
}

#[test]
fn exports_carry_the_failure_and_its_message() {
    let store = alice();
    let rows: Vec<EventIdx> = store.time_order().to_vec();
    let prov = Provenance {
        tool_version: "test".to_string(),
        investigation: None,
        sources: vec!["alice".to_string()],
        caller: None,
        filter: String::new(),
        scope: Scope::View,
        exported_at: EventTime::parse("2026-11-03T00:00:00Z").expect("valid time"),
    };
    let mut out = Vec::new();
    export(
        &mut out,
        Format::Csv,
        &store,
        &rows,
        &BTreeMap::new(),
        &prov,
    )
    .expect("export");
    let csv = String::from_utf8(out).expect("utf-8");
    let failed: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains(",Failure,Failed authentication"))
        .collect();
    assert_eq!(failed.len(), 3, "{csv}");
}

/// Through the reducer, on the demo: erin's benign failed sign-in (assets/demo/STORY.md) is in
/// the errors preset and shows its code in the table; `error:any` holds the 23 events with an
/// errorCode and this one.
#[test]
fn the_demos_failed_console_login_is_an_error_on_screen() {
    let h = given_demo(160, 40).keys("/error:any<enter>");
    assert_eq!(h.app.rows().len(), 24);
    let h = given_demo(160, 40).keys("/event:ConsoleLogin<enter>2");
    assert_eq!(h.app.rows().len(), 1, "the errors preset");
    let store = &h.app.store;
    let e = store.event(h.app.rows()[0]);
    assert_eq!(store.text(Some(e.principal_name)), "erin");
    assert_eq!(store.text(e.error_code), FAILURE);
    assert_eq!(store.text(e.error_message), "Failed authentication");
    let screen = h.draw().join("\n");
    assert!(
        screen.contains("ConsoleLogin") && screen.contains(FAILURE),
        "{screen}"
    );
}
