//! All application state and `update(&mut App, Msg) -> Vec<Effect>`. No terminal, no async,
//! no clock: everything here is testable by feeding messages.

pub mod bar;
pub mod boot;
pub mod call;
pub mod command;
pub mod detail;
pub mod effect;
pub mod fetch;
mod fetch_saved;
pub mod filter;
pub mod jobs;
pub mod json_view;
pub mod key;
pub mod lake;
pub mod layer;
pub mod layout;
pub mod load;
pub mod msg;
pub mod nav;
pub mod palette;
pub mod picker;
mod preferences;
pub mod prompt;
pub mod session;
pub mod session_picker;
pub mod sort;
pub mod table;
pub mod table_fit;
mod update;
pub mod wrap;

use crate::keymap::Keymap;
use crate::lineage::{tree, Cred, Lineage, TreeLine};
use crate::model::column::{Column, DEFAULT_COLUMNS};
use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;
use crate::model::time_display::TimeDisplay;
use crate::model::warning_log::WarningLog;
use crate::profile::timeline::Timeline;
use crate::profile::Profile;
use bar::FilterBar;
use detail::DetailState;
use fetch::LiveFetch;
use filter::FilterState;
use jobs::Jobs;
use layout::{Layout, LayoutPrefs};
use load::LoadState;
use nav::{Nav, View};
use picker::FacetPicker;
use prompt::Prompt;
use session::SessionMeta;
use session_picker::SessionPicker;
use sort::Sort;
use std::collections::{BTreeMap, BTreeSet};
use table::TableState;

pub use update::update;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Focus {
    Table,
    Detail,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Warnings {
        scroll: usize,
    },
    /// The column chooser, with its cursor.
    Columns {
        cursor: usize,
    },
    /// LookupEvents: each region's progress, and the time presets, with a cursor on them.
    Fetch {
        cursor: usize,
    },
    /// The credential tree around the selected event's key (`app.lineage`), with a cursor.
    Lineage {
        cursor: usize,
    },
    /// The marked events, oldest first, with a cursor.
    Marks {
        cursor: usize,
    },
    /// Every view of the walk (`Nav::history`), newest first, with a cursor.
    Views {
        cursor: usize,
    },
    /// The view's findings (`app.findings`), grouped by rule then principal, with a cursor.
    Findings {
        cursor: usize,
    },
    /// The view over time (`app.timeline`): a cursor on a bucket, and where a span started.
    Timeline {
        cursor: usize,
        anchor: Option<usize>,
    },
}

impl Overlay {
    /// The same overlay with its scroll position or cursor changed by `f`.
    pub(crate) fn moved(self, f: impl Fn(usize) -> usize) -> Overlay {
        match self {
            Overlay::Help { scroll } => Overlay::Help { scroll: f(scroll) },
            Overlay::Warnings { scroll } => Overlay::Warnings { scroll: f(scroll) },
            Overlay::Columns { cursor } => Overlay::Columns { cursor: f(cursor) },
            Overlay::Fetch { cursor } => Overlay::Fetch { cursor: f(cursor) },
            Overlay::Lineage { cursor } => Overlay::Lineage { cursor: f(cursor) },
            Overlay::Marks { cursor } => Overlay::Marks { cursor: f(cursor) },
            Overlay::Views { cursor } => Overlay::Views { cursor: f(cursor) },
            Overlay::Findings { cursor } => Overlay::Findings { cursor: f(cursor) },
            // Moves with its own keys (`timeline_key`).
            Overlay::Timeline { .. } => self,
        }
    }
}

