//! The file source: reads planned inputs on worker threads, parses them and streams batches.
//! Small files are flushed one by one so the first rows appear at once; large ones in chunks.

use super::input::{decode_within, is_gzip};
use super::stream::{stream_input, INFLATE_WHOLE_MAX, STREAM_ABOVE};
use super::walk::{Input, Plan};
use super::Progress;
use crate::job::{Ending, JobMsg, Reporter};
use crate::model::parse::{parse_text, Sink};
use crate::model::record::{Record, Unread};
use crate::model::warning::{Location, Warning};
use crate::model::warning_log::PerInput;
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

/// Records per batch. Workers batch across files (S3 trail files hold ~100 events each):
/// every batch costs a merge into the store's time order, so many tiny batches would make a
/// million-event load quadratic. But a batch is held whole, in plain records, by its worker
/// and the channel until the store takes it: the app's peak at 1M was 820–823 MiB with 8,192,
/// 786–791 with 1,024 and 781–787 with 512, the load time unchanged (BENCHMARKS.md).
const BATCH: usize = 512;
/// A worker also flushes after this long, so rows keep appearing on a slow disk or link.
const FLUSH_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// Cancels a running load: workers stop between files.
#[derive(Clone, Default, Debug)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

struct Shared {
    inputs: Vec<Input>,
    unread: Unread,
    next: AtomicUsize,
    done: AtomicUsize,
    bytes: AtomicU64,
    tx: Reporter,
    cancel: CancelToken,
}

/// Starts loading planned inputs on background threads; returns at once. Ends with
/// `JobMsg::Done`: `Stopped` when cancelled, else `Finished`.
pub fn spawn_load(planned: Plan, tx: Reporter, cancel: CancelToken) {
    if let Some(mut s3) = planned.s3 {
        s3.unread = s3.unread.union(planned.unread);
        return super::s3::spawn_load(s3, tx, cancel);
    }
    if !planned.warnings.is_empty() {
        tx.blocking_send(JobMsg::Warnings(planned.warnings));
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let workers = workers.min(planned.inputs.len()).max(1);
    let shared = Arc::new(Shared {
        inputs: planned.inputs,
        unread: planned.unread,
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
        tx,
        cancel,
    });
    let remaining = Arc::new(AtomicUsize::new(workers));
    for n in 0..workers {
        let (s, r) = (shared.clone(), remaining.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("load-{n}"))
            .spawn(move || {
                worker(&s);
                finish_worker(&s, &r);
            });
        if spawned.is_err() {
            finish_worker(&shared, &remaining);
        }
    }
}

/// The last worker out says the load is complete.
fn finish_worker(shared: &Shared, remaining: &AtomicUsize) {
    if remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
        let ending = match shared.cancel.is_cancelled() {
            true => Ending::Stopped,
            false => Ending::Finished,
        };
        shared.tx.blocking_send(JobMsg::Done(ending));
    }
}

fn worker(shared: &Shared) {
    let mut sink = Streamer {
        tx: &shared.tx,
        records: Vec::new(),
        warnings: Vec::new(),
        per_input: PerInput::default(),
        // The first file is flushed at once: first rows on screen matter more than batching.
        last_flush: std::time::Instant::now() - FLUSH_AFTER,
        unread: shared.unread,
        seen: 0,
    };
    loop {
        if shared.cancel.is_cancelled() {
            return;
        }
        let i = shared.next.fetch_add(1, Ordering::Relaxed);
        let Some(input) = shared.inputs.get(i) else {
            sink.flush();
            return;
        };
        let origin: Arc<str> = Arc::from(input.label());
        let open = guarded(&origin, &mut sink, |sink| {
            read_one(shared, input, &origin, sink)
        });
        sink.end_input();
        if !open {
            return; // the receiver is gone: nobody wants the rest
        }
        if sink.due() && !sink.flush() {
            return;
        }
        let done = shared.done.fetch_add(1, Ordering::Relaxed) + 1;
        let progress = Progress {
            files_done: done,
            files_total: shared.inputs.len(),
            bytes_read: shared.bytes.load(Ordering::Relaxed),
            ..Progress::default()
        };
        if !shared
            .tx
            .blocking_send(JobMsg::Progress(crate::job::Progress::Files(progress)))
        {
            return;
        }
    }
}

