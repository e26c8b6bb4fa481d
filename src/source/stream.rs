//! Large inputs are read in pieces, so memory holds the records and not the file: a 1 GB
//! JSON-lines export, a trail file gzipped to 100 MB, a gzip bomb. The bytes are cut between
//! whole top-level values (JSON lines, values in a row) or between the elements of the list of
//! a `[…]`, `{"Records": […]}` or `{"Events": […]}` document, and each run of whole values is
//! parsed as it arrives. A value larger than any record can be is skipped as it streams past,
//! never held.

use super::input::read_error_reason;
use crate::model::parse::{parse_value, too_large_warning, Sink, MAX_RECORD_BYTES, NOT_A_RECORD};
use crate::model::warning::{Location, Warning};
use std::io::{self, Read};
use std::sync::Arc;

/// Inputs (or their decompressed text) at least this large are streamed; smaller ones are read
/// whole, which is simpler and, for the many small files of a trail, faster.
pub(crate) const STREAM_ABOVE: usize = 64 << 20;
/// Gzip data is inflated whole up to this size, and streamed past it: trail objects are far
/// smaller, and trying whole first costs at most this much memory.
pub(crate) const INFLATE_WHOLE_MAX: usize = 16 << 20;
/// Bytes read at a time.
const PIECE: usize = 4 << 20;
/// Enough bytes to read a document's head (`{ "Records" : [`) with generous whitespace.
const RECORDS_HEAD: usize = 256;
/// A value longer than this (pretty-printed, wrapped) cannot hold a record within the limit.
const MAX_VALUE: usize = 4 * MAX_RECORD_BYTES;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// Nothing but whitespace seen yet.
    Start,
    /// Values one after another (JSON lines): each top-level value is a unit.
    Values,
    /// Inside the list that opened at this depth: each element is a unit.
    List(u32),
    /// The list has closed: the rest is the document's tail.
    After,
}

/// A unit being read: where it starts (in the buffer and in the stream), its line, and whether
/// it is an object or array (it ends at its bracket) rather than a scalar.
#[derive(Clone, Copy)]
struct Unit {
    start: usize,
    offset: u64,
    line: usize,
    container: bool,
    /// Too long: its bytes are being dropped, only its length is counted.
    oversized: bool,
}

struct Splitter {
    mode: Mode,
    /// Where warnings point: lines for values one per line, byte offsets inside a list.
    by_line: bool,
    /// What a unit is to the parser: 1 for the elements of a document's `Records` list.
    element_depth: u8,
    depth: u32,
    in_string: bool,
    escaped: bool,
    line: usize,
    unit: Option<Unit>,
    /// Whole units of the current buffer: (start, end, stream offset, line).
    done: Vec<(usize, usize, u64, usize)>,
    /// Oversized units that ended: (stream offset, line, length).
    skipped: Vec<(u64, usize, u64)>,
    /// Runs of values between records that cannot be records (`42`, `true`, junk), as
    /// (first line, lines): one warning each, counting the rest of the run.
    junk: Vec<(usize, usize)>,
    /// Where the next scan starts when this one stopped early (a document's head cut by a
    /// piece boundary), instead of the first byte not yet scanned.
    rescan: Option<usize>,
}

impl Splitter {
    fn unit_depth(&self) -> u32 {
        match self.mode {
            Mode::List(d) => d,
            _ => 0,
        }
    }

    fn begin(&mut self, i: usize, base: u64, container: bool) {
        if self.unit.is_none() && self.depth == self.unit_depth() {
            self.unit = Some(Unit {
                start: i,
                offset: base + i as u64,
                line: self.line,
                container,
                oversized: false,
            });
        }
    }

    fn end(&mut self, end: usize, base: u64) {
        if let Some(u) = self.unit.take() {
            if u.oversized {
                self.skipped
                    .push((u.offset, u.line, base + end as u64 - u.offset));
            } else {
                self.done.push((u.start, end, u.offset, u.line));
            }
        }
    }

