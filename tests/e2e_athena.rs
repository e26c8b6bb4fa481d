//! Athena in a real terminal, against the fake endpoint's Athena serving the demo incident as
//! the CloudTrail table: the window's events arrive through the real SDK with the query's
//! state and cost in the status bar; the README's walk (the leaked key, its lineage across
//! the role into the second account, the destructive preset) runs on them as on files; marks
//! and a note are saved with the query's id and cost, and the investigation reopens offline
//! with them.
//!
//! Waits name everything they then rely on: a capture can catch a frame half drawn.

mod common;
use common::tmux::Tmux;

#[test]
fn an_athena_session_walks_the_lead_and_reopens_offline() {
    let fake = common::FakeEndpoint::demo(100.0);
    let t = Tmux::start("athena", 160, 44);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --athena trailscope.cloudtrail --region us-east-1 --from 2026-11-01 --to 2026-11-22 \
         --save athena-walk; echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        env!("CARGO_BIN_EXE_trailscope")
    ));
    t.wait_for("the window's events from Athena", 60, |s| {
        s.contains("Athena trailscope.cloudtrail")
            && s.contains("6,707 events")
            && s.contains("SUCCEEDED")
            && s.contains("scanned ≈ $")
    });
    // The README's walk: the lead, its chain, the destructive events.
    t.send_keys(&["/"]);
    t.send_literal("key:AKIAXLEAKED0EXAMPLE1");
    for key in ["Enter", "p", "l", "8"] {
        t.send_keys(&[key]);
    }
    t.wait_for("the destructive events of the chain", 20, |s| {
        s.contains("lineage:AKIAXLEAKED0EXAMPLE1 +destructive") && s.contains("31 of 6,707")
    });
    t.send_keys(&["V"]);
    t.wait_text("31 events marked", 10);
    t.send_keys(&["a"]);
    t.send_literal("deleted through the role the leaked key assumed");
    t.send_keys(&["Enter"]);
    // The evidence names what was billed: the query's id, end and cost, with the source.
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("walk.md");
    t.send_keys(&[":"]);
    t.send_literal(&format!("export md marked {}", md.display()));
    t.send_keys(&["Enter"]);
    t.wait_text("as md to", 10);
    let timeline = std::fs::read_to_string(&md).expect("the Markdown export was written");
    assert!(
        timeline.contains("Athena trailscope.cloudtrail")
            && timeline.contains("in primary SUCCEEDED")
            && timeline.contains("scanned ≈ $"),
        "{timeline}"
    );
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);

    // Offline: the fake is gone, the investigation is whole.
    drop(fake);
    t.send_line(&format!(
        "{} open athena-walk; echo EXIT-CODE=$?",
        env!("CARGO_BIN_EXE_trailscope")
    ));
    t.wait_for("the investigation reopened", 30, |s| {
        s.contains("6,707 events") && s.contains("31 marked") && s.contains("1 notes")
    });
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}
