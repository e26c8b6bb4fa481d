//! Each record's raw JSON, for the detail pane, free text, exports and the saved investigation.
//!
//! Raw JSON is most of what a loaded trail weighs (about 1,650 of 2,200 bytes per event), so
//! the loaders pack it: runs of consecutive records (`PER_BLOCK`) are compressed together with
//! LZ4, in the parsing workers, before they reach the store. A record is then a block and a
//! slot. Reading one inflates its whole block (about 100 KB, tens of microseconds) and keeps the
//! last block inflated per thread, so a scan in storage order inflates each block once.
//! Records from small sources (LookupEvents pages, tests) stay plain.

use std::cell::RefCell;
use std::ops::{Deref, Range};
use std::sync::Arc;

use super::trigrams::{Bloom, Probe};

/// Records per block: large enough for LZ4 to find the repeated keys of neighbouring records
/// (4.9× smaller on generated trails, 3.7× at 16), small enough to inflate for one record.
const PER_BLOCK: usize = 64;

/// One record's raw JSON: held as it is, or a slot in a compressed block.
#[derive(Clone, Debug, Default)]
pub struct Raw(Repr);

#[derive(Clone, Debug)]
enum Repr {
    /// A `String` behind the `Arc`, not a `str`: a thin pointer keeps `Raw` at 16 bytes (a
    /// fat one made it 24, in every event), and plain records are the rare ones.
    Plain(Arc<String>),
    Packed {
        block: Arc<Block>,
        slot: u32,
    },
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Plain(Arc::default())
    }
}

/// Consecutive records' JSON, concatenated and compressed; `ends[i]` is where record `i` ends
/// in the inflated text.
#[derive(Debug)]
pub struct Block {
    lz4: Box<[u8]>,
    ends: Box<[u32]>,
    /// The block's trigrams: free text inflates only blocks that may hold its word.
    trigrams: Bloom,
}

/// A record's text, borrowed from its inflated block (or its own plain text).
pub struct RawText {
    whole: Whole,
    range: Range<usize>,
}

/// What a `RawText` is a part of.
enum Whole {
    Plain(Arc<String>),
    /// A block's inflated text. A `String` behind the `Arc`, not a `str`: the per-thread cache
    /// inflates the next block into the same buffer when no `RawText` holds it any more.
    Block(Arc<String>),
}

impl Deref for RawText {
    type Target = str;
    fn deref(&self) -> &str {
        let whole: &str = match &self.whole {
            Whole::Plain(text) => text.as_str(),
            Whole::Block(text) => text,
        };
        whole.get(self.range.clone()).unwrap_or("")
    }
}

impl AsRef<str> for RawText {
    fn as_ref(&self) -> &str {
        self
    }
}

impl From<&str> for Raw {
    fn from(text: &str) -> Raw {
        Raw(Repr::Plain(Arc::new(text.to_owned())))
    }
}

impl From<String> for Raw {
    fn from(text: String) -> Raw {
        Raw(Repr::Plain(Arc::new(text)))
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Raw) -> bool {
        *self.text() == *other.text()
    }
}

impl Eq for Raw {}

thread_local! {
    /// The block this thread inflated last, with its text.
    static INFLATED: RefCell<Option<(Arc<Block>, Arc<String>)>> = const { RefCell::new(None) };
    /// The block this thread's scans inflated last, as bytes: free text searches bytes, so it
    /// skips the UTF-8 check a `str` needs (measured here about as costly as inflating).
    static SCANNED: RefCell<Option<(Arc<Block>, Vec<u8>)>> = const { RefCell::new(None) };
}

impl Raw {
    /// The record's JSON text.
    pub fn text(&self) -> RawText {
        match &self.0 {
            Repr::Plain(text) => RawText {
                range: 0..text.len(),
                whole: Whole::Plain(text.clone()),
            },
            Repr::Packed { block, slot } => RawText {
                whole: Whole::Block(inflated(block)),
                range: block.slot_range(*slot),
            },
        }
    }

