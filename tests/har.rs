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

#[test]
fn streaming_gives_the_same_report_at_any_chunk_size() {
    for row in rows() {
        let file = row["file"].as_str().unwrap();
        let bytes = fs::read(dir().join(file)).unwrap();
        let whole = serde_json::to_string(&analyze_har(&bytes)).unwrap();
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
