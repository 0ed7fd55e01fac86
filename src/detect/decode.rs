//! Undo the encodings error texts arrive in, keeping a map back to the input.
//!
//! People paste errors that were JSON-escaped once or three times, put in a
//! redirect URL (`%3a`, `+`), or rendered into HTML (`&#39;`, `&#xD;&#xA;`).
//! [`normalize`] decodes all of these in linear passes and records, for each
//! decoded piece, where it came from, so a finding's span points into the
//! text the user actually pasted.
//!
//! Decoding is deliberately forgiving: a stray `%` or `\` is kept as is. The
//! output is used for finding codes and labels only, never shown as markup.

use memchr::memchr3;

/// At most this many passes: an error JSON-escaped inside a URL inside HTML
/// needs three; a fourth would only cost time on adversarial input.
const MAX_PASSES: usize = 4;

/// Decoded text plus the way back to input offsets.
#[derive(Debug)]
pub struct Normalized<'a> {
    text: std::borrow::Cow<'a, [u8]>,
    /// One map per pass that changed something, innermost (first) pass first.
    maps: Vec<OffsetMap>,
}

impl Normalized<'_> {
    /// The decoded bytes.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// Map a half-open range of the decoded text back to the input.
    pub fn to_input(&self, start: usize, end: usize) -> (usize, usize) {
        let (mut s, mut e) = (start, end);
        for map in self.maps.iter().rev() {
            s = map.start(s);
            e = map.end(e);
        }
        (s, e)
    }
}

/// Decode `input` until nothing more decodes (or [`MAX_PASSES`]).
pub fn normalize(input: &[u8]) -> Normalized<'_> {
    let mut text = std::borrow::Cow::Borrowed(input);
    let mut maps = Vec::new();
    for _ in 0..MAX_PASSES {
        match decode_pass(&text) {
            Some((out, map)) => {
                text = std::borrow::Cow::Owned(out);
                maps.push(map);
            }
            None => break,
        }
    }
    Normalized { text, maps }
}

/// Breakpoints between literal runs and decoded sequences of one pass.
#[derive(Debug, Default)]
struct OffsetMap {
    /// (output offset, input offset, input length) of each decoded sequence, in order.
    seqs: Vec<(usize, usize, usize)>,
    /// Output length of each decoded sequence (parallel to `seqs`).
    out_lens: Vec<usize>,
}

impl OffsetMap {
    fn push(&mut self, out_at: usize, in_at: usize, in_len: usize, out_len: usize) {
        self.seqs.push((out_at, in_at, in_len));
        self.out_lens.push(out_len);
    }

    /// Input offset for output offset `pos` as a start: a position inside a
    /// decoded sequence maps to the start of its escape.
    fn start(&self, pos: usize) -> usize {
        match self.seqs.partition_point(|s| s.0 <= pos) {
            0 => pos,
            i => {
                let (out_at, in_at, in_len) = self.seqs[i - 1];
                let out_len = self.out_lens[i - 1];
                if pos < out_at + out_len {
                    in_at
                } else {
                    in_at + in_len + (pos - out_at - out_len)
                }
            }
        }
    }

    /// Input offset for output offset `pos` as an exclusive end: a position
    /// inside a decoded sequence maps past the end of its escape.
    fn end(&self, pos: usize) -> usize {
        match self.seqs.partition_point(|s| s.0 < pos) {
            0 => pos,
            i => {
                let (out_at, in_at, in_len) = self.seqs[i - 1];
                let out_len = self.out_lens[i - 1];
                if pos <= out_at + out_len {
                    in_at + in_len
                } else {
                    in_at + in_len + (pos - out_at - out_len)
                }
            }
        }
    }
}

