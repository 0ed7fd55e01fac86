//! `aadsts`: the command-line face of the core, for support engineers and tests.
//!
//! The contract (tests and tools depend on it):
//! - `aadsts scan [--json] [FILE|-]`
//! - `aadsts explain CODE|WORDS [--json]`
//! - `aadsts list [--json]`
//! - `aadsts search WORDS [--json]`
//! - `aadsts sanitize IN.har|- -o OUT.har|- [--report FILE] [--pseudonymize [--key HEX]]`
//! - exit 0 on success with or without findings; 2 with one line on stderr
//!   for bad usage or unreadable input.

mod render;
mod sanitize;
mod scan;

use aadsts_explainer::{self as core, kb, Error, ErrorKind};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
aadsts: explain Microsoft Entra ID (AADSTS) sign-in errors, offline

Usage:
  aadsts scan [--json] [FILE|-]      find every error in a text, log or HAR capture (stdin if no FILE)
  aadsts scan DIR                    every .har under DIR, in parallel, one JSON line per file
  aadsts explain CODE|WORDS [--json] one knowledge-base entry (50074, AADSTS50074, invalid_grant)
  aadsts search WORDS [--json]       rank entries for words (\"redirect uri\", \"locked\")
  aadsts list [--json]               every knowledge-base entry
  aadsts sanitize IN.har -o OUT.har [--report FILE] [--pseudonymize] [--key HEX]
                                     remove every credential from a HAR capture (- for stdin/stdout);
                                     --pseudonymize also replaces e-mails, names, IPs, user and
                                     tenant IDs with keyed pseudonyms (random key unless --key)
  aadsts --version | --help

Nothing is sent anywhere: everything runs on this machine.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "aadsts: {e}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn usage(msg: &str) -> Error {
    Error::new(ErrorKind::Usage, format!("{msg} (see aadsts --help)"))
}

/// Split flags from positional arguments; unknown flags are usage errors.
fn parse<'a>(args: &'a [String], known: &[&str]) -> Result<(Vec<&'a str>, Vec<&'a str>), Error> {
    let (mut flags, mut pos) = (Vec::new(), Vec::new());
    for a in args {
        if a.starts_with("--") || (a.starts_with('-') && a.len() > 1) {
            if !known.contains(&a.as_str()) {
                return Err(usage(&format!("unknown option {a}")));
            }
            flags.push(a.as_str());
        } else {
            pos.push(a.as_str());
        }
    }
    Ok((flags, pos))
}

fn run(args: &[String]) -> Result<(), Error> {
    let Some(cmd) = args.first() else {
        return Err(usage("no command given"));
    };
    let rest = &args[1..];
    let mut out = std::io::stdout().lock();
    let text = match cmd.as_str() {
        "--help" | "-h" | "help" => format!("{USAGE}\n"),
        "--version" | "-V" | "version" => {
            let v = core::version_info();
            format!(
                "aadsts {} (knowledge base {}, {} entries, {} AADSTS codes)\n",
                v.version, v.kb_date, v.kb_entries, v.kb_aadsts_entries
            )
        }
        "scan" => {
            let (flags, pos) = parse(rest, &["--json"])?;
            if pos.len() > 1 {
                return Err(usage("scan takes one FILE, DIR or -"));
            }
            let path = pos.first().copied().unwrap_or("-");
            let as_json = flags.contains(&"--json");
            if path != "-" && std::path::Path::new(path).is_dir() {
                scan::directory(path)?
            } else {
                match scan::input(path)? {
                    scan::Scanned::Text(report) if as_json => json(&report)?,
                    scan::Scanned::Text(report) => render::scan(&report),
                    scan::Scanned::Har(report) if as_json => json(&report)?,
                    scan::Scanned::Har(report) => render::har(&report),
                }
            }
        }
        "explain" => {
            let (flags, pos) = parse(rest, &["--json"])?;
            if pos.is_empty() {
                return Err(usage("explain needs a code or words"));
            }
            let query = pos.join(" ");
            let entry = core::explain(&query)
                .or_else(|| core::search(&query, 1).first().map(|h| h.entry))
                .ok_or_else(|| {
                    let digits = query
                        .trim()
                        .trim_start_matches(|c: char| c.is_ascii_alphabetic());
                    let hint = match digits.parse::<u32>() {
                        Ok(code) => format!("; Microsoft's look-up page: {}", kb::lookup_url(code)),
                        Err(_) => String::new(),
                    };
                    Error::new(
                        ErrorKind::NotFound,
                        format!("no knowledge-base entry for {query:?}{hint}"),
                    )
                })?;
            if flags.contains(&"--json") {
                json(entry)?
            } else {
                render::entry(entry)
            }
        }
        "search" => {
            let (flags, pos) = parse(rest, &["--json"])?;
            if pos.is_empty() {
                return Err(usage("search needs words"));
            }
            let hits = core::search(&pos.join(" "), 20);
            if flags.contains(&"--json") {
                json(&hits)?
            } else {
                render::hits(&hits)
            }
        }
        "list" => {
            let (flags, pos) = parse(rest, &["--json"])?;
            if !pos.is_empty() {
                return Err(usage("list takes no arguments"));
            }
            let all: Vec<&kb::Entry> = kb::all().collect();
            if flags.contains(&"--json") {
                json(&all)?
            } else {
                render::list(&all)
            }
        }
        "sanitize" => return sanitize::run(rest),
        other => return Err(usage(&format!("unknown command {other:?}"))),
    };
    out.write_all(text.as_bytes()).or_else(|e| {
        // A closed pipe (`aadsts list | head`) is not an error worth a message.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(Error::from(e))
        }
    })
}

pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::new(ErrorKind::InvalidInput, e.to_string()))?;
    s.push('\n');
    Ok(s)
}
