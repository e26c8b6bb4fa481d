//! A bug on the UI thread must not cost the investigation or the terminal: the real (debug)
//! binary in tmux, made to panic by a key planted through `TRAILSCOPE_DEBUG_PANIC_KEY` (debug
//! builds only), saves what was marked, restores the screen, then says what happened.

mod common;
use common::tmux::Tmux;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

#[test]
fn a_panic_on_the_ui_thread_saves_the_investigation_and_restores_the_terminal() {
    let t = Tmux::start("panic", 120, 30);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "TRAILSCOPE_DEBUG_PANIC_KEY=f9 {} --save crashed tests/fixtures/aws-cloudtrail-processing-library-fixtures; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_for("the table", 30, |s| s.contains("files loaded in"));
    // Two events marked as evidence, then the bug.
    t.send_keys(&["space", "j", "space"]);
    t.wait_text("2 marked", 10);
    t.send_keys(&["F9"]);
    let after = t.wait_text("EXIT-CODE=1", 20);
    assert!(after.contains("internal error"), "{after}");
    assert!(after.contains("The investigation was saved"), "{after}");
    // The terminal is back: the shell's prompt answers, no alternate screen left behind.
    t.send_line("echo STILL-HERE");
    t.wait_text("STILL-HERE", 10);

    // Saved with both marks: the list has it, and reopening it shows them.
    t.send_line(&format!("{} sessions list; echo LISTED=$?", bin()));
    let listed = t.wait_text("LISTED=0", 20);
    assert!(listed.contains("crashed"), "{listed}");
    t.send_line(&format!("clear; {} open crashed; echo REOPENED=$?", bin()));
    t.wait_text("2 marked", 30);
    t.send_keys(&["q"]);
    t.wait_text("REOPENED=0", 20);
}
