//! One event as rules read it: its interned columns straight from the store, and the rest of
//! the record (requestParameters, responseElements…) parsed from its raw JSON only when a rule
//! that already passed its column tests asks, and then once for all rules.

use crate::model::event::Event;
use crate::model::raw::RawText;
use crate::model::store::{EventIdx, Store};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::OnceCell;

/// Fields the store keeps interned as the record has them (an empty string is kept as absent):
/// rules test these by symbol (decided once per distinct value), never by parsing.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum ColField {
    EventName,
    EventSource,
    Region,
    SourceIp,
    UserAgent,
    EventType,
    IdentityType,
    IdentityArn,
    AccessKeyId,
    PrincipalId,
    CallerAccount,
    UserName,
    InvokedBy,
    IssuerType,
    IssuerArn,
    IssuerUserName,
}

impl ColField {
    /// The column a CloudTrail field path reads, if the store keeps it verbatim.
    pub(crate) fn of_path(path: &str) -> Option<ColField> {
        Some(match path {
            "eventName" => ColField::EventName,
            "eventSource" => ColField::EventSource,
            "awsRegion" => ColField::Region,
            "sourceIPAddress" => ColField::SourceIp,
            "userAgent" => ColField::UserAgent,
            "eventType" => ColField::EventType,
            "userIdentity.type" => ColField::IdentityType,
            "userIdentity.arn" => ColField::IdentityArn,
            "userIdentity.accessKeyId" => ColField::AccessKeyId,
            "userIdentity.principalId" => ColField::PrincipalId,
            "userIdentity.accountId" => ColField::CallerAccount,
            "userIdentity.userName" => ColField::UserName,
            "userIdentity.invokedBy" => ColField::InvokedBy,
            "userIdentity.sessionContext.sessionIssuer.type" => ColField::IssuerType,
            "userIdentity.sessionContext.sessionIssuer.arn" => ColField::IssuerArn,
            "userIdentity.sessionContext.sessionIssuer.userName" => ColField::IssuerUserName,
            _ => return None,
        })
    }

    pub(crate) fn sym(self, e: &Event) -> Option<crate::model::intern::Sym> {
        match self {
            ColField::EventName => e.name,
            ColField::EventSource => e.source,
            ColField::Region => e.region,
            ColField::SourceIp => e.source_ip,
            ColField::UserAgent => e.user_agent,
            ColField::EventType => e.event_type,
            ColField::IdentityType => e.identity.kind,
            ColField::IdentityArn => e.identity.arn,
            ColField::AccessKeyId => e.identity.access_key_id,
            ColField::PrincipalId => e.identity.principal_id,
            ColField::CallerAccount => e.identity.account_id,
            ColField::UserName => e.identity.user_name,
            ColField::InvokedBy => e.identity.invoked_by,
            ColField::IssuerType => e.identity.issuer_kind,
            ColField::IssuerArn => e.identity.issuer_arn,
            ColField::IssuerUserName => e.identity.issuer_name,
        }
    }
}

/// A value found at a path: its text (numbers and booleans as JSON writes them, objects and
/// lists as compact JSON, so `requestParameters|contains` searches the whole object).
pub(crate) type Leaf<'a> = Cow<'a, str>;

pub(crate) struct Subject<'s> {
    pub(crate) store: &'s Store,
    pub(crate) event: &'s Event,
    json: OnceCell<Option<Value>>,
    /// The record's JSON, inflated from its block once.
    text: OnceCell<RawText>,
}

impl<'s> Subject<'s> {
    pub(crate) fn new(store: &'s Store, idx: EventIdx) -> Subject<'s> {
        Subject {
            store,
            event: store.event(idx),
            json: OnceCell::new(),
            text: OnceCell::new(),
        }
    }

    fn json(&self) -> Option<&Value> {
        self.json
            .get_or_init(|| serde_json::from_str(self.raw()).ok())
            .as_ref()
    }

    /// The raw record, for keyword rules.
    pub(crate) fn raw(&self) -> &str {
        self.text.get_or_init(|| self.event.raw.text())
    }

    /// The values at a dotted path (`requestParameters.containerDefinitions.command`): a list
    /// on the way fans out, so any member's value counts. `None` when the path is absent or
    /// null: Sigma's `null` matches exactly that.
    pub(crate) fn leaves(&self, path: &[String]) -> Option<Vec<Leaf<'_>>> {
        let root = self.json()?;
        let mut out = Vec::new();
        collect(root, path, &mut out);
        (!out.is_empty()).then_some(out)
    }
}

fn collect<'v>(value: &'v Value, path: &[String], out: &mut Vec<Leaf<'v>>) {
    // Bounded: a forged record cannot make this walk more than its own size.
    if out.len() > 4096 {
        return;
    }
    match (value, path.split_first()) {
        (Value::Array(items), _) if !path.is_empty() => {
            for item in items {
                collect(item, path, out);
            }
        }
        (Value::Object(map), Some((head, rest))) => {
            if let Some(v) = map.get(head.as_str()) {
                collect(v, rest, out);
            }
        }
        (_, Some(_)) | (Value::Null, None) => {}
        (Value::String(s), None) => out.push(Cow::Borrowed(s)),
        (Value::Array(items), None) => {
            // A list of scalars: each member is a value (and the list as a whole, for
            // `|contains` over its text).
            for item in items {
                if let Value::String(s) = item {
                    out.push(Cow::Borrowed(s));
                } else if !item.is_null() {
                    out.push(Cow::Owned(item.to_string()));
                }
            }
        }
        (other, None) => out.push(Cow::Owned(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse::parse_text;
    use std::sync::Arc;

    #[test]
    fn paths_fan_out_over_lists_and_stop_at_null() {
        let text = r#"{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"RunTask","eventSource":"ecs.amazonaws.com","requestParameters":{"enable":false,"containerDefinitions":[{"command":["sh","-c","curl x"]},{"command":["true"]}],"none":null}}]}"#;
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&Arc::from("t"), text, &mut sink);
        let mut store = Store::default();
        store.insert_batch(sink.0);
        let s = Subject::new(&store, 0);
        let path = |p: &str| p.split('.').map(String::from).collect::<Vec<_>>();
        let cmd = s
            .leaves(&path("requestParameters.containerDefinitions.command"))
            .unwrap_or_default();
        assert_eq!(cmd, vec!["sh", "-c", "curl x", "true"]);
        assert_eq!(
            s.leaves(&path("requestParameters.enable"))
                .unwrap_or_default(),
            vec!["false"]
        );
        assert_eq!(s.leaves(&path("requestParameters.none")), None);
        assert_eq!(s.leaves(&path("responseElements.x")), None);
        let whole = s.leaves(&path("requestParameters")).unwrap_or_default();
        assert!(whole[0].contains("curl x"));
    }
}