    /// Calls `f` with the record's JSON as bytes (UTF-8, not checked again): for scans, which
    /// read every record and only search bytes.
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        let (block, slot) = match &self.0 {
            Repr::Plain(text) => return f(text.as_bytes()),
            Repr::Packed { block, slot } => (block, *slot),
        };
        let range = block.slot_range(slot);
        SCANNED.with(|cell| match cell.try_borrow_mut() {
            Ok(mut last) => {
                let same = matches!(last.as_ref(), Some((held, _)) if Arc::ptr_eq(held, block));
                if !same {
                    let buffer = last.take().map(|(_, b)| b).unwrap_or_default();
                    *last = Some((block.clone(), block.inflate_bytes(buffer)));
                }
                let bytes = last.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
                f(bytes.get(range).unwrap_or(&[]))
            }
            // Called from inside `f` (no caller does): inflate a copy rather than panic.
            Err(_) => f(block.inflate_bytes(Vec::new()).get(range).unwrap_or(&[])),
        })
    }

    /// False only when the record surely lacks one of the probe's trigrams (without
    /// inflating anything).
    pub fn may_hold(&self, probe: &Probe) -> bool {
        match &self.0 {
            Repr::Plain(_) => true,
            Repr::Packed { block, .. } => block.trigrams.may_hold(probe),
        }
    }

    /// For memory reports: the block's address (to count it once), its compressed bytes
    /// with the record offsets, and its filter's bytes; `None` for plain text.
    pub(crate) fn block_footprint(&self) -> Option<(usize, usize, usize)> {
        match &self.0 {
            Repr::Plain(_) => None,
            Repr::Packed { block, .. } => Some((
                Arc::as_ptr(block) as usize,
                block.lz4.len() + block.ends.len() * 4,
                block.trigrams.size(),
            )),
        }
    }

    /// Held in a compressed block (loaded from files, downloads or a saved investigation).
    pub fn is_packed(&self) -> bool {
        matches!(self.0, Repr::Packed { .. })
    }

    /// No raw JSON kept (headless loads drop it for records with an eventID).
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Repr::Plain(text) => text.is_empty(),
            Repr::Packed { .. } => false,
        }
    }
}

/// The inflated text of `block`, from this thread's last block when it is the same one.
fn inflated(block: &Arc<Block>) -> Arc<String> {
    INFLATED.with(|cell| {
        let mut last = cell.borrow_mut();
        if let Some((held, text)) = last.as_ref() {
            if Arc::ptr_eq(held, block) {
                return text.clone();
            }
        }
        // The last block's buffer, when nothing else holds it: a scan then inflates block after
        // block without allocating.
        let buffer = last
            .take()
            .and_then(|(_, text)| Arc::try_unwrap(text).ok())
            .unwrap_or_default();
        let text = Arc::new(block.inflate_into(buffer));
        *last = Some((block.clone(), text.clone()));
        text
    })
}

impl Block {
    fn inflate_into(&self, buffer: String) -> String {
        String::from_utf8(self.inflate_bytes(buffer.into_bytes())).unwrap_or_default()
    }

    /// The block's text as bytes, inflated into `buffer`'s allocation.
    fn inflate_bytes(&self, mut bytes: Vec<u8>) -> Vec<u8> {
        let size = self.ends.last().copied().unwrap_or(0) as usize;
        bytes.clear();
        bytes.resize(size, 0);
        // The block was compressed here from valid UTF-8: an error would be a bug (or memory
        // corruption), and an empty text is the honest answer then, not a panic.
        match lz4_flex::block::decompress_into(&self.lz4, &mut bytes) {
            Ok(n) if n == size => bytes,
            _ => Vec::new(),
        }
    }

    /// Where record `slot` lies in the inflated text.
    fn slot_range(&self, slot: u32) -> Range<usize> {
        let slot = slot as usize;
        let start = match slot {
            0 => 0,
            _ => self.ends.get(slot - 1).copied().unwrap_or(0) as usize,
        };
        let end = self.ends.get(slot).copied().unwrap_or(0) as usize;
        start..end.max(start)
    }
}

/// Packs plain raw JSON into blocks of `PER_BLOCK`, in order (`records.iter_mut().map(|r| &mut
/// r.raw)`). Records whose raw JSON was dropped stay as they are.
pub fn pack<'a>(raws: impl IntoIterator<Item = &'a mut Raw>) {
    let mut raws: Vec<&mut Raw> = raws.into_iter().collect();
    for run in raws.chunk_by_mut(|a, b| a.is_packable() == b.is_packable()) {
        if !run.first().is_some_and(|r| r.is_packable()) {
            continue;
        }
        for chunk in run.chunks_mut(PER_BLOCK) {
            pack_chunk(chunk);
        }
    }
}

impl Raw {
    fn is_packable(&self) -> bool {
        matches!(&self.0, Repr::Plain(text) if !text.is_empty())
    }
}

