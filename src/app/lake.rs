//! A CloudTrail Lake session as the app sees it: the event data store and the window every
//! generated query is bounded by, the SQL editor (tui-textarea) with its history and the
//! playbook templates, the query running now (status, scanned bytes, cost) and the results
//! table of an aggregate query. Pure: each query runs as a job (`JobSpec::LakeQuery`) that
//! reports back with `Msg::Job`.

use crate::job::{Ending, JobId, QueryProgress};
use crate::lake::rows::Table;
use crate::lake::sql::Window;
use crate::lake::stores::StoreInfo;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

pub struct LakeSession {
    /// The event data store's id; empty until one is picked.
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
    /// `None` while ListEventDataStores runs; `Err` says why there is no list.
    pub stores: Option<Result<Vec<StoreInfo>, String>>,
    pub cursor: usize,
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

    pub fn is_running(&self) -> bool {
        self.run.as_ref().is_some_and(LakeRun::is_running)
    }

    /// Remembers a statement run (not twice in a row).
    pub fn remember(&mut self, sql: &str) {
        if self.history.last().map(String::as_str) != Some(sql) {
            self.history.push(sql.to_string());
        }
        self.editor.history_at = None;
    }
}
