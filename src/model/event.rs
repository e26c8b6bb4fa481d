//! An event in the store: hot fields interned (4 bytes each), the raw record kept compact
//! for the detail pane.

use super::intern::Sym;
use super::principal::PrincipalKind;
use super::time::EventTime;

#[derive(Debug, Clone)]
pub struct Event {
    pub time: EventTime,
    pub name: Option<Sym>,
    pub source: Option<Sym>,
    pub region: Option<Sym>,
    pub account: Option<Sym>,
    pub source_ip: Option<Sym>,
    pub user_agent: Option<Sym>,
    /// `errorCode`, or `outcome::FAILURE` for a failure recorded elsewhere (a refused
    /// ConsoleLogin): every reader of the error field sees both.
    pub error_code: Option<Sym>,
    pub event_type: Option<Sym>,
    pub category: Option<Sym>,
    pub vpce: Option<Sym>,
    /// What the call acted on (`model::target`): a bucket/key, a user, a trail, an instance.
    pub target: Option<Sym>,
    pub event_version: Option<Sym>,
    pub read_only: Option<bool>,
    pub management: Option<bool>,
    pub principal_kind: PrincipalKind,
    pub principal: Sym,
    pub principal_name: Sym,
    pub identity: Identity,
    pub resources: Box<[Resource]>,
    pub event_id: Option<super::id::Id>,
    pub request_id: Option<super::id::Id>,
    /// `errorMessage`, interned: the same few messages repeat (12 bytes less per event than
    /// a box of its own).
    pub error_message: Option<Sym>,
    pub raw: super::raw::Raw,
}

/// `userIdentity`, interned: the fields read after the load. `record::IdentityRecord` has
/// more (`sourceIdentity`, `identityProvider`, `identityStoreArn`), which only name the
/// principal (`principal::resolve`) and are not kept twice (12 bytes per event).
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub kind: Option<Sym>,
    pub arn: Option<Sym>,
    pub account_id: Option<Sym>,
    pub principal_id: Option<Sym>,
    pub access_key_id: Option<Sym>,
    pub user_name: Option<Sym>,
    pub invoked_by: Option<Sym>,
    pub issuer_arn: Option<Sym>,
    pub issuer_name: Option<Sym>,
    pub issuer_kind: Option<Sym>,
    pub on_behalf_of_user_id: Option<Sym>,
    pub credential_id: Option<Sym>,
    pub sign_in_name: Option<Sym>,
    pub auth_workflow: Option<Sym>,
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub arn: Option<Sym>,
    pub kind: Option<Sym>,
    pub account_id: Option<Sym>,
}

impl Event {
    /// Failed: an `errorCode`, or a failure CloudTrail records elsewhere (`model::outcome`).
    pub fn is_error(&self) -> bool {
        self.error_code.is_some()
    }

    pub fn is_root(&self) -> bool {
        self.principal_kind == PrincipalKind::Root
    }
}

#[cfg(test)]
mod tests {
    /// A million events are a million of these: a field added here costs a megabyte per 4
    /// bytes at 1M events, so growing it should be a decision, not an accident.
    #[test]
    fn an_event_stays_small() {
        assert!(
            std::mem::size_of::<super::Event>() <= 208,
            "{} bytes",
            std::mem::size_of::<super::Event>()
        );
    }
}
