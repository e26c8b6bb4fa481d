//! `trailscope config`: the documented defaults, where configuration is read from, and a
//! check of every file with the settings they give.

use crate::cmd::args::ConfigArgs;
use crate::config::settings::{column_name, Settings};
use crate::config::{config_dir, load_file, DEFAULT_CONFIG, FILE_NAME};
use crate::keymap::{Keymap, USER_FILE};
use crate::model::sanitize::visible;
use crate::theme::depth::ColorDepth;
use crate::theme::set::{ThemeSet, USER_DIR};
use std::path::Path;
use std::process::ExitCode;

pub fn main(args: &ConfigArgs, flag: Option<&Path>) -> ExitCode {
    let dir = config_dir(flag);
    if args.print_defaults {
        print!("{DEFAULT_CONFIG}");
        return ExitCode::SUCCESS;
    }
    let Some(dir) = dir else {
        eprintln!("trailscope: no home directory: pass --config-dir or set TRAILSCOPE_CONFIG_DIR (the defaults apply)");
        return ExitCode::from(1);
    };
    if args.path {
        print_paths(&dir);
        return ExitCode::SUCCESS;
    }
    check(&dir)
}

fn print_paths(dir: &Path) {
    let state = |p: &Path| {
        if p.exists() {
            ""
        } else {
            "  (not there: defaults)"
        }
    };
    println!("{}", visible(&dir.display().to_string()));
    for name in [FILE_NAME, USER_FILE, USER_DIR] {
        let p = dir.join(name);
        println!("  {}{}", visible(&p.display().to_string()), state(&p));
    }
}

/// Every file read as the app would; the settings in force (defaults < config.toml), or what
/// is wrong, with file and line.
fn check(dir: &Path) -> ExitCode {
    let mut problems = Vec::new();
    let file = load_file(Some(dir)).unwrap_or_else(|e| {
        problems.push(e);
        Default::default()
    });
    if let Err(e) = Keymap::load(Some(dir)) {
        problems.push(e);
    }
    let themes = ThemeSet::load(Some(dir), ColorDepth::TrueColor);
    problems.extend(themes.problems.iter().cloned());
    let settings = Settings::resolve([&file]);
    if let Err(e) = themes.index_of(&settings.theme) {
        problems.push(format!("{}: theme: {e}", dir.join(FILE_NAME).display()));
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("trailscope: {}", visible(p));
        }
        return ExitCode::from(1);
    }
    println!("# settings in force (defaults < {FILE_NAME}; a reopened investigation and the command line go over these)");
    print!("{}", describe(&settings));
    println!("# themes: {}", themes.names.join(", "));
    ExitCode::SUCCESS
}

/// The settings as config.toml would say them.
pub fn describe(s: &Settings) -> String {
    let columns: Vec<String> = s
        .columns
        .iter()
        .map(|&c| format!("\"{}\"", column_name(c)))
        .collect();
    let sort = format!(
        "{}{}",
        if s.sort.descending { "-" } else { "" },
        column_name(s.sort.column)
    );
    let split = match s.split {
        crate::app::layout::Split::Auto => "\"auto\"".to_string(),
        crate::app::layout::Split::Percent(p) => p.to_string(),
    };
    format!(
        "theme = {:?}\ncolors = {:?}\ntime = {:?}\ncolumns = [{}]\nsort = {sort:?}\ndetail = {}\nsplit = {split}\nside-by-side-width = {}\nmouse = {}\nclipboard = {:?}\n",
        visible(&s.theme),
        s.colors.name(),
        s.time.name(),
        columns.join(", "),
        s.detail,
        s.side_by_side_width,
        s.mouse,
        if s.clipboard { "osc52" } else { "off" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_reads_back_as_the_same_settings() {
        let text = describe(&Settings::default());
        let layer = crate::config::parse_file(&text, "described").expect("parses");
        assert_eq!(Settings::resolve([&layer]), Settings::default());
    }
}
