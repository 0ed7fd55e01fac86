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
//!
//! Outside gap mode, a response body the analysis never reads (its
//! `mimeType`, given before it, is not text) is left out of the entry handed
//! on, so the entry parser never decodes it. A caller that can read from any
//! offset (a `File` in the browser, a file on disk) may also let the splitter
//! jump over such a body unread ([`Splitter::seekable`]); see
//! [`Splitter::feed_at`] for the contract and the check that makes a jump safe.

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
        /// Response bodies left out of `bytes` (the analysis never reads
        /// them), each as an empty string: `.1` bytes of the input were
        /// before `bytes[.0]`.
        skipped: &'a [(usize, u64)],
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

/// Where inside an entry the scanner stands, as far as `response.content` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    /// In the entry object, or deeper somewhere else.
    Entry,
    /// Directly in `response`.
    Response,
    /// Directly in `response.content`, which opened at this stream offset.
    Content(u64),
}

/// The key just read inside an entry, when it is one on the way to the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    None,
    Response,
    Content,
    Text,
}

/// A response body being jumped over: its string starts at `from`, and if
/// `content.size` told the truth its closing quote is at `quote`. The last
/// [`VERIFY`] bytes before that quote, and the quote, are read to check.
#[derive(Debug)]
struct Skip {
    from: u64,
    quote: u64,
    /// `=` the base64 of `content.size` bytes ends with.
    padding: usize,
    window: Vec<u8>,
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
    /// Seek mode: the stream's length, when the caller reads from any offset.
    total: Option<u64>,
    /// The shortest body worth a jump.
    skip_min: u64,
    body: Body,
    pending: Pending,
    skip: Option<Skip>,
    /// Bytes jumped over inside the buffer: `.1` bytes belong before `buf[.0]`.
    holes: Vec<(usize, u64)>,
    /// Bytes jumped over in all.
    skipped: u64,
    /// The body being read is one the analysis never reads: it starts here in `buf`.
    excluding: Option<usize>,
    /// Such bodies in the entry being captured (`buf` ranges): left out of
    /// the entry handed on, so its parser never decodes them.
    cuts: Vec<(usize, usize)>,
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

/// In seek mode, the shortest response body worth jumping over: a jump costs
/// the caller a read of its own, and a shorter body is cheaper to read.
pub const SKIP_MIN: u64 = 16 << 10;

/// How many bytes before a jumped body's closing quote are read to check
/// that the quote is where `content.size` says.
const VERIFY: u64 = 64;

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
            total: None,
            skip_min: SKIP_MIN,
            body: Body::Entry,
            pending: Pending::None,
            skip: None,
            holes: Vec::new(),
            skipped: 0,
            excluding: None,
            cuts: Vec::new(),
        }
    }

    /// A splitter for a stream of `total` bytes that the caller can read from
    /// any offset: it may jump over response bodies it has no use for. Feed it
    /// with [`Splitter::feed_at`] from [`Splitter::wanted`].
    pub fn seekable(total: u64) -> Splitter {
        Splitter {
            total: Some(total),
            ..Splitter::new()
        }
    }

    /// Jump over bodies of at least `min` bytes (the default is [`SKIP_MIN`];
    /// tests use small ones on small captures).
    pub fn skip_bodies_from(mut self, min: u64) -> Splitter {
        self.skip_min = min;
        self
    }

    /// The stream offset of the next byte the splitter needs, or `None` when
    /// it needs no more. Only in seek mode can it differ from the bytes fed.
    pub fn wanted(&self) -> Option<u64> {
        if self.failed.is_some() || self.closed || (self.entries_done && !self.gaps) {
            return None;
        }
        Some(match &self.skip {
            Some(skip) => skip.quote - VERIFY + skip.window.len() as u64,
            None => self.at(self.buf.len()),
        })
    }

    /// Bytes jumped over without being read.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Where the byte at stream offset `offset` is in `buf`, if it is there.
    fn index_of(&self, offset: u64) -> Option<usize> {
        let mut i = offset.checked_sub(self.base)?;
        for &(at, len) in &self.holes {
            let at = at as u64;
            if i >= at + len {
                i -= len;
            } else if i >= at {
                return None;
            } else {
                break;
            }
        }
        usize::try_from(i).ok().filter(|&i| i < self.buf.len())
    }

    /// The stream offset of `buf[i]`.
    fn at(&self, i: usize) -> u64 {
        let holes: u64 = self
            .holes
            .iter()
            .filter(|&&(at, _)| i >= at)
            .map(|&(_, len)| len)
            .sum();
        self.base + i as u64 + holes
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
        self.at(self.pos)
    }

    /// Feed bytes that start at stream offset `offset`. Bytes before
    /// [`Splitter::wanted`] are ignored; a chunk that starts after it is
    /// ignored whole (the caller must read from `wanted`).
    ///
    /// In seek mode, when the scanner reaches the `text` of a `response.content`
    /// whose type the analysis never reads (not text, not empty) and whose
    /// `size` is given, the body's base64 has a known length, so its closing
    /// quote has a known offset. The splitter asks for the bytes just before
    /// that offset instead of the body: when they are base64 (with the padding
    /// `size` implies) ending in a quote, the body is taken as read, empty.
    /// When not (`size` was wrong, the body is not base64), it asks for the
    /// body's bytes after all, so the result is what reading would give.
    pub fn feed_at(&mut self, offset: u64, chunk: &[u8], out: &mut dyn FnMut(Piece<'_>)) {
        // Each turn takes the chunk from where the splitter wants it, which
        // may be before the last turn's bytes after a jump that did not hold.
        while let Some(want) = self.wanted() {
            let Some(rest) = from_wanted(want, offset, chunk) else {
                return;
            };
            if let Some(skip) = self.skip.as_mut() {
                let take = ((VERIFY + 1) as usize - skip.window.len()).min(rest.len());
                skip.window.extend_from_slice(&rest[..take]);
                if skip.window.len() as u64 == VERIFY + 1 {
                    self.end_skip();
                }
                continue;
            }
            if self.gaps || self.entries_done || self.closed {
                return;
            }
            self.buf.extend_from_slice(rest);
            self.scan(out);
            if self.skip.is_some() {
                // The scan stopped at a body to jump over: the bytes after
                // its opening quote are the body's, or past the jump.
                self.buf.truncate(self.pos);
            }
            self.compact();
        }
    }

    /// The window before a jumped body's quote is complete: keep the jump or undo it.
    fn end_skip(&mut self) {
        let Some(skip) = self.skip.take() else { return };
        let (body, quote) = skip.window.split_at(VERIFY as usize);
        let digits = body.len() - skip.padding;
        let good = quote == b"\""
            && body[..digits].iter().all(|&b| b != b'=' && is_base64(b))
            && body[digits..].iter().all(|&b| b == b'=');
        if good {
            // The bytes between `from` and the quote are gone from the buffer;
            // the hole keeps offsets after it true. The quote comes next.
            let len = skip.quote - skip.from;
            self.holes.push((self.buf.len(), len));
            self.skipped += len;
        }
        // Else the buffer still ends where the body starts, inside its string:
        // the next bytes fed are the body's.
    }

    /// At the opening quote of `response.content.text` (already stepped
    /// over): when the analysis will not read the body, leave it out of the
    /// entry; in seek mode, jump over it when `content.size` gives its length.
    /// True when jumping.
    fn at_body(&mut self) -> bool {
        let Body::Content(start) = self.body else {
            return false;
        };
        if self.dropped.is_some() || self.gaps {
            return false;
        }
        let Some(start) = self.index_of(start) else {
            return false;
        };
        // Up to the opening quote, which `pos` has stepped over.
        let Some(unread) = unread_body(&self.buf[start..self.pos - 1]) else {
            return false;
        };
        let jump = base64_body_length(&unread);
        self.excluding = Some(self.pos);
        let (Some(total), Some((len, padding))) = (self.total, jump) else {
            return false;
        };
        // The body's first bytes, when this read brought them, must be
        // base64 too: a short body with an inflated `size` stops here.
        let seen = &self.buf[self.pos..self.buf.len().min(self.pos.saturating_add(len as usize))];
        if !all_base64(seen) {
            return false;
        }
        let from = self.at(self.pos);
        let quote = from + len;
        if len < self.skip_min.max(VERIFY) || quote >= total {
            return false;
        }
        self.skip = Some(Skip {
            from,
            quote,
            padding,
            window: Vec::with_capacity(VERIFY as usize + 1),
        });
        true
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
                self.dropped = Some(self.at(start));
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
            if self.dropped.is_some() {
                // An entry too large to keep is not handed on: nothing to cut.
                self.cuts.clear();
                self.excluding = None;
            }
            for cut in &mut self.cuts {
                cut.0 -= keep_from;
                cut.1 -= keep_from;
            }
            self.excluding = self.excluding.map(|e| e - keep_from);
            let base = &mut self.base;
            self.holes.retain_mut(|(at, len)| {
                if *at <= keep_from {
                    *base += *len;
                    return false;
                }
                *at -= keep_from;
                true
            });
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
                if self.escape {
                    self.escape = false;
                    self.pos += 1;
                    continue;
                }
                match string_end(&self.buf[self.pos..]) {
                    (None, escape) => {
                        self.escape = escape;
                        self.pos = self.buf.len();
                        // A long string cannot be a key we care about.
                        if self.key_start.is_some_and(|k| self.pos - k > MAX_KEY) {
                            self.key_start = None;
                        }
                        return;
                    }
                    (Some(o), _) => {
                        self.in_string = false;
                        self.pos += o + 1;
                        self.last_string = self.key_start.take().map(|k| (k, self.pos - 1));
                        if let Some(start) = self.excluding.take() {
                            if self.pos - 1 > start {
                                self.cuts.push((start, self.pos - 1));
                            }
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
                    // Only strings at depth 1-2 outside captures can be the
                    // keys we need, and at depth 4-6 in an entry, on the way
                    // to the response body.
                    let interesting = match self.capture {
                        None => self.depth() == 1 || self.depth() == 2,
                        Some((_, 4, true)) => (4..=6).contains(&self.depth()),
                        Some(_) => false,
                    };
                    self.key_start = interesting.then_some(self.pos + 1);
                    self.last_string = None;
                    self.begin_scalar_element();
                    self.pos += 1;
                    let text = self.pending == Pending::Text && self.depth() == 6;
                    self.pending = Pending::None;
                    if text && self.at_body() {
                        return;
                    }
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
                    self.pending = match (self.depth(), self.body, key) {
                        (4, Body::Entry, b"response") => Pending::Response,
                        (5, Body::Response, b"content") => Pending::Content,
                        (6, Body::Content(_), b"text") => Pending::Text,
                        _ => Pending::None,
                    };
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
                    if container == Container::Object && matches!(self.capture, Some((_, 4, true)))
                    {
                        match (d, self.body, self.pending) {
                            (4, Body::Entry, Pending::Response) => self.body = Body::Response,
                            (5, Body::Response, Pending::Content) => {
                                self.body = Body::Content(self.offset())
                            }
                            _ => {}
                        }
                    }
                    self.pending = Pending::None;
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
                    self.pending = Pending::None;
                    self.body = match (self.body, d) {
                        (Body::Content(_), 5) => Body::Response,
                        (Body::Response, 4) | (_, 3) => Body::Entry,
                        (body, _) => body,
                    };
                    if let Some((start, cd, is_entry)) = self.capture {
                        if d + 1 == cd {
                            self.capture = None;
                            let cuts = std::mem::take(&mut self.cuts);
                            self.excluding = None;
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
                                let offset = self.at(start);
                                if self.gaps && start > self.gap_from {
                                    out(Piece::Gap(&self.buf[self.gap_from..start]));
                                }
                                self.gap_from = self.pos + 1;
                                let (bytes, skipped) =
                                    without_bodies(bytes, start, &self.holes, &cuts);
                                out(Piece::Entry {
                                    index: self.index,
                                    offset,
                                    bytes: &bytes,
                                    skipped: &skipped,
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
                    self.pending = Pending::None;
                    self.end_scalar_element(out);
                }
                _ if b.is_ascii_whitespace() => {}
                _ => {
                    self.begin_scalar_element();
                    self.last_string = None;
                    self.pending = Pending::None;
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
        if let Some(skip) = &self.skip {
            // The caller stopped before the end of a body it was told is there.
            return End::Truncated {
                entries: self.index,
                offset: skip.from,
            };
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

/// A byte of standard base64, padding included. Written without
/// short-circuits, so a loop over a slice becomes vector code.
fn is_base64(b: u8) -> bool {
    (b.wrapping_sub(b'A') < 26)
        | (b.wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'0') < 10)
        | (b == b'+')
        | (b == b'/')
        | (b == b'=')
}

/// Whether every byte is base64, a block at a time.
fn all_base64(bytes: &[u8]) -> bool {
    bytes
        .chunks(64)
        .all(|block| block.iter().fold(true, |ok, &b| ok & is_base64(b)))
}

/// The bytes of `chunk` (which starts at stream offset `offset`) from offset
/// `want` on; `None` when the chunk does not hold that offset.
pub fn from_wanted(want: u64, offset: u64, chunk: &[u8]) -> Option<&[u8]> {
    let skip = usize::try_from(want.checked_sub(offset)?).ok()?;
    chunk.get(skip..).filter(|rest| !rest.is_empty())
}

/// Where the string whose content starts `s` ends: the index of its closing
/// quote, or `None` and whether the last byte is a backslash whose escaped
/// byte is still to come. Escapes come close together in scripts and JSON
/// bodies, so a few bytes are looked at one by one before `memchr2` is asked.
fn string_end(s: &[u8]) -> (Option<usize>, bool) {
    let mut i = 0;
    while i < s.len() {
        let near = (i + 16).min(s.len());
        let hit = match s[i..near].iter().position(|&b| b == b'"' || b == b'\\') {
            Some(o) => Some(i + o),
            None => memchr2(b'"', b'\\', &s[near..]).map(|o| near + o),
        };
        let Some(h) = hit else {
            return (None, false);
        };
        if s[h] == b'"' {
            return (Some(h), false);
        }
        if h + 1 == s.len() {
            return (None, true);
        }
        i = h + 2;
    }
    (None, false)
}

/// An entry's bytes (`buf[start..]`) without the bodies cut from it, and
/// where bytes of the file are missing from what is handed on (bodies
/// jumped over and bodies cut), as `(index, count)`: `count` bytes were
/// before `bytes[index]`.
fn without_bodies<'b>(
    bytes: &'b [u8],
    start: usize,
    holes: &[(usize, u64)],
    cuts: &[(usize, usize)],
) -> (std::borrow::Cow<'b, [u8]>, Vec<(usize, u64)>) {
    let end = start + bytes.len();
    let cuts: Vec<(usize, usize)> = cuts
        .iter()
        .filter(|&&(a, b)| a >= start && b <= end)
        .map(|&(a, b)| (a - start, b - start))
        .collect();
    // Bytes cut before relative index `i`.
    let cut_before = |i: usize| -> usize {
        cuts.iter()
            .filter(|&&(_, b)| b <= i)
            .map(|&(a, b)| b - a)
            .sum()
    };
    let mut missing: Vec<(usize, u64)> = holes
        .iter()
        .filter(|&&(at, _)| at > start && at <= end)
        .map(|&(at, len)| (at - start - cut_before(at - start), len))
        .chain(
            cuts.iter()
                .map(|&(a, b)| (a - cut_before(a), (b - a) as u64)),
        )
        .collect();
    crate::order::sort_by_u64(&mut missing, |m| m.0 as u64);
    if cuts.is_empty() {
        return (std::borrow::Cow::Borrowed(bytes), missing);
    }
    let mut kept = Vec::with_capacity(bytes.len() - cut_before(bytes.len()));
    let mut from = 0;
    for &(a, b) in &cuts {
        kept.extend_from_slice(&bytes[from..a]);
        from = b;
    }
    kept.extend_from_slice(&bytes[from..]);
    (std::borrow::Cow::Owned(kept), missing)
}

/// What a `response.content` object says before its `text`, when the body is
/// one the analysis never reads: its type is given, and is not text.
struct UnreadBody<'a> {
    size: Option<&'a [u8]>,
    encoding: Option<&'a [u8]>,
}

/// From a `response.content` object's `{` up to its `text` value: `Some` when
/// the analysis will not read the body (the same test it applies, on the
/// same fields), `None` when it may.
fn unread_body(head: &[u8]) -> Option<UnreadBody<'_>> {
    let (mut size, mut mime, mut encoding) = (None, None, None);
    let mut fields = ContentFields {
        rest: head.get(1..)?,
        after_pair: false,
    };
    while let Some((key, value)) = fields.next()? {
        let slot = match key {
            b"size" => &mut size,
            b"mimeType" => &mut mime,
            b"encoding" => &mut encoding,
            b"text" => break,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return None; // a key twice: which one counts is not ours to guess
        }
    }
    let mime = std::str::from_utf8(mime?.strip_prefix(b"\"")?.strip_suffix(b"\"")?).ok()?;
    if mime.is_empty() || mime.contains('\\') || super::is_text_mime(mime) {
        return None;
    }
    Some(UnreadBody { size, encoding })
}

/// The length of an unread body's base64 and the `=` padding at its end,
/// when `size` gives it and the encoding is base64 or not yet said.
fn base64_body_length(body: &UnreadBody<'_>) -> Option<(u64, usize)> {
    if let Some(e) = body.encoding {
        if !e.eq_ignore_ascii_case(b"\"base64\"") {
            return None;
        }
    }
    let size = body.size?;
    if size.is_empty() || size.len() > 15 || !size.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size: u64 = std::str::from_utf8(size).ok()?.parse().ok()?;
    Some((size.div_ceil(3) * 4, (3 - size % 3) as usize % 3))
}

/// The `key: value` pairs of a JSON object's start, values raw (strings
/// with their quotes, nested values whole). `None` when it is not JSON.
struct ContentFields<'a> {
    rest: &'a [u8],
    /// A pair was read: the next one needs a comma first.
    after_pair: bool,
}

impl<'a> ContentFields<'a> {
    fn skip_space(&mut self) {
        let n = self
            .rest
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        self.rest = &self.rest[n..];
    }

    /// A string's length with its quotes, from its opening quote.
    fn string_len(bytes: &[u8]) -> Option<usize> {
        string_end(bytes.get(1..)?).0.map(|q| q + 2)
    }

    /// One value's length: a string, a container (nesting counted), or a scalar.
    fn value_len(bytes: &[u8]) -> Option<usize> {
        match bytes.first()? {
            b'"' => Self::string_len(bytes),
            b'{' | b'[' => {
                let (mut depth, mut i) = (0usize, 0);
                loop {
                    match bytes.get(i)? {
                        b'"' => i += Self::string_len(&bytes[i..])?,
                        b'{' | b'[' => {
                            depth += 1;
                            i += 1;
                        }
                        b'}' | b']' => {
                            depth -= 1;
                            i += 1;
                            if depth == 0 {
                                return Some(i);
                            }
                        }
                        _ => i += 1,
                    }
                }
            }
            _ => Some(
                bytes
                    .iter()
                    .position(|&b| b == b',' || b == b'}' || b.is_ascii_whitespace())
                    .unwrap_or(bytes.len()),
            ),
        }
    }

    /// The next pair: `Some(None)` at the end of the bytes.
    fn next(&mut self) -> Option<Option<(&'a [u8], &'a [u8])>> {
        self.skip_space();
        if self.rest.is_empty() {
            return Some(None);
        }
        if self.after_pair {
            self.rest = self.rest.strip_prefix(b",")?;
            self.skip_space();
        }
        self.after_pair = true;
        let klen = Self::string_len(self.rest)?;
        let key = &self.rest[1..klen - 1];
        self.rest = &self.rest[klen..];
        self.skip_space();
        self.rest = self.rest.strip_prefix(b":")?;
        self.skip_space();
        if self.rest.is_empty() {
            // The value still to come: only `text`'s, where the head ends.
            return Some(Some((key, &[])));
        }
        let vlen = Self::value_len(self.rest)?;
        let value = &self.rest[..vlen];
        self.rest = &self.rest[vlen..];
        Some(Some((key, value)))
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

    /// Reads `doc` as a seeking caller does, `slice` bytes from wherever the
    /// splitter wants; returns entries as `index@offset`, the end and the
    /// bytes jumped over.
    fn seek_split(doc: &[u8], slice: usize, min: u64) -> (Vec<String>, End, u64) {
        let mut s = Splitter::seekable(doc.len() as u64).skip_bodies_from(min);
        let mut seen = Vec::new();
        while let Some(at) = s.wanted() {
            let at = at as usize;
            if at >= doc.len() {
                break;
            }
            let end = (at + slice).min(doc.len());
            s.feed_at(at as u64, &doc[at..end], &mut |p| {
                if let Piece::Entry { index, offset, .. } = p {
                    seen.push(format!("{index}@{offset}"));
                }
            });
        }
        let skipped = s.skipped();
        (seen, s.finish(), skipped)
    }

    fn image_entry(size: usize, text: &str) -> String {
        format!(
            r#"{{"response":{{"status":200,"content":{{"size":{size},"mimeType":"image/png","text":"{text}","encoding":"base64"}}}}}}"#
        )
    }

    #[test]
    fn a_jump_keeps_the_offsets_of_what_follows() {
        let b64 = "QUJD".repeat(100); // the base64 of 300 bytes
        let doc = format!(
            r#"{{"log":{{"entries":[{},{},{{"x":1}}]}}}}"#,
            image_entry(300, &b64),
            image_entry(300, &b64)
        );
        let sequential: Vec<String> = {
            let mut s = Splitter::new();
            let mut v = Vec::new();
            s.feed(doc.as_bytes(), &mut |p| {
                if let Piece::Entry { index, offset, .. } = p {
                    v.push(format!("{index}@{offset}"));
                }
            });
            v
        };
        for slice in [1, 5, 64, 100, 4096] {
            let (seen, end, skipped) = seek_split(doc.as_bytes(), slice, 64);
            assert_eq!(
                (seen, end),
                (sequential.clone(), End::Complete),
                "slice {slice}"
            );
            assert_eq!(skipped, 2 * 400, "slice {slice}");
        }
        // Cut after the jumped bodies: the damage is placed where it is in the file.
        let cut = &doc.as_bytes()[..doc.len() - 5];
        let (_, end, _) = seek_split(cut, 7, 64);
        assert_eq!(end, split(cut, 7).2);
    }

    #[test]
    fn a_size_that_lies_is_caught_and_the_body_read() {
        let b64 = "QUJD".repeat(100);
        for size in [297, 299, 301, 302, 303, 600] {
            let doc = format!(
                r#"{{"log":{{"entries":[{},{{"x":1}}]}}}}"#,
                image_entry(size, &b64)
            );
            for slice in [3, 64, 4096] {
                let (seen, end, skipped) = seek_split(doc.as_bytes(), slice, 64);
                let padded = size.div_ceil(3) == 100; // same base64 length: the jump is right
                assert_eq!(seen.len(), 2, "size {size}, slice {slice}");
                assert_eq!(end, End::Complete);
                assert_eq!(
                    skipped > 0,
                    padded && size % 3 == 0,
                    "size {size}, slice {slice}"
                );
            }
        }
    }

    #[test]
    fn only_bodies_the_analysis_never_reads_are_jumped() {
        let len =
            |content: &str| unread_body(content.as_bytes()).and_then(|b| base64_body_length(&b));
        assert_eq!(
            len(r#"{"size":300,"mimeType":"image/png","text":"#),
            Some((400, 0))
        );
        assert_eq!(
            len(r#"{ "mimeType" : "font/woff2", "size" : 301, "encoding":"base64", "text" : "#),
            Some((404, 2))
        );
        assert_eq!(
            len(r#"{"size":302,"_x":{"a":["}"]},"mimeType":"video/mp4","text":"#),
            Some((404, 1))
        );
        for refused in [
            r#"{"size":300,"mimeType":"application/json","text":"#,
            r#"{"size":300,"mimeType":"text/html","text":"#,
            r#"{"size":300,"mimeType":"","text":"#,
            r#"{"size":300,"text":"#,
            r#"{"mimeType":"image/png","text":"#,
            r#"{"size":-1,"mimeType":"image/png","text":"#,
            r#"{"size":3.5,"mimeType":"image/png","text":"#,
            r#"{"size":300,"mimeType":"image/png","encoding":"utf8","text":"#,
            r#"{"size":300,"mimeType":"text\/plain","text":"#,
            r#"{"size":300,"size":3,"mimeType":"image/png","text":"#,
            r#"{"size":300,"mimeType":"image/png" "text":"#,
        ] {
            assert_eq!(len(refused), None, "{refused}");
        }
    }
}
