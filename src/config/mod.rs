//! Configuration: `config.toml` in the config directory, laid under a reopened
//! investigation's settings and the command line (see `settings`). Unknown keys are refused
//! with a suggestion and the file and line; `trailscope config --print-defaults` prints the
//! documented defaults (`assets/config.toml`).

pub mod settings;
pub mod sources;
pub mod startup;

use settings::{Layer, KEYS};
use std::path::{Path, PathBuf};

/// The documented defaults, as `trailscope config --print-defaults` prints them.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");
pub const FILE_NAME: &str = "config.toml";

/// Where configuration lives: `--config-dir`, else TRAILSCOPE_CONFIG_DIR, else the platform's
/// config directory (~/.config/trailscope on Linux). `None` when there is no home at all:
/// the defaults apply.
pub fn config_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = flag {
        return Some(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("TRAILSCOPE_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    // The same qualifier, organisation and name as the data directory (session::db).
    directories::ProjectDirs::from("", "", "trailscope").map(|d| d.config_dir().to_path_buf())
}

/// `config.toml` from `dir`: an empty layer when there is no such file.
pub fn load_file(dir: Option<&Path>) -> Result<Layer, String> {
    let Some(path) = dir.map(|d| d.join(FILE_NAME)) else {
        return Ok(Layer::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_file(&text, &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Layer::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Parses a config file; errors say `name:line: why`, unknown keys with a suggestion.
pub fn parse_file(text: &str, name: &str) -> Result<Layer, String> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| crate::toml_error::toml_error(name, text, &e))?;
    for key in table.keys() {
        if !KEYS.contains(&key.as_str()) {
            let line = key_line(text, key);
            return Err(format!(
                "{name}:{line}: unknown key `{key}`{} (keys: {})",
                crate::did_you_mean::hint(key, KEYS),
                KEYS.join(", ")
            ));
        }
    }
    toml::from_str(text).map_err(|e| crate::toml_error::toml_error(name, text, &e))
}

/// The line where a top-level key is set (1 when it cannot be found: a dotted or quoted key).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")));
            rest.is_some_and(|r| r.trim_start().starts_with(['=', '.']))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use settings::Settings;

    #[test]
    fn the_documented_defaults_are_the_defaults() {
        let layer = parse_file(DEFAULT_CONFIG, "assets/config.toml").expect("parses");
        assert_eq!(Settings::resolve([&layer]), Settings::default());
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let err = parse_file("theme = \"light\"\ncolours = \"16\"\n", "c.toml").expect_err("typo");
        assert!(
            err.starts_with("c.toml:2: unknown key `colours` (did you mean `colors`?)"),
            "{err}"
        );
        let err = parse_file("\n\ntime = \"locl\"\n", "c.toml").expect_err("bad value");
        assert!(err.starts_with("c.toml:3: "), "{err}");
        assert!(err.contains("locl"), "{err}");
        let err = parse_file("split = 95\n", "c.toml").expect_err("bad split");
        assert!(err.starts_with("c.toml:1: split is a percentage"), "{err}");
        let err = parse_file("sort = \"-princpal\"\n", "c.toml").expect_err("bad sort");
        assert!(err.contains("did you mean `principal`"), "{err}");
        let err = parse_file("theme = \n", "c.toml").expect_err("bad toml");
        assert!(err.starts_with("c.toml:1: "), "{err}");
    }
}
