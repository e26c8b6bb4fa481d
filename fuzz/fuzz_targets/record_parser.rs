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
        // RawValue, not Value: Value stops at 128 levels of nesting, which the parser keeps
        // (as text) on purpose.
        if !record.raw.is_empty() {
            let reread = serde_json::from_str::<&serde_json::value::RawValue>(&record.raw);
            assert!(
                reread.is_ok(),
                "kept raw text is not JSON ({} bytes)",
                record.raw.len()
            );
        }
        let _ = resolve(record.identity.as_ref(), record.source.as_deref());
    }
});
