//! Every input shape → records, auto-detected: `{"Records":[…]}`, bare arrays, JSON lines,
//! LookupEvents output (`{"Events":[…]}` or one Event per line), wrapped exports
//! (`event`, `detail`, `_source`), Logstash lines with `@timestamp`.
//!
//! Nothing here fails as a whole: each bad element becomes a `Warning` with its position and
//! the good ones are kept, including those before the point where a truncated file ends.

use super::compact::compact_json;
use super::dup_keys::first_duplicate_key;
use super::loose::text;
use super::record::{CheckedView, Record, RecordView, Unread};
use super::time::EventTime;
use super::warning::{Location, Warning};
use serde_json::value::RawValue;
use std::sync::Arc;

/// CloudTrail caps records at 256 KB; anything far past that is garbage or an attack on memory.
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// Wrappers nest a few levels at most (an export around an Event around a record).
const MAX_WRAPPER_DEPTH: u8 = 4;

/// Receives records and warnings as they are parsed, so large inputs can stream.
pub trait Sink {
    fn record(&mut self, record: Record);
    fn warning(&mut self, warning: Warning);
    /// The parts of records nobody will read (`Unread`): none, unless a headless question says.
    fn unread(&self) -> Unread {
        Unread::default()
    }
}

impl Sink for (Vec<Record>, Vec<Warning>) {
    fn record(&mut self, record: Record) {
        self.0.push(record);
    }
    fn warning(&mut self, warning: Warning) {
        self.1.push(warning);
    }
}

struct Ctx<'s, S: Sink> {
    origin: &'s Arc<str>,
    /// Start of the whole text, for byte offsets of nested elements.
    base: *const u8,
    sink: &'s mut S,
}

impl<S: Sink> Ctx<'_, S> {
    fn offset_of(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.base as usize)
    }
    fn problem(&mut self, location: Location, reason: impl Into<String>) {
        self.sink
            .warning(Warning::problem(self.origin, location, reason));
    }
}

/// Parses one input's whole text. `origin` names it in warnings.
pub fn parse_text(origin: &Arc<str>, text: &str, sink: &mut impl Sink) {
    let body = text.trim_start_matches('\u{feff}');
    let trimmed = body.trim_start();
    let mut ctx = Ctx {
        origin,
        base: text.as_ptr(),
        sink,
    };
    if trimmed.trim_end().is_empty() {
        ctx.problem(Location::WholeFile, "empty input: no events");
        return;
    }
    if trimmed.starts_with('[') {
        // A list, and perhaps more after it (`cat a.json b.json` of two lists): all of it.
        if let Some(end) = stream_array(&mut ctx, trimmed, 0, None) {
            if !trimmed[end..].trim().is_empty() {
                glued_values(&mut ctx, &trimmed[end..]);
            }
        }
        return;
    }
    // The common case, a trail file: its list read straight, each record once.
    if let Some(list) = trail_file_list(trimmed) {
        if trail_file(&mut ctx, trimmed, list) {
            return;
        }
    }
    general_reading(&mut ctx, body, trimmed);
}

/// Every shape, `body` being the text without its byte-order mark and `trimmed` that without
/// leading white space.
fn general_reading<S: Sink>(ctx: &mut Ctx<'_, S>, body: &str, trimmed: &str) {
    // Any other object: read it once, straight into its view.
    if trimmed.starts_with('{') && trimmed.len() <= 4 * MAX_RECORD_BYTES {
        if let Ok(view) = serde_json::from_str::<RecordView>(trimmed) {
            let location = Location::Byte(ctx.offset_of(trimmed));
            return object(ctx, view, trimmed.trim_end(), location, 0, None);
        }
    } else if trimmed.starts_with('{') {
        if let Ok(view) = serde_json::from_str::<RecordView>(trimmed) {
            if view.records.is_some() || view.events.is_some() {
                let location = Location::Byte(ctx.offset_of(trimmed));
                return object(ctx, view, trimmed.trim_end(), location, 0, None);
            }
        }
    }
    let mut stream = serde_json::Deserializer::from_str(trimmed).into_iter::<&RawValue>();
    match stream.next() {
        Some(Ok(first)) if trimmed[stream.byte_offset()..].trim().is_empty() => {
            let location = Location::Byte(ctx.offset_of(first.get()));
            value(ctx, first.get(), location, 0, None);
        }
        Some(Ok(_)) if looks_like_json_lines(trimmed) => json_lines(ctx, body),
        Some(Ok(_)) => glued_values(ctx, trimmed),
        Some(Err(e)) if e.line() > 1 && looks_like_json_lines(trimmed) => json_lines(ctx, body),
        Some(Err(e)) => salvage(ctx, trimmed, &e),
        None => ctx.problem(Location::WholeFile, "empty input: no events"),
    }
}

