//! Entity profiles on the demo: the leaked key's activity, with the attacker's IP, tools and
//! regions marked first-seen against the key's own baseline.

mod common;

use common::harness::given_demo;
use trailscope::profile::Profile;

#[test]
fn the_leaked_key_profile_shows_the_intruder_as_new() {
    let h = given_demo(160, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>");
    let p = Profile::of(&h.app.store, h.app.rows());
    assert_eq!(p.events, 35);
    // STORY.md: step 2's 14 failures are all denials.
    assert_eq!((p.errors, p.denied), (14, 14));
    assert_eq!(p.principals.len(), 1);
    assert_eq!(p.principals[0].value, "ci-deploy");
    let ip = |v: &str| p.ips.iter().find(|c| c.value == v).cloned();
    let attacker = ip("198.51.100.77").expect("the attacker's IP");
    assert_eq!(attacker.count, 17);
    assert_eq!(
        attacker.first_seen.map(|t| t.format_utc()).as_deref(),
        Some("2026-11-19 02:11:05"),
        "{}",
        p.baseline
    );
    assert_eq!(
        ip("34.201.10.11").and_then(|c| c.first_seen),
        None,
        "the CI's own IP"
    );
    let agent = |v: &str| p.agents.iter().find(|c| c.value == v).cloned();
    assert_eq!(
        agent("CLI s3.cp").map(|c| (c.count, c.first_seen)),
        Some((18, None))
    );
    assert!(agent("CLI sts.get-caller-identity").is_some_and(|c| c.first_seen.is_some()));
    let new_regions: Vec<&str> = p
        .regions
        .iter()
        .filter(|c| c.first_seen.is_some())
        .map(|c| c.value.as_str())
        .collect();
    assert!(new_regions.contains(&"ap-southeast-2"), "{new_regions:?}");
    assert_eq!(p.calls[0].value, "s3 PutObject");
    assert_eq!(p.calls[0].count, 18);

    // The pane shows the same, and follows the view through a pivot (and back).
    let h = h.keys("i");
    assert!(h.app.profile_pane && h.app.detail.open);
    assert_eq!(h.app.profile, p);
    let h = h.keys("Gpi");
    assert_eq!(h.app.profile.events, 113, "the attacker IP's profile");
    let h = h.keys("[");
    assert_eq!(h.app.profile.events, 35);
    let h = h.keys("i");
    assert!(!h.app.profile_pane);
}

/// The second account's management events over time: the trail's silence after StopLogging is
/// the longest gap, and zooming into a span of the chart becomes a time filter (and back).
#[test]
fn the_timeline_shows_the_stoplogging_gap_and_zooms_in() {
    let h = given_demo(120, 40).keys("/account:444455556666 -source:s3<enter>h");
    let t = &h.app.timeline;
    assert_eq!(
        t.buckets.iter().map(|b| b.events).sum::<usize>(),
        h.app.rows().len()
    );
    let gap = &t.gaps[0];
    assert_eq!(gap.after, "StopLogging");
    assert_eq!(gap.from.format_utc(), "2026-11-19 02:38:52");
    assert_eq!(gap.to.format_utc(), "2026-11-19 08:05:33");
    // A span of the last three columns, then enter: a narrower view, back to the wider one.
    let before = h.app.rows().len();
    let h = h.keys("<left><left><space><end><enter>");
    assert_eq!(h.app.overlay, None);
    assert!(
        h.app
            .filter
            .text
            .starts_with("account:444455556666 -source:s3 after:2026-11-20T"),
        "{}",
        h.app.filter.text
    );
    let zoomed = h.app.rows().len();
    assert!(zoomed > 0 && zoomed < before, "{zoomed} of {before}");
    let h = h.keys("[");
    assert_eq!(h.app.rows().len(), before);
}

/// While an investigation reopens (or a first load runs) the profile says it is loading,
/// instead of "0 events, ? → ?".
#[test]
fn the_profile_says_loading_until_events_arrive() {
    use trailscope::app::boot::{Boot, Start};
    use trailscope::app::effect::Effect;
    use trailscope::app::msg::Msg;
    use trailscope::job::{Ending, JobMsg};
    let boot = Boot::new(Start::Files(Default::default()), "t", 120, 30);
    let (app, effects) = trailscope::app::App::boot(boot, |_| {});
    let Some(job) = effects.iter().find_map(|e| match e {
        Effect::Start { job, .. } => Some(*job),
        _ => None,
    }) else {
        panic!("a load job starts: {effects:?}");
    };
    let h = common::harness::Harness {
        app,
        effects: Vec::new(),
    }
    .keys("i");
    let screen = h.draw().join("\n");
    assert!(screen.contains("loading: the profile follows"), "{screen}");
    assert!(!screen.contains("? → ?"), "{screen}");
    let mut h = h;
    let text = "{\"eventVersion\":\"1.09\",\"eventName\":\"GetObject\",\"eventSource\":\"s3.amazonaws.com\",\"eventID\":\"1\",\"eventTime\":\"2026-11-19T02:00:00Z\"}";
    let mut parsed = (Vec::new(), Vec::new());
    trailscope::model::parse::parse_text(&std::sync::Arc::from("t"), text, &mut parsed);
    for msg in [JobMsg::Records(parsed.0), JobMsg::Done(Ending::Finished)] {
        h.effects
            .extend(trailscope::app::update(&mut h.app, Msg::Job(job, msg)));
    }
    let h = h.settle();
    let screen = h.draw().join("\n");
    assert!(screen.contains("1 events,"), "{screen}");
}

/// What the attacker moved through S3 (STORY.md step 5: 48 GetObject, 30 DeleteObject from
/// 198.51.100.77), and what the leaked CI key wrote; the figures were taken with jq:
///   jq -s '[.[] | select(.sourceIPAddress=="198.51.100.77" and .eventSource=="s3.amazonaws.com")
///          | .additionalEventData.bytesTransferredOut // 0] | add'        → 62723446
///   (bytesTransferredIn → 0); distinct bucket/key of successful GetObject → 48, of
///   DeleteObject → 30; for accessKeyId AKIAXLEAKED0EXAMPLE1, bytesTransferredIn → 278106794.
#[test]
fn the_profile_totals_what_moved_through_s3() {
    let h = given_demo(200, 40).keys("/ip:198.51.100.77<enter>");
    let p = Profile::of(&h.app.store, h.app.rows());
    assert_eq!(p.events, 113);
    assert_eq!(
        (p.s3.bytes_read, p.s3.bytes_written),
        (62_723_446, 0),
        "{:?}",
        p.s3
    );
    assert_eq!((p.s3.objects_read, p.s3.objects_deleted), (48, 30));
    // The pane says so, in units a reader takes in at a glance.
    let screen = h.keys("i").draw().join("\n");
    assert!(
        screen.contains("S3: read 59.8 MiB (48 objects) · written 0 B · deleted 30 objects"),
        "{screen}"
    );

    let h = given_demo(160, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>");
    let p = Profile::of(&h.app.store, h.app.rows());
    assert_eq!((p.s3.bytes_read, p.s3.bytes_written), (0, 278_106_794));
    assert_eq!((p.s3.objects_read, p.s3.objects_deleted), (0, 0));

    // A view without S3 calls has no such line, and counts nothing.
    let h = given_demo(160, 40).keys("/source:iam<enter>i");
    assert!(h.app.profile.s3.is_empty());
    assert!(!h.draw().join("\n").contains("S3: read"));
}

/// Objects count once however often they are read, a failed read reads nothing, and a
/// DeleteObjects names its objects in `resources`.
#[test]
fn objects_are_counted_once_and_only_when_the_call_worked() {
    let record = |name: &str, key: &str, extra: &str| {
        format!(
            r#"{{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"{name}","eventTime":"2026-11-19T02:00:00Z","eventID":"{name}-{key}{extra_id}","requestParameters":{{"bucketName":"b","key":"{key}"}},"additionalEventData":{{"bytesTransferredOut":100,"bytesTransferredIn":7}}{extra}}}"#,
            extra_id = extra.len()
        )
    };
    let lines = [
        record("GetObject", "a.csv", ""),
        record("GetObject", "a.csv", r#","requestID":"again""#),
        record("GetObject", "b.csv", r#","errorCode":"AccessDenied""#),
        record("GetObject", "c.csv", ""),
        record(
            "DeleteObjects",
            "",
            r#","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/x"},{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/y"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]"#,
        ),
    ];
    let mut parsed = (Vec::new(), Vec::new());
    trailscope::model::parse::parse_text(
        &std::sync::Arc::from("t"),
        &lines.join("\n"),
        &mut parsed,
    );
    let mut store = trailscope::model::store::Store::default();
    store.insert_batch(parsed.0);
    assert_eq!(store.len(), 5);
    let p = Profile::of(&store, store.time_order());
    assert_eq!((p.s3.objects_read, p.s3.objects_deleted), (2, 2));
    assert_eq!((p.s3.bytes_read, p.s3.bytes_written), (500, 35));
}
