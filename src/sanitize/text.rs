//! Cleaning text whose format is only partly known: URLs, query strings and
//! form bodies, header values, HTML sign-in pages with hidden inputs and a
//! `$Config={…}` script, and any string inside a JSON body.
//!
//! Free text is read lexically, never rewritten whole: `name=value`,
//! `"name": "value"` and `<input name=… value=…>` pairs whose name is a
//! secret lose their value, any JWT loses its signature, long opaque
//! token-shaped values lose themselves, and with pseudonymizing on, e-mail
//! addresses, IPv4 addresses and already-pseudonymized GUIDs are replaced.
//! Everything else stays byte for byte, so error texts, trace IDs and
//! timestamps survive for the analyzer.

use super::entry::clean_json;
use super::pseudo::{is_guid, Personal};
use super::report::{Action, Cx};
use super::rules::{self, URL_MARKER};
use crate::har::{decode_base64, encode_base64, flow, jwt};
use crate::json::Node;
use memchr::{memchr3_iter, memchr_iter, memmem};

/// One replacement in a text: `start..end` becomes `with`.
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// Apply edits (sorted by start; an edit overlapping an earlier one is dropped).
fn apply(text: &str, mut edits: Vec<Edit>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    crate::order::sort_by_u64(&mut edits, |e| e.start as u64);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.start < at {
            continue;
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.with);
        at = e.end;
    }
    out.push_str(&text[at..]);
    (out != text).then_some(out)
}

/// Chain a cleaning step: run `f` on the current text, keep its result if it changed anything.
fn step(cur: &mut Option<String>, orig: &str, f: impl FnOnce(&str) -> Option<String>) {
    let now = cur.as_deref().unwrap_or(orig);
    if let Some(n) = f(now) {
        *cur = Some(n);
    }
}

/// What stands in for a secret value: a JWT keeps its header and claims
/// (cleaned) and loses its signature; anything else becomes `marker`.
pub(super) fn secret_value(
    cx: &mut Cx,
    loc: &str,
    field: &str,
    value: &str,
    marker: &str,
) -> String {
    let t = value.trim();
    if jwt::find(t) == [t] {
        if let Some(s) = strip_jwts(cx, loc, field, t) {
            return s;
        }
        if t.ends_with(URL_MARKER) {
            return t.to_string();
        }
    }
    cx.note(loc, field, Action::Removed, t, marker);
    marker.to_string()
}

/// Every JWT in `text` loses its signature; its claims are cleaned like a JSON
/// body (secret claims removed, personal ones pseudonymized) and re-encoded.
pub(super) fn strip_jwts(cx: &mut Cx, loc: &str, field: &str, text: &str) -> Option<String> {
    memmem::find(text.as_bytes(), b"eyJ")?;
    let base = text.as_ptr() as usize;
    let mut edits = Vec::new();
    for raw in jwt::find(text) {
        let start = raw.as_ptr() as usize - base;
        let mut parts = raw.splitn(3, '.');
        let (h, p, sig) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let mut claims = p.to_string();
        if let Some(mut node) =
            decode_base64(p).and_then(|b| serde_json::from_slice::<Node>(&b).ok())
        {
            if clean_json(cx, &format!("{loc} (JWT claims)"), field, &mut node, true) {
                claims = encode_base64(
                    serde_json::to_string(&node).unwrap_or_default().as_bytes(),
                    true,
                );
            }
        }
        if sig == URL_MARKER && claims == p {
            continue;
        }
        if sig != URL_MARKER {
            cx.note(loc, field, Action::SignatureRemoved, sig, URL_MARKER);
        }
        edits.push(Edit {
            start,
            end: start + raw.len(),
            with: format!("{h}.{claims}.{URL_MARKER}"),
        });
    }
    apply(text, edits)
}

