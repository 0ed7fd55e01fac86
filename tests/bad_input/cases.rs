//! The bad-input table, shared by the CLI suite (`tests/bad_input.rs`) and
//! the WASM suite (`tests/wasm.rs`), which include this file with `#[path]`.
//!
//! Each row is one kind of input people (or broken tools) hand the scanner,
//! with what must come back: the CLI's exit code, the report's shape, a
//! warning kind and a fragment of its message (or of the CLI's one-line
//! error), and the partial results that must survive. Add a row to cover a
//! new case; both suites pick it up.
//!
//! Generators write their bytes through a callback in pieces, so a row may be
//! larger than memory should hold (the 1 GB rows stream into the CLI's pipe;
//! the WASM suite skips rows with `wasm: false`).
#![allow(dead_code)] // each suite uses its own part of the helpers.

use serde_json::Value;

/// Which report the input must produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `{ findings, suggestions, warnings }` from the text scanner.
    Text,
    /// `{ summary, findings, flow, tokens, warnings, stopped?, not_har }` from the HAR reader.
    Har,
}

/// A generator: writes a row's input through the callback, in pieces.
pub type Make = fn(&mut dyn FnMut(&[u8]));

/// One row.
pub struct Case {
    pub name: &'static str,
    /// Writes the input, in pieces.
    pub make: Make,
    /// Exit code of `aadsts scan --json -`: 0, or 2 for input it cannot read
    /// (then the message fragment is looked for on stderr).
    pub exit: i32,
    pub shape: Shape,
    /// A warning kind the report must carry.
    pub warning: Option<&'static str>,
    /// A fragment of that warning's message, or of the CLI's error line.
    pub message: &'static str,
    /// The AADSTS codes that must be found, in order (the partial result).
    pub codes: &'static [u32],
    /// HAR only: `summary.entries`.
    pub entries: Option<u64>,
    /// HAR only: `stopped.entries`, when reading must stop early and say where.
    pub stopped: Option<u64>,
    /// Whether the WASM suite runs it (Node's memory: no 1 GB rows).
    pub wasm: bool,
    /// The CLI must finish within this (a debug build; generous on purpose).
    pub max_secs: u64,
}

/// The error text most rows carry, so a partial result is visible.
pub const MFA: &str = "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\r\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\r\n";

/// A real capture (Fiddler, 4 entries, AADSTS53003), for the HAR rows.
pub const FIXTURE: &[u8] = include_bytes!("../har/fiddler-ca-blocked-desktop.har");
pub const FIXTURE_ENTRIES: u64 = 4;

