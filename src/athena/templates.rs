//! The investigation playbooks on Athena: Lake's (`lake::templates`) written for the
//! CloudTrail table (lowercase columns, `eventtime` a string, the JSON columns read with
//! `json_extract_scalar`), plus `key-chain`: everything a key and every key it minted did,
//! in every account, and the events that minted them. Each statement reads only the
//! window's partitions; parameters enter as literals, in one pass (`lake::templates::fill`).

use super::sql::{events_query, partition_predicate, time_bounds, Partitioned, Scope, Table};
use crate::lake::templates::{fill, Body, Param, Template};
use crate::trino::{literal::literal, Window};

const MINTS: &str = "'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', \
                     'GetSessionToken', 'GetFederationToken'";

/// What a key chain did, and the events that minted its keys (an AssumeRole's or
/// GetSessionToken's `credentials`, a CreateAccessKey's `accessKey`).
const KEY_CHAIN: &str = "useridentity.accesskeyid IN ({chain}) \
     OR json_extract_scalar(responseelements, '$.credentials.accessKeyId') IN ({chain}) \
     OR json_extract_scalar(responseelements, '$.accessKey.accessKeyId') IN ({chain})";

/// `KEY_CHAIN` for these keys, each a literal.
pub fn chain_condition<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    let list: Vec<String> = keys.into_iter().map(literal).collect();
    fill(KEY_CHAIN, &[("chain", list.join(", "))])
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "key-activity",
        title: "Everything done with an access key, in every account",
        params: &[Param::Key],
        body: Body::Events("useridentity.accesskeyid = {key}"),
    },
    Template {
        name: "key-chain",
        title: "Everything a key chain did across the organization, and what minted it",
        params: &[Param::Chain],
        body: Body::Events(KEY_CHAIN),
    },
    Template {
        name: "roles-assumed",
        title: "Sessions and roles a key minted (AssumeRole, GetSessionToken…)",
        params: &[Param::Key],
        body: Body::Events("useridentity.accesskeyid = {key} AND eventname IN ({mints})"),
    },
    Template {
        name: "ip-across-accounts",
        title: "A source IP in every account: who, how often, first and last",
        params: &[Param::Ip],
        body: Body::Table(
            "SELECT recipientaccountid AS \"recipientAccountId\", useridentity.arn AS \
             \"userIdentity.arn\", COUNT(*) AS events, MIN(eventtime) AS first_seen, \
             MAX(eventtime) AS last_seen\nFROM {table}\nWHERE {window}\n  \
             AND sourceipaddress = {ip}\nGROUP BY 1, 2\nORDER BY 3 DESC",
        ),
    },
    Template {
        name: "role-counts",
        title: "What a role did: calls by service and name",
        params: &[Param::Role],
        body: Body::Table(
            "SELECT eventsource AS \"eventSource\", eventname AS \"eventName\", COUNT(*) AS \
             events\nFROM {table}\nWHERE {window}\n  \
             AND useridentity.sessioncontext.sessionissuer.arn = {role}\nGROUP BY 1, 2\n\
             ORDER BY 3 DESC",
        ),
    },
    Template {
        name: "role-writes",
        title: "Successful mutating calls by a role's sessions",
        params: &[Param::Role],
        body: Body::Events(
            "useridentity.sessioncontext.sessionissuer.arn = {role} AND readonly = 'false' \
             AND errorcode IS NULL",
        ),
    },
    Template {
        name: "keys-created",
        title: "Access keys created with a key (CreateAccessKey)",
        params: &[Param::Key],
        body: Body::Events("useridentity.accesskeyid = {key} AND eventname = 'CreateAccessKey'"),
    },
    Template {
        name: "s3-objects",
        title: "S3 objects read, copied or deleted with a key",
        params: &[Param::Key],
        body: Body::Table(
            "SELECT eventtime AS \"eventTime\", eventname AS \"eventName\", \
             json_extract_scalar(requestparameters, '$.bucketName') AS bucket, \
             json_extract_scalar(requestparameters, '$.key') AS object_key, sourceipaddress \
             AS \"sourceIPAddress\", errorcode AS \"errorCode\"\nFROM {table}\nWHERE {window}\n  \
             AND useridentity.accesskeyid = {key}\n  AND eventsource = 's3.amazonaws.com'\n  \
             AND eventname IN ('GetObject', 'CopyObject', 'DeleteObject', 'DeleteObjects')\n\
             ORDER BY 1",
        ),
    },
    Template {
        name: "identity-center",
        title: "Identity Center sign-ins and the accounts they federated into",
        params: &[],
        body: Body::Events(
            "useridentity.type = 'IdentityCenterUser' OR eventsource IN \
             ('sso.amazonaws.com', 'signin.amazonaws.com')",
        ),
    },
    Template {
        name: "denied",
        title: "Calls a principal was denied (AccessDenied, SCPs)",
        params: &[Param::Arn],
        body: Body::Events(
            "useridentity.arn = {arn} AND (errorcode LIKE '%AccessDenied%' OR errorcode \
             LIKE '%UnauthorizedOperation%' OR errorcode = 'Forbidden')",
        ),
    },
    Template {
        name: "vpce-evidence",
        title: "SNS and SQS calls through VPC endpoints",
        params: &[],
        body: Body::Table(
            "SELECT vpcendpointid AS \"vpcEndpointId\", eventsource AS \"eventSource\", \
             eventname AS \"eventName\", COUNT(*) AS events, MIN(eventtime) AS first_seen, \
             MAX(eventtime) AS last_seen\nFROM {table}\nWHERE {window}\n  \
             AND eventsource IN ('sns.amazonaws.com', 'sqs.amazonaws.com')\n  \
             AND vpcendpointid IS NOT NULL\nGROUP BY 1, 2, 3\nORDER BY 4 DESC",
        ),
    },
];

