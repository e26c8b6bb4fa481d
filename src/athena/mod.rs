//! Athena over a trail's S3 bucket: an organization's whole trail, every account and region,
//! as one table. The pure parts only: `names` checks every name that enters a statement,
//! `table` is the table (its columns and the CREATE statement with partition projection),
//! `sql` writes the partition predicate and the events query, `pushdown` turns a filter into
//! a condition, and `plan` splits a filter into what Athena is asked and what stays here.
//! The SDK client, the fake's Athena and the app's side come later.

pub mod names;
pub mod plan;
pub mod pushdown;
pub mod sql;
pub mod table;