/// Where the list of `{"Records": […]}` starts, if `text` opens that way (its first key).
fn trail_file_list(text: &str) -> Option<usize> {
    let first_key = text
        .strip_prefix('{')?
        .trim_start_matches([' ', '\n', '\r', '\t']);
    if !first_key.starts_with("\"Records\"") {
        return None;
    }
    let list = list_after_key(first_key, "\"Records\"")?;
    Some(text.len() - list.len())
}

/// A trail file read without first reading it whole as one value (which costs a pass over every
/// byte): its list is streamed, and what it yields is kept only if the file turns out to be that
/// object and nothing else, `{"Records": […]}`. Otherwise (a second key, a second document, a
/// list cut short) nothing was passed on and the general reading decides: false.
fn trail_file<S: Sink>(ctx: &mut Ctx<'_, S>, text: &str, list: usize) -> bool {
    let mut held = Held {
        records: Vec::new(),
        warnings: Vec::new(),
        unread: ctx.sink.unread(),
    };
    let mut inner = Ctx {
        origin: ctx.origin,
        base: ctx.base,
        sink: &mut held,
    };
    let Some(end) = stream_array(&mut inner, &text[list..], 1, None) else {
        return false;
    };
    let bytes = text.as_bytes();
    let close = skip_ws(bytes, list + end);
    if bytes.get(close) != Some(&b'}') || skip_ws(bytes, close + 1) != bytes.len() {
        return false;
    }
    let mut warnings = held.warnings.into_iter().peekable();
    for (index, record) in held.records.into_iter().enumerate() {
        while let Some((_, warning)) = warnings.next_if(|(before, _)| *before <= index) {
            ctx.sink.warning(warning);
        }
        ctx.sink.record(record);
    }
    warnings.for_each(|(_, warning)| ctx.sink.warning(warning));
    true
}

/// What a reading yielded, until it is known to stand.
struct Held {
    records: Vec<Record>,
    /// Each with the number of records that came before it, to pass them on in order.
    warnings: Vec<(usize, Warning)>,
    unread: Unread,
}

impl Sink for Held {
    fn record(&mut self, record: Record) {
        self.records.push(record);
    }
    fn warning(&mut self, warning: Warning) {
        self.warnings.push((self.records.len(), warning));
    }
    fn unread(&self) -> Unread {
        self.unread
    }
}

/// Why a value that is not an object (a number, a word, a string) is not read.
pub(crate) const NOT_A_RECORD: &str = "not a CloudTrail record (expected a JSON object)";

/// One whole JSON value cut out of a larger input by the streaming reader
/// (`source::stream`): a record, a wrapper, or an element of a `Records` list (`depth` 1).
pub(crate) fn parse_value(
    origin: &Arc<str>,
    raw: &str,
    location: Location,
    depth: u8,
    sink: &mut impl Sink,
) {
    let mut ctx = Ctx {
        origin,
        base: raw.as_ptr(),
        sink,
    };
    value(&mut ctx, raw, location, depth, None);
}

/// The warning for a record over the limit, for readers that skip it without holding it.
pub(crate) fn too_large_warning(origin: &Arc<str>, location: Location, len: usize) -> Warning {
    Warning::problem(origin, location, too_large_reason(len))
}

