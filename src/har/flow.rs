//! Which entries of a capture belong to sign-in, and what step each one is.
//!
//! The labels come from the hosts and paths Entra's sign-in uses (authorize,
//! GetCredentialType, the credential post, SAS Begin/End/ProcessAuth for
//! MFA, KMSI, consent, the token endpoint) plus the app's own redirect URI,
//! learned from the authorize requests earlier in the same capture.

use crate::detect::decode::hex;
use serde::Serialize;

/// One sign-in entry on the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct FlowStep {
    pub entry: usize,
    pub started: String,
    pub method: String,
    pub host: String,
    pub path: String,
    pub status: u16,
    /// What this request is in the sign-in (`authorize`, `MFA begin`, ...).
    pub step: &'static str,
    /// True on the first entry where sign-in failed.
    pub failing: bool,
    /// AADSTS codes seen in this entry.
    pub codes: Vec<u32>,
    /// Request facts that explain errors: client_id, tenant, redirect_uri, scope, ...
    pub facts: Vec<(String, String)>,
}

const SIGNIN_HOSTS: &[&str] = &[
    "login.microsoftonline.com",
    "login.microsoft.com",
    "login.windows.net",
    "login.live.com",
    "sts.windows.net",
    "device.login.microsoftonline.com",
    "autologon.microsoftazuread-sso.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
    "microsoft.com",
];

/// The parameters worth showing next to an error.
pub const FACT_PARAMS: &[&str] = &[
    "client_id",
    "redirect_uri",
    "scope",
    "resource",
    "prompt",
    "response_type",
    "response_mode",
    "login_hint",
    "domain_hint",
    "claims",
    "grant_type",
];

/// Split a URL into (host, path, query, fragment), without allocation.
pub fn split_url(url: &str) -> (&str, &str, &str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    (host, path, query, fragment)
}

/// Split a URL into what comes before its query, the query, and the fragment.
pub fn split_parts(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_frag, frag) = url
        .split_once('#')
        .map_or((url, None), |(a, b)| (a, Some(b)));
    let (base, query) = before_frag
        .split_once('?')
        .map_or((before_frag, None), |(a, b)| (a, Some(b)));
    (base, query, frag)
}

/// Decode `a=b&c=d` (percent and plus) into pairs.
pub fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a host is part of Entra / Microsoft account sign-in.
pub fn is_signin_host(host: &str, path: &str) -> bool {
    let h = host.to_ascii_lowercase();
    if h.ends_with(".b2clogin.com") || path.to_ascii_lowercase().starts_with("/adfs/") {
        return true;
    }
    if h == "microsoft.com" || h == "www.microsoft.com" {
        return path.to_ascii_lowercase().starts_with("/devicelogin");
    }
    SIGNIN_HOSTS.contains(&h.as_str())
}

/// The step label for a sign-in request.
pub fn label(method: &str, host: &str, path: &str) -> &'static str {
    let p = path.to_ascii_lowercase();
    let has = |s: &str| p.contains(s);
    if has("/oauth2/authorize") || has("/oauth2/v2.0/authorize") {
        "authorize"
    } else if has("/oauth2/token") || has("/oauth2/v2.0/token") {
        "token redemption"
    } else if has("/oauth2/devicecode")
        || has("/oauth2/v2.0/devicecode")
        || has("/devicelogin")
        || has("/deviceauth")
    {
        "device code sign-in"
    } else if has("/.well-known/") || has("/discovery/instance") || has("/discovery/keys") {
        "metadata"
    } else if has("getcredentialtype") || has("/userrealm") || has("/common/discovery") {
        "home-realm discovery"
    } else if has("/sas/beginauth") {
        "MFA begin"
    } else if has("/sas/endauth") {
        "MFA end"
    } else if has("/sas/processauth") {
        "MFA process"
    } else if has("/kmsi") {
        "keep me signed in"
    } else if has("/consent") {
        "consent"
    } else if has("/adfs/ls") || has("/adfs/oauth2") {
        "federated sign-in (AD FS)"
    } else if has("/logout") {
        "sign-out"
    } else if has("/.well-known/") || has("/discovery/") {
        "metadata"
    } else if has("/reprocess") {
        "reprocess"
    } else if has("/error") {
        "error page"
    } else if has("/login.srf")
        || has("/ppsecure/post.srf")
        || ((p.ends_with("/login") || has("/login?")) && method.eq_ignore_ascii_case("POST"))
    {
        "credential post"
    } else if host.to_ascii_lowercase().ends_with(".b2clogin.com") {
        "B2C sign-in"
    } else {
        "sign-in page"
    }
}

/// The tenant segment of an Entra URL path (`/contoso.onmicrosoft.com/oauth2/...`).
pub fn tenant_of(path: &str) -> Option<&str> {
    let first = path.trim_start_matches('/').split('/').next()?;
    let known = ["common", "organizations", "consumers"];
    let looks = known.contains(&first)
        || first.contains('.')
        || (first.len() == 36 && first.matches('-').count() == 4);
    (looks && !first.is_empty()).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_the_steps() {
        let rows = [
            (
                "GET",
                "login.microsoftonline.com",
                "/contoso.com/oauth2/v2.0/authorize",
                "authorize",
            ),
            (
                "POST",
                "login.microsoftonline.com",
                "/common/GetCredentialType",
                "home-realm discovery",
            ),
            (
                "POST",
                "login.microsoftonline.com",
                "/contoso.com/login",
                "credential post",
            ),
            (
                "POST",
                "login.microsoftonline.com",
                "/common/SAS/BeginAuth",
                "MFA begin",
            ),
            (
                "POST",
                "login.microsoftonline.com",
                "/kmsi",
                "keep me signed in",
            ),
            (
                "POST",
                "login.microsoftonline.com",
                "/common/oauth2/v2.0/token",
                "token redemption",
            ),
        ];
        for (m, h, p, want) in rows {
            assert_eq!(label(m, h, p), want, "{p}");
        }
        assert!(is_signin_host("LOGIN.microsoftonline.com", "/"));
        assert!(is_signin_host("contoso.b2clogin.com", "/"));
        assert!(is_signin_host("sts.contoso.com", "/adfs/ls/"));
        assert!(!is_signin_host(
            "aadcdn.msftauth.net",
            "/shared/1.0/content/js/ConvergedLogin.js"
        ));
    }

    #[test]
    fn splits_urls_and_forms() {
        assert_eq!(
            split_url("https://login.microsoftonline.com/common/oauth2/authorize?client_id=a#x=1"),
            (
                "login.microsoftonline.com",
                "/common/oauth2/authorize",
                "client_id=a",
                "x=1"
            )
        );
        assert_eq!(
            form_pairs("a=b+c&d=%3A%zz"),
            vec![("a".into(), "b c".into()), ("d".into(), ":%zz".into())]
        );
        assert_eq!(
            tenant_of("/contoso.onmicrosoft.com/oauth2/token"),
            Some("contoso.onmicrosoft.com")
        );
        assert_eq!(tenant_of("/kmsi"), None);
    }
}
