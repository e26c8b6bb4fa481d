//! `trailscope generate`: synthetic CloudTrail for benchmarks. (Being written.)

use crate::cli::GenerateArgs;

/// Writes the events; returns a one-line summary for standard error.
pub fn run(args: &GenerateArgs) -> Result<String, String> {
    Err(format!(
        "generate is not built yet (asked for {} events)",
        args.events
    ))
}