pub struct App {
    pub store: Store,
    pub keymap: Keymap,
    pub table: TableState,
    pub detail: DetailState,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub warnings: WarningLog,
    pub load: LoadState,
    /// Background jobs started and still listened to.
    pub jobs: Jobs,
    /// What is being looked at, for the title bar (file names, "demo").
    pub source_label: String,
    pub width: u16,
    pub height: u16,
    pub now_ms: u64,
    /// Wall-clock time when the session started: `now_ms` counts from here (relative filter
    /// times like `after:-3h`). Fixed in tests.
    pub clock_origin: EventTime,
    pub filter: FilterState,
    /// Open while editing the filter.
    pub bar: Option<FilterBar>,
    pub picker: Option<FacetPicker>,
    pub columns: Vec<Column>,
    pub sort: Option<Sort>,
    /// Fetching from LookupEvents (instead of reading files).
    pub live: Option<LiveFetch>,
    /// Querying CloudTrail Lake (instead of reading files).
    pub lake: Option<lake::LakeSession>,
    /// The Athena query whose rows are the session's events, while it runs and after.
    pub athena: Option<crate::job::QueryProgress>,
    /// Where the session's first Athena statement is recorded among the source's queries.
    pub athena_evidence: Option<usize>,
    /// Open while typing how far to load ("load until").
    pub until: Option<FilterBar>,
    /// Why the last "load until" text was refused.
    pub until_error: Option<String>,
    /// A one-off message for the status bar, cleared by the next key.
    pub notice: Option<String>,
    /// The views left by pivots, for back and forward.
    pub nav: Nav,
    /// Open while choosing what to pivot on.
    pub pivot_menu: bool,
    /// Events marked as evidence.
    pub marks: BTreeSet<EventIdx>,
    /// The event marked last: where `mark-range` starts.
    pub mark_anchor: Option<EventIdx>,
    /// What the selected event is, shown above its JSON (`e`).
    pub explain_open: bool,
    /// The lineage tree shown by `Overlay::Lineage`.
    pub lineage: Vec<TreeLine>,
    /// Accounts the lineage tree walks into whose own events are not loaded (a role assumed
    /// there, its session's calls recorded only there): the overlay offers to fetch them.
    pub lineage_elsewhere: Vec<String>,
    /// The credential graph, and the store size it was built at (rebuilt when events arrive).
    lineage_graph: Option<(usize, Lineage)>,
    /// The detail pane shows the view's profile instead of the event's JSON (kept current as
    /// the view changes).
    pub profile_pane: bool,
    pub profile: Profile,
    pub profile_scroll: usize,
    /// The histogram shown by `Overlay::Timeline`.
    pub timeline: Timeline,
    /// Notes written on events (`a`).
    pub notes: BTreeMap<EventIdx, String>,
    /// The saved investigation this is, and the autosave's bookkeeping.
    pub session: SessionMeta,
    /// Open while typing a `:` command or a note.
    pub prompt: Option<Prompt>,
    /// Open while choosing a saved investigation.
    pub sessions: Option<SessionPicker>,
    /// After going back: the selected event's row on screen, to put it there again.
    restore_row: Option<usize>,
    /// The filtered rows in sort order, when a sort other than time is on.
    sorted: Option<Vec<EventIdx>>,
    /// New rows arrived under a sort: re-sort when idle.
    resort_due: bool,
    /// How the time column reads: UTC, local or ages.
    pub time: TimeDisplay,
    /// The local time zone (handed in by the runtime; fixed in tests).
    pub tz: jiff::tz::TimeZone,
    /// Where the split between table and detail is, and when they go side by side.
    pub prefs: LayoutPrefs,
    /// The themes to switch between (names; the runtime holds the styles), and the one in use.
    pub themes: Vec<String>,
    pub theme: usize,
    /// Copying to the clipboard (OSC 52) is allowed (`clipboard = "off"` turns it off).
    pub clipboard: bool,
    /// A drag of the border between table and detail is under way.
    pub(crate) dragging_split: bool,
    /// The detection rules, run on every event as it arrives (`detect`).
    pub detector: crate::detect::Detector,
    /// The findings view's groups (`Overlay::Findings`), for the view it was opened on.
    pub findings: Vec<crate::detect::Group>,
    /// When the cross-event rules last ran (`now_ms`): they run at most once a second while
    /// events stream in, and less often when a run is slow (`own_rules_took_ms`).
    pub(crate) own_rules_ms: Option<u64>,
    /// How long their last run took, in wall milliseconds.
    pub(crate) own_rules_took_ms: u64,
}

