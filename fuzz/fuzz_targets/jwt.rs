//! The JWT finder and decoder, two ways:
//! 1. the input as text that may contain tokens (`jwt::find` then `decode`);
//! 2. the input as the raw JSON of a header and claims (split at the first
//!    `0xFF`), base64url-encoded into a token, so the fuzzer reaches the
//!    claim handling (times, `amr`, notes) directly instead of having to
//!    guess valid base64 of valid JSON.
//!
//! Asserts: every token found is a slice of the input that starts `eyJ`,
//! and a decoded token's times are well-formed date strings.
#![no_main]

use aadsts_explainer::har::jwt;
use libfuzzer_sys::fuzz_target;

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for c in bytes.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=c.len() {
            s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    s
}

fn check(t: &jwt::Token) {
    for (_, when) in &t.times {
        assert!(when.ends_with(" UTC"), "bad time {when:?}");
    }
    let _ = jwt::amr(t);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for raw in jwt::find(&text) {
        assert!(raw.starts_with("eyJ"));
        if let Some(t) = jwt::decode(raw, 0, "response body", Some(1_700_000_000)) {
            check(&t);
        }
    }
    let (header, claims) = match data.iter().position(|&b| b == 0xFF) {
        Some(p) => (&data[..p], &data[p + 1..]),
        None => (&b"{\"alg\":\"none\"}"[..], data),
    };
    let raw = format!("{}.{}.sig", b64url(header), b64url(claims));
    if let Some(t) = jwt::decode(&raw, 0, "request header Authorization", Some(0)) {
        check(&t);
    }
});
