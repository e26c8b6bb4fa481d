//! The investigation playbooks of CLOUDTRAIL.md as Lake queries: a leaked key's activity, the
//! roles it assumed, its source IP across accounts, what an assumed role did, its successful
//! writes, the keys it created, the S3 objects it read or deleted, Identity Center
//! federation, denied calls and VPC-endpoint evidence. Each is bounded by the session's
//! window; parameters are filled from the selected event or the current pivot and always
//! written as literals (`sql::literal`), in one pass, so a value can never add SQL.

use super::sql::{events_query, literal, time_bounds, Window};

/// What a template asks for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// An access key id (`userIdentity.accessKeyId`).
    Key,
    /// A source IP address.
    Ip,
    /// A role's ARN (`sessionContext.sessionIssuer.arn`).
    Role,
    /// A principal's ARN (`userIdentity.arn`).
    Arn,
    /// A key chain: a key and every key it minted, comma-separated (Athena's `key-chain`).
    Chain,
}

impl Param {
    pub fn name(self) -> &'static str {
        match self {
            Param::Key => "key",
            Param::Ip => "ip",
            Param::Role => "role",
            Param::Arn => "arn",
            Param::Chain => "chain",
        }
    }

    pub fn by_name(name: &str) -> Option<Param> {
        [Param::Key, Param::Ip, Param::Role, Param::Arn, Param::Chain]
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }
}

/// A playbook step. `body` is either a condition on whole events (the rows rebuild events
/// that join the store) or a whole aggregate statement (the rows fill a results table);
/// `{store}`, `{window}` and `{param}` are filled by `render`.
pub struct Template {
    pub name: &'static str,
    pub title: &'static str,
    pub params: &'static [Param],
    pub body: Body,
}