    /// Bytes between top-level values, `buf[from..to]`: lines counted, junk (values that
    /// cannot be records) noted as one run. Where scanning resumes, or `None` when the last,
    /// unfinished line waits for the next piece (so a value cut by a piece is not counted twice).
    fn between_values(
        &mut self,
        buf: &[u8],
        (from, to): (usize, usize),
        at_end: bool,
    ) -> Option<usize> {
        let span = &buf[from..to];
        let (counted_to, wait) = match to == buf.len() && !at_end {
            false => (to, false),
            true => match memchr::memrchr(b'\n', span) {
                Some(p) if span.len() - p - 1 <= MAX_VALUE => (from + p + 1, true),
                None if span.len() <= MAX_VALUE => (from, true),
                _ => (to, false),
            },
        };
        let counted = &buf[from..counted_to];
        let junk = |c: &u8| !c.is_ascii_whitespace();
        if let (Some(first), Some(last)) = (
            counted.iter().position(junk),
            counted.iter().rposition(junk),
        ) {
            let line = self.line + memchr::memchr_iter(b'\n', &counted[..first]).count();
            let lines = memchr::memchr_iter(b'\n', &counted[first..=last]).count() + 1;
            self.junk.push((line, lines));
        }
        self.line += memchr::memchr_iter(b'\n', counted).count();
        match wait {
            true => {
                self.rescan = Some(counted_to);
                None
            }
            false => Some(counted_to),
        }
    }

    /// After a document's list: its other keys are passed over, and when the document closes
    /// another may follow (`cat a.json b.json`, concatenated gzip members), read like the first.
    fn skip_tail(&mut self, b: u8) {
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.mode = Mode::Start;
                }
            }
            _ => {}
        }
    }

    /// Scans `buf[from..]`, whose first byte is at stream offset `base`; `at_end` when no more
    /// bytes will follow.
    fn scan(&mut self, buf: &[u8], from: usize, base: u64, at_end: bool) {
        let mut i = from;
        while i < buf.len() {
            if self.mode == Mode::Values && !self.in_string && self.unit.is_none() {
                // Between values: jump to the next that can be a record, counting what lies
                // between (whitespace, or junk such as a billion `0` lines) in bulk.
                let next =
                    memchr::memchr3(b'{', b'[', b'"', &buf[i..]).map_or(buf.len(), |p| i + p);
                if next > i {
                    match self.between_values(buf, (i, next), at_end) {
                        Some(resume) => {
                            i = resume;
                            continue;
                        }
                        None => return,
                    }
                }
            }
            let b = buf[i];
            if b == b'\n' {
                self.line += 1;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                i += 1;
                continue;
            }
            match self.mode {
                Mode::After => {
                    self.skip_tail(b);
                    i += 1;
                    continue;
                }
                Mode::Start => {
                    if b.is_ascii_whitespace() || matches!(b, 0xef | 0xbb | 0xbf) {
                        i += 1;
                        continue;
                    }
                    if b == b'[' {
                        self.mode = Mode::List(1);
                        self.element_depth = 0;
                        self.depth = 1;
                        i += 1;
                        continue;
                    }
                    if b == b'{' && !at_end && buf.len() - i < RECORDS_HEAD {
                        // Too little read to tell a `{"Records": [` head from a record: look
                        // again at this byte when the next piece has arrived.
                        self.rescan = Some(i);
                        return;
                    }
                    if let Some(past) = records_list(&buf[i..]) {
                        self.mode = Mode::List(2);
                        self.element_depth = 1;
                        self.depth = 2;
                        i += past;
                        continue;
                    }
                    self.mode = Mode::Values;
                    self.element_depth = 0;
                    self.by_line = true;
                    continue; // this byte again, as a value's first
                }
                Mode::Values | Mode::List(_) => {}
            }
            let at_unit_depth = self.depth == self.unit_depth();
            match b {
                b'"' => {
                    self.begin(i, base, false);
                    self.in_string = true;
                }
                b'{' | b'[' => {
                    self.begin(i, base, true);
                    self.depth += 1;
                }
                b'}' | b']' if at_unit_depth && self.mode == Mode::Values => {
                    // A stray bracket between values: read as a value of its own, so the
                    // parser reports it.
                    self.begin(i, base, false);
                }
                b'}' | b']' => {
                    if at_unit_depth {
                        // The enclosing list closes (or a stray bracket): a scalar ends here.
                        self.end(i, base);
                        if let Mode::List(d) = self.mode {
                            self.depth = d - 1;
                            self.mode = match self.depth {
                                // A bare `[…]` ends with its list: another document may follow.
                                0 => Mode::Start,
                                _ => Mode::After,
                            };
                        }
                    } else {
                        self.depth -= 1;
                        if self.depth == self.unit_depth() && self.unit.is_some_and(|u| u.container)
                        {
                            self.end(i + 1, base);
                        }
                    }
                }
                b',' if at_unit_depth => self.end(i, base),
                b if b.is_ascii_whitespace() => {
                    if at_unit_depth && self.mode == Mode::Values {
                        self.end(i, base);
                    }
                }
                _ => self.begin(i, base, false),
            }
            i += 1;
        }
    }
}

