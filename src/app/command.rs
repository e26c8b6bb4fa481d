//! What keys, the palette and the `:` command line run: one vocabulary (`call` reads it from
//! text). Each command has a kebab-case name (keymap files, `:`) and a description (the help,
//! the palette); some take arguments (`pivot key`, `export md marked`, `time utc`). A layer
//! runs the commands that mean something there (`layer::Section::accepts`).

use super::nav::Pivot;
use crate::export::{Format, Scope};
use crate::filter::preset::Preset;
use crate::model::time_display::TimeDisplay;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
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
    Filter,
    ClearFilter,
    Facets,
    Columns,
    SortNext,
    SortReverse,
    Preset(Preset),
    LoadMore,
    LoadUntil,
    FetchWindow,
    PivotMenu,
    NavBack,
    NavForward,
    Lineage,
    ToggleMark,
    /// Every event of the view marked at once (or unmarked, when all of them are).
    MarkView,
    /// Every event between the one marked last and the selected one, marked.
    MarkRange,
    NextMark,
    PrevMark,
    Profile,
    /// What the selected event is (above its JSON), shown or hidden.
    Explain,
    /// The view's findings, grouped by rule then principal.
    Findings,
    /// Quiet findings for a principal, role or rule, with a reason (operand).
    Suppress,
    /// Lift a suppression (operand: its scope).
    Unsuppress,
    /// In the findings view: suppress the finding under the cursor (asks for the reason).
    SuppressFinding,
    Timeline,
    FetchView,
    LakeEditor,
    LakeResults,
    Marks,
    /// Every view of the walk, branches left behind included.
    Views,
    Annotate,
    CommandLine,
    Sessions,
    CopyJson,
    CopyField,
    CopyId,
    ToggleTime,
    NextTheme,
    GrowTable,
    ShrinkTable,
    // With arguments, from the command line or a binding (`pivot key`).
    /// Pivot on this value of the selected event, without the menu.
    Pivot(Pivot),
    /// The narrowing form: the view AND this value of the selected event.
    Narrow(Pivot),
    SetTime(TimeDisplay),
    /// `export FORMAT [SCOPE] [FILE]`: the file is the call's operand.
    Export(Format, Scope),
    /// `save NAME`, `note TEXT`, `theme NAME`: the words are the call's operand.
    Save,
    Note,
    Theme,
    /// `region NAME`: LookupEvents also in that region, over the same window.
    AddRegion,
    /// `account ID`: LookupEvents also in that account (its role assumed, or a profile).
    AddAccount,
    // The keys of the other layers: what they mean depends on the layer (the keymap's
    // descriptions say it for each).
    /// Enter: act on what is under the cursor (run, pick, add, zoom, pivot…).
    Accept,
    MoveLeft,
    MoveRight,
    NextFacet,
    PreviousFacet,
    /// The facet picker's value, excluded from the filter.
    Exclude,
    /// The character before the cursor of a search.
    DeleteBack,
    StartSpan,
    RunSql,
    Templates,
    HistoryBack,
    HistoryForward,
    Retry,
    /// The command line: the palette's entry onto the line.
    Complete,
    /// A prompt's line, up to the cursor.
    ClearLine,
    Undo,
}

