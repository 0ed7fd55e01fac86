//! The streaming HAR reader, fed the same bytes in different chunkings.
//!
//! The first input byte picks a chunk size; the rest is the capture. It is
//! analysed three ways: whole, in chunks of that size, and one byte at a
//! time (a chunk boundary at every byte). Asserts: no panic, the three
//! reports are identical (the reader's state machine does not depend on
//! where chunks end), and a stop location, when given, lies inside the input.
//! It is also read as the page's worker reads a `File` (seek mode, jumping
//! over bodies from 64 bytes on, slices of that size). That must not panic,
//! and must give the same report whenever the bytes it never read are
//! base64, as a real body's are (the splitter checks the bytes it does read).
//! Only a `content.size` that lies and lands exactly on the end of another
//! base64 string, or a body with bytes JSON forbids, can change a report;
//! the target checks the unread bytes before comparing.
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

/// Read as the page's worker does: from wherever the analysis wants. Also
/// says whether every jump kept was over base64 only.
fn analyse_seeking(doc: &[u8], slice: usize) -> (String, bool) {
    let mut a = HarAnalyzer::seekable(doc.len() as u64).skip_bodies_from(64);
    let mut jumps: Vec<(usize, usize)> = Vec::new();
    let mut last_end = 0;
    while let Some(at) = a.wanted() {
        let Ok(at) = usize::try_from(at) else { break };
        if at >= doc.len() {
            break;
        }
        if at > last_end {
            jumps.push((last_end, at));
        } else if at < last_end {
            // Back to a body's start: the last jump did not hold.
            jumps.pop();
        }
        last_end = (at + slice).min(doc.len());
        a.feed_at(at as u64, &doc[at..last_end]);
    }
    let true_jumps = jumps.iter().all(|&(from, to)| {
        doc[from..to]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    });
    let report = serde_json::to_string(&a.finish()).expect("a report always serializes");
    (report, true_jumps)
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
                ..
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
    let (seeking, true_jumps) = analyse_seeking(doc, size);
    if true_jumps {
        assert_eq!(whole, seeking, "seeking, slices of {size}");
    }
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
