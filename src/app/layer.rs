//! Layers: the parts of the screen that can have the keys. `App::layers()` lists the ones
//! open now, bottom to top, from the state in one place; the top one (`App::layer()`) has
//! the keys (`update` dispatches on it) and the draw stacks them in the same order, so what
//! is on top is what the keys reach.
//!
//! The order, bottom to top, and why:
//! - the table, or the detail pane when it has the focus (`Focus`);
//! - an overlay (help, warnings, columns, fetch, lineage, marks, timeline), opened from them;
//! - the facet picker, also opened from them (the two never share the screen);
//! - CloudTrail Lake's results table, its SQL editor (with its template list over it), and
//!   its store picker: a query's answer can reopen them over whatever is open;
//! - the pivot menu, the "load until" prompt, the filter bar (opened from the table);
//! - the saved-investigation picker and, on top, the `:` command line or a note: they are
//!   opened by a key or a command from any layer below and take the keys until closed.
//!
//! Each layer has a section in the keymap (`assets/keymap.toml`); keys its section does not
//! bind are looked up in the sections it shares (`Layer::sections`).

use super::command::Command;
use super::{App, Focus, Overlay};

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Layer {
    Table,
    Detail,
    Help,
    Warnings,
    Columns,
    Fetch,
    Lineage,
    Marks,
    Views,
    Findings,
    Timeline,
    Facets,
    LakeResults,
    LakeEditor,
    LakeTemplates,
    LakePicker,
    PivotMenu,
    Until,
    FilterBar,
    Sessions,
    Note,
    CommandLine,
}

/// A part of the keymap: a layer's own bindings, or bindings several layers share.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Section {
    Layer(Layer),
    /// Keys of every list overlay (help, warnings, columns, fetch, lineage, marks, views).
    Overlays,
    /// Keys of every one-line prompt (filter bar, "load until", note, command line).
    Prompts,
}

impl Layer {
    /// In stacking order, bottom to top.
    pub const ALL: [Layer; 22] = [
        Layer::Table,
        Layer::Detail,
        Layer::Help,
        Layer::Warnings,
        Layer::Columns,
        Layer::Fetch,
        Layer::Lineage,
        Layer::Marks,
        Layer::Views,
        Layer::Findings,
        Layer::Timeline,
        Layer::Facets,
        Layer::LakeResults,
        Layer::LakeEditor,
        Layer::LakeTemplates,
        Layer::LakePicker,
        Layer::PivotMenu,
        Layer::Until,
        Layer::FilterBar,
        Layer::Sessions,
        Layer::Note,
        Layer::CommandLine,
    ];

    /// The keymap sections a key is looked up in, first match wins: the layer's own, then
    /// what it shares. The detail pane takes the table's keys it does not bind itself.
    pub fn sections(self) -> &'static [Section] {
        use Section as S;
        match self {
            Layer::Detail => &[S::Layer(Layer::Detail), S::Layer(Layer::Table)],
            Layer::Help => &[S::Layer(Layer::Help), S::Overlays],
            Layer::Warnings => &[S::Layer(Layer::Warnings), S::Overlays],
            Layer::Columns => &[S::Layer(Layer::Columns), S::Overlays],
            Layer::Fetch => &[S::Layer(Layer::Fetch), S::Overlays],
            Layer::Lineage => &[S::Layer(Layer::Lineage), S::Overlays],
            Layer::Marks => &[S::Layer(Layer::Marks), S::Overlays],
            Layer::Views => &[S::Layer(Layer::Views), S::Overlays],
            Layer::Findings => &[S::Layer(Layer::Findings), S::Overlays],
            Layer::FilterBar => &[S::Layer(Layer::FilterBar), S::Prompts],
            Layer::Until => &[S::Layer(Layer::Until), S::Prompts],
            Layer::Note => &[S::Layer(Layer::Note), S::Prompts],
            Layer::CommandLine => &[S::Layer(Layer::CommandLine), S::Prompts],
            Layer::Table => &[S::Layer(Layer::Table)],
            Layer::Timeline => &[S::Layer(Layer::Timeline)],
            Layer::Facets => &[S::Layer(Layer::Facets)],
            Layer::LakeResults => &[S::Layer(Layer::LakeResults)],
            Layer::LakeEditor => &[S::Layer(Layer::LakeEditor)],
            Layer::LakeTemplates => &[S::Layer(Layer::LakeTemplates)],
            Layer::LakePicker => &[S::Layer(Layer::LakePicker)],
            Layer::PivotMenu => &[S::Layer(Layer::PivotMenu)],
            Layer::Sessions => &[S::Layer(Layer::Sessions)],
        }
    }

    /// The layer of an overlay.
    pub fn of(overlay: Overlay) -> Layer {
        match overlay {
            Overlay::Help { .. } => Layer::Help,
            Overlay::Warnings { .. } => Layer::Warnings,
            Overlay::Columns { .. } => Layer::Columns,
            Overlay::Fetch { .. } => Layer::Fetch,
            Overlay::Lineage { .. } => Layer::Lineage,
            Overlay::Marks { .. } => Layer::Marks,
            Overlay::Views { .. } => Layer::Views,
            Overlay::Findings { .. } => Layer::Findings,
            Overlay::Timeline { .. } => Layer::Timeline,
        }
    }

    /// Keys this layer does not bind type text (or search): a printable key cannot be bound
    /// here without taking a character away from the user.
    pub fn types_text(self) -> bool {
        matches!(
            self,
            Layer::Facets
                | Layer::Sessions
                | Layer::FilterBar
                | Layer::Until
                | Layer::Note
                | Layer::CommandLine
                | Layer::LakeEditor
        )
    }
}