impl Command {
    /// The commands of the table, each without arguments: bound in the default keymap's table
    /// and listed by the palette.
    pub const ALL: [Command; 57] = [
        Command::MoveDown,
        Command::MoveUp,
        Command::PageDown,
        Command::PageUp,
        Command::Top,
        Command::Bottom,
        Command::OpenDetail,
        Command::FocusNext,
        Command::Back,
        Command::Filter,
        Command::ClearFilter,
        Command::Facets,
        Command::PivotMenu,
        Command::NavBack,
        Command::NavForward,
        Command::Views,
        Command::Lineage,
        Command::Profile,
        Command::Explain,
        Command::Findings,
        Command::Timeline,
        Command::ToggleMark,
        Command::MarkView,
        Command::MarkRange,
        Command::NextMark,
        Command::PrevMark,
        Command::Marks,
        Command::Annotate,
        Command::CommandLine,
        Command::Sessions,
        Command::Preset(Preset::Writes),
        Command::Preset(Preset::Errors),
        Command::Preset(Preset::Denied),
        Command::Preset(Preset::ConsoleSignIn),
        Command::Preset(Preset::HideServiceNoise),
        Command::Preset(Preset::Dangerous),
        Command::Preset(Preset::AiAssisted),
        Command::Preset(Preset::Destructive),
        Command::SortNext,
        Command::SortReverse,
        Command::Columns,
        Command::LoadMore,
        Command::LoadUntil,
        Command::FetchWindow,
        Command::FetchView,
        Command::LakeEditor,
        Command::LakeResults,
        Command::CopyJson,
        Command::CopyField,
        Command::CopyId,
        Command::ToggleTime,
        Command::NextTheme,
        Command::GrowTable,
        Command::ShrinkTable,
        Command::ToggleWarnings,
        Command::ToggleHelp,
        Command::Quit,
    ];

    /// The commands only other layers bind.
    pub const LAYER_KEYS: [Command; 17] = [
        Command::Accept,
        Command::MoveLeft,
        Command::MoveRight,
        Command::NextFacet,
        Command::PreviousFacet,
        Command::Exclude,
        Command::DeleteBack,
        Command::StartSpan,
        Command::RunSql,
        Command::Templates,
        Command::HistoryBack,
        Command::HistoryForward,
        Command::Retry,
        Command::Complete,
        Command::ClearLine,
        Command::Undo,
        Command::SuppressFinding,
    ];

    /// Whether the table (and the detail pane) runs it: every command but the other
    /// layers' keys.
    pub fn in_table(self) -> bool {
        !Command::LAYER_KEYS.contains(&self)
    }

    /// Whether it acts on the view's selected event or its rows (pivots, marks, notes, copies,
    /// exports, the view summarised): run on a view still being filtered, it would act on the
    /// rows of the view before, so the reducer finishes the filtering first.
    pub fn reads_view(self) -> bool {
        matches!(
            self,
            Command::PivotMenu
                | Command::Pivot(_)
                | Command::Narrow(_)
                | Command::Lineage
                | Command::ToggleMark
                | Command::MarkView
                | Command::MarkRange
                | Command::NextMark
                | Command::PrevMark
                | Command::Annotate
                | Command::Note
                | Command::CopyJson
                | Command::CopyField
                | Command::CopyId
                | Command::Export(..)
                | Command::Facets
                | Command::Timeline
                | Command::Profile
                | Command::LakeEditor
        )
    }

    /// Whether its words come after it as free text (a name, a note, a file).
    pub fn takes_operand(self) -> bool {
        matches!(
            self,
            Command::Save
                | Command::Note
                | Command::Theme
                | Command::AddRegion
                | Command::AddAccount
                | Command::Suppress
                | Command::Unsuppress
                | Command::Export(..)
        )
    }

