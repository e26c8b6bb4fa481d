//! A user's keymap that rebinds a key in every layer, in a real terminal: the real binary
//! under tmux reads it from the config directory; each rebound key is pressed in its layer
//! and its effect read back from the screen, and the hints and notices name the user's keys.
//! Three sessions reach every layer: the demo incident from files, LookupEvents against the
//! fake endpoint (the fetch overlay, load until), and CloudTrail Lake against it (the store
//! picker, the SQL editor, its templates, the results table).
//!
//! Esc and the key after it are sent apart, after a wait: together a terminal reads them as
//! one alt- key.

mod common;
use common::tmux::Tmux;

const EDS: &str = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";

/// One key rebound in each layer (defaults stay for every other key).
const KEYMAP: &str = r#"
[[table]]
keys = ["X"]
command = "load-more"
desc = "more, my way"

[[detail]]
keys = ["J"]
command = "move-down"

[[help]]
keys = ["x"]
command = "back"

[[warnings]]
keys = ["x"]
command = "back"

[[columns]]
keys = ["x"]
command = "accept"

[[fetch]]
keys = ["x"]
command = "accept"

[[lineage]]
keys = ["x"]
command = "accept"

[[marks]]
keys = ["x"]
command = "accept"

[[timeline]]
keys = ["x"]
command = "accept"

[[facets]]
keys = ["ctrl-e"]
command = "exclude"

[[pivot-menu]]
keys = ["v"]
command = "pivot event"

[[filter-bar]]
keys = ["ctrl-g"]
command = "back"

[[until]]
keys = ["ctrl-g"]
command = "accept"

[[note]]
keys = ["ctrl-g"]
command = "accept"

[[command-line]]
keys = ["ctrl-k"]
command = "complete"

[[sessions]]
keys = ["ctrl-g"]
command = "back"

[[lake-picker]]
keys = ["x"]
command = "accept"

[[lake-editor]]
keys = ["f9"]
command = "run-sql"

[[lake-templates]]
keys = ["x"]
command = "accept"

[[lake-results]]
keys = ["x"]
command = "accept"
"#;