impl Section {
    /// Every section, in the order the help lists them: the table and what opens from it
    /// most, shared sections before the layers that share them, CloudTrail Lake last.
    pub fn all() -> impl Iterator<Item = Section> {
        use Layer as L;
        [
            Section::Layer(L::Table),
            Section::Layer(L::Detail),
            Section::Prompts,
            Section::Layer(L::FilterBar),
            Section::Layer(L::CommandLine),
            Section::Layer(L::Note),
            Section::Layer(L::Until),
            Section::Layer(L::Facets),
            Section::Layer(L::PivotMenu),
            Section::Layer(L::Sessions),
            Section::Overlays,
            Section::Layer(L::Help),
            Section::Layer(L::Warnings),
            Section::Layer(L::Columns),
            Section::Layer(L::Fetch),
            Section::Layer(L::Lineage),
            Section::Layer(L::Marks),
            Section::Layer(L::Views),
            Section::Layer(L::Findings),
            Section::Layer(L::Timeline),
            Section::Layer(L::LakePicker),
            Section::Layer(L::LakeEditor),
            Section::Layer(L::LakeTemplates),
            Section::Layer(L::LakeResults),
        ]
        .into_iter()
    }

    /// The section's name in keymap files: `[[table]]`, `[[lake-editor]]`…
    pub fn name(self) -> &'static str {
        match self {
            Section::Overlays => "overlay",
            Section::Prompts => "prompt",
            Section::Layer(l) => match l {
                Layer::Table => "table",
                Layer::Detail => "detail",
                Layer::Help => "help",
                Layer::Warnings => "warnings",
                Layer::Columns => "columns",
                Layer::Fetch => "fetch",
                Layer::Lineage => "lineage",
                Layer::Marks => "marks",
                Layer::Views => "views",
                Layer::Findings => "findings",
                Layer::Timeline => "timeline",
                Layer::Facets => "facets",
                Layer::LakeResults => "lake-results",
                Layer::LakeEditor => "lake-editor",
                Layer::LakeTemplates => "lake-templates",
                Layer::LakePicker => "lake-picker",
                Layer::PivotMenu => "pivot-menu",
                Layer::Until => "until",
                Layer::FilterBar => "filter-bar",
                Layer::Sessions => "sessions",
                Layer::Note => "note",
                Layer::CommandLine => "command-line",
            },
        }
    }

    pub fn from_name(name: &str) -> Option<Section> {
        Section::all().find(|s| s.name() == name)
    }

    /// What the help calls it.
    pub fn title(self) -> &'static str {
        match self {
            Section::Overlays => {
                "Every overlay (help, warnings, columns, fetch, lineage, marks, views, findings)"
            }
            Section::Prompts => "Every one-line prompt (filter bar, command line, note, load until); other keys edit the line",
            Section::Layer(l) => match l {
                Layer::Table => "The table",
                Layer::Detail => "The detail pane, focused (other keys: as in the table)",
                Layer::Help => "Help",
                Layer::Warnings => "Load warnings",
                Layer::Columns => "Columns",
                Layer::Fetch => "LookupEvents progress",
                Layer::Lineage => "Credential lineage",
                Layer::Marks => "Marked events",
                Layer::Views => "Views of the walk",
                Layer::Findings => "Findings",
                Layer::Timeline => "Timeline",
                Layer::Facets => "Facets (other keys search)",
                Layer::LakeResults => "Lake or Athena results",
                Layer::LakeEditor => "Lake or Athena SQL editor (other keys edit the SQL)",
                Layer::LakeTemplates => "Lake or Athena playbook templates",
                Layer::LakePicker => "Lake event data stores or Athena tables",
                Layer::PivotMenu => "Pivot menu (any other key closes it)",
                Layer::Until => "Load until",
                Layer::FilterBar => "Filter bar",
                Layer::Sessions => "Saved investigations (other keys search)",
                Layer::Note => "Note on an event",
                Layer::CommandLine => "Command line (:)",
            },
        }
    }

    /// Whether keys bound here can type text in some layer that uses it.
    pub fn types_text(self) -> bool {
        match self {
            Section::Layer(l) => l.types_text(),
            Section::Prompts => true,
            Section::Overlays => false,
        }
    }

    /// Whether `command` means something in this section's layers: a binding of one that
    /// does not is refused when the keymap loads.
    pub fn accepts(self, command: Command) -> bool {
        use Command as C;
        let moves = matches!(
            command,
            C::MoveUp | C::MoveDown | C::PageUp | C::PageDown | C::Top | C::Bottom
        );
        let leave = matches!(command, C::Quit | C::Back);
        match self {
            Section::Layer(Layer::Table | Layer::Detail) => command.in_table(),
            // Enter and tab acted on an overlay's line through the table's open-detail and
            // focus-next before layers had keymaps: kept, for keymaps written then.
            Section::Overlays
            | Section::Layer(
                Layer::Help
                | Layer::Warnings
                | Layer::Columns
                | Layer::Fetch
                | Layer::Lineage
                | Layer::Marks
                | Layer::Views
                | Layer::Findings,
            ) => {
                leave
                    || moves
                    || matches!(
                        command,
                        C::ToggleHelp
                            | C::ToggleWarnings
                            | C::Accept
                            | C::OpenDetail
                            | C::FocusNext
                    )
                    || (self == Section::Layer(Layer::Lineage)
                        && command == C::Pivot(crate::app::nav::Pivot::Lineage))
                    || (self == Section::Layer(Layer::Findings) && command == C::SuppressFinding)
            }
            Section::Layer(Layer::Timeline) => {
                leave
                    || moves
                    || matches!(
                        command,
                        C::MoveLeft | C::MoveRight | C::StartSpan | C::Accept
                    )
            }
            Section::Layer(Layer::Facets) => {
                leave
                    || moves
                    || matches!(
                        command,
                        C::Accept | C::Exclude | C::NextFacet | C::PreviousFacet | C::DeleteBack
                    )
            }
            Section::Layer(Layer::Sessions) => {
                leave || moves || matches!(command, C::Accept | C::DeleteBack)
            }
            Section::Layer(Layer::PivotMenu) => {
                leave || matches!(command, C::Pivot(_) | C::Narrow(_))
            }
            Section::Prompts | Section::Layer(Layer::FilterBar | Layer::Until | Layer::Note) => {
                leave || matches!(command, C::Accept | C::ClearLine | C::Undo)
            }
            Section::Layer(Layer::CommandLine) => {
                leave
                    || matches!(
                        command,
                        C::Accept | C::ClearLine | C::Undo | C::MoveUp | C::MoveDown | C::Complete
                    )
            }
            Section::Layer(Layer::LakePicker) => {
                leave || matches!(command, C::MoveUp | C::MoveDown | C::Accept | C::Retry)
            }
            Section::Layer(Layer::LakeEditor) => {
                leave
                    || matches!(
                        command,
                        C::RunSql | C::Templates | C::HistoryBack | C::HistoryForward
                    )
            }
            Section::Layer(Layer::LakeTemplates) => {
                leave || matches!(command, C::MoveUp | C::MoveDown | C::Accept)
            }
            Section::Layer(Layer::LakeResults) => {
                leave || moves || matches!(command, C::MoveLeft | C::MoveRight | C::Accept)
            }
        }
    }
}

