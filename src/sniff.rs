//! What kind of bytes an input is, told from its first bytes: text (UTF-8
//! or UTF-16), a known non-text format (an archive, an image, a PDF), or
//! unknown binary data.
//!
//! People drop whatever they have: a `.har.gz` attached to a ticket, a zip
//! made with "Send to compressed folder", a screenshot of the error, or a
//! log that PowerShell's `Out-File` wrote as UTF-16. The scanners ask here
//! first, so each of those gets a plain sentence instead of "not valid
//! UTF-8" or "not a HAR capture", and UTF-16 is converted and read.
//!
//! Archives are named, not unpacked: a decompressor would grow the WASM
//! module every visitor downloads, for a case one command (or a double
//! click) solves; see `FUZZING.md` for the choice.

/// How text is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// A file format that is not text, with what to tell the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// A stable machine-readable name: `gzip`, `zip`, `png`, ...
    pub name: &'static str,
    /// The warning kind: `archive` (unpack first) or `document` (copy the text out).
    pub kind: &'static str,
    /// What to do, in a sentence or two.
    pub message: &'static str,
    magic: &'static [u8],
}

/// Formats told by their magic bytes. A new one is a row here.
const FORMATS: &[Format] = &[
    Format {
        name: "gzip",
        kind: "archive",
        magic: &[0x1F, 0x8B],
        message: "This is a gzip-compressed file, not text or a HAR capture. Unpack it first (gunzip, or 7-Zip on Windows) and scan the file inside.",
    },
    Format {
        name: "zip",
        kind: "archive",
        magic: b"PK\x03\x04",
        message: "This is a zip archive, not text or a HAR capture. Extract it first (right-click > Extract All on Windows, unzip elsewhere) and scan the .har or text file inside.",
    },
    Format {
        name: "zip",
        kind: "archive",
        magic: b"PK\x05\x06",
        message: "This is an empty zip archive: there is nothing in it to scan.",
    },
    Format {
        name: "7z",
        kind: "archive",
        magic: b"7z\xBC\xAF\x27\x1C",
        message: "This is a 7-Zip archive, not text or a HAR capture. Extract it first and scan the file inside.",
    },
    Format {
        name: "xz",
        kind: "archive",
        magic: b"\xFD7zXZ\x00",
        message: "This is an xz-compressed file, not text or a HAR capture. Unpack it first (unxz) and scan the file inside.",
    },
    Format {
        name: "bzip2",
        kind: "archive",
        // "BZh", the block size digit, then the block magic (digits of pi).
        magic: b"BZh91AY&SY",
        message: "This is a bzip2-compressed file, not text or a HAR capture. Unpack it first (bunzip2) and scan the file inside.",
    },
    Format {
        name: "zstd",
        kind: "archive",
        magic: &[0x28, 0xB5, 0x2F, 0xFD],
        message: "This is a zstd-compressed file, not text or a HAR capture. Unpack it first (unzstd) and scan the file inside.",
    },
    Format {
        name: "png",
        kind: "document",
        magic: b"\x89PNG\r\n\x1A\n",
        message: "This is a PNG image. Text in a picture cannot be read here: copy the error text itself (the sign-in page's \"Copy\" link or \"More details\") and paste it.",
    },
    Format {
        name: "jpeg",
        kind: "document",
        magic: &[0xFF, 0xD8, 0xFF],
        message: "This is a JPEG image. Text in a picture cannot be read here: copy the error text itself (the sign-in page's \"Copy\" link or \"More details\") and paste it.",
    },
    Format {
        name: "pdf",
        kind: "document",
        magic: b"%PDF-",
        message: "This is a PDF document, whose text is usually compressed. Copy the error text out of it and paste it.",
    },
];

/// What an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// Text in this encoding (UTF-8 also covers "unknown but mostly printable").
    Text(Encoding),
    /// A known format that is not text.
    Format(&'static Format),
    /// Not text, and no format we know: control bytes throughout.
    Binary,
}

/// How much of the input is looked at.
pub const SNIFF_LEN: usize = 4096;

/// Tell what `prefix` (the first bytes of the input, any length) is. Only
/// the first [`SNIFF_LEN`] bytes count, so a caller fed in chunks decides
/// the same as one given the whole input once it holds that many.
pub fn sniff(prefix: &[u8]) -> Sniffed {
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return Sniffed::Text(Encoding::Utf16Le);
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return Sniffed::Text(Encoding::Utf16Be);
    }
    let p = &prefix[..prefix.len().min(SNIFF_LEN)];
    // Text has no NUL and few control bytes; a dump or an executable has many.
    let control = p
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    // Clean text wins over a magic number that happens to be printable
    // (`%PDF-` opening a note about PDFs); every binary format has a control
    // byte or invalid UTF-8 near its start.
    let utf8 = match std::str::from_utf8(p) {
        Ok(_) => true,
        // Cut in the middle of a character by the prefix's end: still text.
        Err(e) => e.error_len().is_none(),
    };
    if utf8 && control == 0 {
        return Sniffed::Text(Encoding::Utf8);
    }
    if let Some(f) = FORMATS.iter().find(|f| prefix.starts_with(f.magic)) {
        return Sniffed::Format(f);
    }
    if let Some(e) = utf16_without_bom(p) {
        return Sniffed::Text(e);
    }
    if p.contains(&0) || control * 10 > p.len() {
        return Sniffed::Binary;
    }
    Sniffed::Text(Encoding::Utf8)
}

