//! `trailscope-fake serve|generate`: parse the command line, run, report. Nothing else.

use clap::Parser;
use std::process::ExitCode;
use trailscope_fake::cli::{Cli, Command};

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve(args) => trailscope_fake::endpoint::main(&args),
        Command::Generate(args) => trailscope_fake::generate::run(&args).map(|summary| {
            eprintln!("{summary}");
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Messages can quote a file name or a flag's value: through the product's gate.
        Err(e) => {
            eprintln!(
                "trailscope-fake: {}",
                trailscope::model::sanitize::visible_lines(&e)
            );
            ExitCode::FAILURE
        }
    }
}
