//! End to end in a real terminal: the real binary under tmux, typed at, read back.

mod common;
use common::tmux::Tmux;
use std::time::Instant;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

#[test]
fn demo_move_open_detail_quit_and_the_terminal_comes_back() {
    let t = Tmux::start("demo", 120, 35);
    t.wait_text("READY>", 10);
    t.send_line("clear; echo BEFORE-TRAILSCOPE");
    t.wait_text("BEFORE-TRAILSCOPE", 10);
    let started = Instant::now();
    t.send_line(&format!("{} --demo; echo EXIT-CODE=$?", bin()));
    t.wait_text("demo incident", 20);
    let first_rows = t.wait_for("first rows", 20, |s| {
        common::tmux::has_table_row(s, "2026-11-")
    });
    let first_rows_ms = started.elapsed().as_millis();
    let loaded = t.wait_for("load to finish", 60, |s| s.contains("loaded in"));
    eprintln!(
        "first rows after ~{first_rows_ms} ms (including shell start); status: {}",
        loaded.lines().last().unwrap_or("")
    );
    assert!(first_rows.contains("TIME (UTC)"));
    assert_eq!(
        t.format("#{alternate_on}"),
        "1",
        "the TUI uses the alternate screen"
    );

    t.send_keys(&["j", "j", "j"]);
    t.wait_text("events 4/", 10);
    t.send_keys(&["End"]);
    t.wait_text("events 6707/6707", 10);
    t.send_keys(&["Home", "Enter"]);
    t.wait_text("\"eventVersion\"", 10);
    t.send_keys(&["j", "j"]);
    t.wait_text("event JSON 3/", 10);
    t.send_keys(&["?"]);
    t.wait_text("help: keys", 10);
    t.send_keys(&["Escape"]);
    t.wait_for("help closed", 10, |s| !s.contains("help: keys"));

    t.send_keys(&["q"]);
    let after = t.wait_text("EXIT-CODE=0", 10);
    assert!(
        after.contains("BEFORE-TRAILSCOPE"),
        "the shell's screen is back:\n{after}"
    );
    assert!(
        !after.contains("TIME (UTC)"),
        "no TUI left behind:\n{after}"
    );
    assert_eq!(t.format("#{alternate_on}"), "0", "alternate screen left");
    assert_eq!(t.format("#{cursor_flag}"), "1", "cursor visible again");
    // Raw mode is off: the shell echoes what we type and runs it on Enter.
    t.send_line("echo RAW-MODE-OFF");
    t.wait_text("RAW-MODE-OFF\n", 10);
}

#[test]
fn unreadable_input_exits_non_zero_with_reasons() {
    let t = Tmux::start("bad", 120, 30);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} tests/fixtures/aws-cloudtrail-processing-library-fixtures/SerializerTestFileBadJsonFormat.json; echo EXIT-CODE=$?",
        bin()
    ));
    let screen = t.wait_text("EXIT-CODE=1", 20);
    assert!(
        screen.contains("no CloudTrail events could be read"),
        "{screen}"
    );
    assert!(
        screen.contains("SerializerTestFileBadJsonFormat.json"),
        "{screen}"
    );
    assert_eq!(t.format("#{alternate_on}"), "0");
}