/// Percent-encode what a query or form value cannot hold as it is.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `a=b&c=d` (a query, a fragment, a form body): secret values go, personal
/// ones are pseudonymized, the rest is cleaned as text after decoding.
pub(super) fn clean_pairs(cx: &mut Cx, loc: &str, text: &str) -> Option<String> {
    let mut edits = Vec::new();
    let mut at = 0;
    for pair in text.split('&') {
        let start = at;
        at += pair.len() + 1;
        let Some((k, v)) = pair.split_once('=') else {
            continue;
        };
        let vstart = start + k.len() + 1;
        let name = flow::percent_decode(k);
        let value = flow::percent_decode(v);
        let new = if rules::is_secret_name(&name) && rules::is_secret_value(&name, &value) {
            Some(percent_encode(&secret_value(
                cx, loc, &name, &value, URL_MARKER,
            )))
        } else if let Some(kind) = rules::personal_kind(&name, false) {
            cx.pseudonym(loc, &name, kind, &value)
                .map(|p| percent_encode(&p))
        } else if rules::looks_like_opaque_token(&value) {
            cx.note(loc, &name, Action::Removed, &value, URL_MARKER);
            Some(URL_MARKER.to_string())
        } else {
            clean_text(cx, loc, &name, &value).map(|c| percent_encode(&c))
        };
        if let Some(with) = new {
            edits.push(Edit {
                start: vstart,
                end: vstart + v.len(),
                with,
            });
        }
    }
    apply(text, edits)
}

/// A URL: user info, tenant GUIDs in the path (pseudonymizing), the query and the fragment.
pub(super) fn clean_url(cx: &mut Cx, loc: &str, url: &str) -> Option<String> {
    let (base, query, frag) = flow::split_parts(url);
    let mut out = String::new();
    let mut changed = false;
    // scheme://user:password@host/...: the user info goes.
    let (scheme, rest) = base.split_once("://").map_or(("", base), |(s, r)| (s, r));
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    if !scheme.is_empty() {
        out.push_str(scheme);
        out.push_str("://");
    }
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            cx.note(loc, "user info", Action::Removed, user, URL_MARKER);
            out.push_str(URL_MARKER);
            out.push('@');
            out.push_str(host);
            changed = true;
        }
        None => out.push_str(authority),
    }
    // Path segments that are GUIDs: a tenant (first segment) or an ID already pseudonymized.
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let known = cx.pseudo.as_deref().is_some_and(|p| p.is_known_guid(seg));
        let new = if is_guid(seg) && (i == 1 || known) {
            cx.pseudonym(
                &format!("{loc} path"),
                "tenant or object ID",
                Personal::Guid,
                seg,
            )
        } else {
            None
        };
        changed |= new.is_some();
        out.push_str(new.as_deref().unwrap_or(seg));
    }
    for (sep, part, what) in [('?', query, "query"), ('#', frag, "fragment")] {
        let Some(part) = part else { continue };
        out.push(sep);
        let l = format!("{loc} {what}");
        let new = if part.contains('=') {
            clean_pairs(cx, &l, part)
        } else {
            clean_text(cx, &l, what, part)
        };
        changed |= new.is_some();
        out.push_str(new.as_deref().unwrap_or(part));
    }
    changed.then_some(out)
}

/// Bytes that end an unquoted value in free text.
fn ends_value(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'&' | b'"'
                | b'\''
                | b'<'
                | b'>'
                | b';'
                | b','
                | b'\\'
                | b'#'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'|'
                | b'`'
        )
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$')
}