fn pack_chunk(chunk: &mut [&mut Raw]) {
    let mut text = String::with_capacity(chunk.iter().map(|r| r.text().len()).sum());
    let mut ends = Vec::with_capacity(chunk.len());
    for r in chunk.iter() {
        text.push_str(&r.text());
        // A block holds at most 64 records of at most a few MB each: far below u32::MAX.
        ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
    }
    if text.len() > u32::MAX as usize {
        return; // Left plain: offsets would not fit (never for real records).
    }
    let block = Arc::new(Block {
        lz4: lz4_flex::block::compress(text.as_bytes()).into_boxed_slice(),
        ends: ends.into_boxed_slice(),
        trigrams: Bloom::of(text.as_bytes()),
    });
    for (slot, r) in chunk.iter_mut().enumerate() {
        **r = Raw(Repr::Packed {
            block: block.clone(),
            slot: slot as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes held for raw JSON by these records, counting each block once.
    fn held_bytes<'a>(raws: impl Iterator<Item = &'a Raw>) -> usize {
        let mut last: Option<*const Block> = None;
        let mut total = 0;
        for raw in raws {
            match &raw.0 {
                Repr::Plain(text) => total += text.len(),
                Repr::Packed { block, .. } => {
                    let ptr = Arc::as_ptr(block);
                    if last != Some(ptr) {
                        total += block.lz4.len() + block.ends.len() * 4 + block.trigrams.size();
                        last = Some(ptr);
                    }
                }
            }
        }
        total
    }

    /// Records as the loaders hold them: one raw text each.
    struct Rec {
        raw: Raw,
    }

    fn records(texts: &[String]) -> Vec<Rec> {
        texts
            .iter()
            .map(|t| Rec {
                raw: Raw::from(t.as_str()),
            })
            .collect()
    }

    fn pack_all(rs: &mut [Rec]) {
        pack(rs.iter_mut().map(|r| &mut r.raw));
    }

    #[test]
    fn packed_records_read_back_the_same_text() {
        let texts: Vec<String> = (0..200)
            .map(|i| format!("{{\"eventName\":\"Get{i}\",\"n\":{i},\"s\":\"é✓\u{1b}\"}}"))
            .collect();
        let mut rs = records(&texts);
        pack_all(&mut rs);
        assert!(rs.iter().all(|r| matches!(r.raw.0, Repr::Packed { .. })));
        // Read in and out of order: the per-thread block must never answer for another block.
        for i in (0..200).rev().chain(0..200).chain([5, 150, 6, 199, 0]) {
            assert_eq!(&*rs[i].raw.text(), texts[i].as_str(), "record {i}");
        }
        // Scans read the same bytes, in and out of order.
        for i in (0..200).rev().chain([3, 130, 4]) {
            rs[i]
                .raw
                .with_bytes(|b| assert_eq!(b, texts[i].as_bytes(), "record {i}"));
        }
        // A text still held keeps its block's buffer: the next block inflates elsewhere.
        let held = rs[0].raw.text();
        assert_eq!(&*rs[100].raw.text(), texts[100].as_str());
        assert_eq!(&*rs[1].raw.text(), texts[1].as_str());
        assert_eq!(&*held, texts[0].as_str());
        let probe = Probe::of(b"get150\"").expect("probe");
        assert!(rs[150].raw.may_hold(&probe), "its own block may hold it");
        assert!(!rs[0].raw.may_hold(&probe), "another block cannot");
        // Records of a realistic size take a fraction of their plain size, filter included.
        let texts: Vec<String> = (0..640)
            .map(|i| format!("{{\"eventName\":\"GetObject\",\"n\":{i},\"userIdentity\":{{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/deploy/{i}\"}},\"requestParameters\":{{\"bucketName\":\"acme-logs\",\"key\":\"2026/12/06/{i}.json.gz\"}},\"userAgent\":\"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64\"}}"))
            .collect();
        let mut rs = records(&texts);
        pack_all(&mut rs);
        let plain: usize = texts.iter().map(String::len).sum();
        let held = held_bytes(rs.iter().map(|r| &r.raw));
        assert!(held * 2 < plain, "{held} of {plain} bytes");
    }

    #[test]
    fn dropped_raw_stays_empty_and_breaks_runs() {
        let mut rs = records(&["{\"a\":1}".into(), String::new(), "{\"b\":2}".into()]);
        pack_all(&mut rs);
        assert_eq!(&*rs[0].raw.text(), "{\"a\":1}");
        assert!(rs[1].raw.is_empty());
        assert_eq!(&*rs[1].raw.text(), "");
        assert_eq!(&*rs[2].raw.text(), "{\"b\":2}");
    }
}
