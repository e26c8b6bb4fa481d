//! Whole-screen snapshots (ratatui TestBackend + insta) of the screens that matter, with a
//! fixed clock: a handful of meaningful states, not one per key.

mod common;
use common::harness::{given, given_demo, Harness};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use trailscope::theme::Theme;

fn screen(h: &Harness) -> String {
    let (w, ht) = (h.app.width, h.app.height);
    let mut terminal = Terminal::new(TestBackend::new(w, ht)).expect("test terminal");
    let theme = Theme::builtin("dark", false).expect("theme");
    terminal
        .draw(|f| trailscope::ui::draw(f, &h.app, &theme))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    (0..ht)
        .map(|y| {
            (0..w)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn start_80x24_stacked() {
    insta::assert_snapshot!(screen(&given("stratus-red-team-detonation-logs", 80, 24)));
}

#[test]
fn wide_200x50_side_by_side_after_moving() {
    insta::assert_snapshot!(screen(
        &given("stratus-red-team-detonation-logs", 200, 50).keys("jjjjj")
    ));
}

#[test]
fn detail_focused_and_scrolled() {
    insta::assert_snapshot!(screen(
        &given("plaso-lookupevents-jsonl", 120, 30).keys(&format!("<enter>{}", "j".repeat(25)))
    ));
}

#[test]
fn table_only_after_esc() {
    insta::assert_snapshot!(screen(
        &given("panther-analysis-cloudtrail-test-events", 120, 30).keys("<esc>G")
    ));
}

#[test]
fn help_overlay() {
    insta::assert_snapshot!(screen(
        &given("plaso-lookupevents-jsonl", 100, 30).keys("?")
    ));
}

#[test]
fn warnings_overlay() {
    insta::assert_snapshot!(screen(
        &given("aws-cloudtrail-processing-library-fixtures", 140, 24).keys("w")
    ));
}

#[test]
fn hostile_strings_render_as_visible_escapes() {
    // The table: the third event's userName carries a zero-width space and an OSC 52 write.
    let mut h = given("hostile/terminal-injection.jsonl", 200, 30);
    // The JSON whole (what the event is, above it, hidden) so the userAgent is on screen.
    h.app.explain_open = false;
    let text = screen(&h);
    // Escaped first, then fitted: the column is as wide as the escaped name needs.
    assert!(
        text.contains("ad\\u{200b}min\\x1b]52;c;cHduZWQ=\\x07"),
        "{text}"
    );
    // The detail of the first event: the userAgent that would retitle and clear the terminal.
    assert!(text.contains("\\u001b]0;pwned\\u0007\\u001b[2J"), "{text}");
    assert!(
        !text
            .chars()
            .any(|c| trailscope::model::sanitize::is_unsafe(c) && c != '\n'),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let h = h.keys("j<enter>G");
    let detail = screen(&h);
    assert!(
        detail.contains("\\u{9b}31mred\\u{9b}0m is not authorized"),
        "{detail}"
    );
    assert!(detail.contains("\\u{202e}exe.txt"), "{detail}");
    assert!(
        !detail
            .chars()
            .any(|c| trailscope::model::sanitize::is_unsafe(c) && c != '\n'),
        "{detail}"
    );
    insta::assert_snapshot!("hostile_detail", detail);
}

#[test]
fn filter_bar_pointing_at_an_error() {
    insta::assert_snapshot!(screen(
        &given("stratus-red-team-detonation-logs", 120, 24).keys("/error:any (event:Get")
    ));
}

#[test]
fn filtered_sorted_view_with_presets() {
    insta::assert_snapshot!(screen(
        &given("stratus-red-team-detonation-logs", 120, 24)
            .keys("/-event:DescribeInstanceInformation<enter>2s")
    ));
}

#[test]
fn facet_picker_searching_event_names() {
    insta::assert_snapshot!(screen(
        &given("stratus-red-team-detonation-logs", 100, 24).keys("f<tab><tab><tab>desc")
    ));
}

// Issue 8's screens, at the two sizes the layout is held to: a console's 80×24 and a wide
// 200×50.

#[test]
fn help_overlay_80x24() {
    insta::assert_snapshot!(screen(
        &given("stratus-red-team-detonation-logs", 80, 24).keys("?")
    ));
}

#[test]
fn command_palette_80x24() {
    insta::assert_snapshot!(screen(
        &given("stratus-red-team-detonation-logs", 80, 24).keys(":co")
    ));
}

#[test]
fn detail_cursor_and_relative_ages_80x24() {
    let mut h = given("stratus-red-team-detonation-logs", 80, 24);
    h.app.clock_origin =
        trailscope::model::time::EventTime::parse("2024-08-01T00:00:00Z").expect("time");
    insta::assert_snapshot!(screen(&h.keys(":time relative<enter><enter>jjjj")));
}

#[test]
fn local_time_sorted_by_a_click_and_split_moved_200x50() {
    use trailscope::app::msg::{Mouse, MouseKind, Msg};
    let mut h = given("stratus-red-team-detonation-logs", 200, 50);
    h.app.tz = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(-7));
    let h = h.keys("T");
    let mut h = h;
    for (kind, column, row) in [
        (MouseKind::Down, 120, 10),
        (MouseKind::Drag, 140, 10),
        (MouseKind::Up, 140, 10),
        (MouseKind::Down, 25, 2),
    ] {
        let fx = trailscope::app::update(&mut h.app, Msg::Mouse(Mouse { kind, column, row }));
        h.effects.extend(fx);
    }
    insta::assert_snapshot!(screen(&h.settle()));
}

#[test]
fn narrow_and_short_terminals_keep_the_essentials() {
    // Below 80×24 nothing breaks: the title, the selected row and the status bar stay.
    for (w, ht) in [(60, 16), (40, 12), (80, 10)] {
        let text = screen(&given("stratus-red-team-detonation-logs", w, ht).keys("jj"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), ht as usize, "{w}×{ht}");
        assert!(lines[0].starts_with(" trailscope"), "{w}×{ht}:\n{text}");
        assert!(text.contains("events 3/304"), "{w}×{ht}:\n{text}");
        assert!(
            lines[ht as usize - 1].contains("304 events"),
            "{w}×{ht}:\n{text}"
        );
    }
}

/// Issue 22: the walk's screens at the smallest and a wide terminal. The backdoor key's
/// reads and deletions, with what each touched in the TARGET column.
#[test]
fn table_with_the_target_column() {
    for (w, ht) in [(80, 24), (200, 50)] {
        let h = given_demo(w, ht).keys("/key:AKIAXPERSIST0BACKUP1<enter>G");
        insta::assert_snapshot!(format!("target_column_{w}x{ht}"), screen(&h));
    }
}

/// The leaked key's whole chain as one view (`p l`), and its lineage tree (`l`): the role
/// into the second account, the backdoor key minted there, each hop's account.
#[test]
fn the_lineage_view_and_its_tree() {
    for (w, ht) in [(80, 24), (200, 50)] {
        let h = given_demo(w, ht).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pl");
        assert!(h.app.filter.text.starts_with("lineage:"));
        insta::assert_snapshot!(format!("lineage_view_{w}x{ht}"), screen(&h));
        let h = h.keys("l");
        insta::assert_snapshot!(format!("lineage_tree_{w}x{ht}"), screen(&h));
    }
}

/// A narrowing pivot (`E` in the pivot menu): from the chain's last deletion, the
/// chain's deletions only, `& event:=DeleteObject` in the breadcrumbs.
#[test]
fn a_narrowed_pivot() {
    for (w, ht) in [(80, 24), (200, 50)] {
        let h = given_demo(w, ht).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pl");
        let last_deletion = h
            .names()
            .iter()
            .rposition(|n| n == "DeleteObject")
            .expect("the chain deletes");
        let h = h.keys(&format!("g{}", "j".repeat(last_deletion)));
        assert_eq!(h.selected_name(), "DeleteObject");
        let h = h.keys("pE");
        assert_eq!(
            h.app.filter.text,
            "lineage:AKIAXLEAKED0EXAMPLE1 event:=DeleteObject"
        );
        insta::assert_snapshot!(format!("narrowed_pivot_{w}x{ht}"), screen(&h));
    }
}