/// A bad line in a JSON-lines file costs only that line; the first line alone tells.
fn looks_like_json_lines(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    serde_json::from_str::<&RawValue>(first).is_ok()
}

fn json_lines<S: Sink>(ctx: &mut Ctx<'_, S>, text: &str) {
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let location = Location::Line(index + 1);
        match serde_json::from_str::<&RawValue>(line) {
            Ok(raw) => value(ctx, raw.get(), location, 0, None),
            Err(e) => ctx.problem(
                location,
                format!("invalid JSON at column {}: {}", e.column(), e),
            ),
        }
    }
}

/// Values one after another but not one per line: pretty-printed documents in a row, or
/// gzip members concatenated (`cat a.json.gz b.json.gz` gives `{…}{…}`). Read up to the first
/// damage, which is reported.
fn glued_values<S: Sink>(ctx: &mut Ctx<'_, S>, text: &str) {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    for item in stream.by_ref() {
        match item {
            Ok(raw) => {
                let location = Location::Byte(ctx.offset_of(raw.get()));
                value(ctx, raw.get(), location, 0, None);
            }
            Err(e) => {
                let reason = match e.is_eof() {
                    true => format!(
                        "input ends inside a value (truncated?): {e}; records before it were kept"
                    ),
                    false => format!(
                        "invalid JSON ({e}); records before it were kept, the rest was not read"
                    ),
                };
                return ctx.problem(Location::Line(e.line()), reason);
            }
        }
    }
}

/// Handles one JSON value: a record, a wrapper around records, or something else to report.
fn value<S: Sink>(
    ctx: &mut Ctx<'_, S>,
    raw: &str,
    location: Location,
    depth: u8,
    fallback_time: Option<EventTime>,
) {
    if raw.len() > 4 * MAX_RECORD_BYTES && !raw.trim_start().starts_with('[') && depth > 0 {
        too_large(ctx, location, raw.len());
        return;
    }
    // Dispatch on the first byte: serde would happily read an array as a struct, by position.
    match raw.trim_start().as_bytes().first() {
        Some(b'[') => {
            stream_array(ctx, raw.trim_start(), depth, fallback_time);
            return;
        }
        Some(b'{') => {}
        _ => return ctx.problem(location, NOT_A_RECORD),
    }
    let view: RecordView = match serde_json::from_str(raw) {
        Ok(v) => v,
        // The view's reading stops at a key it reads twice (a top-level field, or one in
        // `userIdentity`): refused as any other key twice is, with the same words.
        Err(e) => match e.classify() {
            serde_json::error::Category::Data => match first_duplicate_key(raw) {
                Some(key) => return refuse_key_twice(ctx, location, &key),
                None => return ctx.problem(location, format!("invalid JSON: {e}")),
            },
            _ => return ctx.problem(location, format!("invalid JSON: {e}")),
        },
    };
    object(ctx, view, raw, location, depth, fallback_time);
}

/// One JSON object, already read: a record, a wrapper around records, or something else.
fn object<S: Sink>(
    ctx: &mut Ctx<'_, S>,
    view: RecordView,
    raw: &str,
    location: Location,
    depth: u8,
    fallback_time: Option<EventTime>,
) {
    if depth >= MAX_WRAPPER_DEPTH {
        ctx.problem(location, "records nested too deeply inside wrappers");
    } else if let Some(records) = view.records.or(view.events) {
        match records.get().trim_start().starts_with('[') {
            true => {
                stream_array(ctx, records.get(), depth + 1, None);
            }
            false => ctx.problem(location, "\"Records\"/\"Events\" is not a list"),
        }
    } else if view.is_record() {
        record(ctx, view, raw, location, fallback_time);
    } else if let Some(inner) = text(&view.lookup_record).map(str::to_owned) {
        lookup_event(ctx, &view, &inner, location, depth);
    } else if let Some(inner) = view.event.or(view.detail).or(view.es_source) {
        value(ctx, inner.get(), location, depth + 1, fallback_time);
    } else if view.digest_start.is_some() {
        ctx.sink.warning(Warning::note(
            ctx.origin,
            "CloudTrail digest file (integrity hashes, no events): skipped",
        ));
    } else if text(&view.notification_type) == Some("Notification") {
        ctx.problem(
            location,
            "SNS notification about delivered log files, not events: open the S3 objects it names",
        );
    } else {
        ctx.problem(
            location,
            "not a CloudTrail record: no eventTime, eventName, eventSource or userIdentity",
        );
    }
}