/// One pass; `None` when nothing decoded (the common case for plain text).
fn decode_pass(input: &[u8]) -> Option<(Vec<u8>, OffsetMap)> {
    let mut w = Writer {
        out: Vec::new(),
        map: OffsetMap::default(),
        copied: 0,
    };
    let mut i = 0;
    // End of the current token known to be url-encoded: there `+` is a space.
    let mut url_token_end = 0;
    let mut next_plus = 0;
    // The next `+` outside url tokens, and how far tokens were already checked for being form-encoded.
    let mut plus_at: Option<usize> = None;
    let mut plus_checked_until = 0;
    while i < input.len() {
        let at = if i < url_token_end {
            if next_plus < i {
                // Cached so a long token with many escapes is scanned for `+` once.
                next_plus =
                    memchr::memchr(b'+', &input[i..url_token_end]).map_or(url_token_end, |o| i + o);
            }
            let special =
                memchr3(b'%', b'\\', b'&', &input[i..next_plus]).map_or(next_plus, |o| i + o);
            if special == url_token_end {
                i = url_token_end;
                continue;
            }
            special
        } else {
            let special = memchr3(b'%', b'\\', b'&', &input[i..]).map(|o| i + o);
            let next_plus = match plus_at {
                Some(p) if p >= i => p,
                _ => {
                    let from = i.max(plus_checked_until);
                    let p = memchr::memchr(b'+', input.get(from..).unwrap_or_default())
                        .map_or(usize::MAX, |o| from + o);
                    plus_at = Some(p);
                    p
                }
            };
            if next_plus < special.unwrap_or(usize::MAX) {
                // A token joined by `+` (`AADSTS500011:+The+resource+principal`) is
                // form-encoded even without a `%`: two or more `+` make it one.
                let (ts, te) = (token_start(input, next_plus), token_end(input, next_plus));
                plus_checked_until = te;
                plus_at = None;
                if memchr::memchr_iter(b'+', &input[ts..te]).nth(1).is_some() {
                    url_token_end = w.enter_url_token(input, next_plus);
                    i = next_plus;
                }
                continue;
            }
            match special {
                Some(at) => at,
                None => break,
            }
        };
        let decoded = match input[at] {
            b'+' => Some((vec![b' '], 1)),
            b'%' => {
                let d = percent(input, at);
                if d.is_some() && at >= url_token_end {
                    url_token_end = w.enter_url_token(input, at);
                }
                d
            }
            b'\\' => backslash(input, at),
            _ => entity(input, at),
        };
        match decoded {
            Some((bytes, len)) => {
                w.emit(input, at, len, &bytes);
                i = at + len;
            }
            // A run of backslashes that escapes nothing is skipped whole, so a
            // long run is looked at once, not once per backslash.
            None if input[at] == b'\\' => {
                i = at + input[at..].iter().take_while(|&&b| b == b'\\').count()
            }
            None => i = at + 1,
        }
    }
    if w.map.seqs.is_empty() {
        return None;
    }
    w.flush(input, input.len());
    Some((w.out, w.map))
}

struct Writer {
    out: Vec<u8>,
    map: OffsetMap,
    /// Input consumed into `out` so far.
    copied: usize,
}

impl Writer {
    fn flush(&mut self, input: &[u8], upto: usize) {
        if upto > self.copied {
            if self.out.capacity() == 0 {
                self.out.reserve(input.len());
            }
            self.out.extend_from_slice(&input[self.copied..upto]);
            self.copied = upto;
        }
    }

    /// `at` was found to sit in a url-encoded token: the token's `+` before
    /// `at` were spaces too. Returns where the token ends.
    fn enter_url_token(&mut self, input: &[u8], at: usize) -> usize {
        let from = token_start(input, at).max(self.copied);
        for p in memchr::memchr_iter(b'+', &input[from..at]) {
            self.emit(input, from + p, 1, b" ");
        }
        token_end(input, at)
    }

    /// Replace `len` input bytes at `at` with `bytes`.
    fn emit(&mut self, input: &[u8], at: usize, len: usize, bytes: &[u8]) {
        self.flush(input, at);
        self.map.push(self.out.len(), at, len, bytes.len());
        self.out.extend_from_slice(bytes);
        self.copied = at + len;
    }
}

fn is_token_break(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'"' || b == b'\'' || b == b'<' || b == b'>'
}

fn token_start(input: &[u8], at: usize) -> usize {
    // Bounded look-back keeps the pass linear on a long line of `%`.
    let floor = at.saturating_sub(4096);
    input[floor..at]
        .iter()
        .rposition(|&b| is_token_break(b))
        .map_or(floor, |p| floor + p + 1)
}

fn token_end(input: &[u8], at: usize) -> usize {
    input[at..]
        .iter()
        .position(|&b| is_token_break(b))
        .map_or(input.len(), |p| at + p)
}

pub(crate) fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// `%3A` → `:`. Returns the decoded bytes and how much input they replace.
fn percent(input: &[u8], at: usize) -> Option<(Vec<u8>, usize)> {
    let h = hex(*input.get(at + 1)?)?;
    let l = hex(*input.get(at + 2)?)?;
    Some((vec![(h * 16 + l) as u8], 3))
}

/// JSON and similar escapes, at any depth: `\"`, `\\\"`, `\n`, `\u0027`.
/// A run of backslashes before an escapable character collapses at once,
/// which is what several rounds of JSON escaping produce.
fn backslash(input: &[u8], at: usize) -> Option<(Vec<u8>, usize)> {
    let run = input[at..].iter().take_while(|&&b| b == b'\\').count();
    let next = *input.get(at + run)?;
    let len = run + 1;
    let bytes = match next {
        b'"' | b'\'' | b'/' => vec![next],
        b'n' => vec![b'\n'],
        b'r' => vec![b'\r'],
        b't' => vec![b'\t'],
        b'u' => {
            let (ch, used) = unicode_escape(input, at + run)?;
            let mut buf = [0u8; 4];
            return Some((ch.encode_utf8(&mut buf).as_bytes().to_vec(), run + used));
        }
        _ => return None,
    };
    Some((bytes, len))
}

