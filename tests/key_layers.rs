//! Layers in the reducer: whichever layer is on top (`App::layer`) gets the key, and its own
//! handler runs it: with the default keymap, and with a user's keymap that rebinds a key in
//! every layer. The draw stacks the layers in the order the keys reach them.

mod common;
use common::harness::{given_demo, Harness};
use std::collections::BTreeSet;
use trailscope::app::bar::FilterBar;
use trailscope::app::effect::Effect;
use trailscope::app::lake::{LakeSession, ResultsView};
use trailscope::app::layer::Layer;
use trailscope::app::{Focus, Overlay};
use trailscope::keymap::Keymap;
use trailscope::lake::rows::Table;
use trailscope::lake::sql::Window;
use trailscope::model::time::EventTime;

/// Checks the layer on top, remembering it was reached.
fn on(h: &Harness, layer: Layer, seen: &mut BTreeSet<Layer>) {
    assert_eq!(h.app.layer(), layer, "stack: {:?}", h.app.layers());
    seen.insert(layer);
}

fn window() -> Window {
    Window {
        start: EventTime::from_millis(0),
        end: EventTime::from_millis(1),
    }
}

fn quits(h: &Harness) -> bool {
    h.effects.iter().any(|e| matches!(e, Effect::Quit))
}

fn filter(h: &Harness) -> String {
    h.app.filter.text.clone()
}

/// The keys each layer is reached and driven with: the defaults, or a user's own.
struct Keys {
    detail_down: &'static str,
    help_close: &'static str,
    warnings_close: &'static str,
    columns_toggle: &'static str,
    fetch_down: &'static str,
    lineage_pivot: &'static str,
    marks_go: &'static str,
    findings_go: &'static str,
    views_go: &'static str,
    timeline_span: &'static str,
    facets_exclude: &'static str,
    pivot_event: &'static str,
    bar_cancel: &'static str,
    until_accept_or_cancel: &'static str,
    note_accept: &'static str,
    palette_complete: &'static str,
    sessions_close: &'static str,
    table_mark: &'static str,
    lake_picker_close: &'static str,
    lake_editor_templates: &'static str,
    lake_templates_down: &'static str,
    lake_results_right: &'static str,
}

const DEFAULTS: Keys = Keys {
    detail_down: "j",
    help_close: "<esc>",
    warnings_close: "<esc>",
    columns_toggle: "<enter>",
    fetch_down: "j",
    lineage_pivot: "<enter>",
    marks_go: "<enter>",
    findings_go: "<enter>",
    views_go: "j<enter>",
    timeline_span: " ",
    facets_exclude: "<c-x>",
    pivot_event: "e",
    bar_cancel: "<esc>",
    until_accept_or_cancel: "<esc>",
    note_accept: "<enter>",
    palette_complete: "<tab>",
    sessions_close: "<esc>",
    table_mark: " ",
    lake_picker_close: "q",
    lake_editor_templates: "<c-t>",
    lake_templates_down: "j",
    lake_results_right: "l",
};

/// One key rebound in every layer (and in the two shared sections).
const USER_KEYMAP: &str = r#"
[[table]]
keys = ["ctrl-g"]
command = "toggle-mark"

[[detail]]
keys = ["J"]
command = "move-down"

[[overlay]]
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
command = "move-down"

[[lineage]]
keys = ["x"]
command = "accept"

[[marks]]
keys = ["x"]
command = "accept"

[[views]]
keys = ["x"]
command = "accept"

[[findings]]
keys = ["y"]
command = "accept"

[[timeline]]
keys = ["x"]
command = "start-span"

[[facets]]
keys = ["ctrl-e"]
command = "exclude"

[[pivot-menu]]
keys = ["v"]
command = "pivot event"

[[prompt]]
keys = ["ctrl-g"]
command = "accept"

[[filter-bar]]
keys = ["ctrl-b"]
command = "back"

[[until]]
keys = ["ctrl-b"]
command = "back"

[[note]]
keys = ["ctrl-a"]
command = "accept"

[[command-line]]
keys = ["ctrl-k"]
command = "complete"

[[sessions]]
keys = ["ctrl-b"]
command = "back"

[[lake-picker]]
keys = ["x"]
command = "back"

[[lake-editor]]
keys = ["ctrl-y"]
command = "templates"

[[lake-templates]]
keys = ["x"]
command = "move-down"

[[lake-results]]
keys = ["x"]
command = "move-right"
"#;