fn record<S: Sink>(
    ctx: &mut Ctx<'_, S>,
    view: RecordView,
    raw: &str,
    location: Location,
    fallback: Option<EventTime>,
) {
    if let Some(key) = view.key_twice(raw) {
        return refuse_key_twice(ctx, location, &key);
    }
    let (rec, identity_problem) = view.into_record(raw, fallback, ctx.sink.unread());
    if let Some(why) = identity_problem {
        ctx.problem(location, why);
    }
    // Measured compacted either way, so the limit does not depend on whether raw is kept.
    let size = match rec.raw.text().len() {
        0 if raw.len() > MAX_RECORD_BYTES => compact_json(raw).len(),
        n => n,
    };
    if size > MAX_RECORD_BYTES {
        too_large(ctx, location, size);
    } else {
        ctx.sink.record(rec);
    }
}

fn refuse_key_twice<S: Sink>(ctx: &mut Ctx<'_, S>, location: Location, key: &str) {
    let key = crate::model::sanitize::visible(key);
    ctx.problem(
        location,
        format!("record refused: the key \"{key}\" appears twice in one object (readers disagree on which copy counts, so a forged record could show one value and hide another)"),
    );
}

fn too_large<S: Sink>(ctx: &mut Ctx<'_, S>, location: Location, len: usize) {
    ctx.problem(location, too_large_reason(len));
}

fn too_large_reason(len: usize) -> String {
    let mb = len as f64 / (1 << 20) as f64;
    format!(
        "record of {mb:.1} MiB skipped: CloudTrail records are at most 256 KB (limit here 1 MiB)"
    )
}

/// LookupEvents: the record is the string `CloudTrailEvent`; `EventTime` is the wrapper's
/// own time (epoch seconds on the wire, text in some exports), used if the record lacks one.
fn lookup_event<S: Sink>(
    ctx: &mut Ctx<'_, S>,
    view: &RecordView,
    inner: &str,
    location: Location,
    depth: u8,
) {
    let wrapper_time = text(&view.lookup_time).and_then(EventTime::parse);
    match serde_json::from_str::<&RawValue>(inner) {
        // Offsets inside the decoded string mean nothing in the file: keep the wrapper's.
        Ok(raw) => value(ctx, raw.get(), location, depth + 1, wrapper_time),
        Err(e) => ctx.problem(location, format!("CloudTrailEvent is not valid JSON: {e}")),
    }
}