pub fn by_name(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// Where a template runs: the table, how it is partitioned, and the window. Every account
/// and region: a playbook asks the whole organization.
#[derive(Clone, Debug)]
pub struct On<'a> {
    pub table: &'a Table,
    pub partitioned: Partitioned,
    pub window: Window,
}

/// `template`'s statement on `on`, `value` giving each parameter; the first parameter
/// without a value is the error.
pub fn render(
    template: &Template,
    on: &On,
    value: impl Fn(Param) -> Option<String>,
) -> Result<String, String> {
    let mut values = vec![("mints", MINTS.to_string())];
    for &p in template.params {
        let given = value(p).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
            format!(
                "{} needs --param {}=… (or an event with one selected)",
                template.name,
                p.name()
            )
        })?;
        let sql = match p {
            // A list: each key its own literal.
            Param::Chain => {
                let keys: Vec<String> = given
                    .split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(literal)
                    .collect();
                if keys.is_empty() {
                    return Err(format!("{}: --param chain=… names no key", template.name));
                }
                keys.join(", ")
            }
            _ => literal(&given),
        };
        values.push((p.name(), sql));
    }
    let scope = Scope::default();
    match &template.body {
        Body::Events(condition) => events_query(
            on.table,
            on.window,
            &scope,
            Some(&fill(condition, &values)),
            on.partitioned,
        ),
        Body::Table(statement) => {
            let window = match on.partitioned {
                Partitioned::ByAccountRegionDay => format!(
                    "{}\n  AND {}",
                    partition_predicate(on.window, &scope)?,
                    time_bounds(on.window)?
                ),
                Partitioned::No => time_bounds(on.window)?,
            };
            values.push(("table", on.table.as_sql().to_string()));
            values.push(("window", window));
            Ok(fill(statement, &values))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::EventTime;

    fn on(table: &Table) -> On<'_> {
        On {
            table,
            partitioned: Partitioned::ByAccountRegionDay,
            window: Window {
                start: EventTime::from_millis(1_700_000_000_000),
                end: EventTime::from_millis(1_700_086_400_000),
            },
        }
    }

    #[test]
    fn every_template_reads_only_the_window_and_says_what_it_lacks() {
        let table = Table::new("trailscope", "cloudtrail").expect("a table");
        for t in TEMPLATES {
            let sql = render(t, &on(&table), |_| Some("AKIAX".into())).unwrap_or_default();
            assert!(
                sql.contains("\"timestamp\" BETWEEN '2023/11/14'"),
                "{}: {sql}",
                t.name
            );
            assert!(
                sql.contains("FROM \"trailscope\".\"cloudtrail\""),
                "{}",
                t.name
            );
            assert!(!sql.contains('{'), "{}: a placeholder left: {sql}", t.name);
            if let Some(p) = t.params.first() {
                let err = render(t, &on(&table), |_| None).err();
                assert!(err.is_some_and(|e| e.contains(p.name())), "{}", t.name);
            }
        }
    }

    #[test]
    fn a_chain_is_a_list_of_literals_and_a_value_stays_a_literal() {
        let table = Table::new("db", "t").expect("a table");
        let t = by_name("key-chain").expect("key-chain");
        let sql = render(t, &on(&table), |_| Some("AKIA1, ASIA2,x' OR '1'='1".into()))
            .unwrap_or_default();
        assert!(
            sql.contains("IN ('AKIA1', 'ASIA2', 'x'' OR ''1''=''1')"),
            "{sql}"
        );
        let ip = by_name("ip-across-accounts").expect("ip");
        let sql = render(ip, &on(&table), |_| Some("{window}".into())).unwrap_or_default();
        assert!(sql.contains("sourceipaddress = '{window}'"), "{sql}");
        assert_eq!(sql.matches("\"timestamp\" BETWEEN").count(), 1);
    }
}