/// Reads and parses one input: whole when small, in pieces when large (`stream`). False once
/// the receiver has hung up or the load was cancelled.
fn read_one(shared: &Shared, input: &Input, origin: &Arc<str>, sink: &mut Streamer) -> bool {
    let between_pieces =
        |sink: &mut Streamer, _| !shared.cancel.is_cancelled() && (!sink.due() || sink.flush());
    let whole = |sink: &mut Streamer, bytes: Vec<u8>| {
        shared
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        read_bytes(origin, bytes, sink, &shared.cancel);
    };
    // Large files, pipes and stdin are streamed: their size is large or not known until they
    // end, and only streaming bounds the memory they take and stops on Esc. A file's size is
    // the open file's, not the listing's.
    let opened = match input {
        Input::File { path } => Some(open_regular(path).map(|(file, size)| (file, Some(size)))),
        Input::Pipe { path } => Some(std::fs::File::open(path).map(|file| (file, None))),
        _ => None,
    };
    if let Some(opened) = opened {
        let read = opened.and_then(|(file, size)| match size {
            Some(size) if size < STREAM_ABOVE as u64 => {
                read_whole(file, size).map(|bytes| whole(sink, bytes))
            }
            _ => open_counted(file, &shared.bytes)
                .map(|reader| stream_input(origin, reader, sink, between_pieces)),
        });
        if let Err(e) = read {
            sink.warning(cannot_read(origin, &e));
        }
        return true;
    }
    if let Input::Stdin = input {
        match open_counted(std::io::stdin().lock(), &shared.bytes) {
            Ok(reader) => stream_input(origin, reader, sink, between_pieces),
            Err(e) => sink.warning(cannot_read(origin, &e)),
        }
        return true;
    }
    match read_all(input) {
        Ok(bytes) => whole(sink, bytes),
        Err(e) => sink.warning(cannot_read(origin, &e)),
    }
    true
}

/// Parses one whole input held in memory: inflated whole when small, streamed when its gzip
/// inflates past `INFLATE_WHOLE_MAX`.
fn read_bytes(origin: &Arc<str>, bytes: Vec<u8>, sink: &mut Streamer, cancel: &CancelToken) {
    let between_pieces =
        |sink: &mut Streamer, _| !cancel.is_cancelled() && (!sink.due() || sink.flush());
    match decode_within(origin, bytes, INFLATE_WHOLE_MAX) {
        Ok(decoded) => {
            decoded.warnings.into_iter().for_each(|w| sink.warning(w));
            parse_text(origin, &decoded.text, sink);
        }
        Err(gzipped) => {
            let inflating = MultiGzDecoder::new(gzipped.as_slice());
            stream_input(origin, inflating, sink, between_pieces);
        }
    }
}

/// Parses inputs that arrive as bytes (downloads), batching records across them like the file
/// workers do: one parser per worker thread.
pub(crate) struct BytesParser<'a> {
    sink: Streamer<'a>,
}

impl<'a> BytesParser<'a> {
    pub(crate) fn new(tx: &'a Reporter, unread: Unread) -> BytesParser<'a> {
        BytesParser {
            sink: Streamer {
                tx,
                records: Vec::new(),
                warnings: Vec::new(),
                per_input: PerInput::default(),
                last_flush: std::time::Instant::now() - FLUSH_AFTER,
                unread,
                seen: 0,
            },
        }
    }

    /// Parses one input; the number of records it held. Sends a batch when one is due; false
    /// once the receiver has hung up.
    pub(crate) fn parse(
        &mut self,
        origin: &Arc<str>,
        bytes: Vec<u8>,
        cancel: &CancelToken,
    ) -> (u64, bool) {
        let before = self.sink.seen;
        read_bytes(origin, bytes, &mut self.sink, cancel);
        self.sink.end_input();
        let open = !self.sink.due() || self.sink.flush();
        (self.sink.seen - before, open)
    }

    /// Sends whatever is pending; false once the receiver has hung up.
    pub(crate) fn flush(&mut self) -> bool {
        self.sink.flush()
    }
}

/// Reads one input with `read`; a bug that panics on it costs that input (a warning says
/// so), not the load: the other inputs are read.
fn guarded<S: Sink>(origin: &Arc<str>, sink: &mut S, read: impl FnOnce(&mut S) -> bool) -> bool {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(sink)));
    outcome.unwrap_or_else(|payload| {
        sink.warning(internal_error(origin, payload.as_ref()));
        true
    })
}

/// The warning for an input whose reading panicked (a bug in trailscope, not the input's
/// fault): what was read before it stays.
pub(crate) fn internal_error(origin: &Arc<str>, payload: &(dyn std::any::Any + Send)) -> Warning {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Warning::problem(
        origin,
        Location::WholeFile,
        format!("not read completely: trailscope hit an internal error ({message}); the other inputs were read; please report it with this file if you can"),
    )
}

fn cannot_read(origin: &Arc<str>, e: &std::io::Error) -> Warning {
    Warning::problem(origin, Location::WholeFile, format!("cannot read: {e}"))
}

/// Opens a file planned as a regular one, refusing it if it no longer is (swapped for a pipe
/// or a device after the folder was walked). Opened without blocking, so a FIFO put in its
/// place cannot hang the open itself.
pub(crate) fn open_regular(path: &std::path::Path) -> std::io::Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "no longer a regular file (replaced since the folder was listed): not read",
        ));
    }
    Ok((file, meta.len()))
}

/// A small file's bytes; `size` is its length when opened (it may still grow).
fn read_whole(mut file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.read_to_end(&mut buf)?;
    Ok(buf)
}

