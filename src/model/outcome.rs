//! Failures CloudTrail records outside `errorCode`. A refused console password has no
//! `errorCode`: the sign-in service writes `"responseElements": {"ConsoleLogin": "Failure"}`
//! and `"errorMessage": "Failed authentication"`. Read only `errorCode`, a brute-force run
//! looks like a row of successful logins, so the outcome is derived once, here, at parse time.
//!
//! | eventSource | eventName | where the outcome lives |
//! |---|---|---|
//! | `signin.amazonaws.com` | any: `ConsoleLogin`, `CheckMfa`, `SwitchRole`, `ExternalIdPDirectoryLogin`, `PasswordUpdated`… | `responseElements.<eventName>` (AWS Management Console sign-in events) |
//! | any | `CredentialChallenge`, `CredentialVerification`, `UserAuthentication` | `serviceEventDetails.<eventName>` (IAM Identity Center and WorkSpaces sign-in events), or `responseElements.<eventName>` |
//!
//! In every row the value is `"Success"` or `"Failure"` under a key named after the event. A
//! failure shows as the code [`FAILURE`] in the error column and everywhere the error field is
//! read (`error:any`, the errors preset, the profile, `--group-by error`, exports); the
//! message stays the record's own `errorMessage`, and the raw record is not touched, so the
//! detail pane still shows exactly what CloudTrail wrote.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The code shown for a failure recorded outside `errorCode`: the word CloudTrail itself
/// writes there, so `error:Failure` finds what the record says. No AWS API returns it as an
/// `errorCode`.
pub const FAILURE: &str = "Failure";

/// The sign-in service: its every event records its outcome under its own name.
const SIGN_IN_SOURCE: &str = "signin.amazonaws.com";

/// Identity Center's sign-in steps, whatever source a trail gives them.
const SIGN_IN_STEPS: [&str; 3] = [
    "CredentialChallenge",
    "CredentialVerification",
    "UserAuthentication",
];

/// The parts of a record the outcome can be read from.
#[derive(Clone, Copy, Default)]
pub(crate) struct Parts<'a> {
    pub(crate) source: Option<&'a str>,
    pub(crate) name: Option<&'a str>,
    pub(crate) response_elements: Option<&'a RawValue>,
    pub(crate) service_event_details: Option<&'a RawValue>,
}

/// The code the error field holds: `errorCode` when present, else [`FAILURE`] when one of
/// the places in the table above says the call failed.
pub(crate) fn error_code(error_code: Option<&str>, parts: Parts<'_>) -> Option<Box<str>> {
    match error_code.filter(|c| !c.is_empty()) {
        Some(code) => Some(Box::from(code)),
        None => failed_elsewhere(parts).then(|| Box::from(FAILURE)),
    }
}

/// Whether a record without `errorCode` failed by the table above.
fn failed_elsewhere(parts: Parts<'_>) -> bool {
    let Some(name) = parts.name else {
        return false;
    };
    let sign_in = parts.source == Some(SIGN_IN_SOURCE);
    let step = SIGN_IN_STEPS.contains(&name);
    if !sign_in && !step {
        return false;
    }
    [parts.response_elements, parts.service_event_details]
        .into_iter()
        .flatten()
        .any(|raw| says_failure(raw, name))
}

/// `{"<name>": "Failure"}`. Some exporters write the object as a JSON string; that is read too.
fn says_failure(raw: &RawValue, name: &str) -> bool {
    let object = match serde_json::from_str::<Value>(raw.get()) {
        Ok(Value::Object(map)) => map,
        Ok(Value::String(text)) => match serde_json::from_str::<Map<String, Value>>(&text) {
            Ok(map) => map,
            Err(_) => return false,
        },
        _ => return false,
    };
    object
        .get(name)
        .and_then(Value::as_str)
        .is_some_and(|v| v.eq_ignore_ascii_case(FAILURE))
}

#[cfg(test)]
mod tests {
    use super::FAILURE;
    use crate::model::parse::parse_text;
    use crate::model::record::Record;
    use std::sync::Arc;

