//! All application state and `update(&mut App, Msg) -> Vec<Effect>`. No terminal, no async,
//! no clock: everything here is testable by feeding messages.

pub mod command;
pub mod detail;
pub mod effect;
pub mod json_view;
pub mod key;
pub mod layout;
pub mod load;
pub mod msg;
pub mod table;
mod update;

use crate::keymap::Keymap;
use crate::model::store::{EventIdx, Store};
use crate::model::warning::{Severity, Warning};
use detail::DetailState;
use layout::Layout;
use load::LoadState;
use msg::QueryId;
use table::TableState;

pub use update::update;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Focus {
    Table,
    Detail,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Overlay {
    Help { scroll: usize },
    Warnings { scroll: usize },
}

pub struct App {
    pub store: Store,
    pub keymap: Keymap,
    pub table: TableState,
    pub detail: DetailState,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub warnings: Vec<Warning>,
    pub load: LoadState,
    pub query: QueryId,
    /// What is being looked at, for the title bar (file names, "demo").
    pub source_label: String,
    pub width: u16,
    pub height: u16,
    pub now_ms: u64,
}

impl App {
    pub fn new(keymap: Keymap, source_label: String, width: u16, height: u16) -> App {
        App {
            store: Store::default(),
            keymap,
            table: TableState::default(),
            detail: DetailState::default(),
            focus: Focus::Table,
            overlay: None,
            warnings: Vec::new(),
            load: LoadState {
                loading: true,
                ..LoadState::default()
            },
            query: QueryId(1),
            source_label,
            width,
            height,
            now_ms: 0,
        }
    }

    pub fn layout(&self) -> Layout {
        Layout::compute(self.width, self.height, self.detail.open)
    }

    /// The rows of the current view, oldest first.
    pub fn rows(&self) -> &[EventIdx] {
        self.store.time_order()
    }

    pub fn selected(&self) -> Option<EventIdx> {
        self.rows().get(self.table.cursor).copied()
    }

    pub fn problem_count(&self) -> usize {
        self.warnings
            .iter()
            .filter(|w| w.severity == Severity::Problem)
            .count()
    }
}
