//! The text detector on arbitrary bytes: `scan_bytes` (what a dropped file
//! gets), `scan_text` when the bytes are UTF-8 (what a paste gets), and the
//! streaming `TextScanner` with parts small enough that every input is cut.
//!
//! Asserts, beyond "no panic": every span lies inside the input and is not
//! reversed, the finding cap holds, and the two one-shot entry points agree
//! on UTF-8 text.
#![no_main]

use aadsts_explainer::sniff::{sniff, Encoding, Sniffed};
use aadsts_explainer::{detect::MAX_FINDINGS, scan_bytes, scan_text, ScanReport, TextScanner};
use libfuzzer_sys::fuzz_target;

fn check_spans(r: &ScanReport, len: usize) {
    assert!(r.findings.len() <= MAX_FINDINGS, "finding cap broken");
    let spans = r
        .findings
        .iter()
        .map(|f| f.span)
        .chain(r.suggestions.iter().map(|s| s.span));
    for s in spans {
        assert!(
            s.start <= s.end && s.end <= len,
            "span {s:?} outside 0..{len}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let r = scan_bytes(data);
    check_spans(&r, data.len());
    if let Ok(text) = std::str::from_utf8(data) {
        let t = scan_text(text);
        check_spans(&t, data.len());
        // A paste and the same bytes as a file find the same codes, unless
        // the file reading takes the bytes for UTF-16 (every other byte NUL).
        if matches!(sniff(data), Sniffed::Text(Encoding::Utf8) | Sniffed::Binary) {
            assert_eq!(r.codes(), t.codes());
        }
    }
    // Parts of a third of the input (at least 64 bytes), fed in odd chunks.
    let mut streamed = TextScanner::with_window(64 + data.len() / 3);
    for c in data.chunks(17) {
        streamed.feed(c);
    }
    check_spans(&streamed.finish(), data.len());
});
