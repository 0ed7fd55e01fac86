//! HAR analysis: every sign-in error in a capture, the sign-in flow around
//! it, and the tokens in it decoded, read as a stream.
//!
//! [`HarAnalyzer`] takes the capture in chunks of any size (a file read
//! incrementally, a browser `File` read in slices), cuts out one entry at a
//! time with [`stream::Splitter`], and keeps only the report: memory is
//! bounded by the largest entry, not the file. A truncated capture still
//! reports everything before the damage and says where it stopped.

pub mod flow;
pub mod jwt;
pub mod model;
pub mod stream;
pub mod time;

use crate::detect;
use crate::kb::Kind;
use crate::report::{Finding, Warning};
use crate::sniff::{sniff, Encoding, Format, Sniffed, Transcoded, Utf16Decoder, SNIFF_LEN};
use flow::FlowStep;
use serde::Serialize;
use std::borrow::Cow;
use stream::{End, Piece, Splitter};

/// Caps that keep a hostile capture from growing the report without bound.
const MAX_FLOW: usize = 5000;
const MAX_TOKENS: usize = 200;
const MAX_WARNINGS: usize = 200;

/// Query and form parameters whose values are secrets: never shown in URLs.
const SECRET_PARAMS: &[&str] = &[
    "code",
    "access_token",
    "id_token",
    "refresh_token",
    "client_secret",
    "client_assertion",
    "assertion",
    "password",
    "passwd",
    "code_verifier",
    "device_code",
    "samlresponse",
    "samlrequest",
    "flowtoken",
    "ppft",
    "canary",
    "state",
    "nonce",
    "sso_nonce",
    "ctx",
];

/// Where an entry sits in the capture.
#[derive(Clone, Debug, Serialize)]
pub struct EntryRef {
    pub index: usize,
    pub started: String,
    pub method: String,
    /// The URL with secret parameter values removed.
    pub url: String,
    pub status: u16,
}

/// A finding in a capture: the text finding, where it was, and every entry it appeared in.
#[derive(Clone, Debug, Serialize)]
pub struct HarFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// The first entry it appeared in.
    pub entry: EntryRef,
    /// Where inside that entry (`request URL`, `response header Location`, `response body`, ...).
    /// The finding's `span` is relative to that location's text.
    pub location: String,
    /// Every entry it appeared in.
    pub entries: Vec<usize>,
}

/// The one-line view of a capture.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HarSummary {
    pub entries: usize,
    pub signin_entries: usize,
    /// Distinct errors: an OAuth `error`/`suberror` that came with an AADSTS code counts with it.
    pub errors: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_step: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_entry: Option<usize>,
}

/// Where and why reading stopped early.
#[derive(Clone, Debug, Serialize)]
pub struct Stopped {
    /// Complete entries read before the damage.
    pub entries: usize,
    pub byte_offset: u64,
    pub reason: String,
}

/// The analysis of one capture.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HarReport {
    /// The exporter (`WebInspector` for Chrome/Edge, `Firefox`, `Fiddler`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    pub summary: HarSummary,
    pub findings: Vec<HarFinding>,
    pub flow: Vec<FlowStep>,
    pub tokens: Vec<jwt::Token>,
    pub warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stopped>,
    /// True when the input turned out not to be a HAR at all.
    pub not_har: bool,
}

/// Progress for a progress bar.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Progress {
    pub entries: usize,
    pub bytes: u64,
    /// Of those, bytes of bodies skipped without being read (seek mode).
    pub skipped: u64,
}

/// Whether the start of a file looks like a HAR capture (JSON with a `log`
/// key), in UTF-8 or UTF-16.
pub fn looks_like_har(prefix: &[u8]) -> bool {
    match sniff(prefix) {
        Sniffed::Text(enc @ (Encoding::Utf16Le | Encoding::Utf16Be)) => {
            let t = Transcoded::new(&prefix[..prefix.len().min(2 * 65_536)], enc);
            looks_like_utf8_har(&t.text)
        }
        _ => looks_like_utf8_har(prefix),
    }
}

