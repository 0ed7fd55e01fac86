//! The error-text detector: every Entra error in whatever people paste.
//!
//! The pipeline is linear in the input:
//! 1. [`decode`] undoes JSON escaping, URL encoding and HTML entities, keeping
//!    a map back to input offsets;
//! 2. [`codes`] finds AADSTS codes (prefixed or behind a label);
//! 3. [`fields`] reads the IDs and message around each code;
//! 4. [`other`] finds OAuth, suberror and MSAL ids;
//! 5. suggestions name the likely code for well-known messages that came without one.

pub mod codes;
pub mod decode;
pub mod fields;
pub mod other;
pub mod stream;

use crate::kb::{self, Kind};
use crate::report::{Finding, ScanReport, Span, Suggestion, Warning};
use crate::sniff::{sniff, Encoding, Sniffed, Transcoded};
use fields::{Field, Value};
use memchr::memmem;

/// How far before a code its labels may stand ("Error Code:" blocks put the
/// ID lines after it, but some logs print IDs first).
const LOOK_BEHIND: usize = 2048;
/// How far after a code its labels may stand when no other code follows.
const LOOK_AHEAD: usize = 6144;
/// At most this many findings are reported; more is noise, and the cap keeps
/// the work bounded on adversarial input.
pub const MAX_FINDINGS: usize = 500;
/// How many occurrences of one code are searched for IDs.
const MAX_REGIONS: usize = 4;

/// Scan a text (a paste: already a string, so no encoding to guess).
pub fn scan_text(input: &str) -> ScanReport {
    let mut report = ScanReport::default();
    if input.is_empty() {
        report.warnings.push(empty());
    } else {
        scan_into(input.as_bytes(), &|s, e| (s, e), &mut report);
    }
    report
}

fn empty() -> Warning {
    Warning {
        kind: "empty",
        message: "The input is empty: there is nothing to scan.".into(),
    }
}

/// Scan bytes that may not be UTF-8 (a log file, a dump, a dropped file).
/// Spans are byte offsets in `input`. UTF-16 is converted and read; an
/// archive, an image or a PDF is named, with what to do, and not read.
pub fn scan_bytes(input: &[u8]) -> ScanReport {
    let mut report = ScanReport::default();
    if input.is_empty() {
        report.warnings.push(empty());
        return report;
    }
    let mut warn = |kind, message: &str| {
        report.warnings.push(Warning {
            kind,
            message: message.to_string(),
        })
    };
    match sniff(input) {
        Sniffed::Format(f) => warn(f.kind, f.message),
        Sniffed::Text(enc @ (Encoding::Utf16Le | Encoding::Utf16Be)) => {
            warn("utf16", utf16_message(enc));
            let t = Transcoded::new(input, enc);
            scan_into(&t.text, &|s, e| (t.to_input(s), t.to_input(e)), &mut report);
        }
        Sniffed::Binary => {
            warn(
                "binary",
                "This looks like binary data, not text; it was searched for readable error text anyway.",
            );
            scan_into(input, &|s, e| (s, e), &mut report);
        }
        Sniffed::Text(Encoding::Utf8) => {
            if std::str::from_utf8(input).is_err() {
                warn(
                    "not-utf8",
                    "The input is not valid UTF-8; it was read byte by byte and odd characters were replaced.",
                );
            }
            scan_into(input, &|s, e| (s, e), &mut report);
        }
    }
    report
}

/// The warning for UTF-16 input, shared by text scans and HAR captures.
pub(crate) fn utf16_message(enc: Encoding) -> &'static str {
    if enc == Encoding::Utf16Be {
        "The input is UTF-16 text (big-endian); it was converted to UTF-8 and read."
    } else {
        "The input is UTF-16 text (little-endian, as PowerShell's Out-File and Notepad's \"Unicode\" write); it was converted to UTF-8 and read."
    }
}