#[test]
fn filter_facets_and_presets_in_a_real_terminal() {
    let t = Tmux::start("filter", 120, 35);
    t.wait_text("READY>", 10);
    t.send_line(&format!("{} --demo; echo EXIT-CODE=$?", bin()));
    t.wait_for("load to finish", 60, |s| s.contains("loaded in"));
    // Type the attacker's IP one key at a time, as a person would.
    t.send_keys(&["/"]);
    t.send_literal("ip:198.51.100.77");
    t.wait_text("113 of 6,707 events match", 10);
    t.send_keys(&["Enter"]);
    // A half-typed bad filter points at the problem and keeps the 113 rows.
    t.send_keys(&["/"]);
    t.send_literal(" (error:any");
    let screen = t.wait_text("`(` is never closed", 10);
    assert!(screen.contains("113 of 6,707"), "{screen}");
    t.send_keys(&["Escape"]);
    // Read alone before the next key (ESC then f at once is alt-f).
    t.wait_for("the bar closed", 10, |s| !s.contains("is never closed"));
    // Facets: event names among the 113, search, pick DeleteObject.
    t.send_keys(&["f", "Tab", "Tab", "Tab"]);
    t.wait_text("event names", 10);
    t.send_literal("deleteobj");
    t.wait_text("30  DeleteObject", 10);
    t.send_keys(&["Enter"]);
    t.wait_text("30 of 6,707 events match", 10);
    t.wait_text("ip:198.51.100.77 event:=DeleteObject", 10);
    // The dangerous-operations preset on top: none of the deletes of objects are in it.
    t.send_keys(&["6"]);
    t.wait_text("presets: dangerous", 10);
    t.send_keys(&["C-l"]);
    t.wait_text("all events", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

/// `trailscope --region …` against the fake endpoint (AWS_ENDPOINT_URL): events stream into
/// the table with each region's progress; m loads more, t shows regions and how far back to
/// go, L loads until a count, Esc stops a running fetch, q leaves.
#[test]
fn lookup_events_stream_in_with_per_region_progress() {
    let fake = common::FakeEndpoint::demo(20.0);
    let t = Tmux::start("live", 170, 40);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --regions eu-west-1,ap-southeast-2 --from 2026-11-01 --to 2026-11-21T12:00:00Z \
         --max-events 100 --rate 20; echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        bin()
    ));
    // Each region pauses after its first 100 events (two pages), us-east-1 added for IAM/STS.
    let screen = t.wait_for("three regions paused at 100 events", 30, |s| {
        s.matches(" 100 ev ↓11-").count() == 3 && s.contains("m more")
    });
    assert!(
        screen.contains("LookupEvents eu-west-1, ap-southeast-2, us-east-1"),
        "{screen}"
    );
    assert!(
        screen.contains("AWS: every event in the window"),
        "{screen}"
    );
    assert!(screen.contains("‖ eu-west-1 100 ev ↓11-"), "{screen}");
    assert!(
        common::tmux::has_table_row(&screen, "2026-11-"),
        "rows in the table:\n{screen}"
    );
    assert!(screen.contains("300 events"), "{screen}");

    // Load more: a hundred more in each region, from where each stopped.
    t.send_keys(&["m"]);
    t.wait_for("the next hundred", 30, |s| {
        s.matches(" 200 ev ↓11-").count() == 3 && s.contains("m more")
    });

    // The regions overlay, with the time presets.
    t.send_keys(&["t"]);
    // Waits for the whole overlay: a capture can land between the writes of one frame.
    let overlay = t.wait_for("the regions overlay", 10, |s| {
        s.contains("Go back to") && s.contains("ap-southeast-2  paused")
    });
    assert!(
        overlay.contains("Window 2026-11-01 00:00 → 2026-11-21 12:00 UTC"),
        "{overlay}"
    );
    assert!(
        overlay.contains("ap-southeast-2  paused    4 pages · 200 events · back to 11-"),
        "{overlay}"
    );
    t.send_keys(&["Escape"]);
    t.wait_for("overlay closed", 10, |s| !s.contains("Go back to"));

    // Load until 5,000 events per region, then stop it part way.
    t.send_keys(&["L"]);
    t.wait_text("load until", 10);
    t.send_literal("5000");
    t.send_keys(&["Enter"]);
    t.wait_text("esc stops", 10);
    t.send_keys(&["Escape"]);
    let stopped = t.wait_text("fetch stopped: m resumes every region", 10);
    assert!(!stopped.contains("esc stops"), "{stopped}");
    assert!(
        !stopped.contains("⟳"),
        "no region still fetching:\n{stopped}"
    );

    // A view AWS can answer (an access key): F fetches it in every region, one attribute sent.
    t.send_keys(&["/"]);
    t.send_literal("key:ASIAXATTACKSESSION01");
    t.send_keys(&["Enter", "F"]);
    // The plan, then the walk (a typed filter is a step after `all`), then the count: the
    // attacker's session's management events (its backdoor key's S3 deletions are data
    // events, which LookupEvents never returns).
    t.wait_text(
        "AWS: AccessKeyId=ASIAXATTACKSESSION01 │ all › key:ASIAXATTACKSESSION01 │ 12 of",
        30,
    );
    t.wait_for("the refetch to finish", 30, |s| {
        s.contains("m more") && !s.contains("⟳")
    });

    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

/// The leaked-key walk in a real terminal: from the key's first event, through the lineage
/// (the session it minted, the key that session created) to the S3 deletions, by pivots.
#[test]
fn walk_from_the_leaked_key_to_the_deletions_by_lineage_and_pivots() {
    let t = Tmux::start("walk", 160, 45);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} --demo --filter key:AKIAXLEAKED0EXAMPLE1; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_text("35 of 6,707 events match", 20);
    // The lineage of the first event's key; down one line to the session; enter pivots.
    t.send_keys(&["l"]);
    let tree = t.wait_text("credential lineage", 10);
    assert!(
        tree.contains("AKIAXLEAKED0EXAMPLE1  ci-deploy  acct 111122223333  35 events"),
        "{tree}"
    );
    assert!(
        tree.contains("AssumeRole 11-19 02:21 → ASIAXATTACKSESSION01"),
        "{tree}"
    );
    assert!(
        tree.contains("CreateAccessKey 11-19 02:29 → AKIAXPERSIST0BACKUP1"),
        "{tree}"
    );
    t.send_keys(&["j", "Enter"]);
    t.wait_text(
        "key:AKIAXLEAKED0EXAMPLE1 › key:=ASIAXATTACKSESSION01 │ 12 of 6,707",
        10,
    );
    // Again, to the backdoor key the session created.
    t.send_keys(&["l"]);
    t.wait_text("credential lineage", 10);
    t.send_keys(&["j", "Enter"]);
    t.wait_text("› key:=AKIAXPERSIST0BACKUP1 │ 83 of 6,707", 10);
    // Its last event is a listing; the one before, a deletion: pivot on the event name.
    t.send_keys(&["G", "k", "p"]);
    t.wait_text("pivot on…", 10);
    t.send_keys(&["e"]);
    let done = t.wait_text("› event:=DeleteObject │ 30 of 6,707", 10);
    assert!(done.contains("DeleteObject"), "{done}");
    assert!(!done.contains("GetObject "), "only deletions:\n{done}");
    // Back twice: the backdoor key's view, then the session's.
    t.send_keys(&["["]);
    t.wait_text("83 of 6,707", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

/// The lines of the screen between the title and the status bar: the table and the detail
/// pane (the title names the source, the status bar how it was loaded).
fn body(screen: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let end = lines.len().saturating_sub(2);
    lines[1.min(end)..end]
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// An investigation saved in the app, quit, and reopened by name with no AWS credentials and
/// no way to reach a network: the same screen, the same walk, the same marks and notes.
#[test]
fn an_investigation_saved_and_reopened_by_name_shows_the_same_screen() {
    let t = Tmux::start("reopen", 150, 40);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} --demo --save night-shift --filter key:AKIAXLEAKED0EXAMPLE1; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_text("35 of 6,707 events match", 20);
    // Pivot on the attacker's IP (from the last event), mark two events, write a note, open
    // the detail pane.
    t.send_keys(&["G", "p"]);
    t.wait_text("pivot on…", 10);
    t.send_keys(&["i"]);
    t.wait_text("113 of 6,707", 10);
    t.send_keys(&["j", "j", "Space", "j", "a"]);
    t.wait_text("note on this event", 10);
    t.send_literal("exfil starts here");
    t.send_keys(&["Enter"]);
    t.wait_text("1 notes", 10);
    t.send_keys(&["Enter"]);
    let before = t.wait_text("✎ exfil starts here", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);

    // No credentials, no home, no route: any attempt to reach AWS would fail loudly.
    t.send_line("clear");
    t.send_line(&format!(
        "env -i PATH=\"$PATH\" TERM=xterm-256color HOME=/nonexistent TRAILSCOPE_DATA_DIR={} \
         AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL=http://127.0.0.1:9 \
         HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
         {} open night-shift; echo EXIT-CODE=$?",
        t.data_dir.path().display(),
        bin()
    ));
    let after = t.wait_for("the reopened investigation", 20, |s| {
        s.contains("night-shift (saved")
            && s.contains("saved blocks loaded")
            && s.contains("✎ exfil starts here")
    });
    assert_eq!(
        body(&after),
        body(&before),
        "before:\n{before}\nafter:\n{after}"
    );
    assert!(
        after.contains("2 marked") && after.contains("1 notes"),
        "{after}"
    );
    assert!(!after.contains("problems"), "{after}");
    // The walk came back too: back to the key's view.
    t.send_keys(&["["]);
    t.wait_text("35 of 6,707", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}