fn looks_like_utf8_har(prefix: &[u8]) -> bool {
    let p = prefix
        .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
        .unwrap_or(prefix);
    let start = p.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|s| p[s] == b'{')
        && memchr::memmem::find(&p[..p.len().min(65_536)], b"\"log\"").is_some()
}

/// Analyse a whole capture held in memory.
pub fn analyze(bytes: &[u8]) -> HarReport {
    let mut a = HarAnalyzer::new();
    a.feed(bytes);
    a.finish()
}

/// The streaming analyser.
#[derive(Default)]
pub struct HarAnalyzer {
    splitter: Splitter,
    state: State,
    input: Input,
    /// Raw bytes taken so far, where the splitter does not count them (UTF-16).
    fed: u64,
}

/// What the capture's bytes turned out to be, decided on its first bytes.
enum Input {
    /// Too few bytes seen to tell: the decision reads the first
    /// [`SNIFF_LEN`] bytes, however they arrive, so it cannot depend on chunking.
    Undecided(Vec<u8>),
    Utf8,
    /// UTF-16 (a capture saved by a Windows tool), converted on the way in.
    Utf16(Utf16Decoder),
    /// An archive, an image, a PDF: named, not read.
    Rejected(&'static Format),
}

impl Default for Input {
    fn default() -> Self {
        Input::Undecided(Vec::new())
    }
}

#[derive(Default)]
struct State {
    report: HarReport,
    redirect_uris: Vec<String>,
    seen_tokens: crate::order::SortedMap<u64, ()>,
    token_seen: bool,
}

impl HarAnalyzer {
    /// A new analyser.
    pub fn new() -> HarAnalyzer {
        HarAnalyzer::default()
    }

    /// An analyser for a capture of `total` bytes that the caller can read
    /// from any offset. It may then skip response bodies it would not read
    /// anyway (images, fonts, media as base64 of a declared size); the report
    /// is the same as reading them. Feed it with [`HarAnalyzer::feed_at`] from
    /// [`HarAnalyzer::wanted`] until that says `None` or the end is reached.
    pub fn seekable(total: u64) -> HarAnalyzer {
        HarAnalyzer {
            splitter: Splitter::seekable(total),
            ..HarAnalyzer::default()
        }
    }

    /// In seek mode, skip only bodies of at least `min` bytes (for tests).
    #[doc(hidden)]
    pub fn skip_bodies_from(mut self, min: u64) -> HarAnalyzer {
        self.splitter = std::mem::take(&mut self.splitter).skip_bodies_from(min);
        self
    }

    /// The offset of the next byte the analysis needs, `None` when it needs
    /// no more. Without seek mode, the number of bytes fed so far.
    pub fn wanted(&self) -> Option<u64> {
        match &self.input {
            Input::Undecided(head) => Some(head.len() as u64),
            Input::Utf8 => self.splitter.wanted(),
            Input::Utf16(_) => Some(self.fed),
            Input::Rejected(_) => None,
        }
    }

    /// Bytes of the capture skipped without being read (seek mode).
    pub fn skipped(&self) -> u64 {
        self.splitter.skipped()
    }

    /// Feed the next chunk of the capture.
    pub fn feed(&mut self, chunk: &[u8]) {
        if let Some(at) = self.wanted() {
            self.feed_at(at, chunk);
        }
    }

