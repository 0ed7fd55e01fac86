//! The `aadsts` CLI contract: commands, JSON shapes, exit codes (sanitize included).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn aadsts(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aadsts"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses early may close stdin before reading it.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const MFA: &str = "AADSTS50074: Strong Authentication is required.\r\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\r\nCorrelation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff\r\nTimestamp: 2024-05-06 07:08:09Z";

#[test]
fn scan_json_follows_the_contract() {
    let v = json(&aadsts(&["scan", "--json"], MFA.as_bytes()));
    let f = &v["findings"][0];
    assert_eq!(f["code"], 50074);
    assert_eq!(f["kind"], "aadsts");
    assert_eq!(f["name"], "UserStrongAuthClientAuthNRequiredInterrupt");
    assert_eq!(f["known"], true);
    assert_eq!(f["message"], "Strong Authentication is required.");
    assert_eq!(f["trace_id"], "0a1b2c3d-0000-4e5f-8a9b-001122334455");
    assert_eq!(f["correlation_id"], "9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff");
    assert_eq!(f["timestamp"], "2024-05-06 07:08:09Z");
    assert_eq!(f["span"]["start"], 0);
    assert_eq!(f["span"]["end"], 11);
    assert!(v["suggestions"].is_array());
    assert!(v["warnings"].is_array());
}

