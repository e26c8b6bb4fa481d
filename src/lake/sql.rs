//! SQL for CloudTrail Lake, written so that nothing from an event can change the statement:
//! values only ever appear as string literals (single quotes doubled; characters that would
//! drive a terminal or hide in the editor written as `U&'\XXXX'` escapes), the event data
//! store id is checked against its pattern before it is written after FROM, and every query
//! trailscope writes is bounded by `eventTime`, because Lake bills by the bytes it scans.

use crate::model::time::EventTime;
use std::fmt::Write;

// Values are written by the literal both engines share; the window is theirs too.
pub use crate::trino::{literal, Window};

/// The id of an event data store, from its id or its ARN
/// (`arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID`), checked to be only what an id
/// is made of (letters, digits, dashes) so that it can follow FROM unquoted, as Lake wants.
pub fn store_id(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let id = match trimmed.strip_prefix("arn:") {
        Some(_) => match trimmed.split_once(":eventdatastore/") {
            Some((_, id)) => id,
            None => return Err(format!(
                "{} is not an event data store ARN (arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID)",
                crate::model::sanitize::visible(trimmed)
            )),
        },
        None => trimmed,
    };
    let shaped = (3..=64).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !id.starts_with('-');
    if shaped {
        Ok(id.to_string())
    } else {
        Err(format!(
            "`{}` is not an event data store id (letters, digits and dashes, like 7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a; `trailscope --lake` lists them)",
            crate::model::sanitize::visible(id)
        ))
    }
}

/// `'2026-11-21 09:00:00'`: how Lake compares `eventTime`.
pub fn time_literal(t: EventTime) -> String {
    format!("'{}'", t.format_utc())
}

/// The window as a condition on `eventTime` (the partition Lake prunes by).
pub fn time_bounds(window: Window) -> String {
    format!(
        "eventTime >= {} AND eventTime < {}",
        time_literal(window.start),
        time_literal(window.end)
    )
}

/// The columns a whole event is rebuilt from (`rows::to_record`): scalars under the dotted
/// path of the CloudTrail field they come from, maps and lists as JSON text. Selecting them
/// rather than `*` keeps the answer unambiguous: Lake renders a struct column as Trino text,
/// not as JSON.
pub const EVENT_COLUMNS: &[&str] = &[
    "eventVersion",
    "eventTime",
    "eventID",
    "eventName",
    "eventSource",
    "eventType",
    "eventCategory",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "readOnly",
    "managementEvent",
    "recipientAccountId",
    "requestID",
    "sharedEventID",
    "vpcEndpointId",
    "sessionCredentialFromConsole",
    "userIdentity.type",
    "userIdentity.principalId",
    "userIdentity.arn",
    "userIdentity.accountId",
    "userIdentity.accessKeyId",
    "userIdentity.userName",
    "userIdentity.invokedBy",
    "userIdentity.identityProvider",
    "userIdentity.credentialId",
    "userIdentity.sessionContext.sourceIdentity",
    "userIdentity.sessionContext.attributes.creationDate",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
    "userIdentity.sessionContext.sessionIssuer.type",
    "userIdentity.sessionContext.sessionIssuer.principalId",
    "userIdentity.sessionContext.sessionIssuer.arn",
    "userIdentity.sessionContext.sessionIssuer.accountId",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "userIdentity.onBehalfOf.userId",
    "userIdentity.onBehalfOf.identityStoreArn",
];

/// Columns read as JSON text (maps, lists of structs).
pub const JSON_COLUMNS: &[&str] = &[
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "resources",
    "tlsDetails",
];

/// `SELECT <every event column> FROM id WHERE <window> [AND condition] ORDER BY eventTime`.
pub fn events_query(store: &str, window: Window, condition: Option<&str>) -> String {
    let mut sql = String::from("SELECT ");
    for (i, c) in EVENT_COLUMNS.iter().enumerate() {
        // Four short names to a line; a nested field (long, with its alias) on its own.
        if i > 0 {
            sql.push_str(if i % 4 == 0 || c.contains('.') {
                ",\n  "
            } else {
                ", "
            });
        }
        if c.contains('.') {
            let _ = write!(sql, "{c} AS \"{c}\"");
        } else {
            sql.push_str(c);
        }
    }
    for c in JSON_COLUMNS {
        let _ = write!(sql, ",\n  json_format(CAST({c} AS JSON)) AS {c}");
    }
    let _ = write!(sql, "\nFROM {store}\nWHERE {}", time_bounds(window));
    if let Some(c) = condition {
        let _ = write!(sql, "\n  AND ({c})");
    }
    sql.push_str("\nORDER BY eventTime DESC");
    sql
}

/// A column equal to a value.
pub fn equals(column: &str, value: &str) -> String {
    format!("{column} = {}", literal(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_ids_are_checked_before_they_follow_from() {
        let id = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";
        assert_eq!(store_id(id).as_deref(), Ok(id));
        let arn = format!("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{id}");
        assert_eq!(store_id(&arn).as_deref(), Ok(id));
        for bad in [
            "x; DROP",
            "eds id",
            "a'b",
            "--",
            "ab",
            "arn:aws:s3:::bucket",
            "",
        ] {
            assert!(store_id(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn event_queries_are_always_bounded_in_time() {
        let window = Window {
            start: EventTime::parse("2026-11-20T00:00:00Z").unwrap_or_default(),
            end: EventTime::parse("2026-11-21T00:00:00Z").unwrap_or_default(),
        };
        let sql = events_query(
            "abc-123",
            window,
            Some(&equals("sourceIPAddress", "1.2.3.4")),
        );
        assert!(sql.contains(
            "WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-21 00:00:00'"
        ));
        assert!(sql.contains("AND (sourceIPAddress = '1.2.3.4')"));
        assert!(sql.contains("userIdentity.arn AS \"userIdentity.arn\""));
        assert!(sql.contains("FROM abc-123"));
    }
}