    /// Feed bytes that start at offset `offset` of the capture. Only the
    /// bytes from [`HarAnalyzer::wanted`] on count; a chunk that starts after
    /// it is ignored.
    pub fn feed_at(&mut self, offset: u64, chunk: &[u8]) {
        let Some(want) = self.wanted() else { return };
        let Some(chunk) = stream::from_wanted(want, offset, chunk) else {
            return;
        };
        let state = &mut self.state;
        match &mut self.input {
            Input::Undecided(head) => {
                head.extend_from_slice(chunk);
                if head.len() >= SNIFF_LEN {
                    self.decide();
                }
            }
            Input::Utf8 => self
                .splitter
                .feed_at(want, chunk, &mut |piece| state.piece(piece)),
            Input::Utf16(d) => {
                let mut utf8 = Vec::with_capacity(chunk.len());
                d.feed(chunk, &mut utf8, &mut |_, _| {});
                self.splitter.feed(&utf8, &mut |piece| state.piece(piece));
                self.fed = want + chunk.len() as u64;
            }
            Input::Rejected(_) => {}
        }
    }

    /// Tell what the input is from the bytes held so far, then feed them.
    fn decide(&mut self) {
        let Input::Undecided(head) = &mut self.input else {
            return;
        };
        let head = std::mem::take(head);
        self.input = match sniff(&head) {
            Sniffed::Format(f) => Input::Rejected(f),
            Sniffed::Text(enc @ (Encoding::Utf16Le | Encoding::Utf16Be)) => {
                self.state.warn(
                    "utf16",
                    format!(
                        "{} Byte offsets count the converted text.",
                        detect::utf16_message(enc)
                    ),
                );
                // Its offsets count the converted text, not the file's
                // bytes: it is read in order, never jumped through.
                self.splitter = Splitter::new();
                Input::Utf16(Utf16Decoder::new(enc))
            }
            Sniffed::Text(Encoding::Utf8) | Sniffed::Binary => Input::Utf8,
        };
        self.fed = 0;
        self.feed_at(0, &head);
    }

    /// How far the analysis is.
    pub fn progress(&self) -> Progress {
        Progress {
            entries: self.splitter.entries(),
            bytes: self.splitter.offset(),
            skipped: self.splitter.skipped(),
        }
    }

