//! CloudTrail Lake in a real terminal, against the fake endpoint serving the demo incident:
//! the window's events are loaded from the editor, a playbook template is filled from the
//! current pivot and run, and a row of its results becomes a pivot whose SQL is shown, run,
//! and joins the table. A long query is cancelled with Esc, on Lake's side too.

mod common;
use common::tmux::Tmux;

const EDS: &str = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

fn start(t: &Tmux, fake: &common::FakeEndpoint, more: &str) {
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --lake {EDS} --region us-east-1 --from 2026-11-01 --to 2026-11-21T12:00:00Z {more}; \
         echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        env!("CARGO_BIN_EXE_trailscope")
    ));
}

#[test]
fn a_template_from_the_editor_then_a_pivot_from_a_result_row() {
    let fake = common::FakeEndpoint::demo(100.0);
    let t = Tmux::start("lake", 160, 44);
    start(&t, &fake, "");
    // The editor opens on the window's events, bounded in time, not yet run.
    let editor = t.wait_text("Lake SQL", 20);
    assert!(
        editor.contains(
            "WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime < '2026-11-21 12:00:00'"
        ),
        "{editor}"
    );
    t.send_keys(&["F5"]);
    let loaded = t.wait_text("events joined", 60);
    assert!(loaded.contains("Lake FINISHED"), "{loaded}");
    // The attacker's IP as the current pivot, then the playbook that takes an IP.
    t.send_keys(&["/"]);
    t.send_literal("ip:=198.51.100.77");
    t.send_keys(&["Enter"]);
    t.wait_text("113 of 6,707 events match", 20);
    t.send_keys(&["E", "C-t"]);
    let list = t.wait_text("Playbook queries", 10);
    assert!(list.contains("ip-across-accounts"), "{list}");
    t.send_keys(&["Down", "Down", "Enter"]);
    let filled = t.wait_text("AND sourceIPAddress = '198.51.100.77'", 10);
    assert!(filled.contains("GROUP BY 1, 2"), "{filled}");
    t.send_keys(&["F5"]);
    let results = t.wait_text("Lake results · 4 rows", 60);
    assert!(
        results.contains("arn:aws:iam::111122223333:user/ci-deploy"),
        "{results}"
    );
    assert!(results.contains("backup-svc"), "{results}");
    // Second row, ARN column: enter pivots, and the pivot's SQL is shown before it runs.
    t.send_keys(&["Right", "Down", "Enter"]);
    let pivot_sql = t.wait_text("the pivot as Lake SQL", 10);
    assert!(
        pivot_sql.contains("AND (userIdentity.arn = 'arn:aws:iam::111122223333:user/ci-deploy')"),
        "{pivot_sql}"
    );
    t.send_keys(&["F5"]);
    let walked = t.wait_text("35 events joined", 60);
    assert!(
        walked.contains("arn:=arn:aws:iam::111122223333:user/ci-deploy"),
        "the walk shows the pivot:\n{walked}"
    );
    assert!(walked.contains("ci-deploy"), "{walked}");
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}

#[test]
fn esc_cancels_a_running_query_on_lakes_side() {
    let fake = common::FakeEndpoint::demo_with_args(100.0, &["--lake-polls", "100000"]);
    let t = Tmux::start("lake-cancel", 160, 40);
    start(
        &t,
        &fake,
        "--template key-activity --param key=AKIAXLEAKED0EXAMPLE1",
    );
    let running = t.wait_for("the query waits in Lake", 30, |s| {
        s.contains("Lake QUEUED") || s.contains("Lake RUNNING")
    });
    assert!(running.contains("esc cancels"), "{running}");
    t.send_keys(&["Escape"]);
    let cancelled = t.wait_text("Lake query cancelled", 30);
    assert!(cancelled.contains("Lake CANCELLED"), "{cancelled}");
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}
