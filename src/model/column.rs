//! Table columns: header, preferred width, and the text of a cell. Cell text is sanitized
//! here, once, so no caller can forget.

use super::event::Event;
use super::sanitize::visible;
use super::store::Store;

#[derive(Copy, Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Column {
    Time,
    Event,
    Source,
    Principal,
    SourceIp,
    Region,
    Error,
    AccessKey,
    Account,
    UserAgent,
    IdentityType,
    ReadOnly,
    EventId,
    Target,
}

/// Every column, in the order the column chooser lists them.
pub const ALL_COLUMNS: [Column; 14] = [
    Column::Time,
    Column::Event,
    Column::Principal,
    Column::SourceIp,
    Column::Error,
    Column::Target,
    Column::Source,
    Column::Region,
    Column::AccessKey,
    Column::Account,
    Column::UserAgent,
    Column::IdentityType,
    Column::ReadOnly,
    Column::EventId,
];

/// In order of importance: narrow terminals drop columns from the end of this list first,
/// and shorten the first six (`Column::squeezed_width`) before dropping any of them.
pub const DEFAULT_COLUMNS: [Column; 8] = [
    Column::Time,
    Column::Event,
    Column::Principal,
    Column::SourceIp,
    Column::Error,
    Column::Target,
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
            Column::AccessKey => "ACCESS KEY",
            Column::Account => "ACCOUNT",
            Column::UserAgent => "USER AGENT",
            Column::IdentityType => "IDENTITY",
            Column::ReadOnly => "RO",
            Column::EventId => "EVENT ID",
            Column::Target => "TARGET",
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
            Column::AccessKey => (20, 20),
            Column::Account => (12, 12),
            Column::UserAgent => (16, 40),
            Column::IdentityType => (8, 14),
            Column::ReadOnly => (2, 3),
            Column::EventId => (12, 36),
            Column::Target => (16, 60),
        }
    }

    /// How narrow the table draws this column, its text cut with `…`, before it drops it:
    /// time, event, principal, source IP, error and target stay at 80 columns, marks gutter
    /// and all (71 cells and 5 gaps: the time and address whole, the rest shortened); other
    /// columns are dropped rather than squeezed.
    pub fn squeezed_width(self) -> Option<u16> {
        match self {
            Column::Time => Some(19),
            Column::SourceIp => Some(15),
            Column::Target => Some(11),
            Column::Event | Column::Principal => Some(10),
            Column::Error => Some(6),
            _ => None,
        }
    }

    /// Whether a cell too long for its column loses its middle rather than its end: ARNs,
    /// keys and object paths say the most at both ends (the account and the name, the bucket
    /// and the file).
    pub fn cuts_in_the_middle(self) -> bool {
        matches!(
            self,
            Column::Principal | Column::Target | Column::AccessKey | Column::EventId
        )
    }

    pub fn cell(self, store: &Store, e: &Event) -> String {
        let raw = match self {
            Column::Time => return e.time.format_utc(),
            Column::Event => store.text(e.name),
            Column::Source => {
                let s = store.text(e.source);
                s.strip_suffix(".amazonaws.com").unwrap_or(s)
            }
            Column::Principal => store.interner.resolve(store.principal_name(e)),
            Column::SourceIp => store.text(e.source_ip),
            Column::Region => store.text(e.region),
            Column::Error => store.text(e.error_code),
            Column::AccessKey => store.text(e.identity.access_key_id),
            Column::Account => store.text(e.account),
            Column::UserAgent => store.text(e.user_agent),
            Column::IdentityType => store.text(e.identity.kind),
            Column::ReadOnly => match e.read_only {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
            Column::EventId => return visible(&id_text(e)).into_owned(),
            Column::Target => store.text(e.target),
        };
        visible(raw).into_owned()
    }
}

impl Column {
    /// The interned value a column sorts by; `None` for columns sorted otherwise.
    pub fn sort_sym(self, store: &Store, e: &Event) -> Option<super::intern::Sym> {
        match self {
            Column::Event => e.name,
            Column::Source => e.source,
            Column::Principal => Some(store.principal_name(e)),
            Column::SourceIp => e.source_ip,
            Column::Region => e.region,
            Column::Error => e.error_code,
            Column::AccessKey => e.identity.access_key_id,
            Column::Account => e.account,
            Column::UserAgent => e.user_agent,
            Column::IdentityType => e.identity.kind,
            Column::Target => e.target,
            Column::Time | Column::ReadOnly | Column::EventId => None,
        }
    }
}

/// An event's eventID as written, or nothing.
fn id_text(e: &Event) -> std::borrow::Cow<'_, str> {
    e.event_id
        .as_ref()
        .map(super::id::Id::text)
        .unwrap_or_default()
}
