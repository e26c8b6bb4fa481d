//! Runs an S3 load: per location, find the bucket's region and what to list; list the window's
//! date prefixes; download up to `concurrency` objects at once (each from the cache when it
//! has it); and parse each object on worker threads as soon as it arrives, batching records
//! across objects like the file loader. Listing waits for a free download slot, and downloads
//! wait for the parsers, so memory holds at most a few objects per slot however large the
//! window. Every failure becomes a warning naming the object or prefix; the rest loads.

use super::cache::Cache;
use super::connect::{connect, words};
use super::discover::{discover, Bucket, Ctx, Target};
use super::download::{fetch, Got, Object};
use super::errors::Doing;
use super::plan::{date_prefixes, is_log_key, may_hold};
use super::retry::with_retries;
use super::stats::Stats;
use super::url::S3Url;
use super::S3Load;
use crate::job::{Ending, JobMsg, Progress, Reporter};
use crate::model::record::Unread;
use crate::model::warning::{Location, Warning};
use crate::source::files::{internal_error, BytesParser, CancelToken};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// Object bytes held at once, downloading, waiting or being parsed, counted in KiB: memory is
/// bounded by bytes, not by a count of objects that may each be large.
const BYTES_HELD_KIB: usize = 512 << 10;

/// An object's share of `BYTES_HELD_KIB` (a larger object takes all of it, alone).
fn held_kib(size: u64) -> u32 {
    (size.div_ceil(1024) as usize).clamp(1, BYTES_HELD_KIB) as u32
}

/// Failures of one kind named one by one; past this they are counted in a closing note.
const NAMED_PER_REASON: usize = 10;

/// Starts the load on its own thread and runtime; returns at once. Ends with `Done`.
pub fn spawn_load(load: S3Load, tx: Reporter, cancel: CancelToken) {
    let fallback = tx.clone();
    let spawned = std::thread::Builder::new()
        .name("s3".into())
        .spawn(move || {
            match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("s3-io")
                .enable_all()
                .build()
            {
                Ok(rt) => rt.block_on(run(load, tx, cancel)),
                Err(e) => {
                    let origin: Arc<str> = Arc::from("s3");
                    let w = Warning::problem(
                        &origin,
                        Location::WholeFile,
                        format!("cannot start the downloader: {e}"),
                    );
                    tx.blocking_send(JobMsg::Warnings(vec![w]));
                    tx.blocking_send(JobMsg::Done(Ending::Failed(
                        "the S3 downloader did not start".into(),
                    )));
                }
            }
        });
    if spawned.is_err() {
        fallback.try_send(JobMsg::Done(Ending::Failed(
            "the S3 downloader's thread did not start".into(),
        )));
    }
}

/// Loads everything and returns when done: for `trailscope query` and tests.
pub fn load_blocking(load: S3Load) -> (crate::model::store::Store, Vec<Warning>) {
    let plan = crate::source::walk::Plan {
        s3: Some(load),
        ..Default::default()
    };
    crate::source::files::load_blocking(plan)
}

/// An object downloaded, on its way to a parser.
struct Arrived {
    origin: Arc<str>,
    bytes: Vec<u8>,
    /// This object's share of `BYTES_HELD`, given back once it is parsed.
    _held: OwnedSemaphorePermit,
}

/// What the tasks of one load share.
struct Shared {
    stats: Stats,
    cancel: CancelToken,
    cache: Option<Cache>,
    tx: Reporter,
    failures: Mutex<HashMap<String, usize>>,
}

