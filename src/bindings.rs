//! The JavaScript face of the core. No logic lives here: each function calls
//! the core and hands its serde result across through one configured
//! serializer; failures become JS `Error`s through one helper.
//! TypeScript shapes are declared once, in `www/aadsts.d.ts`.

use crate::{kb, Error, ErrorKind};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Plain objects (not `Map`s) for structs, and `u64`-safe numbers.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&ser).map_err(|e| js_error(&Error::new(ErrorKind::InvalidInput, e.to_string())))
}

fn js_error(e: &Error) -> JsError {
    JsError::new(e.message())
}

/// Scan pasted text; returns `{ findings, suggestions, warnings }`.
#[wasm_bindgen(js_name = scanText)]
pub fn scan_text(text: &str) -> Result<JsValue, JsError> {
    to_js(&crate::scan_text(text))
}

/// Scan bytes (a dropped file); spans are byte offsets.
#[wasm_bindgen(js_name = scanBytes)]
pub fn scan_bytes(bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&crate::scan_bytes(bytes))
}

/// One entry by code or id, or `null`.
#[wasm_bindgen]
pub fn explain(query: &str) -> Result<JsValue, JsError> {
    match crate::explain(query) {
        Some(e) => to_js(e),
        None => Ok(JsValue::NULL),
    }
}

/// Ranked entries for words or a number.
#[wasm_bindgen]
pub fn search(query: &str, limit: usize) -> Result<JsValue, JsError> {
    to_js(&crate::search(query, limit))
}

/// Every entry.
#[wasm_bindgen(js_name = listEntries)]
pub fn list_entries() -> Result<JsValue, JsError> {
    to_js(&kb::all().collect::<Vec<_>>())
}

/// `{ version, kb_date, kb_entries, kb_aadsts_entries }`.
#[wasm_bindgen]
pub fn version() -> Result<JsValue, JsError> {
    to_js(&crate::version_info())
}
