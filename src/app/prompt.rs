//! The `:` command line and the `a` note prompt: one-line inputs (the filter bar's editor)
//! whose text is acted on when Enter is pressed. The command line has a palette (`palette`):
//! its verbs (below) and every keymap command, fuzzy-matched as you type.

use super::bar::FilterBar;
use super::command::Command;
use super::palette::Palette;
use crate::model::store::EventIdx;
use crate::model::time_display::TimeDisplay;

pub struct Prompt {
    pub kind: PromptKind,
    pub bar: FilterBar,
    /// Why the last text was refused (the prompt stays open to fix it).
    pub error: Option<String>,
    /// The command palette, for the `:` command line.
    pub palette: Option<Palette>,
}

/// A word of the command line: its name, what follows it, and what it does.
pub struct Verb {
    pub name: &'static str,
    pub args: &'static str,
    pub desc: &'static str,
}

/// The command line's own verbs (keymap commands can be typed by name too).
pub const VERBS: [Verb; 8] = [
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

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    Command,
    /// A note on this event.
    Note(EventIdx),
}

impl Prompt {
    pub fn open(kind: PromptKind, text: &str) -> Prompt {
        Prompt {
            kind,
            bar: FilterBar::open(text),
            error: None,
            palette: None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Command => ":",
            PromptKind::Note(_) => "note on this event (empty removes it): ",
        }
    }
}

/// What the export command writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOrder {
    pub format: crate::export::Format,
    pub scope: crate::export::Scope,
    pub path: Option<String>,
}

/// What `:copy` copies.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CopyWhat {
    Json,
    Field,
    Id,
}

/// A `:` command, understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typed {
    Save(String),
    Note(String),
    Export(ExportOrder),
    Sessions,
    Quit,
    /// `:theme NAME`
    Theme(String),
    /// `:time utc|local|relative`; no word: the next one.
    Time(Option<TimeDisplay>),
    Copy(CopyWhat),
    /// A keymap command typed by name (`:toggle-help`).
    Run(Command),
}

pub const COMMAND_HELP: &str = "commands: save NAME · note TEXT · export jsonl|csv|md [marked|view|all] [FILE] · sessions · theme NAME · time utc|local|relative · copy json|field|id · quit · any key's command (↑/↓ pick)";

/// Whether `word` is one of the command line's verbs (or a short form of one).
pub fn is_verb(word: &str) -> bool {
    matches!(word, "w" | "q" | "open") || VERBS.iter().any(|v| v.name == word)
}

/// Reads a command line.
pub fn parse_command(text: &str) -> Result<Typed, String> {
    let text = text.trim();
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    let rest = rest.trim();
    match word {
        "save" | "w" => Ok(Typed::Save(rest.to_string())),
        "note" => Ok(Typed::Note(rest.to_string())),
        "sessions" | "open" => Ok(Typed::Sessions),
        "q" | "quit" => Ok(Typed::Quit),
        "export" => parse_export(rest),
        "theme" if rest.is_empty() => Err("which theme? theme NAME (ctrl-t cycles)".into()),
        "theme" => Ok(Typed::Theme(rest.to_string())),
        "time" if rest.is_empty() => Ok(Typed::Time(None)),
        "time" => TimeDisplay::parse(rest)
            .map(|t| Typed::Time(Some(t)))
            .ok_or_else(|| format!("time {rest:?}? time utc|local|relative")),
        "copy" => match rest {
            "json" | "" => Ok(Typed::Copy(CopyWhat::Json)),
            "field" => Ok(Typed::Copy(CopyWhat::Field)),
            "id" => Ok(Typed::Copy(CopyWhat::Id)),
            other => Err(format!("copy {other:?}? copy json|field|id")),
        },
        "" => Err(COMMAND_HELP.to_string()),
        other => match Command::from_name(other) {
            Some(c) if rest.is_empty() => Ok(Typed::Run(c)),
            Some(_) => Err(format!("{other} takes no words after it")),
            None => Err(format!("unknown command {other:?}; {COMMAND_HELP}")),
        },
    }
}

fn parse_export(rest: &str) -> Result<Typed, String> {
    use crate::export::{Format, Scope};
    let mut words = rest.split_whitespace();
    let usage = "export jsonl|csv|md [marked|view|all] [FILE]";
    let format = words
        .next()
        .and_then(Format::parse)
        .ok_or_else(|| format!("which format? {usage}"))?;
    let mut scope = Scope::View;
    let mut path = None;
    for w in words {
        match Scope::parse(w) {
            Some(s) if path.is_none() => scope = s,
            _ if path.is_none() => path = Some(w.to_string()),
            _ => return Err(format!("too many words: {usage}")),
        }
    }
    Ok(Typed::Export(ExportOrder {
        format,
        scope,
        path,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Format, Scope};

    #[test]
    fn commands_are_read() {
        assert_eq!(
            parse_command("save leak 42"),
            Ok(Typed::Save("leak 42".into()))
        );
        assert_eq!(
            parse_command(" note  key rotated "),
            Ok(Typed::Note("key rotated".into()))
        );
        assert_eq!(
            parse_command("export md marked /tmp/t.md"),
            Ok(Typed::Export(ExportOrder {
                format: Format::Markdown,
                scope: Scope::Marked,
                path: Some("/tmp/t.md".into())
            }))
        );
        assert_eq!(
            parse_command("export csv"),
            Ok(Typed::Export(ExportOrder {
                format: Format::Csv,
                scope: Scope::View,
                path: None
            }))
        );
        assert!(parse_command("export xml").is_err());
        assert_eq!(
            parse_command("toggle-help"),
            Ok(Typed::Run(Command::ToggleHelp))
        );
        assert_eq!(
            parse_command("time local"),
            Ok(Typed::Time(Some(TimeDisplay::Local)))
        );
        assert_eq!(parse_command("copy id"), Ok(Typed::Copy(CopyWhat::Id)));
        assert_eq!(
            parse_command("theme light"),
            Ok(Typed::Theme("light".into()))
        );
        assert!(parse_command("frobnicate")
            .unwrap_err()
            .contains("save NAME"));
    }
}
