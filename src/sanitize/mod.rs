//! HAR sanitizing: remove every credential from a capture before it is
//! shared, keep everything that diagnoses the sign-in, and optionally
//! replace personal data with keyed pseudonyms.
//!
//! Why: in 2023 attackers took HAR files from a vendor's support system and
//! replayed the session cookies in them. Generic sanitizers miss Entra's own
//! secrets (`ESTSAUTH*` cookies, `flowToken`/`sFT`, `PPFT`, `canary`, the
//! password in the credential post) and tokens inside response bodies.
//!
//! What goes (see [`rules`] for the names and the reasons):
//! - every cookie value (`Cookie`/`Set-Cookie` headers and `cookies` arrays;
//!   names and attributes stay);
//! - credential headers (`Authorization`, `Proxy-Authorization`,
//!   `x-ms-RefreshTokenCredential`, `x-ms-DeviceCredential`, `x-ms-token-*`,
//!   CSRF tokens, API keys: any name with token/secret/auth/credential/
//!   session/cookie/password in it), keeping the scheme word (`Bearer`);
//! - secret parameters wherever they are: query strings, fragments,
//!   `redirectURL` and `Location`, form bodies and `postData.params`, JSON
//!   bodies at any depth, HTML hidden inputs, the `$Config={…}` of Entra's
//!   sign-in page, base64 bodies (decoded, cleaned, encoded again);
//! - the signature of every JWT anywhere (the claims stay readable, with
//!   secret claims removed, so a token can be explained but never replayed);
//! - long opaque token-shaped values under names we do not know (MSAL
//!   refresh tokens and codes `0.A…`/`1.A…`, ESTS blobs `AQABAA…`).
//!
//! Removed values become [`rules::MARKER`] (`[removed by aadsts sanitize]`)
//! in headers and JSON, or [`rules::URL_MARKER`] (`removed-by-aadsts-sanitize`)
//! inside URLs, forms and free text and as a JWT's signature, so the result
//! still parses the same way. Sizes that no longer hold become `-1`.
//!
//! What stays: hosts and paths, status codes, timings, entry order and count,
//! AADSTS codes, error texts, trace, correlation and request IDs,
//! timestamps, `client_id`, `redirect_uri`, `scope`, `state`, `nonce`,
//! `session_state` and ESTS's `sessionId` (correlation, not credentials).
//! The analyzer finds the same errors in the output as in the input.
//!
//! With [`SanitizeOptions::pseudonymize`], personal data also becomes keyed
//! pseudonyms ([`pseudo`]): e-mail addresses and UPNs, names in tokens and
//! JSON, IP addresses, user object IDs and tenant IDs (in claims, JSON and
//! the sign-in URL's path). The same value gets the same pseudonym across
//! the capture. Trace, correlation and request IDs and `client_id` are not
//! personal and stay.
//!
//! Limits: bodies that are not text (images, protobuf) are left as they are
//! and listed in the report as not inspected; IPv6 addresses and GUIDs are
//! pseudonymized only where a field names them (or a GUID was already seen
//! as an object or tenant ID); JSON bodies are written back compact.
//!
//! The capture is read as a stream ([`HarSanitizer`]): one entry at a time
//! through the HAR splitter in gap mode, so memory is bounded by the largest
//! entry. A truncated capture keeps its complete entries, the output is
//! closed as valid JSON, and the report says where reading stopped.

mod entry;
mod outer;
pub mod pseudo;
pub mod report;
pub mod rules;
mod text;

use crate::har::stream::{End, Piece, Splitter};
use crate::har::Stopped;
use crate::json::Node;
use crate::{Error, ErrorKind};
use outer::Outer;
use pseudo::Pseudonymizer;
use report::Cx;
pub use report::{Action, SanitizeReport};

/// How to sanitize.
#[derive(Clone, Debug, Default)]
pub struct SanitizeOptions {
    /// Replace personal data with keyed pseudonyms too.
    pub pseudonymize: bool,
    /// The pseudonyms' key: random for each run unless output must be reproducible.
    pub key: [u8; 16],
}

