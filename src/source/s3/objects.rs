//! Every object under a prefix, read in parallel with the load's own machinery (its retries,
//! the cut-body checks, the size bound on one object): for what another service writes into
//! S3 for trailscope to read, such as Athena's UNLOAD. The trail loader lists by date
//! folders and parses trail files; this lists one prefix whole and hands each object's bytes
//! to the caller as it arrives.

use super::client::client;
use super::connect::words;
use super::discover::{Bucket, Ctx};
use super::download::{fetch, Got, Object};
use super::errors::Doing;
use super::retry::with_retries;
use super::stats::Stats;
use super::url::parse;
use crate::source::files::CancelToken;
use aws_config::SdkConfig;
use std::sync::Arc;
use tokio::task::JoinSet;

/// Objects downloading at once.
const CONCURRENCY: usize = 8;
/// More objects than any result trailscope asks for is written as (Athena writes one per
/// worker, tens to hundreds): past this the listing stops, and says so.
const MAX_OBJECTS: usize = 100_000;

/// One object's key and its bytes, or why they could not be read.
pub(crate) type Arrived = (String, Result<Vec<u8>, String>);

/// Lists `location` (`s3://BUCKET/PREFIX/`) in `region` and downloads every object under it,
/// `CONCURRENCY` at once; each arrives through `arrived` in the order downloads finish. Returns
/// how many objects there were, or why the prefix could not be listed. A cancel stops
/// between objects.
pub(crate) async fn read_all(
    config: &SdkConfig,
    region: &str,
    location: &str,
    cancel: &CancelToken,
    arrived: tokio::sync::mpsc::Sender<Arrived>,
) -> Result<usize, String> {
    let url = parse(location)?;
    let bucket = Arc::new(Bucket {
        client: client(config, region),
        name: url.bucket.clone(),
    });
    let stats = Arc::new(Stats::default());
    let objects = list(&bucket, &url.prefix, &stats, cancel).await?;
    let count = objects.len();
    let mut tasks = JoinSet::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    for obj in objects {
        if cancel.is_cancelled() {
            break;
        }
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let (bucket, stats, cancel, arrived) = (
            bucket.clone(),
            stats.clone(),
            cancel.clone(),
            arrived.clone(),
        );
        tasks.spawn(async move {
            let ctx = Ctx {
                stats: &stats,
                cancel: &cancel,
            };
            let got = match fetch(&bucket, &obj, None, &ctx).await {
                Got::Bytes { bytes, .. } => Ok(bytes),
                Got::Failed(why) => Err(why),
                Got::Cancelled => return,
            };
            // The receiver gone means the reader stopped: nothing more is wanted. The slot is
            // held until the reader took the object, so at most CONCURRENCY wait in memory.
            let _ = arrived.send((obj.key, got)).await;
            drop(slot);
        });
    }
    while tasks.join_next().await.is_some() {}
    Ok(count)
}

/// Every object under `prefix`, in key order.
async fn list(
    bucket: &Bucket,
    prefix: &str,
    stats: &Stats,
    cancel: &CancelToken,
) -> Result<Vec<Object>, String> {
    let doing = Doing::List {
        bucket: &bucket.name,
        prefix,
    };
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = with_retries(stats, cancel, doing, || {
            bucket
                .client
                .list_objects_v2()
                .bucket(&bucket.name)
                .prefix(prefix)
                .set_continuation_token(token.clone())
                .send()
        })
        .await;
        let page = match page {
            None => return Ok(found),
            Some(Ok(page)) => page,
            Some(Err(failure)) => return Err(words(failure, &bucket.name)),
        };
        found.extend(page.contents().iter().map(|o| Object {
            key: o.key().unwrap_or_default().to_string(),
            size: o.size().unwrap_or(0).max(0) as u64,
            etag: o.e_tag().unwrap_or_default().to_string(),
        }));
        if found.len() >= MAX_OBJECTS {
            return Err(format!(
                "more than {MAX_OBJECTS} objects under s3://{}/{prefix}: not a result trailscope wrote",
                bucket.name
            ));
        }
        token = page.next_continuation_token().map(str::to_string);
        if token.is_none() {
            return Ok(found);
        }
    }
}
