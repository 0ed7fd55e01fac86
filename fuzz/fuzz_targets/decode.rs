//! The decoder that undoes JSON escapes, URL encoding and HTML entities
//! (`detect::decode::normalize`), on arbitrary bytes.
//!
//! Asserts the offset map back to the input: every decoded range maps to a
//! range inside the input that is not reversed, and mapping is monotone (a
//! later decoded position never maps before an earlier one), which is what
//! keeps a finding's highlight on the text the user pasted.
#![no_main]

use aadsts_explainer::detect::decode::normalize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let n = normalize(data);
    let out_len = n.text().len();
    // Decoding only ever shortens or keeps the text.
    assert!(
        out_len <= data.len(),
        "decoded {out_len} > input {}",
        data.len()
    );
    // Every position for small outputs; a stride for large ones keeps a run fast.
    let step = (out_len / 512).max(1);
    let mut last = (0, 0);
    for s in (0..=out_len).step_by(step) {
        let (a, b) = n.to_input(s, s);
        assert!(a <= data.len() && b <= data.len(), "{s} maps to {a}..{b}");
        assert!(a >= last.0 && b >= last.1, "map goes backwards at {s}");
        last = (a, b);
        let e = (s + 7).min(out_len);
        let (a, b) = n.to_input(s, e);
        assert!(a <= b && b <= data.len(), "{s}..{e} maps to {a}..{b}");
    }
});