/// Scan UTF-8 (or nearly) bytes into `report`; `outer` maps offsets in
/// `input` to offsets in what the caller was given (identity, or back
/// through a UTF-16 conversion).
fn scan_into(
    input: &[u8],
    outer: &dyn Fn(usize, usize) -> (usize, usize),
    report: &mut ScanReport,
) {
    let norm = decode::normalize(input);
    let text = norm.text();
    let lower = text.to_ascii_lowercase();
    let span = |s: usize, e: usize| {
        let (s, e) = norm.to_input(s, e);
        let (start, end) = outer(s, e);
        Span { start, end }
    };

    let (occ, doubts) = codes::find(text, &lower, |c| kb::aadsts(c).is_some());
    for codes::Doubt::CutOff { digits, start, end } in doubts {
        report.warnings.push(Warning {
            kind: "cut-off-code",
            message: format!(
                "The text ends in the number {digits} at bytes {}..{}; it looks cut off, so it was not reported as a code.",
                span(start, end).start,
                span(start, end).end
            ),
        });
    }

    // Distinct codes in order of first appearance, and for each occurrence
    // where the next occurrence of a different code starts (one backward pass,
    // so a log with the same code a million times stays linear).
    let mut order: Vec<u32> = Vec::new();
    for o in &occ {
        if !order.contains(&o.code) {
            order.push(o.code);
            if order.len() == MAX_FINDINGS {
                break;
            }
        }
    }
    let mut next_other = vec![lower.len(); occ.len()];
    for i in (0..occ.len().saturating_sub(1)).rev() {
        next_other[i] = if occ[i + 1].code != occ[i].code {
            occ[i + 1].start
        } else {
            next_other[i + 1]
        };
    }
    let ids = other::find(text, &lower);
    let labels = Labels::new(text, &lower);

    for code in order {
        let mine: Vec<usize> = (0..occ.len()).filter(|&i| occ[i].code == code).collect();
        let first = &occ[mine[0]];
        let mut f = Finding::new(Kind::Aadsts, Some(code), None, span(first.start, first.end));
        f.occurrences = mine.len();
        let message = mine
            .iter()
            .map(|&i| &occ[i])
            .filter(|o| o.prefixed)
            .take(16)
            .find_map(|o| message_after(text, o.end));
        let ctx = Context::new(
            &labels,
            text,
            &lower,
            &occ,
            &next_other,
            &mine,
            message.as_ref().map(|m| m.1),
        );
        ctx.fill(&mut f);
        f.error = ctx
            .nearest_id(&ids, |id| {
                id.kind != Kind::Suberror && kb::other(Kind::Oauth, &id.id).is_some()
            })
            .or_else(|| ctx.pick(Field::Error));
        f.suberror = ctx
            .nearest_id(&ids, |id| id.kind == Kind::Suberror)
            .or_else(|| {
                ctx.pick(Field::Suberror)
                    .filter(|s| kb::other(Kind::Suberror, s).is_some())
            });
        // The message: what follows `AADSTSnnnn:` best, else the description field.
        f.message = message.map(|m| m.0).or_else(|| {
            ctx.pick(Field::Description)
                .map(|d| strip_code_prefix(&d).to_string())
                .filter(|m| !m.is_empty())
        });
        report.findings.push(f);
    }

    // Other families: one finding per (kind, id), counted, in text order.
    let mut index: crate::order::SortedMap<(Kind, &str), usize> = Default::default();
    for o in &ids {
        if let Some(&i) = index.get(&(o.kind, o.id.as_str())) {
            report.findings[i].occurrences += 1;
            continue;
        }
        if report.findings.len() >= MAX_FINDINGS {
            break;
        }
        index.insert((o.kind, o.id.as_str()), report.findings.len());
        report.findings.push(Finding::new(
            o.kind,
            None,
            Some(o.id.clone()),
            span(o.start, o.end),
        ));
    }
    crate::order::sort_by_u64(&mut report.findings, |f| f.span.start as u64);

    for (rule, finders) in kb::suggestion_rules().iter().zip(phrase_finders()) {
        if report.findings.iter().any(|f| f.code == Some(rule.code))
            || report.suggestions.iter().any(|s| s.code == rule.code)
        {
            continue;
        }
        let hit = finders
            .iter()
            .find_map(|f| f.find(&lower).map(|at| (at, at + f.needle().len())));
        if let (Some((s, e)), Some(entry)) = (hit, kb::aadsts(rule.code)) {
            report.suggestions.push(Suggestion {
                code: rule.code,
                name: entry.name,
                title: entry.title,
                reason: rule.reason,
                span: span(s, e),
            });
        }
    }
    crate::order::sort_by_u64(&mut report.suggestions, |s| s.span.start as u64);
}

