//! What an investigation saves besides its events, as one JSON document: the sources it came
//! from, the walk (views with their selected events), marks, notes and the screen's layout.
//! Events are named by `event_key`, never by their position in memory, so the document stays
//! true however the events are loaded again.

use crate::filter::preset::Preset;
use crate::model::column::Column;
use crate::model::store::{EventIdx, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct SessionState {
    pub sources: Vec<SourceRecord>,
    /// The investigation's own note (`:note`).
    pub note: String,
    pub view: SavedView,
    pub back: Vec<SavedView>,
    pub forward: Vec<SavedView>,
    /// Every view left during the walk, oldest first (branches included: `app::nav::Nav`).
    pub visited: Vec<SavedView>,
    pub marks: Vec<String>,
    /// Notes on events: (event key, text).
    pub notes: Vec<(String, String)>,
    pub columns: Vec<Column>,
    pub sort: Option<(Column, bool)>,
    pub detail_open: bool,
    pub profile_pane: bool,
    /// The table's share of the screen in percent, when the user moved the split.
    pub split: Option<u8>,
    /// How the time column read.
    pub time: Option<crate::model::time_display::TimeDisplay>,
}

/// One view of the walk; `anchor` is the selected event's key.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct SavedView {
    pub filter: String,
    pub presets: BTreeSet<Preset>,
    pub anchor: Option<String>,
    pub screen_row: usize,
    /// A narrowing pivot's term, when the view was reached by one (see `app::nav::Step`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrowed: Option<String>,
}

/// Where events came from and how they were asked for: the provenance of what is saved.
/// Never credentials: a profile's name, not its keys.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct SourceRecord {
    /// `files`, `demo`, `stdin`, `lookup-events` or `s3`.
    pub kind: String,
    /// How it was shown in the title bar.
    pub label: String,
    pub paths: Vec<String>,
    pub profile: Option<String>,
    pub regions: Vec<String>,
    /// The accounts an S3 read was narrowed to (`--accounts`; empty: every account found).
    pub accounts: Vec<String>,
    /// The fetch window, RFC 3339.
    pub window: Option<(String, String)>,
    /// The condition sent to AWS, in the filter language.
    pub sent_filter: Option<String>,
    /// When it was read or the fetch started (ms since the epoch).
    pub opened_ms: i64,
}

impl SourceRecord {
    /// One line for an export's provenance and `sessions list`.
    pub fn describe(&self) -> String {
        let mut line = self.label.clone();
        if let Some(p) = &self.profile {
            line.push_str(&format!(" (profile {p})"));
        }
        if let Some((from, to)) = &self.window {
            line.push_str(&format!(" {from}..{to}"));
        }
        if let Some(f) = &self.sent_filter {
            line.push_str(&format!(" sent: {f}"));
        }
        let at = crate::model::time::EventTime::from_millis(self.opened_ms);
        line.push_str(&format!(", read {}", at.format_utc()));
        line
    }
}

/// A name for an event that survives saving and loading: its eventID and time (synthetic and
/// test data reuse IDs), or for a record without an ID, a digest of the record itself.
pub fn event_key(store: &Store, idx: EventIdx) -> String {
    let e = store.event(idx);
    match &e.event_id {
        Some(id) => format!("{id}@{}", e.time.millis().unwrap_or(0)),
        None => {
            let digest = Sha256::digest(e.raw.as_bytes());
            let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
            format!("raw:{hex}")
        }
    }
}
