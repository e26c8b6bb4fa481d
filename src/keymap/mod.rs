//! Key bindings from TOML: defaults in `assets/keymap.toml`, the user's own in `keymap.toml` in
//! the config directory, one section per layer (`app::layer`), each binding with a
//! description. Unknown sections, commands and keys, commands a layer cannot run, bad TOML
//! and a key bound twice in one section are load errors naming the file and line (`file`).
//! A user's key replaces the default binding of that key in that section; `command = "none"`
//! unbinds one.

mod file;

use crate::app::call::Call;
use crate::app::command::Command;
use crate::app::key::Key;
use crate::app::layer::{Layer, Section};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");
/// The user's keymap, in the config directory.
pub const USER_FILE: &str = "keymap.toml";
/// The pseudo-command that unbinds a key.
const UNBIND: &str = "none";

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub command: Command,
    /// The words after the command, for those that take some (`theme light`).
    pub operand: String,
    pub desc: String,
}

/// One section's bindings.
#[derive(Debug, Clone, Default)]
struct Bindings {
    list: Vec<Binding>,
    by_key: HashMap<Key, Call>,
    /// Keys unbound here (`command = "none"`): they do nothing in this section's layers,
    /// whatever a shared section binds.
    unbound: Vec<Key>,
    /// Keys a user file takes from this section's defaults without binding them here (an
    /// older file's `[[bind]]`): they fall through to the shared sections.
    released: Vec<Key>,
}

impl Bindings {
    fn push(&mut self, b: Binding) {
        let call = Call {
            command: b.command,
            operand: b.operand.clone(),
        };
        for &k in &b.keys {
            self.by_key.insert(k, call.clone());
        }
        self.list.push(b);
    }

    /// These bindings with `user`'s over them: a key the user binds, unbinds or releases
    /// leaves the binding it had here (a binding left with no key is dropped from the help).
    /// The user's bindings come first.
    fn with_overrides(mut self, user: Bindings) -> Bindings {
        let taken: Vec<Key> = user
            .list
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .chain(user.unbound.iter().copied())
            .chain(user.released.iter().copied())
            .collect();
        for b in &mut self.list {
            b.keys.retain(|k| !taken.contains(k));
        }
        self.list.retain(|b| !b.keys.is_empty());
        for k in &taken {
            self.by_key.remove(k);
        }
        self.unbound.retain(|k| !taken.contains(k));
        self.unbound.extend(user.unbound);
        self.by_key.extend(user.by_key);
        // The user's own first: at the top of the help, and the keys hints name.
        self.list.splice(0..0, user.list);
        self
    }
}

/// What a key does in a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    Bound(&'a Call),
    /// Unbound on purpose (`none`): the key does nothing, not even type.
    Unbound,
    /// No binding: typing layers take it as text.
    Free,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    sections: BTreeMap<Section, Bindings>,
}

impl Keymap {
    fn empty() -> Keymap {
        Keymap {
            sections: BTreeMap::new(),
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
        file::parse(text, name)
    }

    /// This keymap with `user`'s bindings over it, section by section.
    pub fn with_overrides(mut self, user: Keymap) -> Keymap {
        for (section, theirs) in user.sections {
            let ours = self.sections.remove(&section).unwrap_or_default();
            self.sections.insert(section, ours.with_overrides(theirs));
        }
        self
    }

    /// What `key` does in `layer`: its own section first, then the ones it shares.
    pub fn lookup(&self, layer: Layer, key: Key) -> Lookup<'_> {
        for section in layer.sections() {
            let Some(b) = self.sections.get(section) else {
                continue;
            };
            if b.unbound.contains(&key) {
                return Lookup::Unbound;
            }
            if let Some(call) = b.by_key.get(&key) {
                return Lookup::Bound(call);
            }
        }
        Lookup::Free
    }

    pub fn call_for(&self, layer: Layer, key: Key) -> Option<&Call> {
        match self.lookup(layer, key) {
            Lookup::Bound(call) => Some(call),
            Lookup::Unbound | Lookup::Free => None,
        }
    }

    /// Every key that runs `command` in `layer`, in the order the files list them.
    pub fn keys_in(&self, layer: Layer, command: Command) -> Vec<Key> {
        let mut keys = Vec::new();
        for section in layer.sections() {
            for b in self.bindings_in(*section) {
                if b.command != command {
                    continue;
                }
                for &k in &b.keys {
                    let runs = self.call_for(layer, k).map(|c| c.command) == Some(command);
                    if runs && !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
        }
        keys
    }

    /// The user's key for `command` in `layer`, as hints show it ("m", "ctrl-t", "↑"), or
    /// `:command` when no key runs it there.
    pub fn key_for(&self, layer: Layer, command: Command) -> String {
        self.keys_in(layer, command)
            .first()
            .map(Key::hint)
            .unwrap_or_else(|| format!(":{}", command.spelling()))
    }

    /// A section's own bindings (not the ones it shares), user's first.
    pub fn bindings_in(&self, section: Section) -> &[Binding] {
        self.sections.get(&section).map_or(&[], |b| &b.list)
    }

    /// The sections with bindings, in the order the help lists them.
    pub fn sections(&self) -> impl Iterator<Item = Section> + '_ {
        Section::all().filter(|s| !self.bindings_in(*s).is_empty())
    }

    /// Bindings in every section.
    pub fn binding_count(&self) -> usize {
        self.sections.values().map(|b| b.list.len()).sum()
    }

    /// The table's command for `key`.
    pub fn command_for(&self, key: Key) -> Option<Command> {
        self.call_for(Layer::Table, key).map(|c| c.command)
    }

    /// Every key bound to `command` in the table, in the order the files list them.
    pub fn keys_for(&self, command: Command) -> Vec<Key> {
        self.keys_in(Layer::Table, command)
    }

    /// The table's bindings.
    pub fn bindings(&self) -> &[Binding] {
        self.bindings_in(Section::Layer(Layer::Table))
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