/// The table. Defaults for the fields most rows share come from [`row`].
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            warning: Some("empty"),
            message: "empty",
            ..row("empty input", |_| {})
        },
        Case {
            warning: Some("binary"),
            message: "binary data",
            codes: &[50076],
            ..row("random binary with an error string inside", |w| {
                let junk = noise(64 * 1024);
                w(&junk[..32 * 1024]);
                w(MFA.as_bytes());
                w(&junk[32 * 1024..]);
            })
        },
        Case {
            warning: Some("not-utf8"),
            message: "not valid UTF-8",
            codes: &[50076],
            ..row("invalid UTF-8", |w| {
                w(b"Sign-in log \xC3\x28 \xA0\xA1 \xF0\x28\x8C\x28\n");
                w(MFA.as_bytes());
                w(b"\xED\xA0\x80 lone surrogate, overlong \xC0\xAF\n");
            })
        },
        Case {
            warning: Some("utf16"),
            message: "little-endian",
            codes: &[50076],
            ..row("UTF-16LE with BOM (PowerShell Out-File)", |w| {
                w(&utf16(MFA.as_bytes(), false))
            })
        },
        Case {
            warning: Some("utf16"),
            message: "big-endian",
            codes: &[50076],
            ..row("UTF-16BE with BOM", |w| w(&utf16(MFA.as_bytes(), true)))
        },
        Case {
            shape: Shape::Har,
            warning: Some("utf16"),
            message: "converted to UTF-8",
            codes: &[53003],
            entries: Some(FIXTURE_ENTRIES),
            ..row("UTF-16LE HAR capture", |w| w(&utf16(FIXTURE, false)))
        },
        Case {
            codes: &[50076],
            ..row("a 20 MB single line", |w| {
                let filler = vec![b'x'; 1 << 20];
                for i in 0..20 {
                    if i == 10 {
                        w(b" AADSTS50076: Due to a configuration change, you must use MFA. ");
                    }
                    w(&filler);
                }
            })
        },
        Case {
            codes: &[50076],
            ..row("JSON nested 200,000 deep", |w| {
                w(&vec![b'['; 200_000]);
                w(b"{\"error_description\":\"AADSTS50076: MFA required\"}");
                w(&vec![b']'; 200_000]);
            })
        },
        Case {
            shape: Shape::Har,
            warning: Some("har-damaged"),
            message: "nested more than",
            codes: &[53003],
            entries: Some(FIXTURE_ENTRIES),
            stopped: Some(FIXTURE_ENTRIES),
            ..row("HAR with an entry nested 200,000 deep", |w| {
                let (head, _) = split_entries(FIXTURE);
                w(head.strip_suffix(b"]}}").expect("fixture ends in ]}}"));
                w(b",{\"deep\":");
                w(&vec![b'['; 200_000]);
                w(&vec![b']'; 200_000]);
                w(b"}]}}");
            })
        },
        Case {
            shape: Shape::Har,
            warning: Some("har-bad-entry"),
            message: "is not an object",
            codes: &[53003],
            entries: Some(FIXTURE_ENTRIES + 5),
            ..row("HAR whose entries hold numbers, strings, nulls", |w| {
                let (head, _) = split_entries(FIXTURE);
                let at = head
                    .windows(11)
                    .position(|x| x == b"\"entries\":[")
                    .unwrap()
                    + 11;
                w(&head[..at]);
                w(b"1, -2.5e3, \"x\", null, true, ");
                w(&head[at..]);
            })
        },
        Case {
            shape: Shape::Har,
            warning: Some("har-truncated"),
            message: "ends in the middle of entry index 2",
            codes: &[53003],
            entries: Some(2),
            stopped: Some(2),
            ..row("HAR cut off inside its third entry", |w| {
                let (_, ends) = split_entries(FIXTURE);
                w(&FIXTURE[..ends[1] + 40]);
            })
        },
        Case {
            exit: 2,
            warning: Some("archive"),
            message: "gzip-compressed file",
            ..row("gzip of a HAR", |w| w(&gzip_stored(FIXTURE)))
        },
        Case {
            exit: 2,
            warning: Some("archive"),
            message: "zip archive",
            ..row("zip of a HAR", |w| w(&zip_stored(b"capture.har", FIXTURE)))
        },
        Case {
            exit: 2,
            warning: Some("document"),
            message: "PNG image",
            ..row("a screenshot (PNG)", |w| {
                w(b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR");
                w(&noise(4096));
            })
        },
        Case {
            shape: Shape::Har,
            codes: &[70008],
            entries: Some(GB_ENTRIES + 2),
            wasm: false,
            max_secs: 120,
            ..row("a 1 GB HAR capture through a pipe", big_har)
        },
        Case {
            warning: Some("large-text"),
            message: "parts cut at line ends",
            codes: &[50076, 70008],
            wasm: false,
            max_secs: 120,
            ..row("a 1 GB text log through a pipe", big_log)
        },
    ]
}

/// A text row that must be read without complaint; the fields a row changes are set on top.
fn row(name: &'static str, make: Make) -> Case {
    Case {
        name,
        make,
        exit: 0,
        shape: Shape::Text,
        warning: None,
        message: "",
        codes: &[],
        entries: None,
        stopped: None,
        wasm: true,
        max_secs: 30,
    }
}

/// The whole input of a row, for the suites that take bytes in memory.
pub fn bytes(case: &Case) -> Vec<u8> {
    let mut all = Vec::new();
    (case.make)(&mut |b: &[u8]| all.extend_from_slice(b));
    all
}

