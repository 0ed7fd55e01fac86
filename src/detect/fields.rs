//! The facts around a code: trace and correlation IDs, timestamp, OAuth
//! `error`, app and tenant, the message.
//!
//! One table maps labels, as they are written in error texts, JSON bodies,
//! URLs and the sign-in page's "Troubleshooting details", to a field and a
//! value shape. Adding a label is adding a row. Values are read with small
//! bounded parsers, so the work per label is constant.

use super::codes::skip_separators;
use memchr::memmem;

/// What a label names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    TraceId,
    CorrelationId,
    RequestId,
    Timestamp,
    Error,
    Suberror,
    ErrorUri,
    AppId,
    AppName,
    TenantId,
    Resource,
    IpAddress,
    DeviceId,
    Description,
}

/// How a value is written.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// A GUID, with or without braces.
    Guid,
    /// An ISO-like date and time.
    DateTime,
    /// A lower-case snake_case word (`invalid_grant`).
    Word,
    /// A URL.
    Url,
    /// A GUID, or a domain name (`contoso.onmicrosoft.com`).
    GuidOrDomain,
    /// A token up to white space or a quote (URLs, app ID URIs, GUIDs).
    Token,
    /// The rest of the line, up to a quote (bounded).
    Line,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A quoted string or the rest of the line, long (messages).
    Text,
}

/// Labels as they appear (lower case), the field they name, the value's shape.
/// A label must not be glued to a letter, digit, `-` or `_` before it, so
/// `x-ms-request-id` is not a `request-id`.
const LABELS: &[(&str, Field, Shape)] = &[
    ("trace id", Field::TraceId, Shape::Guid),
    ("trace_id", Field::TraceId, Shape::Guid),
    ("traceid", Field::TraceId, Shape::Guid),
    ("correlation id", Field::CorrelationId, Shape::Guid),
    ("correlation_id", Field::CorrelationId, Shape::Guid),
    ("correlationid", Field::CorrelationId, Shape::Guid),
    ("correlation-id", Field::CorrelationId, Shape::Guid),
    ("msalcorrelationidkey", Field::CorrelationId, Shape::Guid),
    ("request id", Field::RequestId, Shape::Guid),
    ("request_id", Field::RequestId, Shape::Guid),
    ("requestid", Field::RequestId, Shape::Guid),
    ("timestamp", Field::Timestamp, Shape::DateTime),
    ("error", Field::Error, Shape::Word),
    ("suberror", Field::Suberror, Shape::Word),
    ("msaloautherrorkey", Field::Error, Shape::Word),
    ("msaloauthsuberrorkey", Field::Suberror, Shape::Word),
    ("error_uri", Field::ErrorUri, Shape::Url),
    ("app id", Field::AppId, Shape::Guid),
    ("appid", Field::AppId, Shape::Guid),
    ("app_id", Field::AppId, Shape::Guid),
    ("client_id", Field::AppId, Shape::Guid),
    ("client id", Field::AppId, Shape::Guid),
    ("clientid", Field::AppId, Shape::Guid),
    ("application id", Field::AppId, Shape::Guid),
    ("application (client) id", Field::AppId, Shape::Guid),
    ("application with identifier", Field::AppId, Shape::Guid),
    ("application identifier", Field::AppId, Shape::Guid),
    ("for the application", Field::AppId, Shape::Guid),
    ("access the application", Field::AppId, Shape::Guid),
    ("app name", Field::AppName, Shape::Line),
    ("app_name", Field::AppName, Shape::Line),
    ("application name", Field::AppName, Shape::Line),
    ("tenant id", Field::TenantId, Shape::GuidOrDomain),
    ("tenant_id", Field::TenantId, Shape::GuidOrDomain),
    ("tenantid", Field::TenantId, Shape::GuidOrDomain),
    ("directory id", Field::TenantId, Shape::GuidOrDomain),
    ("in tenant", Field::TenantId, Shape::GuidOrDomain),
    ("in the directory", Field::TenantId, Shape::GuidOrDomain),
    ("resource", Field::Resource, Shape::Token),
    ("to access", Field::Resource, Shape::Token),
    ("resource principal named", Field::Resource, Shape::Token),
    ("ip address", Field::IpAddress, Shape::Ip),
    ("ipaddress", Field::IpAddress, Shape::Ip),
    ("device identifier", Field::DeviceId, Shape::Guid),
    ("deviceid", Field::DeviceId, Shape::Guid),
    ("device id", Field::DeviceId, Shape::Guid),
    ("error_description", Field::Description, Shape::Text),
    (
        "strserviceexceptionmessage",
        Field::Description,
        Shape::Text,
    ),
];