const USER: Keys = Keys {
    detail_down: "J",
    help_close: "x",
    warnings_close: "x",
    columns_toggle: "x",
    fetch_down: "x",
    lineage_pivot: "x",
    marks_go: "x",
    findings_go: "y",
    views_go: "jx",
    timeline_span: "x",
    facets_exclude: "<c-e>",
    pivot_event: "v",
    bar_cancel: "<c-b>",
    until_accept_or_cancel: "<c-b>",
    note_accept: "<c-a>",
    palette_complete: "<c-k>",
    sessions_close: "<c-b>",
    table_mark: "<c-g>",
    lake_picker_close: "x",
    lake_editor_templates: "<c-y>",
    lake_templates_down: "x",
    lake_results_right: "x",
};

/// Drives every layer with `k`, checking each key reached its layer's handler (an effect no
/// other layer's handler has) and that every layer was reached.
fn every_layer(keymap: Keymap, k: &Keys) {
    let mut seen = BTreeSet::new();
    let mut h = given_demo(140, 40);
    h.app.keymap = keymap;

    on(&h, Layer::Table, &mut seen);
    let h = h.keys(k.table_mark);
    assert_eq!(h.app.marks.len(), 1, "the table's handler marked it");

    let h = h.keys("<enter>");
    on(&h, Layer::Detail, &mut seen);
    let h = h.keys(k.detail_down);
    assert_eq!((h.app.detail.cursor, h.app.table.cursor), (1, 0));
    let h = h.keys("<esc>");
    assert_eq!(h.app.focus, Focus::Table);

    let h = h.keys("?");
    on(&h, Layer::Help, &mut seen);
    let h = h.keys(k.help_close);
    assert_eq!(h.app.overlay, None);

    let h = h.keys("w");
    on(&h, Layer::Warnings, &mut seen);
    let h = h.keys(k.warnings_close);
    assert_eq!(h.app.overlay, None);

    let h = h.keys("c");
    on(&h, Layer::Columns, &mut seen);
    let columns = h.app.columns.len();
    let h = h.keys(k.columns_toggle);
    assert_eq!(h.app.columns.len(), columns - 1, "the time column hidden");
    let h = h.keys(&format!("{}<esc>", k.columns_toggle));
    assert_eq!(h.app.columns.len(), columns);

    let mut h = h;
    h.app.overlay = Some(Overlay::Fetch { cursor: 0 });
    on(&h, Layer::Fetch, &mut seen);
    let h = h.keys(k.fetch_down);
    assert_eq!(h.app.overlay, Some(Overlay::Fetch { cursor: 1 }));
    let h = h.keys("<esc>");

    let h = h.keys("l");
    on(&h, Layer::Lineage, &mut seen);
    let h = h.keys(k.lineage_pivot);
    assert!(
        filter(&h).starts_with("key:=") || filter(&h).starts_with("principal:="),
        "pivoted: {}",
        filter(&h)
    );
    let h = h.keys("[");

    // The views list: the pivot just left is the newest view after the one on screen.
    let h = h.keys("H");
    on(&h, Layer::Views, &mut seen);
    let h = h.keys(k.views_go);
    assert_eq!(h.app.overlay, None);
    assert!(
        filter(&h).starts_with("key:=") || filter(&h).starts_with("principal:="),
        "went to the pivot's view: {}",
        filter(&h)
    );
    let h = h.keys("[G");

    let h = h.keys("M");
    on(&h, Layer::Marks, &mut seen);
    let h = h.keys(k.marks_go);
    assert_eq!(h.app.overlay, None);
    assert_eq!(h.app.table.cursor, 0, "at the marked event");

    // The findings view: its pivot is a view of the first group's events.
    let h = h.keys("!");
    on(&h, Layer::Findings, &mut seen);
    let h = h.keys(k.findings_go);
    assert_eq!(h.app.overlay, None);
    assert!(filter(&h).starts_with("finding:"), "{}", filter(&h));
    let h = h.keys("[");

    let h = h.keys("h");
    on(&h, Layer::Timeline, &mut seen);
    let h = h.keys(k.timeline_span);
    assert!(matches!(
        h.app.overlay,
        Some(Overlay::Timeline {
            anchor: Some(_),
            ..
        })
    ));
    let h = h.keys("<esc>");

    let h = h.keys("f");
    on(&h, Layer::Facets, &mut seen);
    let h = h.keys(k.facets_exclude);
    assert!(filter(&h).starts_with("-principal:="), "{}", filter(&h));
    let h = h.keys("<c-l>");

    let h = h.keys("p");
    on(&h, Layer::PivotMenu, &mut seen);
    let h = h.keys(k.pivot_event);
    assert!(filter(&h).starts_with("event:="), "{}", filter(&h));
    let h = h.keys("[");

    let h = h.keys("/ip:1");
    on(&h, Layer::FilterBar, &mut seen);
    assert_eq!(filter(&h), "ip:1", "typed");
    let h = h.keys(k.bar_cancel);
    assert!(h.app.bar.is_none() && filter(&h).is_empty(), "cancelled");

    let mut h = h;
    h.app.until = Some(FilterBar::open(""));
    let h = h.keys("7d");
    on(&h, Layer::Until, &mut seen);
    assert_eq!(h.app.until.as_ref().map(|b| b.text()), Some("7d"));
    let h = h.keys(k.until_accept_or_cancel);
    assert!(h.app.until.is_none());

    let h = h.keys("a");
    on(&h, Layer::Note, &mut seen);
    let h = h.keys(&format!("first{}", k.note_accept));
    assert!(h.app.prompt.is_none());
    assert_eq!(
        h.app.notes.values().next().map(String::as_str),
        Some("first")
    );

    let h = h.keys(":toggle-ti");
    on(&h, Layer::CommandLine, &mut seen);
    let h = h.keys(k.palette_complete);
    let line = h.app.prompt.as_ref().map(|p| p.bar.text().to_string());
    assert_eq!(line.as_deref(), Some("toggle-time"), "completed");
    let h = h.keys("<esc>");

    let h = h.keys("O");
    on(&h, Layer::Sessions, &mut seen);
    let h = h.keys(&format!("ab{}", k.sessions_close));
    assert!(h.app.sessions.is_none());

    let mut h = h;
    h.app.lake = Some(LakeSession::new(String::new(), window(), ""));
    on(&h, Layer::LakePicker, &mut seen);
    let h = h.keys(k.lake_picker_close);
    assert!(h.app.lake.as_ref().is_some_and(|l| l.picker.is_none()));
    assert!(quits(&h), "no store picked: leaving the picker quits");

    let mut h = h;
    let mut lake = LakeSession::new("eds-1234".into(), window(), "SELECT 1");
    let mut table = Table::default();
    let row = |ip: &str| vec![("ip".to_string(), ip.to_string()), ("n".into(), "1".into())];
    table.extend(&[row("10.0.0.1"), row("10.0.0.2")]);
    lake.results = Some(ResultsView {
        table,
        row: 0,
        col: 0,
        sql: String::new(),
    });
    lake.results_open = true;
    lake.editing = true;
    h.app.lake = Some(lake);
    assert_eq!(
        &h.app.layers()[1..],
        [Layer::LakeResults, Layer::LakeEditor],
        "the editor over the results"
    );
    on(&h, Layer::LakeEditor, &mut seen);
    let h = h.keys(&format!("x{}", k.lake_editor_templates));
    let lake = h.app.lake.as_ref().expect("lake");
    assert!(lake.editor.text().ends_with("SELECT 1x"), "typed");
    on(&h, Layer::LakeTemplates, &mut seen);
    let h = h.keys(k.lake_templates_down);
    assert_eq!(
        h.app.lake.as_ref().and_then(|l| l.editor.templates),
        Some(1)
    );
    let h = h.keys("<esc><esc>");
    on(&h, Layer::LakeResults, &mut seen);
    let h = h.keys(k.lake_results_right);
    let view = h.app.lake.as_ref().and_then(|l| l.results.as_ref());
    assert_eq!(view.map(|v| v.col), Some(1));

    let all: BTreeSet<Layer> = Layer::ALL.into_iter().collect();
    assert_eq!(seen, all, "every layer driven");
}

