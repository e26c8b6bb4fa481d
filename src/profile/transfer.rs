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
        for &i in rows {
            let e = store.event(i);
            if store.text(e.source) != "s3.amazonaws.com" {
                continue;
            }
            if let Some((out, into)) = bytes(&e.raw.text()) {
                t.bytes_read = t.bytes_read.saturating_add(out);
                t.bytes_written = t.bytes_written.saturating_add(into);
            }
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
fn bytes(raw: &str) -> Option<(u64, u64)> {
    let record: RawRecord = serde_json::from_str(raw).ok()?;
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
        assert_eq!(bytes(&both), Some((249, 0)));
        let text = r(r#"{"bytesTransferredIn":"10","bytesTransferredOut":"1.0E3"}"#);
        assert_eq!(bytes(&text), Some((1000, 10)));
        let float = r(r#"{"bytesTransferredOut":249.0}"#);
        assert_eq!(bytes(&float), Some((249, 0)));
        for hostile in [
            r#"{"bytesTransferredOut":-5}"#,
            r#"{"bytesTransferredOut":"NaN"}"#,
        ] {
            assert_eq!(bytes(&r(hostile)), Some((0, 0)), "{hostile}");
        }
        assert_eq!(bytes(&r(r#"{"bytesTransferredOut":1e400}"#)), None);
        assert_eq!(bytes(r#"{"eventName":"GetObject"}"#), None);
        assert_eq!(bytes(""), None);
        assert_eq!(bytes(&r("null")), None);
        assert_eq!(bytes(&r("[1]")), None);
    }
}