    fn one(json: &str) -> Record {
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&Arc::from("t"), json, &mut sink);
        assert!(sink.1.is_empty(), "{:?}", sink.1);
        assert_eq!(sink.0.len(), 1);
        sink.0.remove(0)
    }

    fn code(json: &str) -> Option<String> {
        one(json).error_code.map(String::from)
    }

    /// Row 1, from tests/fixtures (panther-analysis): a refused console password.
    #[test]
    fn console_login_failure_is_an_error_with_its_own_message() {
        let json = r#"{"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true","MFAUsed":"Yes","MobileVersion":"No"},"awsRegion":"us-east-1","errorMessage":"Failed authentication","eventID":"d38ce1b3-4575-4cb8-a632-611b8243bfc3","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventTime":"2022-11-10T16:24:34Z","eventType":"AwsConsoleSignIn","eventVersion":"1.05","recipientAccountId":"111122223333","requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"sourceIPAddress":"192.0.2.0","userIdentity":{"accessKeyId":"","accountId":"111122223333","principalId":"AIDACKCEVSQ6C2EXAMPLE","type":"IAMUser","userName":"anaya"}}"#;
        let r = one(json);
        assert_eq!(r.error_code.as_deref(), Some(FAILURE));
        assert_eq!(r.error_message.as_deref(), Some("Failed authentication"));
        // The raw record is what CloudTrail wrote: no errorCode appears in it.
        assert!(!r.raw.text().contains("errorCode"));
        let ok = json.replace(r#""ConsoleLogin":"Failure""#, r#""ConsoleLogin":"Success""#);
        assert_eq!(code(&ok), None);
    }

    /// Row 1, the same key named after other sign-in events: CheckMfa and SwitchRole as the
    /// AWS Management Console sign-in events page documents them, ExternalIdPDirectoryLogin
    /// and PasswordUpdated from tests/fixtures (panther-analysis).
    #[test]
    fn other_sign_in_events_fail_under_their_own_name() {
        for name in [
            "CheckMfa",
            "SwitchRole",
            "ExternalIdPDirectoryLogin",
            "PasswordUpdated",
        ] {
            let json = format!(
                r#"{{"eventVersion":"1.05","eventTime":"2019-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"{name}","eventType":"AwsConsoleSignIn","responseElements":{{"{name}":"Failure"}},"userIdentity":{{"type":"Root","accountId":"123456789012"}}}}"#
            );
            assert_eq!(code(&json).as_deref(), Some(FAILURE), "{name}");
            let ok = json.replace("Failure", "Success");
            assert_eq!(code(&ok), None, "{name}");
        }
    }

    /// Row 2, the shape of "Understanding IAM Identity Center sign-in events": a wrong
    /// password is a CredentialVerification whose serviceEventDetails say Failure.
    #[test]
    fn identity_center_steps_fail_in_service_event_details() {
        for name in [
            "CredentialChallenge",
            "CredentialVerification",
            "UserAuthentication",
        ] {
            let json = format!(
                r#"{{"eventVersion":"1.08","eventTime":"2023-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"{name}","eventType":"AwsServiceEvent","serviceEventDetails":{{"{name}":"Failure"}},"additionalEventData":{{"AuthWorkflowID":"9de74b32-8362-4a01-a524-de21df59fd83","CredentialType":"PASSWORD"}},"userIdentity":{{"type":"Unknown","principalId":"111122223333","accountId":"111122223333","userName":"alice"}}}}"#
            );
            assert_eq!(code(&json).as_deref(), Some(FAILURE), "{name}");
            // Also when a trail gives the step another source, or responseElements.
            let sso = json.replace("signin.amazonaws.com", "sso.amazonaws.com");
            assert_eq!(code(&sso).as_deref(), Some(FAILURE), "{name}");
            let response = json.replace("serviceEventDetails", "responseElements");
            assert_eq!(code(&response).as_deref(), Some(FAILURE), "{name}");
            assert_eq!(code(&json.replace("Failure", "Success")), None, "{name}");
        }
    }

    #[test]
    fn error_code_wins_and_other_services_are_not_read() {
        let with_code = r#"{"eventTime":"2023-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorCode":"AccessDenied","responseElements":{"ConsoleLogin":"Failure"}}"#;
        assert_eq!(code(with_code).as_deref(), Some("AccessDenied"));
        // Another service's response that happens to say Failure under the call's name is
        // that service's data, not an outcome.
        let other = r#"{"eventTime":"2023-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","responseElements":{"RunInstances":"Failure"}}"#;
        assert_eq!(code(other), None);
        // Shapes that say nothing: null, a list, a number, a key for another event.
        for response in ["null", "[]", "7", r#"{"SwitchRole":"Failure"}"#] {
            let json = format!(
                r#"{{"eventTime":"2023-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{response}}}"#
            );
            assert_eq!(code(&json), None, "{response}");
        }
        // An exporter that wrote the object as a string.
        let stringified = r#"{"eventTime":"2023-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":"{\"ConsoleLogin\":\"Failure\"}"}"#;
        assert_eq!(code(stringified).as_deref(), Some(FAILURE));
    }
}