impl Shared {
    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            stats: &self.stats,
            cancel: &self.cancel,
        }
    }

    /// A failure, named unless this reason was named often enough already.
    async fn failed(&self, origin: &Arc<str>, why: String) {
        self.stats.errors.fetch_add(1, Relaxed);
        let named = match self.failures.lock() {
            Ok(mut seen) => {
                let n = seen.entry(why.clone()).or_insert(0);
                *n += 1;
                *n <= NAMED_PER_REASON
            }
            Err(_) => true,
        };
        if named {
            let w = Warning::problem(origin, Location::WholeFile, why);
            self.tx.send(JobMsg::Warnings(vec![w])).await;
        }
        self.report().await;
    }

    async fn note(&self, origin: &Arc<str>, what: String) {
        let w = Warning::note(origin, what);
        self.tx.send(JobMsg::Warnings(vec![w])).await;
    }

    async fn report(&self) {
        self.tx
            .send(JobMsg::Progress(Progress::Files(self.stats.progress())))
            .await;
    }
}

async fn run(load: S3Load, tx: Reporter, cancel: CancelToken) {
    let started = std::time::Instant::now();
    let (cache, cache_problem) = match &load.cache {
        Some((dir, limit)) => match Cache::open(dir, *limit) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(format!("{e}: downloads are not cached"))),
        },
        None => (None, None),
    };
    let shared = Arc::new(Shared {
        stats: Stats::default(),
        cancel,
        cache,
        tx: tx.clone(),
        failures: Mutex::new(HashMap::new()),
    });
    shared.stats.listing.store(true, Relaxed);
    if let Some(p) = cache_problem {
        shared.note(&Arc::from("s3-cache"), p).await;
    }
    let (arrived_tx, arrived_rx) = mpsc::channel::<Arrived>(load.concurrency.max(1));
    let workers = start_parsers(arrived_rx, &shared, load.unread);
    let config = crate::source::lookup::client::load_config(load.profile.as_deref()).await;
    let slots = Arc::new(Semaphore::new(load.concurrency.max(1)));
    let held = Arc::new(Semaphore::new(BYTES_HELD_KIB));
    let mut tasks = JoinSet::new();
    let mut seen = HashSet::new();
    for url in &load.urls {
        let origin: Arc<str> = Arc::from(url.display());
        let reached = connect(&config, url, load.bucket_region.as_deref(), &shared.ctx()).await;
        if let Ok((_, Some(note))) = &reached {
            shared.note(&Arc::from(url.display()), note.clone()).await;
        }
        let bucket = match reached.map(|(b, _)| b) {
            Ok(b) => Arc::new(b),
            Err(why) => {
                shared.failed(&origin, why).await;
                continue;
            }
        };
        let ctx = shared.ctx();
        let found = discover(&bucket, &url.prefix, &load.accounts, &load.regions, &ctx).await;
        let found = match found {
            Ok(f) => f,
            Err(failure) => {
                shared.failed(&origin, words(failure, &bucket.name)).await;
                continue;
            }
        };
        for n in found.notes {
            shared.note(&origin, n).await;
        }
        if found.targets.is_empty() {
            shared
                .note(
                    &origin,
                    "no account or region here matches --accounts / --regions".into(),
                )
                .await;
        }
        for target in found.targets {
            let prefixes = match target {
                Target::Region(p) => date_prefixes(&p, load.window.0, load.window.1),
                Target::Whole(p) => vec![p],
            };
            for prefix in prefixes {
                let listing = List {
                    bucket: &bucket,
                    prefix: &prefix,
                    load: &load,
                    shared: &shared,
                };
                listing
                    .run(&mut seen, (&slots, &held), &mut tasks, &arrived_tx)
                    .await;
            }
        }
    }
    shared.stats.listing.store(false, Relaxed);
    shared.report().await;
    while tasks.join_next().await.is_some() {}
    drop(arrived_tx);
    for w in workers {
        let _ = tokio::task::spawn_blocking(move || w.join()).await;
    }
    finish(&shared, started).await;
}

/// One prefix's objects, page by page, each handed to a download slot as one frees up.
struct List<'a> {
    bucket: &'a Arc<Bucket>,
    prefix: &'a str,
    load: &'a S3Load,
    shared: &'a Arc<Shared>,
}