    /// How the command line and keymap files spell it, arguments included (`pivot key`,
    /// `export md marked`); the operand is not part of it.
    pub fn spelling(self) -> String {
        match self {
            Command::Pivot(p) => format!("pivot {}", p.word()),
            Command::Narrow(p) => format!("narrow {}", p.word()),
            Command::SetTime(t) => format!("time {}", t.name()),
            Command::Export(f, s) => format!("export {} {}", f.extension(), s.word()),
            other => other.name().to_string(),
        }
    }

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
            Command::Filter => "filter",
            Command::ClearFilter => "clear-filter",
            Command::Facets => "facets",
            Command::Columns => "columns",
            Command::SortNext => "sort-next",
            Command::SortReverse => "sort-reverse",
            Command::PivotMenu => "pivot",
            Command::NavBack => "nav-back",
            Command::NavForward => "nav-forward",
            Command::Lineage => "lineage",
            Command::Profile => "profile",
            Command::Explain => "explain",
            Command::Findings => "findings",
            Command::Suppress => "suppress",
            Command::Unsuppress => "unsuppress",
            Command::SuppressFinding => "suppress-finding",
            Command::Timeline => "timeline",
            Command::ToggleMark => "toggle-mark",
            Command::MarkView => "mark-view",
            Command::MarkRange => "mark-range",
            Command::NextMark => "next-mark",
            Command::PrevMark => "previous-mark",
            Command::FetchView => "fetch-view",
            Command::LakeEditor => "lake-sql",
            Command::LakeResults => "lake-results",
            Command::Marks => "marks",
            Command::Views => "views",
            Command::Annotate => "annotate",
            Command::CommandLine => "command-line",
            Command::Sessions => "sessions",
            Command::LoadMore => "load-more",
            Command::LoadUntil => "load-until",
            Command::FetchWindow => "fetch-window",
            Command::CopyJson => "copy-json",
            Command::CopyField => "copy-field",
            Command::CopyId => "copy-id",
            Command::ToggleTime => "toggle-time",
            Command::NextTheme => "next-theme",
            Command::GrowTable => "grow-table",
            Command::ShrinkTable => "shrink-table",
            Command::Preset(Preset::Writes) => "preset-writes",
            Command::Preset(Preset::Errors) => "preset-errors",
            Command::Preset(Preset::Denied) => "preset-denied",
            Command::Preset(Preset::ConsoleSignIn) => "preset-console",
            Command::Preset(Preset::HideServiceNoise) => "preset-no-noise",
            Command::Preset(Preset::Dangerous) => "preset-dangerous",
            Command::Preset(Preset::AiAssisted) => "preset-ai",
            Command::Preset(Preset::Destructive) => "preset-destructive",
            Command::Pivot(_) => "pivot",
            Command::Narrow(_) => "narrow",
            Command::SetTime(_) => "time",
            Command::Export(..) => "export",
            Command::Save => "save",
            Command::Note => "note",
            Command::Theme => "theme",
            Command::AddRegion => "region",
            Command::AddAccount => "account",
            Command::Accept => "accept",
            Command::MoveLeft => "move-left",
            Command::MoveRight => "move-right",
            Command::NextFacet => "next-facet",
            Command::PreviousFacet => "previous-facet",
            Command::Exclude => "exclude",
            Command::DeleteBack => "delete-back",
            Command::StartSpan => "start-span",
            Command::RunSql => "run-sql",
            Command::Templates => "templates",
            Command::HistoryBack => "history-back",
            Command::HistoryForward => "history-forward",
            Command::Retry => "retry",
            Command::Complete => "complete",
            Command::ClearLine => "clear-line",
            Command::Undo => "undo",
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
            Command::Back => {
                "back out of: overlay, detail focus, running Lake query, fetch or load, detail pane (never the view)"
            }
            Command::Filter => "edit the filter (see the filter language below)",
            Command::ClearFilter => "clear the filter and presets",
            Command::Facets => "facets: pick a principal, IP, key, event, target, error, region, account or user agent",
            Command::Columns => "choose visible columns",
            Command::SortNext => "sort by the next column (time, event, principal…)",
            Command::SortReverse => "reverse the sort order",
            Command::PivotMenu => {
                "pivot: every event sharing the selected one's key, IP, principal…"
            }
            Command::NavBack => "back to the view before the last pivot (cursor as it was)",
            Command::NavForward => "forward again, after going back",
            Command::Lineage => "credential lineage of the selected event's key: enter pivots",
            Command::Profile => {
                "profile pane (i again: the JSON): errors, IPs, tools, regions, top calls, what is new"
            }
            Command::Explain => {
                "what the event is, above its JSON: what it does, how attackers use it, ATT&CK, Stratus"
            }
            Command::Timeline => {
                "timeline of the view: ←/→ move, space starts a span, enter zooms in"
            }
            Command::ToggleMark => "mark or unmark the selected event as evidence",
            Command::MarkView => "mark every event of the view (all marked already: unmark them)",
            Command::MarkRange => "mark every event from the one marked last to the selected one",
            Command::NextMark => "next marked event in the view",
            Command::PrevMark => "previous marked event in the view",
            Command::Marks => "list the marked events: enter goes to one",
            Command::Views => "every view of the walk, newest first (a branch left too): enter goes",
            Command::Annotate => "write a note on the selected event (saved, exported)",
            Command::CommandLine => {
                "command palette: any command by name (fuzzy), save NAME, note TEXT, export jsonl|csv|md, theme, time, copy"
            }
            Command::Sessions => "saved investigations: type to search, enter opens one",
            Command::FetchView => {
                "LookupEvents: fetch this view's filter from AWS (one attribute sent)"
            }
            Command::LakeEditor => {
                "CloudTrail Lake or Athena: SQL editor (F5 runs, ctrl-t templates, ctrl-p/n history)"
            }
            Command::LakeResults => {
                "CloudTrail Lake or Athena: the last results table (←/→ column, enter pivots)"
            }
            Command::LoadMore => "LookupEvents: load more (resumes stopped or failed regions)",
            Command::LoadUntil => "LookupEvents: load until a time (7d, 2026-05-01) or a count",
            Command::FetchWindow => "LookupEvents: regions' progress, and how far back to go",
            Command::CopyJson => "copy the event's JSON to the clipboard (OSC 52: over SSH, in tmux)",
            Command::CopyField => "copy the field under the detail pane's cursor",
            Command::CopyId => "copy the event's ID",
            Command::ToggleTime => "time column: UTC → local time → relative ages",
            Command::NextTheme => "next colour theme (dark, light, high-contrast, colour-blind, yours)",
            Command::GrowTable => "give the table more room (the detail pane less)",
            Command::ShrinkTable => "give the detail pane more room",
            Command::Preset(p) => p.description(),
            Command::Pivot(_) => "every event sharing this value of the selected one",
            Command::Narrow(_) => "the events of this view that also share this value",
            Command::SetTime(_) => "how the time column reads",
            Command::Export(..) => "write events as evidence, with their provenance and SHA-256",
            Command::Save => "save this investigation under a name",
            Command::Note => "the investigation's own note",
            Command::Theme => "switch the colour theme",
            Command::AddRegion => "LookupEvents: fetch this region too, over the same window",
            Command::AddAccount => {
                "LookupEvents: fetch this account too (its ID, with the session's role; or a profile)"
            }
            Command::Findings => {
                "findings of the view (shipped Sigma rules, trailscope's, yours) by rule and principal: enter pivots"
            }
            Command::Suppress => "quiet findings for a rule, principal or role, with a reason",
            Command::Unsuppress => "lift a suppression",
            Command::SuppressFinding => "suppress the finding under the cursor (for its rule and principal; asks why)",
            Command::Accept => "act on what is under the cursor",
            Command::MoveLeft => "left",
            Command::MoveRight => "right",
            Command::NextFacet => "the next facet",
            Command::PreviousFacet => "the previous facet",
            Command::Exclude => "exclude the value from the filter",
            Command::DeleteBack => "delete the last character searched for",
            Command::StartSpan => "start a span here",
            Command::RunSql => "run the statement",
            Command::Templates => "the playbook templates",
            Command::HistoryBack => "the statement run before",
            Command::HistoryForward => "the statement run after",
            Command::Retry => "ask again",
            Command::Complete => "complete the entry picked",
            Command::ClearLine => "delete up to the cursor",
            Command::Undo => "undo the last edit",
        }
    }

    /// A command without arguments, by name (`pivot` is the menu; `pivot key` is read by
    /// `call::Call::parse`).
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL
            .into_iter()
            .chain(Command::LAYER_KEYS)
            .find(|c| c.name() == name)
    }

    /// Every name a command goes by, for "did you mean".
    pub fn names() -> impl Iterator<Item = &'static str> {
        let words = [
            "save",
            "note",
            "export",
            "theme",
            "time",
            "copy",
            "suppress",
            "unsuppress",
        ];
        Command::ALL
            .into_iter()
            .chain(Command::LAYER_KEYS)
            .map(Command::name)
            .chain(words)
    }
}
