//! NextToken: opaque to clients, bound to the request's parameters. AWS rejects a token sent
//! with different parameters (InvalidNextTokenException); so does the fake.

use std::hash::{BuildHasher, Hash};

/// The parameters a token is valid for.
#[derive(Hash)]
pub(crate) struct Params<'a> {
    /// Whose events (a token of one account is no good for another).
    pub account: Option<&'a str>,
    pub region: &'a str,
    pub attribute: Option<(&'a str, &'a str)>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub category: Option<&'a str>,
}

pub(crate) fn encode(params: &Params, offset: usize) -> String {
    format!("tsfake1.{:016x}.{offset}", digest(params))
}

/// The offset a token stands for, if it was issued for these parameters.
pub(crate) fn decode(token: &str, params: &Params) -> Option<usize> {
    let mut parts = token.split('.');
    let (Some("tsfake1"), Some(hash), Some(offset), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    (u64::from_str_radix(hash, 16).ok()? == digest(params)).then_some(())?;
    offset.parse().ok()
}

fn digest(params: &Params) -> u64 {
    foldhash::quality::FixedState::with_seed(0x6661_6b65).hash_one(params)
}
