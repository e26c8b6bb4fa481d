//! An answer of the fake endpoint, whatever the protocol: CloudTrail and Organizations speak
//! awsJson1_1 (JSON bodies, `__type` errors), STS speaks awsQuery (XML bodies), so the reply
//! carries its own content type for `serve` to send.

use super::faults::Fault;
use serde_json::json;

/// awsJson1_1's content type (CloudTrail, Organizations).
pub const JSON: &str = "application/x-amz-json-1.1";
/// awsQuery's answers (STS).
pub const XML: &str = "text/xml";

/// An HTTP answer: status, body and its content type, and how the network mangles it
/// (`serve` acts on `transport`: a cut or a stall).
#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: &'static str,
    pub transport: Option<Fault>,
}

impl Reply {
    /// An awsJson1_1 error: `{"__type": KIND, "message": MESSAGE}`.
    pub(crate) fn error(status: u16, kind: &str, message: &str) -> Reply {
        Reply::ok(
            status,
            json!({ "__type": kind, "message": message }).to_string(),
        )
    }

    /// An awsJson1_1 answer.
    pub(crate) fn ok(status: u16, body: String) -> Reply {
        Reply {
            status,
            body,
            content_type: JSON,
            transport: None,
        }
    }

    /// An awsQuery (XML) answer.
    pub(crate) fn xml(status: u16, body: String) -> Reply {
        Reply {
            status,
            body,
            content_type: XML,
            transport: None,
        }
    }

    /// The awsJson error type of this answer, if it is one (for `x-amzn-errortype`).
    pub fn json_error_type(&self) -> Option<String> {
        if self.content_type != JSON {
            return None;
        }
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["__type"].as_str().map(str::to_string))
    }
}
