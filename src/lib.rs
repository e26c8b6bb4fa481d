//! trailscope: walk AWS CloudTrail in the terminal during an incident.
//!
//! Events flow one way: `source` streams parsed records into the `model::store::Store`; the
//! pure `app` state machine turns messages into state and effects; `ui` draws the state;
//! `runtime` is the only impure loop.

pub mod app;
pub mod athena;
pub mod clipboard;
pub mod cmd;
pub mod config;
pub mod detect;
mod did_you_mean;
pub mod explain;
pub mod export;
pub mod filter;
pub mod job;
pub mod keymap;
pub mod lake;
pub mod lineage;
pub mod model;
pub mod profile;
pub mod runtime;
pub mod session;
pub mod source;
pub mod terminal;
pub mod theme;
pub mod toml_error;
pub mod trino;
pub mod ui;

/// The version with the git revision it was built from (see build.rs): `0.1.0 (git 3d39923)`.
pub const VERSION: &str = env!("TRAILSCOPE_VERSION");
