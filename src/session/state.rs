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
    /// A LookupEvents fetch: where each account × region stopped, so `m` resumes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<SavedFetch>,
    /// Findings quieted, each with its reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<crate::detect::Suppression>,
}

/// A LookupEvents fetch as saved (`app::fetch_saved` makes and restores it). Never
/// credentials, never page tokens.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct SavedFetch {
    /// The filter it fetches for, in the filter language (its plan is made again).
    pub filter: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Events per lane for "load more".
    pub step: u64,
    /// The role `account ID` assumes.
    pub role: String,
    pub lanes: Vec<SavedLane>,
}

/// One account × region of a saved fetch.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct SavedLane {
    pub via: crate::source::lookup::accounts::Via,
    pub region: String,
    /// `done`, `paused` or `failed`.
    pub state: String,
    /// Why it failed.
    pub why: Option<String>,
    pub pages: u32,
    pub events: u64,
    /// The oldest event reached (pages come newest first).
    pub oldest_ms: Option<i64>,
    /// Its window (ms since the epoch).
    pub window: (i64, i64),
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
    /// LookupEvents: how each account was reached (a role assumed in it, or a profile);
    /// empty: the session's own credentials only. Names, never keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<crate::source::lookup::accounts::Via>,
    /// The fetch window, RFC 3339.
    pub window: Option<(String, String)>,
    /// The condition sent to AWS, in the filter language.
    pub sent_filter: Option<String>,
    /// When it was read or the fetch started (ms since the epoch).
    pub opened_ms: i64,
    /// Athena: every statement run for this source, with its id, end and cost.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<QueryRecord>,
}

/// One statement an engine ran for a source: what was billed for what, kept as evidence.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct QueryRecord {
    pub workgroup: String,
    pub statement: String,
    pub query_id: String,
    /// SUCCEEDED, FAILED, CANCELLED…
    pub state: String,
    pub bytes_scanned: i64,
    /// The estimated cost, as shown (`12.0 MB scanned ≈ $0.00006`).
    pub cost: String,
}

impl SourceRecord {
    /// One line for an export's provenance and `sessions list`.
    pub fn describe(&self) -> String {
        let mut line = self.label.clone();
        if let Some(p) = &self.profile {
            line.push_str(&format!(" (profile {p})"));
        }
        let reached: Vec<String> = self
            .via
            .iter()
            .filter(|v| **v != crate::source::lookup::accounts::Via::Own)
            .map(|v| v.describe())
            .collect();
        if !reached.is_empty() {
            line.push_str(&format!(" via {}", reached.join(", ")));
        }
        if let Some((from, to)) = &self.window {
            line.push_str(&format!(" {from}..{to}"));
        }
        if let Some(f) = &self.sent_filter {
            line.push_str(&format!(" sent: {f}"));
        }
        for q in &self.queries {
            line.push_str(&format!(
                " · query {} in {} {}: {}",
                q.query_id, q.workgroup, q.state, q.cost
            ));
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
            let digest = Sha256::digest(e.raw.text().as_bytes());
            let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
            format!("raw:{hex}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::lookup::accounts::Via;

    /// Provenance says how each account was reached and over which regions and window, by
    /// name only (issue 21, item 7).
    #[test]
    fn a_lookup_source_names_its_accounts_roles_regions_and_window() {
        let source = SourceRecord {
            kind: "lookup-events".into(),
            label: "LookupEvents eu-west-1, us-east-1 · 2 accounts".into(),
            profile: Some("audit".into()),
            regions: vec!["eu-west-1".into(), "us-east-1".into()],
            via: vec![
                Via::Own,
                Via::Role {
                    account: "444455556666".into(),
                    role: "OrganizationAccountAccessRole".into(),
                },
                Via::Profile("prod-b".into()),
            ],
            window: Some(("2026-11-17T00:00:00Z".into(), "2026-11-21T12:00:00Z".into())),
            ..SourceRecord::default()
        };
        let line = source.describe();
        assert!(line.contains("eu-west-1, us-east-1"), "{line}");
        assert!(line.contains("(profile audit)"), "{line}");
        assert!(
            line.contains("via role OrganizationAccountAccessRole in 444455556666, profile prod-b"),
            "{line}"
        );
        assert!(
            line.contains("2026-11-17T00:00:00Z..2026-11-21T12:00:00Z"),
            "{line}"
        );
        let json = serde_json::to_string(&source).unwrap_or_default();
        let back: SourceRecord = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, source);
    }
}
