//! Text of any size, fed in chunks: a log of gigabytes is scanned in parts
//! with memory bounded by one part, not the file.
//!
//! Up to [`WINDOW`] bytes nothing changes: [`TextScanner::finish`] hands the
//! whole text to [`scan_bytes`](super::scan_bytes), so the result is exactly
//! a one-shot scan's. Past it, the text is cut at the last line end before
//! each [`WINDOW`] bytes (an error line is never split), each part is
//! scanned, and the parts' findings are merged: one finding per error, its
//! occurrences added up, facts a later part carries filled in. The cost is
//! that IDs are matched to a code only within its part, which the report says.

use super::{scan_bytes, scan_into, MAX_FINDINGS};
use crate::kb::Kind;
use crate::report::{ScanReport, Span, Warning};
use crate::sniff::{sniff, utf8_len, Encoding, Sniffed};

/// The size of one part. A paste or an ordinary log is one part.
pub const WINDOW: usize = 16 << 20;

/// The streaming scanner. Feed chunks with [`TextScanner::feed`], then [`TextScanner::finish`].
#[derive(Default)]
pub struct TextScanner {
    buf: Vec<u8>,
    /// Input offset of `buf[0]`.
    base: usize,
    /// Whether the text is read in parts (decided on the first full part).
    windowed: Option<bool>,
    parts: usize,
    report: ScanReport,
    index: crate::order::SortedMap<(Kind, Option<u32>, Option<String>), usize>,
    window: usize,
}

impl TextScanner {
    /// A scanner at the start of a text.
    pub fn new() -> TextScanner {
        TextScanner::with_window(WINDOW)
    }

    /// A scanner with parts of `window` bytes (tests use small ones).
    pub fn with_window(window: usize) -> TextScanner {
        TextScanner {
            window: window.max(1),
            ..TextScanner::default()
        }
    }

    /// Bytes held and not yet scanned: at most a part and a chunk, unless the
    /// text cannot be read in parts (UTF-16, which is converted whole).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Feed the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
        while self.buf.len() > self.window {
            // UTF-16 needs its conversion's offset map whole; it stays in one piece.
            let windowed = *self.windowed.get_or_insert_with(|| {
                matches!(
                    sniff(&self.buf),
                    Sniffed::Text(Encoding::Utf8) | Sniffed::Binary
                )
            });
            if !windowed {
                return;
            }
            let cut = part_end(&self.buf[..self.window]);
            self.part(cut, false);
        }
    }

    /// Scan the rest and return the report.
    pub fn finish(mut self) -> ScanReport {
        if self.parts == 0 {
            return scan_bytes(&self.buf);
        }
        let len = self.buf.len();
        self.part(len, true);
        crate::order::sort_by_u64(&mut self.report.findings, |f| f.span.start as u64);
        crate::order::sort_by_u64(&mut self.report.suggestions, |s| s.span.start as u64);
        let codes: Vec<u32> = self.report.codes();
        self.report.suggestions.retain(|s| !codes.contains(&s.code));
        self.report.warnings.push(Warning {
            kind: "large-text",
            message: format!(
                "The text is larger than {} MiB, so it was read in {} parts cut at line ends; IDs were matched to codes within each part.",
                self.window >> 20,
                self.parts
            ),
        });
        self.report
    }

    /// Scan `buf[..cut]` as one part and merge its report.
    fn part(&mut self, cut: usize, last: bool) {
        let part = &self.buf[..cut];
        let mut r = if self.parts == 0 {
            // The first part says what the text is (binary, not UTF-8).
            scan_bytes(part)
        } else {
            let mut r = ScanReport::default();
            scan_into(part, &|s, e| (s, e), &mut r);
            r
        };
        if !last {
            // A number at a part's end is cut by the part, not by the user.
            r.warnings.retain(|w| w.kind != "cut-off-code");
        }
        let base = self.base;
        let moved = |s: Span| Span {
            start: s.start + base,
            end: s.end + base,
        };
        for mut f in r.findings {
            let key = (f.kind, f.code, f.id.clone());
            if let Some(&i) = self.index.get(&key) {
                let known = &mut self.report.findings[i];
                known.occurrences += f.occurrences;
                known.fill_missing(&f);
            } else if self.report.findings.len() < MAX_FINDINGS {
                f.span = moved(f.span);
                self.index.insert(key, self.report.findings.len());
                self.report.findings.push(f);
            }
        }
        for mut s in r.suggestions {
            if !self.report.suggestions.iter().any(|k| k.code == s.code) {
                s.span = moved(s.span);
                self.report.suggestions.push(s);
            }
        }
        for w in r.warnings {
            if !self.report.warnings.iter().any(|k| k.kind == w.kind) {
                self.report.warnings.push(w);
            }
        }
        self.buf.drain(..cut);
        self.base += cut;
        self.parts += 1;
    }
}

/// Where a part ends: after the last line end, else (one huge line) at a
/// character boundary near the end, so UTF-8 is never split.
fn part_end(window: &[u8]) -> usize {
    if let Some(p) = memchr::memrchr(b'\n', window) {
        return p + 1;
    }
    let n = window.len();
    // The last character's first byte; if the character runs past the end, cut before it.
    let lead = (n.saturating_sub(4)..n)
        .rev()
        .find(|&i| !(0x80..0xC0).contains(&window[i]));
    match lead {
        Some(i) if i + utf8_len(window[i]) > n => i.max(1),
        _ => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(text: &[u8], window: usize, chunk: usize) -> ScanReport {
        let mut t = TextScanner::with_window(window);
        for c in text.chunks(chunk) {
            t.feed(c);
        }
        t.finish()
    }

    #[test]
    fn a_small_text_is_scanned_exactly_as_in_one_go() {
        let text = b"AADSTS50076: MFA.\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\n";
        let one = serde_json::to_string(&scan_bytes(text)).unwrap();
        let s = serde_json::to_string(&streamed(text, 1 << 20, 7)).unwrap();
        assert_eq!(s, one);
    }

    #[test]
    fn parts_merge_into_one_finding_per_error_with_input_spans() {
        let line = "AADSTS50076: MFA required.\n";
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(if i == 150 {
                "AADSTS70008: expired.\n"
            } else {
                line
            });
            text.push_str("Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\nfiller line\n\n");
        }
        let r = streamed(text.as_bytes(), 1000, 333);
        assert_eq!(r.codes(), vec![50076, 70008]);
        assert_eq!(r.findings[0].occurrences, 199);
        let f = &r.findings[1];
        assert_eq!(&text[f.span.start..f.span.end], "AADSTS70008");
        assert_eq!(
            f.trace_id.as_deref(),
            Some("0a1b2c3d-0000-4e5f-8a9b-001122334455")
        );
        assert!(r.warnings.iter().any(|w| w.kind == "large-text"));
        assert!(!r.warnings.iter().any(|w| w.kind == "cut-off-code"));
    }

    #[test]
    fn one_huge_line_is_cut_between_characters() {
        let text = "é".repeat(5000) + " AADSTS50058: no session";
        let r = streamed(text.as_bytes(), 999, 4096);
        assert_eq!(r.codes(), vec![50058]);
        assert!(
            !r.warnings.iter().any(|w| w.kind == "not-utf8"),
            "{:?}",
            r.warnings
        );
    }
}
