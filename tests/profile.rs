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
