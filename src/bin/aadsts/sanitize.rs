//! `aadsts sanitize IN.har -o OUT.har [--report FILE] [--pseudonymize] [--key HEX]`:
//! the capture is read and written as a stream (memory bounded by its
//! largest entry); the JSON report goes to `--report`, a short summary to
//! stderr. On failure the partial output file is removed, so a half-cleaned
//! capture is never left behind to be shared by mistake.

use crate::scan::{open, read_some, CHUNK};
use crate::usage;
use aadsts_explainer::{self as core, Error, ErrorKind, HarSanitizer, SanitizeOptions};
use std::fs::File;
use std::io::{Read, Write};

struct Args<'a> {
    input: &'a str,
    output: &'a str,
    report: Option<&'a str>,
    pseudonymize: bool,
    key: Option<&'a str>,
}

fn parse(args: &[String]) -> Result<Args<'_>, Error> {
    let (mut input, mut output, mut report, mut key) = (None, None, None, None);
    let mut pseudonymize = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| usage(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "-o" | "--output" => output = Some(value(a)?),
            "--report" => report = Some(value(a)?),
            "--key" => key = Some(value(a)?),
            "--pseudonymize" => pseudonymize = true,
            f if f.starts_with('-') && f != "-" => {
                return Err(usage(&format!("unknown option {f}")))
            }
            p if input.is_none() => input = Some(p),
            _ => return Err(usage("sanitize takes one input file")),
        }
    }
    let input = input.ok_or_else(|| usage("sanitize needs an input file (or -)"))?;
    let output = output.ok_or_else(|| usage("sanitize needs -o OUT.har (or -o - for stdout)"))?;
    if key.is_some() && !pseudonymize {
        return Err(usage("--key goes with --pseudonymize"));
    }
    Ok(Args {
        input,
        output,
        report,
        pseudonymize,
        key,
    })
}

/// 32 hex digits, or 16 bytes from the system's random source.
fn key(hex: Option<&str>) -> Result<[u8; 16], Error> {
    let mut key = [0u8; 16];
    match hex {
        Some(h) => {
            let digits: Vec<u8> = h
                .bytes()
                .filter_map(|b| (b as char).to_digit(16).map(|d| d as u8))
                .collect();
            if h.len() != 32 || digits.len() != 32 {
                return Err(usage("--key takes 32 hex digits (16 bytes)"));
            }
            for (i, k) in key.iter_mut().enumerate() {
                *k = digits[2 * i] << 4 | digits[2 * i + 1];
            }
        }
        None => File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut key))
            .map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot read a random key from /dev/urandom: {e}; give one with --key"),
                )
            })?,
    }
    Ok(key)
}

pub fn run(args: &[String]) -> Result<(), Error> {
    let a = parse(args)?;
    let options = SanitizeOptions {
        pseudonymize: a.pseudonymize,
        key: key(a.key)?,
    };
    if a.output != "-" && a.input != "-" && same_file(a.input, a.output) {
        return Err(usage(
            "the output would overwrite the input; choose another -o",
        ));
    }
    let mut r = open(a.input)?;
    let mut chunk = vec![0u8; CHUNK];
    let n = read_some(&mut r, &mut chunk, a.input)?;
    if !core::looks_like_har(&chunk[..n]) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} is not a HAR capture (JSON with a \"log\" object)",
                a.input
            ),
        ));
    }
    let mut sink: Box<dyn Write> = if a.output == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        let f = File::create(a.output)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write {}: {e}", a.output)))?;
        Box::new(std::io::BufWriter::new(f))
    };
    let result = stream(&mut r, &mut chunk, n, &mut sink, &a, &options);
    drop(sink);
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            if a.output != "-" {
                let _ = std::fs::remove_file(a.output);
            }
            return Err(e);
        }
    };
    if let Some(path) = a.report {
        let json = crate::json(&report)?;
        std::fs::write(path, json)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write {path}: {e}")))?;
    }
    let _ = write!(std::io::stderr(), "aadsts sanitize: {}", report.summary());
    Ok(())
}

/// Read, sanitize and write until the input ends.
fn stream(
    r: &mut dyn Read,
    chunk: &mut [u8],
    first: usize,
    sink: &mut dyn Write,
    a: &Args<'_>,
    options: &SanitizeOptions,
) -> Result<core::SanitizeReport, Error> {
    let write_err =
        |e: std::io::Error| Error::new(ErrorKind::Io, format!("cannot write {}: {e}", a.output));
    let mut s = HarSanitizer::new(options);
    let mut out = Vec::with_capacity(CHUNK);
    let mut n = first;
    while n > 0 {
        s.feed(&chunk[..n], &mut out);
        sink.write_all(&out).map_err(write_err)?;
        out.clear();
        n = read_some(r, chunk, a.input)?;
    }
    let report = s
        .finish(&mut out)
        .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("{}: {e}", a.input)))?;
    sink.write_all(&out)
        .and_then(|()| sink.flush())
        .map_err(write_err)?;
    Ok(report)
}

fn same_file(a: &str, b: &str) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
