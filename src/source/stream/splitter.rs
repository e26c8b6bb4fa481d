//! Where one value ends and the next begins, in bytes arriving a piece at a time: the
//! splitter tracks strings, escapes and depth across pieces, finds the `Records`/`Events` list
//! of a document, and notes whole units, oversized ones (skipped as they stream past) and runs
//! of junk between values.

use super::MAX_VALUE;

/// Enough bytes to read a document's head (`{ "Records" : [`) with generous whitespace.
const RECORDS_HEAD: usize = 256;

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Mode {
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
pub(super) struct Unit {
    pub(super) start: usize,
    pub(super) offset: u64,
    pub(super) line: usize,
    pub(super) container: bool,
    /// Too long: its bytes are being dropped, only its length is counted.
    pub(super) oversized: bool,
}

pub(super) struct Splitter {
    pub(super) mode: Mode,
    /// Where warnings point: lines for values one per line, byte offsets inside a list.
    pub(super) by_line: bool,
    /// What a unit is to the parser: 1 for the elements of a document's `Records` list.
    pub(super) element_depth: u8,
    pub(super) depth: u32,
    pub(super) in_string: bool,
    pub(super) escaped: bool,
    pub(super) line: usize,
    pub(super) unit: Option<Unit>,
    /// Whole units of the current buffer: (start, end, stream offset, line).
    pub(super) done: Vec<(usize, usize, u64, usize)>,
    /// Oversized units that ended: (stream offset, line, length).
    pub(super) skipped: Vec<(u64, usize, u64)>,
    /// Runs of values between records that cannot be records (`42`, `true`, junk), as
    /// (first line, lines): one warning each, counting the rest of the run.
    pub(super) junk: Vec<(usize, usize)>,
    /// Where the next scan starts when this one stopped early (a document's head cut by a
    /// piece boundary), instead of the first byte not yet scanned.
    pub(super) rescan: Option<usize>,
}

impl Splitter {
    pub(super) fn unit_depth(&self) -> u32 {
        match self.mode {
            Mode::List(d) => d,
            _ => 0,
        }
    }

    pub(super) fn begin(&mut self, i: usize, base: u64, container: bool) {
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

    pub(super) fn end(&mut self, end: usize, base: u64) {
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
    pub(super) fn between_values(
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
    pub(super) fn skip_tail(&mut self, b: u8) {
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
    pub(super) fn scan(&mut self, buf: &[u8], from: usize, base: u64, at_end: bool) {
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
