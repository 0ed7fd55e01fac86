//! Bad input through the `aadsts` CLI: every row of the shared table
//! (`tests/bad_input/cases.rs`) piped into `aadsts scan --json -`, checked
//! for its exit code, message and partial result, within its time limit and
//! without a panic. The same rows run through the WASM API in `tests/wasm.rs`.
//!
//! Rows stream their bytes into the pipe from a writer thread, so the 1 GB
//! row never sits in the test's memory; the child's peak memory is read from
//! `/proc` while it runs, to show the capture is streamed.
#![cfg(not(target_arch = "wasm32"))]

#[path = "bad_input/cases.rs"]
mod cases;

use aadsts_explainer::analyze_har;
use cases::{Case, FIXTURE};
use serde_json::Value;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What one CLI run gave.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    took: Duration,
    /// Peak resident memory of the child, in KiB, where `/proc` tells it.
    peak_kib: Option<u64>,
}

/// Peak resident memory (VmHWM) of a running process.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `aadsts scan --json -`, started with every stream piped.
fn scan_json() -> Child {
    Command::new(env!("CARGO_BIN_EXE_aadsts"))
        .args(["scan", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Run `aadsts scan --json -` with the row's bytes on stdin.
fn run(case: &Case) -> Run {
    let started = Instant::now();
    let mut child = scan_json();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let make = case.make;
    let writer = std::thread::spawn(move || {
        // The CLI may stop reading early (an archive is named from its first
        // bytes): a broken pipe then is expected, not a failure.
        let mut ok = true;
        make(&mut |b: &[u8]| ok = ok && stdin.write_all(b).is_ok());
    });
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let mut stderr = String::new();
    let err_reader = std::thread::spawn(move || {
        let _ = err.read_to_string(&mut stderr);
        stderr
    });
    // Sample the child's peak memory until it exits.
    let mut peak = None;
    let status = loop {
        if let Some(kib) = peak_kib(pid) {
            peak = Some(kib);
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    writer.join().unwrap();
    Run {
        code: status.code(),
        stdout: reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
        took: started.elapsed(),
        peak_kib: peak,
    }
}

fn check_run(case: &Case, r: &Run) -> Result<(), String> {
    if r.stderr.contains("panicked") {
        return Err(format!("panic: {}", r.stderr));
    }
    if r.code != Some(case.exit) {
        return Err(format!(
            "exit {:?}, want {}: {}",
            r.code, case.exit, r.stderr
        ));
    }
    if r.took > Duration::from_secs(case.max_secs) {
        return Err(format!("took {:?}, limit {} s", r.took, case.max_secs));
    }
    if case.exit == 2 {
        // One line on stderr that says what the input is and what to do.
        let line = r.stderr.trim_end();
        return if line.lines().count() == 1 && line.contains(case.message) {
            Ok(())
        } else {
            Err(format!("stderr {line:?}, want {:?}", case.message))
        };
    }
    let v: Value =
        serde_json::from_slice(&r.stdout).map_err(|e| format!("stdout not JSON: {e}"))?;
    cases::check(case, &v)
}

/// Every row but the 1 GB ones (each its own test below).
#[test]
fn every_row_gets_a_clear_answer_through_the_cli() {
    let mut failures = Vec::new();
    for case in cases::cases().iter().filter(|c| c.wasm) {
        let r = run(case);
        if let Err(e) = check_run(case, &r) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A 1 GB row: streamed through a pipe, it must finish in bounded time with
/// the memory of one entry or one part of the text, not of the file. Each
/// takes 15-30 s with the debug CLI, so each is its own test (they run side
/// by side).
fn big_row(name: &str) {
    let case = cases::cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("row");
    let r = run(&case);
    check_run(&case, &r).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    if let Some(kib) = r.peak_kib {
        // One 1 MiB entry, or one 16 MiB part of text (with its lowercase
        // and decoded copies): 128 MiB leaves room for the reader's buffers.
        assert!(kib < 128 * 1024, "{}: peak {kib} KiB", case.name);
    }
    eprintln!("{}: {:?}, peak {:?} KiB", case.name, r.took, r.peak_kib);
}

#[test]
fn a_1_gb_capture_streams_in_bounded_memory() {
    big_row("a 1 GB HAR capture through a pipe");
}

#[test]
fn a_1_gb_text_log_streams_in_bounded_memory() {
    big_row("a 1 GB text log through a pipe");
}

#[test]
fn every_big_row_has_its_own_test() {
    let big: Vec<&str> = cases::cases()
        .iter()
        .filter(|c| !c.wasm)
        .map(|c| c.name)
        .collect();
    assert_eq!(
        big,
        [
            "a 1 GB HAR capture through a pipe",
            "a 1 GB text log through a pipe"
        ],
        "a new row with wasm: false needs a test above"
    );
}

/// A real capture cut before and after every structural character: never a
/// panic, the entries complete before the cut, and where it stopped.
#[test]
fn a_capture_cut_anywhere_keeps_what_came_before() {
    let cuts = cases::structural_cuts();
    assert!(cuts.len() > 1000, "only {} cuts", cuts.len());
    for &cut in &cuts {
        let v = serde_json::to_value(analyze_har(&FIXTURE[..cut])).unwrap();
        cases::check_cut(cut, &v).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
    }
    // The CLI on a sample of the same cuts (one process each), from inside
    // `entries` on: a shorter prefix with no entry is rightly read as text.
    let entries_at = FIXTURE
        .windows(9)
        .position(|w| w == b"\"entries\"")
        .unwrap()
        + 9;
    for &cut in cuts.iter().filter(|&&c| c > entries_at).step_by(97) {
        let v: Value = serde_json::from_slice(&run_bytes(&FIXTURE[..cut])).unwrap();
        cases::check_cut(cut, &v).unwrap_or_else(|e| panic!("CLI, cut at {cut}: {e}"));
    }
}

/// `aadsts scan --json -` on bytes in memory; its stdout.
fn run_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut child = scan_json();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
