//! Athena over a trail's S3 bucket: an organization's whole trail, every account and region,
//! as one table. The pure parts only: `names` checks every name that enters a statement,
//! `layout` reads the table's shape from a bucket's region folders, `table` is the table (its
//! columns and the CREATE statement with partition projection), `sql` writes the partition
//! predicate and the events query, `pushdown` turns a filter into a condition, and `plan`
//! splits a filter into what Athena is asked and what stays here, `rows` rebuilds records
//! from result rows. Listing the bucket for `layout` is the S3 source's
//! (`source::s3::survey`). `client` runs a statement through the SDK, and `unload` reads a
//! large result back through S3.

pub mod catalog;
pub mod client;
pub mod cost;
mod errors;
pub mod execution;
pub mod layout;
pub mod listing;
pub mod names;
pub mod plan;
pub mod pushdown;
pub mod rows;
pub mod runner;
pub mod sql;
pub mod table;
pub mod templates;
pub mod unload;
