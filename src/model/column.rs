//! Table columns: header, preferred width, and the text of a cell. Cell text is sanitized
//! here, once, so no caller can forget.

use super::event::Event;
use super::sanitize::visible;
use super::store::Store;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Column {
    Time,
    Event,
    Source,
    Principal,
    SourceIp,
    Region,
    Error,
}

/// In order of importance: narrow terminals drop columns from the end of this list first.
pub const DEFAULT_COLUMNS: [Column; 7] = [
    Column::Time,
    Column::Event,
    Column::Principal,
    Column::SourceIp,
    Column::Error,
    Column::Source,
    Column::Region,
];

impl Column {
    pub fn header(self) -> &'static str {
        match self {
            Column::Time => "TIME (UTC)",
            Column::Event => "EVENT",
            Column::Source => "SOURCE",
            Column::Principal => "PRINCIPAL",
            Column::SourceIp => "SOURCE IP",
            Column::Region => "REGION",
            Column::Error => "ERROR",
        }
    }

    /// (minimum, preferred) width in cells.
    pub fn widths(self) -> (u16, u16) {
        match self {
            Column::Time => (19, 19),
            Column::Event => (16, 26),
            Column::Source => (8, 14),
            Column::Principal => (16, 34),
            Column::SourceIp => (15, 15),
            Column::Region => (9, 14),
            Column::Error => (12, 24),
        }
    }

    pub fn cell(self, store: &Store, e: &Event) -> String {
        let raw = match self {
            Column::Time => return e.time.format_utc(),
            Column::Event => store.text(e.name),
            Column::Source => {
                let s = store.text(e.source);
                s.strip_suffix(".amazonaws.com").unwrap_or(s)
            }
            Column::Principal => store.interner.resolve(e.principal_name),
            Column::SourceIp => store.text(e.source_ip),
            Column::Region => store.text(e.region),
            Column::Error => store.text(e.error_code),
        };
        visible(raw).into_owned()
    }
}