impl App {
    /// The layers open now, bottom to top: the draw's order, and the last has the keys.
    pub fn layers(&self) -> Vec<Layer> {
        let mut stack = vec![match self.focus {
            Focus::Table => Layer::Table,
            Focus::Detail => Layer::Detail,
        }];
        let mut open = |on: bool, layer: Layer| {
            if on {
                stack.push(layer);
            }
        };
        open(
            self.overlay.is_some(),
            self.overlay.map_or(Layer::Help, Layer::of),
        );
        open(self.picker.is_some(), Layer::Facets);
        if let Some(lake) = &self.lake {
            open(
                lake.results_open && lake.results.is_some(),
                Layer::LakeResults,
            );
            open(lake.editing, Layer::LakeEditor);
            open(
                lake.editing && lake.editor.templates.is_some(),
                Layer::LakeTemplates,
            );
            open(lake.picker.is_some(), Layer::LakePicker);
        }
        open(self.pivot_menu, Layer::PivotMenu);
        open(self.until.is_some(), Layer::Until);
        open(self.bar.is_some(), Layer::FilterBar);
        open(self.sessions.is_some(), Layer::Sessions);
        if let Some(p) = &self.prompt {
            stack.push(match p.kind {
                super::prompt::PromptKind::Command => Layer::CommandLine,
                super::prompt::PromptKind::Note(_) => Layer::Note,
            });
        }
        stack
    }

    /// The layer that has the keys now.
    pub fn layer(&self) -> Layer {
        self.layers().last().copied().unwrap_or(Layer::Table)
    }

    /// The user's key for `command` in `layer` ("m", "ctrl-t"), or `:command` when no key
    /// runs it there: for hints and notices, which must stay true under a user's keymap.
    pub fn key_for(&self, layer: Layer, command: Command) -> String {
        self.keymap.key_for(layer, command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layer has a section, listed once, found by its name.
    #[test]
    fn every_layer_has_one_named_section() {
        let all: Vec<Section> = Section::all().collect();
        for layer in Layer::ALL {
            let count = all.iter().filter(|&&s| s == Section::Layer(layer)).count();
            assert_eq!(count, 1, "{layer:?}");
        }
        assert_eq!(all.len(), Layer::ALL.len() + 2);
        for s in all {
            assert_eq!(Section::from_name(s.name()), Some(s));
        }
    }
}
