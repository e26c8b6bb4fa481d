//! Large inputs are read in pieces, so memory holds the records and not the file: a 1 GB
//! JSON-lines export, a trail file gzipped to 100 MB, a gzip bomb. The bytes are cut between
//! whole top-level values (JSON lines, values in a row) or between the elements of the list of
//! a `[…]`, `{"Records": […]}` or `{"Events": […]}` document, and each run of whole values is
//! parsed as it arrives. A value larger than any record can be is skipped as it streams past,
//! never held.

mod splitter;

use super::input::read_error_reason;
use crate::model::parse::{parse_value, too_large_warning, Sink, MAX_RECORD_BYTES, NOT_A_RECORD};
use crate::model::warning::{Location, Warning};
use splitter::{Mode, Splitter};
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
/// A value longer than this (pretty-printed, wrapped) cannot hold a record within the limit.
const MAX_VALUE: usize = 4 * MAX_RECORD_BYTES;

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
            .map(|r| format!("{:?}|{:?}|{}", r.event_id, r.name, &*r.raw.text()))
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
