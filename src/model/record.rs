//! One CloudTrail record as read from any input shape, before it joins the store.
//! Parsing borrows from the input text; the `Record` owns what the store will intern.

use super::checked_keys::Checked;
use super::compact::compact_json;
use super::dup_keys::first_duplicate_key;
use super::loose::{present, text, Loose};
use super::object_part::{ObjectList, ObjectPart};
use super::outcome;
use super::target;
use super::time::EventTime;
use serde::Deserialize;
use serde_json::value::RawValue;

/// The hot fields of a record, owned, plus the compact raw JSON for the detail pane.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub time: EventTime,
    pub event_id: Option<Box<str>>,
    pub request_id: Option<Box<str>>,
    pub event_version: Option<Box<str>>,
    pub name: Option<Box<str>>,
    pub source: Option<Box<str>>,
    pub region: Option<Box<str>>,
    pub account: Option<Box<str>>,
    pub source_ip: Option<Box<str>>,
    pub user_agent: Option<Box<str>>,
    /// `errorCode`, or `outcome::FAILURE` when the record says it failed elsewhere.
    pub error_code: Option<Box<str>>,
    pub error_message: Option<Box<str>>,
    pub event_type: Option<Box<str>>,
    pub category: Option<Box<str>>,
    pub vpce: Option<Box<str>>,
    pub read_only: Option<bool>,
    pub management: Option<bool>,
    pub identity: Option<IdentityRecord>,
    pub resources: Vec<ResourceRecord>,
    /// What the call acted on (`model::target`), bounded.
    pub target: Option<Box<str>>,
    /// Shared rather than owned: a session's autosave takes the records it has not written
    /// yet off the UI thread without copying them.
    pub raw: super::raw::Raw,
}

impl Default for EventTime {
    fn default() -> Self {
        EventTime::UNKNOWN
    }
}

/// `userIdentity`, every field any identity type uses (see CLOUDTRAIL.md).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityRecord {
    pub kind: Option<Box<str>>,
    pub arn: Option<Box<str>>,
    pub account_id: Option<Box<str>>,
    pub principal_id: Option<Box<str>>,
    pub access_key_id: Option<Box<str>>,
    pub user_name: Option<Box<str>>,
    pub invoked_by: Option<Box<str>>,
    pub issuer_arn: Option<Box<str>>,
    pub issuer_name: Option<Box<str>>,
    pub issuer_kind: Option<Box<str>>,
    pub source_identity: Option<Box<str>>,
    pub identity_provider: Option<Box<str>>,
    pub on_behalf_of_user_id: Option<Box<str>>,
    pub identity_store_arn: Option<Box<str>>,
    pub credential_id: Option<Box<str>>,
    /// `additionalEventData.UserName`: the typed sign-in name for `Unknown` and Identity Center.
    pub sign_in_name: Option<Box<str>>,
    /// `additionalEventData.AuthWorkflowID`: one sign-in sequence (challenge, verification,
    /// authentication). AWS says to correlate sign-in steps by it, not by `credentialId`.
    pub auth_workflow: Option<Box<str>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceRecord {
    pub arn: Option<Box<str>>,
    pub kind: Option<Box<str>>,
    pub account_id: Option<Box<str>>,
}

