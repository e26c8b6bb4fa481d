//! The leaked-key playbook (CLOUDTRAIL.md, assets/demo/STORY.md) walked through the reducer
//! with keys: the key's activity → its source IP → back → the session it minted (lineage) →
//! the backdoor key that session created → its S3 deletions, marked as evidence.

mod common;

use common::harness::{given, given_demo, Harness};
use trailscope::app::Overlay;
use trailscope::lineage::Cred;
use trailscope::model::id::Id;

fn crumbs(h: &Harness) -> String {
    h.app.nav.breadcrumbs(&h.app.current_view())
}

fn selected_id(h: &Harness) -> String {
    let idx = h.app.selected().expect("a selection");
    h.app
        .store
        .event(idx)
        .event_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[test]
fn the_leaked_key_playbook_in_keystrokes() {
    // The lead: the leaked key. Its last event is the AssumeRole into the second account.
    let h = given_demo(160, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>G");
    assert_eq!(h.app.rows().len(), 35);
    assert_eq!(h.selected_name(), "AssumeRole");
    let assume_role = selected_id(&h);
    let row_on_screen = h.app.table.cursor - h.app.table.offset;

    // Everything from the attacker's IP: 113 events, the AssumeRole still selected.
    let h = h.keys("pi");
    assert_eq!(h.app.rows().len(), 113);
    // A typed filter is a step of the walk as a pivot is: the view of every event before it.
    assert_eq!(
        crumbs(&h),
        "all › key:AKIAXLEAKED0EXAMPLE1 › ip:=198.51.100.77"
    );
    assert_eq!(selected_id(&h), assume_role);

    // Back: the key's view, the cursor on the same event at the same place on screen.
    let h = h.keys("G[");
    assert_eq!(h.app.rows().len(), 35);
    assert_eq!(selected_id(&h), assume_role);
    assert_eq!(h.app.table.cursor - h.app.table.offset, row_on_screen);
    assert_eq!(crumbs(&h), "all › key:AKIAXLEAKED0EXAMPLE1");
    // And forward again.
    let h = h.keys("]");
    assert_eq!(h.app.rows().len(), 113);
    let h = h.keys("[");

    // The lineage of the leaked key: the session it minted, and the key that session made.
    let h = h.keys("l");
    assert_eq!(h.app.overlay, Some(Overlay::Lineage { cursor: 0 }));
    let tree: Vec<(usize, &str)> = h
        .app
        .lineage
        .iter()
        .map(|l| (l.depth, l.cred.text()))
        .collect();
    assert_eq!(
        tree,
        [
            (0, "AKIAXLEAKED0EXAMPLE1"),
            (1, "ASIAXATTACKSESSION01"),
            (2, "AKIAXPERSIST0BACKUP1")
        ]
    );
    let h = h.keys("j<enter>");
    assert_eq!(h.app.overlay, None);
    assert_eq!(h.app.rows().len(), 12);
    assert_eq!(
        crumbs(&h),
        "all › key:AKIAXLEAKED0EXAMPLE1 › key:=ASIAXATTACKSESSION01"
    );
    // What the role changed: its successful writes, CreateAccessKey among them.
    let h = h.keys("1");
    assert!(
        h.names().contains(&"CreateAccessKey".to_string()),
        "{:?}",
        h.names()
    );
    let h = h.keys("1");

    // From the session, on to the key it created.
    let h = h.keys("l");
    assert_eq!(h.app.overlay, Some(Overlay::Lineage { cursor: 1 }));
    assert!(h.app.lineage[1].focus);
    assert_eq!(
        h.app.lineage[2].cred,
        Cred::Key("AKIAXPERSIST0BACKUP1".to_string())
    );
    let h = h.keys("j<enter>");
    assert_eq!(h.app.rows().len(), 83);

    // What it did to the bucket: read 48 objects, deleted 30.
    let h = h.keys("/ event:DeleteObject<enter>");
    assert_eq!(
        crumbs(&h),
        "all › key:AKIAXLEAKED0EXAMPLE1 › key:=ASIAXATTACKSESSION01 › key:=AKIAXPERSIST0BACKUP1 › key:=AKIAXPERSIST0BACKUP1 event:DeleteObject"
    );
    let rows = h.app.rows().to_vec();
    assert_eq!(rows.len(), 30);
    for &i in &rows {
        let e = h.app.store.event(i);
        assert_eq!(h.app.store.text(e.name), "DeleteObject");
        assert!(e
            .raw
            .text()
            .contains("\"bucketName\":\"acme-finance-reports\""));
    }

    // Evidence: mark the first and the last deletion, then jump between them.
    let h = h.keys("g<space>G<space>");
    assert_eq!(h.app.marks.len(), 2);
    assert!(h.app.marks.contains(&rows[0]) && h.app.marks.contains(&rows[29]));
    let h = h.keys("n");
    assert_eq!(h.app.selected(), Some(rows[0]), "wraps to the first mark");
    let h = h.keys("N");
    assert_eq!(h.app.selected(), Some(rows[29]));
    // The marks list reaches a mark from a view that does not hold it.
    let h = h.keys("/<c-u>event:GetObject<enter>M");
    assert_eq!(h.app.overlay, Some(Overlay::Marks { cursor: 0 }));
    let h = h.keys("j<enter>");
    assert_eq!(h.app.selected(), Some(rows[29]));
    assert_eq!(h.app.filter.text, "", "a view of every event, pushed");
    let h = h.keys("[");
    assert_eq!(h.app.filter.text, "event:GetObject");
    // Unmarking.
    let h = h.keys("]<space>");
    assert_eq!(h.app.marks.len(), 1);
}

#[test]
fn a_pivot_the_event_cannot_make_says_so() {
    // An event without an error code has no error pivot.
    let h = given_demo(120, 30).keys("/-error:any<enter>");
    let steps = h.app.nav.back.len();
    let h = h.keys("gpx");
    assert_eq!(h.app.nav.back.len(), steps, "no pivot made");
    assert_eq!(
        h.app.notice.as_deref(),
        Some("this event has no error code")
    );
    // Esc in the menu cancels without pivoting.
    let h = h.keys("p<esc>");
    assert!(!h.app.pivot_menu);
    assert_eq!(h.app.nav.back.len(), steps);
}

/// Evidence at the speed of the walk (issue 22, item 6): one key marks every event of the
/// view; pressed again when all are marked, it takes them off.
#[test]
fn one_key_marks_the_whole_view_and_again_unmarks_it() {
    let h = given_demo(120, 30).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>");
    let view = h.names().len();
    assert!(view > 1, "the leaked key's view has events");
    let h = h.keys("V");
    assert_eq!(h.app.marks.len(), view, "every event of the view marked");
    let notice = h.app.notice.clone().unwrap_or_default();
    assert!(
        notice.contains(&format!("{view} events marked")),
        "{notice}"
    );
    let h = h.keys("<c-l>");
    assert_eq!(h.app.marks.len(), view, "marks outlive the view");
    let h = h.keys("/key:AKIAXLEAKED0EXAMPLE1<enter>V");
    assert!(
        h.app.marks.is_empty(),
        "all were marked: the second press unmarks"
    );
}

/// No view is ever lost (issue 22, item 3): Esc in the table never leaves a view (it says how
/// to), and clearing the filter is a step `[` takes back, its event still selected.
#[test]
fn one_esc_too_many_does_not_lose_the_pivot() {
    let h = given_demo(120, 30).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>");
    let pivot = h.names();
    let selected = h.selected_name();
    assert!(pivot.len() > 1);
    let h = h.keys("<enter><esc><esc><esc>");
    assert_eq!(
        h.names(),
        pivot,
        "Esc closed the detail pane, and left the view alone"
    );
    assert!(!h.app.detail.open);
    let notice = h.app.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("[ goes back") && notice.contains("ctrl-l shows every event"),
        "{notice}"
    );
    let h = h.keys("<c-l>");
    assert!(h.names().len() > pivot.len(), "the filter is cleared");
    let title = h.draw()[0].clone();
    assert!(
        title.contains("all events") && title.contains("key:AKIAX"),
        "the walk is in the title, its end never cut: {title}"
    );
    let h = h.keys("[");
    assert_eq!(h.names(), pivot, "[ brings the pivot back");
    assert_eq!(h.selected_name(), selected);
    assert_eq!(h.app.filter.text, "key:AKIAXLEAKED0EXAMPLE1");
}

/// `M` lists the marks with their notes (issue 22, item 6), escaped like every event string.
#[test]
fn the_marks_overlay_shows_each_marks_note() {
    let h = given_demo(140, 30)
        .keys("/key:AKIAXLEAKED0EXAMPLE1<enter>")
        .keys("aleak starts here<enter>j<space>M");
    let screen = h.draw().join("\n");
    assert!(screen.contains("✎ leak starts here"), "{screen}");
    assert_eq!(
        screen.matches(" ● ").count(),
        2,
        "two marks, one with a note: {screen}"
    );
}

/// A range in one command (issue 22, item 6): `space` marks where it starts, `v` marks every
/// event from there to the selected one.
#[test]
fn a_range_of_the_view_is_marked_in_one_key() {
    let h = given_demo(120, 30).keys("v");
    let notice = h.app.notice.clone().unwrap_or_default();
    assert!(notice.contains("nothing marked yet"), "{notice}");
    let h = h.keys("/key:AKIAXLEAKED0EXAMPLE1<enter>g<space>jjjv");
    assert_eq!(h.app.marks.len(), 4, "the first four events of the view");
    let first_four: Vec<_> = h.app.rows()[..4].to_vec();
    assert!(first_four.iter().all(|i| h.app.marks.contains(i)));
    let notice = h.app.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("3 events marked (4 in the range)"),
        "{notice}"
    );
}

