//! What a view moved through S3: bytes read and written (`additionalEventData`'s
//! `bytesTransferredOut` and `bytesTransferredIn`, as S3 counts them: out is what the caller
//! received) and how many distinct objects it read and deleted. The byte counts are in the raw
//! record only; they are read here, for the one view profiled, not for every event at load.

use crate::model::event::Event;
use crate::model::loose::{present, Loose};
use crate::model::store::{EventIdx, Store};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transfer {
    /// `bytesTransferredOut` summed: what S3 sent to the callers.
    pub bytes_read: u64,
    /// `bytesTransferredIn` summed: what the callers sent to S3.
    pub bytes_written: u64,
    /// Distinct `bucket/key`s read with GetObject.
    pub objects_read: usize,
    /// Distinct `bucket/key`s deleted with DeleteObject or DeleteObjects.
    pub objects_deleted: usize,
}

impl Transfer {
    pub(crate) fn of(store: &Store, rows: &[EventIdx]) -> Transfer {
        let mut t = Transfer::default();
        let mut read: HashSet<&str> = HashSet::new();
        let mut deleted: HashSet<&str> = HashSet::new();
        // In storage order: neighbours share a packed block of raw records (`model::raw`), so
        // each block is inflated once; in time order a view can inflate one per event.
        let mut rows: Vec<EventIdx> = rows
            .iter()
            .copied()
            .filter(|&i| store.text(store.event(i).source) == "s3.amazonaws.com")
            .collect();
        rows.sort_unstable();
        (t.bytes_read, t.bytes_written) = byte_counts(store, &rows);
        for &i in &rows {
            let e = store.event(i);
            if e.is_error() {
                continue;
            }
            match store.text(e.name) {
                "GetObject" => read.extend(objects(store, e)),
                "DeleteObject" | "DeleteObjects" => deleted.extend(objects(store, e)),
                _ => {}
            }
        }
        t.objects_read = read.len();
        t.objects_deleted = deleted.len();
        t
    }

    /// Whether the view touched S3 objects at all (the pane leaves the line out otherwise).
    pub fn is_empty(&self) -> bool {
        *self == Transfer::default()
    }
}

/// The bytes out and in that `rows` (S3 calls, in storage order) count, split across cores:
/// the counts are in the raw records only, so each is read and parsed, which for a large view
/// is most of the profile's time.
fn byte_counts(store: &Store, rows: &[EventIdx]) -> (u64, u64) {
    let sum = |part: &[EventIdx]| {
        part.iter().fold((0u64, 0u64), |(out, into), &i| {
            // As bytes: a packed block inflated once, no UTF-8 check (serde_json checks the
            // strings it reads); a call without byte counts skips the parse.
            let counts = store.event(i).raw.with_bytes(|b| {
                memchr::memmem::find(b, b"bytesTransferred").and_then(|_| bytes(b))
            });
            let (o, n) = counts.unwrap_or((0, 0));
            (out.saturating_add(o), into.saturating_add(n))
        })
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || rows.len() < 4096 {
        return sum(rows);
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| (part, s.spawn(move || sum(part))))
            .collect();
        handles
            .into_iter()
            .fold((0u64, 0u64), |(out, into), (part, h)| {
                // A panicking worker is a bug; still answer, on this thread.
                let (o, n) = h.join().unwrap_or_else(|_| sum(part));
                (out.saturating_add(o), into.saturating_add(n))
            })
    })
}

/// The objects a call names as `bucket/key`: its object resources (DeleteObjects can list
/// several), else its target when that names a key (a bucket name never holds a `/`).
fn objects<'s>(store: &'s Store, e: &Event) -> Vec<&'s str> {
    let from_resources: Vec<&str> = e
        .resources
        .iter()
        .filter(|r| store.text(r.kind) == "AWS::S3::Object")
        .filter_map(|r| store.text(r.arn).split_once(":::").map(|(_, path)| path))
        .filter(|path| path.split_once('/').is_some_and(|(_, key)| !key.is_empty()))
        .collect();
    if !from_resources.is_empty() {
        return from_resources;
    }
    let target = store.text(e.target);
    match target.split_once('/') {
        Some((_, key)) if !key.is_empty() => vec![target],
        _ => Vec::new(),
    }
}

#[derive(Deserialize)]
struct RawRecord<'a> {
    #[serde(borrow, rename = "additionalEventData")]
    additional: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Additional<'a> {
    #[serde(
        borrow,
        default,
        rename = "bytesTransferredOut",
        deserialize_with = "present"
    )]
    out: Option<Loose<'a>>,
    #[serde(
        borrow,
        default,
        rename = "bytesTransferredIn",
        deserialize_with = "present"
    )]
    into: Option<Loose<'a>>,
}

/// (out, in) from a raw record; `None` when it has no readable `additionalEventData`. Exports
/// write the counts as integers, floats (`249.0`) or strings; a negative or unreadable one
/// counts as nothing.
fn bytes(raw: &[u8]) -> Option<(u64, u64)> {
    let record: RawRecord = serde_json::from_slice(raw).ok()?;
    let additional = record.additional?.get();
    // serde reads a list into a struct by position: only an object is additionalEventData.
    if !additional.trim_start().starts_with('{') {
        return None;
    }
    let additional: Additional = serde_json::from_str(additional).ok()?;
    let count = |v: &Option<Loose>| {
        let text = v.as_ref().and_then(Loose::as_str)?;
        text.parse::<u64>().ok().or_else(|| {
            let f = text.parse::<f64>().ok()?;
            // `as` saturates at u64::MAX; NaN, negatives and fractions of a byte are no count.
            (f.is_finite() && f >= 0.0).then_some(f as u64)
        })
    };
    Some((
        count(&additional.out).unwrap_or(0),
        count(&additional.into).unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn byte_counts_in_every_shape_exports_write() {
        let r = |a: &str| format!(r#"{{"eventName":"GetObject","additionalEventData":{a}}}"#);
        let both = r(r#"{"bytesTransferredIn":0,"bytesTransferredOut":249}"#);
        assert_eq!(bytes(both.as_bytes()), Some((249, 0)));
        let text = r(r#"{"bytesTransferredIn":"10","bytesTransferredOut":"1.0E3"}"#);
        assert_eq!(bytes(text.as_bytes()), Some((1000, 10)));
        let float = r(r#"{"bytesTransferredOut":249.0}"#);
        assert_eq!(bytes(float.as_bytes()), Some((249, 0)));
        for hostile in [
            r#"{"bytesTransferredOut":-5}"#,
            r#"{"bytesTransferredOut":"NaN"}"#,
        ] {
            assert_eq!(bytes(r(hostile).as_bytes()), Some((0, 0)), "{hostile}");
        }
        assert_eq!(
            bytes(r(r#"{"bytesTransferredOut":1e400}"#).as_bytes()),
            None
        );
        assert_eq!(bytes(br#"{"eventName":"GetObject"}"#), None);
        assert_eq!(bytes(b""), None);
        assert_eq!(bytes(r("null").as_bytes()), None);
        assert_eq!(bytes(r("[1]").as_bytes()), None);
    }
}
