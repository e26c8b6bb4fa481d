//! Reading a Lake request's members: every one is optional and may be of any JSON type, so
//! each read says what it expected instead of trusting the client.

use super::fail;
use crate::Reply;
use serde_json::{Map, Value};

pub(crate) struct Params<'a>(pub &'a Map<String, Value>);

impl Params<'_> {
    /// A string member; absent, null or not a string reads as absent.
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// A required string member, or InvalidParameterException.
    pub(crate) fn required(&self, name: &str) -> Result<&str, Reply> {
        self.str(name)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fail("InvalidParameterException", &format!("{name} is required.")))
    }
}

/// A page size member: 1 to `max`, `max` when absent; anything else is
/// InvalidMaxResultsException.
pub(crate) fn max_results(p: &Params, name: &str, max: usize) -> Result<usize, Reply> {
    match p.0.get(name) {
        None | Some(Value::Null) => Ok(max),
        Some(v) => match v.as_u64() {
            Some(n) if (1..=max as u64).contains(&n) => Ok(n as usize),
            _ => Err(fail(
                "InvalidMaxResultsException",
                &format!("{name} must be from 1 to {max}."),
            )),
        },
    }
}