/// An input to stream, gunzipped if it is gzip, counting its bytes into the progress.
fn open_counted<'a>(
    inner: impl Read + 'a,
    counter: &'a AtomicU64,
) -> std::io::Result<Box<dyn Read + 'a>> {
    use std::io::BufRead;
    let mut file = std::io::BufReader::with_capacity(1 << 20, Counted { inner, counter });
    Ok(match is_gzip(file.fill_buf()?) {
        true => Box::new(MultiGzDecoder::new(file)),
        false => Box::new(file),
    })
}

/// Counts the bytes read through it.
struct Counted<'a, R> {
    inner: R,
    counter: &'a AtomicU64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An input's bytes, read whole (public for the test rig's generator, which copies records
/// from template files).
pub fn read_all(input: &Input) -> std::io::Result<Vec<u8>> {
    match input {
        Input::File { path } => {
            let (file, size) = open_regular(path)?;
            read_whole(file, size)
        }
        // Unbounded inputs: read whole only by callers that bound them (the demo and tests).
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Input::Pipe { path } => std::fs::read(path),
        Input::Embedded { bytes, .. } => Ok(bytes.to_vec()),
        Input::Stored {
            db,
            investigation,
            seq,
            ..
        } => crate::session::reopen::read_block(db, *investigation, *seq),
    }
}

struct Streamer<'a> {
    tx: &'a Reporter,
    records: Vec<Record>,
    warnings: Vec<Warning>,
    /// The current input's warnings past the first few, counted (bounded however many).
    per_input: PerInput,
    last_flush: std::time::Instant,
    unread: Unread,
    /// Records parsed so far (downloads report events per object).
    seen: u64,
}

impl Streamer<'_> {
    /// Time to send what is pending: a full batch, or rows waiting too long.
    fn due(&self) -> bool {
        self.records.len() >= BATCH
            || !self.warnings.is_empty()
            || self.last_flush.elapsed() >= FLUSH_AFTER
    }

    /// After each input: the warnings it counted rather than sent join the next message.
    fn end_input(&mut self) {
        let counted = self.per_input.finish();
        self.warnings.extend(counted);
    }

    /// Sends what is pending; false once the receiver has hung up.
    fn flush(&mut self) -> bool {
        self.last_flush = std::time::Instant::now();
        if !self.warnings.is_empty() {
            let w = std::mem::take(&mut self.warnings);
            if !self.tx.blocking_send(JobMsg::Warnings(w)) {
                return false;
            }
        }
        if !self.records.is_empty() {
            let mut r = std::mem::take(&mut self.records);
            if !self.unread.raw {
                crate::model::raw::pack(r.iter_mut().map(|rec| &mut rec.raw));
            }
            if !self.tx.blocking_send(JobMsg::Records(r)) {
                return false;
            }
        }
        true
    }
}

impl Sink for Streamer<'_> {
    fn record(&mut self, record: Record) {
        self.seen += 1;
        self.records.push(record);
        if self.records.len() >= BATCH {
            self.flush();
        }
    }
    fn warning(&mut self, warning: Warning) {
        if let Some(w) = self.per_input.admit(warning) {
            self.warnings.push(w);
        }
    }
    fn unread(&self) -> Unread {
        self.unread
    }
}

/// Loads everything and returns when done: for headless use and tests (not inside a runtime).
pub fn load_blocking(planned: Plan) -> (crate::model::store::Store, Vec<Warning>) {
    let mut store = crate::model::store::Store::default();
    let warnings = load_each(planned, |records| {
        store.insert_batch(records);
    });
    (store, warnings)
}

/// Loads everything, handing each batch of records to `each` on the calling thread as it
/// arrives, and returns the warnings when done (not inside a runtime).
pub fn load_each(planned: Plan, mut each: impl FnMut(Vec<Record>)) -> Vec<Warning> {
    let (tx, mut rx) = Reporter::channel();
    spawn_load(planned, tx, CancelToken::default());
    let mut warnings = Vec::new();
    while let Some((_, msg)) = rx.blocking_recv() {
        match msg {
            JobMsg::Records(records) => each(records),
            JobMsg::Warnings(w) => warnings.extend(w),
            JobMsg::Done(_) => break,
            JobMsg::Progress(_) | JobMsg::Rows(_) | JobMsg::Stores(_) | JobMsg::Tables(_) => {}
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_reading_one_input_is_a_warning_and_the_load_goes_on() {
        let origin: Arc<str> = Arc::from("bad.json");
        let mut sink: (Vec<Record>, Vec<Warning>) = (Vec::new(), Vec::new());
        let open = guarded(&origin, &mut sink, |_| panic!("index out of bounds"));
        assert!(open, "the load goes on");
        assert_eq!(sink.1.len(), 1);
        let w = sink.1[0].to_string();
        assert!(w.starts_with("bad.json: not read completely"), "{w}");
        assert!(w.contains("index out of bounds"), "{w}");
        let open = guarded(&origin, &mut sink, |_| true);
        assert!(open && sink.1.len() == 1, "a good read adds nothing");
    }
}
