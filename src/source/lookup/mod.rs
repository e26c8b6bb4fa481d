//! The LookupEvents source (CloudTrail Event history): `plan` decides what is asked of AWS,
//! `client` builds the SDK client, `pager` pages one region at the API's pace, `scope` says which regions and window to ask, `live` runs it for the app.
//! `accounts` reads several accounts (a role in each, or a profile each).
//! `order` and `progress` are the pure parts the app uses (what to fetch, how far it got).

pub mod accounts;
pub mod client;
pub mod live;
pub mod order;
pub mod pager;
mod partitions;
pub mod plan;
pub mod progress;
pub mod scope;
