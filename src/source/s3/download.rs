//! One object: from the cache when it holds this ETag, else GetObject, its body read chunk by
//! chunk (so a cancel stops it mid-way) and checked against the length S3 announced; a body
//! cut short is fetched again like any transient failure.

use super::cache::Cache;
use super::discover::{Bucket, Ctx};
use super::errors::{Doing, Failure};
use super::retry::{with_retries, MAX_TRIES};
use crate::source::lookup::pager::{backoff, Jitter};
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

/// Larger than any trail file (CloudTrail delivers a file every few minutes; the busiest
/// accounts' files are tens of MB gzipped): such an object is named, not held in memory.
const MAX_OBJECT: u64 = 256 << 20;

/// A listed object.
#[derive(Clone, Debug)]
pub(crate) struct Object {
    pub key: String,
    pub size: u64,
    pub etag: String,
}

pub(crate) enum Got {
    Bytes { bytes: Vec<u8>, cached: bool },
    Failed(String),
    Cancelled,
}

pub(crate) async fn fetch(b: &Bucket, obj: &Object, cache: Option<&Cache>, ctx: &Ctx<'_>) -> Got {
    if obj.size > MAX_OBJECT {
        return Got::Failed(format!(
            "{} bytes: larger than any CloudTrail file, so not read (`aws s3 cp` it and open the file if it is wanted)",
            obj.size
        ));
    }
    if let Some(c) = cache {
        let hit = tokio::task::block_in_place(|| c.get(&b.name, &obj.key, &obj.etag, obj.size));
        if let Some(bytes) = hit {
            return Got::Bytes {
                bytes,
                cached: true,
            };
        }
    }
    let mut jitter = Jitter::new(&obj.key);
    for attempt in 1..=MAX_TRIES {
        match download(b, obj, ctx).await {
            Some(Ok((bytes, etag))) => {
                if let Some(c) = cache {
                    let etag = etag.as_deref().unwrap_or(&obj.etag);
                    // A cache that cannot be written costs a download next time, nothing more.
                    let _ = tokio::task::block_in_place(|| c.put(&b.name, &obj.key, etag, &bytes));
                }
                return Got::Bytes {
                    bytes,
                    cached: false,
                };
            }
            Some(Err(Cut(_))) if attempt < MAX_TRIES => {
                ctx.stats.retries.fetch_add(1, Relaxed);
                tokio::time::sleep(backoff(Duration::from_millis(200), attempt, jitter.next()))
                    .await;
            }
            Some(Err(Cut(why))) => {
                return Got::Failed(format!("{why}; gave up after {MAX_TRIES} tries"))
            }
            Some(Err(Denied(why))) => return Got::Failed(why),
            None => return Got::Cancelled,
        }
    }
    Got::Cancelled
}

enum Problem {
    /// The body stopped early or failed mid-way: worth another try.
    Cut(String),
    /// The request failed for good (the retries already ran).
    Denied(String),
}
use Problem::{Cut, Denied};

/// One GET and its body; `None` when cancelled.
async fn download(
    b: &Bucket,
    obj: &Object,
    ctx: &Ctx<'_>,
) -> Option<Result<(Vec<u8>, Option<String>), Problem>> {
    let doing = Doing::Get {
        bucket: &b.name,
        key: &obj.key,
    };
    let _downloading = ctx.stats.downloading();
    let sent = with_retries(ctx.stats, ctx.cancel, doing, || {
        b.client.get_object().bucket(&b.name).key(&obj.key).send()
    })
    .await?;
    let mut out = match sent {
        Ok(out) => out,
        Err(Failure::Fatal(why)) => return Some(Err(Denied(why))),
        Err(Failure::WrongRegion(r)) => {
            return Some(Err(Denied(super::errors::wrong_region(
                &b.name,
                "the region in use",
                r.as_deref(),
            ))))
        }
        Err(Failure::Transient { what, .. }) => return Some(Err(Denied(what))),
    };
    let announced = out.content_length().and_then(|n| u64::try_from(n).ok());
    let etag = out.e_tag().map(str::to_string);
    // Reserved for what the listing said (what the byte budget counted), not for what the
    // answer claims.
    let mut bytes =
        Vec::with_capacity(announced.unwrap_or(0).min(obj.size).min(MAX_OBJECT) as usize);
    loop {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        match out.body.next().await {
            None => break,
            Some(Ok(chunk)) => {
                ctx.stats.bytes.fetch_add(chunk.len() as u64, Relaxed);
                bytes.extend_from_slice(&chunk);
                if bytes.len() as u64 > MAX_OBJECT {
                    return Some(Err(Denied(
                        "larger than any CloudTrail file: not read".into(),
                    )));
                }
            }
            Some(Err(e)) => {
                return Some(Err(Cut(format!(
                    "the download was cut after {} bytes ({})",
                    bytes.len(),
                    crate::source::lookup::pager::innermost(&e)
                ))))
            }
        }
    }
    match announced {
        Some(n) if n != bytes.len() as u64 => Some(Err(Cut(format!(
            "the download ended after {} of {n} bytes",
            bytes.len()
        )))),
        _ => Some(Ok((bytes, etag))),
    }
}
