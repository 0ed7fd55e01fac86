//! Cleaning one HAR entry, and any JSON value, field by field.
//!
//! The entry is parsed into an order-preserving [`Node`] tree; the parts a
//! HAR defines (URL, headers, cookies, query, post data, content, redirect)
//! get the treatment their format needs, and everything else (`_`-prefixed
//! exporter fields, comments, web-socket messages) is walked as generic
//! JSON: secret keys lose their values, strings are cleaned as text. When a
//! header or body changes, its size field becomes `-1` ("unknown", which HAR
//! 1.2 allows) and `content.size` is set to the new length.

use super::report::{Action, Cx};
use super::rules::{self, Header, MARKER, URL_MARKER};
use super::text::{clean_pairs, clean_text, clean_url, secret_value};
use crate::har::{decode_base64, encode_base64};
use crate::json::Node;

/// Clean a JSON value found under `field` at `loc`. `in_token` says it is a
/// JWT's claims, where `name` and `sub` are personal. Returns whether it changed.
pub(super) fn clean_json(
    cx: &mut Cx,
    loc: &str,
    field: &str,
    node: &mut Node,
    in_token: bool,
) -> bool {
    match node {
        Node::Obj(members) => {
            let mut changed = false;
            for (k, v) in members.iter_mut() {
                changed |= clean_member(cx, loc, k, v, in_token);
            }
            changed
        }
        Node::Arr(items) => {
            let mut changed = false;
            for v in items.iter_mut() {
                changed |= clean_json(cx, loc, field, v, in_token);
            }
            changed
        }
        Node::Str(s) => {
            let new = if rules::looks_like_opaque_token(s) {
                cx.note(loc, field, Action::Removed, s, MARKER);
                Some(MARKER.to_string())
            } else {
                clean_text(cx, loc, field, s)
            };
            new.map(|n| *s = n).is_some()
        }
        _ => false,
    }
}

/// One member `key: value` of a JSON object.
pub(super) fn clean_member(
    cx: &mut Cx,
    loc: &str,
    key: &str,
    v: &mut Node,
    in_token: bool,
) -> bool {
    if rules::is_secret_name(key) {
        let new = match v {
            Node::Str(s) if rules::is_secret_value(key, s) => secret_value(cx, loc, key, s, MARKER),
            Node::Null | Node::Str(_) | Node::Bool(_) => return false,
            Node::Arr(a) if a.is_empty() => return false,
            _ => {
                cx.note(loc, key, Action::Removed, "", MARKER);
                MARKER.to_string()
            }
        };
        let changed = v.as_str() != Some(new.as_str());
        *v = Node::Str(new);
        return changed;
    }
    if let Some(kind) = rules::personal_kind(key, in_token) {
        if cx.pseudo.is_some() {
            let mut changed = false;
            let mut one = |n: &mut Node| {
                if let Node::Str(s) = n {
                    if let Some(p) = cx.pseudonym(loc, key, kind, s) {
                        *s = p;
                        changed = true;
                    }
                }
            };
            match v {
                Node::Arr(items) => items.iter_mut().for_each(&mut one),
                n => one(n),
            }
            return changed;
        }
    }
    clean_json(cx, loc, key, v, in_token)
}

/// The string under `key`, cleaned by `f`; whether it changed.
fn clean_str(node: &mut Node, key: &str, f: impl FnOnce(&str) -> Option<String>) -> bool {
    let Some(Node::Str(s)) = node.get_mut(key) else {
        return false;
    };
    match f(s) {
        Some(n) => {
            *s = n;
            true
        }
        None => false,
    }
}

/// Mark a size field unknown after its part changed.
fn unknown_size(node: &mut Node, key: &str) {
    if node.get(key).is_some() {
        node.set(key, Node::Num((-1).into()));
    }
}

/// Clean one entry in place.
pub(super) fn clean_entry(cx: &mut Cx, entry: &mut Node) {
    let Node::Obj(members) = entry else { return };
    for (k, v) in members.iter_mut() {
        match k.as_str() {
            "request" | "response" => clean_message(cx, k == "request", v),
            "serverIPAddress" => {
                if let Node::Str(s) = v {
                    if let Some(p) = cx.pseudonym(
                        "serverIPAddress",
                        "serverIPAddress",
                        super::pseudo::Personal::Ip,
                        s,
                    ) {
                        *s = p;
                    }
                }
            }
            _ => {
                clean_member(cx, k, k, v, false);
            }
        }
    }
}

