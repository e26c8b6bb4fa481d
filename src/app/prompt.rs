//! The `:` command line and the `a` note prompt: one-line inputs (the filter bar's editor)
//! whose text is acted on when they are accepted. The command line has a palette
//! (`palette`); what it reads is `call`'s vocabulary, the one keys run.

use super::bar::FilterBar;
use super::palette::Palette;
use crate::model::store::EventIdx;

pub struct Prompt {
    pub kind: PromptKind,
    pub bar: FilterBar,
    /// Why the last text was refused (the prompt stays open to fix it).
    pub error: Option<String>,
    /// The command palette, for the `:` command line.
    pub palette: Option<Palette>,
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