/// After `{` at the start of `text`: the length up to and including the `[` of a leading
/// `"Records": [` or `"Events": [`, the shapes of trail files and LookupEvents output.
fn records_list(text: &[u8]) -> Option<usize> {
    let skip = |mut i: usize| {
        while text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    if text.first() != Some(&b'{') {
        return None;
    }
    let key = skip(1);
    let rest = &text[key..];
    let after_key = key
        + [&b"\"Records\""[..], &b"\"Events\""[..]]
            .iter()
            .find(|k| rest.starts_with(k))?
            .len();
    let colon = skip(after_key);
    (text.get(colon) == Some(&b':')).then_some(())?;
    let open = skip(colon + 1);
    (text.get(open) == Some(&b'[')).then_some(open + 1)
}

/// Reads `reader` to its end in pieces, parsing each run of whole values into `sink`, and
/// calling `after_piece` between pieces (to flush batches and count progress); reading stops
/// when it returns false.
pub(crate) fn stream_input<S: Sink>(
    origin: &Arc<str>,
    reader: impl Read,
    sink: &mut S,
    after_piece: impl FnMut(&mut S, u64) -> bool,
) {
    stream_pieces(origin, reader, sink, after_piece, PIECE);
}

fn stream_pieces<S: Sink>(
    origin: &Arc<str>,
    mut reader: impl Read,
    sink: &mut S,
    mut after_piece: impl FnMut(&mut S, u64) -> bool,
    piece: usize,
) {
    let mut split = Splitter {
        mode: Mode::Start,
        by_line: false,
        element_depth: 0,
        depth: 0,
        in_string: false,
        escaped: false,
        line: 1,
        unit: None,
        done: Vec::new(),
        skipped: Vec::new(),
        junk: Vec::new(),
        rescan: None,
    };
    let mut buf: Vec<u8> = Vec::new();
    let mut base = 0u64; // stream offset of buf[0]
    let mut bad_utf8_reported = false;
    loop {
        let scanned = buf.len();
        let (read, error) = fill(&mut reader, &mut buf, piece);
        let at_end = read == 0 || error.is_some();
        let from = split.rescan.take().unwrap_or(scanned);
        split.scan(&buf, from, base, at_end);
        if at_end && !split.in_string && split.unit.is_some_and(|u| !u.container && !u.oversized) {
            // A scalar running to the very end (`42` on the last line) is complete.
            split.end(buf.len(), base);
        }
        for &(start, end, offset, line) in &split.done {
            let bytes = trim(&buf[start..end]);
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(e) => {
                    if !bad_utf8_reported {
                        bad_utf8_reported = true;
                        sink.warning(Warning::problem(
                            origin,
                            Location::Byte(offset as usize + e.valid_up_to()),
                            "invalid UTF-8 bytes (first here) shown as \u{fffd}; the rest of the file was read",
                        ));
                    }
                    String::from_utf8_lossy(bytes)
                }
            };
            let location = match split.by_line {
                true => Location::Line(line),
                false => Location::Byte(offset as usize),
            };
            parse_value(origin, &text, location, split.element_depth, sink);
        }
        split.done.clear();
        for (line, lines) in split.junk.drain(..) {
            let mut w = Warning::problem(origin, Location::Line(line), NOT_A_RECORD);
            w.also = lines - 1;
            sink.warning(w);
        }
        for (offset, line, len) in split.skipped.drain(..) {
            let location = match split.by_line {
                true => Location::Line(line),
                false => Location::Byte(offset as usize),
            };
            sink.warning(too_large_warning(origin, location, len as usize));
        }
        // Keep only the unit in progress; drop an oversized one's bytes as they pass.
        let keep_from = match &mut split.unit {
            Some(u) if !u.oversized && buf.len() - u.start > MAX_VALUE => {
                u.oversized = true;
                buf.len()
            }
            Some(u) if !u.oversized => u.start,
            _ => buf.len(),
        }
        .min(split.rescan.unwrap_or(usize::MAX));
        buf.drain(..keep_from);
        base += keep_from as u64;
        if let Some(u) = &mut split.unit {
            u.start = u.start.saturating_sub(keep_from);
        }
        if let Some(r) = &mut split.rescan {
            *r -= keep_from;
        }
        if let Some(e) = &error {
            sink.warning(Warning::problem(
                origin,
                Location::Byte(base as usize + buf.len()),
                read_error_reason(e),
            ));
        }
        if !after_piece(sink, read as u64) {
            return;
        }
        if at_end {
            break;
        }
    }
    finish(origin, &split, base, sink);
}

