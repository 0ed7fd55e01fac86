//! The HAR sanitizer: canaries planted in every place a credential can hide
//! must not survive (raw or after any decoding), the diagnostics must, the
//! analyzer must find the same errors before and after, and the output must
//! stay a valid HAR at every chunk size and after truncation.
//!
//! The canary table ([`PLACES`]) has one row per location; adding a place is
//! adding a row. The property test at the end reuses it with random secrets.
#![cfg(not(target_arch = "wasm32"))]

use aadsts_explainer::har::{decode_base64, encode_base64, jwt};
use aadsts_explainer::sanitize::rules;
use aadsts_explainer::{
    analyze_har, sanitize_har, HarSanitizer, Kind, SanitizeOptions, SanitizeReport,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

const TRACE: &str = "0a1b2c3d-0000-4e5f-8a9b-001122334455";
const CORR: &str = "9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff";
const STAMP: &str = "2024-05-06 07:08:09Z";
const CLIENT: &str = "11111111-2222-3333-4444-555555555555";
const REDIRECT: &str = "https%3A%2F%2Fapp.contoso.com%2Fsignin-oidc";
const SCOPE: &str = "openid%20profile%20offline_access";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OID: &str = "c0ffee00-1234-4abc-8def-0123456789ab";

fn b64url(s: &str) -> String {
    encode_base64(s.as_bytes(), true)
}

/// A JWT whose signature is `sig`, with personal claims.
fn jwt_with(sig: &str, extra: &str) -> String {
    let payload = format!(
        r#"{{"aud":"api://x","tid":"{TENANT}","oid":"{OID}","name":"Adele Vance","upn":"adele.vance@contoso.com","amr":["pwd"]{extra}}}"#
    );
    format!(
        "{}.{}.{sig}",
        b64url(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64url(&payload)
    )
}

/// The error every test entry answers with, and the request it is for.
fn base_entry(i: usize) -> Value {
    let body = json!({
        "error": "interaction_required",
        "error_description": format!("AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\r\nTrace ID: {TRACE}\r\nCorrelation ID: {CORR}\r\nTimestamp: {STAMP}"),
        "error_codes": [50076],
        "timestamp": STAMP,
        "trace_id": TRACE,
        "correlation_id": CORR
    });
    json!({
        "startedDateTime": format!("2024-05-06T07:08:{:02}.000Z", i % 60),
        "time": 120.5,
        "request": {
            "method": "POST",
            "url": format!("https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token?client_id={CLIENT}&redirect_uri={REDIRECT}&scope={SCOPE}"),
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "client-request-id", "value": CORR}, {"name": "User-Agent", "value": "Mozilla/5.0 Chrome/120.0.0.0"}],
            "queryString": [],
            "cookies": [],
            "headersSize": 400,
            "bodySize": 0
        },
        "response": {
            "status": 400,
            "statusText": "Bad Request",
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "x-ms-request-id", "value": TRACE}, {"name": "Content-Type", "value": "application/json"}],
            "cookies": [],
            "content": {"size": 10, "mimeType": "application/json", "text": body.to_string()},
            "redirectURL": "",
            "headersSize": 300,
            "bodySize": 10
        },
        "cache": {},
        "timings": {"send": 1, "wait": 100, "receive": 2}
    })
}

fn push(list: &mut Value, item: Value) {
    list.as_array_mut().unwrap().push(item);
}
fn req_header(e: &mut Value, name: &str, value: String) {
    push(
        &mut e["request"]["headers"],
        json!({"name": name, "value": value}),
    );
}
fn resp_header(e: &mut Value, name: &str, value: String) {
    push(
        &mut e["response"]["headers"],
        json!({"name": name, "value": value}),
    );
}
fn form(e: &mut Value, text: String) {
    e["request"]["postData"] =
        json!({"mimeType": "application/x-www-form-urlencoded", "text": text});
}
fn html(e: &mut Value, page: String) {
    let body = format!("<html><body>AADSTS50076 Trace ID: {TRACE} Correlation ID: {CORR} Timestamp: {STAMP}{page}</body></html>");
    e["response"]["content"] = json!({"size": body.len(), "mimeType": "text/html", "text": body});
}
fn json_body(e: &mut Value, extra: Value) {
    let mut body: Value =
        serde_json::from_str(e["response"]["content"]["text"].as_str().unwrap()).unwrap();
    body["nested"] = extra;
    e["response"]["content"]["text"] = Value::String(body.to_string());
}
fn html_escape(s: &str) -> String {
    s.replace('-', "&#45;")
}