/// The whole chain as one view (issue 22, item 1): from the leaked key, `p l` shows every
/// event of the key, the role session it minted and the key that session created, with the
/// minting events, as `trailscope query --lineage` selects them; the breadcrumbs name it.
#[test]
fn one_command_opens_the_whole_credential_chain() {
    let h = given_demo(160, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>g");
    let h = h.keys("pl");
    assert_eq!(
        crumbs(&h),
        "all › key:AKIAXLEAKED0EXAMPLE1 › lineage:AKIAXLEAKED0EXAMPLE1"
    );
    let lineage = trailscope::lineage::Lineage::build(&h.app.store);
    let reach = lineage.reachable(&h.app.store, &Cred::Key("AKIAXLEAKED0EXAMPLE1".to_string()));
    let expected = lineage.events(&h.app.store, &reach);
    assert_eq!(h.app.rows(), expected.as_slice());
    let keys: std::collections::BTreeSet<String> = h
        .app
        .rows()
        .iter()
        .filter_map(|&i| h.app.store.event(i).identity.access_key_id)
        .map(|k| h.app.store.text(Some(k)).to_string())
        .collect();
    for key in [
        "AKIAXLEAKED0EXAMPLE1",
        "ASIAXATTACKSESSION01",
        "AKIAXPERSIST0BACKUP1",
    ] {
        assert!(keys.contains(key), "{key} in the chain: {keys:?}");
    }
    // The lineage overlay opens the same view for the credential on its line.
    let h = h.keys("[").keys("l").keys("jc");
    assert_eq!(h.app.overlay, None);
    assert_eq!(h.app.filter.text, "lineage:ASIAXATTACKSESSION01");
    assert!(
        h.app.rows().len() < expected.len(),
        "the session's part only"
    );
}

/// Keys typed faster than the filter runs (the runtime sends `Msg::Work` only when no input
/// waits, so a burst of keys is read before any scan): the pivot acts on the view the typed
/// filter asked for, not on the row at the cursor of the view before it (the e2e_walk flake:
/// `p l` took the lineage of the first of every event, and `8` left 0 of 21,300).
#[test]
fn keys_typed_ahead_of_the_scan_pivot_on_the_typed_view() {
    let walk = "/key:AKIAXLEAKED0EXAMPLE1<enter>pl8";
    let settled = given_demo(160, 40).keys(walk);
    let ahead = given_demo(160, 40).settle().keys_unsettled(walk).settle();
    assert_eq!(ahead.app.filter.text, "lineage:AKIAXLEAKED0EXAMPLE1");
    assert_eq!(
        crumbs(&ahead),
        "all › key:AKIAXLEAKED0EXAMPLE1 › lineage:AKIAXLEAKED0EXAMPLE1 +destructive"
    );
    assert_eq!(ahead.app.filter.text, settled.app.filter.text);
    assert_eq!(ahead.app.filter.presets, settled.app.filter.presets);
    // The chain's destructive events: its S3 deletions among them.
    // By event ID: the demo's files load in parallel, so storage indices differ between runs.
    let ids = |h: &Harness| -> Vec<Option<Id>> {
        h.app
            .rows()
            .iter()
            .map(|&i| h.app.store.event(i).event_id.clone())
            .collect()
    };
    assert!(ahead.app.rows().len() > 10, "{}", ahead.app.rows().len());
    assert_eq!(ids(&ahead), ids(&settled));
    let names: std::collections::BTreeSet<String> = ahead
        .app
        .rows()
        .iter()
        .map(|&i| {
            ahead
                .app
                .store
                .text(ahead.app.store.event(i).name)
                .to_string()
        })
        .collect();
    assert!(names.contains("DeleteObject"), "{names:?}");
}

/// Pivots that narrow (issue 22, item 2): from a DeleteObject in the chain's view, the narrowing
/// pivot keeps the chain and adds the event name; the plain pivot replaces the view with every
/// DeleteObject of anyone. The breadcrumbs say which kind each step was.
#[test]
fn a_narrowing_pivot_keeps_the_view_and_adds_the_value() {
    let h = given_demo(160, 40)
        .keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pl")
        .keys("/<c-u>lineage:AKIAXLEAKED0EXAMPLE1 event:DeleteObject<enter>");
    let deletions = h.app.rows().to_vec();
    assert!(!deletions.is_empty());
    let h = h.keys("<c-l>").keys("/lineage:AKIAXLEAKED0EXAMPLE1<enter>");
    // Select a DeleteObject of the chain, then narrow by its event name.
    let at = h
        .app
        .rows()
        .iter()
        .position(|&i| h.app.store.text(h.app.store.event(i).name) == "DeleteObject")
        .expect("a deletion in the chain");
    let h = h.keys(&format!("g{}", "j".repeat(at))).keys("pE");
    assert_eq!(
        h.app.rows(),
        deletions.as_slice(),
        "the chain's deletions only"
    );
    assert!(
        crumbs(&h).ends_with("lineage:AKIAXLEAKED0EXAMPLE1 › & event:=DeleteObject"),
        "{}",
        crumbs(&h)
    );
    assert_eq!(
        h.selected_name(),
        "DeleteObject",
        "the event stays selected"
    );
    // The replacing form, from the same event: every DeleteObject, the chain dropped.
    let h = h.keys("[pe");
    assert_eq!(h.app.filter.text, "event:=DeleteObject");
    assert!(h.app.rows().len() >= deletions.len());
}

/// No view is ever lost (issue 22, item 3): a new branch taken after going back replaces the
/// forward path, and the views list still reaches the branch left behind.
#[test]
fn a_branch_left_behind_stays_in_the_views_list() {
    let h = given_demo(160, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>G");
    let h = h.keys("pi").keys("[").keys("pe");
    assert!(
        h.app.nav.forward.is_empty(),
        "the new branch replaced forward"
    );
    assert_eq!(h.app.filter.text, "event:=AssumeRole");
    let h = h.keys("H");
    assert_eq!(h.app.overlay, Some(Overlay::Views { cursor: 0 }));
    let screen = h.draw().join("\n");
    assert!(
        screen.contains("branch left") && screen.contains("ip:=198.51.100.77"),
        "{screen}"
    );
    // Newest first: on screen, the key's view (left for the new pivot), the IP's (left by [).
    let listed: Vec<String> = h
        .app
        .nav
        .history(&h.app.current_view())
        .iter()
        .map(|v| v.filter.clone())
        .collect();
    assert_eq!(
        listed,
        [
            "event:=AssumeRole",
            "key:AKIAXLEAKED0EXAMPLE1",
            "ip:=198.51.100.77",
            ""
        ]
    );
    let h = h.keys("jj<enter>");
    assert_eq!(
        h.app.filter.text, "ip:=198.51.100.77",
        "the branch, back on screen"
    );
    let h = h.keys("[");
    assert_eq!(h.app.filter.text, "event:=AssumeRole", "and back returns");
}

/// An Identity Center access-portal session is a pivot of its own (issue 22, item 9): from
/// one of Alice's GetRoleCredentials (tests/fixtures/identity_center), `p c` shows her sign-in
/// and every call of that portal session, nothing of Bob's; the lineage goes on from the
/// session to the role sessions it asked for.
#[test]
fn a_portal_session_is_walked_from_sign_in_to_role_credentials() {
    const ALICE: &str = "AAAAAGExampleAlicePortalSession_Vk3mQ9tZrW8xY2nB7cD4fG5hJ6kL1pOq";
    let h = given("identity_center", 160, 40)
        .keys("/event:=GetRoleCredentials ip:203.0.113.25<enter>g");
    assert_eq!(h.app.rows().len(), 2);
    let grant = selected_id(&h);
    // The pivot menu offers the session under `c`, with the term it will use.
    let h = h.keys("p");
    let menu = h.draw().join("\n");
    assert!(
        menu.contains(" c C  access-portal session  portal:=AAAAAGExampleAlice"),
        "{menu}"
    );
    let h = h.keys("c");
    assert_eq!(
        h.names(),
        [
            "CredentialChallenge",
            "CredentialVerification",
            "UserAuthentication",
            "ListAccounts",
            "ListAccountRoles",
            "GetRoleCredentials",
            "ListAccountRoles",
            "GetRoleCredentials",
        ]
    );
    // The sign-in is in the view by its own workflow ID, said in the filter, not hidden.
    assert_eq!(
        h.app.filter.text,
        format!("portal:={ALICE} OR signin:=7a4ef12c-7c4b-4bc3-b5bd-c2469afcc795")
    );
    assert_eq!(selected_id(&h), grant, "the grant stays selected");
    // The principal column names her, from the sign-in.
    let screen = h.draw().join("\n");
    assert!(screen.contains("sso:alice@example.com"), "{screen}");

    // From the sign-in, the same session.
    let from_sign_in = given("identity_center", 160, 40)
        .keys("/event:=UserAuthentication ip:203.0.113.25<enter>pc");
    assert_eq!(from_sign_in.app.filter.text, h.app.filter.text);
    assert_eq!(from_sign_in.selected_name(), "UserAuthentication");

    // Its lineage: the session, the two role sessions it asked for, the key one created.
    let h = h.keys("l");
    let tree: Vec<(usize, String)> = h
        .app
        .lineage
        .iter()
        .map(|l| (l.depth, l.cred.label()))
        .collect();
    assert_eq!(
        tree,
        [
            (0, format!("portal:{ALICE}")),
            (1, "ASIA4ALICEDEV0000001".to_string()),
            (2, "AKIA4CIBOTEXAMPLE001".to_string()),
            (1, "ASIA4ALICEPROD000001".to_string()),
        ]
    );
    assert_eq!(h.app.overlay, Some(Overlay::Lineage { cursor: 0 }));
    let h = h.keys("j<enter>");
    assert_eq!(h.app.filter.text, "key:=ASIA4ALICEDEV0000001");
    assert_eq!(h.app.rows().len(), 3);
    // And back up the tree to the session: Enter on a portal line pivots to it.
    let h = h.keys("l");
    assert_eq!(h.app.overlay, Some(Overlay::Lineage { cursor: 1 }));
    let h = h.keys("k<enter>");
    assert_eq!(h.app.rows().len(), 8);

    // The user behind the session: every Identity Center event of hers, and only hers.
    let h = h.keys("pp");
    assert_eq!(h.app.rows().len(), 8);
    assert!(
        h.app.filter.text.starts_with("principal:=idc:"),
        "{}",
        h.app.filter.text
    );
}

/// The README's tour, step 4, as written: from the leaked key, `p l 8` leaves the trail
/// stopped and the 30 payroll deletions, nothing else (tests/e2e_walk.rs walks the same keys
/// on a noisy generated incident).
#[test]
fn the_readme_walk_holds_on_the_demo() {
    let readme = include_str!("../README.md");
    assert!(
        readme.contains("`/key:AKIAXLEAKED0EXAMPLE1`\n   `Enter` `p l 8`"),
        "the README's walk changed: change this test with it"
    );
    let h = given_demo(120, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pl8");
    let names = h.names();
    assert_eq!(names.len(), 31);
    assert_eq!(names[0], "StopLogging");
    assert!(names[1..].iter().all(|n| n == "DeleteObject"), "{names:?}");
    // Each deletion's object is on screen, in the TARGET column.
    let screen = h.draw().join("\n");
    assert!(
        screen.contains("TARGET") && screen.contains("ledger-0001.csv"),
        "{screen}"
    );
}

/// Small terminals never cut a key hint (issue 22, item 7): a long notice at 80 columns is
/// cut before the help and quit keys, which keep their place at the right.
#[test]
fn a_long_notice_never_cuts_the_key_hints() {
    let h = given_demo(80, 24).keys("F");
    let notice = h.app.notice.clone().unwrap_or_default();
    assert!(
        notice.chars().count() > 80,
        "a notice longer than the bar: {notice}"
    );
    let screen = h.draw();
    let status = screen.last().map(|l| l.trim_end()).unwrap_or_default();
    assert!(status.ends_with("· ? help · q quit"), "{status:?}");
}
