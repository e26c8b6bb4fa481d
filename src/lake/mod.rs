//! CloudTrail Lake: SQL over event data stores. `sql` writes statements safely, `templates`
//! are the investigation playbooks, `pushdown` turns a pivot into a condition, `client` runs
//! a query through the SDK, `rows` turns the answer back into events or a results table,
//! `cost` says what a query cost,
//! `stores` is the picker's list. `runner` runs queries as the app's jobs. The app imports the
//! pure parts (`sql`, `templates`, `pushdown`, `rows`, `cost`, `stores`), never `client`/`runner`.

pub mod client;
pub mod cost;
pub(crate) mod errors;
pub mod pushdown;
pub mod rows;
pub mod runner;
pub mod sql;
pub mod stores;
pub mod templates;
