//! The WASM build of the core, run by wasm-bindgen-test in Node: the same
//! detector and knowledge base the page uses, and the bad-input table
//! (`tests/bad_input/cases.rs`) through the JavaScript API as the page calls it.
#![cfg(target_arch = "wasm32")]

use aadsts_explainer::{explain, scan_text};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn scan_finds_codes_and_ids_in_wasm() {
    let r = scan_text("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: expired\",\"error_codes\":[70008],\"trace_id\":\"0a1b2c3d-0000-4e5f-8a9b-001122334455\"}");
    assert_eq!(r.codes(), vec![70008]);
    assert_eq!(
        r.findings
            .iter()
            .find(|f| f.code == Some(70008))
            .unwrap()
            .trace_id
            .as_deref(),
        Some("0a1b2c3d-0000-4e5f-8a9b-001122334455")
    );
}

#[wasm_bindgen_test]
fn knowledge_base_is_compiled_in() {
    let e = explain("50074").expect("50074 entry");
    assert_eq!(e.name, "UserStrongAuthClientAuthNRequiredInterrupt");
    assert!(e.is_deep());
}

#[wasm_bindgen_test]
fn junk_does_not_abort_the_module() {
    let junk: String = (0..20_000u32).filter_map(char::from_u32).collect();
    let _ = scan_text(&junk);
}

#[path = "bad_input/cases.rs"]
mod cases;

use aadsts_explainer::bindings;
use wasm_bindgen::JsValue;

/// A report handed across the JS boundary, read back as JSON.
fn to_json(v: Result<JsValue, wasm_bindgen::JsError>) -> serde_json::Value {
    let v = v.unwrap_or_else(|_| panic!("the API threw"));
    let s = js_sys::JSON::stringify(&v).expect("stringify");
    serde_json::from_str(&String::from(s)).expect("JSON")
}

/// What the page does with a dropped file: `looksLikeHar` on the first 64 KiB,
/// then a `HarSession` fed in slices (as the Web Worker does) or `scanBytes`;
/// a capture that turns out not to be one is scanned as text.
fn as_the_page_does(bytes: &[u8]) -> serde_json::Value {
    if bindings::looks_like_har(&bytes[..bytes.len().min(65_536)]) {
        // As the Web Worker does: from wherever the session wants (it may
        // skip bodies), in slices of an odd size, so slices end anywhere.
        let mut session = bindings::HarSession::new(Some(bytes.len() as f64));
        while let Some(at) = session.wanted() {
            let at = at as usize;
            if at >= bytes.len() {
                break;
            }
            session.feed_at(at as f64, &bytes[at..(at + 65_521).min(bytes.len())]);
        }
        let report = to_json(session.finish());
        let not_har = report["warnings"]
            .as_array()
            .is_some_and(|w| w.iter().any(|w| w["kind"] == "not-har"));
        if !(report["summary"]["entries"] == 0 && not_har) {
            return report;
        }
    }
    to_json(bindings::scan_bytes(bytes))
}

/// Every row of the shared bad-input table that fits Node's memory.
#[wasm_bindgen_test]
fn every_bad_input_row_gets_a_clear_answer_in_wasm() {
    let mut failures = Vec::new();
    for case in cases::cases().iter().filter(|c| c.wasm) {
        let v = as_the_page_does(&cases::bytes(case));
        if let Err(e) = cases::check(case, &v) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A real capture cut before and after every structural character, through `analyzeHar`.
#[wasm_bindgen_test]
fn a_capture_cut_anywhere_keeps_what_came_before_in_wasm() {
    for cut in cases::structural_cuts() {
        let v = to_json(bindings::analyze_har(&cases::FIXTURE[..cut]));
        cases::check_cut(cut, &v).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
    }
}