/// Check a report (as JSON) against a row; `Err` says what is wrong.
pub fn check(case: &Case, v: &Value) -> Result<(), String> {
    let is_har = v.get("summary").is_some();
    let shape = if case.exit == 2 {
        Shape::Text
    } else {
        case.shape
    };
    // The WASM API answers an archive with a text report naming it, where the CLI exits 2.
    if case.exit != 2 && is_har != (shape == Shape::Har) {
        return Err(format!("want a {shape:?} report, got {v}"));
    }
    let warnings = v["warnings"].as_array().ok_or("no warnings array")?;
    if let Some(kind) = case.warning {
        let w = warnings
            .iter()
            .find(|w| w["kind"] == kind)
            .ok_or_else(|| format!("no {kind:?} warning in {warnings:?}"))?;
        let msg = w["message"].as_str().unwrap_or_default();
        if !msg.contains(case.message) {
            return Err(format!("{kind:?} says {msg:?}, want {:?}", case.message));
        }
    }
    let codes: Vec<u64> = v["findings"]
        .as_array()
        .ok_or("no findings array")?
        .iter()
        .filter_map(|f| f["code"].as_u64())
        .collect();
    let want: Vec<u64> = case.codes.iter().map(|&c| u64::from(c)).collect();
    if codes != want {
        return Err(format!("codes {codes:?}, want {want:?}"));
    }
    if let Some(n) = case.entries {
        if v["summary"]["entries"] != n {
            return Err(format!("entries {}, want {n}", v["summary"]["entries"]));
        }
    }
    match (case.stopped, v.get("stopped")) {
        (Some(n), Some(s)) if s["entries"] == n && s["byte_offset"].is_u64() => {}
        (None, None) => {}
        (want, got) => return Err(format!("stopped {got:?}, want entries {want:?}")),
    }
    Ok(())
}

/// Deterministic noise (xorshift), with NULs and control bytes aplenty.
pub fn noise(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// `bytes` (UTF-8) as UTF-16 with a byte-order mark.
pub fn utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    std::iter::once(0xFEFF)
        .chain(text.encode_utf16())
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

/// The capture with its last `]}}` normalised, and the offset of each
/// entry's closing brace, found by an independent little JSON walk (depth
/// and strings only) so the tests do not trust the splitter they test.
pub fn split_entries(har: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut ends = Vec::new();
    for (i, &b) in har.iter().enumerate() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                // `{"log":{"entries":[ {…} ]}}`: an entry closes back to depth 3.
                if depth == 3 && b == b'}' {
                    ends.push(i);
                }
            }
            _ => {}
        }
    }
    // Fixtures keep `entries` last in `log`; rebuild the tail without white space.
    let last = *ends.last().expect("entries");
    let mut head = har[..=last].to_vec();
    head.extend_from_slice(b"]}}");
    (head, ends)
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A valid gzip file with `data` in stored (uncompressed) deflate blocks:
/// real gzip framing without a compressor in the tests.
pub fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

