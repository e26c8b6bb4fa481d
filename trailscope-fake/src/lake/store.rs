//! The fake's one event data store: how ListEventDataStores and GetEventDataStore describe
//! it, and how a request names it (its id, or its ARN).

use super::params::{max_results, Params};
use super::{answer, fail, FAKE_EDS_ID};
use crate::Reply;
use serde_json::{json, Value};

pub const NAME: &str = "trailscope-fake";
/// 2025-01-15T00:00:00Z: fixed, so that answers are the same on every run.
const CREATED_S: i64 = 1_736_899_200;

pub(crate) fn arn() -> String {
    format!("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{FAKE_EDS_ID}")
}

/// What a request's `EventDataStore` names: ours, a well-formed name of another store, or
/// something that is no store name at all.
pub(crate) enum Named {
    Ours,
    Unknown,
    Malformed,
}

pub(crate) fn resolve(name: &str) -> Named {
    let shaped = (3..=256).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-:".contains(c));
    if !shaped {
        return Named::Malformed;
    }
    let id = match name.strip_prefix("arn:") {
        Some(_) => match name.split_once(":eventdatastore/") {
            Some((head, id)) if head.starts_with("arn:aws") && !id.is_empty() => id,
            _ => return Named::Malformed,
        },
        None => name,
    };
    if id.eq_ignore_ascii_case(FAKE_EDS_ID) {
        Named::Ours
    } else {
        Named::Unknown
    }
}

/// The error for a store that is not ours, or `None` for ours.
pub(crate) fn check(name: &str) -> Option<Reply> {
    match resolve(name) {
        Named::Ours => None,
        Named::Unknown => Some(fail(
            "EventDataStoreNotFoundException",
            "The specified event data store was not found.",
        )),
        Named::Malformed => Some(fail(
            "EventDataStoreARNInvalidException",
            "The specified event data store ARN is not valid or does not map to an event data store in your account.",
        )),
    }
}

/// ListEventDataStores: ARN and name only, as AWS now answers (GetEventDataStore has the
/// rest). Paged like the others, though one store always fits.
pub(crate) fn list(p: &Params) -> Reply {
    let max = match max_results(p, "MaxResults", 1000) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let offset = match p.str("NextToken") {
        None => 0,
        Some(t) => match t.strip_prefix("tseds1.").and_then(|o| o.parse::<usize>().ok()) {
            Some(o) if o <= 1 => o,
            _ => {
                return fail(
                    "InvalidNextTokenException",
                    "A token that is not valid, or a token that was previously used in a request with different parameters.",
                )
            }
        },
    };
    let all = [json!({ "EventDataStoreArn": arn(), "Name": NAME })];
    let page: Vec<Value> = all.iter().skip(offset).take(max).cloned().collect();
    let mut body = json!({ "EventDataStores": page });
    if offset + page.len() < all.len() {
        body["NextToken"] = json!(format!("tseds1.{}", offset + page.len()));
    }
    answer(body)
}

/// GetEventDataStore for our store (checked by the caller).
pub(crate) fn describe() -> Value {
    json!({
        "EventDataStoreArn": arn(),
        "Name": NAME,
        "Status": "ENABLED",
        "AdvancedEventSelectors": [
            {
                "Name": "Management events",
                "FieldSelectors": [{ "Field": "eventCategory", "Equals": ["Management"] }]
            },
            {
                "Name": "S3 data events",
                "FieldSelectors": [
                    { "Field": "eventCategory", "Equals": ["Data"] },
                    { "Field": "resources.type", "Equals": ["AWS::S3::Object"] }
                ]
            }
        ],
        "MultiRegionEnabled": true,
        "OrganizationEnabled": false,
        "RetentionPeriod": 2557,
        "TerminationProtectionEnabled": true,
        "CreatedTimestamp": CREATED_S,
        "UpdatedTimestamp": CREATED_S,
        "BillingMode": "EXTENDABLE_RETENTION_PRICING",
        "FederationStatus": "DISABLED",
        "PartitionKeys": [{ "Name": "eventTime", "Type": "timestamp" }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_is_named_by_id_or_arn() {
        assert!(matches!(resolve(FAKE_EDS_ID), Named::Ours));
        assert!(matches!(resolve(&arn()), Named::Ours));
        assert!(matches!(resolve(&FAKE_EDS_ID.to_uppercase()), Named::Ours));
        assert!(matches!(
            resolve("00000000-0000-4000-8000-000000000000"),
            Named::Unknown
        ));
        for bad in ["", "ab", "x y", "arn:aws:s3:::bucket", "a'b;--"] {
            assert!(matches!(resolve(bad), Named::Malformed), "{bad}");
        }
    }
}