/// Where [`finders`] keeps a list's searchers.
pub(crate) type Finders = std::sync::OnceLock<Vec<memmem::Finder<'static>>>;

/// Searchers for a fixed list of needles, built on first use: building one
/// is most of the cost of a search in a short text, and every URL and header
/// of a capture is one.
pub(crate) fn finders(
    cell: &'static Finders,
    needles: impl Iterator<Item = &'static [u8]>,
) -> &'static [memmem::Finder<'static>] {
    cell.get_or_init(|| needles.map(memmem::Finder::new).collect())
}

/// A searcher per suggestion phrase, per rule.
fn phrase_finders() -> &'static [Vec<memmem::Finder<'static>>] {
    static FINDERS: std::sync::OnceLock<Vec<Vec<memmem::Finder<'static>>>> =
        std::sync::OnceLock::new();
    FINDERS.get_or_init(|| {
        kb::suggestion_rules()
            .iter()
            .map(|r| r.phrases.iter().map(memmem::Finder::new).collect())
            .collect()
    })
}

/// Labelled values, read once for a paste-sized text (one pass per label over
/// the whole text), or per window for a large log, where most of the text is
/// far from any code.
enum Labels {
    All(Vec<Value>),
    PerWindow,
}

/// Up to this size a text's labels are read in one go.
const LABELS_AT_ONCE: usize = 256 * 1024;

impl Labels {
    fn new(text: &[u8], lower: &[u8]) -> Labels {
        if text.len() <= LABELS_AT_ONCE {
            Labels::All(fields::values(text, lower, 0, text.len()))
        } else {
            Labels::PerWindow
        }
    }

    fn range(&self, text: &[u8], lower: &[u8], from: usize, to: usize) -> Vec<Value> {
        match self {
            Labels::All(all) => {
                let a = all.partition_point(|v| v.at < from);
                let b = all.partition_point(|v| v.at < to);
                all[a..b.max(a)].to_vec()
            }
            Labels::PerWindow => fields::values(text, lower, from, to),
        }
    }
}

/// The neighbourhood of one code: where its own facts may stand.
///
/// Preference, for each field: a value in the same paragraph after the code
/// (the usual `AADSTS…: message. Trace ID: …` shape), then in the same
/// paragraph before it (blocks that list their IDs first), then anywhere in
/// the code's region (up to the next other code), then the nearest before it.
struct Context {
    /// Values from the code's regions, in text order.
    own: Vec<Value>,
    /// Values before the first occurrence, nearest first.
    before: Vec<Value>,
    /// Values after the first occurrence in its paragraph, whatever code they follow:
    /// `AADSTS70002: … AADSTS50126: …, Trace ID: …` is one message with one trace ID.
    para_after: Vec<Value>,
    start: usize,
    /// Where the message (or the code) ends.
    after_from: usize,
    para: (usize, usize),
    region_end: usize,
}

/// How close an OAuth `error` must stand to count as this code's (`invalid_grant: AADSTS70008`).
const ID_NEAR: usize = 256;

impl Context {
    fn new(
        labels: &Labels,
        text: &[u8],
        lower: &[u8],
        occ: &[codes::Occurrence],
        next_other: &[usize],
        mine: &[usize],
        message_end: Option<usize>,
    ) -> Context {
        let first = &occ[mine[0]];
        let mut own = Vec::new();
        let mut covered_to = 0;
        // The first few regions are enough: later repeats of the same error carry
        // the same kind of facts, and the cap keeps a huge log linear.
        for &i in mine.iter().take(MAX_REGIONS) {
            let o = &occ[i];
            let end = next_other[i].min(o.end + LOOK_AHEAD);
            let from = o.start.max(covered_to);
            if from < end {
                own.extend(labels.range(text, lower, from, end));
                covered_to = end;
            }
        }
        crate::order::sort_by_u64(&mut own, |v| v.at as u64);
        let prev_end = occ[..mine[0]]
            .iter()
            .filter(|p| p.code != first.code)
            .map(|p| p.end)
            .max()
            .unwrap_or(0);
        let from = first
            .start
            .saturating_sub(LOOK_BEHIND)
            .max(prev_end)
            .min(first.start);
        let mut before = labels.range(text, lower, from, first.start);
        crate::order::sort_by_u64(&mut before, |v| u64::MAX - v.at as u64);
        let para = paragraph(text, first.start);
        Context {
            para_after: labels.range(text, lower, first.start, para.1),
            own,
            before,
            start: first.start,
            after_from: message_end.unwrap_or(first.end),
            para,
            region_end: next_other[mine[0]],
        }
    }

