//! The detector against real error texts: every `[[case]]` in
//! `tests/corpus/*.toml` is an input with its expected codes and IDs.
//! Adding a case is adding a row; every failing row is reported at once.
#![cfg(not(target_arch = "wasm32"))]

use aadsts_explainer::{scan_text, Kind};
use std::fs;
use std::path::PathBuf;
use toml::Value;

struct Case {
    file: String,
    index: usize,
    row: Value,
}

fn cases() -> Vec<Case> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: Value = toml::from_str(&fs::read_to_string(&f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        for (index, row) in v["case"].as_array().unwrap().iter().enumerate() {
            out.push(Case {
                file: name.clone(),
                index,
                row: row.clone(),
            });
        }
    }
    out
}

#[test]
fn corpus_rows_are_complete() {
    let all = cases();
    let mut problems = Vec::new();
    for c in &all {
        for key in ["source", "shape", "input", "codes"] {
            if c.row.get(key).is_none() {
                problems.push(format!("{} case {}: no `{key}`", c.file, c.index));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let positives = all
        .iter()
        .filter(|c| !c.row["codes"].as_array().unwrap().is_empty())
        .count();
    let negatives = all.len() - positives;
    assert!(positives >= 150, "only {positives} positive rows");
    assert!(negatives >= 30, "only {negatives} negative rows");
}

#[test]
fn detector_matches_every_corpus_row() {
    let mut failures = Vec::new();
    let all = cases();
    for c in &all {
        let input = c.row["input"].as_str().unwrap();
        let report = scan_text(input);
        let want: Vec<u32> = c.row["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_integer().unwrap() as u32)
            .collect();
        let got: Vec<u32> = report
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Aadsts)
            .filter_map(|f| f.code)
            .collect();
        let label = format!(
            "{} case {} ({}, {})",
            c.file,
            c.index,
            c.row["shape"].as_str().unwrap_or("?"),
            c.row["source"].as_str().unwrap_or("?")
        );
        if got != want {
            failures.push(format!("{label}: codes {got:?}, want {want:?}"));
            continue;
        }
        // Expected IDs belong to a finding; a text with no Entra code has none to carry them.
        if want.is_empty() {
            continue;
        }
        for (key, pick) in [
            (
                "trace_id",
                (|f: &aadsts_explainer::Finding| f.trace_id.clone()) as fn(&_) -> Option<String>,
            ),
            ("correlation_id", |f| f.correlation_id.clone()),
            ("timestamp", |f| f.timestamp.clone()),
            ("error", |f| f.error.clone()),
            ("suberror", |f| f.suberror.clone()),
        ] {
            if let Some(want) = c.row.get(key).and_then(Value::as_str) {
                let found: Vec<String> = report.findings.iter().filter_map(pick).collect();
                if !found.iter().any(|g| g.eq_ignore_ascii_case(want)) {
                    failures.push(format!("{label}: {key} {found:?}, want {want:?}"));
                }
            }
        }
        // Spans must point at the code in the input as pasted.
        for f in report.findings.iter().filter(|f| f.kind == Kind::Aadsts) {
            let at = input.get(f.span.start..f.span.end).unwrap_or("");
            let digits = f.code.unwrap().to_string();
            if !at.contains(&digits) && !at.to_ascii_lowercase().contains("aadsts") {
                failures.push(format!(
                    "{label}: span {:?} covers {at:?}, not the code {digits}",
                    f.span
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