#[test]
fn each_layer_on_top_has_the_keys_and_its_handler_runs_them() {
    every_layer(Keymap::default_keymap(), &DEFAULTS);
}

#[test]
fn a_key_rebound_in_every_layer_works_there() {
    let user = Keymap::parse(USER_KEYMAP, "keymap.toml").expect("parses");
    every_layer(Keymap::default_keymap().with_overrides(user), &USER);
}

/// What is drawn on top is what has the keys: the sessions list over the SQL editor takes
/// esc first, and is drawn over it.
#[test]
fn the_draw_stacks_layers_in_the_order_keys_reach_them() {
    let mut h = given_demo(120, 30);
    h.app.lake = Some(LakeSession::new("eds-1234".into(), window(), "SELECT 1"));
    let h = h.keys("");
    let mut h = h;
    h.app.sessions = Some(trailscope::app::session_picker::SessionPicker::waiting());
    assert_eq!(
        h.app.layers(),
        [Layer::Table, Layer::LakeEditor, Layer::Sessions]
    );
    let screen = h.draw().join("\n");
    assert!(screen.contains("saved investigations"), "{screen}");
    // The sessions box is drawn last: its border crosses the editor's.
    let row = h.draw()[1].clone();
    assert!(row.contains("saved investigations"), "top row: {row}");
    let h = h.keys("<esc>");
    assert_eq!(h.app.layer(), Layer::LakeEditor);
    assert!(h.app.sessions.is_none());
}
