//! Key bindings from TOML: defaults in `assets/keymap.toml`, the user's own in `keymap.toml` in
//! the config directory, each binding with a description. Unknown commands, unknown keys,
//! bad TOML and a key bound twice in one file are load errors naming the file and line.
//! A user's key replaces the default binding of that key; `command = "none"` unbinds one.

use crate::app::command::Command;
use crate::app::key::Key;
use crate::toml_error::{line_of, toml_error};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

pub const DEFAULT_KEYMAP: &str = include_str!("../assets/keymap.toml");
/// The user's keymap, in the config directory.
pub const USER_FILE: &str = "keymap.toml";
/// The pseudo-command that unbinds a key.
const UNBIND: &str = "none";

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
    /// Keys a file unbinds (`command = "none"`), applied over the defaults.
    unbound: Vec<Key>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
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
    fn empty() -> Keymap {
        Keymap {
            bindings: Vec::new(),
            by_key: HashMap::new(),
            unbound: Vec::new(),
        }
    }

    pub fn default_keymap() -> Keymap {
        // The built-in file is tested (`default_keymap_loads`), so this cannot fail at run time.
        Keymap::parse(DEFAULT_KEYMAP, "assets/keymap.toml").unwrap_or_else(|_| Keymap::empty())
    }

    /// The defaults with the user's `keymap.toml` from `config_dir` over them, if there is one.
    pub fn load(config_dir: Option<&Path>) -> Result<Keymap, String> {
        let defaults = Keymap::default_keymap();
        let Some(path) = config_dir.map(|d| d.join(USER_FILE)) else {
            return Ok(defaults);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(defaults),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let user = Keymap::parse(&text, &path.display().to_string())?;
        Ok(defaults.with_overrides(user))
    }

    /// Parses a keymap file; `name` is used in error messages.
    pub fn parse(text: &str, name: &str) -> Result<Keymap, String> {
        let file: File = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
        let mut map = Keymap::empty();
        // Every key this file mentions, with the line, to catch a key bound twice.
        let mut seen: HashMap<Key, (String, usize)> = HashMap::new();
        for spanned in file.bind {
            let line = line_of(text, spanned.span().start);
            let raw = spanned.into_inner();
            let command = match raw.command.as_str() {
                UNBIND => None,
                other => Some(Command::from_name(other).ok_or_else(|| {
                    let names = Command::ALL.iter().map(|c| c.name()).chain([UNBIND]);
                    format!(
                        "{name}:{line}: unknown command `{other}`{}",
                        crate::did_you_mean::hint(other, names)
                    )
                })?),
            };
            let mut keys = Vec::new();
            for spec in &raw.keys {
                let key = Key::parse(spec).map_err(|e| format!("{name}:{line}: {e}"))?;
                if let Some((other, at)) = seen.get(&key) {
                    return Err(format!(
                        "{name}:{line}: key `{key}` is already bound to `{other}` on line {at}"
                    ));
                }
                seen.insert(key, (raw.command.clone(), line));
                keys.push(key);
            }
            let Some(command) = command else {
                map.unbound.extend(keys);
                continue;
            };
            for &key in &keys {
                map.by_key.insert(key, command);
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

    /// This keymap with `user`'s bindings over it: a key the user binds or unbinds leaves the
    /// binding it had here (a binding left with no key is dropped from the help). The user's
    /// bindings come first.
    pub fn with_overrides(mut self, user: Keymap) -> Keymap {
        let taken: Vec<Key> = user
            .bindings
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .chain(user.unbound.iter().copied())
            .collect();
        for b in &mut self.bindings {
            b.keys.retain(|k| !taken.contains(k));
        }
        self.bindings.retain(|b| !b.keys.is_empty());
        for k in &taken {
            self.by_key.remove(k);
        }
        self.by_key.extend(user.by_key);
        // The user's own first: at the top of the help, and the keys hints name.
        self.bindings.splice(0..0, user.bindings);
        self
    }

    pub fn command_for(&self, key: Key) -> Option<Command> {
        self.by_key.get(&key).copied()
    }

    /// Every key bound to `command`, in the order the files list them.
    pub fn keys_for(&self, command: Command) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|b| b.command == command)
            .flat_map(|b| b.keys.iter().copied())
            .collect()
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
        assert_eq!(
            err,
            "user.toml:4: key `x` is already bound to `quit` on line 1"
        );
        let typo = "[[bind]]\nkeys = [\"x\"]\ncommand = \"toggle-hlep\"\n";
        let err = Keymap::parse(typo, "k.toml").expect_err("typo");
        assert_eq!(
            err,
            "k.toml:1: unknown command `toggle-hlep` (did you mean `toggle-help`?)"
        );
        let bad = "[[bind]]\nkeys = [\"x\"\ncommand = \"quit\"\n";
        let err = Keymap::parse(bad, "k.toml").expect_err("bad toml");
        // Where the parser noticed: the line after the unclosed array.
        assert!(err.starts_with("k.toml:3: missing comma"), "{err}");
    }

    #[test]
    fn user_keys_replace_defaults_and_none_unbinds() {
        let user = "[[bind]]\nkeys = [\"q\"]\ncommand = \"toggle-help\"\ndesc = \"mine\"\n\
                    [[bind]]\nkeys = [\"ctrl-c\", \"x\"]\ncommand = \"none\"\n";
        let map = Keymap::default_keymap()
            .with_overrides(Keymap::parse(user, "user.toml").expect("parses"));
        let key = |s| Key::parse(s).expect("key");
        assert_eq!(map.command_for(key("q")), Some(Command::ToggleHelp));
        assert_eq!(map.command_for(key("ctrl-c")), None);
        assert_eq!(map.command_for(key("?")), Some(Command::ToggleHelp));
        assert!(map.keys_for(Command::Quit).is_empty(), "q and ctrl-c taken");
        assert!(!map.bindings().iter().any(|b| b.command == Command::Quit));
        assert_eq!(map.keys_for(Command::ToggleHelp), vec![key("q"), key("?")]);
    }
}