/// Fields that tell a record apart from a wrapper around one.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RecordView<'a> {
    #[serde(borrow, rename = "eventTime", deserialize_with = "present")]
    event_time: Option<Loose<'a>>,
    #[serde(borrow, rename = "eventVersion", deserialize_with = "present")]
    event_version: Option<Loose<'a>>,
    #[serde(borrow, rename = "eventName", deserialize_with = "present")]
    name: Option<Loose<'a>>,
    #[serde(borrow, rename = "eventSource", deserialize_with = "present")]
    source: Option<Loose<'a>>,
    #[serde(borrow, rename = "eventID", deserialize_with = "present")]
    event_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "requestID", deserialize_with = "present")]
    request_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "awsRegion", deserialize_with = "present")]
    region: Option<Loose<'a>>,
    #[serde(borrow, rename = "recipientAccountId", deserialize_with = "present")]
    account: Option<Loose<'a>>,
    #[serde(borrow, rename = "sourceIPAddress", deserialize_with = "present")]
    source_ip: Option<Loose<'a>>,
    #[serde(borrow, rename = "userAgent", deserialize_with = "present")]
    user_agent: Option<Loose<'a>>,
    #[serde(borrow, rename = "errorCode", deserialize_with = "present")]
    error_code: Option<Loose<'a>>,
    #[serde(borrow, rename = "errorMessage", deserialize_with = "present")]
    error_message: Option<Loose<'a>>,
    #[serde(borrow, rename = "eventType", deserialize_with = "present")]
    event_type: Option<Loose<'a>>,
    #[serde(borrow, rename = "eventCategory", deserialize_with = "present")]
    category: Option<Loose<'a>>,
    #[serde(borrow, rename = "vpcEndpointId", deserialize_with = "present")]
    vpce: Option<Loose<'a>>,
    #[serde(borrow, rename = "readOnly", deserialize_with = "present")]
    read_only: Option<Loose<'a>>,
    #[serde(borrow, rename = "managementEvent", deserialize_with = "present")]
    management: Option<Loose<'a>>,
    /// Read in the record's own pass, nested parts too (no second reading of its text).
    #[serde(borrow, rename = "userIdentity")]
    pub(crate) identity: Option<ObjectPart<IdentityView<'a>>>,
    #[serde(borrow)]
    resources: ObjectList<ResourceView<'a>>,
    /// Read only for the target (`model::target`), by the rule the call's name picks.
    #[serde(borrow, rename = "requestParameters")]
    request_parameters: Option<&'a RawValue>,
    #[serde(borrow, rename = "additionalEventData")]
    additional: Option<ObjectPart<AdditionalView<'a>>>,
    /// Kept unread unless `outcome` needs it: sign-in events record failure here.
    #[serde(borrow, rename = "responseElements")]
    response_elements: Option<&'a RawValue>,
    #[serde(borrow, rename = "serviceEventDetails")]
    service_event_details: Option<&'a RawValue>,
    /// Logstash and other shippers stamp their own time; used only when `eventTime` is absent.
    #[serde(borrow, rename = "@timestamp", deserialize_with = "present")]
    pub(crate) shipper_time: Option<Loose<'a>>,
    /// Wrapper shapes: a LookupEvents `Event` (record as a JSON string), envelopes of records,
    /// and SIEM/EventBridge exports that nest the record under one key.
    #[serde(borrow, rename = "CloudTrailEvent", deserialize_with = "present")]
    pub(crate) lookup_record: Option<Loose<'a>>,
    #[serde(borrow, rename = "EventTime", deserialize_with = "present")]
    pub(crate) lookup_time: Option<Loose<'a>>,
    #[serde(borrow, rename = "Records")]
    pub(crate) records: Option<&'a RawValue>,
    #[serde(borrow, rename = "Events")]
    pub(crate) events: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) event: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) detail: Option<&'a RawValue>,
    #[serde(borrow, rename = "_source")]
    pub(crate) es_source: Option<&'a RawValue>,
    #[serde(borrow, rename = "digestStartTime", deserialize_with = "present")]
    pub(crate) digest_start: Option<Loose<'a>>,
    #[serde(borrow, rename = "Type", deserialize_with = "present")]
    pub(crate) notification_type: Option<Loose<'a>>,
    /// Read through `checked_keys::Checked` (`CheckedView`): no key came twice outside the
    /// parts kept as raw text.
    #[serde(skip)]
    keys_checked: bool,
}

/// A `RecordView` read with every key compared as it is read (`checked_keys`), so the
/// record's text need not be scanned again for a key given twice, only its raw parts.
pub(crate) struct CheckedView<'a>(pub(crate) RecordView<'a>);

impl<'de> Deserialize<'de> for CheckedView<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut view = RecordView::deserialize(Checked(d))?;
        view.keys_checked = true;
        Ok(CheckedView(view))
    }
}