    /// Finish and return the report.
    pub fn finish(mut self) -> HarReport {
        self.decide();
        if let Input::Utf16(d) = &mut self.input {
            let mut rest = Vec::new();
            d.finish(&mut rest, &mut |_, _| {});
            let state = &mut self.state;
            self.splitter.feed(&rest, &mut |piece| state.piece(piece));
        }
        let mut report = self.state.report;
        if let Input::Rejected(f) = self.input {
            report.not_har = true;
            report.warnings.push(Warning {
                kind: f.kind,
                message: f.message.to_string(),
            });
            return report;
        }
        match self.splitter.finish() {
            End::Complete => {}
            End::Truncated { entries, offset } => stop(
                &mut report,
                "har-truncated",
                entries,
                offset,
                format!(
                    "The capture ends in the middle of entry index {entries} (byte {offset}); the {entries} complete entries before it were analysed."
                ),
            ),
            // Entries were read: it is a HAR, damaged at `offset`.
            End::NotHar { reason, offset } if report.summary.entries > 0 => {
                let entries = report.summary.entries;
                stop(
                    &mut report,
                    "har-damaged",
                    entries,
                    offset,
                    format!(
                        "The capture is damaged at byte {offset}: {reason}; the {entries} entries before it were analysed."
                    ),
                );
            }
            End::NotHar { reason, offset } => {
                report.not_har = true;
                report.warnings.push(Warning {
                    kind: "not-har",
                    message: format!("This is not a HAR capture: {reason} (at byte {offset})."),
                });
            }
        }
        finish_report(&mut report);
        report
    }
}

/// Reading stopped early: say so in a warning and in `stopped`.
fn stop(report: &mut HarReport, kind: &'static str, entries: usize, offset: u64, reason: String) {
    report.warnings.push(Warning {
        kind,
        message: reason.clone(),
    });
    report.stopped = Some(Stopped {
        entries,
        byte_offset: offset,
        reason,
    });
}

fn finish_report(report: &mut HarReport) {
    // An OAuth `error` or `suberror` that came with an AADSTS code is part of
    // that error, not another one.
    let attached: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.finding.kind == Kind::Aadsts)
        .flat_map(|f| [f.finding.error.as_deref(), f.finding.suberror.as_deref()])
        .flatten()
        .collect();
    let part_of_a_code = |f: &&HarFinding| {
        f.finding
            .id
            .as_deref()
            .is_some_and(|id| attached.contains(&id))
    };
    report.summary.errors = report
        .findings
        .iter()
        .filter(|f| !part_of_a_code(f))
        .count();
    report.summary.signin_entries = report.flow.len();
    if let Some(step) = report.flow.iter_mut().find(|s| !s.codes.is_empty()) {
        step.failing = true;
    } else if let Some(step) = report.flow.iter_mut().find(|s| s.status >= 400) {
        step.failing = true;
    }
    if let Some(step) = report.flow.iter().find(|s| s.failing) {
        report.summary.first_failing_step = Some(step.step.to_string());
        report.summary.first_failing_entry = Some(step.entry);
    }
    // A token issued without MFA next to an MFA error says the session lacked it.
    let mfa_errors: Vec<u32> = report
        .findings
        .iter()
        .filter_map(|f| f.finding.code)
        .filter(|c| [50072, 50074, 50076, 50079].contains(c))
        .collect();
    if !mfa_errors.is_empty() {
        for t in &mut report.tokens {
            let amr = jwt::amr(t);
            if !amr.is_empty() && !amr.contains(&"mfa") {
                t.notes.push(format!(
                    "Its amr claim ({}) has no mfa, which fits the MFA error{} {} in this capture.",
                    amr.join(", "),
                    if mfa_errors.len() > 1 { "s" } else { "" },
                    mfa_errors
                        .iter()
                        .map(|c| format!("AADSTS{c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
}

/// A JSON error in an entry with its position as in the file: a body left
/// out of `bytes` (cut, or jumped over in seek mode) moves later columns on its line.
fn error_in_file(err: &serde_json::Error, bytes: &[u8], skipped: &[(usize, u64)]) -> String {
    let text = err.to_string();
    let (line, column) = (err.line(), err.column());
    let shift: u64 = skipped
        .iter()
        .filter(|&&(at, _)| {
            let before = &bytes[..at.min(bytes.len())];
            let hole_line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |n| n + 1);
            hole_line == line && column > at - line_start
        })
        .map(|&(_, len)| len)
        .sum();
    let suffix = format!(" at line {line} column {column}");
    match text.strip_suffix(&suffix) {
        Some(message) if shift > 0 => {
            format!("{message} at line {line} column {}", column as u64 + shift)
        }
        _ => text,
    }
}

/// Body types worth scanning: text that can carry an error. Scripts and styles
/// are skipped: the sign-in page's bundles mention error codes as data.
fn is_text_mime(mime: &str) -> bool {
    let m = mime.to_ascii_lowercase();
    if m.contains("javascript") || m.contains("css") || m.contains("ecmascript") {
        return false;
    }
    m.contains("json")
        || m.contains("html")
        || m.contains("xml")
        || m.starts_with("text/")
        || m.contains("x-www-form-urlencoded")
}

/// Remove the values of secret parameters from a URL (query and fragment).
pub fn redact_url(url: &str) -> String {
    let redact = |part: &str| -> String {
        part.split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _))
                    if SECRET_PARAMS
                        .contains(&flow::percent_decode(k).to_ascii_lowercase().as_str()) =>
                {
                    format!("{k}=[removed]")
                }
                _ => p.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let (base, query, frag) = flow::split_parts(url);
    let mut out = base.to_string();
    if let Some(q) = query {
        out.push('?');
        out.push_str(&redact(q));
    }
    if let Some(f) = frag {
        out.push('#');
        out.push_str(&redact(f));
    }
    out
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl State {
    fn warn(&mut self, kind: &'static str, message: String) {
        if self.report.warnings.len() < MAX_WARNINGS {
            self.report.warnings.push(Warning { kind, message });
        }
    }

    fn piece(&mut self, piece: Piece<'_>) {
        match piece {
            Piece::Creator(bytes) => {
                if let Ok(c) = serde_json::from_slice::<model::Creator>(bytes) {
                    let v = if c.version.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", c.version)
                    };
                    self.report.creator = Some(format!("{}{v}", c.name));
                }
            }
            Piece::Gap(_) => {}
            Piece::NotAnObject { index, offset } => {
                self.report.summary.entries += 1;
                self.warn(
                    "har-bad-entry",
                    format!("Entry {index} (byte {offset}) is not an object; it was skipped."),
                );
            }
            Piece::TooLarge {
                index,
                offset,
                bytes,
            } => {
                self.report.summary.entries += 1;
                self.warn(
                    "har-large-entry",
                    format!(
                        "Entry {index} (byte {offset}) is {} MiB, more than the {} MiB read per entry; it was skipped.",
                        bytes >> 20,
                        stream::MAX_ENTRY >> 20
                    ),
                );
            }
            Piece::Entry {
                index,
                offset,
                bytes,
                skipped,
            } => {
                self.report.summary.entries += 1;
                match serde_json::from_slice::<model::Entry<'_>>(bytes) {
                    Ok(e) => self.entry(index, &e),
                    Err(err) => self.warn(
                        "har-bad-entry",
                        format!(
                            "Entry {index} (byte {offset}) could not be read: {}.",
                            error_in_file(&err, bytes, skipped)
                        ),
                    ),
                }
            }
        }
    }

    fn entry(&mut self, index: usize, e: &model::Entry<'_>) {
        let status = e.response.status.clamp(0.0, 999.0) as u16;
        let entry_ref = EntryRef {
            index,
            started: e.started_date_time.clone(),
            method: e.request.method.clone(),
            url: redact_url(&e.request.url),
            status,
        };
        let seen = time::parse_iso(&e.started_date_time);

        // Every place an error can hide, as (location, text).
        let mut places: Vec<(Cow<'_, str>, Cow<'_, str>)> =
            vec![("request URL".into(), Cow::Borrowed(e.request.url.as_str()))];
        let post = &e.request.post_data;
        if !post.text.is_empty() {
            places.push(("request body".into(), Cow::Borrowed(&*post.text)));
        } else if !post.params.is_empty() {
            let joined = post
                .params
                .iter()
                .map(|p| format!("{}={}", p.name, p.value))
                .collect::<Vec<_>>()
                .join("&");
            places.push(("request body".into(), Cow::Owned(joined)));
        }
        let mut codes_here: Vec<u32> = Vec::new();
        let mut telemetry: Vec<(usize, u32)> = Vec::new();
        for h in &e.response.headers {
            let name = h.name.to_ascii_lowercase();
            if name == "location" || name == "www-authenticate" {
                places.push((
                    format!("response header {}", h.name).into(),
                    Cow::Borrowed(h.value.as_str()),
                ));
            } else if name == "x-ms-clitelem" {
                // Broker telemetry: `1,<error code>,<suberror>,...`.
                let mut fields = h.value.split(',');
                let first = fields.next().map_or(0, str::len);
                if let Some(field) = fields.next() {
                    let code = field.trim();
                    if (4..=7).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
                        telemetry.push((first + 1, code.parse().unwrap_or(0)));
                    }
                }
            }
        }
        if !e.response.redirect_url.is_empty() {
            places.push((
                "response redirectURL".into(),
                Cow::Borrowed(e.response.redirect_url.as_str()),
            ));
        }
        let content = &e.response.content;
        if !content.text.is_empty()
            && (is_text_mime(&content.mime_type) || content.mime_type.is_empty())
        {
            if content.encoding.eq_ignore_ascii_case("base64") {
                match decode_base64(&content.text) {
                    Some(bytes) => places.push((
                        "response body (base64)".into(),
                        Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
                    )),
                    // Some exporters mark plain text as base64; read it as it is.
                    None => places.push(("response body".into(), Cow::Borrowed(&*content.text))),
                }
            } else {
                places.push(("response body".into(), Cow::Borrowed(&*content.text)));
            }
        }

        for (location, text) in &places {
            let report = detect::scan_text(text);
            self.add_findings(report, &entry_ref, location, &mut codes_here);
        }
        // Telemetry last, so a body or URL that carries the same code is its first location.
        for (at, code) in telemetry {
            let span = crate::report::Span {
                start: at,
                end: at + code.to_string().len(),
            };
            let report = crate::ScanReport {
                findings: vec![Finding::new(Kind::Aadsts, Some(code), None, span)],
                ..Default::default()
            };
            self.add_findings(
                report,
                &entry_ref,
                "response header x-ms-clitelem",
                &mut codes_here,
            );
        }

        // Tokens: Authorization headers, URLs, bodies.
        for h in &e.request.headers {
            if h.name.eq_ignore_ascii_case("authorization") {
                self.tokens(&h.value, index, "request header Authorization", seen);
            }
        }
        for (location, text) in &places {
            self.tokens(text, index, location, seen);
        }

        // The flow.
        let (host, path, query, fragment) = flow::split_url(&e.request.url);
        let to_app = self
            .redirect_uris
            .iter()
            .any(|r| !r.is_empty() && e.request.url.starts_with(r.as_str()));
        let step = if flow::is_signin_host(host, path) {
            Some(flow::label(&e.request.method, host, path))
        } else if to_app {
            Some("redirect back to the app")
        } else if (status >= 400 || !codes_here.is_empty())
            && (self.token_seen
                && e.request.headers.iter().any(|h| {
                    h.name.eq_ignore_ascii_case("authorization") && h.value.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("bearer "))
                })
                // Sanitized exports drop Authorization; a Bearer challenge still says it was an API call.
                || e.response.headers.iter().any(|h| {
                    h.name.eq_ignore_ascii_case("www-authenticate") && h.value.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
                }))
        {
            Some("resource call")
        } else {
            None
        };
        let Some(step) = step else { return };
        let mut params = flow::form_pairs(query);
        params.extend(flow::form_pairs(fragment));
        if step == "token redemption" {
            params.extend(flow::form_pairs(&post.text));
            params.extend(
                post.params
                    .iter()
                    .map(|p| (p.name.clone(), p.value.clone())),
            );
        }
        let mut facts: Vec<(String, String)> = Vec::new();
        if let Some(t) = flow::tenant_of(path).filter(|_| flow::is_signin_host(host, path)) {
            facts.push(("tenant".into(), t.to_string()));
        }
        for name in flow::FACT_PARAMS {
            if let Some((_, v)) = params.iter().find(|(k, _)| k == name) {
                if !facts.iter().any(|(k, _)| k == name) {
                    facts.push((name.to_string(), v.clone()));
                }
            }
        }
        if step == "authorize" {
            if let Some((_, r)) = params.iter().find(|(k, _)| k == "redirect_uri") {
                if !r.is_empty() && !self.redirect_uris.contains(r) {
                    self.redirect_uris.push(r.clone());
                }
            }
        }
        if self.report.flow.len() < MAX_FLOW {
            self.report.flow.push(FlowStep {
                entry: index,
                started: e.started_date_time.clone(),
                method: e.request.method.clone(),
                host: host.to_string(),
                path: path.to_string(),
                status,
                step,
                failing: false,
                codes: codes_here,
                facts,
            });
        }
    }

    fn add_findings(
        &mut self,
        r: crate::ScanReport,
        entry: &EntryRef,
        location: &str,
        codes_here: &mut Vec<u32>,
    ) {
        for f in r.findings {
            if let Some(c) = f.code {
                if !codes_here.contains(&c) {
                    codes_here.push(c);
                }
            }
            let same = |h: &HarFinding| {
                h.finding.kind == f.kind && h.finding.code == f.code && h.finding.id == f.id
            };
            if let Some(h) = self.report.findings.iter_mut().find(|h| same(h)) {
                h.finding.occurrences += f.occurrences;
                if !h.entries.contains(&entry.index) {
                    h.entries.push(entry.index);
                }
                // Fill IDs the first sighting lacked (a later JSON body carries the trace ID).
                h.finding.fill_missing(&f);
                continue;
            }
            // Other-family ids (`invalid_grant`) are noise in a capture unless they stand on their own.
            if f.kind != Kind::Aadsts && f.kind != Kind::Oauth && f.kind != Kind::Suberror {
                continue;
            }
            self.report.findings.push(HarFinding {
                finding: f,
                entry: entry.clone(),
                location: location.to_string(),
                entries: vec![entry.index],
            });
        }
    }

    fn tokens(&mut self, text: &str, entry: usize, location: &str, seen: Option<i64>) {
        for raw in jwt::find(text) {
            if self.report.tokens.len() >= MAX_TOKENS || !self.seen_tokens.insert(fnv(raw), ()) {
                continue;
            }
            if let Some(t) = jwt::decode(raw, entry, location, seen) {
                self.token_seen = true;
                self.report.tokens.push(t);
            }
        }
    }
}

/// Standard base64 (with or without padding, white space ignored).
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Base64: standard with padding, or URL-safe without (`url`), as JWTs use it.
pub fn encode_base64(bytes: &[u8], url: bool) -> String {
    let alphabet: &[u8; 64] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=group.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        if !url {
            for _ in group.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_encodes_both_alphabets_and_round_trips() {
        assert_eq!(encode_base64(b"AADSTS50076", false), "QUFEU1RTNTAwNzY=");
        assert_eq!(encode_base64(b"\xfb\xff", true), "-_8");
        assert_eq!(encode_base64(b"", false), "");
        for n in 0..40u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(decode_base64(&encode_base64(&data, false)).unwrap(), data);
            assert_eq!(decode_base64(&encode_base64(&data, true)).unwrap(), data);
        }
    }

    #[test]
    fn urls_lose_secret_values_only() {
        assert_eq!(
            redact_url("https://app/cb?code=abc&state=s1&session_state=x#id_token=eyJ&error=login_required"),
            "https://app/cb?code=[removed]&state=[removed]&session_state=x#id_token=[removed]&error=login_required"
        );
    }

    #[test]
    fn base64_decodes_and_rejects_junk() {
        assert_eq!(decode_base64("QUFEU1RTNTAwNzY=").unwrap(), b"AADSTS50076");
        assert!(decode_base64("***").is_none());
    }

    /// Found by the `har_stream` fuzz smoke run: the kind of input was
    /// decided on the first 8 bytes, where `%PDF-1.7` is clean text; the whole
    /// input (binary later on) is a PDF. The answer depended on chunking.
    #[test]
    fn what_the_input_is_does_not_depend_on_chunking() {
        let input = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << >> endobj";
        let whole = serde_json::to_string(&analyze(input)).unwrap();
        assert!(whole.contains("\"document\""), "{whole}");
        let mut a = HarAnalyzer::new();
        for b in input.chunks(1) {
            a.feed(b);
        }
        assert_eq!(serde_json::to_string(&a.finish()).unwrap(), whole);
    }

    #[test]
    fn har_detection_needs_json_with_log() {
        assert!(looks_like_har(b"\xEF\xBB\xBF  {\"log\": {}}"));
        assert!(!looks_like_har(b"AADSTS50076"));
        assert!(!looks_like_har(b"{\"error\":\"x\"}"));
    }
}