/// UTF-16 without a byte-order mark: mostly ASCII text, so every other byte is zero.
fn utf16_without_bom(p: &[u8]) -> Option<Encoding> {
    let pairs = p.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zero_at = |odd: usize| p.chunks_exact(2).filter(|c| c[odd] == 0).count();
    let (even_zero, odd_zero) = (zero_at(0), zero_at(1));
    // Nine in ten characters ASCII, and the other half of each pair not zero.
    let mostly = |n: usize| n * 10 >= pairs * 9;
    let rarely = |n: usize| n * 10 <= pairs;
    if mostly(odd_zero) && rarely(even_zero) {
        Some(Encoding::Utf16Le)
    } else if mostly(even_zero) && rarely(odd_zero) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// A UTF-16 to UTF-8 converter fed in chunks of any size: an odd byte or
/// half a surrogate pair at a chunk's end waits for the next chunk. Broken
/// sequences become U+FFFD, as in [`String::from_utf8_lossy`].
#[derive(Clone, Debug)]
pub struct Utf16Decoder {
    big_endian: bool,
    /// A byte-order mark at the very start is dropped, once.
    at_start: bool,
    odd: Option<u8>,
    high: Option<u16>,
}

impl Utf16Decoder {
    /// A decoder for UTF-16 in this byte order (`Utf8` is taken as little-endian).
    pub fn new(encoding: Encoding) -> Utf16Decoder {
        Utf16Decoder {
            big_endian: encoding == Encoding::Utf16Be,
            at_start: true,
            odd: None,
            high: None,
        }
    }

    /// Convert the next chunk, appending UTF-8 to `out`; returns, for each
    /// character written, its (output offset, input length in bytes) through `each`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>, each: &mut dyn FnMut(usize, usize)) {
        let mut bytes = chunk;
        if let Some(first) = self.odd.take() {
            match bytes.split_first() {
                Some((&second, rest)) => {
                    self.unit([first, second], out, each);
                    bytes = rest;
                }
                None => {
                    self.odd = Some(first);
                    return;
                }
            }
        }
        let mut pairs = bytes.chunks_exact(2);
        for pair in &mut pairs {
            self.unit([pair[0], pair[1]], out, each);
        }
        if let [last] = pairs.remainder() {
            self.odd = Some(*last);
        }
    }

    /// Flush what is left at the end of the input.
    pub fn finish(&mut self, out: &mut Vec<u8>, each: &mut dyn FnMut(usize, usize)) {
        if self.high.take().is_some() {
            push(out, char::REPLACEMENT_CHARACTER, 2, each);
        }
        if self.odd.take().is_some() {
            push(out, char::REPLACEMENT_CHARACTER, 1, each);
        }
    }

    fn unit(&mut self, pair: [u8; 2], out: &mut Vec<u8>, each: &mut dyn FnMut(usize, usize)) {
        let u = if self.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        };
        if std::mem::take(&mut self.at_start) && u == 0xFEFF {
            return;
        }
        if let Some(hi) = self.high.take() {
            if (0xDC00..0xE000).contains(&u) {
                let c = 0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                push(
                    out,
                    char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER),
                    4,
                    each,
                );
                return;
            }
            // A high surrogate not followed by a low one.
            push(out, char::REPLACEMENT_CHARACTER, 2, each);
        }
        match u {
            0xD800..=0xDBFF => self.high = Some(u),
            0xDC00..=0xDFFF => push(out, char::REPLACEMENT_CHARACTER, 2, each),
            _ => push(
                out,
                char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER),
                2,
                each,
            ),
        }
    }
}

