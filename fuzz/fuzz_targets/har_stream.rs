//! The streaming HAR reader, fed the same bytes in different chunkings.
//!
//! The first input byte picks a chunk size; the rest is the capture. It is
//! analysed three ways: whole, in chunks of that size, and one byte at a
//! time (a chunk boundary at every byte). Asserts: no panic, the three
//! reports are identical (the reader's state machine does not depend on
//! where chunks end), and a stop location, when given, lies inside the input.
#![no_main]

use aadsts_explainer::har::stream::{Piece, Splitter};
use aadsts_explainer::HarAnalyzer;
use libfuzzer_sys::fuzz_target;

/// The report as JSON, the form every caller sees.
fn analyse<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> String {
    let mut a = HarAnalyzer::new();
    for c in chunks {
        a.feed(c);
    }
    serde_json::to_string(&a.finish()).expect("a report always serializes")
}

/// The splitter alone: what it hands out and how it ends, for a cheap byte-wise check.
fn split<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> String {
    let mut s = Splitter::new();
    let mut log = String::new();
    for c in chunks {
        s.feed(c, &mut |p| match p {
            Piece::Entry {
                index,
                offset,
                bytes,
            } => log.push_str(&format!("E{index}@{offset}:{}\n", bytes.len())),
            Piece::NotAnObject { index, offset } => log.push_str(&format!("N{index}@{offset}\n")),
            Piece::Creator(b) => log.push_str(&format!("C{}\n", b.len())),
            Piece::TooLarge {
                index,
                offset,
                bytes,
            } => log.push_str(&format!("T{index}@{offset}:{bytes}\n")),
            // Only in gap mode (the sanitizer's), which this target does not use.
            Piece::Gap(_) => {}
        });
    }
    log.push_str(&format!("{:?}", s.finish()));
    log
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, doc)) = data.split_first() else {
        return;
    };
    let size = usize::from(size).max(1);
    let whole = analyse(std::iter::once(doc));
    let report: serde_json::Value = serde_json::from_str(&whole).unwrap();
    if let Some(at) = report["stopped"]["byte_offset"].as_u64() {
        assert!(
            at <= doc.len() as u64,
            "stopped at {at} past the end {}",
            doc.len()
        );
    }
    assert_eq!(whole, analyse(doc.chunks(size)), "chunks of {size}");
    // Byte by byte through the full analyser is slow on big inputs; the
    // splitter decides everything chunk-dependent, so it carries that check there.
    if doc.len() <= 4096 {
        assert_eq!(whole, analyse(doc.chunks(1)), "byte by byte");
    }
    assert_eq!(
        split(std::iter::once(doc)),
        split(doc.chunks(1)),
        "splitter byte by byte"
    );
});
