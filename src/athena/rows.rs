//! Result rows back into CloudTrail records, so the detail pane, pivots, lineage and exports
//! cannot tell an Athena event from the file's: the table's lowercase columns get CloudTrail's
//! names back, STRUCTs (selected as JSON text, `sql::select_list`) and the JSON-string columns
//! are parsed, `readOnly` and `managementEvent` are booleans again, and NULLs are left out (a
//! record has no member where the table has NULL), except `requestParameters` and
//! `responseElements`, which CloudTrail writes as `null`. Partition columns are not record
//! fields.

use super::client::Page;
use super::table::{Kind, COLUMNS, PARTITIONS};
use crate::model::record::Record;
use crate::model::warning::{Location, Warning};
use serde_json::{Map, Value};
use std::sync::Arc;

/// CloudTrail's spelling of every field name the table declares, top level and nested.
const NAMES: &[&str] = &[
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "recipientAccountId",
    "serviceEventDetails",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
    "managementEvent",
    "addendum",
    "sessionCredentialFromConsole",
    "edgeDeviceDetails",
    "tlsDetails",
    "type",
    "principalId",
    "arn",
    "accountId",
    "invokedBy",
    "accessKeyId",
    "userName",
    "identityProvider",
    "credentialId",
    "onBehalfOf",
    "userId",
    "identityStoreArn",
    "sessionContext",
    "attributes",
    "mfaAuthenticated",
    "creationDate",
    "sessionIssuer",
    "sourceIdentity",
    "ec2RoleDelivery",
    "webIdFederationData",
    "federatedProvider",
    "reason",
    "updatedFields",
    "originalRequestID",
    "originalEventID",
    "tlsVersion",
    "cipherSuite",
    "clientProvidedHostHeader",
];

/// CloudTrail's name for a lowercase table name (`resources` items spell theirs `ARN`).
fn cloudtrail_name(lower: &str, in_resources: bool) -> String {
    if in_resources && lower.eq_ignore_ascii_case("arn") {
        return "ARN".to_string();
    }
    NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(lower))
        .map_or_else(|| lower.to_string(), |n| n.to_string())
}

/// One result row as a record's JSON, or `None` when the row holds no event (no eventtime).
pub fn record_json(header: &[String], cells: &[Option<String>]) -> Option<Value> {
    let mut out = Map::new();
    for (name, cell) in header.iter().zip(cells) {
        let lower = name.to_ascii_lowercase();
        let Some(text) = cell else {
            // CloudTrail writes these two in every record, `null` when there are none.
            if let "requestparameters" | "responseelements" = lower.as_str() {
                out.insert(cloudtrail_name(&lower, false), Value::Null);
            }
            continue;
        };
        if PARTITIONS.contains(&lower.as_str()) {
            continue;
        }
        let Some(column) = COLUMNS.iter().find(|c| c.name == lower) else {
            continue;
        };
        let value = match (column.kind, lower.as_str()) {
            (_, "readonly" | "managementevent") => match text.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(text.clone()),
            },
            (Kind::Text, _) => Value::String(text.clone()),
            (Kind::Json, _) => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            }
            (Kind::Nested, _) => match serde_json::from_str::<Value>(text) {
                Ok(v) => renamed(v, lower == "resources", false),
                Err(_) => continue,
            },
        };
        if !value.is_null() {
            out.insert(cloudtrail_name(&lower, false), value);
        }
    }
    out.contains_key("eventTime").then_some(Value::Object(out))
}

/// A STRUCT's JSON with CloudTrail's names and without NULL members. A MAP's keys
/// (`webidfederationdata.attributes`) are data, kept as they are.
fn renamed(v: Value, in_resources: bool, is_map: bool) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let map_inside = k == "attributes" && v.get("mfaauthenticated").is_none();
                    let name = match is_map {
                        true => k,
                        false => cloudtrail_name(&k, in_resources),
                    };
                    (name, renamed(v, in_resources, map_inside && !is_map))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| renamed(i, in_resources, false))
                .collect(),
        ),
        other => other,
    }
}

/// A page's rows as records of the store, their origin the table; a row that is not an
/// event is a warning.
/// Whether a page's rows are whole events (the table's own columns), which join the store;
/// other rows (an aggregate's) fill a results table.
pub fn are_events(page: &Page) -> bool {
    let has = |name: &str| page.header.iter().any(|c| c.eq_ignore_ascii_case(name));
    has("eventid") && has("eventtime") && has("eventname") && has("useridentity")
}

/// A page as a results table's rows: each cell named by its column, NULL cells left out.
pub fn table_rows(page: &Page) -> Vec<crate::lake::rows::Row> {
    page.rows
        .iter()
        .map(|row| {
            page.header
                .iter()
                .zip(row)
                .filter_map(|(name, cell)| cell.as_ref().map(|v| (name.clone(), v.clone())))
                .collect()
        })
        .collect()
}

pub fn records(origin: &Arc<str>, page: &Page) -> (Vec<Record>, Vec<Warning>) {
    let mut sink = (Vec::new(), Vec::new());
    for row in &page.rows {
        match record_json(&page.header, row) {
            Some(json) => crate::model::parse::parse_text(origin, &json.to_string(), &mut sink),
            None => sink.1.push(Warning::problem(
                origin,
                Location::WholeFile,
                "a result row without eventtime is not an event: left out",
            )),
        }
    }
    sink
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_becomes_the_record_it_was_read_from() {
        let header: Vec<String> = [
            "eventversion",
            "useridentity",
            "eventtime",
            "eventname",
            "requestparameters",
            "readonly",
            "resources",
            "errorcode",
            "account",
        ]
        .map(str::to_string)
        .to_vec();
        let cells = [
            Some("1.08"),
            Some(r#"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","accesskeyid":"ASIAX","username":null,"sessioncontext":{"attributes":{"mfaauthenticated":"false","creationdate":"2026-11-20T09:00:00Z"},"sessionissuer":{"type":"Role","username":"r"},"webidfederationdata":{"federatedprovider":"p","attributes":{"Custom:Key":"v"}}}}"#),
            Some("2026-11-20T09:00:01Z"),
            Some("GetObject"),
            Some(r#"{"bucketName":"b","key":"k"}"#),
            Some("true"),
            Some(r#"[{"arn":"arn:aws:s3:::b","accountid":"1","type":"AWS::S3::Bucket"}]"#),
            None,
            Some("111122223333"),
        ]
        .map(|c| c.map(str::to_string));
        let got = record_json(&header, &cells).unwrap_or_default();
        assert_eq!(
            got,
            json!({
                "eventVersion": "1.08",
                "userIdentity": {
                    "type": "AssumedRole",
                    "arn": "arn:aws:sts::1:assumed-role/r/s",
                    "accessKeyId": "ASIAX",
                    "sessionContext": {
                        "attributes": {"mfaAuthenticated": "false", "creationDate": "2026-11-20T09:00:00Z"},
                        "sessionIssuer": {"type": "Role", "userName": "r"},
                        "webIdFederationData": {"federatedProvider": "p", "attributes": {"Custom:Key": "v"}}
                    }
                },
                "eventTime": "2026-11-20T09:00:01Z",
                "eventName": "GetObject",
                "requestParameters": {"bucketName": "b", "key": "k"},
                "readOnly": true,
                "resources": [{"ARN": "arn:aws:s3:::b", "accountId": "1", "type": "AWS::S3::Bucket"}]
            })
        );
        assert_eq!(record_json(&header[..1], &cells[..1]), None);
    }
}