/// Options as the JS API passes them: `{ pseudonymize, key? }`.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SanitizeRequest {
    #[serde(default)]
    pub pseudonymize: bool,
    #[serde(default)]
    pub key: Option<Vec<u8>>,
}

impl SanitizeRequest {
    /// The options; pseudonymizing needs a key of exactly 16 bytes.
    pub fn options(&self) -> Result<SanitizeOptions, Error> {
        let key = match (&self.key, self.pseudonymize) {
            (Some(k), _) => <[u8; 16]>::try_from(k.as_slice()).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!("the key must be 16 bytes, not {}", k.len()),
                )
            })?,
            (None, true) => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "pseudonymize needs a 16-byte key (crypto.getRandomValues)",
                ))
            }
            (None, false) => [0; 16],
        };
        Ok(SanitizeOptions {
            pseudonymize: self.pseudonymize,
            key,
        })
    }
}

/// A sanitized capture and what was done to it.
#[derive(Clone, Debug)]
pub struct Sanitized {
    pub har: Vec<u8>,
    pub report: SanitizeReport,
}

/// Sanitize a whole capture held in memory.
pub fn sanitize_har(bytes: &[u8], options: &SanitizeOptions) -> Result<Sanitized, Error> {
    let mut s = HarSanitizer::new(options);
    let mut har = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    s.feed(bytes, &mut har);
    let report = s.finish(&mut har)?;
    Ok(Sanitized { har, report })
}

/// The streaming sanitizer: feed chunks of any size, collect the output as it comes.
pub struct HarSanitizer {
    splitter: Splitter,
    outer: Outer,
    report: SanitizeReport,
    pseudo: Option<Pseudonymizer>,
    /// The output with every entry as `{}`: checked at the end, so a capture
    /// that is broken outside its entries (the splitter tracks structure, not
    /// full JSON) fails clearly instead of giving broken output.
    skeleton: Skeleton,
}

/// The output outside the entries, kept to be checked as JSON at the end.
#[derive(Default)]
struct Skeleton {
    bytes: Vec<u8>,
    /// More than [`SKELETON_LIMIT`] bytes: too much to keep; not checked.
    unchecked: bool,
}

/// The part of a capture outside its entries is small (version, creator,
/// pages); past this it is left unchecked rather than held in memory.
const SKELETON_LIMIT: usize = 16 << 20;

impl Skeleton {
    fn push(&mut self, bytes: &[u8]) {
        if self.bytes.len() + bytes.len() > SKELETON_LIMIT {
            self.unchecked = true;
            self.bytes = Vec::new();
        }
        if !self.unchecked {
            self.bytes.extend_from_slice(bytes);
        }
    }

    /// Whether the skeleton is not JSON. Read into a tree, not skipped:
    /// skipping does not check the UTF-8 and escapes inside strings. (Its own
    /// line and column would not point into the input, so none is given.)
    fn broken(&self) -> bool {
        !self.unchecked && serde_json::from_slice::<Node>(&self.bytes).is_err()
    }
}

/// What stands for an entry that is not valid JSON: it cannot be cleaned, so it is not kept.
const UNREADABLE_ENTRY: &[u8] =
    br#"{"comment":"[removed by aadsts sanitize: this entry was not valid JSON]"}"#;

/// What stands for an entry over the reader's size limit: its bytes were not
/// kept, so it cannot be cleaned or passed on.
const OVERSIZED_ENTRY: &[u8] =
    br#"{"comment":"[removed by aadsts sanitize: this entry was too large to read]"}"#;

impl HarSanitizer {
    pub fn new(options: &SanitizeOptions) -> HarSanitizer {
        HarSanitizer {
            splitter: Splitter::with_gaps(),
            outer: Outer::default(),
            report: SanitizeReport {
                pseudonymize: options.pseudonymize,
                ..Default::default()
            },
            pseudo: options
                .pseudonymize
                .then(|| Pseudonymizer::new(options.key)),
            skeleton: Skeleton::default(),
        }
    }

