//! The bundled demo incident (assets/demo, see its STORY.md), embedded at build time.

use super::walk::{Input, Plan};
use crate::model::warning::Warning;
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The demo's inputs, planned exactly as a folder of the same files would be.
pub fn plan() -> Plan {
    let mut plan = Plan::default();
    let mut digests = 0;
    for (path, bytes) in DEMO_FILES {
        if path.contains("CloudTrail-Digest") {
            digests += 1;
        } else {
            plan.inputs.push(Input::Embedded { label: path, bytes });
        }
    }
    if digests > 0 {
        plan.warnings.push(Warning::note(
            &Arc::from("CloudTrail-Digest"),
            format!("{digests} digest file(s) skipped: they hold integrity hashes, not events"),
        ));
    }
    plan
}

pub fn is_available() -> bool {
    !DEMO_FILES.is_empty()
}