/// A valid one-file zip archive, the file stored uncompressed.
pub fn zip_stored(name: &[u8], data: &[u8]) -> Vec<u8> {
    let (crc, len, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
    let mut out = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0".to_vec();
    out.extend(crc.to_le_bytes());
    out.extend(len.to_le_bytes());
    out.extend(len.to_le_bytes());
    out.extend(name_len.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(data);
    let central = out.len() as u32;
    out.extend(b"PK\x01\x02\x14\0\x14\0\0\0\0\0\0\0\0\0");
    out.extend(crc.to_le_bytes());
    out.extend(len.to_le_bytes());
    out.extend(len.to_le_bytes());
    out.extend(name_len.to_le_bytes());
    out.extend([0u8; 12]);
    out.extend(0u32.to_le_bytes());
    out.extend_from_slice(name);
    let central_len = out.len() as u32 - central;
    out.extend(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    out.extend(central_len.to_le_bytes());
    out.extend(central.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Entries of the 1 GB capture: 1 MiB image bodies (skipped by MIME type,
/// as in real captures), plus a token error first and a sign-in page last.
pub const GB_ENTRIES: u64 = 1024;

/// About 1 GiB of HAR, written piece by piece so the test never holds it.
fn big_har(w: &mut dyn FnMut(&[u8])) {
    w(br#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":["#);
    w(br#"{"startedDateTime":"2024-05-06T07:08:09.000Z","request":{"method":"POST","url":"https://login.microsoftonline.com/common/oauth2/v2.0/token","headers":[]},"response":{"status":400,"headers":[],"content":{"mimeType":"application/json","text":"{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\",\"error_codes\":[70008]}"}}},"#);
    let body = "QUFB".repeat(1 << 18);
    let image = format!(
        r#"{{"startedDateTime":"2024-05-06T07:08:10.000Z","request":{{"method":"GET","url":"https://cdn.example/img.png","headers":[]}},"response":{{"status":200,"headers":[],"content":{{"mimeType":"image/png","encoding":"base64","text":"{body}"}}}}}},"#
    );
    for _ in 0..GB_ENTRIES {
        w(image.as_bytes());
    }
    w(br#"{"startedDateTime":"2024-05-06T07:09:00.000Z","request":{"method":"GET","url":"https://app.example/","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"text/html","text":"ok"}}}]}}"#);
}

/// Where to cut [`FIXTURE`] for the truncation sweep: before and after every
/// structural character (`{}[],:"`), which covers every state of the reader.
pub fn structural_cuts() -> Vec<usize> {
    let mut cuts: Vec<usize> = FIXTURE
        .iter()
        .enumerate()
        .filter(|(_, b)| b"{}[],:\"".contains(b))
        .flat_map(|(i, _)| [i, i + 1])
        .collect();
    cuts.dedup();
    cuts
}

/// Check the report for `FIXTURE[..cut]`: the entries complete before the
/// cut are all there, and a capture cut inside `entries` says where it stopped.
pub fn check_cut(cut: usize, v: &Value) -> Result<(), String> {
    let (_, ends) = split_entries(FIXTURE);
    let complete = ends.iter().filter(|&&e| e < cut).count() as u64;
    // The `]` that closes `entries`: past it the capture is whole as far as we read.
    let after_last = ends[ends.len() - 1] + 1;
    let close = after_last
        + FIXTURE[after_last..]
            .iter()
            .position(|&b| b == b']')
            .ok_or("no ]")?;
    if v["not_har"] == true {
        // Cut before `log.entries` began: nothing to keep, and it says what it is.
        return if complete == 0 && v["warnings"][0]["kind"] == "not-har" {
            Ok(())
        } else {
            Err(format!(
                "not a HAR with {complete} entries before the cut: {v}"
            ))
        };
    }
    if v["summary"]["entries"] != complete {
        return Err(format!(
            "entries {}, want {complete}",
            v["summary"]["entries"]
        ));
    }
    match v.get("stopped") {
        None if cut > close => Ok(()),
        Some(s) if cut <= close => {
            let at = s["byte_offset"].as_u64().unwrap_or(u64::MAX);
            if s["entries"] == complete && at <= cut as u64 {
                Ok(())
            } else {
                Err(format!(
                    "stopped {s}, want {complete} entries by byte {cut}"
                ))
            }
        }
        s => Err(format!(
            "stopped {s:?} for a cut at {cut} (entries close at {close})"
        )),
    }
}

/// About 1 GiB of service log, written piece by piece: an MFA error near
/// the start, an expired-code error near the end, plain lines between.
fn big_log(w: &mut dyn FnMut(&[u8])) {
    let line = "2024-05-06T07:08:09.123Z INFO  [worker-7] request GET /api/orders handled in 12 ms, 200 OK\n";
    let block = line.repeat((1 << 20) / line.len());
    w(MFA.as_bytes());
    for _ in 0..1024 {
        w(block.as_bytes());
    }
    w(b"2024-05-06T07:09:00.000Z ERROR token refresh failed: AADSTS70008: The refresh token has expired.\n");
}
