//! What the app and the session database exchange, as plain data: a save to write, how it
//! went, and the saved investigations for the picker. The database (`db`) and its thread
//! (`saver`) are the impure side; the app imports only this.

/// One investigation, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// What it was opened from, in words.
    pub source: String,
    pub events: u64,
}

/// What one save writes: the state, and the events not written before.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SaveJob {
    pub name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub source: String,
    pub state_json: String,
    /// Raw records, packed or plain: the saving thread inflates them, not the UI thread.
    pub new_events: Vec<crate::model::raw::Raw>,
    /// The first save under this name: refused if another investigation has it.
    pub fresh: bool,
    /// Renames this investigation first (an automatic name replaced by `:save NAME`).
    pub rename_from: Option<String>,
}

/// How a save ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub name: String,
    pub result: Result<(), String>,
}