fn start(name: &str, width: u16, height: u16) -> Tmux {
    let t = Tmux::start(name, width, height);
    std::fs::write(t.config_dir.path().join("keymap.toml"), KEYMAP).expect("keymap");
    t.wait_text("READY>", 10);
    t
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

/// Waits for `gone` to leave the screen.
fn closed(t: &Tmux, gone: &str) {
    t.wait_for(&format!("{gone:?} gone"), 10, |s| !s.contains(gone));
}

/// The table, the detail pane, the overlays, the facets, the pivot menu, the prompts and the
/// saved investigations, on the demo incident read from files.
#[test]
fn a_key_rebound_in_each_layer_works_on_the_demo() {
    let t = start("keys-demo", 160, 45);
    t.send_line(&format!(
        "{} --demo --filter key:AKIAXLEAKED0EXAMPLE1; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_text("35 of 6,707 events match", 30);

    // Table: X loads more; from files that is a notice, naming the user's key.
    t.send_keys(&["X"]);
    t.wait_text("X, L, t and F fetch from AWS", 10);

    // Detail: J moves the JSON's cursor; tab goes back to the table, which has no J (the
    // pane's title counts its top line there, its cursor's line when focused).
    t.send_keys(&["Enter"]);
    t.wait_text("event JSON 1/", 10);
    t.send_keys(&["J"]);
    t.wait_text("event JSON 2/", 10);
    t.send_keys(&["J"]);
    t.wait_text("event JSON 3/", 10);
    t.send_keys(&["Tab"]);
    t.wait_text("event JSON 1/", 10);
    t.send_keys(&["J", "Enter"]);
    let screen = t.wait_text("event JSON 3/", 10);
    assert!(
        screen.contains("events 1/35"),
        "J did nothing in the table:\n{screen}"
    );
    t.send_keys(&["Tab"]);
    t.wait_text("event JSON 1/", 10);

    // Help and warnings: x closes them, and their titles say so.
    t.send_keys(&["?"]);
    let help = t.wait_text("help: keys (x to close)", 10);
    assert!(help.contains("X  more, my way"), "{help}");
    t.send_keys(&["x"]);
    closed(&t, "help: keys");
    t.send_keys(&["w"]);
    t.wait_text("load warnings (x to close)", 10);
    t.send_keys(&["x"]);
    closed(&t, "load warnings");

    // Columns: x hides the column under the cursor (the time), x again shows it.
    t.send_keys(&["c"]);
    t.wait_text("columns: x toggles, esc closes", 10);
    t.send_keys(&["x"]);
    t.wait_text("[ ] TIME (UTC)", 10);
    t.send_keys(&["x"]);
    t.wait_text("[x] TIME (UTC)", 10);
    t.send_keys(&["Escape"]);
    closed(&t, "columns: x toggles");

    // Lineage: x pivots to the credential under the cursor (the session the key minted).
    t.send_keys(&["l"]);
    t.wait_text("credential lineage: x pivots to the key, esc closes", 10);
    t.send_keys(&["j", "x"]);
    t.wait_text("› key:=ASIAXATTACKSESSION01 │ 12 of 6,707", 10);

    // Marks: x goes to the marked event.
    t.send_keys(&["Space", "G"]);
    t.wait_text("events 12/12", 10);
    t.send_keys(&["M"]);
    t.wait_text(
        "marked events: x goes to one, space on the table unmarks",
        10,
    );
    t.send_keys(&["x"]);
    t.wait_text("events 1/12", 10);

    // Timeline: x zooms in, as a new view with the span's bounds.
    t.send_keys(&["h"]);
    t.wait_text("space starts a span, x zooms in, esc closes", 10);
    t.send_keys(&["x"]);
    t.wait_text("key:=ASIAXATTACKSESSION01 after:2026-", 10);
    t.send_keys(&["["]);
    t.wait_text("› key:=ASIAXATTACKSESSION01 │ 12 of 6,707", 10);

    // Facets: ctrl-e excludes the value.
    t.send_keys(&["f"]);
    t.wait_text("ctrl-e: exclude", 10);
    t.send_keys(&["C-e"]);
    t.wait_text("key:=ASIAXATTACKSESSION01 -principal:=", 10);

    // Pivot menu: v pivots on the event name, and the menu shows v for it.
    t.send_keys(&["C-l"]);
    t.wait_text("│ all events", 10);
    t.send_keys(&["p"]);
    let menu = t.wait_text("pivot on…", 10);
    assert!(menu.contains(" v E  event name"), "{menu}");
    t.send_keys(&["v"]);
    t.wait_text("› event:=", 10);

    // Filter bar: ctrl-g backs out, the filter as it was.
    t.send_keys(&["C-l"]);
    t.wait_text("│ all events", 10);
    t.send_keys(&["/"]);
    t.send_literal("ip:198.51.100.77");
    t.wait_text("113 of 6,707 events match", 10);
    t.send_keys(&["C-g"]);
    t.wait_text("all events", 10);

    // Note: ctrl-g keeps it.
    t.send_keys(&["a"]);
    t.wait_text("note on this event", 10);
    t.send_literal("kept by ctrl-g");
    t.send_keys(&["C-g"]);
    t.wait_text("1 notes", 10);

    // Command line: ctrl-k completes the palette's entry, and the palette says so.
    t.send_keys(&[":"]);
    t.send_literal("toggle-ti");
    t.wait_text("ctrl-k completes", 10);
    t.send_keys(&["C-k"]);
    t.wait_for("the entry completed", 10, |s| {
        s.lines().any(|l| l.trim_end() == ":toggle-time")
    });
    t.send_keys(&["Enter"]);
    t.wait_text("TIME (LOCAL)", 10);

    // Saved investigations: ctrl-g closes the list, as its hint says.
    t.send_keys(&["O"]);
    t.wait_text("type to search · enter: open · ctrl-g", 10);
    t.send_keys(&["C-g"]);
    closed(&t, "saved investigations");

    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}

/// LookupEvents: the status bar names the user's key for more, the fetch overlay's x goes
/// back to the time picked, and ctrl-g starts "load until".
#[test]
fn a_key_rebound_in_each_lookup_events_layer_works() {
    let fake = common::FakeEndpoint::demo(20.0);
    let t = start("keys-live", 170, 40);
    t.send_line(&format!(
        "{} {} --regions eu-west-1 --from 2026-11-01 --to 2026-11-21T12:00:00Z \
         --max-events 100 --rate 20; echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        bin()
    ));
    t.wait_for("both regions paused at 100 events", 30, |s| {
        s.contains(" 200 events · all held back to") && s.contains("· X more · t/L go back")
    });
    t.send_keys(&["X"]);
    t.wait_text(" 400 events · all held back to", 30);

    // Until: ctrl-g accepts.
    t.send_keys(&["L"]);
    t.wait_text("load until", 10);
    t.send_literal("300");
    t.send_keys(&["C-g"]);
    t.wait_text(" 600 events · all held back to", 30);

    // Fetch overlay: x goes back to the preset under the cursor, in every region.
    t.send_keys(&["t"]);
    t.wait_for("the overlay", 10, |s| {
        s.contains("x goes back to the time picked") && s.contains("(x fetches what is missing)")
    });
    // The last preset (90 days): more than the window, or all of it held already.
    t.send_keys(&["G", "x"]);
    t.wait_for("every region fetched back", 60, |s| {
        !s.contains("goes back to the time picked")
            && (s.contains("the last 90d are already loaded in every region")
                || (s.contains("all held back to") && !s.contains(" 600 events ·")))
    });

    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}

/// CloudTrail Lake: x picks the store, F9 runs the SQL, x fills a template and x pivots on a
/// result cell; the pivot's notice names F9.
#[test]
fn a_key_rebound_in_each_lake_layer_works() {
    let fake = common::FakeEndpoint::demo(100.0);
    let t = start("keys-lake", 160, 44);
    t.send_line(&format!(
        "{} {} --lake --region us-east-1 --from 2026-11-01 --to 2026-11-21T12:00:00Z; \
         echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&fake.url),
        bin()
    ));
    t.wait_for("the store listed", 20, |s| {
        s.contains("x opens its SQL editor") && s.contains(EDS)
    });
    t.send_keys(&["x"]);
    t.wait_for("its editor", 10, |s| {
        s.contains(&format!("FROM {EDS}")) && s.contains("F9/F5 run")
    });
    t.send_keys(&["F9"]);
    t.wait_for("the window's events", 60, |s| {
        s.contains("6707 events joined") && s.contains("Lake FINISHED")
    });
    t.send_keys(&["/"]);
    t.send_literal("ip:=198.51.100.77");
    t.send_keys(&["Enter"]);
    t.wait_text("113 of 6,707 events match", 20);
    t.send_keys(&["E", "C-t"]);
    t.wait_text("x fills the editor", 10);
    t.send_keys(&["Down", "Down", "x"]);
    t.wait_text("GROUP BY 1, 2", 10);
    t.send_keys(&["F9"]);
    t.wait_for("the results table", 60, |s| {
        s.contains("Lake results · 4 rows") && s.contains("x pivots on the cell")
    });
    t.send_keys(&["Right", "Down", "x"]);
    t.wait_for("the pivot's SQL", 10, |s| {
        s.contains(
            "the pivot as Lake SQL across every account: F9 runs it, esc keeps to loaded events",
        ) && s.contains("AND (userIdentity.arn = 'arn:aws:iam::111122223333:user/ci-deploy')")
    });
    t.send_keys(&["Escape"]);
    closed(&t, "the pivot as Lake SQL");
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}