/// The view's rows from the fields that hold them, so callers can borrow the table state
/// mutably at the same time.
pub(crate) fn view_rows<'a>(
    sorted: &'a Option<Vec<EventIdx>>,
    filter: &'a FilterState,
    store: &'a Store,
) -> &'a [EventIdx] {
    sorted
        .as_deref()
        .or(filter.view())
        .unwrap_or_else(|| store.time_order())
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
            warnings: WarningLog::default(),
            load: LoadState {
                loading: true,
                ..LoadState::default()
            },
            jobs: Jobs::default(),
            source_label,
            width,
            height,
            now_ms: 0,
            clock_origin: EventTime::from_millis(0),
            filter: FilterState::default(),
            bar: None,
            picker: None,
            columns: DEFAULT_COLUMNS.to_vec(),
            sort: None,
            live: None,
            lake: None,
            athena: None,
            athena_evidence: None,
            until: None,
            until_error: None,
            notice: None,
            nav: Nav::default(),
            pivot_menu: false,
            marks: BTreeSet::new(),
            mark_anchor: None,
            explain_open: true,
            lineage: Vec::new(),
            lineage_elsewhere: Vec::new(),
            lineage_graph: None,
            profile_pane: false,
            profile: Profile::default(),
            profile_scroll: 0,
            timeline: Timeline::default(),
            notes: BTreeMap::new(),
            session: SessionMeta::default(),
            prompt: None,
            sessions: None,
            restore_row: None,
            sorted: None,
            resort_due: false,
            time: TimeDisplay::Utc,
            tz: jiff::tz::TimeZone::UTC,
            prefs: LayoutPrefs::default(),
            themes: vec!["dark".to_string()],
            theme: 0,
            clipboard: true,
            dragging_split: false,
            detector: crate::detect::Detector::shipped(),
            findings: Vec::new(),
            own_rules_ms: None,
            own_rules_took_ms: 0,
        }
    }

    /// Now, for relative times in filters.
    pub fn now(&self) -> EventTime {
        let origin = self.clock_origin.millis().unwrap_or(0);
        EventTime::from_millis(origin.saturating_add(self.now_ms as i64))
    }

    /// Whether `update(Msg::Work)` has something to do.
    pub fn wants_work(&self) -> bool {
        self.filter.has_work() || self.resort_due || self.own_rules_due()
    }

    /// Whether the table shows its one-character gutter: once something is marked or a
    /// finding marks an event.
    pub fn gutter_shown(&self) -> bool {
        !self.marks.is_empty() || !self.store.hits.is_empty()
    }

    /// The worst severity among the rules `idx` raised, rules marked noisy left out (they
    /// would flag most of a busy account; the findings view still lists them).
    pub fn finding_severity(&self, idx: EventIdx) -> Option<crate::detect::Severity> {
        self.detector
            .rules_of(&self.store, idx)
            .into_iter()
            .filter(|r| !r.noisy)
            .map(|r| r.severity)
            .max()
    }

    /// Whether trailscope's cross-event rules have events to see and either the load is over,
    /// or, since they last ran, the store has grown by half and a second has passed and four
    /// times as long as that run took, or thirty seconds have and twenty times as long.
    pub(crate) fn own_rules_due(&self) -> bool {
        // They read every event again, on this thread: with a fixed pace a run would grow to
        // fill each second as the store does, and the load would all but stop (a 10M-event
        // load had read 726k after five minutes). Four times a run's length apart, they took
        // a fifth of the thread through a whole load, the thread that builds the store. Run
        // again only once the store is half as large again, all the runs of a load together
        // cost about three times the last one. Events trickling into a large store (a slow
        // LookupEvents fetch) still get them every half minute or so.
        let took = self.own_rules_took_ms;
        let gap = took.saturating_mul(4).max(1000);
        let slow_gap = took.saturating_mul(20).max(30_000);
        let seen = self.detector.own_seen();
        let grown = self.store.len() >= seen.saturating_add(seen / 2);
        let since = self.own_rules_ms.map(|at| self.now_ms.saturating_sub(at));
        // Once the load is over, at once: the screen is final with them.
        self.detector.own_due(&self.store)
            && (!self.load.loading
                || since.is_none_or(|since| (grown && since >= gap) || since >= slow_gap))
    }

    pub fn layout(&self) -> Layout {
        let filter_line = self.bar.is_some()
            || self.until.is_some()
            || self.prompt.is_some()
            || self.filter.is_active();
        let layout = Layout::compute(
            self.width,
            self.height,
            self.detail.open,
            filter_line,
            self.live.is_some(),
            self.prefs,
        );
        match (self.explanation(), layout.detail) {
            (Some(e), Some(d)) => {
                let inner = d.width.saturating_sub(2);
                layout.with_explanation(e.rows(inner))
            }
            _ => layout,
        }
    }

    /// What the detail pane's event is, when it is shown (`e`) and the catalogue knows it.
    /// With the rules it raised on top: for a finding, the rule and (for Sigma) its author.
    pub fn explanation(&self) -> Option<std::borrow::Cow<'static, crate::explain::Explanation>> {
        use std::borrow::Cow;
        if !self.explain_open || self.profile_pane {
            return None;
        }
        let idx = self.detail.event?;
        let e = self.store.event(idx);
        let (source, name) = (self.store.text(e.source), self.store.text(e.name));
        let known = crate::explain::of(source, name);
        let findings: Vec<String> = self
            .detector
            .rules_of(&self.store, idx)
            .into_iter()
            .map(|r| format!("{} · {} · {}", r.severity.label(), r.title, r.credit()))
            .collect();
        if findings.is_empty() {
            return known.map(Cow::Borrowed);
        }
        let mut x = known
            .cloned()
            .unwrap_or_else(|| crate::explain::Explanation {
                source: source.to_string(),
                name: name.to_string(),
                ..Default::default()
            });
        x.findings = findings;
        Some(Cow::Owned(x))
    }

    /// The detail pane's inside (width, height), where its lines wrap.
    pub fn detail_inner(&self) -> detail::Inner {
        let d = self.layout().detail.unwrap_or_default();
        (
            d.width.saturating_sub(2) as usize,
            d.height.saturating_sub(2) as usize,
        )
    }

    /// An event's time as the time column shows it now.
    pub fn time_text(&self, t: EventTime) -> String {
        self.time.format(t, &self.tz, self.now())
    }

    /// A cell's text (sanitized), with the time as the user asked to see it.
    pub fn cell_text(&self, column: Column, e: &crate::model::event::Event) -> String {
        match column {
            Column::Time => self.time_text(e.time),
            c => c.cell(&self.store, e),
        }
    }

    /// A column's header, the time column saying which clock it reads.
    pub fn column_header(&self, column: Column) -> &'static str {
        match column {
            Column::Time => self.time.header(),
            c => c.header(),
        }
    }

    /// The rows of the current view: filtered, in sort order (oldest first by default). While
    /// a filter scan runs these may be its first screen only (`FilterState::view`): what reads
    /// the view as a whole finishes the scan first (`update::finish_work`).
    pub fn rows(&self) -> &[EventIdx] {
        view_rows(&self.sorted, &self.filter, &self.store)
    }

    /// Recomputes the sorted rows after the filter or the sort changed.
    pub(crate) fn resort(&mut self) {
        self.resort_due = false;
        self.sorted = self
            .sort
            .filter(|s| s.column != Column::Time || s.descending)
            .map(|s| {
                let mut rows = self
                    .filter
                    .rows
                    .clone()
                    .unwrap_or_else(|| self.store.time_order().to_vec());
                sort::apply(&self.store, &mut rows, s);
                rows
            });
    }

    pub(crate) fn mark_resort(&mut self) {
        if self.sorted.is_some() {
            self.resort_due = true;
        }
    }

    /// The view as it stands, to come back to.
    pub fn current_view(&self) -> View {
        View {
            filter: self.filter.text.clone(),
            presets: self.filter.presets.clone(),
            anchor: self.selected(),
            screen_row: self.table.cursor.saturating_sub(self.table.offset),
            step: self.nav.here.clone(),
        }
    }

    /// The filter in force, presets included, as the provenance of an export states it.
    pub fn current_filter_text(&self) -> String {
        let presets: Vec<&str> = self.filter.presets.iter().map(|p| p.name()).collect();
        match (self.filter.text.trim(), presets.is_empty()) {
            (text, true) => text.to_string(),
            ("", false) => format!("presets: {}", presets.join(", ")),
            (text, false) => format!("{text} (presets: {})", presets.join(", ")),
        }
    }

    /// Shows `view`, with its event selected at its old place on screen once the rows are in.
    pub(crate) fn show_view(&mut self, view: View) {
        self.filter.restore(&view.filter, &view.presets);
        self.table.anchor = view.anchor;
        self.restore_row = Some(view.screen_row);
        self.nav.here = view.step;
    }

    /// The lineage tree around `focus`; the graph is built once per store size.
    pub(crate) fn lineage_tree(&mut self, focus: &Cred) -> Vec<TreeLine> {
        let len = self.store.len();
        let graph = match self.lineage_graph.take() {
            Some((at, graph)) if at == len => graph,
            _ => Lineage::build(&self.store),
        };
        let lines = tree(&graph, &self.store, focus);
        self.lineage_graph = Some((len, graph));
        lines
    }

    /// What no tree holds (0 until a tree was asked for): minting events whose new credential
    /// could not be read, and Identity Center grants no role session was matched to.
    pub fn lineage_left_out(&self) -> (usize, usize) {
        self.lineage_graph
            .as_ref()
            .map_or((0, 0), |(_, g)| (g.unread, g.unmatched))
    }

    /// The marked events in time order.
    pub fn marked(&self) -> Vec<EventIdx> {
        let mut marked: Vec<EventIdx> = self.marks.iter().copied().collect();
        marked.sort_by_key(|&i| (self.store.event(i).time, i));
        marked
    }

    pub fn selected(&self) -> Option<EventIdx> {
        self.rows().get(self.table.cursor).copied()
    }

    pub fn problem_count(&self) -> usize {
        self.warnings.problems()
    }
}
