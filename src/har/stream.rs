//! A push-based splitter that cuts `log.entries[*]` out of a HAR byte stream.
//!
//! The whole document is never built: bytes are fed in chunks of any size,
//! the splitter tracks only JSON structure (depth, strings, escapes) and the
//! two keys that matter (`log`, then `entries` / `creator`), and hands each
//! complete entry to the caller as a byte slice. Memory is bounded by the
//! largest single entry. Inside strings it jumps with `memchr2`, which is
//! what keeps it fast on captures full of base64 bodies.
//!
//! A sanitizer must write back everything, not just the entries; in gap mode
//! ([`Splitter::with_gaps`]) every byte outside the entries (the document's
//! head, separators, non-object elements, the tail after `entries`) comes out
//! too, as [`Piece::Gap`], in order, so the entries and gaps together are the
//! whole input.

use memchr::memchr2;

/// What the splitter hands out.
#[derive(Debug)]
pub enum Piece<'a> {
    /// The `log.creator` object (exporter name and version).
    Creator(&'a [u8]),
    /// One `log.entries` element that is an object.
    Entry {
        index: usize,
        offset: u64,
        bytes: &'a [u8],
    },
    /// One `log.entries` element that is not an object (a number, string, null).
    NotAnObject { index: usize, offset: u64 },
    /// Bytes outside the entries, in gap mode only.
    Gap(&'a [u8]),
    /// One entry larger than the splitter's limit: skipped, its bytes not kept.
    TooLarge {
        index: usize,
        offset: u64,
        bytes: u64,
    },
}

/// How the stream ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// A complete document with a `log.entries` array.
    Complete,
    /// The bytes ran out inside the document: `entries` complete entries were
    /// read, and the damage starts at byte `offset`.
    Truncated { entries: usize, offset: u64 },
    /// The bytes are not a HAR document (not JSON, or no `log.entries`).
    NotHar { reason: &'static str, offset: u64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

/// Where in the document the scanner stands, as far as HAR cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Region {
    /// Before, or inside something irrelevant.
    Other,
    /// Inside `log.entries`, between elements (depth 3).
    Entries,
}

/// The splitter. Feed bytes with [`Splitter::feed`], then call [`Splitter::finish`].
#[derive(Debug)]
pub struct Splitter {
    buf: Vec<u8>,
    /// Scan position inside `buf`.
    pos: usize,
    /// Offset of `buf[0]` in the stream.
    base: u64,
    stack: Vec<Container>,
    in_string: bool,
    escape: bool,
    /// Start (in `buf`) of the string being read, when it may be a key.
    key_start: Option<usize>,
    /// The last complete string at the current depth, a key if `:` follows.
    last_string: Option<(usize, usize)>,
    /// Key of the value about to start, per depth 1 and 2.
    key_log: bool,
    key_entries: bool,
    key_creator: bool,
    in_log: bool,
    region: Region,
    entries_seen: bool,
    entries_done: bool,
    /// Start (in `buf`) of the value being captured (an entry or creator) and its depth.
    capture: Option<(usize, usize, bool)>,
    /// The capture grew past `max_entry`: its bytes were dropped, and this is
    /// its stream offset. Structure is still tracked to find its end.
    dropped: Option<u64>,
    max_entry: usize,
    /// A scalar element of `entries` being skipped.
    scalar_element: Option<u64>,
    index: usize,
    started: bool,
    /// The top-level value has closed: whatever follows is not read, so the
    /// result cannot depend on whether trailing bytes came in the same chunk.
    closed: bool,
    failed: Option<End>,
    /// Gap mode, and where in `buf` the next gap byte not yet handed out is.
    gaps: bool,
    gap_from: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

/// The UTF-8 byte-order mark some exporters (Fiddler) write first.
const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// The largest entry kept in memory; a bigger one is skipped with a warning,
/// so one giant response body cannot take all the memory there is.
pub const MAX_ENTRY: usize = 256 << 20;

/// Deeper nesting than this is not a HAR anyone made: the document is
/// refused there, so the bracket stack stays small whatever the input.
pub const MAX_DEPTH: usize = 4096;

/// The longest prefix kept while looking for a key: keys we care about are short.
const MAX_KEY: usize = 16;

impl Splitter {
    /// A splitter at the start of a stream.
    pub fn new() -> Splitter {
        Splitter {
            buf: Vec::new(),
            pos: 0,
            base: 0,
            stack: Vec::new(),
            in_string: false,
            escape: false,
            key_start: None,
            last_string: None,
            key_log: false,
            key_entries: false,
            key_creator: false,
            in_log: false,
            region: Region::Other,
            entries_seen: false,
            entries_done: false,
            capture: None,
            dropped: None,
            max_entry: MAX_ENTRY,
            scalar_element: None,
            index: 0,
            started: false,
            closed: false,
            failed: None,
            gaps: false,
            gap_from: 0,
        }
    }

    /// A splitter that also hands out every byte outside the entries as [`Piece::Gap`].
    pub fn with_gaps() -> Splitter {
        Splitter {
            gaps: true,
            ..Splitter::new()
        }
    }

    /// A splitter that keeps entries of at most `max_entry` bytes (tests use a small one).
    pub fn with_max_entry(max_entry: usize) -> Splitter {
        Splitter {
            max_entry,
            ..Splitter::new()
        }
    }

    /// Entries handed out so far.
    pub fn entries(&self) -> usize {
        self.index
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Feed the next chunk; complete pieces go to `out` as they are found.
    pub fn feed(&mut self, chunk: &[u8], out: &mut dyn FnMut(Piece<'_>)) {
        if self.failed.is_some() {
            return;
        }
        if self.entries_done {
            // What follows the entries is all gap; the scan has nothing left to find.
            if self.gaps && !chunk.is_empty() {
                out(Piece::Gap(chunk));
            }
            return;
        }
        if self.closed {
            return;
        }
        self.buf.extend_from_slice(chunk);
        self.scan(out);
        self.flush_gap(out);
        self.compact();
    }

    /// Hand out the gap bytes read so far (all of the buffer once the entries are done).
    fn flush_gap(&mut self, out: &mut dyn FnMut(Piece<'_>)) {
        if !self.gaps {
            return;
        }
        let end = match self.capture {
            Some((start, _, true)) => start,
            _ if self.entries_done => self.buf.len(),
            _ => self.pos,
        };
        if end > self.gap_from {
            out(Piece::Gap(&self.buf[self.gap_from..end]));
            self.gap_from = end;
        }
        if self.entries_done {
            self.base += self.buf.len() as u64;
            self.buf.clear();
            self.pos = 0;
            self.gap_from = 0;
        }
    }

    /// Drop what is no longer needed from the front of the buffer.
    fn compact(&mut self) {
        if let Some((start, _, _)) = self.capture {
            if self.dropped.is_none() && self.pos - start > self.max_entry {
                self.dropped = Some(self.base + start as u64);
            }
        }
        let keep_from = match (self.capture, self.key_start, self.last_string) {
            (Some(_), _, _) if self.dropped.is_some() => self.pos,
            (Some((start, _, _)), _, _) => start,
            (None, Some(k), _) => k,
            (None, None, Some((s, _))) => s,
            _ => self.pos,
        };
        if keep_from > 0 {
            self.buf.drain(..keep_from);
            self.base += keep_from as u64;
            self.pos -= keep_from;
            self.gap_from = self.gap_from.saturating_sub(keep_from);
            if let Some(c) = self.capture.as_mut() {
                // A dropped capture's start is gone; only its depth still matters.
                c.0 = c.0.saturating_sub(keep_from);
            }
            self.key_start = self.key_start.map(|k| k - keep_from);
            self.last_string = self
                .last_string
                .map(|(s, e)| (s - keep_from, e - keep_from));
        }
    }

    fn depth(&self) -> usize {
        self.stack.len()
    }

    fn scan(&mut self, out: &mut dyn FnMut(Piece<'_>)) {
        while self.pos < self.buf.len() {
            if self.in_string {
                // Jump to the next quote or backslash.
                let rest = &self.buf[self.pos..];
                if self.escape {
                    self.escape = false;
                    self.pos += 1;
                    continue;
                }
                match memchr2(b'"', b'\\', rest) {
                    None => {
                        self.pos = self.buf.len();
                        // A long string cannot be a key we care about.
                        if self.key_start.is_some_and(|k| self.pos - k > MAX_KEY) {
                            self.key_start = None;
                        }
                        return;
                    }
                    Some(o) => {
                        self.pos += o;
                        if self.buf[self.pos] == b'\\' {
                            self.escape = true;
                            self.pos += 1;
                        } else {
                            self.in_string = false;
                            self.pos += 1;
                            self.last_string = self.key_start.take().map(|k| (k, self.pos - 1));
                        }
                    }
                }
                continue;
            }
            let b = self.buf[self.pos];
            if !self.started {
                // Skip a UTF-8 byte-order mark and white space before the document.
                if self.base == 0 && self.pos == 0 {
                    if self.buf.starts_with(BOM) {
                        self.pos = 3;
                        continue;
                    }
                    if BOM.starts_with(&self.buf) {
                        // The mark's first bytes came alone: wait for the rest.
                        return;
                    }
                }
                if b.is_ascii_whitespace() {
                    self.pos += 1;
                    continue;
                }
                if b != b'{' {
                    self.failed = Some(End::NotHar {
                        reason: "it does not start with a JSON object",
                        offset: self.offset(),
                    });
                    return;
                }
                self.started = true;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    // Only strings at depth 1-2 outside captures can be the keys we need.
                    let interesting =
                        self.capture.is_none() && (self.depth() == 1 || self.depth() == 2);
                    self.key_start = interesting.then_some(self.pos + 1);
                    self.last_string = None;
                    self.begin_scalar_element();
                    self.pos += 1;
                    continue;
                }
                b':' => {
                    // Every key sets the flags, even one too long to have been
                    // kept (read as empty): else an earlier key's flag would
                    // outlive it, and only when the long key spanned two chunks.
                    let key = self
                        .last_string
                        .take()
                        .map_or(&[][..], |(s, e)| &self.buf[s..e]);
                    match self.depth() {
                        1 => self.key_log = key == b"log",
                        2 if self.in_log => {
                            self.key_entries = key == b"entries";
                            self.key_creator = key == b"creator";
                        }
                        _ => {}
                    }
                }
                b'{' | b'[' => {
                    // A string is a key only right before `:`; a stale one
                    // would also pin bytes the buffer has to drop.
                    self.last_string = None;
                    let container = if b == b'{' {
                        Container::Object
                    } else {
                        Container::Array
                    };
                    let d = self.depth();
                    if self.capture.is_none() {
                        if d == 1 && self.key_log && container == Container::Object {
                            self.in_log = true;
                        } else if d == 2
                            && self.in_log
                            && self.key_entries
                            && container == Container::Array
                        {
                            self.region = Region::Entries;
                            self.entries_seen = true;
                        } else if d == 2
                            && self.in_log
                            && self.key_creator
                            && container == Container::Object
                        {
                            self.capture = Some((self.pos, d + 1, false));
                        } else if d == 3 && self.region == Region::Entries {
                            if container == Container::Object {
                                self.capture = Some((self.pos, d + 1, true));
                            } else {
                                out(Piece::NotAnObject {
                                    index: self.index,
                                    offset: self.offset(),
                                });
                                self.index += 1;
                                // Capture anyway to skip it as a unit, then drop it.
                                self.capture = Some((self.pos, d + 1, false));
                            }
                        }
                    }
                    self.key_log = false;
                    self.key_entries = false;
                    self.key_creator = false;
                    if d >= MAX_DEPTH {
                        self.failed = Some(End::NotHar {
                            reason: "it is nested more than 4096 levels deep",
                            offset: self.offset(),
                        });
                        return;
                    }
                    self.stack.push(container);
                }
                b'}' | b']' => {
                    self.last_string = None;
                    let want = if b == b'}' {
                        Container::Object
                    } else {
                        Container::Array
                    };
                    if self.stack.pop() != Some(want) {
                        self.failed = Some(End::NotHar {
                            reason: "its brackets do not match",
                            offset: self.offset(),
                        });
                        return;
                    }
                    self.end_scalar_element(out);
                    let d = self.depth();
                    if let Some((start, cd, is_entry)) = self.capture {
                        if d + 1 == cd {
                            self.capture = None;
                            let bytes = &self.buf[start..=self.pos];
                            if let Some(offset) = self.dropped.take() {
                                if is_entry {
                                    out(Piece::TooLarge {
                                        index: self.index,
                                        offset,
                                        bytes: self.offset() + 1 - offset,
                                    });
                                    self.index += 1;
                                }
                            } else if is_entry {
                                let offset = self.base + start as u64;
                                if self.gaps && start > self.gap_from {
                                    out(Piece::Gap(&self.buf[self.gap_from..start]));
                                }
                                self.gap_from = self.pos + 1;
                                out(Piece::Entry {
                                    index: self.index,
                                    offset,
                                    bytes,
                                });
                                self.index += 1;
                            } else if cd == 3 {
                                out(Piece::Creator(bytes));
                            }
                        }
                    } else if d == 2 && self.region == Region::Entries {
                        self.region = Region::Other;
                        self.entries_done = true;
                        self.pos += 1;
                        return;
                    } else if d == 1 && self.in_log {
                        self.in_log = false;
                    }
                    if d == 0 {
                        self.closed = true;
                        self.pos += 1;
                        return;
                    }
                }
                b',' => {
                    self.last_string = None;
                    self.end_scalar_element(out);
                }
                _ if b.is_ascii_whitespace() => {}
                _ => {
                    self.begin_scalar_element();
                    self.last_string = None;
                }
            }
            self.pos += 1;
        }
    }

    /// A scalar directly inside `entries` (`[1, "x", null]`) is an element that is not an entry.
    fn begin_scalar_element(&mut self) {
        if self.capture.is_none()
            && self.region == Region::Entries
            && self.depth() == 3
            && self.scalar_element.is_none()
        {
            self.scalar_element = Some(self.offset());
        }
    }

    fn end_scalar_element(&mut self, out: &mut dyn FnMut(Piece<'_>)) {
        if let Some(offset) = self.scalar_element.take() {
            out(Piece::NotAnObject {
                index: self.index,
                offset,
            });
            self.index += 1;
        }
    }

    /// Say how the stream ended.
    pub fn finish(self) -> End {
        if let Some(f) = self.failed {
            return f;
        }
        if self.entries_done {
            return End::Complete;
        }
        if !self.started {
            return End::NotHar {
                reason: "it is empty",
                offset: self.offset(),
            };
        }
        if self.entries_seen || self.in_log {
            return End::Truncated {
                entries: self.index,
                offset: self.offset(),
            };
        }
        End::NotHar {
            reason: "it has no log.entries array",
            offset: self.offset(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(doc: &[u8], chunk: usize) -> (Vec<String>, usize, End) {
        let mut s = Splitter::new();
        let mut entries = Vec::new();
        let mut bad = 0;
        for c in doc.chunks(chunk.max(1)) {
            s.feed(c, &mut |p| match p {
                Piece::Entry { bytes, .. } => {
                    entries.push(String::from_utf8_lossy(bytes).into_owned())
                }
                Piece::NotAnObject { .. } | Piece::TooLarge { .. } => bad += 1,
                Piece::Creator(_) | Piece::Gap(_) => {}
            });
        }
        (entries, bad, s.finish())
    }

    const DOC: &str = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"id":"p1"}],"entries":[{"a":"x\"}]","b":[1,{"c":2}]},{"entries":[{"nested":true}]}]}}"#;

    #[test]
    fn splits_entries_at_every_chunk_size() {
        for chunk in 1..DOC.len() + 1 {
            let (entries, bad, end) = split(DOC.as_bytes(), chunk);
            assert_eq!(end, End::Complete, "chunk {chunk}");
            assert_eq!(bad, 0);
            assert_eq!(
                entries,
                vec![
                    r#"{"a":"x\"}]","b":[1,{"c":2}]}"#,
                    r#"{"entries":[{"nested":true}]}"#
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn gaps_and_entries_rebuild_the_input_at_every_chunk_size() {
        let doc = format!("{DOC} \n");
        for chunk in 1..doc.len() + 1 {
            let mut s = Splitter::with_gaps();
            let mut back = Vec::new();
            for c in doc.as_bytes().chunks(chunk) {
                s.feed(c, &mut |p| match p {
                    Piece::Entry { bytes, .. } | Piece::Gap(bytes) => back.extend_from_slice(bytes),
                    _ => {}
                });
            }
            assert_eq!(String::from_utf8(back).unwrap(), doc, "chunk {chunk}");
            assert_eq!(s.finish(), End::Complete);
        }
    }

    #[test]
    fn truncation_keeps_earlier_entries_and_says_where() {
        let cut = DOC.find(r#"{"entries""#).unwrap() + 5;
        let (entries, _, end) = split(&DOC.as_bytes()[..cut], 7);
        assert_eq!(entries.len(), 1);
        assert_eq!(
            end,
            End::Truncated {
                entries: 1,
                offset: cut as u64
            }
        );
    }

    /// Found by the `har_stream` fuzz target: a top-level object without
    /// `log.entries` followed by junk ended differently when the junk came in
    /// a later chunk (the splitter read on past the document's end).
    #[test]
    fn bytes_after_the_document_are_ignored_in_any_chunking() {
        let doc = br#"{"lo":{"a":1}} ]]] {"log":{"entries":[{}]}}"#;
        let whole = split(doc, doc.len()).2;
        assert_eq!(
            whole,
            End::NotHar {
                reason: "it has no log.entries array",
                offset: 14
            }
        );
        for chunk in 1..doc.len() {
            assert_eq!(split(doc, chunk).2, whole, "chunk {chunk}");
        }
    }

    /// Found by the `har_stream` fuzz target: a byte-order mark split across
    /// chunks made the capture "not start with a JSON object".
    #[test]
    fn a_byte_order_mark_may_arrive_in_pieces() {
        let doc = "\u{feff}{\"log\":{\"entries\":[{}]}}";
        for chunk in 1..4 {
            let (entries, _, end) = split(doc.as_bytes(), chunk);
            assert_eq!((entries.len(), end), (1, End::Complete), "chunk {chunk}");
        }
    }

    #[test]
    fn an_entry_past_the_limit_is_skipped_and_the_next_one_read() {
        let big = format!(
            r#"{{"log":{{"entries":[{{"t":"{}"}},{{"ok":1}}]}}}}"#,
            "x".repeat(100)
        );
        let mut s = Splitter::with_max_entry(32);
        let mut seen = Vec::new();
        for c in big.as_bytes().chunks(10) {
            s.feed(c, &mut |p| match p {
                Piece::TooLarge {
                    index,
                    offset,
                    bytes,
                } => seen.push(format!("big {index}@{offset}+{bytes}")),
                Piece::Entry { index, bytes, .. } => {
                    seen.push(format!("{index} {}", String::from_utf8_lossy(bytes)))
                }
                _ => {}
            });
        }
        assert_eq!(
            seen,
            vec!["big 0@19+108".to_string(), r#"1 {"ok":1}"#.to_string()]
        );
        assert_eq!(s.finish(), End::Complete);
    }

    #[test]
    fn nesting_past_the_limit_stops_with_a_reason() {
        let deep = format!(r#"{{"log":{{"entries":[{{}},{}"#, "[".repeat(MAX_DEPTH));
        let (entries, _, end) = split(deep.as_bytes(), 4096);
        assert_eq!(entries.len(), 1);
        let End::NotHar { reason, offset } = end else {
            panic!("{end:?}")
        };
        assert!(reason.contains(&MAX_DEPTH.to_string()), "{reason}");
        assert_eq!(offset as usize, deep.len() - 3);
    }

    /// Found by the `har_stream` fuzz target: after `"creator":` and a key
    /// longer than [`MAX_KEY`] split across chunks, the next object was taken
    /// for the creator, but only in that chunking.
    #[test]
    fn a_long_key_clears_the_previous_one_in_any_chunking() {
        let doc = b"{\"log\":{\"creator\":\"\",\"a-key-longer-than-sixteen\":{\"name\":\"x\"},\"entries\":[]}}";
        let creators = |chunk: usize| {
            let mut s = Splitter::new();
            let mut n = 0;
            for c in doc.chunks(chunk) {
                s.feed(c, &mut |p| n += usize::from(matches!(p, Piece::Creator(_))));
            }
            (n, s.finish())
        };
        for chunk in 1..doc.len() {
            assert_eq!(creators(chunk), (0, End::Complete), "chunk {chunk}");
        }
    }

    /// Found by the `har_stream` fuzz smoke run: a string followed by `{`
    /// (not a key: no `:`) stayed "the last string" while the object was
    /// captured; dropping the bytes before the capture then underflowed.
    #[test]
    fn a_string_before_an_object_is_not_kept_as_a_key() {
        let doc = br#"{"log":{"creator":"x"{"name":"y"},"entries":[{}]}}"#;
        for chunk in 1..doc.len() {
            let _ = split(doc, chunk);
        }
    }

    #[test]
    fn bom_scalars_and_non_har() {
        let doc = "\u{feff}{\"log\":{\"entries\":[1,\"x\",null,{\"ok\":1}]}}";
        let (entries, bad, end) = split(doc.as_bytes(), 3);
        assert_eq!((entries.len(), bad, end), (1, 3, End::Complete));
        assert!(matches!(split(b"hello", 2).2, End::NotHar { .. }));
        assert!(matches!(split(b"{\"a\":1}", 2).2, End::NotHar { .. }));
        assert!(matches!(split(b"", 2).2, End::NotHar { .. }));
        assert!(matches!(split(b"{\"log\":{]", 2).2, End::NotHar { .. }));
    }
}
