//! A key as a layer's handler receives it: the command it runs there, nothing, or text. The
//! handlers (here, in `keys`, and in each part of the reducer) share these words; `keys`
//! decides which handler gets them.

use super::super::bar::FilterBar;
use super::super::call::Call;
use super::super::command::Command;
use super::super::key::{Key, KeyCode};

/// What a key does in the layer that has it (owned, so the handler can change the app).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Pressed {
    Run(Call),
    /// Unbound on purpose in this layer (`none`).
    Nothing,
    /// No binding: text, where text is typed.
    Text(Key),
}

/// A key in a list that searches as you type (the facet picker, the saved investigations).
pub(super) enum Searching {
    Run(Command),
    Type(char),
    Ignore,
}

impl Pressed {
    /// In a searching list: a bound key runs its command, a plain character types.
    pub(super) fn searching(self) -> Searching {
        match self {
            Pressed::Run(call) => Searching::Run(call.command),
            Pressed::Text(Key {
                code: KeyCode::Char(c),
                ctrl: false,
                alt: false,
            }) => Searching::Type(c),
            Pressed::Text(_) | Pressed::Nothing => Searching::Ignore,
        }
    }

    /// The command, when the key runs one.
    pub(super) fn command(&self) -> Option<Command> {
        match self {
            Pressed::Run(call) => Some(call.command),
            Pressed::Nothing | Pressed::Text(_) => None,
        }
    }
}

/// What a key did to a one-line prompt.
pub(super) enum Line {
    /// A command for the prompt's layer to run (accept, back, quit, the palette's keys).
    Run(Command),
    Edited,
    Unchanged,
}

/// A key in a one-line prompt: the line's own commands (clear, undo) are run here, other
/// commands are handed back, and free keys edit the line.
pub(super) fn line(bar: &mut FilterBar, pressed: Pressed) -> Line {
    let edited = |changed: bool| {
        if changed {
            Line::Edited
        } else {
            Line::Unchanged
        }
    };
    match pressed {
        Pressed::Run(call) => match call.command {
            Command::ClearLine => edited(bar.clear_to_start()),
            Command::Undo => edited(bar.undo()),
            command => Line::Run(command),
        },
        Pressed::Nothing => Line::Unchanged,
        Pressed::Text(key) => edited(bar.edit(key)),
    }
}
