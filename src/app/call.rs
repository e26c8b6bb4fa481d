//! Commands read from text: what follows `:`, and the `command` of a keymap binding. One
//! reader for both, so a key, the palette and the command line run the same words
//! (`pivot key`, `export md marked /tmp/t.md`, `toggle-help`).

use super::command::Command;
use super::layer::Layer;
use super::nav::Pivot;
use crate::export::{Format, Scope};
use crate::model::time_display::TimeDisplay;

/// A command with the free text after it (a name, a note, a file), if it takes any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub command: Command,
    pub operand: String,
}

impl From<Command> for Call {
    fn from(command: Command) -> Call {
        Call {
            command,
            operand: String::new(),
        }
    }
}

/// A word of the command line that takes words after it, for the palette: its name, what
/// follows it, and what it does. Commands without words are listed from `Command::ALL`.
pub struct Verb {
    pub name: &'static str,
    pub args: &'static str,
    pub desc: &'static str,
}

pub const VERBS: [Verb; 12] = [
    Verb {
        name: "save",
        args: "NAME",
        desc: "save this investigation as NAME (a copy once it has a name of its own)",
    },
    Verb {
        name: "note",
        args: "TEXT",
        desc: "the investigation's own note (empty removes it)",
    },
    Verb {
        name: "export",
        args: "jsonl|csv|md [marked|view|all] [FILE]",
        desc: "write events as evidence, with their provenance and SHA-256",
    },
    Verb {
        name: "sessions",
        args: "",
        desc: "saved investigations: open another",
    },
    Verb {
        name: "region",
        args: "NAME",
        desc: "LookupEvents: fetch this region too, over the same window",
    },
    Verb {
        name: "account",
        args: "ID|PROFILE",
        desc: "LookupEvents: fetch this account too (its role assumed, or a profile)",
    },
    Verb {
        name: "suppress",
        args: "rule ID|principal NAME|role NAME REASON…",
        desc: "quiet those findings (saved with the investigation, listed in the findings view)",
    },
    Verb {
        name: "unsuppress",
        args: "rule ID|principal NAME|role NAME",
        desc: "lift a suppression",
    },
    Verb {
        name: "theme",
        args: "NAME",
        desc: "switch the colour theme (dark, light, high-contrast, colorblind, yours)",
    },
    Verb {
        name: "time",
        args: "utc|local|relative",
        desc: "how the time column reads",
    },
    Verb {
        name: "copy",
        args: "json|field|id",
        desc: "copy the event's JSON, the field under the cursor or its ID (OSC 52)",
    },
    Verb {
        name: "quit",
        args: "",
        desc: "quit trailscope",
    },
];

/// Why a text is no command. Messages that name keys are made with the user's keymap
/// (`message`), so they stay true under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing typed.
    Empty,
    Unknown(String),
    NoThemeName,
    Usage(String),
}

const SUMMARY: &str = "commands: save NAME · note TEXT · export jsonl|csv|md [marked|view|all] [FILE] · sessions · theme NAME · time utc|local|relative · copy json|field|id · pivot key|ip|principal|… · quit · any key's command";

impl ParseError {
    /// The message, naming keys with `key` (the keymap's `key_for`).
    pub fn message(&self, key: &dyn Fn(Layer, Command) -> String) -> String {
        let pick = || {
            format!(
                "{SUMMARY} ({}/{} pick)",
                key(Layer::CommandLine, Command::MoveUp),
                key(Layer::CommandLine, Command::MoveDown)
            )
        };
        match self {
            ParseError::Empty => pick(),
            ParseError::Unknown(word) => format!("unknown command {word:?}; {}", pick()),
            ParseError::NoThemeName => format!(
                "which theme? theme NAME ({} cycles)",
                key(Layer::Table, Command::NextTheme)
            ),
            ParseError::Usage(why) => why.clone(),
        }
    }
}

/// Whether `word` is one of the command line's words that take words after them (or a short
/// form of one): what follows is read, not fuzzy-matched.
pub fn takes_words(word: &str) -> bool {
    matches!(word, "w" | "q" | "open" | "pivot") || VERBS.iter().any(|v| v.name == word)
}

