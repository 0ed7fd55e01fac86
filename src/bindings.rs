//! The JavaScript face of the core. No logic lives here: each function calls
//! the core and hands its serde result across through one configured
//! serializer; failures become JS `Error`s through one helper.
//! TypeScript shapes are declared once, in `www/aadsts.d.ts`.

use crate::{Error, ErrorKind};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Plain objects (not `Map`s) for structs, and `u64`-safe numbers.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&ser).map_err(|e| invalid(&e))
}

fn js_error(e: &Error) -> JsError {
    JsError::new(e.message())
}

/// A value that could not cross the boundary (either way) as an `InvalidInput` error.
fn invalid(e: &serde_wasm_bindgen::Error) -> JsError {
    js_error(&Error::new(ErrorKind::InvalidInput, e.to_string()))
}

/// A browser API failure (say, the file was deleted while it was read).
fn js_value_error(e: JsValue) -> JsError {
    let message = match (e.as_string(), e.dyn_ref::<js_sys::Error>()) {
        (Some(s), _) => s,
        (None, Some(err)) => String::from(err.message()),
        (None, None) => "the browser could not read the file".to_string(),
    };
    js_error(&Error::new(ErrorKind::Io, message))
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

/// `{ version, kb_date, kb_entries, kb_aadsts_entries }`.
#[wasm_bindgen]
pub fn version() -> Result<JsValue, JsError> {
    to_js(&crate::version_info())
}

/// Whether the start of a file looks like a HAR capture.
#[wasm_bindgen(js_name = looksLikeHar)]
pub fn looks_like_har(prefix: &[u8]) -> bool {
    crate::looks_like_har(prefix)
}

/// Analyse a whole HAR capture held in memory.
#[wasm_bindgen(js_name = analyzeHar)]
pub fn analyze_har(bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&crate::analyze_har(bytes))
}

/// A HAR analysis fed slice by slice (from a Web Worker reading a `File`),
/// so memory stays bounded by the largest entry.
#[wasm_bindgen]
pub struct HarSession {
    inner: crate::HarAnalyzer,
    /// Reused for every slice read from a `Blob`.
    buf: Vec<u8>,
}

#[wasm_bindgen]
impl HarSession {
    /// A new session. Given the capture's length, it may skip response
    /// bodies it would not read anyway: read from `wanted()` each time.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new(length: Option<f64>) -> HarSession {
        HarSession {
            inner: match length {
                Some(n) if n >= 0.0 => crate::HarAnalyzer::seekable(n as u64),
                _ => crate::HarAnalyzer::new(),
            },
            buf: Vec::new(),
        }
    }

    /// The offset of the next byte the analysis needs; `undefined` when it needs no more.
    pub fn wanted(&self) -> Option<f64> {
        self.inner.wanted().map(|n| n as f64)
    }

    /// Feed the next slice of the capture.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.inner.feed(bytes);
    }

    /// Feed bytes that start at `offset` in the capture (read from `wanted()`).
    #[wasm_bindgen(js_name = feedAt)]
    pub fn feed_at(&mut self, offset: f64, bytes: &[u8]) {
        self.inner.feed_at(offset as u64, bytes);
    }

    /// Read bytes `start..end` of a `File` or `Blob` with `FileReaderSync`
    /// (Web Workers only) and feed them as the bytes at `start`, without a
    /// JavaScript copy.
    #[wasm_bindgen(js_name = feedBlob)]
    pub fn feed_blob(
        &mut self,
        reader: &web_sys::FileReaderSync,
        blob: &web_sys::Blob,
        start: f64,
        end: f64,
    ) -> Result<(), JsError> {
        let slice = blob
            .slice_with_f64_and_f64(start, end)
            .map_err(js_value_error)?;
        let buffer = reader
            .read_as_array_buffer(&slice)
            .map_err(js_value_error)?;
        let bytes = js_sys::Uint8Array::new(&buffer);
        self.buf.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut self.buf);
        self.inner.feed_at(start as u64, &self.buf);
        Ok(())
    }

    /// `{ entries, bytes }` read so far.
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.progress())
    }

    /// Finish and return the report; the session is used up.
    pub fn finish(self) -> Result<JsValue, JsError> {
        to_js(&self.inner.finish())
    }
}

/// Bytes that cross as a `Uint8Array`, not an array of numbers.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[derive(Serialize)]
struct SanitizedJs<'a> {
    har: Bytes<'a>,
    report: &'a crate::SanitizeReport,
}

#[derive(Serialize)]
struct TailJs<'a> {
    tail: Bytes<'a>,
    report: &'a crate::SanitizeReport,
}

/// `{ pseudonymize, key? }` (or nothing) as core options.
fn sanitize_options(options: JsValue) -> Result<crate::SanitizeOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(crate::SanitizeOptions::default());
    }
    let request: crate::sanitize::SanitizeRequest =
        serde_wasm_bindgen::from_value(options).map_err(|e| invalid(&e))?;
    request.options().map_err(|e| js_error(&e))
}

/// Sanitize a whole HAR capture; returns `{ har: Uint8Array, report }`.
#[wasm_bindgen(js_name = sanitizeHar)]
pub fn sanitize_har(bytes: &[u8], options: JsValue) -> Result<JsValue, JsError> {
    let s = crate::sanitize_har(bytes, &sanitize_options(options)?).map_err(|e| js_error(&e))?;
    to_js(&SanitizedJs {
        har: Bytes(&s.har),
        report: &s.report,
    })
}

/// A sanitization fed slice by slice: `push` returns the output ready so
/// far, `finish` the rest and the report.
#[wasm_bindgen]
pub struct HarSanitizerSession {
    inner: crate::HarSanitizer,
}

#[wasm_bindgen]
impl HarSanitizerSession {
    /// A new session with `{ pseudonymize, key? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<HarSanitizerSession, JsError> {
        Ok(HarSanitizerSession {
            inner: crate::HarSanitizer::new(&sanitize_options(options)?),
        })
    }

    /// Feed the next slice; returns the sanitized bytes produced by it.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.inner.feed(chunk, &mut out);
        out
    }

    /// Finish; returns `{ tail: Uint8Array, report }`. The session is used up.
    pub fn finish(self) -> Result<JsValue, JsError> {
        let mut tail = Vec::new();
        let report = self.inner.finish(&mut tail).map_err(|e| js_error(&e))?;
        to_js(&TailJs {
            tail: Bytes(&tail),
            report: &report,
        })
    }
}