/// Streams the elements of a JSON array one by one, so a truncated or corrupt file keeps
/// every element before the damage.
/// Reads the list `array` starts with; where it ends (past its `]`), or `None` when it does not
/// (cut short or broken, reported).
fn stream_array<S: Sink>(
    ctx: &mut Ctx<'_, S>,
    array: &str,
    depth: u8,
    fallback: Option<EventTime>,
) -> Option<usize> {
    let bytes = array.as_bytes();
    let mut pos = 1; // past '['
    loop {
        pos = skip_ws(bytes, pos);
        match bytes.get(pos) {
            Some(b']') => return Some(pos + 1),
            None => {
                let at = ctx.offset_of(array) + pos;
                ctx.problem(
                    Location::Byte(at),
                    "input ends inside a list (truncated?): records before this point were kept",
                );
                return None;
            }
            _ => {}
        }
        let rest = &array[pos..];
        // Objects are read once, straight into their view; the element's text is the span the
        // reader consumed. Anything else (or a view that does not fit) goes the general way.
        if bytes[pos] == b'{' {
            // Keys compared as they are read (`CheckedView`): a key twice fails this reading,
            // and the general way below reads it again and refuses it by name.
            let mut one = serde_json::Deserializer::from_str(rest).into_iter::<CheckedView>();
            if let Some(Ok(CheckedView(view))) = one.next() {
                let raw = &rest[..one.byte_offset()];
                let location = Location::Byte(ctx.offset_of(raw));
                if raw.len() > 4 * MAX_RECORD_BYTES && depth > 0 {
                    too_large(ctx, location, raw.len());
                } else {
                    object(ctx, view, raw, location, depth, fallback);
                }
                match next_element(ctx, array, pos + one.byte_offset()) {
                    Next::Element(next) => {
                        pos = next;
                        continue;
                    }
                    Next::Closed(end) => return Some(end),
                    Next::Broken => return None,
                }
            }
        }
        let mut one = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
        match one.next() {
            Some(Ok(raw)) => {
                let location = Location::Byte(ctx.offset_of(raw.get()));
                value(ctx, raw.get(), location, depth, fallback);
                pos += one.byte_offset();
            }
            Some(Err(e)) => {
                let at = ctx.offset_of(rest);
                let reason = match e.is_eof() {
                    true => "input ends inside a record (truncated?): records before this point were kept".to_string(),
                    false => format!("invalid JSON ({e}); the rest of this input was not read"),
                };
                ctx.problem(Location::Byte(at), reason);
                return None;
            }
            None => return None,
        }
        match next_element(ctx, array, pos) {
            Next::Element(next) => pos = next,
            Next::Closed(end) => return Some(end),
            Next::Broken => return None,
        }
    }
}

/// What follows an element of a list.
enum Next {
    /// Another element starts here.
    Element(usize),
    /// The list closed; it ends here (past its `]`).
    Closed(usize),
    /// Cut short or broken (reported).
    Broken,
}

/// After an element of `array` ending at `pos`: where the next one starts, the end of the
/// list, or a broken list (reported).
fn next_element<S: Sink>(ctx: &mut Ctx<'_, S>, array: &str, pos: usize) -> Next {
    let bytes = array.as_bytes();
    let pos = skip_ws(bytes, pos);
    match bytes.get(pos) {
        Some(b',') => Next::Element(pos + 1),
        Some(b']') => Next::Closed(pos + 1),
        _ => {
            let at = ctx.offset_of(array) + pos;
            let reason = match pos >= bytes.len() {
                true => {
                    "input ends inside a list (truncated?): records before this point were kept"
                }
                false => "invalid JSON between records; the rest of this input was not read",
            };
            ctx.problem(Location::Byte(at), reason);
            Next::Broken
        }
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        pos += 1;
    }
    pos
}

/// The document as a whole is not valid JSON (typically truncated): read the records of its
/// `Records` or `Events` list up to the damage, or report where it broke.
fn salvage<S: Sink>(ctx: &mut Ctx<'_, S>, text: &str, err: &serde_json::Error) {
    for key in ["\"Records\"", "\"Events\""] {
        if let Some(list) = list_after_key(text, key) {
            stream_array(ctx, list, 1, None);
            return;
        }
    }
    let reason = match err.is_eof() {
        true => format!("input ends early (truncated?): {err}"),
        false => format!("not valid JSON: {err}"),
    };
    ctx.problem(Location::Line(err.line()), reason);
}

fn list_after_key<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let at = text.find(key)? + key.len();
    let bytes = text.as_bytes();
    let colon = skip_ws(bytes, at);
    if bytes.get(colon) != Some(&b':') {
        return None;
    }
    let open = skip_ws(bytes, colon + 1);
    (bytes.get(open) == Some(&b'[')).then(|| &text[open..])
}

#[cfg(test)]
#[path = "parse_trail_file_tests.rs"]
mod trail_file_tests;
