//! The filterable fields again, column by column. A filter over a million events reads one
//! 4 MB column per condition instead of jumping through 200-byte events in time order, which
//! is what keeps a keystroke under a frame. Each column also lists its distinct values, so a
//! condition is decided once per value that actually occurs in that field.

use super::event::Event;
use super::intern::{Interner, Sym};
use super::time::EventTime;

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
    syms: [Vec<Option<Sym>>; COLS],
    distinct: [Vec<Sym>; COLS],
    /// Which symbols each column has seen (bit per interned string), for `distinct`.
    seen: [Vec<u64>; COLS],
    pub time: Vec<EventTime>,
    pub read_only: Vec<Option<bool>>,
}

impl Columns {
    /// Heap bytes of every column, its distinct values and its seen-sets.
    pub(crate) fn heap_bytes(&self) -> usize {
        let syms: usize = self.syms.iter().map(|c| c.capacity() * 4).sum();
        let distinct: usize = self.distinct.iter().map(|c| c.capacity() * 4).sum();
        let seen: usize = self.seen.iter().map(|c| c.capacity() * 8).sum();
        syms + distinct + seen + self.time.capacity() * 8 + self.read_only.capacity()
    }

    /// Appends an event (its index must be the current length).
    pub fn push(&mut self, e: &Event) {
        for (c, col) in Col::ALL.iter().enumerate() {
            let sym = col.of(e);
            self.syms[c].push(sym);
            if let Some(s) = sym {
                let i = Interner::index_of(s);
                let seen = &mut self.seen[c];
                if seen.len() <= i / 64 {
                    seen.resize(i / 64 + 1, 0);
                }
                if seen[i / 64] & (1 << (i % 64)) == 0 {
                    seen[i / 64] |= 1 << (i % 64);
                    self.distinct[c].push(s);
                }
            }
        }
        self.time.push(e.time);
        self.read_only.push(e.read_only);
    }

    #[inline]
    pub fn get(&self, col: Col, idx: u32) -> Option<Sym> {
        self.syms[col as usize].get(idx as usize).copied().flatten()
    }

    /// The distinct values a column holds, in order of first appearance.
    pub fn distinct(&self, col: Col) -> &[Sym] {
        &self.distinct[col as usize]
    }
}
