//! Every account of an organization in a real terminal (issue 21): the app on the fake
//! endpoint with `--accounts all` (two accounts, the caller's own and one reached by
//! assuming OrganizationAccountAccessRole), each account × region paused at 50 events; quit,
//! reopen the saved investigation, `m` resumes every lane from where it stopped (only what is
//! new is asked for); then a pivot fetched from every account, and the lineage that crosses
//! into the second account.

mod common;
use common::tmux::Tmux;

const CALLER: &str = "111122223333";
const SECOND: &str = "444455556666";

#[test]
fn across_accounts_saved_reopened_resumed_and_walked() {
    let fake = common::FakeEndpoint::demo_with_args(20.0, &["--caller-account", CALLER]);
    let data = tempfile::tempdir().expect("temp dir");
    let t = Tmux::start("accounts", 170, 40);
    t.wait_text("READY>", 10);
    let env = format!(
        "{} USER=responder",
        common::isolated_aws_shell_env(&fake.url)
    );
    let bin = env!("CARGO_BIN_EXE_trailscope");
    let data_dir = data.path().display().to_string();
    t.send_line(&format!(
        "{env} {bin} --accounts all --regions eu-west-1 --from 2026-11-17 --to 2026-11-21T12:00:00Z \
         --rate 20 --max-events 50 --save xacct --data-dir '{data_dir}'; echo EXIT-CODE=$?"
    ));
    // Four lanes (two accounts × eu-west-1 and us-east-1), each paused at its first page.
    let lanes = |s: &str| s.matches("‖ ").count() == 4 && !s.contains("⟳");
    let screen = t.wait_for("every lane paused", 60, lanes);
    assert!(
        screen.contains(&format!("{SECOND} eu-west-1 50 ev")),
        "{screen}"
    );
    assert!(screen.contains("200 events"), "{screen}");
    t.send_keys(&["t"]);
    let overlay = t.wait_text("Accounts and their regions", 10);
    assert!(
        overlay.contains(&format!(
            "{SECOND} · role OrganizationAccountAccessRole · 100 events"
        )),
        "{overlay}"
    );
    assert!(overlay.contains("this account · 100 events"), "{overlay}");
    t.send_keys(&["Escape"]);
    t.wait_for("overlay closed", 10, |s| !s.contains("Go back to"));
    assert_eq!(fake.lookup_calls(), 4, "one page per lane");
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);

    // Reopened: live again, each lane where it stopped.
    t.send_line(&format!(
        "clear; {env} {bin} open xacct --data-dir '{data_dir}'; echo EXIT-CODE=$?"
    ));
    t.wait_for("the saved events", 30, |s| {
        s.contains("200 events") && lanes(s)
    });
    t.send_keys(&["m"]);
    let screen = t.wait_for("every lane read one more page", 60, |s| {
        s.matches(" 100 ev").count() == 4 && !s.contains("⟳")
    });
    // Only what is new was asked: one more page per lane, and 50 new events each (the event
    // at the boundary may come twice; it is stored once).
    assert_eq!(fake.lookup_calls(), 8, "one more page per lane:\n{screen}");
    let total = events_on(&screen);
    assert!((396..=400).contains(&total), "{total} events:\n{screen}");

    // A pivot fetched from every account: the leaked key's own calls, in the caller's account.
    t.send_keys(&["/"]);
    t.send_literal("key:AKIAXLEAKED0EXAMPLE1");
    t.send_keys(&["Enter"]);
    t.send_keys(&["F"]);
    t.wait_for("the pivot fetched everywhere", 60, |s| {
        s.matches("✓ ").count() == 4 && s.contains("AWS: AccessKeyId=AKIAXLEAKED0EXAMPLE1")
    });
    // Its lineage: the AssumeRole into the second account; follow the minted key there and
    // fetch its calls from every account.
    t.send_keys(&["G", "l"]);
    let tree = t.wait_text("credential lineage", 10);
    assert!(
        tree.contains("AssumeRole") && tree.contains("ASIAXATTACKSESSION01"),
        "{tree}"
    );
    t.send_keys(&["j", "Enter"]);
    t.wait_text("key:=ASIAXATTACKSESSION01", 10);
    t.send_keys(&["F"]);
    t.wait_for("the session key fetched", 60, |s| {
        s.matches("✓ ").count() == 4 && s.contains("AWS: AccessKeyId=ASIAXATTACKSESSION01")
    });
    t.send_keys(&["l"]);
    let tree = t.wait_text("credential lineage", 10);
    assert!(
        tree.contains("acct")
            && tree.contains(SECOND)
            && tree.contains("12 events, first 11-19 02:24"),
        "the session's calls in the second account:\n{tree}"
    );
    assert!(
        tree.contains("AKIAXPERSIST0BACKUP1"),
        "and the key it made:\n{tree}"
    );
    t.send_keys(&["Escape"]);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

/// The count in the status bar's `N events`.
fn events_on(screen: &str) -> usize {
    let line = screen.lines().last().unwrap_or_default();
    line.split(" events")
        .next()
        .and_then(|s| s.split_whitespace().last())
        .map(|n| n.replace(',', ""))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