/// At the end of the input: a value or list left open means the input was cut short.
fn finish<S: Sink>(origin: &Arc<str>, split: &Splitter, base: u64, sink: &mut S) {
    let open_list = matches!(split.mode, Mode::List(_));
    let reason = match split.unit {
        Some(u) if u.oversized => {
            return sink.warning(too_large_warning(
                origin,
                Location::Byte(u.offset as usize),
                MAX_VALUE,
            ))
        }
        Some(u) if u.container || split.in_string => Some((
            u.offset,
            "input ends inside a record (truncated?): records before this point were kept",
        )),
        // A scalar at the very end of JSON lines: complete as far as anyone can tell.
        Some(_) | None if open_list => Some((
            base,
            "input ends inside a list (truncated?): records before this point were kept",
        )),
        _ => None,
    };
    if let Some((offset, why)) = reason {
        sink.warning(Warning::problem(
            origin,
            Location::Byte(offset as usize),
            why,
        ));
    }
}

/// Appends up to `piece` bytes; returns how many, and the error that ended reading, if any.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, piece: usize) -> (usize, Option<io::Error>) {
    let start = buf.len();
    buf.resize(start + piece, 0);
    let mut filled = start;
    let error = loop {
        if filled == buf.len() {
            break None;
        }
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break None,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Some(e),
        }
    };
    buf.truncate(filled);
    (filled - start, error)
}