type Plant = fn(&mut Value, &str);

/// Every place a credential can hide: (name, how to plant secret `s` in an entry).
const PLACES: &[(&str, Plant)] = &[
    ("authorization", |e, s| {
        req_header(e, "Authorization", format!("Bearer {s}"))
    }),
    ("proxy-authorization", |e, s| {
        req_header(e, "Proxy-Authorization", format!("Basic {s}"))
    }),
    ("prt-cookie-header", |e, s| {
        req_header(e, "x-ms-RefreshTokenCredential", s.into())
    }),
    ("device-credential", |e, s| {
        req_header(e, "x-ms-DeviceCredential", s.into())
    }),
    ("x-ms-token", |e, s| {
        req_header(e, "X-MS-TOKEN-AAD-ID-TOKEN", s.into())
    }),
    ("csrf-header", |e, s| {
        req_header(e, "X-CSRF-Token", s.into())
    }),
    ("api-key-header", |e, s| {
        req_header(e, "Ocp-Apim-Subscription-Key", s.into())
    }),
    ("cookie-header", |e, s| {
        req_header(e, "Cookie", format!("buid=0.AXoA; ESTSAUTH={s}; fpc=x"))
    }),
    ("cookie-header-persistent", |e, s| {
        req_header(e, "cookie", format!("ESTSAUTHPERSISTENT={s}"))
    }),
    ("set-cookie", |e, s| {
        resp_header(
            e,
            "Set-Cookie",
            format!("ESTSAUTHLIGHT={s}; path=/; secure; HttpOnly; SameSite=None"),
        )
    }),
    ("set-cookie-joined", |e, s| {
        resp_header(e, "set-cookie", format!("a=b; path=/\nsession={s}; path=/"))
    }),
    ("request-cookies", |e, s| {
        push(
            &mut e["request"]["cookies"],
            json!({"name": "ESTSAUTH", "value": s, "path": "/", "httpOnly": true}),
        )
    }),
    ("response-cookies", |e, s| {
        push(
            &mut e["response"]["cookies"],
            json!({"name": "MyAppSession", "value": s}),
        )
    }),
    ("query-code", |e, s| {
        let u = format!("{}&code={s}", e["request"]["url"].as_str().unwrap());
        e["request"]["url"] = u.into();
    }),
    ("query-access-token", |e, s| {
        let u = format!("{}&access_token={s}", e["request"]["url"].as_str().unwrap());
        e["request"]["url"] = u.into();
    }),
    ("query-string-array", |e, s| {
        push(
            &mut e["request"]["queryString"],
            json!({"name": "code", "value": s}),
        )
    }),
    ("fragment-token", |e, s| {
        let u = format!(
            "{}#access_token={s}&token_type=Bearer",
            e["request"]["url"].as_str().unwrap()
        );
        e["request"]["url"] = u.into();
    }),
    ("fragment-jwt", |e, s| {
        let u = format!(
            "{}#id_token={}&state=abc",
            e["request"]["url"].as_str().unwrap(),
            jwt_with(s, "")
        );
        e["request"]["url"] = u.into();
    }),
    ("user-info", |e, s| {
        e["request"]["url"] = format!("https://admin:{s}@proxy.contoso.com/x").into()
    }),
    ("redirect-url", |e, s| {
        e["response"]["redirectURL"] =
            format!("https://app.contoso.com/cb?code={s}&state=abc").into()
    }),
    ("location", |e, s| {
        resp_header(
            e,
            "Location",
            format!("https://app.contoso.com/cb?code={s}&session_state=x"),
        )
    }),
    ("referer", |e, s| {
        req_header(e, "Referer", format!("https://app.contoso.com/cb#code={s}"))
    }),
    ("form-refresh-token", |e, s| {
        form(
            e,
            format!("client_id={CLIENT}&grant_type=refresh_token&refresh_token={s}&scope={SCOPE}"),
        )
    }),
    ("form-client-secret", |e, s| {
        form(
            e,
            format!("client_id={CLIENT}&client_secret={s}&grant_type=client_credentials"),
        )
    }),
    ("form-client-assertion", |e, s| {
        form(
            e,
            format!("client_assertion_type=jwt-bearer&client_assertion={s}"),
        )
    }),
    ("form-assertion", |e, s| {
        form(e, format!("grant_type=jwt-bearer&assertion={s}"))
    }),
    ("form-code-verifier", |e, s| {
        form(e, format!("code=0.AXoAshort&code_verifier={s}"))
    }),
    ("form-device-code", |e, s| {
        form(e, format!("grant_type=device_code&device_code={s}"))
    }),
    ("form-passwd", |e, s| {
        form(
            e,
            format!("login=adele%40contoso.com&passwd={s}&flowToken=AQAB"),
        )
    }),
    ("form-password", |e, s| {
        form(e, format!("username=a&Password={s}"))
    }),
    ("form-flowtoken", |e, s| {
        form(e, format!("flowToken={s}&ctx=abc"))
    }),
    ("form-ppft", |e, s| form(e, format!("PPFT={s}&login=x"))),
    ("form-canary", |e, s| form(e, format!("canary={s}&i13=0"))),
    ("form-saml", |e, s| {
        form(e, format!("SAMLResponse={s}&RelayState=x"))
    }),
    ("form-id-token-post", |e, s| {
        form(
            e,
            format!("id_token={}&state=abc&session_state=x", jwt_with(s, "")),
        )
    }),
    (
        "form-params",
        |e, s| e["request"]["postData"] = json!({"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "PPFT", "value": s}, {"name": "login", "value": "x"}]}),
    ),
    (
        "form-params-canary",
        |e, s| e["request"]["postData"] = json!({"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "Canary", "value": s}]}),
    ),
    (
        "json-request-nested",
        |e, s| e["request"]["postData"] = json!({"mimeType": "application/json", "text": json!({"a": {"b": [{"refresh_token": s}]}}).to_string()}),
    ),
    ("json-response-nested", |e, s| {
        json_body(
            e,
            json!({"token": {"access_token": s, "token_type": "Bearer"}}),
        )
    }),
    ("json-api-canary", |e, s| {
        json_body(e, json!({"apiCanary": s}))
    }),
    ("json-password", |e, s| {
        json_body(e, json!([{"credentials": {"password": s}}]))
    }),
    ("json-jwt-unknown-name", |e, s| {
        json_body(e, json!({"blob": jwt_with(s, "")}))
    }),
    ("json-opaque-refresh-token", |e, s| {
        json_body(
            e,
            json!({"cached": format!("1.AXoA{s}{}", "Qk".repeat(40))}),
        )
    }),
    ("html-hidden-input", |e, s| {
        html(
            e,
            format!(
                r#"<form><input type="hidden" name="code" value="{}"/></form>"#,
                html_escape(s)
            ),
        )
    }),
    ("html-input-value-first", |e, s| {
        html(
            e,
            format!(r#"<input value="{s}" name="PPFT" type="hidden">"#),
        )
    }),
    ("html-form-post-id-token", |e, s| {
        html(
            e,
            format!(
                r#"<input type="hidden" name="id_token" value="{}" />"#,
                jwt_with(s, "")
            ),
        )
    }),
    ("config-sft", |e, s| {
        html(e, format!("<script>//<![CDATA[\n$Config={{\"sFT\":\"{s}\",\"sFTName\":\"flowToken\",\"sessionId\":\"{CORR}\"}};\n//]]></script>"))
    }),
    ("config-sctx", |e, s| {
        html(
            e,
            format!("<script>$Config={{\"sCtx\":\"{s}\",\"correlationId\":\"{CORR}\"}};</script>"),
        )
    }),
    ("config-canary", |e, s| {
        html(e, format!("<script>$Config={{\"canary\":\"{s}\",\"apiCanary\":\"{s}\",\"urlPost\":\"/common/login?ctx={s}\\u0026flowtoken=x\"}};</script>"))
    }),
    ("script-server-data", |e, s| {
        html(e, format!("<script>var ServerData = {{sFTTag:'<input type=\"hidden\" name=\"PPFT\" value=\"{s}\"/>'}};</script>"))
    }),
    ("base64-json-body", |e, s| {
        let body = json!({"refresh_token": s, "error": "invalid_grant", "error_description": format!("AADSTS50076: x Trace ID: {TRACE}")});
        e["response"]["content"] = json!({"size": 1, "mimeType": "application/json", "encoding": "base64", "text": encode_base64(body.to_string().as_bytes(), false)});
    }),
    ("base64-html-body", |e, s| {
        let body = format!("<input type=hidden name=code value={s}>AADSTS50076 Trace ID: {TRACE}");
        e["response"]["content"] = json!({"size": 1, "mimeType": "text/html; charset=utf-8", "encoding": "base64", "text": encode_base64(body.as_bytes(), false)});
    }),
    ("jwt-authorization", |e, s| {
        req_header(e, "Authorization", format!("Bearer {}", jwt_with(s, "")))
    }),
    ("jwt-claim-refresh-token", |e, s| {
        req_header(
            e,
            "Authorization",
            format!(
                "Bearer {}",
                jwt_with("sig", &format!(r#","refresh_token":"{s}""#))
            ),
        )
    }),
    ("www-authenticate-jwt", |e, s| {
        resp_header(
            e,
            "WWW-Authenticate",
            format!(
                r#"Bearer error="invalid_token", error_description="AADSTS50076", token="{}""#,
                jwt_with(s, "")
            ),
        )
    }),
    ("www-authenticate-negotiate", |e, s| {
        resp_header(e, "WWW-Authenticate", format!("Negotiate {s}"))
    }),
    (
        "exporter-field",
        |e, s| {
            e["_webSocketMessages"] =
                json!([{"type": "send", "data": format!("{{\"access_token\":\"{s}\"}}")}])
        },
    ),
    ("comment", |e, s| {
        e["comment"] = format!("see https://app/cb?code={s}").into()
    }),
];

fn har(entries: Vec<Value>, page_title: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [{"startedDateTime": "2024-05-06T07:08:00.000Z", "id": "page_1", "title": page_title, "pageTimings": {}}],
            "entries": entries,
            "_comment": page_title
        }
    }))
    .unwrap()
}

fn canary(place: &str) -> String {
    format!("CANARY-{place}-7f3a9c2e51")
}

/// Every way the output could still spell a secret: raw, its JSON strings
/// unescaped, percent- and HTML-decoded, and every base64-looking run decoded.
fn views(out: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(out).into_owned();
    let mut strings = String::new();
    fn walk(v: &Value, acc: &mut String) {
        match v {
            Value::String(s) => {
                acc.push_str(s);
                acc.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, acc)),
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                acc.push_str(k);
                acc.push('\n');
                walk(x, acc)
            }),
            _ => {}
        }
    }
    if let Ok(v) = serde_json::from_slice::<Value>(out) {
        walk(&v, &mut strings);
    }
    let pct = aadsts_explainer::har::flow::percent_decode(&strings);
    let unhtml = |s: &str| {
        s.replace("&#45;", "-")
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#x2d;", "-")
    };
    let mut all = vec![raw, unhtml(&strings), unhtml(&pct), strings, pct];
    let mut decoded = Vec::new();
    for text in &all {
        let b64 = |c: char| c.is_ascii_alphanumeric() || "+/=_-".contains(c);
        for run in text.split(|c: char| !b64(c)).filter(|r| r.len() >= 16) {
            // Try every alignment: a run may start inside an encoded block.
            for skip in 0..4 {
                if let Some(bytes) = run.get(skip..).and_then(decode_base64) {
                    decoded.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
    }
    all.extend(decoded);
    all
}

fn assert_gone(out: &[u8], secret: &str, what: &str) {
    for (i, v) in views(out).iter().enumerate() {
        assert!(!v.contains(secret), "{what}: {secret} survives in view {i}");
    }
}

/// A finding's kind, code, id, trace and correlation IDs.
type Found = (
    Kind,
    Option<u32>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Codes with their trace and correlation IDs, as the analyzer reports them.
fn findings(har: &[u8]) -> Vec<Found> {
    let mut f: Vec<_> = analyze_har(har)
        .findings
        .into_iter()
        .map(|h| {
            (
                h.finding.kind,
                h.finding.code,
                h.finding.id,
                h.finding.trace_id,
                h.finding.correlation_id,
            )
        })
        .collect();
    f.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    f
}

fn sanitize(bytes: &[u8]) -> (Vec<u8>, SanitizeReport) {
    let s = sanitize_har(bytes, &SanitizeOptions::default()).unwrap();
    (s.har, s.report)
}

fn assert_diagnostics_kept(input: &[u8], out: &[u8]) {
    let (before, text) = (String::from_utf8_lossy(input), String::from_utf8_lossy(out));
    for keep in [
        TRACE,
        CORR,
        STAMP,
        CLIENT,
        REDIRECT,
        SCOPE,
        "50076",
        "login.microsoftonline.com",
        "/oauth2/v2.0/token",
    ] {
        assert!(
            text.contains(keep) || !before.contains(keep),
            "{keep} is gone"
        );
    }
    assert_eq!(
        findings(input),
        findings(out),
        "the analyzer's findings changed"
    );
    let v: Value = serde_json::from_slice(out).expect("output is JSON");
    let i: Value = serde_json::from_slice(input).unwrap();
    let (a, b) = (&i["log"]["entries"], &v["log"]["entries"]);
    assert_eq!(a.as_array().unwrap().len(), b.as_array().unwrap().len());
    for (x, y) in a.as_array().unwrap().iter().zip(b.as_array().unwrap()) {
        for key in ["startedDateTime", "time", "timings"] {
            assert_eq!(x[key], y[key]);
        }
        assert_eq!(x["response"]["status"], y["response"]["status"]);
    }
    assert_eq!(v["log"]["version"], "1.2");
    assert_eq!(v["log"]["creator"], i["log"]["creator"]);
}

#[test]
fn every_canary_is_removed_and_diagnostics_stay() {
    for (place, plant) in PLACES {
        let secret = canary(place);
        let mut e = base_entry(0);
        plant(&mut e, &secret);
        let input = har(vec![base_entry(1), e], "https://app.contoso.com/");
        assert!(
            String::from_utf8_lossy(&input).contains(&secret)
                || views(&input).iter().any(|v| v.contains(&secret)),
            "{place}: not planted"
        );
        let (out, report) = sanitize(&input);
        assert_gone(&out, &secret, place);
        assert_diagnostics_kept(&input, &out);
        assert!(
            report.removed + report.signatures_removed > 0,
            "{place}: nothing reported"
        );
        assert!(
            report.details.iter().any(|d| d.entry == Some(1)),
            "{place}: not reported at entry 1: {:?}",
            report.details
        );
    }
}

#[test]
fn all_canaries_at_once_and_in_pages() {
    let mut entries = Vec::new();
    for (i, (place, plant)) in PLACES.iter().enumerate() {
        let mut e = base_entry(i);
        plant(&mut e, &canary(place));
        entries.push(e);
    }
    let input = har(
        entries,
        &format!("https://app.contoso.com/cb?code={}", canary("page")),
    );
    let (out, report) = sanitize(&input);
    for (place, _) in PLACES {
        assert_gone(&out, &canary(place), place);
    }
    assert_gone(&out, &canary("page"), "page title");
    assert_diagnostics_kept(&input, &out);
    assert_eq!(report.entries, PLACES.len());
    assert!(report.totals.iter().any(|t| t.location == "log"));
}

#[test]
fn jwts_keep_their_claims_and_the_scheme_stays() {
    let mut e = base_entry(0);
    req_header(
        &mut e,
        "Authorization",
        format!("Bearer {}", jwt_with("c2lnbmF0dXJlLXNlY3JldA", "")),
    );
    let input = har(vec![e], "x");
    let (out, report) = sanitize(&input);
    let v: Value = serde_json::from_slice(&out).unwrap();
    let auth = v["log"]["entries"][0]["request"]["headers"][2]["value"]
        .as_str()
        .unwrap();
    assert!(auth.starts_with("Bearer eyJ"), "{auth}");
    assert!(auth.ends_with(&format!(".{}", rules::URL_MARKER)), "{auth}");
    assert_eq!(report.signatures_removed, 1);
    // The analyzer still decodes the claims.
    let r = analyze_har(&out);
    assert_eq!(r.tokens.len(), 1);
    assert_eq!(r.tokens[0].claims["aud"], "api://x");
    assert_eq!(v["log"]["entries"][0]["request"]["headersSize"], -1);
    assert!(jwt::find(auth).len() == 1);
}

#[test]
fn diagnostic_codes_and_ids_are_not_taken_for_secrets() {
    let mut e = base_entry(0);
    resp_header(&mut e, "Location", format!("https://app.contoso.com/cb?error=interaction_required&error_uri=https%3A%2F%2Flogin.microsoftonline.com%2Ferror%3Fcode%3D50076&state=s1&session_state={CORR}"));
    json_body(
        &mut e,
        json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}, "sessionId": CORR, "token_type": "Bearer"}),
    );
    let input = har(vec![e], "x");
    let (out, report) = sanitize(&input);
    let text = String::from_utf8_lossy(&out);
    for keep in [
        "code%3D50076",
        "state=s1",
        "InvalidAuthenticationToken",
        "\\\"token_type\\\":\\\"Bearer\\\"",
        "sessionId",
    ] {
        assert!(text.contains(keep), "{keep} is gone");
    }
    assert_eq!(report.removed, 0, "{:?}", report.totals);
}

/// Capture shapes from real exporters: same entry count, same findings, no secret left.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/har");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "har"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Secret values in a capture, found the way a reviewer would: cookie values,
/// credential headers, secret parameters, JWT signatures.
fn known_secrets(har: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut add = |v: &str| {
        let v = v.trim();
        if v.len() >= 12 && v != rules::MARKER {
            found.push(v.to_string());
        }
    };
    fn strings<'a>(v: &'a Value, acc: &mut Vec<&'a str>) {
        match v {
            Value::String(s) => acc.push(s),
            Value::Array(a) => a.iter().for_each(|x| strings(x, acc)),
            Value::Object(m) => m.values().for_each(|x| strings(x, acc)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(har, &mut all);
    for s in &all {
        for t in jwt::find(s) {
            if let Some(sig) = t.splitn(3, '.').nth(2) {
                add(sig);
            }
        }
    }
    for e in har["log"]["entries"].as_array().into_iter().flatten() {
        for side in ["request", "response"] {
            for c in e[side]["cookies"].as_array().into_iter().flatten() {
                add(c["value"].as_str().unwrap_or(""));
            }
            for h in e[side]["headers"].as_array().into_iter().flatten() {
                let (name, value) = (
                    h["name"].as_str().unwrap_or(""),
                    h["value"].as_str().unwrap_or(""),
                );
                match rules::header_class(name) {
                    rules::Header::SetCookie => {
                        for line in value.split('\n') {
                            if let Some((_, v)) =
                                line.split(';').next().unwrap_or("").split_once('=')
                            {
                                add(v);
                            }
                        }
                    }
                    rules::Header::Cookie => {
                        for part in value.split(';') {
                            if let Some((_, v)) = part.split_once('=') {
                                add(v);
                            }
                        }
                    }
                    rules::Header::Credential => {
                        add(value.split_once(' ').map_or(value, |(_, c)| c))
                    }
                    _ => {}
                }
            }
        }
        let url = e["request"]["url"].as_str().unwrap_or("");
        let body = e["request"]["postData"]["text"].as_str().unwrap_or("");
        for part in url.split(['?', '#', '&']).chain(body.split('&')) {
            if let Some((k, v)) = part.split_once('=') {
                if rules::is_secret_name(k) && rules::is_secret_value(k, v) {
                    add(v);
                }
            }
        }
    }
    found
}

#[test]
fn fixtures_sanitize_to_the_same_findings_without_their_secrets() {
    for (name, input) in fixtures() {
        let (out, report) = sanitize(&input);
        let v: Value = serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{name}: output is not JSON: {e}"));
        let i: Value = serde_json::from_slice(&input).unwrap_or(Value::Null);
        if i.is_null() {
            // The truncated fixture: the complete entries come out, closed.
            assert!(report.stopped.is_some(), "{name}");
            assert_eq!(
                v["log"]["entries"].as_array().unwrap().len(),
                report.entries,
                "{name}"
            );
        } else {
            assert_eq!(
                v["log"]["entries"].as_array().unwrap().len(),
                i["log"]["entries"].as_array().unwrap().len(),
                "{name}"
            );
            let secrets = known_secrets(&i);
            let text = String::from_utf8_lossy(&out);
            for s in &secrets {
                assert!(!text.contains(s.as_str()), "{name}: {s} survives");
            }
        }
        assert_eq!(findings(&input), findings(&out), "{name}: findings differ");
        assert_eq!(
            analyze_har(&input).summary.entries,
            analyze_har(&out).summary.entries,
            "{name}"
        );
    }
}

fn stream(input: &[u8], chunk: usize, options: &SanitizeOptions) -> (Vec<u8>, SanitizeReport) {
    let mut s = HarSanitizer::new(options);
    let mut out = Vec::new();
    for c in input.chunks(chunk.max(1)) {
        s.feed(c, &mut out);
    }
    let report = s.finish(&mut out).unwrap();
    (out, report)
}

#[test]
fn output_is_the_same_at_every_chunk_size() {
    for (name, input) in fixtures() {
        let (whole, _) = sanitize(&input);
        for chunk in [1, 7, 4096] {
            let (out, _) = stream(&input, chunk, &SanitizeOptions::default());
            assert!(out == whole, "{name}: chunk {chunk} differs");
        }
    }
}

#[test]
fn truncated_input_gives_valid_json_and_says_where_it_stopped() {
    let (_, input) = fixtures()
        .into_iter()
        .find(|(n, _)| n.starts_with("chrome-mfa"))
        .unwrap();
    let total = serde_json::from_slice::<Value>(&input).unwrap()["log"]["entries"]
        .as_array()
        .unwrap()
        .len();
    let mut stops = 0;
    for cut in (40..input.len()).step_by(211) {
        let Ok(s) = sanitize_har(&input[..cut], &SanitizeOptions::default()) else {
            continue;
        };
        let v: Value = serde_json::from_slice(&s.har).unwrap_or_else(|e| {
            panic!(
                "cut {cut}: {e}: {}",
                String::from_utf8_lossy(&s.har[s.har.len().saturating_sub(200)..])
            )
        });
        if let Some(entries) = v["log"]["entries"].as_array() {
            assert_eq!(entries.len(), s.report.entries, "cut {cut}");
            assert!(entries.len() <= total);
        }
        let st = s
            .report
            .stopped
            .as_ref()
            .unwrap_or_else(|| panic!("cut {cut}: no stop reported"));
        assert!(
            st.byte_offset <= cut as u64 && st.reason.contains("byte"),
            "{st:?}"
        );
        stops += 1;
    }
    assert!(stops > 50);
}

#[test]
fn not_a_har_is_an_error() {
    for bad in [&b"hello"[..], b"", b"{\"a\":1}", b"[1,2]"] {
        let e = sanitize_har(bad, &SanitizeOptions::default()).unwrap_err();
        assert!(e.message().contains("not a HAR"), "{}", e.message());
    }
}

fn pseudo(key: u8) -> SanitizeOptions {
    SanitizeOptions {
        pseudonymize: true,
        key: [key; 16],
    }
}

#[test]
fn pseudonyms_are_consistent_keyed_and_spare_trace_ids() {
    let mut entries = Vec::new();
    for i in 0..3 {
        let mut e = base_entry(i);
        let u = format!(
            "{}&login_hint=Adele.Vance%40contoso.com",
            e["request"]["url"].as_str().unwrap()
        );
        let path = u.split_once(".com").unwrap().1.to_string();
        e["request"]["url"] = u.into();
        req_header(&mut e, ":path", path);
        json_body(
            &mut e,
            json!({"user": {"email": "adele.vance@contoso.com", "displayName": "Adele Vance", "ipaddr": "20.190.151.7"}}),
        );
        req_header(
            &mut e,
            "Authorization",
            format!("Bearer {}", jwt_with("sig", "")),
        );
        e["serverIPAddress"] = "20.190.151.7".into();
        entries.push(e);
    }
    let input = har(entries, "adele.vance@contoso.com");
    let a = sanitize_har(&input, &pseudo(1)).unwrap();
    let b = sanitize_har(&input, &pseudo(2)).unwrap();
    let again = sanitize_har(&input, &pseudo(1)).unwrap();
    assert_eq!(a.har, again.har, "the same key gives the same output");
    let text = String::from_utf8_lossy(&a.har).into_owned();
    for gone in [
        "adele.vance",
        "Adele.Vance",
        "Adele Vance",
        "20.190.151.7",
        TENANT,
        OID,
    ] {
        for v in views(&a.har) {
            assert!(!v.contains(gone), "{gone} survives");
        }
    }
    for keep in [TRACE, CORR, CLIENT, STAMP] {
        assert!(text.contains(keep), "{keep} is gone");
    }
    let v: Value = serde_json::from_slice(&a.har).unwrap();
    let emails: Vec<String> = (0..3)
        .map(|i| {
            let body: Value = serde_json::from_str(
                v["log"]["entries"][i]["response"]["content"]["text"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap();
            body["nested"]["user"]["email"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        emails[0].starts_with("user-") && emails[0].ends_with("@example.invalid"),
        "{emails:?}"
    );
    assert!(emails.iter().all(|e| *e == emails[0]), "{emails:?}");
    assert!(
        text.contains(&aadsts_explainer::har::flow::percent_decode(
            &format!("login_hint={}", emails[0]).replace('@', "%40")
        )) || text.contains(&format!("login_hint={}", emails[0].replace('@', "%40")))
    );
    // HTTP/2's `:path` holds the same address, so the same pseudonym.
    let headers = v["log"]["entries"][0]["request"]["headers"]
        .as_array()
        .unwrap();
    let path = headers.iter().find(|h| h["name"] == ":path").unwrap();
    let local = emails[0].split('@').next().unwrap();
    assert!(path["value"].as_str().unwrap().contains(local), "{path}");
    assert!(
        !String::from_utf8_lossy(&b.har).contains(&emails[0]),
        "another key gives other pseudonyms"
    );
    // The tenant in the URL path and in the token's tid claim become the same GUID.
    let r = analyze_har(&a.har);
    let tid = r.tokens[0].claims["tid"].as_str().unwrap().to_string();
    assert!(
        text.contains(&format!("login.microsoftonline.com/{tid}/oauth2")),
        "{tid}"
    );
    assert_eq!(findings(&input), findings(&a.har));
    assert!(a.report.pseudonymized > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random secrets in random places of a generated capture: all removed, diagnostics kept, valid output.
    #[test]
    fn random_secrets_in_random_places(
        plants in proptest::collection::vec((0..PLACES.len(), "[A-Za-z0-9]{16,40}"), 1..8),
        chunk in 1usize..5000,
    ) {
        let mut entries = Vec::new();
        let mut secrets = Vec::new();
        for (i, (place, s)) in plants.iter().enumerate() {
            // A digit in every secret: a `code` of letters only is read as an error code word.
            let secret = format!("Zq{s}7");
            let mut e = base_entry(i);
            (PLACES[*place].1)(&mut e, &secret);
            entries.push(e);
            secrets.push((PLACES[*place].0, secret));
        }
        let input = har(entries, "https://app.contoso.com/");
        let (out, report) = stream(&input, chunk, &SanitizeOptions::default());
        for (place, s) in &secrets {
            assert_gone(&out, s, place);
        }
        assert_diagnostics_kept(&input, &out);
        prop_assert_eq!(report.entries, plants.len());
    }
}

#[test]
fn samples_show_a_masked_before_and_the_marker_after() {
    let mut e = base_entry(0);
    req_header(&mut e, "Cookie", format!("ESTSAUTH={}", canary("cookie")));
    form(
        &mut e,
        "login=a%40contoso.com&passwd=hunter2hunter2".to_string(),
    );
    let input = har(vec![e], "x");
    let (_, report) = sanitize(&input);
    assert!(!report.samples.is_empty() && report.samples.len() <= 12);
    for s in &report.samples {
        assert!(!s.before.contains(&canary("cookie")), "{s:?}");
        assert!(!s.before.contains("hunter2"), "{s:?}");
        assert!(
            s.before.is_empty() || s.before.contains(" characters)"),
            "{s:?}"
        );
    }
    let cookie = report.samples.iter().find(|s| s.field.contains("ESTSAUTH"));
    let cookie = cookie.expect("a cookie sample");
    assert_eq!(cookie.after, rules::URL_MARKER);
    let n = canary("cookie").chars().count();
    let head: String = canary("cookie").chars().take(4).collect();
    assert_eq!(cookie.before, format!("{head}… ({n} characters)"));
    let passwd = report.samples.iter().find(|s| s.field == "passwd");
    assert_eq!(
        passwd.expect("a password sample").before,
        "… (14 characters)"
    );
}

/// Found by the `sanitize` fuzz target: a capture broken outside its entries
/// (here a page title with a stray quote) used to come out as broken JSON.
/// It is refused with a clear error instead.
#[test]
fn a_capture_broken_outside_its_entries_is_refused() {
    let broken = br#"{"log":{"version":"1.2","pages":[{"title":"https://portal "name": "x"}],"entries":[{"request":{"url":"https://login.microsoftonline.com/x?access_token=Secret123"}}]}}"#;
    let err = sanitize_har(broken, &SanitizeOptions::default()).expect_err("refused");
    assert!(
        err.to_string()
            .contains("not valid JSON outside its entries"),
        "{err}"
    );
}

/// Also from the fuzz target: a byte that is not UTF-8 in a string outside
/// the entries (a page title) is refused too, not copied into the output.
#[test]
fn invalid_utf8_outside_the_entries_is_refused() {
    let mut doc =
        br#"{"log":{"version":"1.2","pages":[{"title":"https://portal?a=1&b=2"}],"entries":[]}}"#
            .to_vec();
    let at = doc.windows(3).position(|w| w == b"a=1").unwrap();
    doc[at + 1] = 0xFF;
    let err = sanitize_har(&doc, &SanitizeOptions::default()).expect_err("refused");
    assert!(
        err.to_string()
            .contains("not valid JSON outside its entries"),
        "{err}"
    );
}