/// `\u0027`, and surrogate pairs `\ud83d\ude00`. `at` points at the `u`.
fn unicode_escape(input: &[u8], at: usize) -> Option<(char, usize)> {
    let four = |p: usize| -> Option<u32> {
        let s = input.get(p..p + 4)?;
        s.iter().try_fold(0u32, |acc, &b| Some(acc * 16 + hex(b)?))
    };
    let hi = four(at + 1)?;
    if (0xD800..0xDC00).contains(&hi) {
        // A low surrogate follows after its own (possibly repeated) backslashes.
        let after = at + 5;
        let run = input[after..].iter().take_while(|&&b| b == b'\\').count();
        if run > 0 && input.get(after + run) == Some(&b'u') {
            if let Some(lo) = four(after + run + 1) {
                if (0xDC00..0xE000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return Some((char::from_u32(c)?, 5 + run + 5));
                }
            }
        }
        return Some(('\u{FFFD}', 5));
    }
    Some((char::from_u32(hi).unwrap_or('\u{FFFD}'), 5))
}

/// HTML character references: `&#39;`, `&#xD;`, `&amp;`, `&quot;`, ...
fn entity(input: &[u8], at: usize) -> Option<(Vec<u8>, usize)> {
    let rest = &input[at + 1..input.len().min(at + 12)];
    let semi = rest.iter().position(|&b| b == b';')?;
    let body = &rest[..semi];
    let ch = if let Some(num) = body.strip_prefix(b"#") {
        let (digits, radix) = match num.first() {
            Some(b'x') | Some(b'X') => (&num[1..], 16),
            _ => (num, 10),
        };
        if digits.is_empty() {
            return None;
        }
        let n = digits.iter().try_fold(0u32, |acc, &b| {
            let d = (b as char).to_digit(radix)?;
            acc.checked_mul(radix)?.checked_add(d)
        })?;
        char::from_u32(n).unwrap_or('\u{FFFD}')
    } else {
        match body {
            b"amp" => '&',
            b"quot" => '"',
            b"apos" => '\'',
            b"lt" => '<',
            b"gt" => '>',
            b"nbsp" => ' ',
            _ => return None,
        }
    };
    let mut buf = [0u8; 4];
    Some((ch.encode_utf8(&mut buf).as_bytes().to_vec(), semi + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        String::from_utf8(normalize(s.as_bytes()).text().to_vec()).unwrap()
    }

    #[test]
    fn decodes_the_shapes_errors_arrive_in() {
        let table = [
            ("plain AADSTS50076: x", "plain AADSTS50076: x"),
            (
                "error_description=AADSTS65004%3a+User+declined",
                "error_description=AADSTS65004: User declined",
            ),
            ("a+b c", "a+b c"),
            (r#"{\"error\":\"x\"}"#, r#"{"error":"x"}"#),
            (r#"\\\"AADSTS700016\\\"\\r\\n"#, "\"AADSTS700016\"\r\n"),
            (
                "it&#39;s&#xD;&#xA;done &amp; &quot;q&quot;",
                "it's\r\ndone & \"q\"",
            ),
            ("%2541", "A"),
            (r"\u0027x\u0026y", "'x&y"),
            ("100% sure & \\ fine", "100% sure & \\ fine"),
        ];
        for (input, want) in table {
            assert_eq!(norm(input), want, "{input}");
        }
    }

    #[test]
    fn spans_map_back_to_the_input() {
        let input = "x=AADSTS65004%3a+User+declined";
        let n = normalize(input.as_bytes());
        let text = n.text();
        let at = memchr::memmem::find(text, b"User").unwrap();
        let (s, e) = n.to_input(at, at + 4);
        assert_eq!(&input[s..e], "User");
        let at = memchr::memmem::find(text, b"AADSTS65004").unwrap();
        let (s, e) = n.to_input(at, at + 11);
        assert_eq!(&input[s..e], "AADSTS65004");
        let colon = memchr::memmem::find(text, b":").unwrap();
        assert_eq!(n.to_input(colon, colon + 1), (16 - 3, 16));
    }

    #[test]
    fn surrogate_pairs_and_broken_escapes_do_not_panic() {
        assert_eq!(norm(r"\ud83d\ude00"), "😀");
        assert_eq!(norm(r"\ud83d"), "\u{FFFD}");
        for s in [
            "%",
            "%4",
            "\\",
            "\\u12",
            "&#",
            "&#x;",
            "&#99999999999;",
            "&#xD800;",
        ] {
            let _ = norm(s);
        }
    }
}
