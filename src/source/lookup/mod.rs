//! The LookupEvents source (CloudTrail Event history): `plan` decides what is asked of AWS,
//! `client` builds the SDK client, `pager` pages one region at the API's pace, `scope` says which regions and window to ask, `live` runs it for the app.

pub mod client;
pub mod live;
pub mod pager;
pub mod plan;
pub mod scope;
