//! The filterable fields again, column by column. A filter over a million events reads one
//! column of 1 to 4 MB (`cells`) per condition instead of jumping through 200-byte events in
//! time order, which is what keeps a keystroke under a frame. Each column also lists its
//! distinct values, so a condition is decided once per value that actually occurs in that
//! field.

use super::event::Event;
use super::intern::Sym;
use super::record::Record;

mod cells;
use cells::Cells;
pub use cells::ValueSet;

/// A symbol column.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Col {
    Name,
    Source,
    Region,
    Account,
    SourceIp,
    UserAgent,
    ErrorCode,
    Category,
    Vpce,
    IdentityType,
    Arn,
    CallerAccount,
    Principal,
    PrincipalName,
    UserName,
    SignInName,
    AccessKey,
    PrincipalId,
    IssuerName,
    IssuerArn,
    CredentialId,
    AuthWorkflow,
    Target,
}

const COLS: usize = 23;

impl Col {
    fn of(self, e: &Event) -> Option<Sym> {
        let id = &e.identity;
        match self {
            Col::Name => e.name,
            Col::Source => e.source,
            Col::Region => e.region,
            Col::Account => e.account,
            Col::SourceIp => e.source_ip,
            Col::UserAgent => e.user_agent,
            Col::ErrorCode => e.error_code,
            Col::Category => e.category,
            Col::Vpce => e.vpce,
            Col::IdentityType => id.kind,
            Col::Arn => id.arn,
            Col::CallerAccount => id.account_id,
            Col::Principal => Some(e.principal),
            Col::PrincipalName => Some(e.principal_name),
            Col::UserName => id.user_name,
            Col::SignInName => id.sign_in_name,
            Col::AccessKey => id.access_key_id,
            Col::PrincipalId => id.principal_id,
            Col::IssuerName => id.issuer_name,
            Col::IssuerArn => id.issuer_arn,
            Col::CredentialId => id.credential_id,
            Col::AuthWorkflow => id.auth_workflow,
            Col::Target => e.target,
        }
    }

    /// What `of` gives for the event a store makes of `r`, read off the record: a store keeps
    /// no empty text (`Interner::intern_opt`). `None` for the principal's two columns, which
    /// `principal::resolve` works out rather than the record holding them.
    pub(crate) fn of_record(self, r: &Record) -> Option<&str> {
        let id = r.identity.as_ref();
        let text = match self {
            Col::Principal | Col::PrincipalName => None,
            Col::Name => r.name.as_deref(),
            Col::Source => r.source.as_deref(),
            Col::Region => r.region.as_deref(),
            Col::Account => r.account.as_deref(),
            Col::SourceIp => r.source_ip.as_deref(),
            Col::UserAgent => r.user_agent.as_deref(),
            Col::ErrorCode => r.error_code.as_deref(),
            Col::Category => r.category.as_deref(),
            Col::Vpce => r.vpce.as_deref(),
            Col::Target => r.target.as_deref(),
            Col::IdentityType => id.and_then(|id| id.kind.as_deref()),
            Col::Arn => id.and_then(|id| id.arn.as_deref()),
            Col::CallerAccount => id.and_then(|id| id.account_id.as_deref()),
            Col::UserName => id.and_then(|id| id.user_name.as_deref()),
            Col::SignInName => id.and_then(|id| id.sign_in_name.as_deref()),
            Col::AccessKey => id.and_then(|id| id.access_key_id.as_deref()),
            Col::PrincipalId => id.and_then(|id| id.principal_id.as_deref()),
            Col::IssuerName => id.and_then(|id| id.issuer_name.as_deref()),
            Col::IssuerArn => id.and_then(|id| id.issuer_arn.as_deref()),
            Col::CredentialId => id.and_then(|id| id.credential_id.as_deref()),
            Col::AuthWorkflow => id.and_then(|id| id.auth_workflow.as_deref()),
        };
        text.filter(|t| !t.is_empty())
    }