/// A request or a response.
fn clean_message(cx: &mut Cx, request: bool, m: &mut Node) {
    let side = if request { "request" } else { "response" };
    let Node::Obj(members) = m else { return };
    let (mut headers_changed, mut body_changed) = (false, false);
    for (k, v) in members.iter_mut() {
        let loc = format!("{side}.{k}");
        match k.as_str() {
            "url" | "redirectURL" => {
                if let Node::Str(s) = v {
                    if let Some(n) = clean_url(cx, &loc, s) {
                        *s = n;
                    }
                }
            }
            "headers" => headers_changed |= each_pair(v, |p| clean_header(cx, &loc, p)),
            "cookies" => headers_changed |= each_pair(v, |p| clean_cookie(cx, &loc, p)),
            "queryString" => {
                each_pair(v, |p| clean_param(cx, &loc, p));
            }
            "postData" => {
                let mime = v
                    .get("mimeType")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string();
                body_changed |= clean_str(v, "text", |t| clean_body(cx, &loc, &mime, t));
                if let Some(params) = v.get_mut("params") {
                    body_changed |= each_pair(params, |p| clean_param(cx, &loc, p));
                }
            }
            "content" => body_changed |= clean_content(cx, &loc, v),
            "headersSize" | "bodySize" | "status" | "statusText" | "method" | "httpVersion" => {}
            _ => {
                clean_member(cx, &loc, k, v, false);
            }
        }
    }
    if headers_changed {
        unknown_size(m, "headersSize");
    }
    if body_changed {
        unknown_size(m, "bodySize");
    }
}

/// Run `f` on every object of an array of `{name, value}` pairs.
fn each_pair(list: &mut Node, mut f: impl FnMut(&mut Node) -> bool) -> bool {
    let Node::Arr(items) = list else { return false };
    let mut changed = false;
    for i in items.iter_mut().filter(|i| matches!(i, Node::Obj(_))) {
        changed |= f(i);
    }
    changed
}

fn name_of(pair: &Node) -> String {
    pair.get("name")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string()
}

/// One header.
fn clean_header(cx: &mut Cx, loc: &str, h: &mut Node) -> bool {
    let name = name_of(h);
    let changed = clean_str(h, "value", |value| match rules::header_class(&name) {
        Header::Cookie => cookie_values(cx, loc, &name, value, false),
        Header::SetCookie => cookie_values(cx, loc, &name, value, true),
        Header::Credential => {
            // Keep the scheme (`Bearer`, `Basic`, `PoP`): it says what kind of call it was.
            let (scheme, cred) = match value.split_once(' ') {
                Some((s, c)) if s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
                    (format!("{s} "), c)
                }
                _ => (String::new(), value),
            };
            let new = format!("{scheme}{}", secret_value(cx, loc, &name, cred, MARKER));
            (new != value).then_some(new)
        }
        Header::Challenge => {
            let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
            // SPNEGO, NTLM and Kerberos challenges carry a blob of the handshake.
            if ["negotiate", "ntlm", "kerberos"].contains(&scheme.to_ascii_lowercase().as_str())
                && !rest.is_empty()
            {
                cx.note(loc, &name, Action::Removed, rest, MARKER);
                Some(format!("{scheme} {MARKER}"))
            } else {
                clean_text(cx, loc, &name, value)
            }
        }
        Header::Url => clean_url(cx, loc, value),
        Header::ClientIp if cx.pseudo.is_some() => {
            let mut changed = false;
            let parts: Vec<String> = value
                .split(',')
                .map(|ip| {
                    let t = ip.trim();
                    match cx.pseudonym(loc, &name, super::pseudo::Personal::Ip, t) {
                        Some(p) => {
                            changed = true;
                            ip.replace(t, &p)
                        }
                        None => ip.to_string(),
                    }
                })
                .collect();
            changed.then(|| parts.join(","))
        }
        Header::ClientIp | Header::Other => clean_text(cx, loc, &name, value),
    });
    changed
}