/// The end of a quoted value starting after the opening `quote` at `from`
/// (backslash escapes honoured, as in JavaScript and JSON).
fn quoted_end(b: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The value after `=` or `:` at `at`: its range, quoted or not.
fn value_at(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let q = *b.get(at)?;
    if q == b'"' || q == b'\'' {
        quoted_end(b, at + 1, q).map(|e| (at + 1, e))
    } else {
        let len = b[at..].iter().take_while(|c| !ends_value(**c)).count();
        Some((at, at + len))
    }
}

/// The key ending just before `end`: a run of key bytes (an escaped `&`
/// written `\u0026` in script is not part of it).
fn key_before(t: &str, end: usize) -> &str {
    let b = t.as_bytes();
    let start = end
        - b[..end]
            .iter()
            .rev()
            .take_while(|c| is_key_byte(**c))
            .count();
    let key = &t[start..end];
    match key.strip_prefix("u0026") {
        Some(k) if start > 0 && b[start - 1] == b'\\' => k,
        _ => key,
    }
}

/// Decide about one `name`/`value` pair found in free text.
fn pair_edit(
    cx: &mut Cx,
    loc: &str,
    t: &str,
    key: &str,
    (s, e): (usize, usize),
    edits: &mut Vec<Edit>,
) {
    let value = &t[s..e];
    let with = if rules::is_secret_name(key) && rules::is_secret_value(key, value) {
        Some(secret_value(cx, loc, key, value, URL_MARKER))
    } else if rules::looks_like_opaque_token(value) {
        cx.note(loc, key, Action::Removed, value, URL_MARKER);
        Some(URL_MARKER.to_string())
    } else if let Some(kind) = rules::personal_kind(key, false) {
        cx.pseudonym(loc, key, kind, value)
    } else {
        None
    };
    if let Some(with) = with {
        edits.push(Edit {
            start: s,
            end: e,
            with,
        });
    }
}

/// `name=value`, `"name": "value"` and `<input name="…" value="…">` pairs.
fn pair_edits(cx: &mut Cx, loc: &str, t: &str) -> Vec<Edit> {
    let b = t.as_bytes();
    let mut edits = Vec::new();
    for i in memchr3_iter(b'=', b':', b'<', b) {
        match b[i] {
            b'=' => {
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                let key = key_before(t, i);
                if key.is_empty() || next == b'=' || next == b'>' {
                    continue;
                }
                if let Some(r) = value_at(b, i + 1) {
                    pair_edit(cx, loc, t, key, r, &mut edits);
                }
            }
            b':' => {
                // "key": "value" or key: 'value' (JSON, script).
                let mut k_end = i;
                while k_end > 0 && b[k_end - 1].is_ascii_whitespace() {
                    k_end -= 1;
                }
                let quoted = k_end > 0 && matches!(b[k_end - 1], b'"' | b'\'');
                let key = key_before(t, if quoted { k_end - 1 } else { k_end });
                let mut v = i + 1;
                while v < b.len() && b[v].is_ascii_whitespace() {
                    v += 1;
                }
                if key.is_empty() || !matches!(b.get(v), Some(b'"' | b'\'')) {
                    continue;
                }
                if let Some(r) = value_at(b, v) {
                    pair_edit(cx, loc, t, key, r, &mut edits);
                }
            }
            _ => {
                if b.len() < i + 6 || !b[i + 1..i + 6].eq_ignore_ascii_case(b"input") {
                    continue;
                }
                let end = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e);
                let tag = &t[i..end];
                let attr = |name: &str| {
                    let tb = tag.as_bytes();
                    let mut from = 0;
                    while let Some(p) = memmem::find(&tb[from..], name.as_bytes()) {
                        let at = from + p;
                        let eq = at + name.len();
                        let before_ok = at > 0 && tb[at - 1].is_ascii_whitespace();
                        if before_ok && tb.get(eq) == Some(&b'=') {
                            return value_at(tb, eq + 1).map(|(s, e)| (i + s, i + e));
                        }
                        from = at + 1;
                    }
                    None
                };
                if let (Some((ns, ne)), Some(r)) = (attr("name"), attr("value")) {
                    pair_edit(cx, loc, t, &t[ns..ne], r, &mut edits);
                }
            }
        }
    }
    edits
}

/// `$Config={…};` in Entra's sign-in page: parsed, cleaned as JSON, written back.
fn clean_config(cx: &mut Cx, loc: &str, t: &str) -> Option<String> {
    let at = memmem::find(t.as_bytes(), b"$Config=")? + "$Config=".len();
    let mut stream = serde_json::Deserializer::from_str(&t[at..]).into_iter::<Node>();
    let mut node = stream.next()?.ok()?;
    let end = at + stream.byte_offset();
    if !clean_json(cx, &format!("{loc} $Config"), "$Config", &mut node, false) {
        return None;
    }
    // Keep `</script>` inside a string from closing the page's script.
    let json = serde_json::to_string(&node).ok()?.replace("</", "<\\/");
    Some(format!("{}{json}{}", &t[..at], &t[end..]))
}

