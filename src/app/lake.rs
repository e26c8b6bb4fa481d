//! A SQL session as the app sees it, on CloudTrail Lake or on Athena (`Engine`): the event
//! data store or table and the window every generated query is bounded by, the SQL editor
//! (tui-textarea) with its history and the playbook templates, the query running now
//! (status, scanned bytes, cost) and the results table of an aggregate query. Pure: each
//! query runs as a job (`JobSpec::LakeQuery`, `JobSpec::AthenaQuery`) that reports back with
//! `Msg::Job`.

use crate::athena::catalog::FoundTable;
use crate::athena::sql::{Partitioned, Table as AthenaTable};
use crate::job::{Ending, JobId, QueryProgress};
use crate::lake::rows::Table;
use crate::lake::sql::Window;
use crate::lake::stores::StoreInfo;
use crate::lake::templates::{Param, Template};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// Where a session's statements run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    Lake,
    /// Athena, on a CloudTrail table (`store` holds its `db.table`; `on` is `None` until one
    /// is picked), in a workgroup.
    Athena {
        on: Option<AthenaOn>,
        workgroup: String,
    },
}

impl Engine {
    /// "Lake" or "Athena", for titles and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Lake => "Lake",
            Engine::Athena { .. } => "Athena",
        }
    }

    /// What `bytes` scanned cost here.
    pub fn cost(&self, bytes: i64) -> String {
        match self {
            Engine::Lake => crate::lake::cost::describe(bytes),
            Engine::Athena { .. } => crate::athena::cost::describe(bytes),
        }
    }
}

/// The Athena table a session queries, and what its statements can bound their reads by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AthenaOn {
    pub table: AthenaTable,
    pub partitioned: Partitioned,
}

pub struct LakeSession {
    pub engine: Engine,
    /// The event data store's id, or the Athena table's `db.table`; empty until one is picked.
    pub store: String,
    pub window: Window,
    pub editor: SqlEditor,
    /// The editor is on screen.
    pub editing: bool,
    /// Statements run, oldest first (no repeats in a row).
    pub history: Vec<String>,
    pub run: Option<LakeRun>,
    /// The last aggregate answer, and whether it is on screen.
    pub results: Option<ResultsView>,
    pub results_open: bool,
    /// Choosing an event data store (`--lake` without an id).
    pub picker: Option<StorePicker>,
}

/// A query sent to Lake, and what came of it so far.
pub struct LakeRun {
    /// The job running it.
    pub job: JobId,
    pub sql: String,
    pub progress: QueryProgress,
    pub ending: Option<Ending>,
    /// Whether its rows are whole events (decided by the first page).
    pub events: Option<bool>,
    /// Events that joined the store from it.
    pub joined: usize,
    /// Athena: where the statement is recorded among the source's queries (evidence).
    pub evidence: Option<usize>,
}

impl LakeRun {
    pub fn is_running(&self) -> bool {
        self.ending.is_none()
    }
}

/// An aggregate answer on screen, with a cursor on one cell.
pub struct ResultsView {
    pub table: Table,
    pub row: usize,
    pub col: usize,
    pub sql: String,
}

pub struct StorePicker {
    /// `None` while ListEventDataStores (or the Athena catalog) is asked; `Err` says why
    /// there is no list.
    pub stores: Option<Result<Choices, String>>,
    pub cursor: usize,
}

/// What a picker offers.
pub enum Choices {
    Stores(Vec<StoreInfo>),
    Tables(Vec<FoundTable>),
}

