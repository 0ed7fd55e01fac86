//! The `aadsts` CLI contract: commands, JSON shapes, exit codes.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn aadsts(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aadsts"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
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
