//! Properties: any input scans without a panic, spans stay inside the input,
//! and scanning time grows linearly even on adversarial repetitions.
#![cfg(not(target_arch = "wasm32"))]

use aadsts_explainer::{scan_bytes, scan_text};
use proptest::prelude::*;
use std::time::Instant;

/// Fragments real errors are made of, so random mixes reach deep paths.
const PIECES: &[&str] = &[
    "AADSTS",
    "aadsts ",
    "50076",
    "7000215",
    "500011",
    "5",
    ":",
    " ",
    "\\",
    "\\\\\"",
    "\\u00",
    "%3a",
    "%25",
    "+",
    "&#39;",
    "&#x",
    "&amp;",
    ";",
    "\"error_codes\":[",
    "]",
    ",",
    "Trace ID: ",
    "Correlation ID: ",
    "0a1b2c3d-0000-4e5f-8a9b-001122334455",
    "Timestamp: ",
    "2024-01-02 03:04:05Z",
    "Error Code: ",
    "\r\n",
    "_",
    "interaction_required",
    "error=",
    "suberror",
    "iErrorCode",
    "\u{e9}",
    "\u{1F600}",
    "\"",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let r = scan_bytes(&bytes);
        for f in &r.findings {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= bytes.len());
        }
    }

    #[test]
    fn error_shaped_text_never_panics(s in pieces()) {
        let r = scan_text(&s);
        for f in &r.findings {
            prop_assert!(f.span.end <= s.len());
            prop_assert!(s.is_char_boundary(f.span.start) || s.as_bytes()[f.span.start].is_ascii());
        }
        for g in &r.suggestions {
            prop_assert!(g.span.end <= s.len());
        }
    }

    #[test]
    fn a_code_survives_any_surrounding(prefix in pieces(), suffix in pieces()) {
        // A clean code between separators is always found, whatever surrounds it.
        let s = format!("{prefix}\n AADSTS50126: Error validating credentials \n{suffix}");
        prop_assert!(scan_text(&s).codes().contains(&50126));
    }
}

fn best_of_three(input: &[u8]) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(scan_bytes(std::hint::black_box(input)));
            t.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

#[test]
fn scanning_time_grows_linearly_on_adversarial_input() {
    // Repetitions that would make a naive scanner quadratic: every position a
    // candidate, escapes that decode into more escapes, endless labels.
    let patterns: &[&[u8]] = &[
        b"AADSTS",
        b"AADSTS50076 ",
        b"%25",
        b"\\\\",
        b"&#38;",
        b"\"error_codes\":[50076,",
        b"error code: 50076 correlation id ",
        b"a_b_",
        b"Trace ID: ",
        b"+%3a+",
    ];
    for p in patterns {
        let small: Vec<u8> = p.iter().copied().cycle().take(64 * 1024).collect();
        let large: Vec<u8> = p.iter().copied().cycle().take(512 * 1024).collect();
        let (ts, tl) = (best_of_three(&small), best_of_three(&large));
        // Linear is 8x; quadratic would be 64x. Allow noise, and ignore sub-millisecond runs.
        assert!(
            tl < 0.002 || tl / ts.max(1e-6) < 24.0,
            "{:?}: 64 KiB took {ts:.4}s, 512 KiB took {tl:.4}s",
            String::from_utf8_lossy(p)
        );
    }
}
