//! CloudTrail Lake in a real terminal, against the fake endpoint serving the demo incident:
//! the window's events are loaded from the editor, a playbook template is filled from the
//! current pivot and run, and a row of its results becomes a pivot whose SQL is shown, run,
//! and joins the table. A long query is cancelled with Esc, on Lake's side too. `--lake`
//! alone offers the stores; the editor's history brings back what ran.
//!
//! Waits name everything they then rely on: a capture can catch a frame half drawn.

mod common;
use common::tmux::Tmux;

const EDS: &str = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

fn start(t: &Tmux, fake: &common::FakeEndpoint, more: &str) {
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --lake {more} --region us-east-1 --from 2026-11-01 --to 2026-11-21T12:00:00Z; \
         echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        env!("CARGO_BIN_EXE_trailscope")
    ));
}

/// Esc and q apart: sent together, a terminal reads them as alt-q.
fn close_and_quit(t: &Tmux, open: &str) {
    t.send_keys(&["Escape"]);
    t.wait_for("closed", 10, |s| !s.contains(open));
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}

#[test]
fn a_template_from_the_editor_then_a_pivot_from_a_result_row() {
    let fake = common::FakeEndpoint::demo(100.0);
    let t = Tmux::start("lake", 160, 44);
    start(&t, &fake, EDS);
    // The editor opens on the window's events, bounded in time, not yet run.
    t.wait_for("the editor on the window", 20, |s| {
        s.contains("Lake SQL")
            && s.contains(
                "WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime < '2026-11-21 12:00:00'",
            )
    });
    t.send_keys(&["F5"]);
    t.wait_for("the window's events", 60, |s| {
        s.contains("6707 events joined") && s.contains("Lake FINISHED")
    });
    // The attacker's IP as the current pivot, then the playbook that takes an IP.
    t.send_keys(&["/"]);
    t.send_literal("ip:=198.51.100.77");
    t.send_keys(&["Enter"]);
    t.wait_text("113 of 6,707 events match", 20);
    t.send_keys(&["E", "C-t"]);
    t.wait_for("the templates", 10, |s| {
        s.contains("Playbook queries") && s.contains("ip-across-accounts")
    });
    t.send_keys(&["Down", "Down", "Enter"]);
    t.wait_for("the template filled", 10, |s| {
        s.contains("AND sourceIPAddress = '198.51.100.77'") && s.contains("GROUP BY 1, 2")
    });
    t.send_keys(&["F5"]);
    t.wait_for("the results table", 60, |s| {
        s.contains("Lake results · 4 rows")
            && s.contains("arn:aws:iam::111122223333:user/ci-deploy")
            && s.contains("backup-svc")
    });
    // Second row, ARN column: enter pivots, and the pivot's SQL is shown before it runs.
    t.send_keys(&["Right", "Down", "Enter"]);
    t.wait_for("the pivot's SQL", 10, |s| {
        s.contains("the pivot as Lake SQL")
            && s.contains("AND (userIdentity.arn = 'arn:aws:iam::111122223333:user/ci-deploy')")
    });
    t.send_keys(&["F5"]);
    // The walk shows the pivot, and the events Lake found for it.
    t.wait_for("the pivot's events", 60, |s| {
        s.contains("35 events joined")
            && s.contains("arn:=arn:aws:iam::111122223333:user/ci-deploy")
            && s.contains("35 of 6,707 events")
    });
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
        &format!("{EDS} --template key-activity --param key=AKIAXLEAKED0EXAMPLE1"),
    );
    t.wait_for("the query waits in Lake", 30, |s| {
        (s.contains("Lake QUEUED") || s.contains("Lake RUNNING")) && s.contains("esc cancels")
    });
    t.send_keys(&["Escape"]);
    t.wait_for("cancelled", 30, |s| {
        s.contains("Lake query cancelled") && s.contains("Lake CANCELLED")
    });
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}

#[test]
fn the_store_picker_then_the_history_of_statements() {
    let fake = common::FakeEndpoint::demo(100.0);
    let t = Tmux::start("lake-pick", 160, 40);
    // --lake alone: the region's event data stores, with their details, to pick from.
    start(&t, &fake, "");
    t.wait_for("the store listed", 20, |s| {
        s.contains("pick an event data store")
            && s.contains("trailscope-fake")
            && s.contains(EDS)
            && s.contains("2557 days")
    });
    t.send_keys(&["Enter"]);
    t.wait_for("its editor", 10, |s| {
        s.contains("Lake SQL") && s.contains(&format!("FROM {EDS}"))
    });
    t.send_keys(&["F5"]);
    t.wait_text("events joined", 60);
    // Another statement in the editor (a template), then ctrl-p brings back the one run.
    t.send_keys(&["E", "C-t"]);
    t.wait_text("Playbook queries", 10);
    t.send_keys(&[
        "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Enter",
    ]);
    t.wait_text("IdentityCenterUser", 10);
    t.send_keys(&["C-p"]);
    t.wait_for("the statement run before", 10, |s| {
        !s.contains("IdentityCenterUser")
            && s.contains("ORDER BY eventTime DESC")
            && s.contains(&format!("FROM {EDS}"))
    });
    close_and_quit(&t, "Lake SQL");
}
