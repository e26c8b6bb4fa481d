//! One S3 request, tried again after a pause when the failure is one a pause can fix
//! (SlowDown, 5xx, a cut connection, a timeout), with backoff and jitter so parallel downloads
//! do not retry in step. Throttles and retries are counted for the status line.

use super::errors::{classify, Doing, Failure};
use super::stats::Stats;
use crate::source::files::CancelToken;
use crate::source::lookup::pager::{backoff, Jitter};
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use std::future::Future;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

/// Tries in all, the first included.
pub(crate) const MAX_TRIES: u32 = 6;
/// The first pause; it doubles each time (to 16×).
const BACKOFF: Duration = Duration::from_millis(200);

/// `op` until it succeeds, fails for good, or the load is cancelled (`None`).
pub(crate) async fn with_retries<T, E, F, Fut>(
    stats: &Stats,
    cancel: &CancelToken,
    doing: Doing<'_>,
    mut op: F,
) -> Option<Result<T, Failure>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
{
    let mut jitter = Jitter::new(match doing {
        Doing::List { prefix, .. } => prefix,
        Doing::Get { key, .. } => key,
    });
    let mut tries = 0;
    loop {
        if cancel.is_cancelled() {
            return None;
        }
        tries += 1;
        stats.requests.fetch_add(1, Relaxed);
        let failure = match op().await {
            Ok(v) => return Some(Ok(v)),
            Err(e) => classify(&e, doing),
        };
        match failure {
            Failure::Transient { throttled, what } => {
                if throttled {
                    stats.throttles.fetch_add(1, Relaxed);
                } else {
                    stats.retries.fetch_add(1, Relaxed);
                }
                if tries >= MAX_TRIES {
                    return Some(Err(Failure::Fatal(gave_up(&what, throttled))));
                }
                tokio::time::sleep(backoff(BACKOFF, tries, jitter.next())).await;
            }
            other => return Some(Err(other)),
        }
    }
}

fn gave_up(what: &str, throttled: bool) -> String {
    match throttled {
        true => format!("{what}, {MAX_TRIES} times in a row: try fewer parallel downloads (--s3-concurrency 4) and open the window again; objects already read are cached"),
        false => format!("{what}; gave up after {MAX_TRIES} tries: check the network (VPN, proxy, endpoint) and open the window again; objects already read are cached"),
    }
}
