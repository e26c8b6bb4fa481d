//! Whole-screen snapshots (ratatui TestBackend + insta) of the screens that matter, with a
//! fixed clock: a handful of meaningful states, not one per key.

mod common;
use common::harness::{given, Harness};
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
        &given("plaso-lookupevents-jsonl", 120, 30).keys("<enter>jjjjjjjjjj")
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
    let h = given("hostile", 200, 30);
    let text = screen(&h);
    assert!(text.contains("ad\\u{200b}min\\x1b]52;c;"), "{text}");
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