impl List<'_> {
    async fn run(
        &self,
        seen: &mut HashSet<(String, String)>,
        (slots, held): (&Arc<Semaphore>, &Arc<Semaphore>),
        tasks: &mut JoinSet<()>,
        arrived: &mpsc::Sender<Arrived>,
    ) {
        let (b, shared) = (self.bucket, self.shared);
        let mut token: Option<String> = None;
        let (start, end) = self.load.window;
        loop {
            let doing = Doing::List {
                bucket: &b.name,
                prefix: self.prefix,
            };
            let page = with_retries(&shared.stats, &shared.cancel, doing, || {
                b.client
                    .list_objects_v2()
                    .bucket(&b.name)
                    .prefix(self.prefix)
                    .set_continuation_token(token.clone())
                    .send()
            })
            .await;
            let page = match page {
                None => return,
                Some(Ok(p)) => p,
                Some(Err(failure)) => {
                    let origin: Arc<str> = Arc::from(S3Url::object(&b.name, self.prefix));
                    shared.failed(&origin, words(failure, &b.name)).await;
                    return;
                }
            };
            for o in page.contents() {
                let Some(key) = o.key() else { continue };
                if !is_log_key(key)
                    || !may_hold(key, start, end)
                    || !seen.insert((b.name.clone(), key.to_string()))
                {
                    continue;
                }
                let object = Object {
                    key: key.to_string(),
                    size: o.size().and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                    etag: o.e_tag().unwrap_or("").to_string(),
                };
                shared.stats.listed.fetch_add(1, Relaxed);
                shared.stats.listed_bytes.fetch_add(object.size, Relaxed);
                let Ok(slot) = slots.clone().acquire_owned().await else {
                    return;
                };
                let Ok(bytes) = held.clone().acquire_many_owned(held_kib(object.size)).await else {
                    return;
                };
                if shared.cancel.is_cancelled() {
                    return;
                }
                let (b, shared, arrived) = (b.clone(), shared.clone(), arrived.clone());
                tasks.spawn(async move {
                    download_one(&b, object, &shared, &arrived, bytes).await;
                    drop(slot);
                });
                while tasks.try_join_next().is_some() {}
            }
            shared.report().await;
            match page.next_continuation_token() {
                Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_string()),
                _ => return,
            }
        }
    }
}

async fn download_one(
    b: &Bucket,
    object: Object,
    shared: &Shared,
    arrived: &mpsc::Sender<Arrived>,
    held: OwnedSemaphorePermit,
) {
    let origin: Arc<str> = Arc::from(S3Url::object(&b.name, &object.key));
    match fetch(b, &object, shared.cache.as_ref(), &shared.ctx()).await {
        Got::Bytes { bytes, cached } => {
            if cached {
                shared.stats.cached.fetch_add(1, Relaxed);
                shared.stats.bytes.fetch_add(bytes.len() as u64, Relaxed);
            }
            let _ = arrived
                .send(Arrived {
                    origin,
                    bytes,
                    _held: held,
                })
                .await;
        }
        Got::Failed(why) => {
            shared.stats.done.fetch_add(1, Relaxed);
            shared.failed(&origin, why).await;
        }
        Got::Cancelled => {}
    }
}

/// Parser threads: as many as the file loader uses, each batching across objects.
fn start_parsers(
    rx: mpsc::Receiver<Arrived>,
    shared: &Arc<Shared>,
    unread: Unread,
) -> Vec<std::thread::JoinHandle<()>> {
    let rx = Arc::new(Mutex::new(rx));
    let n = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    (0..n)
        .filter_map(|i| {
            let (rx, shared) = (rx.clone(), shared.clone());
            std::thread::Builder::new()
                .name(format!("s3-parse-{i}"))
                .spawn(move || parse_arrivals(&rx, &shared, unread))
                .ok()
        })
        .collect()
}

