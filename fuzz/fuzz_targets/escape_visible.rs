//! The terminal-safety core: whatever the text, its visible form holds no character that could
//! drive or deceive the terminal, and the styled segments say the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailscope::model::sanitize::{is_unsafe, segments, visible};

fuzz_target!(|text: &str| {
    let shown = visible(text);
    assert!(!shown.chars().any(is_unsafe), "{shown:?}");
    let joined: String = segments(text).iter().map(|(_, s)| s.as_ref()).collect();
    assert_eq!(joined, shown);
});