    /// Feed the next chunk; sanitized output is appended to `out` as far as it is ready.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        let (outer, report, pseudo, skeleton) = (
            &mut self.outer,
            &mut self.report,
            &mut self.pseudo,
            &mut self.skeleton,
        );
        self.splitter.feed(chunk, &mut |piece| {
            let mut cx = Cx {
                report,
                pseudo: pseudo.as_mut(),
                entry: None,
            };
            let at = out.len();
            match piece {
                Piece::Gap(bytes) => {
                    outer.gap(&mut cx, bytes, out);
                    skeleton.push(&out[at..]);
                }
                Piece::Entry { index, bytes, .. } => {
                    cx.entry = Some(index);
                    outer.value(out);
                    skeleton.push(&out[at..]);
                    skeleton.push(b"{}");
                    write_entry(&mut cx, index, bytes, out);
                    cx.report.entries += 1;
                }
                Piece::NotAnObject { index, offset } => {
                    cx.report.entries += 1;
                    cx.report.warnings.push(format!(
                        "Entry {index} (byte {offset}) is not an object; it was cleaned as plain JSON."
                    ));
                }
                Piece::TooLarge {
                    index,
                    offset,
                    bytes,
                } => {
                    outer.value(out);
                    skeleton.push(&out[at..]);
                    skeleton.push(b"{}");
                    out.extend_from_slice(OVERSIZED_ENTRY);
                    cx.report.entries += 1;
                    cx.report.not_inspected(
                        index,
                        "entry",
                        format!("{bytes} bytes at byte {offset}, over the reader's limit; replaced by a placeholder"),
                    );
                }
                Piece::Creator(_) => {}
            }
        });
    }

    /// Bytes of input read so far.
    pub fn offset(&self) -> u64 {
        self.splitter.offset()
    }

    /// End the output (closing it if the capture was cut short) and return the report.
    /// Fails when the input was not a HAR capture at all.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<SanitizeReport, Error> {
        let mut cx = Cx {
            report: &mut self.report,
            pseudo: self.pseudo.as_mut(),
            entry: None,
        };
        let end = self.splitter.finish();
        let at = out.len();
        let cut = self.outer.close(&mut cx, out);
        self.skeleton.push(&out[at..]);
        let entries = self.report.entries;
        let stopped = |offset: u64, reason: String| {
            Some(Stopped {
                entries,
                byte_offset: offset,
                reason,
            })
        };
        match end {
            End::Complete if cut => {
                self.report.warnings.push(
                    "The capture ends early after its entries; the output was closed.".into(),
                );
            }
            End::Complete => {}
            End::Truncated { offset, .. } => {
                self.report.stopped = stopped(offset, format!(
                    "The capture ends in the middle of entry index {entries} (byte {offset}); the {entries} complete entries before it were sanitized and the output closed."
                ));
            }
            End::NotHar { reason, offset } if entries > 0 => {
                self.report.stopped = stopped(offset, format!(
                    "The capture is damaged at byte {offset} ({reason}); the {entries} entries before it were sanitized and the output closed."
                ));
            }
            End::NotHar { reason, offset } => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("not a HAR capture: {reason} (at byte {offset})"),
                ));
            }
        }
        if self.skeleton.broken() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "the capture is not valid JSON outside its entries (in its header, pages or between entries); its sanitized copy would not be either, so none is given",
            ));
        }
        Ok(self.report)
    }
}

/// Parse, clean and write one entry.
fn write_entry(cx: &mut Cx, index: usize, bytes: &[u8], out: &mut Vec<u8>) {
    let parsed = serde_json::from_slice::<Node>(bytes)
        .or_else(|_| serde_json::from_str::<Node>(&String::from_utf8_lossy(bytes)));
    match parsed {
        Ok(mut node) => {
            entry::clean_entry(cx, &mut node);
            // Writing a tree of strings and numbers to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &node);
        }
        Err(e) => {
            cx.report.warnings.push(format!(
                "Entry {index} could not be read ({e}); it was replaced by an empty entry."
            ));
            out.extend_from_slice(UNREADABLE_ENTRY);
        }
    }
}
