//! The domain, pure and fast: no terminal, no async, no I/O.

pub(crate) mod chunked;
pub mod column;
pub mod columns;
pub mod compact;
pub mod dup_keys;
pub mod event;
pub mod hits;
pub mod id;
pub mod intern;
pub mod loose;
pub(crate) mod object_part;
pub mod outcome;
pub mod parse;
pub mod portal;
pub mod principal;
pub mod raw;
pub mod record;
pub mod sanitize;
pub mod size;
pub mod store;
pub mod target;
pub mod time;
pub mod time_display;
pub mod trigrams;
pub mod warning;
pub mod warning_log;
