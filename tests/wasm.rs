//! The WASM build of the core, run by wasm-bindgen-test in Node: the same
//! detector and knowledge base the page uses.
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