/// Long opaque tokens standing anywhere in text (`0.A…`, `1.A…`, `AQABAA…`).
fn opaque_edits(cx: &mut Cx, loc: &str, t: &str) -> Vec<Edit> {
    let b = t.as_bytes();
    let mut edits = Vec::new();
    for needle in [&b"AQABAA"[..], b"0.A", b"1.A"] {
        for s in memmem::find_iter(b, needle) {
            if s > 0 && rules::is_token_byte(b[s - 1]) {
                continue;
            }
            let len = b[s..]
                .iter()
                .take_while(|c| rules::is_token_byte(**c))
                .count();
            if rules::looks_like_opaque_token(&t[s..s + len]) {
                let token = &t[s..s + len];
                cx.note(
                    loc,
                    "token-shaped value",
                    Action::Removed,
                    token,
                    URL_MARKER,
                );
                edits.push(Edit {
                    start: s,
                    end: s + len,
                    with: URL_MARKER.to_string(),
                });
            }
        }
    }
    edits
}

/// Personal data in free text, when pseudonymizing: e-mail addresses, IPv4
/// addresses (not version numbers after `/`), GUIDs already replaced elsewhere.
fn personal_edits(cx: &mut Cx, loc: &str, field: &str, t: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    if cx.pseudo.is_none() {
        return edits;
    }
    let b = t.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    for at in memchr_iter(b'@', b) {
        let s = at - b[..at].iter().rev().take_while(|c| local(**c)).count();
        let mut e = at + 1 + b[at + 1..].iter().take_while(|c| domain(**c)).count();
        while e > at + 1 && b[e - 1] == b'.' {
            e -= 1;
        }
        let dom = &t[at + 1..e];
        if s < at && dom.contains('.') && !dom.ends_with("example.invalid") {
            if let Some(p) = cx.pseudonym(loc, field, Personal::Email, &t[s..e]) {
                edits.push(Edit {
                    start: s,
                    end: e,
                    with: p,
                });
            }
        }
    }
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit()
            || (i > 0
                && (b[i - 1].is_ascii_alphanumeric()
                    || matches!(b[i - 1], b'.' | b'/' | b'-' | b'_')))
        {
            i += 1;
            continue;
        }
        let len = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .count();
        let cand = &t[i..i + len];
        let after_ok = b.get(i + len).map_or(true, |c| !c.is_ascii_alphanumeric());
        let octets: Vec<&str> = cand.split('.').collect();
        let ip = octets.len() == 4
            && octets
                .iter()
                .all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u16>().is_ok_and(|n| n <= 255));
        if ip && after_ok {
            if let Some(p) = cx.pseudonym(loc, field, Personal::Ip, cand) {
                edits.push(Edit {
                    start: i,
                    end: i + len,
                    with: p,
                });
            }
        }
        i += len;
    }
    for dash in memchr_iter(b'-', b) {
        let Some(s) = dash.checked_sub(8) else {
            continue;
        };
        let Some(g) = t.get(s..s + 36) else { continue };
        let bounded = (s == 0 || !b[s - 1].is_ascii_hexdigit())
            && b.get(s + 36).map_or(true, |c| !c.is_ascii_hexdigit());
        if bounded && is_guid(g) && cx.pseudo.as_deref().is_some_and(|p| p.is_known_guid(g)) {
            if let Some(p) = cx.pseudonym(loc, field, Personal::Guid, g) {
                edits.push(Edit {
                    start: s,
                    end: s + 36,
                    with: p,
                });
            }
        }
    }
    edits
}

/// Free text of any kind: `$Config`, secret pairs, JWTs, opaque tokens, and
/// personal data when pseudonymizing. `None` when nothing changed.
pub(super) fn clean_text(cx: &mut Cx, loc: &str, field: &str, text: &str) -> Option<String> {
    // Short words, numbers and IDs cannot hold anything this removes: skip them fast.
    if text.len() < 6 {
        return None;
    }
    let mut cur = None;
    if memmem::find(text.as_bytes(), b"$Config=").is_some() {
        step(&mut cur, text, |t| clean_config(cx, loc, t));
    }
    step(&mut cur, text, |t| apply(t, pair_edits(cx, loc, t)));
    step(&mut cur, text, |t| strip_jwts(cx, loc, field, t));
    step(&mut cur, text, |t| apply(t, opaque_edits(cx, loc, t)));
    step(&mut cur, text, |t| {
        apply(t, personal_edits(cx, loc, field, t))
    });
    cur
}
