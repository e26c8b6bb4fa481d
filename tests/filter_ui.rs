//! The filter in the app: the bar, presets, facets, sorting and columns, driven by keys.

mod common;
use common::harness::given;
use trailscope::app::Overlay;
use trailscope::filter::preset::Preset;
use trailscope::model::column::Column;

const STRATUS: &str = "stratus-red-team-detonation-logs";

#[test]
fn typing_filters_on_every_key_and_enter_keeps_it() {
    let h = given(STRATUS, 120, 30).keys("/ip:18.236.253.4");
    assert!(h.app.bar.is_some());
    // A valid prefix of an address is an exact lookup that matches nothing yet.
    assert_eq!(h.app.rows().len(), 0);
    let h = h.keys("7");
    assert_eq!(h.app.rows().len(), 45);
    let h = h.keys("<enter>");
    assert!(h.app.bar.is_none());
    assert_eq!(h.app.filter.text, "ip:18.236.253.47");
    assert_eq!(h.app.rows().len(), 45);
    // Movement works on the filtered view.
    let h = h.keys("G");
    assert_eq!(h.app.table.cursor, 44);
}

#[test]
fn an_invalid_half_typed_filter_keeps_the_last_result_and_points_at_the_error() {
    let h = given(STRATUS, 120, 30).keys("/error:any (");
    let err = h
        .app
        .filter
        .error
        .clone()
        .expect("an error while the paren is open");
    assert_eq!(err.at, 10);
    assert!(err.message.contains("never closed"));
    assert_eq!(h.app.rows().len(), 52, "still the result of `error:any`");
    // Enter cannot accept an invalid filter; finishing it can.
    let h = h.keys("<enter>");
    assert!(h.app.bar.is_some());
    let h = h.keys("event:GetPasswordData)<enter>");
    assert!(h.app.filter.error.is_none());
    assert!(h.app.bar.is_none());
    assert!(h.names().iter().all(|n| n == "GetPasswordData"));
}

#[test]
fn esc_in_the_bar_restores_the_filter_it_opened_with() {
    let h = given(STRATUS, 120, 30).keys("/error:any<enter>");
    assert_eq!(h.app.rows().len(), 52);
    let h = h.keys("/ -event:GetPasswordData");
    assert!(h.app.rows().len() < 52);
    let h = h.keys("<esc>");
    assert_eq!(h.app.filter.text, "error:any");
    assert_eq!(h.app.rows().len(), 52);
    // Esc in the table never leaves the view; ctrl-l clears the filter: back to everything.
    let h = h.keys("<esc>");
    assert_eq!(h.app.rows().len(), 52);
    let h = h.keys("<c-l>");
    assert_eq!(h.app.rows().len(), 304);
}

#[test]
fn fast_typing_is_coalesced_and_narrowing_reuses_the_last_result() {
    // No work runs between these keys: only the final text is filtered.
    let h = given(STRATUS, 120, 30).keys_unsettled("/getpass");
    assert!(h.app.wants_work());
    assert_eq!(h.app.rows().len(), 304, "the view waits for the work");
    let h = h.settle();
    assert_eq!(h.app.rows().len(), 30);
    let h = h.keys("worddata");
    assert_eq!(h.app.rows().len(), 30);
    assert!(h.names().iter().all(|n| n == "GetPasswordData"));
}

#[test]
fn the_cursor_stays_on_its_event_when_the_filter_changes() {
    let h = given(STRATUS, 120, 30).keys("/event:GetPasswordData<enter>jjj");
    let chosen = h.app.selected().expect("selection");
    let h = h.keys("<c-l>");
    assert_eq!(h.app.rows().len(), 304);
    assert_eq!(
        h.app.selected(),
        Some(chosen),
        "same event selected in the wider view"
    );
}

#[test]
fn presets_toggle_and_compose_with_the_filter() {
    let h = given(STRATUS, 120, 30).keys("2");
    assert!(h.app.filter.presets.contains(&Preset::Errors));
    assert_eq!(h.app.rows().len(), 52);
    let h = h.keys("1");
    let both = h.app.rows().len();
    assert!(both > 0 && both < 52);
    let h = h.keys("/ip:18.236.253.47<enter>");
    assert!(h.app.rows().len() <= both);
    let h = h.keys("12<c-l>");
    assert!(h.app.filter.presets.is_empty());
    assert_eq!(h.app.rows().len(), 304);
}

#[test]
fn facets_count_the_view_and_picking_adds_an_exact_term() {
    let h = given(STRATUS, 120, 30).keys("f");
    let p = h.app.picker.as_ref().expect("picker open");
    let top = p.value(0).expect("values");
    assert_eq!(
        h.app.store.interner.resolve(top.sym),
        "arn:aws:iam::056392974792:user/christophe"
    );
    assert_eq!(top.count, 56);
    // Next facet: source IPs; fuzzy search narrows; enter adds `ip:=…`.
    let h = h.keys("<tab>18236");
    let p = h.app.picker.as_ref().expect("picker open");
    let first = p.value(0).expect("a match");
    assert_eq!(h.app.store.interner.resolve(first.sym), "18.236.253.47");
    let h = h.keys("<enter>");
    assert!(h.app.picker.is_none());
    assert_eq!(h.app.filter.text, "ip:=18.236.253.47");
    assert_eq!(h.app.rows().len(), 45);
    // Excluding with ctrl-x from the event facet.
    let h = h.keys("f<tab><tab><tab><c-x>");
    assert!(
        h.app.filter.text.starts_with("ip:=18.236.253.47 -event:="),
        "{}",
        h.app.filter.text
    );
    assert!(h.app.rows().len() < 45);
}

#[test]
fn sorting_and_columns() {
    let h = given(STRATUS, 160, 30).keys("s");
    let sort = h.app.sort.expect("sorted");
    assert_eq!(sort.column, Column::Event);
    let names = h.names();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let h = h.keys("S");
    let reversed = h.names();
    assert_eq!(reversed.first(), sorted.last());
    // Sorting survives a filter.
    let h = h.keys("/error:any<enter>");
    let names = h.names();
    assert!(names
        .windows(2)
        .all(|w| w[0].to_lowercase() >= w[1].to_lowercase()));
    // Column chooser: turn on ACCESS KEY (9th), turn off EVENT (2nd).
    let h = h.keys("c");
    assert!(matches!(h.app.overlay, Some(Overlay::Columns { .. })));
    let h = h.keys("jjjjjjjj<enter>gj<enter><esc>");
    assert!(h.app.columns.contains(&Column::AccessKey));
    assert!(!h.app.columns.contains(&Column::Event));
}

/// Small terminals (issue 22, item 7): the column chooser says which chosen columns the table
/// is too narrow to show, and says nothing of the kind when everything fits.
#[test]
fn the_column_chooser_names_columns_hidden_for_width() {
    // At 60 columns the six kept columns take it all; service and region are hidden.
    let narrow = common::harness::given_demo(60, 24).keys("c");
    let screen = narrow.draw().join("\n");
    assert!(
        screen.contains("(hidden: the table is too narrow)"),
        "{screen}"
    );
    // Side by side the table has 60% of the width: 168 columns hold all eight defaults.
    let wide = common::harness::given_demo(280, 40).keys("c");
    let screen = wide.draw().join("\n");
    assert!(!screen.contains("hidden:"), "{screen}");
}