/// `Cookie: a=1; b=2` and `Set-Cookie: a=1; Path=/; Secure` (one cookie a
/// line, as some exporters join them): values go, names and attributes stay.
fn cookie_values(cx: &mut Cx, loc: &str, header: &str, value: &str, set: bool) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    for (n, line) in value.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        for (i, part) in line.split(';').enumerate() {
            if i > 0 {
                out.push(';');
            }
            let is_cookie = !set || i == 0;
            match part.split_once('=') {
                Some((k, v)) if is_cookie && !v.trim().is_empty() && v.trim() != URL_MARKER => {
                    let field = format!("{header} {}", k.trim());
                    cx.note(loc, &field, Action::Removed, v.trim(), URL_MARKER);
                    out.push_str(k);
                    out.push('=');
                    out.push_str(URL_MARKER);
                }
                _ => out.push_str(part),
            }
        }
    }
    (out != value).then_some(out)
}

/// One `cookies` array element: its value goes.
fn clean_cookie(cx: &mut Cx, loc: &str, c: &mut Node) -> bool {
    let name = name_of(c);
    clean_str(c, "value", |v| {
        (!v.is_empty() && v != MARKER).then(|| {
            cx.note(loc, &name, Action::Removed, v, MARKER);
            MARKER.to_string()
        })
    })
}

/// One `queryString` or `postData.params` element.
fn clean_param(cx: &mut Cx, loc: &str, p: &mut Node) -> bool {
    let name = name_of(p);
    let Some(v) = p.get_mut("value") else {
        return false;
    };
    clean_member(cx, loc, &name, v, false)
}

/// Whether a MIME type is text we can read.
fn is_text(mime: &str) -> bool {
    let m = mime.to_ascii_lowercase();
    m.is_empty()
        || m.starts_with("text/")
        || [
            "json",
            "xml",
            "html",
            "javascript",
            "ecmascript",
            "x-www-form-urlencoded",
            "csv",
            "yaml",
        ]
        .iter()
        .any(|t| m.contains(t))
}

/// A request or response body in its format.
fn clean_body(cx: &mut Cx, loc: &str, mime: &str, text: &str) -> Option<String> {
    let m = mime.to_ascii_lowercase();
    let trimmed = text.trim_start();
    if m.contains("json") || trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(mut node) = serde_json::from_str::<Node>(text) {
            return clean_json(cx, loc, "body", &mut node, false)
                .then(|| serde_json::to_string(&node).unwrap_or_default());
        }
    }
    if m.contains("x-www-form-urlencoded") {
        return clean_pairs(cx, loc, text);
    }
    clean_text(cx, loc, "body", text)
}

/// Bodies in a binary encoding this large are not decoded to look for text.
const MAX_BINARY_PROBE: usize = 64 << 10;

/// `response.content`: text, or base64 (decoded, cleaned, encoded again).
fn clean_content(cx: &mut Cx, loc: &str, content: &mut Node) -> bool {
    let mime = content
        .get("mimeType")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let base64 = content
        .get("encoding")
        .and_then(Node::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
    let entry = cx.entry.unwrap_or(0);
    let mut new_size = None;
    let changed = clean_str(content, "text", |text| {
        if !base64 {
            let new = clean_body(cx, loc, &mime, text)?;
            new_size = Some(new.len());
            return Some(new);
        }
        if !is_text(&mime) && text.len() > MAX_BINARY_PROBE {
            cx.report.not_inspected(
                entry,
                loc,
                format!("binary body ({mime}, base64), left as it was"),
            );
            return None;
        }
        let Some(bytes) = decode_base64(text) else {
            // Some exporters mark plain text as base64; clean it as it is.
            return clean_body(cx, loc, &mime, text);
        };
        let Ok(decoded) = std::str::from_utf8(&bytes) else {
            cx.report.not_inspected(
                entry,
                loc,
                format!("body that is not text ({mime}, base64), left as it was"),
            );
            return None;
        };
        let l = format!("{loc} (base64)");
        let new = clean_body(cx, &l, &mime, decoded)?;
        new_size = Some(new.len());
        Some(encode_base64(new.as_bytes(), false))
    });
    if let Some(size) = new_size {
        content.set("size", Node::Num(size.into()));
    }
    // `comment` and exporter fields next to the body.
    if let Node::Obj(members) = content {
        for (k, v) in members.iter_mut() {
            if !["text", "mimeType", "encoding", "size", "compression"].contains(&k.as_str()) {
                clean_member(cx, loc, k, v, false);
            }
        }
    }
    changed
}
