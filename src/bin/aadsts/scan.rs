//! Reading what `aadsts scan` is given: text or a HAR capture (told apart by
//! content), from a file or standard input, read incrementally; or a folder
//! of captures scanned in parallel.

use aadsts_explainer::sniff::{sniff, Sniffed};
use aadsts_explainer::{
    self as core, Error, ErrorKind, HarAnalyzer, HarReport, ScanReport, TextScanner,
};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Chunk size for incremental reads.
pub const CHUNK: usize = 1 << 20;
/// The read after a skipped body.
const SMALL_READ: usize = 64 << 10;
/// UTF-16 text is converted in memory; larger is refused with a clear message.
/// (UTF-8 text of any size streams in parts.)
const MAX_TEXT: usize = 512 << 20;

pub enum Scanned {
    Text(ScanReport),
    Har(HarReport),
}

/// What is read: standard input, or a file that can be read from any offset.
pub enum Source {
    Stream(Box<dyn Read>),
    File(File, u64),
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::Stream(r) => r.read(buf),
            Source::File(f, _) => f.read(buf),
        }
    }
}

pub fn open(path: &str) -> Result<Source, Error> {
    if path == "-" {
        return Ok(Source::Stream(Box::new(std::io::stdin().lock())));
    }
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {path}: {e}")))?;
    if meta.is_dir() {
        return Err(Error::new(
            ErrorKind::Io,
            format!("cannot read {path}: it is a directory"),
        ));
    }
    let f = File::open(path)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {path}: {e}")))?;
    Ok(if meta.is_file() {
        Source::File(f, meta.len())
    } else {
        // A pipe or a device: read in order.
        Source::Stream(Box::new(f))
    })
}

pub fn read_some(r: &mut dyn Read, buf: &mut [u8], path: &str) -> Result<usize, Error> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!("cannot read {path}: {e}"),
                ))
            }
        }
    }
}

/// Scan one input. A HAR is analysed as a stream; text is scanned whole.
pub fn input(path: &str) -> Result<Scanned, Error> {
    let mut r = open(path)?;
    let mut chunk = vec![0u8; CHUNK];
    // Fill the first 64 KiB (or less, at the end) to tell HAR from text.
    let mut head = Vec::new();
    while head.len() < 65_536 {
        let n = read_some(&mut r, &mut chunk, path)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    // An archive or a picture gets one clear line and exit 2, as unreadable input does.
    if let Sniffed::Format(f) = sniff(&head) {
        let name = if path == "-" { "standard input" } else { path };
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{name}: {}", f.message),
        ));
    }
    if core::looks_like_har(&head) {
        // A file on disk is read from wherever the analysis wants, so media
        // bodies it would not read anyway are skipped; a stream is read in order.
        let mut a = match &r {
            Source::File(_, len) => HarAnalyzer::seekable(*len),
            Source::Stream(_) => HarAnalyzer::new(),
        };
        let mut at = head.len() as u64;
        a.feed_at(0, &head);
        // Keep the bytes in case it turns out not to be a HAR after all (small inputs only).
        let mut kept = Some(head);
        // After a skip, a small read: it often reaches the next body to skip.
        // Reading on, reads double back up to CHUNK.
        let mut len = CHUNK;
        while let Some(want) = a.wanted() {
            len = if want == at {
                CHUNK.min(len * 2)
            } else {
                SMALL_READ
            };
            if want != at {
                // Only a seekable analysis (a file) asks for another offset.
                let Source::File(f, _) = &mut r else {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!("cannot read {path}: it cannot be read out of order"),
                    ));
                };
                f.seek(SeekFrom::Start(want))
                    .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {path}: {e}")))?;
                // What is kept for a text fallback must be the file in order.
                kept = None;
                at = want;
            }
            let n = read_some(&mut r, &mut chunk[..len], path)?;
            if n == 0 {
                break;
            }
            a.feed_at(at, &chunk[..n]);
            at += n as u64;
            // Once an entry was read it is a HAR; the copy kept for a text fallback goes,
            // so memory stays bounded by the largest entry.
            if a.progress().entries > 0 {
                kept = None;
            }
            if let Some(k) = kept.as_mut() {
                if k.len() + n > MAX_TEXT {
                    kept = None;
                } else {
                    k.extend_from_slice(&chunk[..n]);
                }
            }
        }
        let report = a.finish();
        if report.not_har && report.summary.entries == 0 {
            if let Some(bytes) = kept {
                let mut text = core::scan_bytes(&bytes);
                text.warnings.extend(report.warnings);
                return Ok(Scanned::Text(text));
            }
        }
        return Ok(Scanned::Har(report));
    }
    // Text streams through the core's scanner in parts; only UTF-16, which is
    // converted whole, is held, and refused past MAX_TEXT.
    let mut text = TextScanner::new();
    text.feed(&head);
    loop {
        let n = read_some(&mut r, &mut chunk, path)?;
        if n == 0 {
            break;
        }
        text.feed(&chunk[..n]);
        if text.buffered() > MAX_TEXT {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("{path} is UTF-16 text larger than {} MiB; convert it to UTF-8, or scan the part around the error", MAX_TEXT >> 20),
            ));
        }
    }
    Ok(Scanned::Text(text.finish()))
}

fn har_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            har_files(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("har")) {
            out.push(p);
        }
    }
}

/// Every `.har` under a folder, on all cores; one JSON line per file, in path order.
pub fn directory(dir: &str) -> Result<String, Error> {
    let mut files = Vec::new();
    har_files(Path::new(dir), &mut files);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<String>> = files
        .iter()
        .map(|_| std::sync::Mutex::new(String::new()))
        .collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let name = path.display().to_string();
                let line = match input(&name) {
                    Ok(Scanned::Har(r)) => serde_json::json!({ "file": name, "har": r }),
                    Ok(Scanned::Text(r)) => serde_json::json!({ "file": name, "text": r }),
                    Err(e) => serde_json::json!({ "file": name, "error": e.message() }),
                };
                *results[i].lock().unwrap_or_else(|p| p.into_inner()) = line.to_string();
            });
        }
    });
    let mut out = String::new();
    for r in results {
        out.push_str(&r.into_inner().unwrap_or_else(|p| p.into_inner()));
        out.push('\n');
    }
    Ok(out)
}
