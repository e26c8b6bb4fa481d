//! The `:` command line and the `a` note prompt: one-line inputs (the filter bar's editor)
//! whose text is acted on when Enter is pressed.

use super::bar::FilterBar;
use crate::model::store::EventIdx;

pub struct Prompt {
    pub kind: PromptKind,
    pub bar: FilterBar,
    /// Why the last text was refused (the prompt stays open to fix it).
    pub error: Option<String>,
}

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

/// A `:` command, understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typed {
    Save(String),
    Note(String),
    Export(ExportOrder),
    Sessions,
    Quit,
}

pub const COMMAND_HELP: &str =
    "commands: save NAME · note TEXT · export jsonl|csv|md [marked|view|all] [FILE] · sessions · quit";

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
        "" => Err(COMMAND_HELP.to_string()),
        other => Err(format!("unknown command {other:?}; {COMMAND_HELP}")),
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
        assert!(parse_command("frobnicate")
            .unwrap_err()
            .contains("save NAME"));
    }
}