    const ALL: [Col; COLS] = [
        Col::Name,
        Col::Source,
        Col::Region,
        Col::Account,
        Col::SourceIp,
        Col::UserAgent,
        Col::ErrorCode,
        Col::Category,
        Col::Vpce,
        Col::IdentityType,
        Col::Arn,
        Col::CallerAccount,
        Col::Principal,
        Col::PrincipalName,
        Col::UserName,
        Col::SignInName,
        Col::AccessKey,
        Col::PrincipalId,
        Col::IssuerName,
        Col::IssuerArn,
        Col::CredentialId,
        Col::AuthWorkflow,
        Col::Target,
    ];
}

#[derive(Default, Debug)]
pub struct Columns {
    cells: [Cells; COLS],
    pub read_only: Vec<Option<bool>>,
}

impl Columns {
    /// Heap bytes of every column, its distinct values and its lookups.
    pub(crate) fn heap_bytes(&self) -> usize {
        let cells: usize = self.cells.iter().map(Cells::heap_bytes).sum();
        cells + self.read_only.capacity()
    }

    /// Appends an event (its index must be the current length).
    pub fn push(&mut self, e: &Event) {
        let len = self.read_only.len();
        for (cells, col) in self.cells.iter_mut().zip(Col::ALL) {
            cells.push(len, col.of(e));
        }
        self.read_only.push(e.read_only);
    }

    /// The column's value for event `idx` (`None` too for a column nothing has filled).
    #[inline]
    pub fn get(&self, col: Col, idx: u32) -> Option<Sym> {
        self.cells[col as usize].get(idx as usize)
    }

    /// The values of a column that `wanted` picks, as a set a scan tests with one bit per
    /// event instead of turning each event's code back into a symbol. Built per condition.
    pub fn value_set(&self, col: Col, wanted: impl Fn(Sym) -> bool) -> ValueSet {
        self.cells[col as usize].value_set(wanted)
    }

    /// Whether event `idx` has a value in `set` (built by `value_set` for this column, with
    /// the same `wanted`, which decides the values that appeared after the set was built).
    #[inline]
    pub fn holds(&self, col: Col, idx: u32, set: &ValueSet, wanted: impl Fn(Sym) -> bool) -> bool {
        self.cells[col as usize].holds(idx as usize, set, wanted)
    }

    /// The distinct values a column holds, in order of first appearance.
    pub fn distinct(&self, col: Col) -> &[Sym] {
        self.cells[col as usize].distinct()
    }
}

#[cfg(test)]
mod tests {
    use super::Col;
    use crate::model::parse::parse_text;
    use crate::model::store::Store;

    fn store(records: &[&str]) -> Store {
        let text = format!("{{\"Records\":[{}]}}", records.join(","));
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&std::sync::Arc::from("t"), &text, &mut sink);
        let mut s = Store::default();
        s.insert_batch(sink.0);
        s
    }

    /// A column filled late reads `None` before its first value and its values after; one
    /// never filled reads `None` everywhere and holds nothing.
    #[test]
    fn a_column_filled_late_or_never_reads_the_same() {
        let rec = |id: u32, code: &str| {
            format!(
                r#"{{"eventTime":"2024-05-01T00:00:{id:02}Z","eventName":"E{id}","eventID":"e{id}"{code}}}"#
            )
        };
        let texts = [
            rec(0, ""),
            rec(1, ""),
            rec(2, r#","errorCode":"AccessDenied""#),
            rec(3, ""),
            rec(4, r#","errorCode":"Throttling""#),
        ];
        let s = store(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(s.len(), 5);
        let codes: Vec<&str> = (0..5)
            .map(|i| s.text(s.columns.get(Col::ErrorCode, i)))
            .collect();
        assert_eq!(codes, ["", "", "AccessDenied", "", "Throttling"]);
        for i in 0..5 {
            assert_eq!(s.columns.get(Col::ErrorCode, i), s.event(i).error_code);
            assert_eq!(s.columns.get(Col::Vpce, i), None);
        }
        assert_eq!(s.columns.cells[Col::Vpce as usize].width(), 0);
        assert_eq!(s.columns.cells[Col::Vpce as usize].heap_bytes(), 0);
        assert_eq!(s.columns.cells[Col::ErrorCode as usize].width(), 1);
    }
}
