//! aadsts-explainer: find Microsoft Entra ID sign-in errors in pasted text
//! and explain them, entirely on the user's machine.
//!
//! The core ([`detect`], [`har`], [`kb`], [`report`], [`sanitize`]) is plain Rust with no
//! WebAssembly dependencies, so it tests natively. The `aadsts` CLI and the
//! WASM bindings sit on top of it and depend on it, never the reverse.
//!
//! ```
//! let report = aadsts_explainer::scan_text("AADSTS50076: Due to a configuration change ...");
//! assert_eq!(report.codes(), vec![50076]);
//! let entry = aadsts_explainer::explain("50076").unwrap();
//! assert_eq!(entry.name, "UserStrongAuthClientAuthNRequired");
//! ```

pub mod detect;
mod error;
pub mod har;
pub mod json;
pub mod kb;
mod order;
pub mod report;
pub mod sanitize;
pub mod sniff;

/// The JavaScript API; public only so the WASM tests can call it as the page does.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod bindings;

pub use detect::{scan_bytes, scan_text, stream::TextScanner};
pub use error::{Error, ErrorKind};
pub use har::{analyze as analyze_har, looks_like_har, HarAnalyzer, HarReport};
pub use kb::{explain, search, Entry, Kind};
pub use report::{Finding, ScanReport, Span, Suggestion, Warning};
pub use sanitize::{sanitize_har, HarSanitizer, SanitizeOptions, SanitizeReport, Sanitized};

/// The tool's version, from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The knowledge base's date, from `kb/kb.toml`.
pub const KB_DATE: &str = kb::KB_DATE;

/// Version facts shown by `aadsts --version`, the page and the JS API.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct VersionInfo {
    pub version: &'static str,
    pub kb_date: &'static str,
    pub kb_entries: usize,
    pub kb_aadsts_entries: usize,
}

/// The version facts.
pub fn version_info() -> VersionInfo {
    VersionInfo {
        version: VERSION,
        kb_date: KB_DATE,
        kb_entries: kb::counts().0 + kb::counts().1,
        kb_aadsts_entries: kb::counts().0,
    }
}
