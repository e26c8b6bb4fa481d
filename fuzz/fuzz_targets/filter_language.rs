//! Any text typed into the filter bar: parse, compile against a small store of hostile events,
//! run. A parse error must point inside the input (the bar underlines it there), and every
//! selected event must match on its own (the index seeds and the scan agree).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};
use trailscope::filter::{parse, Compiled};
use trailscope::model::parse::parse_text;
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/hostile/controls.json");
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&Arc::from("fixture"), text, &mut sink);
        let mut store = Store::default();
        store.insert_batch(sink.0);
        store
    })
}

fuzz_target!(|text: &str| {
    let store = store();
    match parse(text) {
        Ok(expr) => {
            let now = EventTime::parse("2026-11-21T12:00:00Z").unwrap_or(EventTime::UNKNOWN);
            let compiled = Compiled::new(&expr, store, now);
            let selected = compiled.select(store, None);
            assert!(selected.len() <= store.len());
            for &idx in &selected {
                assert!(compiled.matches(store, idx));
            }
        }
        Err(e) => {
            let chars = text.chars().count();
            assert!(
                e.at <= chars,
                "error at {} past the end of {:?}",
                e.at,
                text
            );
        }
    }
});
