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

use crate::kb::{self, Kind};
use crate::report::{Finding, ScanReport, Span, Suggestion, Warning};
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

/// Scan a text.
pub fn scan_text(input: &str) -> ScanReport {
    scan_bytes(input.as_bytes())
}

/// Scan bytes that may not be UTF-8 (a log file, a dump). Spans are byte offsets.
pub fn scan_bytes(input: &[u8]) -> ScanReport {
    let mut report = ScanReport::default();
    if input.is_empty() {
        return report;
    }
    if std::str::from_utf8(input).is_err() {
        report.warnings.push(Warning {
            kind: "not-utf8",
            message: "The input is not valid UTF-8; it was read byte by byte and odd characters were replaced."
                .into(),
        });
    }
    let norm = decode::normalize(input);
    let text = norm.text();
    let lower = text.to_ascii_lowercase();
    let span = |s: usize, e: usize| {
        let (start, end) = norm.to_input(s, e);
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

    // Distinct codes in order of first appearance.
    let mut order: Vec<u32> = Vec::new();
    for o in &occ {
        if !order.contains(&o.code) {
            order.push(o.code);
            if order.len() == MAX_FINDINGS {
                break;
            }
        }
    }
    for code in order {
        let mine: Vec<&codes::Occurrence> = occ.iter().filter(|o| o.code == code).collect();
        let first = mine[0];
        let mut f = Finding::new(Kind::Aadsts, Some(code), None, span(first.start, first.end));
        f.occurrences = mine.len();
        let vals = values_for(text, &lower, &occ, code);
        fill(&mut f, &vals);
        // The message: what follows `AADSTSnnnn:` best, else the description field.
        f.message = mine
            .iter()
            .filter(|o| o.prefixed)
            .take(16)
            .find_map(|o| message_after(text, o.end))
            .or_else(|| {
                vals.iter()
                    .find(|v| v.field == Field::Description)
                    .map(|v| strip_code_prefix(&v.text).to_string())
                    .filter(|m| !m.is_empty())
            });
        report.findings.push(f);
    }

    let mut seen: Vec<(Kind, String)> = Vec::new();
    for o in other::find(text, &lower) {
        if report.findings.len() >= MAX_FINDINGS {
            break;
        }
        if let Some(f) = report.findings.iter_mut().find(|f| f.kind == o.kind && f.id.as_deref() == Some(&o.id)) {
            f.occurrences += 1;
            continue;
        }
        if seen.contains(&(o.kind, o.id.clone())) {
            continue;
        }
        seen.push((o.kind, o.id.clone()));
        let mut f = Finding::new(o.kind, None, Some(o.id), span(o.start, o.end));
        f.message = kb::other(o.kind, f.id.as_deref().unwrap_or_default()).map(|e| e.title.to_string());
        report.findings.push(f);
    }
    report.findings.sort_by_key(|f| f.span.start);

    for rule in kb::suggestion_rules() {
        if report.findings.iter().any(|f| f.code == Some(rule.code))
            || report.suggestions.iter().any(|s| s.code == rule.code)
        {
            continue;
        }
        let hit = rule.phrases.iter().find_map(|p| memmem::find(&lower, p.as_bytes()).map(|at| (at, at + p.len())));
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
    report.suggestions.sort_by_key(|s| s.span.start);
    report
}

/// The labelled values that belong to `code`: those in its regions (from each
/// occurrence to the next occurrence of another code), else the nearest before.
fn values_for(text: &[u8], lower: &[u8], occ: &[codes::Occurrence], code: u32) -> Vec<Value> {
    let mut own = Vec::new();
    let mut before = Vec::new();
    // The first few regions are enough: later repeats of the same error carry
    // the same kind of facts, and the cap keeps a huge log linear.
    let mut regions = 0;
    for (i, o) in occ.iter().enumerate().filter(|(_, o)| o.code == code) {
        if regions == MAX_REGIONS {
            break;
        }
        // A region ends where another code starts; repeats of the same code stay inside.
        let next = occ[i + 1..].iter().find(|n| n.code != code).map_or(lower.len(), |n| n.start);
        let end = next.min(o.end + LOOK_AHEAD);
        if i > 0 && occ[i - 1].code == code && occ[i - 1].end + LOOK_AHEAD >= o.start {
            // Covered by the previous occurrence's region.
            continue;
        }
        regions += 1;
        own.extend(fields::values(text, lower, o.start, end));
        if before.is_empty() {
            let prev_end = occ[..i].iter().rev().find(|p| p.code != code).map_or(0, |p| p.end);
            let from = o.start.saturating_sub(LOOK_BEHIND).max(prev_end);
            before = fields::values(text, lower, from, o.start);
        }
    }
    // Own values first (in text order), then earlier ones as a fallback, nearest first.
    before.reverse();
    own.extend(before);
    own
}

/// Fill the ID fields of a finding from the first value of each field.
fn fill(f: &mut Finding, vals: &[Value]) {
    let get = |field: Field| vals.iter().find(|v| v.field == field).map(|v| v.text.clone());
    f.trace_id = get(Field::TraceId);
    f.correlation_id = get(Field::CorrelationId);
    f.request_id = get(Field::RequestId);
    if f.trace_id.is_none() {
        // On the sign-in page, "Request Id" is the trace ID.
        f.trace_id = f.request_id.clone();
    }
    f.timestamp = get(Field::Timestamp);
    f.error = vals
        .iter()
        .find(|v| v.field == Field::Error && kb::other(Kind::Oauth, &v.text).is_some())
        .map(|v| v.text.clone());
    f.suberror = get(Field::Suberror);
    f.error_uri = get(Field::ErrorUri);
    f.app_id = get(Field::AppId);
    f.app_name = get(Field::AppName);
    f.tenant_id = get(Field::TenantId);
    f.resource = get(Field::Resource);
    f.ip_address = get(Field::IpAddress);
    f.device_id = get(Field::DeviceId);
}

/// Words that end a message: the next labelled part of an Entra error.
const MESSAGE_ENDS: &[&[u8]] = &[b"trace id:", b"correlation id:", b"timestamp:", b"</", b"<br"];

/// The message after `AADSTSnnnn`: to the end of the line, a quote or an ID label.
fn message_after(text: &[u8], end: usize) -> Option<String> {
    let rest = &text[end..text.len().min(end + 1200)];
    let skip = rest.iter().take_while(|b| matches!(b, b':' | b' ' | b'-' | b'\t')).count();
    let rest = &rest[skip..];
    let mut n = rest
        .iter()
        .position(|b| matches!(b, b'\r' | b'\n' | b'"' | b'&' | b'}' | b']'))
        .unwrap_or(rest.len());
    let lower = rest[..n].to_ascii_lowercase();
    for m in MESSAGE_ENDS {
        if let Some(p) = memmem::find(&lower, m) {
            n = n.min(p);
        }
    }
    let msg = fields::trim(&rest[..n]);
    // A message is words, not a number or a lone character.
    if msg.len() < 4 || !msg.iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    Some(String::from_utf8_lossy(msg).into_owned())
}

fn strip_code_prefix(s: &str) -> &str {
    let t = s.trim();
    if t.len() >= 6 && t[..6].eq_ignore_ascii_case("aadsts") {
        let rest = t[6..].trim_start_matches(|c: char| c.is_ascii_digit());
        return rest.trim_start_matches([':', ' ', '-']).trim();
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
        assert!(f.message.as_deref().unwrap().starts_with("Due to a configuration change"));
        assert_eq!(f.trace_id.as_deref(), Some("11111111-2222-3333-4444-555555555555"));
        assert_eq!(f.correlation_id.as_deref(), Some("66666666-7777-8888-9999-000000000000"));
        assert_eq!(f.timestamp.as_deref(), Some("2024-03-01 10:11:12Z"));
        assert_eq!(f.resource.as_deref(), Some("00000003-0000-0000-c000-000000000000"));
        assert_eq!(f.span, Span { start: 0, end: 11 });
    }

    #[test]
    fn each_code_keeps_its_own_ids() {
        let r = scan_text(
            "AADSTS50058: a\nTrace ID: 11111111-1111-1111-1111-111111111111\n\nAADSTS50076: b\nTrace ID: 22222222-2222-2222-2222-222222222222\n",
        );
        assert_eq!(r.codes(), vec![50058, 50076]);
        assert_eq!(r.findings[0].trace_id.as_deref(), Some("11111111-1111-1111-1111-111111111111"));
        assert_eq!(r.findings[1].trace_id.as_deref(), Some("22222222-2222-2222-2222-222222222222"));
    }

    #[test]
    fn spans_point_into_the_encoded_input() {
        let input = "https://app/#error=interaction_required&error_description=AADSTS50076%3a+Due+to";
        let r = scan_text(input);
        let f = r.findings.iter().find(|f| f.code == Some(50076)).unwrap();
        assert_eq!(&input[f.span.start..f.span.end], "AADSTS50076");
        assert_eq!(f.error.as_deref(), Some("interaction_required"));
        assert_eq!(f.message.as_deref(), Some("Due to"));
    }

    #[test]
    fn empty_and_codeless_inputs_are_quiet() {
        assert!(scan_text("").findings.is_empty());
        assert!(scan_text("nothing to see").findings.is_empty());
    }
}
