//! Where AADSTS codes stand in a decoded text.
//!
//! Two ways a number is an Entra code:
//! - after `AADSTS` (any case, glued to words, with at most two separators:
//!   `AADSTS50076`, `message:AADSTS50076`, `AADSTS 50053`);
//! - after a label that makes a bare number one: `error_codes: [..]`,
//!   `iErrorCode`, `sErrorCode`, `errorNo`, `/error?code=`, `Sign-in error
//!   code`, and `Error Code:` when the text is an Entra text (a sign-in page
//!   block, a message with a correlation ID, ...).
//!
//! Codes are 4 to 7 digits and always taken whole: `7000215` is never cut to
//! `70002`. A longer digit run is not a code. A number that touches the end
//! of the text may have been cut off by a truncated paste; it is kept only
//! when the knowledge base knows it as written, otherwise it becomes a warning.

use memchr::memmem;

/// One place a code stands, in decoded-text offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub code: u32,
    /// Start of `AADSTS` or of the bare number.
    pub start: usize,
    /// End of the digits.
    pub end: usize,
    /// True for `AADSTS`-prefixed codes, false for labelled numbers.
    pub prefixed: bool,
}

/// What the scan noticed but did not report as a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doubt {
    /// Digits at the very end of the text that may be cut short.
    CutOff {
        digits: String,
        start: usize,
        end: usize,
    },
}

/// "Error code" in other languages, lower-cased (ASCII case folding only,
/// so non-ASCII capitals are written as they appear).
const LOCALIZED_LABELS: &[&str] = &[
    "código de error",
    "code d'erreur",
    "code d\u{2019}erreur",
    "fehlercode",
    "codice di errore",
    "código do erro",
    "código de erro",
    "foutcode",
    "kod błędu",
    "felkod",
    "fejlkode",
    "feilkode",
    "virhekoodi",
    "hata kodu",
    "код ошибки",
    "エラー コード",
    "エラーコード",
    "错误代码",
    "錯誤碼",
    "오류 코드",
];

const MIN_DIGITS: usize = 4;
const MAX_DIGITS: usize = 7;

/// Whether the (lower-case) text names Entra sign-in anywhere.
fn entra_text(lower: &[u8]) -> bool {
    static FINDERS: super::Finders = super::Finders::new();
    super::finders(&FINDERS, ENTRA_MARKERS.iter().copied())
        .iter()
        .any(|m| m.find(lower).is_some())
}

/// Words that mark a text as coming from Entra sign-in, which is what lets a
/// plain `Error Code: 53003` count.
const ENTRA_MARKERS: &[&[u8]] = &[
    b"aadsts",
    b"microsoftonline",
    b"active directory",
    b"active-directory",
    b"entra",
    b"conditional access",
    b"failurereason",
    b"failure reason",
    b"sign-in status",
    b"single-sign-on",
    b"single sign-on",
    b"tenant",
    b"login.microsoftonline",
    b"login.microsoft.com",
    b"login.windows.net",
    b"login.live.com",
    b"correlation id",
    b"request id",
    b"correlation_id",
    b"correlationid",
    b"troubleshooting details",
    b"azure ad",
    b"azure active directory",
    b"msal",
];

/// Find every code occurrence, in text order.
pub fn find(
    text: &[u8],
    lower: &[u8],
    known: impl Fn(u32) -> bool,
) -> (Vec<Occurrence>, Vec<Doubt>) {
    let mut occ = Vec::new();
    let mut doubts = Vec::new();
    let mut take =
        |code_start: usize, digits_start: usize, prefixed: bool, occ: &mut Vec<Occurrence>| {
            let (digits_end, code) = match digits(text, digits_start) {
                Some(d) => d,
                None => return,
            };
            if digits_end == text.len() && !(prefixed && known(code)) {
                doubts.push(Doubt::CutOff {
                    digits: String::from_utf8_lossy(&text[digits_start..digits_end]).into_owned(),
                    start: code_start,
                    end: digits_end,
                });
                return;
            }
            occ.push(Occurrence {
                code,
                start: code_start,
                end: digits_end,
                prefixed,
            });
        };

    for p in memmem::find_iter(lower, b"aadsts") {
        let mut j = p + 6;
        // `AADSTS 50053`, `AADSTS-50053`, `AADSTS: 50053`.
        let mut seps = 0;
        while seps < 2 && matches!(lower.get(j), Some(b' ' | b'-' | b'_' | b':' | b'#')) {
            j += 1;
            seps += 1;
        }
        take(p, j, true, &mut occ);
    }

    let mut entra: Option<bool> = None;
    for p in memmem::find_iter(lower, b"error") {
        let after = &lower[p + 5..];
        let (label_len, list, trusted) = if after.starts_with(b"_codes") {
            (11, true, true)
        } else if after.starts_with(b"codes") {
            (10, true, true)
        } else if after.starts_with(b"no") {
            (7, false, true)
        } else if after.starts_with(b"?code=") {
            (11, false, true)
        } else if let Some(n) = [&b"code"[..], b"_code", b" code", b"-code"]
            .iter()
            .find(|l| after.starts_with(l))
        {
            let before = &lower[..p];
            // iErrorCode / sErrorCode in the sign-in page's $Config; "Sign-in error code" in the portal.
            let trusted = matches!(before.last(), Some(b'i' | b's'))
                && before.len() >= 2
                && !before[before.len() - 2].is_ascii_alphanumeric()
                || before.ends_with(b"sign-in ")
                || before.ends_with(b"sign in ");
            (5 + n.len(), false, trusted)
        } else {
            continue;
        };
        if !trusted && !*entra.get_or_insert_with(|| entra_text(lower)) {
            continue;
        }
        let mut j = p + label_len;
        j += skip_separators(lower, j);
        if list {
            if lower.get(j) != Some(&b'[') {
                continue;
            }
            j += 1;
            // `[50076, 50079]` or `["50076"]`, possibly cut off anywhere.
            loop {
                while matches!(
                    lower.get(j),
                    Some(b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b',')
                ) {
                    j += 1;
                }
                if !lower.get(j).is_some_and(u8::is_ascii_digit) {
                    break;
                }
                take(j, j, false, &mut occ);
                j += lower[j..].iter().take_while(|b| b.is_ascii_digit()).count();
            }
        } else {
            if matches!(lower.get(j), Some(b'"' | b'\'')) {
                j += 1;
            }
            take(j, j, false, &mut occ);
        }
    }
    // "Error code" in the languages the sign-in page and the docs speak;
    // these count in Entra texts only, like the English one.
    static LOCALIZED: super::Finders = super::Finders::new();
    let localized = super::finders(&LOCALIZED, LOCALIZED_LABELS.iter().map(|l| l.as_bytes()));
    for (label, finder) in LOCALIZED_LABELS.iter().zip(localized) {
        for p in finder.find_iter(lower) {
            if !*entra.get_or_insert_with(|| entra_text(lower)) {
                break;
            }
            let mut j = p + label.len();
            j += skip_separators(lower, j);
            // Quotes of other scripts: “90072”, «90072», 「90072」, full-width colon.
            for q in ["\u{201c}", "\u{ab}", "\u{300c}", "\u{ff1a}"] {
                if lower[j..].starts_with(q.as_bytes()) {
                    j += q.len();
                }
            }
            take(j, j, false, &mut occ);
        }
    }
    crate::order::sort_by_u64(&mut occ, |o| (o.start as u64) << 1 | u64::from(!o.prefixed));
    (occ, doubts)
}

