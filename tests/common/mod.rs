//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use trailscope::model::store::Store;
use trailscope::model::warning::{Severity, Warning};
use trailscope::source::files::load_blocking;
use trailscope::source::walk::plan;

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn load(paths: &[PathBuf]) -> (Store, Vec<Warning>) {
    load_blocking(plan(paths))
}

pub fn problems(warnings: &[Warning]) -> Vec<&Warning> {
    warnings
        .iter()
        .filter(|w| w.severity == Severity::Problem)
        .collect()
}

pub mod harness;
pub mod tmux;
