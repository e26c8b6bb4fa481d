//! The front door: every subcommand's front end, where the command line's clap types stop.
//! Below this folder, sources, the app and the configuration take plain requests.

mod accounts;
pub mod args;
pub mod athena;
mod athena_args;
mod athena_statement;
pub mod config;
pub mod lake;
mod open;
pub mod query;
pub mod s3;
pub mod sessions;

use args::{Cli, Command};
use clap::{CommandFactory, Parser};
use open::{fail, open, open_saved, Dirs};
use std::process::ExitCode;

/// Parses the command line and runs what it asks for.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.credits {
        print!("{}", crate::explain::CREDITS);
        return ExitCode::SUCCESS;
    }
    let dirs = Dirs {
        data: cli.data_dir.clone(),
        config: cli.config_dir.clone(),
    };
    match cli.command {
        Some(Command::Open(args)) => open_saved(args.name, args.display, dirs),
        Some(Command::Sessions(cmd)) => crate::cmd::sessions::main(&cmd, dirs.data.as_deref()),
        Some(Command::Query(args)) => {
            let config = crate::config::config_dir(dirs.config.as_deref());
            crate::cmd::query::main(&args, dirs.data.as_deref(), config.as_deref())
        }
        Some(Command::Athena(cmd)) => crate::cmd::athena::main(&cmd),
        Some(Command::Config(args)) => crate::cmd::config::main(&args, dirs.config.as_deref()),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "trailscope",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write the manual: {e}"), 1),
            }
        }
        None => open(cli.open, dirs),
    }
}
