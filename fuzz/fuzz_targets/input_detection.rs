//! Any bytes as an input file: gzip detection, UTF-8 repair, shape detection (trail file,
//! array, JSON lines, LookupEvents, wrappers) and record parsing, then into the store. Nothing
//! may panic, and every record kept must respect the size limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use trailscope::model::parse::{parse_text, MAX_RECORD_BYTES};
use trailscope::model::store::Store;
use trailscope::source::input::decode;

fuzz_target!(|data: &[u8]| {
    let origin: Arc<str> = Arc::from("fuzz");
    let decoded = decode(&origin, data.to_vec());
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&origin, &decoded.text, &mut sink);
    for record in &sink.0 {
        assert!(record.raw.len() <= MAX_RECORD_BYTES);
    }
    let mut store = Store::default();
    let stats = store.insert_batch(sink.0);
    assert_eq!(
        stats.added + stats.duplicates,
        store.len() + store.duplicates()
    );
});
