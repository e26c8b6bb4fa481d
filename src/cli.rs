//! Command-line interface.

use clap::Parser;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "trailscope",
    version,
    about = "Walk AWS CloudTrail in the terminal during an incident",
    long_about = "Walk AWS CloudTrail in the terminal during an incident.\n\n\
        Opens CloudTrail log files and folders (S3 trail layout, .json or .json.gz, bare JSON \
        arrays, JSON lines, `aws cloudtrail lookup-events` output), or `-` for standard input, \
        in an event table with a JSON detail pane. Press ? inside for keys.",
    after_help = "Examples:\n  trailscope --demo\n  trailscope ~/incident/AWSLogs\n  aws cloudtrail lookup-events --max-results 50 | trailscope -"
)]
pub struct Cli {
    /// Files or folders to open (folders are walked recursively); `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Open the bundled demo incident (no AWS account needed).
    #[arg(long, conflicts_with = "paths")]
    pub demo: bool,

    /// Colour theme: dark or light. NO_COLOR in the environment turns colour off.
    #[arg(long, default_value = "dark", value_name = "NAME")]
    pub theme: String,
}