impl RecordView<'_> {
    /// The first key given twice in one object of the record whose text is `raw`: looked for
    /// in the whole text, or, when the reading compared keys already, in the parts it kept
    /// as raw text.
    pub(crate) fn key_twice(&self, raw: &str) -> Option<String> {
        if !self.keys_checked {
            return first_duplicate_key(raw);
        }
        [
            self.request_parameters,
            self.response_elements,
            self.service_event_details,
            self.records,
            self.events,
            self.event,
            self.detail,
            self.es_source,
        ]
        .into_iter()
        .flatten()
        .find_map(|part| first_duplicate_key(part.get()))
    }

    /// A record has at least one of CloudTrail's defining keys, even if its value is null.
    pub(crate) fn is_record(&self) -> bool {
        self.event_time.is_some()
            || self.event_version.is_some()
            || self.name.is_some()
            || self.source.is_some()
            || self.identity.is_some()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct IdentityView<'a> {
    #[serde(borrow, rename = "type", deserialize_with = "present")]
    kind: Option<Loose<'a>>,
    #[serde(borrow, deserialize_with = "present")]
    arn: Option<Loose<'a>>,
    #[serde(borrow, rename = "accountId", deserialize_with = "present")]
    account_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "principalId", deserialize_with = "present")]
    principal_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "accessKeyId", deserialize_with = "present")]
    access_key_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "userName", deserialize_with = "present")]
    user_name: Option<Loose<'a>>,
    #[serde(borrow, rename = "invokedBy", deserialize_with = "present")]
    invoked_by: Option<Loose<'a>>,
    #[serde(borrow, rename = "identityProvider", deserialize_with = "present")]
    identity_provider: Option<Loose<'a>>,
    #[serde(borrow, rename = "credentialId", deserialize_with = "present")]
    credential_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "sessionContext")]
    session: Option<ObjectPart<SessionView<'a>>>,
    #[serde(borrow, rename = "onBehalfOf")]
    on_behalf_of: Option<ObjectPart<OnBehalfOfView<'a>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SessionView<'a> {
    #[serde(borrow, rename = "sessionIssuer")]
    issuer: Option<ObjectPart<IssuerView<'a>>>,
    #[serde(borrow, rename = "sourceIdentity", deserialize_with = "present")]
    source_identity: Option<Loose<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IssuerView<'a> {
    #[serde(borrow, rename = "type", deserialize_with = "present")]
    kind: Option<Loose<'a>>,
    #[serde(borrow, deserialize_with = "present")]
    arn: Option<Loose<'a>>,
    #[serde(borrow, rename = "userName", deserialize_with = "present")]
    user_name: Option<Loose<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OnBehalfOfView<'a> {
    #[serde(borrow, rename = "userId", deserialize_with = "present")]
    user_id: Option<Loose<'a>>,
    #[serde(borrow, rename = "identityStoreArn", deserialize_with = "present")]
    identity_store_arn: Option<Loose<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AdditionalView<'a> {
    #[serde(borrow, rename = "UserName", deserialize_with = "present")]
    user_name: Option<Loose<'a>>,
    #[serde(borrow, rename = "AuthWorkflowID", deserialize_with = "present")]
    auth_workflow: Option<Loose<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResourceView<'a> {
    #[serde(borrow, rename = "ARN", deserialize_with = "present")]
    arn: Option<Loose<'a>>,
    #[serde(borrow, rename = "type", deserialize_with = "present")]
    kind: Option<Loose<'a>>,
    #[serde(borrow, rename = "accountId", deserialize_with = "present")]
    account_id: Option<Loose<'a>>,
}

fn owned(field: &Option<Loose<'_>>) -> Option<Box<str>> {
    text(field).map(Box::from)
}

/// The parts of a record nobody will read, left out when it is built: a headless count or
/// grouping never shows the raw JSON (most of the memory and a good part of the copying), nor
/// the call's target unless it asks for it (8 % of a parse, `benches/parse.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unread {
    pub raw: bool,
    pub target: bool,
}

impl Unread {
    /// Left out by either.
    pub fn union(self, other: Unread) -> Unread {
        Unread {
            raw: self.raw || other.raw,
            target: self.target || other.target,
        }
    }
}