fn trim(mut bytes: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = bytes {
        if !first.is_ascii_whitespace() {
            break;
        }
        bytes = rest;
    }
    while let [rest @ .., last] = bytes {
        if !last.is_ascii_whitespace() {
            break;
        }
        bytes = rest;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse::parse_text;
    use crate::model::record::Record;

    type Parsed = (Vec<Record>, Vec<Warning>);

    fn streamed(text: &[u8], piece: usize) -> Parsed {
        let mut sink: Parsed = (Vec::new(), Vec::new());
        stream_pieces(&Arc::from("t"), text, &mut sink, |_, _| true, piece);
        sink
    }

    fn whole(text: &str) -> Parsed {
        let mut sink: Parsed = (Vec::new(), Vec::new());
        parse_text(&Arc::from("t"), text, &mut sink);
        sink
    }

    /// Warnings as counted, each with the others like it it stands for.
    fn counted(warnings: &[Warning]) -> usize {
        warnings.iter().map(|w| 1 + w.also).sum()
    }

    fn keys(records: &[Record]) -> Vec<String> {
        records
            .iter()
            .map(|r| format!("{:?}|{:?}|{}", r.event_id, r.name, r.raw))
            .collect()
    }

    /// Every shape of the fixtures, cut at every kind of boundary (a byte at a time, odd
    /// sizes, whole pieces): the same records as reading the text whole, and as many warnings.
    #[test]
    fn pieces_of_any_size_read_the_same_records_as_the_whole_text() {
        let files = [
            "tests/fixtures/aws-cloudtrail-processing-library-fixtures/SerializerTestFile.json",
            "tests/fixtures/aws-cloudtrail-processing-library-fixtures/SerializerTestFileCompact.json",
            "tests/fixtures/aws-cloudtrail-processing-library-fixtures/SerializerTestFileBadJsonFormat.json",
            "tests/fixtures/plaso-lookupevents-jsonl/aws_cloudtrail.jsonl",
            "tests/fixtures/panther-analysis-cloudtrail-test-events/panther_cloudtrail_rule_tests.jsonl",
            "tests/fixtures/stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-delete.json",
            "tests/fixtures/hostile/controls.json",
            "tests/fixtures/hostile/terminal-injection.jsonl",
            "tests/fixtures/hostile/wrong-types.json",
            "tests/fixtures/hostile/duplicate-keys.jsonl",
            "tests/fixtures/hostile/long-lines.jsonl",
            "tests/fixtures/hostile/deep-nesting.jsonl",
        ];
        for file in files {
            let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
            let expected = whole(&text);
            for piece in [1, 7, 64, 4096, PIECE] {
                let got = streamed(text.as_bytes(), piece);
                assert_eq!(keys(&got.0), keys(&expected.0), "{file}, pieces of {piece}");
                assert_eq!(
                    counted(&got.1),
                    counted(&expected.1),
                    "{file}, pieces of {piece}: {:?}",
                    got.1
                );
            }
        }
    }

    #[test]
    fn a_record_larger_than_any_can_be_is_skipped_without_being_held() {
        let huge = format!(
            r#"{{"eventName":"Big","eventTime":"2026-01-01T00:00:00Z","x":"{}"}}"#,
            "y".repeat(6 << 20)
        );
        let small = r#"{"eventName":"Small","eventTime":"2026-01-01T00:00:00Z"}"#;
        let text = format!("{{\"Records\": [{small}, {huge}, {small}]}}");
        let sink = streamed(text.as_bytes(), 1 << 20);
        assert_eq!(sink.0.len(), 2);
        assert_eq!(sink.1.len(), 1, "{:?}", sink.1);
        assert!(sink.1[0].reason.contains("skipped"), "{:?}", sink.1);
    }

    #[test]
    fn a_cut_input_keeps_the_records_before_the_cut() {
        let text = std::fs::read_to_string(
            "tests/fixtures/aws-cloudtrail-processing-library-fixtures/SerializerTestFile.json",
        )
        .expect("fixture");
        let full = whole(&text).0.len();
        let cut = &text.as_bytes()[..text.len() * 3 / 4];
        let got = streamed(cut, 64);
        assert!(
            got.0.len() < full && !got.0.is_empty(),
            "{} of {full}",
            got.0.len()
        );
        assert!(
            got.1.iter().any(|w| w.reason.contains("truncated")),
            "{:?}",
            got.1
        );
    }

    /// `cat *.json > day.json`: every document's records, not the first one's only, and the
    /// same as the whole-text reader, wherever the pieces cut (issue 18, item 3).
    #[test]
    fn concatenated_documents_are_all_read_as_the_whole_text_reads_them() {
        let a = std::fs::read_to_string(
            "tests/fixtures/aws-cloudtrail-processing-library-fixtures/SerializerTestFile.json",
        )
        .expect("fixture");
        let b = std::fs::read_to_string(
            "tests/fixtures/stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-delete.json",
        )
        .expect("fixture");
        let rec = r#"{"eventName":"Last","eventTime":"2026-01-01T00:00:00Z","eventID":"z"}"#;
        let tail = format!(r#"{{"Records":[{rec}],"x":{{"y":"]}}"}}}}"#);
        for text in [
            format!("{a}{b}{tail}"),
            format!("{a}\n{b}\n \n{tail}\n"),
            format!("[{rec}]\n[{rec},{rec}]"),
        ] {
            let expected = whole(&text);
            let n = whole(&a).0.len() + whole(&b).0.len() + 1;
            assert!(expected.0.len() >= 2, "the whole reader reads them");
            for piece in [1, 7, 64, 255, 256, 4096, PIECE] {
                let got = streamed(text.as_bytes(), piece);
                assert_eq!(keys(&got.0), keys(&expected.0), "pieces of {piece}");
                assert_eq!(counted(&got.1), counted(&expected.1), "{:?}", got.1);
            }
            if text.starts_with('{') {
                assert_eq!(expected.0.len(), n);
            }
        }
    }
}