/// A value found after a label, in decoded-text offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub field: Field,
    pub at: usize,
    pub text: String,
}

/// Every labelled value in `lower[from..to]`, in text order.
pub fn values(text: &[u8], lower: &[u8], from: usize, to: usize) -> Vec<Value> {
    let to = to.min(lower.len());
    let window = &lower[from..to];
    let mut out = Vec::new();
    static FINDERS: super::Finders = super::Finders::new();
    let finders = super::finders(&FINDERS, LABELS.iter().map(|l| l.0.as_bytes()));
    for (&(label, field, shape), finder) in LABELS.iter().zip(finders) {
        for p in finder.find_iter(window) {
            let at = from + p;
            if at > 0 && matches!(lower[at - 1], b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_') {
                continue;
            }
            let mut j = at + label.len();
            // `"trace_id"` must be followed by its value, not by more name (`trace_identity`).
            if lower
                .get(j)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                continue;
            }
            j += skip_separators(lower, j);
            if let Some(v) = read(text, j, shape) {
                out.push(Value { field, at, text: v });
            }
        }
    }
    crate::order::sort_by_u64(&mut out, |v| (v.at as u64) << 8 | v.field as u64);
    out
}

/// Read a value of `shape` at `at`; `None` when what stands there is not one.
fn read(text: &[u8], at: usize, shape: Shape) -> Option<String> {
    let rest = text.get(at..)?;
    let s = match shape {
        Shape::Guid => guid(rest)?,
        Shape::DateTime => datetime(rest)?,
        Shape::Word => {
            let n = rest
                .iter()
                .take_while(|b| b.is_ascii_lowercase() || **b == b'_')
                .count();
            // A snake_case identifier, not an ordinary word after "error:".
            let w = &rest[..n];
            if n < 3 || !w.contains(&b'_') || rest.get(n).is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            w
        }
        Shape::Url => {
            if !rest.starts_with(b"http") {
                return None;
            }
            token(rest)?
        }
        Shape::GuidOrDomain => {
            let rest = rest.strip_prefix(b"'").unwrap_or(rest);
            match guid(rest) {
                Some(g) => g,
                None => {
                    let n = rest
                        .iter()
                        .take(253)
                        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
                        .count();
                    let d = &rest[..n];
                    if !d.contains(&b'.') || d.ends_with(b".") {
                        return None;
                    }
                    d
                }
            }
        }
        Shape::Token => {
            let rest = rest.strip_prefix(b"'").unwrap_or(rest);
            let t = token(rest)?;
            let t = t.strip_suffix(b".").unwrap_or(t);
            // A resource is an app ID URI, a URL or a GUID, not a stray word.
            if !(t.contains(&b'/') || t.contains(&b':') || guid(t).is_some()) {
                return None;
            }
            t
        }
        Shape::Line => {
            // On a one-line "Troubleshooting details" paste the next label follows
            // with a single space: the value stops there.
            let l = line(rest, 120)?;
            let lower = l.to_ascii_lowercase();
            let cut = LABELS
                .iter()
                .filter_map(|(label, _, _)| memmem::find(&lower, format!(" {label}").as_bytes()))
                .min()
                .unwrap_or(l.len());
            let l = trim(&l[..cut]);
            if l.is_empty() {
                return None;
            }
            l
        }
        Shape::Ip => {
            let n = rest
                .iter()
                .take(45)
                .take_while(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':'))
                .count();
            let ip = &rest[..n];
            if n < 3 || !(ip.iter().filter(|b| **b == b'.').count() == 3 || ip.contains(&b':')) {
                return None;
            }
            ip
        }
        Shape::Text => line(rest, 1000)?,
    };
    Some(String::from_utf8_lossy(s).into_owned())
}

fn guid(s: &[u8]) -> Option<&[u8]> {
    let s = s.strip_prefix(b"{").unwrap_or(s);
    let g = s.get(..36)?;
    let ok = g.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    (ok && !s.get(36).is_some_and(u8::is_ascii_hexdigit)).then_some(g)
}