impl RecordView<'_> {
    /// Builds the owned record; `raw_text` is the record's own JSON text, kept (compacted)
    /// unless `unread.raw`, and always for records without an eventID, whose content is their
    /// identity.
    pub(crate) fn into_record(
        self,
        raw_text: &str,
        fallback_time: Option<EventTime>,
        unread: Unread,
    ) -> (Record, Option<String>) {
        let time = text(&self.event_time)
            .and_then(EventTime::parse)
            .or(fallback_time)
            .or_else(|| text(&self.shipper_time).and_then(EventTime::parse))
            .unwrap_or(EventTime::UNKNOWN);
        let additional = self.additional.and_then(ObjectPart::object);
        let (identity, identity_problem) = match self.identity {
            None => (None, None),
            Some(ObjectPart::Object(view)) => (Some(identity_record(view, additional.as_ref())), None),
            Some(ObjectPart::Not(what)) => (
                Some(unreadable_identity()),
                Some(format!("userIdentity cannot be read (it is {what}, not an object): the principal is shown as {UNREADABLE_IDENTITY}")),
            ),
        };
        let resources: Vec<ResourceRecord> = self
            .resources
            .0
            .into_iter()
            .map(|r| ResourceRecord {
                arn: owned(&r.arn),
                kind: owned(&r.kind),
                account_id: owned(&r.account_id),
            })
            .collect();
        let target = match unread.target {
            true => None,
            false => target::of(
                text(&self.source),
                text(&self.name),
                self.request_parameters,
                resources.iter().find_map(|r| r.arn.as_deref()),
            ),
        };
        let event_id = owned(&self.event_id);
        let raw = if !unread.raw || event_id.is_none() {
            super::raw::Raw::from(compact_json(raw_text))
        } else {
            super::raw::Raw::default()
        };
        let record = Record {
            time,
            event_id,
            request_id: owned(&self.request_id),
            event_version: owned(&self.event_version),
            name: owned(&self.name),
            source: owned(&self.source),
            region: owned(&self.region),
            account: owned(&self.account),
            source_ip: owned(&self.source_ip),
            user_agent: owned(&self.user_agent),
            error_code: outcome::error_code(
                text(&self.error_code),
                outcome::Parts {
                    source: text(&self.source),
                    name: text(&self.name),
                    response_elements: self.response_elements,
                    service_event_details: self.service_event_details,
                },
            ),
            error_message: owned(&self.error_message),
            event_type: owned(&self.event_type),
            category: owned(&self.category),
            vpce: owned(&self.vpce),
            read_only: self.read_only.as_ref().and_then(Loose::as_bool),
            management: self.management.as_ref().and_then(Loose::as_bool),
            identity,
            resources,
            target,
            raw,
        };
        (record, identity_problem)
    }
}

/// `kind` of a `userIdentity` that is there but cannot be read: a string, a list, or an object
/// with a key twice (a forged file can show one name and hide another). The table says so
/// rather than guessing a principal.
pub const UNREADABLE_IDENTITY: &str = "(unreadable userIdentity)";

fn unreadable_identity() -> IdentityRecord {
    IdentityRecord {
        kind: Some(Box::from(UNREADABLE_IDENTITY)),
        ..IdentityRecord::default()
    }
}

