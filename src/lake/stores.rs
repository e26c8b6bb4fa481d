//! The event data stores an account can query: pure data for the picker (the SDK call that
//! lists them is `client::list_stores`).

/// An event data store, as the picker shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreInfo {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub status: String,
    pub retention_days: Option<i32>,
    pub multi_region: Option<bool>,
    pub organization: Option<bool>,
}
