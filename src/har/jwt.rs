//! Decode JWTs found in a capture, locally, without verifying signatures.
//!
//! Support engineers want to see what a token said (audience, tenant, how
//! the user authenticated, when it expires) next to the error. Only the
//! header and claims are decoded; the signature is never checked and never
//! reported, and the raw token is not kept.

use super::time;
use crate::json::Node;
use serde::Serialize;

/// A decoded token, as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Token {
    /// Which entry it was in, and where (`request header Authorization`, `response body`, ...).
    pub entry: usize,
    pub location: String,
    /// `id_token`, `access_token`, or `jwt` when it cannot be told.
    pub kind: &'static str,
    /// Always objects, in the token's own key order.
    pub header: Node,
    pub claims: Node,
    /// `iat`, `nbf`, `exp` as UTC date-times.
    pub times: Vec<(String, String)>,
    /// Whether it had expired when the capture saw it; absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired: Option<bool>,
    /// The key claims present, with what they mean.
    pub explained: Vec<(String, &'static str)>,
    pub notes: Vec<String>,
}

/// What the key claims mean (our words).
const CLAIMS: &[(&str, &str)] = &[
    ("aud", "Audience: the app or API the token is meant for."),
    ("iss", "Issuer: the tenant and endpoint (v1 sts.windows.net or v2 login.microsoftonline.com) that issued it."),
    ("tid", "Tenant ID of the directory that signed the user in."),
    ("oid", "Object ID of the user or service principal in that tenant."),
    ("sub", "Subject: a per-app identifier for the user."),
    ("upn", "User principal name (sign-in name)."),
    ("preferred_username", "The sign-in name shown to people; not guaranteed unique or stable."),
    ("unique_name", "A display form of the user's name (v1 tokens)."),
    ("appid", "Client ID of the app that requested the token (v1)."),
    ("azp", "Client ID of the app that requested the token (v2)."),
    ("amr", "How the user authenticated: pwd = password, mfa = multi-factor, rsa/ngcmfa/wia/fido = other methods."),
    ("acr", "Authentication context class: 1 when the user met MFA in some flows, 0 otherwise."),
    ("acrs", "Authentication context IDs (Conditional Access) that this token satisfies."),
    ("scp", "Delegated permissions (scopes) granted to the app for this user."),
    ("roles", "App roles granted to the user or to the app (application permissions)."),
    ("xms_cc", "Client capabilities: cp1 means the app can handle claims challenges (continuous access evaluation)."),
    ("deviceid", "ID of the registered device the sign-in came from."),
    ("idtyp", "Whether the token was issued to a user or an app."),
    ("ver", "Token format version (1.0 or 2.0)."),
    ("nonce", "A value the app sent to bind this ID token to its request."),
    ("ipaddr", "The IP address the sign-in came from."),
    ("auth_time", "When the user last authenticated interactively."),
];

/// Find JWTs in `text` (`eyJ…` header, `.`, `eyJ…` payload, `.`, signature).
pub fn find(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&bytes[from..], b"eyJ") {
        let start = from + p;
        let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
        let seg = |at: usize| bytes[at..].iter().take_while(|b| is_b64(b)).count();
        let h = seg(start);
        let ok = start + h < bytes.len()
            && bytes[start + h] == b'.'
            && bytes[start + h + 1..].starts_with(b"eyJ")
            && (start == 0 || !is_b64(&bytes[start - 1]));
        if ok && h >= 10 {
            let p_at = start + h + 1;
            let pl = seg(p_at);
            let mut end = p_at + pl;
            if bytes.get(end) == Some(&b'.') {
                end += 1 + seg(end + 1);
            }
            out.push(&text[start..end]);
            from = end;
        } else {
            from = start + 3;
        }
    }
    out
}

fn decode_part(s: &str) -> Option<Node> {
    // Base64url without padding; the decoder takes both alphabets.
    match serde_json::from_slice(&super::decode_base64(s)?).ok()? {
        object @ Node::Obj(_) => Some(object),
        _ => None,
    }
}

/// Decode one token seen in `entry` at `location`, at capture time `seen` (Unix seconds).
pub fn decode(raw: &str, entry: usize, location: &str, seen: Option<i64>) -> Option<Token> {
    let mut parts = raw.split('.');
    let header = decode_part(parts.next()?)?;
    let claims = decode_part(parts.next()?)?;
    let mut times = Vec::new();
    for k in ["iat", "nbf", "exp"] {
        if let Some(t) = claims.get(k).and_then(Node::as_i64) {
            times.push((k.to_string(), time::format_unix(t)));
        }
    }
    let exp = claims.get("exp").and_then(Node::as_i64);
    let expired = match (exp, seen) {
        (Some(e), Some(s)) => Some(e < s),
        _ => None,
    };
    let kind = if claims.get("nonce").is_some() || location.contains("id_token") {
        "id_token"
    } else if claims.get("scp").is_some()
        || claims.get("roles").is_some()
        || location.contains("Authorization")
    {
        "access_token"
    } else {
        "jwt"
    };
    let explained = CLAIMS
        .iter()
        .filter(|(k, _)| claims.get(k).is_some())
        .map(|(k, m)| (k.to_string(), *m))
        .collect();
    let mut notes = vec!["Decoded locally; the signature was not verified.".to_string()];
    if expired == Some(true) {
        notes.push("This token had already expired when the capture saw it.".into());
    }
    Some(Token {
        entry,
        location: location.to_string(),
        kind,
        header,
        claims,
        times,
        expired,
        explained,
        notes,
    })
}

/// The `amr` values of a token, if it has them.
pub fn amr(t: &Token) -> Vec<&str> {
    t.claims
        .get("amr")
        .and_then(Node::as_array)
        .map(|a| a.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // {"alg":"none","typ":"JWT"} . {"aud":"api://x","amr":["pwd"],"exp":1700000000,"tid":"t"} . sig
    const T: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOiJhcGk6Ly94IiwiYW1yIjpbInB3ZCJdLCJleHAiOjE3MDAwMDAwMDAsInRpZCI6InQifQ.c2ln";

    #[test]
    fn finds_and_decodes_without_verifying() {
        let text = format!("Authorization: Bearer {T}\r\n");
        let found = find(&text);
        assert_eq!(found, vec![T]);
        let t = decode(
            found[0],
            3,
            "request header Authorization",
            Some(1_700_000_100),
        )
        .unwrap();
        assert_eq!(t.claims["aud"], "api://x");
        assert_eq!(t.expired, Some(true));
        assert_eq!(amr(&t), vec!["pwd"]);
        assert!(t.notes[0].contains("not verified"));
        assert_eq!(t.kind, "access_token");
    }

    #[test]
    fn rejects_lookalikes() {
        assert!(find("eyJ.eyJ").is_empty());
        assert!(decode("eyJhbGciOiJub25lIn0.eyJub3Rqc29u.x", 0, "", None).is_none());
        assert!(find("xeyJhbGciOiJub25lIn0.eyJhIjoxfQ.s").is_empty());
    }
}