fn identity_record(view: IdentityView, additional: Option<&AdditionalView>) -> IdentityRecord {
    let session = view.session.and_then(ObjectPart::object);
    let issuer = session
        .as_ref()
        .and_then(|s| s.issuer.as_ref())
        .and_then(|i| match i {
            ObjectPart::Object(issuer) => Some(issuer),
            ObjectPart::Not(_) => None,
        });
    let behalf = view.on_behalf_of.and_then(ObjectPart::object);
    IdentityRecord {
        kind: owned(&view.kind),
        arn: owned(&view.arn),
        account_id: owned(&view.account_id),
        principal_id: owned(&view.principal_id),
        access_key_id: owned(&view.access_key_id),
        user_name: owned(&view.user_name),
        invoked_by: owned(&view.invoked_by),
        issuer_arn: issuer.as_ref().and_then(|i| owned(&i.arn)),
        issuer_name: issuer.as_ref().and_then(|i| owned(&i.user_name)),
        issuer_kind: issuer.as_ref().and_then(|i| owned(&i.kind)),
        source_identity: session.as_ref().and_then(|s| owned(&s.source_identity)),
        identity_provider: owned(&view.identity_provider),
        on_behalf_of_user_id: behalf.as_ref().and_then(|b| owned(&b.user_id)),
        identity_store_arn: behalf.as_ref().and_then(|b| owned(&b.identity_store_arn)),
        credential_id: owned(&view.credential_id),
        sign_in_name: additional.and_then(|a| owned(&a.user_name)),
        auth_workflow: additional.and_then(|a| owned(&a.auth_workflow)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse::parse_text;
    use crate::model::warning::Warning;
    use std::sync::Arc;

    fn read(identity: &str, extra: &str) -> (Vec<Record>, Vec<Warning>) {
        let text = format!(
            r#"{{"Records":[{{"eventTime":"2026-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"e1","userIdentity":{identity}{extra}}}]}}"#
        );
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&Arc::from("t"), &text, &mut sink);
        sink
    }

    #[test]
    fn an_identity_that_is_not_an_object_is_unreadable_and_says_what_it_was() {
        for (identity, what) in [
            (r#""AIDA""#, "a string"),
            (r#"["IAMUser","arn:aws:iam::1:user/a"]"#, "a list"),
            ("7", "a number"),
        ] {
            let (records, warnings) = read(identity, "");
            let kind = records[0].identity.as_ref().and_then(|i| i.kind.as_deref());
            assert_eq!(kind, Some(UNREADABLE_IDENTITY), "{identity}");
            assert_eq!(warnings.len(), 1, "{identity}");
            assert!(
                warnings[0].to_string().contains(what),
                "{identity}: {}",
                warnings[0]
            );
        }
        let (records, warnings) = read("null", "");
        assert!(records[0].identity.is_none() && warnings.is_empty());
    }

    #[test]
    fn nested_parts_of_the_wrong_shape_are_passed_over_and_the_rest_is_read() {
        let issuer = r#"{"type":"Role","arn":"arn:aws:iam::1:role/r","userName":"r"}"#;
        let identity = format!(
            r#"{{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","sessionContext":{{"sessionIssuer":{issuer},"sourceIdentity":"si"}},"accessKeyId":"ASIA1"}}"#
        );
        let extra = r#","additionalEventData":{"UserName":"bob"},"resources":[{"ARN":"arn:1"},"x",[2],{"ARN":"arn:2"}]"#;
        let (records, warnings) = read(&identity, extra);
        assert!(warnings.is_empty(), "{warnings:?}");
        let id = records[0].identity.as_ref().expect("an identity");
        assert_eq!(id.issuer_arn.as_deref(), Some("arn:aws:iam::1:role/r"));
        assert_eq!(id.issuer_kind.as_deref(), Some("Role"));
        assert_eq!(id.source_identity.as_deref(), Some("si"));
        assert_eq!(id.access_key_id.as_deref(), Some("ASIA1"));
        assert_eq!(id.sign_in_name.as_deref(), Some("bob"));
        let arns: Vec<_> = records[0]
            .resources
            .iter()
            .map(|r| r.arn.as_deref())
            .collect();
        assert_eq!(arns, [Some("arn:1"), Some("arn:2")]);

        for session in [
            r#""s""#,
            r#"[{"sessionIssuer":{"arn":"x"}}]"#,
            r#"{"sessionIssuer":"i"}"#,
        ] {
            let identity = format!(
                r#"{{"type":"AssumedRole","sessionContext":{session},"accessKeyId":"ASIA1"}}"#
            );
            let (records, warnings) = read(&identity, r#","additionalEventData":[1]"#);
            assert!(warnings.is_empty(), "{session}: {warnings:?}");
            let id = records[0].identity.as_ref().expect("an identity");
            assert_eq!(id.kind.as_deref(), Some("AssumedRole"), "{session}");
            assert_eq!(id.access_key_id.as_deref(), Some("ASIA1"), "{session}");
            assert_eq!(id.issuer_arn, None, "{session}");
            assert_eq!(id.sign_in_name, None, "{session}");
        }
    }

    #[test]
    fn a_key_twice_in_the_identity_refuses_the_record_by_name() {
        let (records, warnings) = read(r#"{"type":"IAMUser","userName":"a","userName":"b"}"#, "");
        assert!(records.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .to_string()
                .contains("\"userName\" appears twice"),
            "{}",
            warnings[0]
        );
    }
}