/// Skip what stands between a label and its value (bounded): `": `, ` = `,
/// table bars (`Error Code | 50058`), line breaks (`Sign-in error code\n\n50199`),
/// and a few HTML tags (`Request Id:</span><span>…`).
pub fn skip_separators(lower: &[u8], at: usize) -> usize {
    let start = at.min(lower.len());
    let mut i = start;
    let mut budget = 8;
    let mut tags = 0;
    while i < lower.len() {
        match lower[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'=' | b'"' | b'\'' | b'|' if budget > 0 => {
                i += 1;
                budget -= 1;
            }
            b'<' if tags < 4 => {
                // A tag up to its `>`, within reason.
                match lower[i..lower.len().min(i + 200)]
                    .iter()
                    .position(|&b| b == b'>')
                {
                    Some(p) => {
                        i += p + 1;
                        tags += 1;
                        budget = 8;
                    }
                    None => break,
                }
            }
            _ => break,
        }
    }
    i - start
}

/// A 4-to-7-digit number starting at `at`, taken whole; `(end, value)`.
fn digits(text: &[u8], at: usize) -> Option<(usize, u32)> {
    let run = text
        .get(at..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&run) {
        return None;
    }
    let end = at + run;
    // `50076.5` or `50076x` is a version, an id or a file name, not a code.
    match text.get(end) {
        Some(b) if b.is_ascii_alphabetic() => return None,
        Some(b'.') if text.get(end + 1).is_some_and(u8::is_ascii_digit) => return None,
        _ => {}
    }
    let value = std::str::from_utf8(&text[at..end]).ok()?.parse().ok()?;
    Some((end, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<u32> {
        let lower = s.to_ascii_lowercase();
        find(s.as_bytes(), lower.as_bytes(), |c| c == 50076)
            .0
            .iter()
            .map(|o| o.code)
            .collect()
    }

    #[test]
    fn table() {
        let rows: &[(&str, &[u32])] = &[
            ("AADSTS50076: MFA", &[50076]),
            ("message:AADSTS7000215: x", &[7000215]),
            ("invalid_resource;AADSTS500011 x", &[500011]),
            ("aadsts50126 x", &[50126]),
            ("AADSTS 50053 x", &[50053]),
            ("AADSTS123 x", &[]),
            ("AADSTS12345678 x", &[]),
            ("{\"error_codes\":[50076, 50079],\"x\":1}", &[50076, 50079]),
            ("\"error_codes\":[5", &[]),
            ("\"error_codes\":[50079", &[]),
            ("AADSTS50076", &[50076]),
            ("AADSTS5007", &[]),
            ("Error Code: 53003\nCorrelation Id: x", &[53003]),
            ("Error Code: 53003\nsomething", &[]),
            ("Error code: 0x80070005 AADSTS50058 x", &[50058]),
            (
                "\"iErrorCode\":50058,\"sErrorCode\":\"50058\",",
                &[50058, 50058],
            ),
            ("Sign-in error code 50126 x", &[50126]),
            (
                "https://login.microsoftonline.com/error?code=50058 x",
                &[50058],
            ),
            ("main.50125.chunk.js", &[]),
            ("AADB2C90077 x", &[]),
        ];
        for (input, want) in rows {
            assert_eq!(codes(input), *want, "{input}");
        }
    }
}