/// `2024-01-31 10:20:30Z`, `2024-01-31T10:20:30.1234567Z`, `...+00:00`.
fn datetime(s: &[u8]) -> Option<&[u8]> {
    let shape = b"dddd-dd-dd?dd:dd:dd";
    if s.len() < shape.len() {
        return None;
    }
    for (i, want) in shape.iter().enumerate() {
        let ok = match want {
            b'd' => s[i].is_ascii_digit(),
            b'?' => s[i] == b'T' || s[i] == b' ',
            c => s[i] == *c,
        };
        if !ok {
            return None;
        }
    }
    let mut n = shape.len();
    if s.get(n) == Some(&b'.') {
        n += 1 + s[n + 1..]
            .iter()
            .take(9)
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
    match s.get(n) {
        Some(b'Z') => n += 1,
        Some(b'+' | b'-') if s.get(n + 1..n + 6).is_some_and(|t| t[2] == b':') => n += 6,
        _ => {}
    }
    Some(&s[..n])
}

fn token(s: &[u8]) -> Option<&[u8]> {
    let n = s
        .iter()
        .take(2048)
        .take_while(|b| {
            !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'&' | b'<' | b'>' | b',')
        })
        .count();
    (n > 0).then(|| &s[..n])
}

fn line(s: &[u8], max: usize) -> Option<&[u8]> {
    let quoted = s.first() == Some(&b'"');
    let s = if quoted { &s[1..] } else { s };
    let n = s
        .iter()
        .take(max)
        .take_while(|b| !(matches!(b, b'\r' | b'\n' | b'<') || quoted && **b == b'"'))
        .count();
    let t = trim(&s[..n]);
    (!t.is_empty()).then_some(t)
}

/// Trim white space and trailing commas, quotes and similar leftovers.
pub fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && !matches!(b, b',' | b'"' | b'\\'))
        .map_or(start, |p| p + 1);
    &s[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str, field: Field) -> Option<String> {
        let lower = s.to_ascii_lowercase();
        values(s.as_bytes(), lower.as_bytes(), 0, s.len())
            .into_iter()
            .find(|v| v.field == field)
            .map(|v| v.text)
    }

    #[test]
    fn table() {
        let g = "0a1b2c3d-0000-4e5f-8a9b-001122334455";
        let rows: &[(&str, Field, Option<&str>)] = &[
            (
                "Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\r\n",
                Field::TraceId,
                Some(g),
            ),
            (
                "\"trace_id\":\"0a1b2c3d-0000-4e5f-8a9b-001122334455\"",
                Field::TraceId,
                Some(g),
            ),
            (
                "Request Id: 0a1b2c3d-0000-4e5f-8a9b-001122334455",
                Field::RequestId,
                Some(g),
            ),
            (
                "x-ms-request-id: 0a1b2c3d-0000-4e5f-8a9b-001122334455",
                Field::RequestId,
                None,
            ),
            (
                "Timestamp: 2019-10-04 12:19:02Z",
                Field::Timestamp,
                Some("2019-10-04 12:19:02Z"),
            ),
            (
                "\"timestamp\":\"2023-01-10T07:24:33.1812345Z\"",
                Field::Timestamp,
                Some("2023-01-10T07:24:33.1812345Z"),
            ),
            ("Timestamp: soon", Field::Timestamp, None),
            (
                "\"error\":\"invalid_grant\"",
                Field::Error,
                Some("invalid_grant"),
            ),
            ("Error: building account", Field::Error, None),
            (
                "error=interaction_required&",
                Field::Error,
                Some("interaction_required"),
            ),
            (
                "in the directory 'contoso.onmicrosoft.com'.",
                Field::TenantId,
                Some("contoso.onmicrosoft.com"),
            ),
            (
                "to access '00000003-0000-0000-c000-000000000000'.",
                Field::Resource,
                Some("00000003-0000-0000-c000-000000000000"),
            ),
            (
                "IP address: 203.0.113.7\n",
                Field::IpAddress,
                Some("203.0.113.7"),
            ),
            (
                "App name: Contoso HR Portal\nApp id:",
                Field::AppName,
                Some("Contoso HR Portal"),
            ),
            (
                "\"error_description\":\"AADSTS50076: hi\",",
                Field::Description,
                Some("AADSTS50076: hi"),
            ),
        ];
        for (input, field, want) in rows {
            assert_eq!(first(input, *field).as_deref(), *want, "{input}");
        }
    }
}
