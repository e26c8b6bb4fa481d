//! Every dataset in tests/fixtures loads every valid record; invalid input is listed.
//! Expected counts were taken independently with jq (commands beside each number).

mod common;
use common::{fixture, load, problems};

#[test]
fn stratus_red_team_bare_arrays() {
    // jq -c '.[]' tests/fixtures/stratus-red-team-detonation-logs/*.json | wc -l  → 304
    // jq -r '.[].eventID' …/*.json | sort -u | wc -l                            → 304
    let (store, warnings) = load(&[fixture("stratus-red-team-detonation-logs")]);
    assert_eq!(store.len(), 304);
    assert_eq!(store.duplicates(), 0);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    // Errors present: jq '[.[] | select(.errorCode)] | length' summed over files → 52 in SOURCE.md for
    // 35 files; 31 files are bundled here.
    // jq -c '.[] | select(.errorCode != null)' …/*.json | wc -l → 52
    let errors = store
        .time_order()
        .iter()
        .filter(|&&i| store.event(i).is_error())
        .count();
    assert_eq!(errors, 52);
}

#[test]
fn panther_wrapped_json_lines() {
    // wc -l …/panther_cloudtrail_rule_tests.jsonl → 459 lines, each {"rule_id",…,"event":{record}}.
    // Panther test events reuse eventIDs ("1", "1111") for different scenarios: records count as
    // one only when eventID, time, action, caller and request all agree (whole content when there
    // is no eventID), and the outcome: a failed sign-in (model::outcome) is not the same event
    // as a successful one under the same test eventID. The same rule in jq:
    //   E='(.eventName // "") as $n | if (.errorCode // "") != "" then .errorCode
    //      elif .eventSource == "signin.amazonaws.com"
    //        and ((.responseElements | objects | .[$n]) // "") == "Failure" then "Failure"
    //      else null end'
    //   K="if (.eventID != null) then [.eventID, .eventTime, .eventName, .eventSource,
    //      .recipientAccountId, .requestID, .sourceIPAddress, ($E), .userAgent,
    //      .userIdentity.arn, .userIdentity.accessKeyId] else . end"
    //   jq -c ".event | $K" …/panther_cloudtrail_rule_tests.jsonl | sort -u | wc -l → 378
    // (375 with `.errorCode` alone in place of `($E)`.)
    let (store, warnings) = load(&[fixture("panther-analysis-cloudtrail-test-events")]);
    assert_eq!(store.len() + store.duplicates(), 459, "every record read");
    assert_eq!(store.len(), 378);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
}

#[test]
fn plaso_lookup_events_lines() {
    // jq -r '.CloudTrailEvent | fromjson | .eventID' …/aws_cloudtrail.jsonl | sort -u | wc -l → 6
    let (store, warnings) = load(&[fixture("plaso-lookupevents-jsonl")]);
    assert_eq!(store.len(), 6);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    // Oldest first: jq -r '.CloudTrailEvent | fromjson | "\(.eventTime) \(.eventName)"' …/aws_cloudtrail.jsonl | sort
    let names: Vec<&str> = store
        .time_order()
        .iter()
        .map(|&i| store.text(store.event(i).name))
        .collect();
    assert_eq!(names, PLASO_ORDER);
    // The service event without Username/AccessKeyId still resolves to a principal.
    let svc = store.lookup(
        trailscope::model::store::IndexedField::EventName,
        "SharedSnapshotVolumeCreated",
    );
    assert_eq!(svc.len(), 1);
}

#[test]
fn aws_processing_library_edge_cases() {
    // 11 valid .json files hold 35 array elements (jq '.Records | length'), the .json.gz 6 more: 41.
    // Two elements have every key renamed ("eventNameWrong", "eventName1"): not records, listed as
    // problems, leaving 39. Records carry no eventID and repeat across files; by content:
    // (for f in Serializer*.json; do jq -c '.Records[]? | select(has("eventName") or has("eventTime")
    //   or has("eventSource") or has("userIdentity") or has("eventVersion"))' $f; done;
    //   zcat *.gz | jq -c '.Records[]') | sort -u | wc -l → 19
    let (store, warnings) = load(&[fixture("aws-cloudtrail-processing-library-fixtures")]);
    assert_eq!(store.len() + store.duplicates(), 39);
    assert_eq!(store.len(), 19);
    let problems = problems(&warnings);
    let text: Vec<String> = problems.iter().map(|w| w.to_string()).collect();
    // SerializerTestFileBadJsonFormat.json is invalid and two records are not CloudTrail records.
    assert_eq!(problems.len(), 3, "{text:#?}");
    assert_eq!(
        text.iter()
            .filter(|t| t.contains("not a CloudTrail record"))
            .count(),
        2,
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("SerializerTestFileBadJsonFormat.json") && t.contains("JSON")),
        "{text:#?}"
    );
    // The two SQS bodies (and SOURCE.md) have no log-like name: a folder walk skips them with a note...
    assert!(
        warnings
            .iter()
            .any(|w| w.reason.contains("3 file(s) skipped")),
        "{warnings:#?}"
    );
    // ...and named explicitly, each is recognised as an SNS notification, not events.
    let sqs = fixture("aws-cloudtrail-processing-library-fixtures/SQSMessageBody");
    let (none, w) = load(&[sqs]);
    assert_eq!(none.len(), 0);
    assert!(w[0].reason.contains("SNS notification"), "{w:?}");
}

#[test]
fn all_fixtures_together_and_twice() {
    let root = fixture("");
    // One Panther record is also in another set: the union of the per-set jq keys above,
    // `… | sort -u | wc -l`, is 706, one less than 304 + 378 + 6 + 19; plus the 61 records the
    // hostile corpus keeps (tests/hostile.rs counts them file by file), 3 hand-written
    // preset records, the 27 of the Identity Center story (`jq '.Records | length'`) and
    // AWS's documented GuardDuty example.
    let (once, _) = load(std::slice::from_ref(&root));
    assert_eq!(once.len(), 706 + 61 + 3 + 27 + 1);
    // Loading the same folder twice merges every record with its twin.
    let (twice, _) = load(&[root.clone(), root]);
    assert_eq!(twice.len(), once.len());
    assert_eq!(
        twice.duplicates(),
        once.duplicates() + 459 + 304 + 6 + 39 + 61 + 3 + 27 + 1
    );
}

#[test]
fn aws_documentation_example_as_printed() {
    // One bare record, as the GuardDuty User Guide prints it: jq -r .eventName → CreateThreatIntelSet
    let (store, warnings) = load(&[fixture("aws-docs-examples")]);
    assert_eq!(store.len(), 1);
    assert!(problems(&warnings).is_empty(), "{warnings:?}");
    assert_eq!(store.text(store.event(0).name), "CreateThreatIntelSet");
}

const PLASO_ORDER: [&str; 6] = [
    "CreateSecurityGroup",
    "RunInstances",
    "SharedSnapshotVolumeCreated",
    "StopInstances",
    "TerminateInstances",
    "DescribeInstances",
];
