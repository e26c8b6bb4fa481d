//! Trails read straight from their S3 bucket (`trailscope s3://BUCKET[/PREFIX]`): `url` reads
//! the location, `discover` finds the organizations, accounts and regions under `AWSLogs/`,
//! `plan` turns the window into the date prefixes worth listing, `download` fetches objects
//! (bounded, retried by `retry`, explained by `errors`) through `cache`, and `load` runs it
//! all, handing each object to the same parser as files as soon as it arrives. `survey` lists
//! what an Athena table over the bucket needs (its region folders and, by `first_day`, the
//! earliest day folder), downloading nothing.

pub mod cache;
mod client;
mod connect;
mod discover;
mod download;
mod errors;
mod first_day;
mod load;
pub(crate) mod objects;
pub mod plan;
mod retry;
pub(crate) mod size;
mod stats;
pub mod survey;
pub mod url;

pub use load::{load_blocking, spawn_load};

use crate::model::time::EventTime;
use std::path::PathBuf;

/// Objects downloading at once, unless `--s3-concurrency` says otherwise: enough to hide
/// S3's latency, few enough not to be throttled or to swamp two cores parsing.
pub const DEFAULT_CONCURRENCY: usize = 12;

/// One S3 load: where, which window, narrowed how, and how to reach it.
#[derive(Clone, Debug)]
pub struct S3Load {
    pub urls: Vec<url::S3Url>,
    pub window: (EventTime, EventTime),
    /// Only these accounts (empty: every account found).
    pub accounts: Vec<String>,
    /// Only these regions' logs (empty: every region found).
    pub regions: Vec<String>,
    pub profile: Option<String>,
    /// The bucket's region (`--region`); found from S3's answer when not given.
    pub bucket_region: Option<String>,
    pub concurrency: usize,
    /// The data directory whose `s3-cache/` keeps downloads, and its size limit; `None`:
    /// no cache.
    pub cache: Option<(PathBuf, u64)>,
    /// The parts of records nobody will read (headless counts and groupings).
    pub unread: crate::model::record::Unread,
}

impl S3Load {
    /// How the title bar and saved provenance name it.
    pub fn label(&self) -> String {
        let urls: Vec<String> = self.urls.iter().map(url::S3Url::display).collect();
        format!(
            "{} {} → {}",
            urls.join(", "),
            self.window.0.format_utc(),
            self.window.1.format_utc()
        )
    }
}
