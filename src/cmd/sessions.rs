//! `trailscope sessions list|rm|rename|export|import`.

use crate::cmd::args::SessionsCommand;
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::session::db::{data_dir, Db};
use std::path::Path;
use std::process::ExitCode;

pub fn main(command: &SessionsCommand, dir_flag: Option<&Path>) -> ExitCode {
    match run(command, dir_flag) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trailscope: {}", visible(&e));
            ExitCode::from(1)
        }
    }
}

fn run(command: &SessionsCommand, dir_flag: Option<&Path>) -> Result<(), String> {
    let mut db = Db::open(&data_dir(dir_flag)?)?;
    match command {
        SessionsCommand::List => {
            let list = db.list()?;
            if list.is_empty() {
                eprintln!(
                    "no saved investigations in {} (every session in the app is saved; --save NAME names it)",
                    db.path().display()
                );
            }
            for s in list {
                let updated = EventTime::from_millis(s.updated_ms).format_utc();
                println!(
                    "{}\t{} events\t{}\t{}",
                    visible(&s.name),
                    s.events,
                    updated,
                    visible(&s.source)
                );
            }
        }
        SessionsCommand::Rm { name } => {
            db.remove(name)?;
            eprintln!("removed {}", visible(name));
        }
        SessionsCommand::Rename { from, to } => {
            db.rename(from, to)?;
            eprintln!("renamed {} to {}", visible(from), visible(to));
        }
        SessionsCommand::Export { name, file } => {
            let events = db.export(name, file)?;
            eprintln!(
                "wrote {} ({events} events) to {}: `trailscope sessions import {}` reads it",
                visible(name),
                file.display(),
                file.display()
            );
        }
        SessionsCommand::Import { file, rename } => {
            let names = db.import(file, rename.as_deref())?;
            for n in names {
                eprintln!(
                    "imported {}: `trailscope open {}`",
                    visible(&n),
                    visible(&n)
                );
            }
        }
    }
    Ok(())
}