    /// The chosen value for a field.
    fn pick(&self, field: Field) -> Option<String> {
        let (ps, _) = self.para;
        let own = || {
            self.own
                .iter()
                .filter(move |v| v.field == field && v.at >= self.start)
        };
        let before = || self.before.iter().filter(move |v| v.field == field);
        self.para_after
            .iter()
            .find(|v| v.field == field)
            .or_else(|| before().find(|v| v.at >= ps))
            .or_else(|| own().next())
            .or_else(|| before().next())
            .map(|v| v.text.clone())
    }

    /// The id that belongs to this code: right before it (`invalid_grant: AADSTS…`),
    /// else after it in its paragraph, else before it in its paragraph.
    fn nearest_id(
        &self,
        ids: &[other::IdOccurrence],
        keep: impl Fn(&other::IdOccurrence) -> bool,
    ) -> Option<String> {
        let (ps, pe) = self.para;
        let after_end = pe.max(self.after_from + ID_NEAR).min(self.region_end);
        let first_after = ids.partition_point(|i| i.start < self.start);
        let before = ids[..first_after]
            .iter()
            .rev()
            .filter(|i| i.start >= ps.min(self.start.saturating_sub(ID_NEAR)));
        let after = ids[first_after..]
            .iter()
            .take_while(|i| i.start < after_end);
        before
            .clone()
            .take_while(|i| self.start.saturating_sub(i.end) <= ID_NEAR)
            .find(|i| keep(i))
            .or_else(|| after.clone().find(|i| keep(i)))
            .or_else(|| before.clone().find(|i| keep(i)))
            .map(|i| i.id.clone())
    }

    fn fill(&self, f: &mut Finding) {
        f.trace_id = self.pick(Field::TraceId);
        f.correlation_id = self.pick(Field::CorrelationId);
        f.request_id = self.pick(Field::RequestId);
        if f.trace_id.is_none() {
            // On the sign-in page, "Request Id" is the trace ID.
            f.trace_id = f.request_id.clone();
        }
        f.timestamp = self.pick(Field::Timestamp);
        f.error_uri = self.pick(Field::ErrorUri);
        f.app_id = self.pick(Field::AppId);
        f.app_name = self.pick(Field::AppName);
        f.tenant_id = self.pick(Field::TenantId);
        f.resource = self.pick(Field::Resource);
        f.ip_address = self.pick(Field::IpAddress);
        f.device_id = self.pick(Field::DeviceId);
    }
}

/// The paragraph around `at`: bounded by blank lines, or by the look limits.
fn paragraph(text: &[u8], at: usize) -> (usize, usize) {
    let lo = at.saturating_sub(LOOK_BEHIND);
    let hi = (at + LOOK_AHEAD).min(text.len());
    let mut start = lo;
    let mut end = hi;
    let mut line_start = lo;
    let mut line_blank = true;
    for (i, &b) in text[lo..hi].iter().enumerate() {
        let i = lo + i;
        if b == b'\n' {
            if line_blank && i > line_start {
                // A blank line: the paragraph boundary nearest `at` on each side.
                if i < at {
                    start = i + 1;
                } else if line_start > at {
                    end = line_start;
                    break;
                }
            }
            line_start = i;
            line_blank = true;
        } else if !matches!(b, b' ' | b'\t' | b'\r') {
            line_blank = false;
        }
    }
    (start, end)
}

/// Words that end a message: the next labelled part of an Entra error.
const MESSAGE_ENDS: &[&[u8]] = &[
    b"trace id:",
    b"correlation id:",
    b"timestamp:",
    b"</",
    b"<br",
];