fn push(out: &mut Vec<u8>, c: char, input_len: usize, each: &mut dyn FnMut(usize, usize)) {
    each(out.len(), input_len);
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// UTF-16 text converted whole, with the way back to input offsets.
pub struct Transcoded {
    pub text: Vec<u8>,
    /// (output offset, input offset) every so often, at character starts.
    marks: Vec<(usize, usize)>,
    input_len: usize,
}

/// How often a mark is kept: mapping back walks at most this far.
const MARK_EVERY: usize = 1024;

impl Transcoded {
    /// Convert `input` (UTF-16 in `encoding`) to UTF-8.
    pub fn new(input: &[u8], encoding: Encoding) -> Transcoded {
        let mut d = Utf16Decoder::new(encoding);
        let mut text = Vec::with_capacity(input.len());
        // The byte-order mark is skipped here, so the first mark is after it.
        let bom = if matches!(input, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) {
            2
        } else {
            0
        };
        d.at_start = false;
        let mut marks = vec![(0, bom)];
        let mut in_at = bom;
        let mut mark = |out_at: usize, len: usize| {
            if out_at >= marks.last().map_or(0, |m| m.0) + MARK_EVERY {
                marks.push((out_at, in_at));
            }
            in_at += len;
        };
        d.feed(&input[bom..], &mut text, &mut mark);
        d.finish(&mut text, &mut mark);
        Transcoded {
            text,
            marks,
            input_len: input.len(),
        }
    }

    /// The input offset of output offset `pos` (a position inside a character
    /// maps to its start; the end of the text maps to the end of the input).
    pub fn to_input(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.input_len;
        }
        let i = self.marks.partition_point(|m| m.0 <= pos) - 1;
        let (mut out_at, mut in_at) = self.marks[i];
        while out_at < pos {
            let len = utf8_len(self.text[out_at]);
            if out_at + len > pos {
                break;
            }
            out_at += len;
            // Four UTF-8 bytes came from a surrogate pair; fewer from one unit.
            in_at += if len == 4 { 4 } else { 2 };
        }
        in_at.min(self.input_len)
    }
}

/// The length of a UTF-8 character from its first byte.
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, be: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(s.encode_utf16());
        for u in units {
            out.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    }

    #[test]
    fn tells_text_formats_and_binary_apart() {
        let cases: &[(&[u8], Sniffed)] = &[
            (b"AADSTS50076: x", Sniffed::Text(Encoding::Utf8)),
            (b"", Sniffed::Text(Encoding::Utf8)),
            (&[0xFF, 0xFE, b'A', 0], Sniffed::Text(Encoding::Utf16Le)),
            (&[0xFE, 0xFF, 0, b'A'], Sniffed::Text(Encoding::Utf16Be)),
            (
                &[b'A', 0, b'A', 0, b'D', 0],
                Sniffed::Text(Encoding::Utf16Le),
            ),
            (
                &[0, b'A', 0, b'A', 0, b'D'],
                Sniffed::Text(Encoding::Utf16Be),
            ),
            (&[0x1F, 0x8B, 8, 0], Sniffed::Format(&FORMATS[0])),
            (b"PK\x03\x04rest", Sniffed::Format(&FORMATS[1])),
            (&[1, 2, 3, 0, 5, 6, 7, 8], Sniffed::Binary),
            // Found by the `detect` fuzz target: text that merely starts like a PDF.
            (
                b"%PDF-Update usage.md regarding AADSTS70000",
                Sniffed::Text(Encoding::Utf8),
            ),
            (
                b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
                Sniffed::Format(&FORMATS[9]),
            ),
            (b"BZh is not bzip2", Sniffed::Text(Encoding::Utf8)),
        ];
        for (input, want) in cases {
            assert_eq!(sniff(input), *want, "{input:?}");
        }
    }

    #[test]
    fn converts_utf16_in_any_chunking_and_maps_back() {
        let s = "AADSTS50076: caf\u{e9} \u{1F600} end";
        for be in [false, true] {
            let input = utf16(s, be, true);
            let enc = if be {
                Encoding::Utf16Be
            } else {
                Encoding::Utf16Le
            };
            let t = Transcoded::new(&input, enc);
            assert_eq!(t.text, s.as_bytes());
            // "end" starts after the BOM and every unit before it.
            let at = s.find("end").unwrap();
            let units_before = s[..at].encode_utf16().count();
            assert_eq!(t.to_input(at), 2 + 2 * units_before);
            assert_eq!(t.to_input(s.len()), input.len());
            for chunk in 1..5 {
                let mut d = Utf16Decoder::new(enc);
                let mut out = Vec::new();
                for c in input.chunks(chunk) {
                    d.feed(c, &mut out, &mut |_, _| {});
                }
                d.finish(&mut out, &mut |_, _| {});
                assert_eq!(out, s.as_bytes(), "chunk {chunk}");
            }
        }
    }

    #[test]
    fn broken_utf16_becomes_replacement_characters() {
        // A lone low surrogate, a high surrogate before a letter, an odd last byte.
        let input = [0x00, 0xDC, 0x00, 0xD8, b'A', 0, b'B'];
        let t = Transcoded::new(&input, Encoding::Utf16Le);
        assert_eq!(
            String::from_utf8(t.text).unwrap(),
            "\u{FFFD}\u{FFFD}A\u{FFFD}"
        );
    }
}
