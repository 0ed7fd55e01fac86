//! Which names carry secrets or personal data, and why.
//!
//! Names are compared folded: lower case, with `_`, `-` and `.` dropped, so
//! `flowToken`, `flow_token` and `FLOWTOKEN` are one name.
//!
//! Secrets (always removed):
//! - OAuth and OIDC: `code` (authorization code; see [`is_secret_value`]),
//!   `access_token`, `refresh_token`, `id_token`, `client_secret`,
//!   `client_assertion`, `assertion`, `code_verifier`, `device_code`,
//!   `user_code`, SAML `SAMLResponse`, WS-Federation `wresult`.
//! - What a user types: `password`, `passwd`, `pwd`, `otc` (one-time code).
//! - Entra's sign-in page state: `flowToken` and its `$Config` name `sFT`,
//!   MSA's `PPFT`, `canary`/`apiCanary`, and `ctx`/`sCtx` (the encrypted
//!   request context; together with a flow token it resumes a sign-in, and
//!   it means nothing to people).
//! - Session cookies: every cookie value of every name (`ESTSAUTH`,
//!   `ESTSAUTHPERSISTENT`, `ESTSAUTHLIGHT`, `buid`, `fpc`, app cookies): a
//!   cookie's name is kept, its value is not.
//! - Any name ending in `token`, `secret`, `password`, `passwd`,
//!   `assertion`, `credential(s)`, `cookie`, `canary` or `key`, or starting
//!   with `estsauth`. `token_type` and `token_endpoint` do not end in
//!   `token` and stay.
//!
//! Kept on purpose (diagnostics, not credentials): `state`, `nonce`,
//! `session_state`, `sso_nonce`, `sessionId` (ESTS's session correlation
//! ID), `client_id`, `redirect_uri`, `scope`, `claims`, trace, correlation and
//! request IDs, and `code` when it is an error code (`code=50076` in an
//! `error_uri`, Graph's `"code":"InvalidAuthenticationToken"`).
//!
//! Headers are removed by name more broadly: anything containing `token`,
//! `secret`, `auth`, `credential`, `session`, `cookie`, `password`,
//! `csrf`/`xsrf`, or ending in `key`, except the CORS and HTTP/2 names that
//! merely mention them and the challenges (`WWW-Authenticate`), which are
//! kept with their tokens cut out.

use super::pseudo::Personal;

/// What replaces a removed value in a header, JSON string or cookie.
pub const MARKER: &str = "[removed by aadsts sanitize]";
/// What replaces a removed value inside a URL, form body or free text, and a
/// JWT's signature: only characters that need no escaping there, so the
/// result still parses as the same URL, form or JWT.
pub const URL_MARKER: &str = "removed-by-aadsts-sanitize";

/// A name folded for comparison.
pub fn fold(name: &str) -> String {
    name.bytes()
        .filter(|b| !matches!(b, b'_' | b'-' | b'.'))
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

const SECRET_NAMES: &[&str] = &[
    // OAuth, OIDC, SAML, WS-Fed.
    "code",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "clientsecret",
    "clientassertion",
    "assertion",
    "codeverifier",
    "devicecode",
    "usercode",
    "samlresponse",
    "wresult",
    // Typed by the user.
    "password",
    "passwd",
    "pwd",
    "otc",
    "newpassword",
    // Entra and MSA sign-in page state.
    "flowtoken",
    "sft",
    "ppft",
    "canary",
    "apicanary",
    "ctx",
    "sctx",
    "esctx",
];

const SECRET_ENDINGS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "assertion",
    "credential",
    "credentials",
    "cookie",
    "canary",
    "key",
];

/// Whether a parameter, JSON key, form field or hidden input of this name holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let f = fold(name);
    !f.is_empty()
        && (SECRET_NAMES.contains(&f.as_str())
            || f.starts_with("estsauth")
            || SECRET_ENDINGS.iter().any(|e| f.ends_with(e)))
}

/// Whether `value` under the secret name `name` must go. Only `code` has an
/// exception: a number (`code=50076` in an `error_uri`) or a word without
/// digits (Graph's `InvalidAuthenticationToken`) is an error code, not an
/// authorization code (those run to hundreds of characters, digits included).
pub fn is_secret_value(name: &str, value: &str) -> bool {
    if value.is_empty() || value == MARKER || value == URL_MARKER {
        return false;
    }
    let b = value.as_bytes();
    let number = b.len() <= 10 && b.iter().all(u8::is_ascii_digit);
    let word = b.len() <= 64
        && b.iter()
            .all(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'.');
    !(fold(name) == "code" && (number || word))
}

/// How a header is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Header {
    Cookie,
    SetCookie,
    /// The whole value is a credential (after an auth scheme, if any).
    Credential,
    /// A challenge: keep error and claims, cut tokens.
    Challenge,
    /// The value is a URL.
    Url,
    /// The value lists client IP addresses.
    ClientIp,
    Other,
}

