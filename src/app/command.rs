//! User-bindable intents. Keys resolve to these through the keymap; each has a kebab-case
//! name (used in keymap files) and a description (used by the help overlay).

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Command {
    Quit,
    ToggleHelp,
    ToggleWarnings,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    OpenDetail,
    Back,
}

impl Command {
    pub const ALL: [Command; 12] = [
        Command::MoveDown,
        Command::MoveUp,
        Command::PageDown,
        Command::PageUp,
        Command::Top,
        Command::Bottom,
        Command::OpenDetail,
        Command::FocusNext,
        Command::Back,
        Command::ToggleWarnings,
        Command::ToggleHelp,
        Command::Quit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::ToggleHelp => "toggle-help",
            Command::ToggleWarnings => "toggle-warnings",
            Command::MoveUp => "move-up",
            Command::MoveDown => "move-down",
            Command::PageUp => "page-up",
            Command::PageDown => "page-down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::FocusNext => "focus-next",
            Command::OpenDetail => "open-detail",
            Command::Back => "back",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Command::Quit => "quit trailscope",
            Command::ToggleHelp => "show or hide this help",
            Command::ToggleWarnings => "show or hide load warnings (bad files and lines)",
            Command::MoveUp => "previous event / scroll up",
            Command::MoveDown => "next event / scroll down",
            Command::PageUp => "one page up",
            Command::PageDown => "one page down",
            Command::Top => "first event / top of detail",
            Command::Bottom => "last event / end of detail",
            Command::FocusNext => "switch focus between table and detail",
            Command::OpenDetail => "open the selected event's JSON",
            Command::Back => "back: close overlay, leave detail, close detail",
        }
    }

    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == name)
    }
}
