//! `trailscope query`: the headless mode.

use crate::cli::QueryArgs;
use std::process::ExitCode;

pub fn main(_args: &QueryArgs) -> ExitCode {
    eprintln!("trailscope: query is being built");
    ExitCode::from(2)
}
