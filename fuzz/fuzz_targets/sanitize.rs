//! The HAR sanitizer, two ways:
//! 1. the input as a capture, sanitized whole and in chunks (the first byte
//!    picks the chunk size): the two outputs must be identical, and when the
//!    input was taken as a HAR the output must parse as JSON;
//! 2. the input spliced into a capture that carries planted secrets (a
//!    cookie, an Authorization header, `access_token` in a URL, a form
//!    `password`, a JWT signature), around and between them: whatever the
//!    fuzzer puts next to them, none may survive, raw or percent-encoded,
//!    and the output must still parse.
#![no_main]

use aadsts_explainer::{sanitize_har, HarSanitizer, SanitizeOptions};
use libfuzzer_sys::fuzz_target;

const SECRETS: &[&str] = &[
    "CanaryCookie7f3a9d",
    "CanaryBearer7f3a9d",
    "CanaryAccess7f3a9d",
    "CanaryPassw7f3a9d",
    "CanarySig7f3a9d",
];

fn options() -> SanitizeOptions {
    SanitizeOptions {
        pseudonymize: true,
        key: [7; 16],
    }
}

fn chunked(doc: &[u8], size: usize) -> Option<Vec<u8>> {
    let mut s = HarSanitizer::new(&options());
    let mut out = Vec::new();
    for c in doc.chunks(size.max(1)) {
        s.feed(c, &mut out);
    }
    s.finish(&mut out).ok().map(|_| out)
}

/// JSON-escape fuzz bytes (lossily as UTF-8) so they land inside a string.
fn escaped(bytes: &[u8]) -> String {
    let s = serde_json::to_string(&String::from_utf8_lossy(bytes)).unwrap();
    s[1..s.len() - 1].to_string()
}

fn planted(noise: &str) -> Vec<u8> {
    // {"alg":"none"} . {"aud":"x"} . signature
    let jwt = format!("eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.{}", SECRETS[4]);
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"{noise}","version":"1"}},"entries":[
{{"startedDateTime":"2024-06-01T10:00:00Z","time":1,
"request":{{"method":"POST","url":"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?{noise}&access_token={}&x={noise}",
"headers":[{{"name":"Cookie","value":"ESTSAUTH={}; {noise}"}},{{"name":"Authorization","value":"Bearer {}"}},{{"name":"{noise}","value":"{noise}"}}],
"postData":{{"mimeType":"application/x-www-form-urlencoded","text":"login={noise}&passwd={}&id_token={jwt}"}}}},
"response":{{"status":400,"headers":[],"content":{{"mimeType":"application/json","text":"{{\"error\":\"invalid_grant\",\"note\":\"{noise}\",\"error_description\":\"AADSTS50076: x\"}}"}}}}}}
]}}}}"#,
        SECRETS[2], SECRETS[0], SECRETS[1], SECRETS[3]
    )
    .into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, doc)) = data.split_first() else {
        return;
    };
    // 1. Arbitrary input: whole and chunked agree; valid JSON out.
    let whole = sanitize_har(doc, &options()).ok().map(|s| s.har);
    assert_eq!(
        whole,
        chunked(doc, usize::from(size) + 1),
        "chunking changed the output"
    );
    if let Some(out) = &whole {
        serde_json::from_slice::<serde_json::Value>(out).expect("sanitized output is JSON");
    }
    // 2. Planted secrets next to fuzz bytes: all removed.
    let doc = planted(&escaped(&data[..data.len().min(512)]));
    let out = sanitize_har(&doc, &options())
        .expect("the planted capture is a HAR")
        .har;
    serde_json::from_slice::<serde_json::Value>(&out).expect("sanitized output is JSON");
    let text = String::from_utf8_lossy(&out);
    for s in SECRETS {
        assert!(!text.contains(s), "{s} survived:\n{text}");
    }
});