#[test]
fn scan_reads_a_file_and_prints_people_output() {
    let dir = std::env::temp_dir().join(format!("aadsts-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("err.txt");
    std::fs::write(&path, MFA).unwrap();
    let out = aadsts(&["scan", path.to_str().unwrap()], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("AADSTS50074"));
    assert!(text.contains("Who can fix it"));
    assert!(text.contains("0a1b2c3d-0000-4e5f-8a9b-001122334455"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unknown_codes_are_findings_with_the_lookup_link() {
    let v = json(&aadsts(
        &["scan", "--json", "-"],
        b"AADSTS9999991: something new happened.",
    ));
    let f = &v["findings"][0];
    assert_eq!(f["code"], 9999991);
    assert_eq!(f["known"], false);
    assert_eq!(f["message"], "something new happened.");
    assert_eq!(
        f["lookup_url"],
        "https://login.microsoftonline.com/error?code=9999991"
    );
}

#[test]
fn a_message_without_code_gives_a_suggestion_not_a_finding() {
    let text = "The redirect URI 'https://localhost:5001/signin-oidc' specified in the request does not match the redirect URIs configured for the application 'a1b2'.";
    let v = json(&aadsts(&["scan", "--json"], text.as_bytes()));
    assert_eq!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "aadsts")
            .count(),
        0
    );
    assert_eq!(v["suggestions"][0]["code"], 50011);
    assert!(!v["suggestions"][0]["reason"].as_str().unwrap().is_empty());
}

#[test]
fn explain_json_has_the_contract_fields() {
    let v = json(&aadsts(&["explain", "50074", "--json"], b""));
    for key in [
        "code", "name", "title", "summary", "who", "causes", "steps", "collect", "links", "related",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["code"], 50074);
    assert!(v["causes"].as_array().unwrap().len() >= 3);
    let v = json(&aadsts(&["explain", "AADSTS50076", "--json"], b""));
    assert_eq!(v["code"], 50076);
    let v = json(&aadsts(&["explain", "invalid_grant", "--json"], b""));
    assert_eq!(v["id"], "invalid_grant");
}

#[test]
fn explain_accepts_words() {
    let v = json(&aadsts(
        &["explain", "redirect", "uri", "mismatch", "--json"],
        b"",
    ));
    assert_eq!(v["code"], 50011);
}

#[test]
fn list_json_is_every_entry() {
    let v = json(&aadsts(&["list", "--json"], b""));
    let arr = v.as_array().unwrap();
    assert!(arr.len() >= 350 + 400);
    assert!(arr
        .iter()
        .all(|e| e["title"].as_str().is_some_and(|t| !t.is_empty())));
}

#[test]
fn bad_usage_and_unreadable_input_exit_2_with_one_line() {
    for args in [
        &["frobnicate"][..],
        &[],
        &["scan", "--nope"],
        &["scan", "/definitely/not/here.txt"],
        &["explain"],
        &["scan", "a", "b"],
    ] {
        let out = aadsts(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("aadsts: "));
    }
    let out = aadsts(&["explain", "12345678"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn binary_and_invalid_utf8_input_never_panics() {
    let mut junk: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    junk.extend_from_slice(b"\xff\xfeAADSTS50126\xc3\x28 x");
    let v = json(&aadsts(&["scan", "--json"], &junk));
    assert_eq!(v["findings"][0]["code"], 50126);
    assert!(v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["kind"] == "binary"));
}

#[test]
fn version_states_tool_and_knowledge_base() {
    let out = aadsts(&["--version"], b"");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("aadsts "));
    assert!(text.contains("knowledge base"));
}

// `aadsts sanitize`: writes a valid capture and a report, reads stdin and
// writes stdout, refuses bad input with a clear message and exit code 2.

fn sanitize_tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aadsts-sanitize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn fixture(name: &str) -> String {
    format!("{}/tests/har/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn failed(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.starts_with("aadsts: ") && !err.contains("panicked"),
        "{err}"
    );
    err
}

#[test]
fn writes_a_sanitized_capture_and_a_report() {
    let (out_path, report_path) = (sanitize_tmp("out.har"), sanitize_tmp("report.json"));
    let input = fixture("chrome-mfa-required.har");
    let out = aadsts(
        &[
            "sanitize",
            &input,
            "-o",
            out_path.to_str().unwrap(),
            "--report",
            report_path.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("values removed"), "{summary}");
    let har: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    let report: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    assert_eq!(
        report["entries"].as_u64().unwrap() as usize,
        har["log"]["entries"].as_array().unwrap().len()
    );
    assert!(report["removed"].as_u64().unwrap() > 0);
    assert!(report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["field"] == "cookie ESTSAUTHPERSISTENT"));
}

#[test]
fn stdin_to_stdout_with_a_fixed_key_is_reproducible() {
    let input = std::fs::read(fixture("firefox-mfa-enrollment.har")).unwrap();
    let key = "000102030405060708090a0b0c0d0e0f";
    let a = aadsts(
        &["sanitize", "-", "-o", "-", "--pseudonymize", "--key", key],
        &input,
    );
    let b = aadsts(
        &["sanitize", "-", "-o", "-", "--pseudonymize", "--key", key],
        &input,
    );
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let v: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert!(v["log"]["entries"].is_array());
    // A random key each run otherwise.
    let c = aadsts(&["sanitize", "-", "-o", "-", "--pseudonymize"], &input);
    let d = aadsts(&["sanitize", "-", "-o", "-", "--pseudonymize"], &input);
    assert!(c.status.success() && d.status.success());
    assert_ne!(c.stdout, d.stdout);
}

#[test]
fn a_truncated_capture_still_gives_valid_output() {
    let out = aadsts(
        &["sanitize", &fixture("edge-truncated.har"), "-o", "-"],
        b"",
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["log"]["entries"].is_array());
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped:"));
}

#[test]
fn bad_input_and_usage_fail_clearly() {
    let out_path = sanitize_tmp("never.har");
    let err = failed(&aadsts(
        &["sanitize", "-", "-o", out_path.to_str().unwrap()],
        b"AADSTS50076 plain text",
    ));
    assert!(err.contains("not a HAR"), "{err}");
    assert!(!out_path.exists(), "no output is left behind");
    let err = failed(&aadsts(
        &["sanitize", "-", "-o", "-"],
        b"{\"log\":{\"version\":\"1.2\"}} ",
    ));
    assert!(
        err.contains("not a HAR") || err.contains("entries"),
        "{err}"
    );
    assert!(failed(&aadsts(&["sanitize", "-"], b"")).contains("-o"));
    assert!(failed(&aadsts(&["sanitize", "-o", "-"], b"")).contains("input"));
    assert!(
        failed(&aadsts(&["sanitize", "-", "-o", "-", "--key", "00"], b""))
            .contains("--pseudonymize")
    );
    assert!(failed(&aadsts(
        &["sanitize", "-", "-o", "-", "--pseudonymize", "--key", "xyz"],
        b""
    ))
    .contains("32 hex"));
    assert!(
        failed(&aadsts(&["sanitize", "/no/such/file.har", "-o", "-"], b"")).contains("cannot read")
    );
    assert!(
        failed(&aadsts(&["sanitize", "-", "-o", "-", "--bogus"], b"")).contains("unknown option")
    );
    let input = fixture("firefox-success.har");
    assert!(failed(&aadsts(&["sanitize", &input, "-o", &input], b"")).contains("overwrite"));
}

/// A capture on disk is read from wherever the analysis wants (media bodies
/// of a declared size are skipped unread); from a pipe it is read in order.
/// Both give the same report, also when a `size` lies and the body is read after all.
#[test]
fn a_capture_on_disk_skips_media_bodies_and_reports_as_read_in_order() {
    let body = "QUJD".repeat(50_000); // the base64 of 150,000 bytes
    let image = |i: usize, size: usize| {
        format!(
            r#"{{"startedDateTime":"2024-06-01T10:00:0{i}.000Z","request":{{"method":"GET","url":"https://cdn.example/{i}.png","headers":[]}},"response":{{"status":200,"headers":[],"content":{{"size":{size},"mimeType":"image/png","text":"{body}","encoding":"base64"}}}}}}"#
        )
    };
    let error = r#"{"startedDateTime":"2024-06-01T10:00:05.000Z","request":{"method":"POST","url":"https://login.microsoftonline.com/common/oauth2/v2.0/token","headers":[]},"response":{"status":400,"headers":[],"content":{"mimeType":"application/json","text":"{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\"}"}}}"#;
    let doc = format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[{},{},{error},{}]}}}}"#,
        image(0, 150_000),
        image(1, 149_000), // a size that lies: that body is read
        image(2, 150_000),
    );
    let dir = std::env::temp_dir().join(format!("aadsts-cli-seek-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("capture.har");
    std::fs::write(&path, &doc).unwrap();
    let from_disk = aadsts(&["scan", "--json", path.to_str().unwrap()], b"");
    let from_pipe = aadsts(&["scan", "--json", "-"], doc.as_bytes());
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(from_disk.status.success());
    assert_eq!(json(&from_disk), json(&from_pipe));
    let report = json(&from_disk);
    assert_eq!(report["summary"]["entries"], 4);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == 700082));
}
