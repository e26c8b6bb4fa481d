//! Organizations' ListAccounts (awsJson1_1), how a responder finds the accounts to look into:
//! pages of at most 20 (assets/api/organizations-service-2.json), callable only from the
//! management account, and refused outright when the account is in no organization.

use super::accounts::{digest, Caller};
use super::{Accounts, Reply};
use serde_json::{json, Value};

/// The one operation served.
pub const LIST_ACCOUNTS: &str = "AWSOrganizationsV20161128.ListAccounts";
/// ListAccounts' MaxResults in the model.
pub const MAX_RESULTS: std::ops::RangeInclusive<u64> = 1..=20;
/// The fake organization's ID (the model's pattern: `o-` and 10 to 32 of [a-z0-9]).
pub const ORGANIZATION_ID: &str = "o-fake0000001";
/// When the first account joined; each later one a day after (any fixed, past time will do).
const JOINED_EPOCH_S: i64 = 1_577_836_800;

pub(crate) fn handle(
    accounts: &Accounts,
    caller: &Caller,
    target: Option<&str>,
    body: &[u8],
) -> Reply {
    match target {
        Some(LIST_ACCOUNTS) => {}
        Some(t) => {
            let t = trailscope::model::sanitize::visible(t);
            return Reply::error(
                400,
                "UnknownOperationException",
                &format!("unknown operation {t} (the fake serves ListAccounts only)"),
            );
        }
        None => return Reply::error(400, "UnknownOperationException", "X-Amz-Target missing"),
    }
    let request: Value = match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Reply::error(400, "SerializationException", "body is not a JSON object"),
    };
    if accounts.no_organization {
        return org_error(
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
            None,
        );
    }
    let management = accounts.management();
    if accounts.account_of(caller) != management {
        return org_error(
            "AccessDeniedException",
            &format!(
                "You don't have permissions to access this resource. ListAccounts can be called \
                 only from the organization's management account ({management}) or by a member \
                 account that is a delegated administrator."
            ),
            None,
        );
    }
    let max = match request.get("MaxResults") {
        None | Some(Value::Null) => *MAX_RESULTS.end(),
        Some(v) => match v.as_u64() {
            Some(n) if MAX_RESULTS.contains(&n) => n,
            _ => {
                let reason = if v.as_i64().is_some_and(|n| n < 1) {
                    "MIN_VALUE_EXCEEDED"
                } else {
                    "MAX_VALUE_EXCEEDED"
                };
                return org_error(
                    "InvalidInputException",
                    "You provided a value that does not match the required pattern: MaxResults \
                     must be 1 to 20.",
                    Some(reason),
                );
            }
        },
    };
    let members: Vec<String> = accounts.members().into_iter().collect();
    let offset = match request.get("NextToken") {
        None | Some(Value::Null) => 0,
        Some(t) => match t.as_str().and_then(decode_token) {
            Some(o) if o <= members.len() => o,
            _ => {
                return org_error(
                    "InvalidInputException",
                    "The provided NextToken is not valid.",
                    Some("INVALID_NEXT_TOKEN"),
                )
            }
        },
    };
    let end = members.len().min(offset.saturating_add(max as usize));
    let page: Vec<Value> = members[offset..end]
        .iter()
        .map(|id| describe(accounts, &management, &members, id))
        .collect();
    let mut body = json!({ "Accounts": page });
    if end < members.len() {
        body["NextToken"] = Value::String(encode_token(end));
    }
    Reply::ok(200, body.to_string())
}

/// One Account as the model describes it.
fn describe(accounts: &Accounts, management: &str, members: &[String], id: &str) -> Value {
    let closed = accounts.closed.contains(id);
    let rank = members.iter().position(|m| m == id).unwrap_or(0) as i64;
    json!({
        "Id": id,
        "Arn": format!("arn:aws:organizations::{management}:account/{ORGANIZATION_ID}/{id}"),
        "Email": format!("aws+{id}@example.com"),
        "Name": format!("account-{id}"),
        "Status": if closed { "SUSPENDED" } else { "ACTIVE" },
        "State": if closed { "CLOSED" } else { "ACTIVE" },
        // The management account created the organization (AWS says INVITED for it); the
        // others were created in it.
        "JoinedMethod": if id == management { "INVITED" } else { "CREATED" },
        "JoinedTimestamp": JOINED_EPOCH_S + rank * 86_400,
    })
}

/// An Organizations error: awsJson1_1, with `Message` (and `Reason`) as the model names them.
fn org_error(kind: &str, message: &str, reason: Option<&str>) -> Reply {
    let mut body = json!({ "__type": kind, "Message": message });
    if let Some(r) = reason {
        body["Reason"] = Value::String(r.to_string());
    }
    Reply::ok(400, body.to_string())
}

/// Opaque to clients, and checked: a token the fake did not write is refused.
fn encode_token(offset: usize) -> String {
    format!("tsorg1.{offset}.{:016x}", digest(&("ListAccounts", offset)))
}

fn decode_token(token: &str) -> Option<usize> {
    let mut parts = token.split('.');
    let (Some("tsorg1"), Some(offset), Some(check), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let offset: usize = offset.parse().ok()?;
    (u64::from_str_radix(check, 16).ok()? == digest(&("ListAccounts", offset))).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_forgeries_are_refused() {
        assert_eq!(decode_token(&encode_token(20)), Some(20));
        assert_eq!(decode_token("tsorg1.20.0000000000000000"), None);
        assert_eq!(decode_token("garbage"), None);
    }
}
