//! The `:` command palette: the command line's verbs and every command of the table (with
//! its keys and description, straight from the keymap, like the help), narrowed by fuzzy
//! matching on what is typed. The command line's keys pick an entry, complete it, run it.

use super::call::VERBS;
use super::command::Command;
use crate::keymap::Keymap;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A keymap command: runs as its key would.
    Run(Command),
    /// A command-line verb; `true` when it takes words after it.
    Verb(&'static str, bool),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    /// The keys bound to it ("y", "pgdown, ctrl-d"), or what follows a verb.
    pub keys: String,
    pub desc: String,
    pub action: Action,
}

#[derive(Clone, Debug)]
pub struct Palette {
    pub entries: Vec<Entry>,
    /// Indices into `entries` that match, best first.
    pub shown: Vec<usize>,
    pub cursor: usize,
    /// The user picked an entry with ↑/↓: Enter runs it whatever is typed.
    pub picked: bool,
}

impl Palette {
    pub fn new(keymap: &Keymap) -> Palette {
        let verbs = VERBS.iter().map(|v| Entry {
            name: v.name.to_string(),
            keys: v.args.to_string(),
            desc: v.desc.to_string(),
            action: Action::Verb(v.name, !v.args.is_empty()),
        });
        let commands = Command::ALL.into_iter().map(|c| {
            let keys: Vec<String> = keymap.keys_for(c).iter().map(|k| k.to_string()).collect();
            let desc = keymap
                .bindings()
                .iter()
                .find(|b| b.command == c)
                .map_or_else(|| c.description().to_string(), |b| b.desc.clone());
            Entry {
                name: c.name().to_string(),
                keys: keys.join(", "),
                desc,
                action: Action::Run(c),
            }
        });
        let entries: Vec<Entry> = verbs.chain(commands).collect();
        let shown = (0..entries.len()).collect();
        Palette {
            entries,
            shown,
            cursor: 0,
            picked: false,
        }
    }

    /// Narrows to what matches the first word of `text`; once words follow a verb, to that
    /// verb alone (its line shows what it takes).
    pub fn refilter(&mut self, text: &str) {
        self.cursor = 0;
        self.picked = false;
        let text = text.trim_start();
        let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
        if word.is_empty() {
            self.shown = (0..self.entries.len()).collect();
            return;
        }
        if !rest.is_empty() || text.ends_with(' ') {
            self.shown = (0..self.entries.len())
                .filter(|&i| self.entries[i].name == word)
                .collect();
            return;
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                // The name counts double: "help" should find toggle-help before a
                // description that merely mentions help.
                let on_name = matcher.fuzzy_match(&e.name, word).map(|s| s * 2);
                let on_desc = matcher.fuzzy_match(&e.desc, word);
                on_name.max(on_desc).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.shown = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
        self.picked = true;
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.shown
            .get(self.cursor)
            .and_then(|&i| self.entries.get(i))
    }

    /// What Tab puts on the command line for the selected entry.
    pub fn completion(&self) -> Option<String> {
        self.selected().map(|e| match e.action {
            Action::Verb(name, true) => format!("{name} "),
            _ => e.name.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_listed_with_its_keys_and_typing_narrows() {
        let keymap = Keymap::default_keymap();
        let mut p = Palette::new(&keymap);
        for c in Command::ALL {
            assert!(p.entries.iter().any(|e| e.action == Action::Run(c)));
        }
        let help = p
            .entries
            .iter()
            .find(|e| e.name == "toggle-help")
            .expect("listed");
        assert_eq!(help.keys, "?");
        p.refilter("help");
        assert_eq!(p.selected().map(|e| e.name.as_str()), Some("toggle-help"));
        p.refilter("cpjsn");
        assert_eq!(p.selected().map(|e| e.name.as_str()), Some("copy-json"));
        p.refilter("export md");
        assert_eq!(p.shown.len(), 1);
        p.refilter("exp");
        assert_eq!(p.completion().as_deref(), Some("export "));
        p.refilter("zzzzqqq");
        assert!(p.selected().is_none());
    }
}
