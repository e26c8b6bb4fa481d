//! The fields a filter can name, their aliases, and how their values match. The help overlay
//! is written from `FIELDS`, and tests/cli_docs.rs fails when docs/filter-language.md misses a
//! name or alias listed here, so neither can drift from the parser.

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Field {
    Principal,
    Arn,
    Key,
    Ip,
    Event,
    Source,
    Region,
    Account,
    Error,
    UserAgent,
    Resource,
    Target,
    Type,
    ReadOnly,
    Category,
    Vpce,
    Session,
    Role,
    Lineage,
    Portal,
    SignIn,
    Id,
    Finding,
    After,
    Before,
}

/// How a field's value is compared.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum MatchKind {
    /// Case-insensitive substring; a glob (`*`, `?`) must match the whole value.
    Contains,
    /// The whole value, case-insensitive; globs allowed.
    Whole,
    /// The whole value, exactly (identifiers); globs allowed.
    Exact,
    /// Exact address, CIDR block, or glob.
    Address,
    /// `any`, `none`, or an error-code glob.
    ErrorCode,
    /// true / false.
    Bool,
    /// RFC 3339 time, a date, or a relative age like `-3h`.
    Time,
}

pub struct FieldSpec {
    pub field: Field,
    /// The first name is the canonical one.
    pub names: &'static [&'static str],
    pub kind: MatchKind,
    pub help: &'static str,
}

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        field: Field::Principal,
        names: &["principal", "user", "who"],
        kind: MatchKind::Contains,
        help: "who: principal name or ARN, userName",
    },
    FieldSpec {
        field: Field::Arn,
        names: &["arn"],
        kind: MatchKind::Contains,
        help: "userIdentity.arn",
    },
    FieldSpec {
        field: Field::Key,
        names: &["key", "akid"],
        kind: MatchKind::Exact,
        help: "access key ID (AKIA…/ASIA…)",
    },
    FieldSpec {
        field: Field::Ip,
        names: &["ip"],
        kind: MatchKind::Address,
        help: "sourceIPAddress: exact, CIDR (10.0.0.0/8) or glob",
    },
    FieldSpec {
        field: Field::Event,
        names: &["event", "name"],
        kind: MatchKind::Whole,
        help: "eventName: whole name or glob (Delete*)",
    },
    FieldSpec {
        field: Field::Source,
        names: &["source", "service"],
        kind: MatchKind::Contains,
        help: "eventSource (s3, iam.amazonaws.com)",
    },
    FieldSpec {
        field: Field::Region,
        names: &["region"],
        kind: MatchKind::Contains,
        help: "awsRegion",
    },
    FieldSpec {
        field: Field::Account,
        names: &["account"],
        kind: MatchKind::Exact,
        help: "recipientAccountId or the caller's account",
    },
    FieldSpec {
        field: Field::Error,
        names: &["error", "err"],
        kind: MatchKind::ErrorCode,
        help: "errorCode, or Failure for a failed sign-in: any, none, or a code glob",
    },
    FieldSpec {
        field: Field::UserAgent,
        names: &["ua", "agent"],
        kind: MatchKind::Contains,
        help: "userAgent",
    },
    FieldSpec {
        field: Field::Resource,
        names: &["resource", "res"],
        kind: MatchKind::Contains,
        help: "resources[].ARN",
    },
    FieldSpec {
        field: Field::Target,
        names: &["target"],
        kind: MatchKind::Contains,
        help: "what the call acted on: bucket/key, user, role, trail, instance…",
    },
    FieldSpec {
        field: Field::Type,
        names: &["type"],
        kind: MatchKind::Whole,
        help: "identity type (IAMUser, AssumedRole, Root…)",
    },
    FieldSpec {
        field: Field::ReadOnly,
        names: &["readonly", "ro"],
        kind: MatchKind::Bool,
        help: "readOnly: true or false",
    },
    FieldSpec {
        field: Field::Category,
        names: &["category"],
        kind: MatchKind::Whole,
        help: "eventCategory (Management, Data, Insight)",
    },
    FieldSpec {
        field: Field::Vpce,
        names: &["vpce"],
        kind: MatchKind::Contains,
        help: "vpcEndpointId (any: through any endpoint)",
    },
    FieldSpec {
        field: Field::Session,
        names: &["session"],
        kind: MatchKind::Contains,
        help: "role session name",
    },
    FieldSpec {
        field: Field::Role,
        names: &["role"],
        kind: MatchKind::Contains,
        help: "the role behind a session (sessionIssuer)",
    },
    FieldSpec {
        field: Field::Lineage,
        names: &["lineage", "chain"],
        kind: MatchKind::Exact,
        help: "a credential's whole chain: its key or principal, what it minted, the minting",
    },
    FieldSpec {
        field: Field::Portal,
        names: &["portal", "credential"],
        kind: MatchKind::Exact,
        help: "Identity Center access-portal session (userIdentity.credentialId)",
    },
    FieldSpec {
        field: Field::SignIn,
        names: &["signin", "workflow"],
        kind: MatchKind::Exact,
        help: "one sign-in's steps (additionalEventData.AuthWorkflowID)",
    },
    FieldSpec {
        field: Field::Id,
        names: &["id"],
        kind: MatchKind::Exact,
        help: "eventID or requestID",
    },
    FieldSpec {
        field: Field::Finding,
        names: &["finding", "rule"],
        kind: MatchKind::Exact,
        help: "events that raised a detection rule: its id (glob), or any (the ! view lists them)",
    },
    FieldSpec {
        field: Field::After,
        names: &["after", "since"],
        kind: MatchKind::Time,
        help: "at or after a time: 2024-05-01, 2024-05-01T10:00Z, -3h",
    },
    FieldSpec {
        field: Field::Before,
        names: &["before", "until"],
        kind: MatchKind::Time,
        help: "before a time (same forms as after:)",
    },
];

impl Field {
    pub fn spec(self) -> &'static FieldSpec {
        // FIELDS lists every variant; the fallback is unreachable but keeps this total.
        FIELDS
            .iter()
            .find(|s| s.field == self)
            .unwrap_or(&FIELDS[0])
    }

    pub fn name(self) -> &'static str {
        self.spec().names[0]
    }

    /// Field by any of its names, case-insensitive.
    pub fn by_name(name: &str) -> Option<Field> {
        FIELDS
            .iter()
            .find(|s| s.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|s| s.field)
    }
}

/// Whether a longer value of this field can only match fewer events (substring semantics):
/// lets the filter bar refine the previous result instead of starting over.
pub fn substring_semantics(field: Field, narrower: &str, wider: &str) -> bool {
    field.spec().kind == MatchKind::Contains
        && !super::glob::has_wildcard(narrower)
        && !super::glob::has_wildcard(wider)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_resolve() {
        let mut seen = std::collections::HashSet::new();
        for spec in FIELDS {
            for n in spec.names {
                assert!(seen.insert(*n), "{n} twice");
                assert_eq!(Field::by_name(n), Some(spec.field));
            }
            assert_eq!(spec.field.spec().names[0], spec.field.name());
        }
        assert_eq!(Field::by_name("IP"), Some(Field::Ip));
        assert_eq!(Field::by_name("nope"), None);
    }
}
