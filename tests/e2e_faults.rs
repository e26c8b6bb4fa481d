//! A failing network in a real terminal: the app fetches LookupEvents from the fake endpoint
//! (`trailscope-fake serve --fault`) while it answers 503, cuts a connection mid-answer, then
//! rejects expired credentials. The app keeps every event it had, says in the regions overlay
//! what was retried and why each region stopped, and quits cleanly.

mod common;
use common::tmux::Tmux;

#[test]
fn a_failing_network_keeps_the_events_and_says_what_happened() {
    let fake = common::FakeEndpoint::demo_with_faults(20.0, &["3=503", "4=reset", "8+=expired"]);
    let t = Tmux::start("faults", 170, 40);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --regions eu-west-1 --from 2026-11-01 --to 2026-11-21T12:00:00Z --rate 20; \
         echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        env!("CARGO_BIN_EXE_trailscope")
    ));
    // Two calls failed and were retried; from the eighth on, every call is refused.
    let screen = t.wait_for("every region stopped", 60, |s| {
        s.contains("✗ eu-west-1") && s.contains("✗ us-east-1")
    });
    assert!(
        common::tmux::has_table_row(&screen, "2026-11-"),
        "rows kept:\n{screen}"
    );
    t.send_keys(&["t"]);
    let overlay = t.wait_text("Regions", 10);
    assert!(overlay.contains("credentials expired"), "{overlay}");
    assert!(
        overlay.contains("event(s) from eu-west-1 kept; resume"),
        "{overlay}"
    );
    assert!(
        overlay.contains("1 retry") || overlay.contains("2 retries"),
        "the retried failures are counted:\n{overlay}"
    );
    t.send_keys(&["Escape"]);
    t.wait_for("overlay closed", 10, |s| !s.contains("Go back to"));
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}
