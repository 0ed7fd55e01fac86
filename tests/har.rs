//! HAR analysis against captures in the shapes Chrome, Edge (also its
//! sanitized export), Firefox, Safari, Fiddler and Charles write. Each row of
//! `tests/har/expected.toml` names a file and what a correct analysis
//! reports; adding a capture is adding a file and a row.
#![cfg(not(target_arch = "wasm32"))]

use aadsts_explainer::{analyze_har, HarAnalyzer, Kind};
use std::fs;
use std::path::PathBuf;
use toml::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/har")
}

fn rows() -> Vec<Value> {
    let v: Value =
        toml::from_str(&fs::read_to_string(dir().join("expected.toml")).unwrap()).unwrap();
    v["har"].as_array().unwrap().clone()
}

#[test]
fn every_exporter_is_covered() {
    let rows = rows();
    for exporter in [
        "chrome",
        "edge",
        "edge-sanitized",
        "firefox",
        "safari",
        "fiddler",
        "charles",
    ] {
        let n = rows
            .iter()
            .filter(|r| r["exporter"].as_str() == Some(exporter))
            .count();
        assert!(n >= 1, "no fixture from {exporter}");
    }
}

#[test]
fn fixtures_analyse_to_their_expected_reports() {
    let mut failures = Vec::new();
    for row in rows() {
        let file = row["file"].as_str().unwrap();
        let bytes = fs::read(dir().join(file)).unwrap();
        let r = analyze_har(&bytes);
        let mut fail = |m: String| failures.push(format!("{file}: {m}"));
        let codes: Vec<u32> = r
            .findings
            .iter()
            .filter(|f| f.finding.kind == Kind::Aadsts)
            .filter_map(|f| f.finding.code)
            .collect();
        let want: Vec<u32> = row["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_integer().unwrap() as u32)
            .collect();
        if codes != want {
            fail(format!("codes {codes:?}, want {want:?}"));
        }
        if r.summary.entries != row["entries"].as_integer().unwrap() as usize {
            fail(format!(
                "entries {}, want {}",
                r.summary.entries, row["entries"]
            ));
        }
        let step = r.summary.first_failing_step.as_deref();
        if step != row.get("failing_step").and_then(Value::as_str) {
            fail(format!(
                "failing step {step:?}, want {:?}",
                row.get("failing_step")
            ));
        }
        if r.tokens.len() != row["tokens"].as_integer().unwrap() as usize {
            fail(format!("tokens {}, want {}", r.tokens.len(), row["tokens"]));
        }
        let truncated = row["truncated"].as_bool().unwrap();
        if r.stopped.is_some() != truncated {
            fail(format!(
                "stopped {:?}, want truncated = {truncated}",
                r.stopped
            ));
        }
        if let Some(first) = r.findings.iter().find(|f| f.finding.kind == Kind::Aadsts) {
            for (key, got) in [
                ("trace_id", &first.finding.trace_id),
                ("correlation_id", &first.finding.correlation_id),
                ("error", &first.finding.error),
            ] {
                if let Some(want) = row.get(key).and_then(Value::as_str) {
                    if got.as_deref().map(str::to_ascii_lowercase)
                        != Some(want.to_ascii_lowercase())
                    {
                        fail(format!("{key} {got:?}, want {want:?}"));
                    }
                }
            }
        }
        if let Some(facts) = row.get("facts").and_then(Value::as_table) {
            let failing = r.flow.iter().find(|s| s.failing);
            for (k, v) in facts {
                let got = failing
                    .and_then(|s| s.facts.iter().find(|(fk, _)| fk == k))
                    .map(|(_, fv)| fv.as_str());
                if got != v.as_str() {
                    fail(format!("fact {k} {got:?}, want {v}"));
                }
            }
        }
        // No finding may point at secrets: entry URLs are redacted.
        for f in &r.findings {
            for secret in ["code=", "access_token=", "id_token=", "client_secret="] {
                if let Some(p) = f.entry.url.find(secret) {
                    if !f.entry.url[p + secret.len()..].starts_with("[removed]") {
                        fail(format!("entry URL keeps a secret: {}", f.entry.url));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// In order at any chunk size, and seeking (as the page's worker reads a
/// File) at any slice size: the same report.
#[test]
fn streaming_gives_the_same_report_at_any_chunk_size() {
    for row in rows() {
        let file = row["file"].as_str().unwrap();
        let bytes = fs::read(dir().join(file)).unwrap();
        let whole = serde_json::to_string(&analyze_har(&bytes)).unwrap();
        for slice in [1usize, 7, 64, 4096] {
            let (seeking, _, _) = analyse_seeking(&bytes, slice, 0);
            assert_eq!(seeking, whole, "{file} seeking, in slices of {slice}");
        }
        for chunk in [1usize, 7, 4096] {
            let mut a = HarAnalyzer::new();
            for c in bytes.chunks(chunk) {
                a.feed(c);
            }
            assert_eq!(
                serde_json::to_string(&a.finish()).unwrap(),
                whole,
                "{file} in chunks of {chunk}"
            );
        }
    }
}

#[test]
fn truncating_anywhere_keeps_what_came_before() {
    let bytes = fs::read(dir().join("chrome-mfa-required.har")).unwrap();
    let full = analyze_har(&bytes);
    let mut last_entries = 0;
    // Cut at many positions: entries only grow, and the report never panics.
    for cut in (0..bytes.len()).step_by(997) {
        let r = analyze_har(&bytes[..cut]);
        assert!(r.summary.entries >= last_entries || r.not_har, "cut {cut}");
        last_entries = r.summary.entries.max(last_entries);
        if r.summary.entries > 0 && cut < bytes.len() {
            assert!(
                r.stopped.is_some(),
                "cut {cut} did not say where it stopped"
            );
        }
    }
    assert!(full.stopped.is_none());
}

#[test]
fn bad_captures_say_what_they_are() {
    for (input, kind) in [
        (&b""[..], "not-har"),
        (b"not json at all", "not-har"),
        (b"{\"log\":{\"entries\":[1,\"x\",null]}}", "har-bad-entry"),
        (
            b"{\"log\":{\"entries\":[{\"request\":\"oops\"}]}}",
            "har-bad-entry",
        ),
        (b"\x1f\x8b\x08\x00binarygzip", "archive"),
    ] {
        let r = analyze_har(input);
        assert!(
            r.warnings.iter().any(|w| w.kind == kind),
            "{:?}: {:?}",
            String::from_utf8_lossy(input),
            r.warnings
        );
    }
}

/// Reads `bytes` as the page's worker reads a `File`: from wherever the
/// analysis wants, `slice` bytes at a time, jumping over bodies of at least
/// `min` bytes. Returns the report, the bytes read and the bytes jumped over.
fn analyse_seeking(bytes: &[u8], slice: usize, min: u64) -> (String, u64, u64) {
    let mut a = HarAnalyzer::seekable(bytes.len() as u64).skip_bodies_from(min);
    let mut read = 0;
    while let Some(at) = a.wanted() {
        let at = at as usize;
        if at >= bytes.len() {
            break;
        }
        let chunk = &bytes[at..(at + slice).min(bytes.len())];
        read += chunk.len() as u64;
        a.feed_at(at as u64, chunk);
    }
    let skipped = a.skipped();
    (serde_json::to_string(&a.finish()).unwrap(), read, skipped)
}

/// A small deterministic generator, so a failing case can be replayed by its seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// One entry of a generated capture: bodies a jump may be made over, with
/// `size` true or false, and bodies that look skippable but are not what
/// `size` says, next to the error responses the report must keep.
fn generated_entry(rng: &mut Lcg, i: usize) -> String {
    let n = 40 + rng.below(3000) as usize;
    let raw: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
    let b64 = base64(&raw);
    let url = format!("https://cdn.contoso.example/a/{i}.bin");
    let (size, mime, encoding_first, body, encoding_last) = match rng.below(9) {
        // Chrome's order: size, mimeType, text, encoding.
        0 | 1 => (
            n.to_string(),
            "image/png",
            "",
            b64,
            r#","encoding":"base64""#,
        ),
        // Firefox's order: encoding before text.
        2 => (
            n.to_string(),
            "font/woff2",
            r#""encoding":"base64","#,
            b64,
            "",
        ),
        // `size` off by a little or a lot.
        3 => {
            let lie = (n as i64 + [-3i64, -1, 1, 2, 5, 300][rng.below(6) as usize]).max(1);
            (
                lie.to_string(),
                "image/jpeg",
                "",
                b64,
                r#","encoding":"base64""#,
            )
        }
        // An image type on a body that is not base64 (an SVG, escaped).
        4 => (
            n.to_string(),
            "image/svg",
            "",
            format!("<svg a=\\\"{}\\\"/>", "x".repeat(n)),
            "",
        ),
        // A body whose base64 has its slashes escaped, as some JSON writers do.
        5 => (
            n.to_string(),
            "video/mp4",
            "",
            b64.replace('/', "\\/"),
            r#","encoding":"base64""#,
        ),
        // A declared encoding that is not base64.
        6 => (
            n.to_string(),
            "application/octet-stream",
            r#""encoding":"utf-8","#,
            b64,
            "",
        ),
        // Text the analysis reads: never jumped over.
        _ => {
            let body = format!(
                r#"{{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: The provided authorization code or refresh token has expired. {}\"}}"#,
                "y".repeat(n)
            );
            (body.len().to_string(), "application/json", "", body, "")
        }
    };
    format!(
        r#"{{"startedDateTime":"2024-06-01T10:00:{:02}.000Z","time":5,"request":{{"method":"GET","url":"{url}","headers":[],"queryString":[]}},"response":{{"status":200,"headers":[{{"name":"content-type","value":"{mime}"}}],"content":{{"size":{size},"mimeType":"{mime}",{encoding_first}"text":"{body}"{encoding_last}}},"redirectURL":""}},"timings":{{}}}}"#,
        i % 60
    )
}

#[test]
fn seeking_gives_the_same_report_whatever_size_claims() {
    let mut jumped = 0;
    for seed in 0..300u64 {
        let mut rng = Lcg(seed);
        let n = 1 + rng.below(8) as usize;
        let entries: Vec<String> = (0..n).map(|i| generated_entry(&mut rng, i)).collect();
        let mut doc = format!(
            r#"{{"log":{{"version":"1.2","creator":{{"name":"gen","version":"1"}},"entries":[{}]}}}}"#,
            entries.join(",")
        )
        .into_bytes();
        // Every fifth has an entry that is not JSON after its body, on the
        // body's line: its error must point where it is in the file.
        if seed % 5 == 4 {
            let at = String::from_utf8_lossy(&doc).find(r#""encoding":"base64"}"#);
            if let Some(at) = at {
                doc.insert(at + 19, b',');
            }
        }
        // Every fourth capture is cut short somewhere.
        if seed % 4 == 3 {
            doc.truncate(rng.below(doc.len() as u64) as usize);
        }
        let whole = serde_json::to_string(&analyze_har(&doc)).unwrap();
        for slice in [13usize, 256, 1 << 20] {
            let (seeking, read, skipped) = analyse_seeking(&doc, slice, 64);
            assert_eq!(seeking, whole, "seed {seed}, slices of {slice}");
            assert!(read + skipped >= skipped && skipped <= doc.len() as u64);
            jumped += skipped;
        }
    }
    assert!(jumped > 0, "no body was ever jumped over");
}

#[test]
fn seeking_reads_little_of_a_capture_of_images() {
    let mut rng = Lcg(7);
    let entries: Vec<String> = (0..50)
        .map(|i| {
            let raw: Vec<u8> = (0..100_000).map(|_| rng.below(256) as u8).collect();
            format!(
                r#"{{"request":{{"method":"GET","url":"https://cdn.example/{i}.png"}},"response":{{"status":200,"content":{{"size":100000,"mimeType":"image/png","text":"{}","encoding":"base64"}}}}}}"#,
                base64(&raw)
            )
        })
        .collect();
    let doc = format!(r#"{{"log":{{"entries":[{}]}}}}"#, entries.join(","));
    let whole = serde_json::to_string(&analyze_har(doc.as_bytes())).unwrap();
    let (seeking, read, skipped) = analyse_seeking(doc.as_bytes(), 4096, 16 << 10);
    assert_eq!(seeking, whole);
    assert!(
        skipped > doc.len() as u64 * 9 / 10,
        "skipped {skipped} of {}",
        doc.len()
    );
    assert!(read < doc.len() as u64 / 10, "read {read} of {}", doc.len());
}
