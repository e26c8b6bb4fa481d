//! Any text as one CloudTrail record (the lenient field readers, identity types, resources,
//! times): whatever is kept must be re-readable JSON, the raw text the detail pane shows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use trailscope::model::parse::parse_text;
use trailscope::model::principal::resolve;

fuzz_target!(|text: &str| {
    let origin: Arc<str> = Arc::from("fuzz");
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&origin, text, &mut sink);
    for record in &sink.0 {
        if !record.raw.is_empty() {
            assert!(
                serde_json::from_str::<serde_json::Value>(&record.raw).is_ok(),
                "kept raw text is not JSON: {:?}",
                record.raw
            );
        }
        let _ = resolve(record.identity.as_ref(), record.source.as_deref());
    }
});