impl Call {
    /// Reads a command and its words.
    pub fn parse(text: &str) -> Result<Call, ParseError> {
        let text = text.trim();
        let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
        let rest = rest.trim();
        let with = |command: Command, operand: &str| Call {
            command,
            operand: operand.to_string(),
        };
        let usage = |s: String| Err(ParseError::Usage(s));
        let command = match word {
            "save" | "w" => return Ok(with(Command::Save, rest)),
            "note" => return Ok(with(Command::Note, rest)),
            "theme" if rest.is_empty() => return Err(ParseError::NoThemeName),
            "theme" => return Ok(with(Command::Theme, rest)),
            "region" if rest.is_empty() => {
                return usage("which region? region NAME (eu-west-1, ap-southeast-2…)".to_string())
            }
            "region" => return Ok(with(Command::AddRegion, rest)),
            "account" if rest.is_empty() => return usage(
                "which account? account ID (12 digits, with the session's role) or account PROFILE"
                    .to_string(),
            ),
            "account" => return Ok(with(Command::AddAccount, rest)),
            "suppress" | "unsuppress" if rest.is_empty() => {
                return usage(format!(
                    "{word} what? {word} rule ID|principal NAME|role NAME{}",
                    if word == "suppress" { " REASON…" } else { "" }
                ))
            }
            "suppress" => return Ok(with(Command::Suppress, rest)),
            "unsuppress" => return Ok(with(Command::Unsuppress, rest)),
            "export" => return parse_export(rest),
            "sessions" | "open" => Command::Sessions,
            "q" | "quit" => Command::Quit,
            "time" if rest.is_empty() => Command::ToggleTime,
            "time" => match TimeDisplay::parse(rest) {
                Some(t) => Command::SetTime(t),
                None => return usage(format!("time {rest:?}? time utc|local|relative")),
            },
            "copy" => match rest {
                "json" | "" => Command::CopyJson,
                "field" => Command::CopyField,
                "id" => Command::CopyId,
                other => return usage(format!("copy {other:?}? copy json|field|id")),
            },
            "pivot" if rest.is_empty() => Command::PivotMenu,
            "pivot" | "narrow" => match Pivot::from_word(rest) {
                Some(p) if word == "pivot" => Command::Pivot(p),
                Some(p) => Command::Narrow(p),
                None => {
                    let words: Vec<&str> = Pivot::ALL.iter().map(|p| p.word()).collect();
                    return usage(format!("{word} {rest:?}? {word} {}", words.join("|")));
                }
            },
            "" => return Err(ParseError::Empty),
            other => match Command::from_name(other) {
                Some(c) if rest.is_empty() => c,
                Some(_) => return usage(format!("{other} takes no words after it")),
                None => return Err(ParseError::Unknown(other.to_string())),
            },
        };
        Ok(Call::from(command))
    }

    /// As the command line would read it back.
    pub fn spelling(&self) -> String {
        match self.operand.as_str() {
            "" => self.command.spelling(),
            operand => format!("{} {operand}", self.command.spelling()),
        }
    }
}

fn parse_export(rest: &str) -> Result<Call, ParseError> {
    let mut words = rest.split_whitespace();
    let usage = "export jsonl|csv|md [marked|view|all] [FILE]";
    let format = words
        .next()
        .and_then(Format::parse)
        .ok_or_else(|| ParseError::Usage(format!("which format? {usage}")))?;
    let mut scope = Scope::View;
    let mut path: Option<&str> = None;
    for w in words {
        match Scope::parse(w) {
            Some(s) if path.is_none() => scope = s,
            _ if path.is_none() => path = Some(w),
            _ => return Err(ParseError::Usage(format!("too many words: {usage}"))),
        }
    }
    Ok(Call {
        command: Command::Export(format, scope),
        operand: path.unwrap_or_default().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(command: Command, operand: &str) -> Result<Call, ParseError> {
        Ok(Call {
            command,
            operand: operand.into(),
        })
    }

    #[test]
    fn commands_are_read() {
        assert_eq!(Call::parse("save leak 42"), call(Command::Save, "leak 42"));
        assert_eq!(
            Call::parse(" note  key rotated "),
            call(Command::Note, "key rotated")
        );
        assert_eq!(
            Call::parse("export md marked /tmp/t.md"),
            call(
                Command::Export(Format::Markdown, Scope::Marked),
                "/tmp/t.md"
            )
        );
        assert_eq!(
            Call::parse("export csv"),
            call(Command::Export(Format::Csv, Scope::View), "")
        );
        assert!(Call::parse("export xml").is_err());
        assert_eq!(Call::parse("toggle-help"), call(Command::ToggleHelp, ""));
        assert_eq!(
            Call::parse("time local"),
            call(Command::SetTime(TimeDisplay::Local), "")
        );
        assert_eq!(Call::parse("time"), call(Command::ToggleTime, ""));
        assert_eq!(Call::parse("copy id"), call(Command::CopyId, ""));
        assert_eq!(Call::parse("theme light"), call(Command::Theme, "light"));
        assert_eq!(Call::parse("pivot"), call(Command::PivotMenu, ""));
        assert_eq!(
            Call::parse("pivot user-agent"),
            call(Command::Pivot(Pivot::UserAgent), "")
        );
        assert!(Call::parse("pivot shoe").is_err());
        let names = |_: Layer, c: Command| format!(":{}", c.name());
        let err = Call::parse("frobnicate").expect_err("unknown");
        assert!(err.message(&names).contains("save NAME"));
        assert!(err.message(&names).ends_with("(:move-up/:move-down pick)"));
    }

    /// What a command is spelled as reads back as the same command.
    #[test]
    fn spellings_read_back() {
        let with_args = [
            Command::Pivot(Pivot::Key),
            Command::SetTime(TimeDisplay::Relative),
            Command::Export(Format::Jsonl, Scope::All),
        ];
        for c in Command::ALL
            .into_iter()
            .chain(Command::LAYER_KEYS)
            .chain(with_args)
        {
            let read = Call::parse(&c.spelling()).map(|call| call.command);
            // `sessions` and `quit` are verbs too, and read as the same commands.
            assert_eq!(read, Ok(c), "{}", c.spelling());
        }
        let call = Call::parse("export md marked /tmp/x.md").expect("reads");
        assert_eq!(call.spelling(), "export md marked /tmp/x.md");
    }
}