pub enum Body {
    Events(&'static str),
    Table(&'static str),
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "key-activity",
        title: "Everything done with an access key",
        params: &[Param::Key],
        body: Body::Events("userIdentity.accessKeyId = {key}"),
    },
    Template {
        name: "roles-assumed",
        title: "Sessions and roles a key minted (AssumeRole, GetSessionToken…)",
        params: &[Param::Key],
        body: Body::Events(
            "userIdentity.accessKeyId = {key} AND eventName IN ('AssumeRole', \
             'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', \
             'GetFederationToken')",
        ),
    },
    Template {
        name: "ip-across-accounts",
        title: "A source IP in every account: who, how often, first and last",
        params: &[Param::Ip],
        body: Body::Table(
            "SELECT recipientAccountId, userIdentity.arn AS \"userIdentity.arn\", \
             COUNT(*) AS events, MIN(eventTime) AS first_seen, MAX(eventTime) AS last_seen\n\
             FROM {store}\nWHERE {window}\n  AND sourceIPAddress = {ip}\n\
             GROUP BY 1, 2\nORDER BY 3 DESC",
        ),
    },
    Template {
        name: "role-counts",
        title: "What a role did: calls by service and name",
        params: &[Param::Role],
        body: Body::Table(
            "SELECT eventSource, eventName, COUNT(*) AS events\nFROM {store}\n\
             WHERE {window}\n  AND userIdentity.sessionContext.sessionIssuer.arn = {role}\n\
             GROUP BY 1, 2\nORDER BY 3 DESC",
        ),
    },
    Template {
        name: "role-writes",
        title: "Successful mutating calls by a role's sessions",
        params: &[Param::Role],
        body: Body::Events(
            "userIdentity.sessionContext.sessionIssuer.arn = {role} AND readOnly = false \
             AND errorCode IS NULL",
        ),
    },
    Template {
        name: "keys-created",
        title: "Access keys created with a key (CreateAccessKey)",
        params: &[Param::Key],
        body: Body::Events("userIdentity.accessKeyId = {key} AND eventName = 'CreateAccessKey'"),
    },
    Template {
        name: "s3-objects",
        title: "S3 objects read, copied or deleted with a key",
        params: &[Param::Key],
        body: Body::Table(
            "SELECT eventTime, eventName, element_at(requestParameters, 'bucketName') AS bucket, \
             element_at(requestParameters, 'key') AS object_key, sourceIPAddress, errorCode\n\
             FROM {store}\nWHERE {window}\n  AND userIdentity.accessKeyId = {key}\n  \
             AND eventSource = 's3.amazonaws.com'\n  AND eventName IN ('GetObject', \
             'CopyObject', 'DeleteObject', 'DeleteObjects')\nORDER BY eventTime",
        ),
    },
    Template {
        name: "identity-center",
        title: "Identity Center sign-ins and the accounts they federated into",
        params: &[],
        body: Body::Events(
            "userIdentity.type = 'IdentityCenterUser' OR eventSource IN \
             ('sso.amazonaws.com', 'signin.amazonaws.com')",
        ),
    },
    Template {
        name: "denied",
        title: "Calls a principal was denied (AccessDenied, SCPs)",
        params: &[Param::Arn],
        body: Body::Events(
            "userIdentity.arn = {arn} AND (errorCode LIKE '%AccessDenied%' OR errorCode \
             LIKE '%UnauthorizedOperation%' OR errorCode = 'Forbidden')",
        ),
    },
    Template {
        name: "vpce-evidence",
        title: "SNS and SQS calls through VPC endpoints",
        params: &[],
        body: Body::Table(
            "SELECT vpcEndpointId, eventSource, eventName, COUNT(*) AS events, \
             MIN(eventTime) AS first_seen, MAX(eventTime) AS last_seen\nFROM {store}\n\
             WHERE {window}\n  AND eventSource IN ('sns.amazonaws.com', 'sqs.amazonaws.com')\n  \
             AND vpcEndpointId IS NOT NULL\nGROUP BY 1, 2, 3\nORDER BY 4 DESC",
        ),
    },
];

pub fn by_name(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

impl Template {
    /// The statement for `store` and `window`, with `value` giving each parameter; the first
    /// parameter without a value is the error.
    pub fn render(
        &self,
        store: &str,
        window: Window,
        value: impl Fn(Param) -> Option<String>,
    ) -> Result<String, String> {
        let mut values = Vec::new();
        for &p in self.params {
            match value(p).filter(|v| !v.is_empty()) {
                Some(v) => values.push((p.name(), literal(&v))),
                None => {
                    return Err(format!(
                        "{} needs --param {}=… (or an event with one selected)",
                        self.name,
                        p.name()
                    ))
                }
            }
        }
        values.push(("store", store.to_string()));
        values.push(("window", time_bounds(window)));
        Ok(match &self.body {
            Body::Events(condition) => events_query(store, window, Some(&fill(condition, &values))),
            Body::Table(statement) => fill(statement, &values),
        })
    }
}

/// Replaces each `{name}` with its value in one pass: text a value brings in is never read
/// again, so a value that looks like `{ip}` stays a literal.
pub(crate) fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v, close))
        });
        match named {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::EventTime;

    fn window() -> Window {
        Window {
            start: EventTime::from_millis(1_700_000_000_000),
            end: EventTime::from_millis(1_700_086_400_000),
        }
    }

    #[test]
    fn a_value_that_looks_like_a_placeholder_stays_a_literal() {
        let t = by_name("ip-across-accounts").map(|t| {
            t.render("abc-123", window(), |p| match p {
                Param::Ip => Some("{window}' OR 1=1 --".to_string()),
                _ => None,
            })
        });
        let sql = t.and_then(Result::ok).unwrap_or_default();
        assert!(
            sql.contains("sourceIPAddress = '{window}'' OR 1=1 --'"),
            "{sql}"
        );
        assert_eq!(sql.matches("eventTime >=").count(), 1);
    }

    #[test]
    fn every_template_is_bounded_and_says_what_it_lacks() {
        for t in TEMPLATES {
            let sql = t.render("abc-123", window(), |_| Some("x".into()));
            let sql = sql.unwrap_or_default();
            assert!(
                sql.contains("eventTime >= '2023-11-14 22:13:20'"),
                "{}",
                t.name
            );
            assert!(sql.contains("FROM abc-123"), "{}", t.name);
            if let Some(p) = t.params.first() {
                let err = t.render("abc-123", window(), |_| None).err();
                assert!(err.is_some_and(|e| e.contains(p.name())), "{}", t.name);
            }
        }
    }
}
