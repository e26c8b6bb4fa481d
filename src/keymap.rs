//! Key bindings from TOML: defaults in `assets/keymap.toml`, each binding with a description.
//! Unknown commands, unknown keys and a key bound twice are load errors naming the line.

use crate::app::command::Command;
use crate::app::key::Key;
use serde::Deserialize;
use std::collections::HashMap;

pub const DEFAULT_KEYMAP: &str = include_str!("../assets/keymap.toml");

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub command: Command,
    pub desc: String,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    by_key: HashMap<Key, Command>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    bind: Vec<toml::Spanned<RawBinding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    keys: Vec<String>,
    command: String,
    desc: Option<String>,
}

impl Keymap {
    pub fn default_keymap() -> Keymap {
        // The built-in file is tested (`default_keymap_loads`), so this cannot fail at run time.
        Keymap::parse(DEFAULT_KEYMAP, "assets/keymap.toml").unwrap_or_else(|_| Keymap {
            bindings: Vec::new(),
            by_key: HashMap::new(),
        })
    }

    /// Parses a keymap file; `name` is used in error messages.
    pub fn parse(text: &str, name: &str) -> Result<Keymap, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let mut map = Keymap {
            bindings: Vec::new(),
            by_key: HashMap::new(),
        };
        for spanned in file.bind {
            let line = line_of(spanned.span().start);
            let raw = spanned.into_inner();
            let command = Command::from_name(&raw.command)
                .ok_or_else(|| format!("{name}:{line}: unknown command `{}`", raw.command))?;
            let mut keys = Vec::new();
            for spec in &raw.keys {
                let key = Key::parse(spec).map_err(|e| format!("{name}:{line}: {e}"))?;
                if let Some(other) = map.by_key.insert(key, command) {
                    return Err(format!(
                        "{name}:{line}: key `{key}` is already bound to `{}`",
                        other.name()
                    ));
                }
                keys.push(key);
            }
            let desc = raw
                .desc
                .unwrap_or_else(|| command.description().to_string());
            map.bindings.push(Binding {
                keys,
                command,
                desc,
            });
        }
        Ok(map)
    }

    pub fn command_for(&self, key: Key) -> Option<Command> {
        self.by_key.get(&key).copied()
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::key::KeyCode;

    #[test]
    fn default_keymap_loads_and_binds_every_command() {
        let map = Keymap::parse(DEFAULT_KEYMAP, "default").expect("default keymap parses");
        for command in Command::ALL {
            assert!(
                map.bindings().iter().any(|b| b.command == command),
                "{} unbound",
                command.name()
            );
        }
        assert_eq!(
            map.command_for(Key::plain(KeyCode::Char('q'))),
            Some(Command::Quit)
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let text = "[[bind]]\nkeys = [\"x\"]\ncommand = \"quit\"\n\n[[bind]]\nkeys = [\"y\"]\ncommand = \"fly\"\n";
        let err = Keymap::parse(text, "user.toml").expect_err("unknown command");
        assert_eq!(err, "user.toml:5: unknown command `fly`");
        let dup = "[[bind]]\nkeys = [\"x\"]\ncommand = \"quit\"\n[[bind]]\nkeys = [\"x\"]\ncommand = \"top\"\n";
        let err = Keymap::parse(dup, "user.toml").expect_err("duplicate");
        assert!(
            err.starts_with("user.toml:4: key `x` is already bound"),
            "{err}"
        );
    }
}
