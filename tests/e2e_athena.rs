//! Athena in a real terminal, against the fake endpoint's Athena serving the demo incident as
//! the CloudTrail table: the window's events arrive through the real SDK with the query's
//! state and cost in the status bar; the README's walk (the leaked key, its lineage across
//! the role into the second account, the destructive preset) runs on them as on files; marks
//! and a note are saved with the query's id and cost, and the investigation reopens offline
//! with them.
//!
//! From the picker (`--athena` alone): the catalog's tables, one chosen, its events run from
//! the editor, a pivot across accounts and the key chain sent as Athena SQL, the chain's
//! destructive events marked, and the investigation reopened offline.
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
    // The README's walk: the lead, its chain, the destructive events. The chain is offered
    // as Athena SQL across every account; Esc keeps to the loaded events.
    t.send_keys(&["/"]);
    t.send_literal("key:AKIAXLEAKED0EXAMPLE1");
    for key in ["Enter", "p", "l"] {
        t.send_keys(&[key]);
    }
    t.wait_for("the chain as Athena SQL", 20, |s| {
        s.contains("Athena SQL · trailscope.cloudtrail")
            && s.contains("useridentity.accesskeyid IN")
    });
    t.send_keys(&["Escape"]);
    t.wait_for("the editor closed", 10, |s| !s.contains("Athena SQL ·"));
    t.send_keys(&["8"]);
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

#[test]
fn from_the_picker_to_a_pivot_across_accounts_lineage_marks_and_a_reopen() {
    let fake = common::FakeEndpoint::demo(100.0);
    let t = Tmux::start("athena-picker", 160, 44);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --athena --region us-east-1 --from 2026-11-01 --to 2026-11-22 \
         --save athena-picked; echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        env!("CARGO_BIN_EXE_trailscope")
    ));
    t.wait_for("the catalog's CloudTrail tables", 60, |s| {
        s.contains("Athena: pick a CloudTrail table")
            && s.contains("trailscope.cloudtrail_plain")
            && s.contains("projection: account × region × timestamp")
    });
    // The first table: the editor opens on the window's events; F5 sends them.
    t.send_keys(&["Enter"]);
    t.wait_for("the events statement in the editor", 20, |s| {
        s.contains("Athena SQL · trailscope.cloudtrail") && s.contains("\"timestamp\" BETWEEN")
    });
    t.send_keys(&["F5"]);
    t.wait_for("the window's events from Athena", 60, |s| {
        s.contains("6,707 events") && s.contains("Athena SUCCEEDED") && s.contains("events joined")
    });
    // A pivot on the leaked key, across every account: shown, then sent.
    t.send_keys(&["/"]);
    t.send_literal("key:AKIAXLEAKED0EXAMPLE1");
    for key in ["Enter", "p", "k"] {
        t.send_keys(&[key]);
    }
    t.wait_for("the pivot as Athena SQL", 20, |s| {
        s.contains("useridentity.accesskeyid = 'AKIAXLEAKED0EXAMPLE1'")
    });
    t.send_keys(&["F5"]);
    t.wait_for("the pivot's answer", 60, |s| {
        s.contains("Athena SUCCEEDED") && s.contains("35 events joined")
    });
    // Its lineage: the chain the events show, asked of Athena too, then its destructive part.
    t.send_keys(&["p", "l"]);
    t.wait_for("the key chain as Athena SQL", 20, |s| {
        s.contains("useridentity.accesskeyid IN ('AKIAXLEAKED0EXAMPLE1',")
    });
    t.send_keys(&["F5"]);
    t.wait_for("the chain's answer", 60, |s| {
        s.contains("Athena SUCCEEDED") && s.contains("lineage:AKIAXLEAKED0EXAMPLE1")
    });
    t.send_keys(&["8"]);
    t.wait_for("the destructive events of the chain", 20, |s| {
        s.contains("lineage:AKIAXLEAKED0EXAMPLE1 +destructive") && s.contains("31 of 6,707")
    });
    t.send_keys(&["V"]);
    t.wait_text("31 events marked", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);

    drop(fake);
    t.send_line(&format!(
        "{} open athena-picked; echo EXIT-CODE=$?",
        env!("CARGO_BIN_EXE_trailscope")
    ));
    t.wait_for("the investigation reopened offline", 30, |s| {
        s.contains("6,707 events") && s.contains("31 marked")
    });
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}