impl Choices {
    pub fn len(&self) -> usize {
        match self {
            Choices::Stores(s) => s.len(),
            Choices::Tables(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub struct SqlEditor {
    pub input: TextArea<'static>,
    /// The template list is open, with its cursor.
    pub templates: Option<usize>,
    /// Where in the history Ctrl-P/Ctrl-N are (`None`: the text being written).
    pub history_at: Option<usize>,
    /// Why the last run or template was refused.
    pub error: Option<String>,
}

impl SqlEditor {
    pub fn new(text: &str) -> SqlEditor {
        let mut editor = SqlEditor {
            input: TextArea::default(),
            templates: None,
            history_at: None,
            error: None,
        };
        editor.set_text(text);
        editor
    }

    pub fn text(&self) -> String {
        self.input.lines().join("\n")
    }

    /// The text, with characters that would drive the terminal made visible (`\x1b`): the
    /// statements trailscope writes never hold any (`sql::literal`), a typed `--sql` might.
    pub fn set_text(&mut self, text: &str) {
        let lines: Vec<String> = text
            .lines()
            .map(|l| crate::model::sanitize::visible(&l.replace('\t', "    ")).into_owned())
            .collect();
        self.input = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        // Long select lists wrap rather than run off the box: all of a statement is seen.
        self.input.set_wrap_mode(WrapMode::WordOrGlyph);
        self.input.move_cursor(CursorMove::Bottom);
        self.input.move_cursor(CursorMove::End);
    }
}

impl LakeSession {
    /// A session on `store`, the editor open on `first_sql`; without a store, the picker
    /// waits for the list of stores (`JobSpec::LakeStores`).
    pub fn new(store: String, window: Window, first_sql: &str) -> LakeSession {
        let picker = store.is_empty().then_some(StorePicker {
            stores: None,
            cursor: 0,
        });
        LakeSession {
            engine: Engine::Lake,
            editing: picker.is_none(),
            store,
            window,
            editor: SqlEditor::new(first_sql),
            history: Vec::new(),
            run: None,
            results: None,
            results_open: false,
            picker,
        }
    }

    /// An Athena session on `on` (named `name`, `db.table`), or waiting for its table to be
    /// picked from the catalog when `on` is `None`. Its editor starts closed: the session's
    /// first statement (the window's events) is already on its way, or the picker is open.
    pub fn athena(
        name: String,
        on: Option<AthenaOn>,
        workgroup: String,
        window: Window,
        first_sql: &str,
    ) -> LakeSession {
        let mut session = LakeSession::new(name, window, first_sql);
        session.engine = Engine::Athena { on, workgroup };
        session.editing = false;
        session
    }

    pub fn is_running(&self) -> bool {
        self.run.as_ref().is_some_and(LakeRun::is_running)
    }

    /// "Lake" or "Athena", for titles and messages.
    pub fn engine_name(&self) -> &'static str {
        self.engine.name()
    }

    /// The engine's playbook templates.
    pub fn templates(&self) -> &'static [Template] {
        match self.engine {
            Engine::Lake => crate::lake::templates::TEMPLATES,
            Engine::Athena { .. } => crate::athena::templates::TEMPLATES,
        }
    }

    /// The statement for one of `templates()`, `value` giving its parameters.
    pub fn render(
        &self,
        template: &Template,
        value: impl Fn(Param) -> Option<String>,
    ) -> Result<String, String> {
        match &self.engine {
            Engine::Lake => template.render(&self.store, self.window, value),
            Engine::Athena { on: None, .. } => Err("pick a table first".to_string()),
            Engine::Athena { on: Some(on), .. } => crate::athena::templates::render(
                template,
                &crate::athena::templates::On {
                    table: &on.table,
                    partitioned: on.partitioned,
                    window: self.window,
                },
                value,
            ),
        }
    }

    /// The window's events (where `condition` holds), in every account: the session's first
    /// statement, or a pivot as the engine's SQL.
    pub fn events_sql(&self, condition: Option<&str>) -> Result<String, String> {
        match &self.engine {
            Engine::Lake => Ok(crate::lake::sql::events_query(
                &self.store,
                self.window,
                condition,
            )),
            Engine::Athena { on: None, .. } => Err("pick a table first".to_string()),
            Engine::Athena { on: Some(on), .. } => crate::athena::sql::events_query(
                &on.table,
                self.window,
                &crate::athena::sql::Scope::default(),
                condition,
                on.partitioned,
            ),
        }
    }

    /// What `bytes` scanned cost on this engine.
    pub fn cost(&self, bytes: i64) -> String {
        self.engine.cost(bytes)
    }

    /// Remembers a statement run (not twice in a row).
    pub fn remember(&mut self, sql: &str) {
        if self.history.last().map(String::as_str) != Some(sql) {
            self.history.push(sql.to_string());
        }
        self.editor.history_at = None;
    }
}