fn parse_arrivals(rx: &Mutex<mpsc::Receiver<Arrived>>, shared: &Shared, unread: Unread) {
    let mut parser = BytesParser::new(&shared.tx, unread);
    loop {
        let next = match rx.lock() {
            Ok(mut r) => r.blocking_recv(),
            Err(_) => None,
        };
        let Some(arrived) = next else {
            parser.flush();
            return;
        };
        if shared.cancel.is_cancelled() {
            continue; // drained, so no download waits on a full channel
        }
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parser.parse(&arrived.origin, arrived.bytes, &shared.cancel)
        }));
        let (events, open) = match parsed {
            Ok(counts) => counts,
            Err(payload) => {
                let w = internal_error(&arrived.origin, payload.as_ref());
                shared.stats.errors.fetch_add(1, Relaxed);
                (0, shared.tx.blocking_send(JobMsg::Warnings(vec![w])))
            }
        };
        shared.stats.events.fetch_add(events, Relaxed);
        shared.stats.done.fetch_add(1, Relaxed);
        let progress = JobMsg::Progress(Progress::Files(shared.stats.progress()));
        if !open || !shared.tx.blocking_send(progress) {
            return;
        }
    }
}

/// The closing notes (what was read, from where, what was left out) and `Done`.
async fn finish(shared: &Shared, started: std::time::Instant) {
    let s = &shared.stats;
    let origin: Arc<str> = Arc::from("s3");
    let unnamed: usize = match shared.failures.lock() {
        Ok(f) => f.values().map(|n| n.saturating_sub(NAMED_PER_REASON)).sum(),
        Err(_) => 0,
    };
    if unnamed > 0 {
        let w = Warning::problem(
            &origin,
            Location::WholeFile,
            format!("{unnamed} more object(s) failed for the reasons above (only {NAMED_PER_REASON} of each are named)"),
        );
        shared.tx.send(JobMsg::Warnings(vec![w])).await;
    }
    let (listed, done) = (s.listed.load(Relaxed), s.done.load(Relaxed));
    if shared.cancel.is_cancelled() {
        shared
            .note(&origin, format!("stopped: {done} of {listed} listed object(s) read; opening the window again reads the rest (what was read is cached)"))
            .await;
    }
    let cached = s.cached.load(Relaxed);
    let mut summary = format!(
        "{done} of {listed} object(s) read ({} downloaded, {cached} from the cache), {} event(s), {} bytes, {} request(s), {} throttle(s), {} retry(ies) in {:.1} s; at most {} download(s) at once",
        done.saturating_sub(cached + s.errors.load(Relaxed)),
        s.events.load(Relaxed),
        s.bytes.load(Relaxed),
        s.requests.load(Relaxed),
        s.throttles.load(Relaxed),
        s.retries.load(Relaxed),
        started.elapsed().as_secs_f64(),
        s.peak_downloads.load(Relaxed)
    );
    if let Some(c) = &shared.cache {
        let dir = c.dir().to_path_buf();
        let removed = tokio::task::block_in_place(|| c.evict());
        summary.push_str(&format!("; cache {}", dir.display()));
        if removed > 0 {
            summary.push_str(&format!(" ({removed} bytes of old entries removed)"));
        }
    }
    shared.note(&origin, summary).await;
    shared.report().await;
    let ending = match shared.cancel.is_cancelled() {
        true => Ending::Stopped,
        false => Ending::Finished,
    };
    shared.tx.send(JobMsg::Done(ending)).await;
}

#[cfg(test)]
mod tests {
    use super::{held_kib, BYTES_HELD_KIB};

    /// Memory is bounded by bytes held, not objects: a trail file takes its KiB of the budget,
    /// an empty or unsized one at least one, and one larger than the budget all of it (so it
    /// downloads alone instead of never).
    #[test]
    fn each_object_takes_its_size_from_the_byte_budget() {
        assert_eq!(held_kib(0), 1);
        assert_eq!(held_kib(1), 1);
        assert_eq!(held_kib(1024), 1);
        assert_eq!(held_kib(1025), 2);
        assert_eq!(held_kib(30 << 20), 30 << 10);
        assert_eq!(held_kib(u64::MAX), BYTES_HELD_KIB as u32);
        // Twelve downloads of 64 MiB objects cannot all be held at once.
        assert!(12 * held_kib(64 << 20) as usize > BYTES_HELD_KIB);
    }
}
