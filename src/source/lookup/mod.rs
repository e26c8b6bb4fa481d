//! The LookupEvents source (CloudTrail Event history): `plan` decides what is asked of AWS,
//! `client` builds the SDK client, `pager` pages one region at the API's pace, `regions` says which regions to ask.

pub mod client;
pub mod pager;
pub mod plan;
pub(crate) mod regions;