/// The message after `AADSTSnnnn`: to the end of the line, a quote or an ID label.
fn message_after(text: &[u8], end: usize) -> Option<(String, usize)> {
    let rest = &text[end..text.len().min(end + 1200)];
    let skip = rest
        .iter()
        .take_while(|b| matches!(b, b':' | b' ' | b'-' | b'\t'))
        .count();
    let rest = &rest[skip..];
    let mut n = rest
        .iter()
        .position(|b| matches!(b, b'\r' | b'\n' | b'"' | b'&' | b'}' | b']'))
        .unwrap_or(rest.len());
    let lower = rest[..n].to_ascii_lowercase();
    static ENDS: Finders = Finders::new();
    for m in finders(&ENDS, MESSAGE_ENDS.iter().copied()) {
        if let Some(p) = m.find(&lower) {
            n = n.min(p);
        }
    }
    let msg = fields::trim(&rest[..n]);
    // A message is words, not a number or a lone character.
    if msg.len() < 4 || !msg.iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    Some((String::from_utf8_lossy(msg).into_owned(), end + skip + n))
}

fn strip_code_prefix(s: &str) -> &str {
    let t = s.trim();
    // `get`, not indexing: byte 6 may fall inside a character (`AADST\u{FFFD}…`).
    if let (Some(head), Some(rest)) = (t.get(..6), t.get(6..)) {
        if head.eq_ignore_ascii_case("aadsts") {
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            return rest.trim_start_matches([':', ' ', '-']).trim();
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_message_yields_code_message_and_ids() {
        let r = scan_text(
            "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\r\nTrace ID: 11111111-2222-3333-4444-555555555555\r\nCorrelation ID: 66666666-7777-8888-9999-000000000000\r\nTimestamp: 2024-03-01 10:11:12Z",
        );
        assert_eq!(r.codes(), vec![50076]);
        let f = &r.findings[0];
        assert!(f
            .message
            .as_deref()
            .unwrap()
            .starts_with("Due to a configuration change"));
        assert_eq!(
            f.trace_id.as_deref(),
            Some("11111111-2222-3333-4444-555555555555")
        );
        assert_eq!(
            f.correlation_id.as_deref(),
            Some("66666666-7777-8888-9999-000000000000")
        );
        assert_eq!(f.timestamp.as_deref(), Some("2024-03-01 10:11:12Z"));
        assert_eq!(
            f.resource.as_deref(),
            Some("00000003-0000-0000-c000-000000000000")
        );
        assert_eq!(f.span, Span { start: 0, end: 11 });
    }

    #[test]
    fn each_code_keeps_its_own_ids() {
        let r = scan_text(
            "AADSTS50058: a\nTrace ID: 11111111-1111-1111-1111-111111111111\n\nAADSTS50076: b\nTrace ID: 22222222-2222-2222-2222-222222222222\n",
        );
        assert_eq!(r.codes(), vec![50058, 50076]);
        assert_eq!(
            r.findings[0].trace_id.as_deref(),
            Some("11111111-1111-1111-1111-111111111111")
        );
        assert_eq!(
            r.findings[1].trace_id.as_deref(),
            Some("22222222-2222-2222-2222-222222222222")
        );
    }

    #[test]
    fn spans_point_into_the_encoded_input() {
        let input =
            "https://app/#error=interaction_required&error_description=AADSTS50076%3a+Due+to";
        let r = scan_text(input);
        let f = r.findings.iter().find(|f| f.code == Some(50076)).unwrap();
        assert_eq!(&input[f.span.start..f.span.end], "AADSTS50076");
        assert_eq!(f.error.as_deref(), Some("interaction_required"));
        assert_eq!(f.message.as_deref(), Some("Due to"));
    }

    /// Found by the `detect` fuzz target: a description starting `AADST`
    /// and a replacement character (from bytes that were not UTF-8) sliced
    /// the text inside that character: a panic, which aborts the WASM module.
    #[test]
    fn a_description_cut_inside_a_character_does_not_panic() {
        assert_eq!(
            strip_code_prefix("AADST\u{FFFD}000215: x"),
            "AADST\u{FFFD}000215: x"
        );
        assert_eq!(strip_code_prefix(" aadsts7000215: Invalid "), "Invalid");
        let r = scan_bytes(b"{\"error\":\"invalid_client\",\"error_description\":\"AADST\xf6\xd2000215: bad\",\"error_codes\":[7000215]}");
        assert_eq!(r.codes(), vec![7000215]);
    }

    #[test]
    fn empty_and_codeless_inputs_are_quiet() {
        assert!(scan_text("").findings.is_empty());
        assert!(scan_text("nothing to see").findings.is_empty());
    }
}