/// Header names that mention a secret word but carry none.
const HEADERS_KEPT: &[&str] = &[
    ":authority",
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "access-control-request-headers",
    "sec-fetch-user",
];

/// The class of a header by its name.
pub fn header_class(name: &str) -> Header {
    let n = name.trim().to_ascii_lowercase();
    match n.as_str() {
        "cookie" => return Header::Cookie,
        "set-cookie" | "set-cookie2" => return Header::SetCookie,
        "www-authenticate" | "proxy-authenticate" => return Header::Challenge,
        // HTTP/2's `:path` is the request URL's path and query: read it as one,
        // so its parameters are decoded (and pseudonymized) like the URL's.
        "location" | "referer" | "content-location" | "origin" | ":path" => return Header::Url,
        "x-forwarded-for" | "x-real-ip" | "x-client-ip" | "true-client-ip" | "cf-connecting-ip"
        | "x-originating-ip" | "forwarded" => return Header::ClientIp,
        _ => {}
    }
    if HEADERS_KEPT.contains(&n.as_str()) {
        return Header::Other;
    }
    let secret = [
        "token",
        "secret",
        "auth",
        "credential",
        "session",
        "cookie",
        "password",
        "csrf",
        "xsrf",
        "signature",
    ]
    .iter()
    .any(|w| n.contains(w))
        || n.ends_with("key");
    if secret {
        Header::Credential
    } else {
        Header::Other
    }
}

/// The kind of personal data a JSON key, claim or parameter holds, for `--pseudonymize`.
/// `in_token` widens it to claims (`name`, `sub`) that are too common elsewhere.
pub fn personal_kind(name: &str, in_token: bool) -> Option<Personal> {
    let f = fold(name);
    Some(match f.as_str() {
        "email" | "mail" | "emails" | "upn" | "userprincipalname" | "preferredusername"
        | "uniquename" | "loginhint" | "username" | "loginfmt" | "login" | "spostusername"
        | "signinname" | "xanchormailbox" => Personal::Email,
        "givenname" | "familyname" | "surname" | "displayname" | "sdisplayname" | "fullname"
        | "firstname" | "lastname" | "nickname" => Personal::Name,
        "name" if in_token => Personal::Name,
        "oid" | "objectid" | "userobjectid" | "useroid" | "tid" | "tenantid" | "utid" | "uid"
        | "homeaccountid" => Personal::Guid,
        "sub" | "puid" | "altsecid" if in_token => Personal::Opaque,
        "ipaddr" | "ip" | "ipaddress" | "clientip" | "sourceip" | "remoteip"
        | "serveripaddress" => Personal::Ip,
        _ => return None,
    })
}

/// A long opaque token under a name we do not know: MSAL refresh tokens and
/// v2 codes (`0.A…`, `1.A…`) and ESTS's encrypted blobs (`AQABAA…`). The
/// length keeps short IDs and words out.
pub fn looks_like_opaque_token(value: &str) -> bool {
    let v = value.as_bytes();
    let prefixed = v.starts_with(b"0.A") || v.starts_with(b"1.A") || v.starts_with(b"AQABAA");
    prefixed && v.len() >= 64 && v.iter().all(|b| is_token_byte(*b))
}

/// The bytes tokens are made of (base64, base64url, and the `.*!$` MSA uses).
pub fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_' | b'.' | b'+' | b'/' | b'=' | b'*' | b'!' | b'$' | b'%'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for s in [
            "flowToken",
            "PPFT",
            "sFT",
            "ESTSAUTHPERSISTENT",
            "x-ms-RefreshTokenCredential",
            "client_secret",
            "apiCanary",
            "Passwd",
            "csrf_token",
        ] {
            assert!(is_secret_name(s), "{s}");
        }
        for s in [
            "token_type",
            "sessionId",
            "state",
            "client_id",
            "sFTName",
            "correlationId",
            "error_codes",
        ] {
            assert!(!is_secret_name(s), "{s}");
        }
        assert!(!is_secret_value("code", "50076"));
        assert!(!is_secret_value("code", "InvalidAuthenticationToken"));
        assert!(is_secret_value("code", "0.AXoA-long-code"));
        assert_eq!(header_class("X-MS-Token-AAD-Id-Token"), Header::Credential);
        assert_eq!(header_class("x-csrf-token"), Header::Credential);
        assert_eq!(header_class(":authority"), Header::Other);
        assert_eq!(header_class("x-ms-request-id"), Header::Other);
        assert_eq!(header_class("x-ms-ests-server"), Header::Other);
        assert_eq!(
            header_class("Ocp-Apim-Subscription-Key"),
            Header::Credential
        );
        assert!(looks_like_opaque_token(&format!("1.A{}", "x".repeat(80))));
        assert!(!looks_like_opaque_token(
            "0a1b2c3d-0000-4e5f-8a9b-001122334455"
        ));
    }
}
