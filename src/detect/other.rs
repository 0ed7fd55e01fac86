//! Error ids of the other families: OAuth `error` values, Entra `suberror`
//! values, MSAL.js and MSAL.NET codes.
//!
//! These ids are snake_case words (`interaction_required`,
//! `no_tokens_found`), distinctive enough to find as whole words wherever a
//! `_` stands, and only ids the knowledge base has count. When an id exists
//! in several families the words around it decide (`suberror`, `Msal...Exception`,
//! `BrowserAuthError`).

use crate::kb::{self, Kind};
use memchr::{memchr_iter, memmem};

/// One id occurrence, in decoded-text offsets.
#[derive(Clone, Debug)]
pub struct IdOccurrence {
    pub kind: Kind,
    pub id: String,
    pub start: usize,
    pub end: usize,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every known id, in text order.
pub fn find(text: &[u8], lower: &[u8]) -> Vec<IdOccurrence> {
    let mut out: Vec<IdOccurrence> = Vec::new();
    let mut next_free = 0;
    let dotnet = [
        &b"msaluirequiredexception"[..],
        b"msalserviceexception",
        b"msalclientexception",
        b"microsoft.identity.client",
    ]
    .iter()
    .any(|m| memmem::find(lower, m).is_some());
    let js = [
        &b"browserautherror"[..],
        b"interactionrequiredautherror",
        b"clientautherror",
        b"@azure/msal",
        b"msal-browser",
    ]
    .iter()
    .any(|m| memmem::find(lower, m).is_some());
    for u in memchr_iter(b'_', text) {
        if u < next_free {
            continue;
        }
        let start = text[..u]
            .iter()
            .rposition(|b| !is_word(*b))
            .map_or(0, |p| p + 1);
        let end = text[u..]
            .iter()
            .position(|b| !is_word(*b))
            .map_or(text.len(), |p| u + p);
        next_free = end;
        // Ids are short; a long token is base64 or a hash.
        if end - start > 60 || start == end {
            continue;
        }
        let Ok(word) = std::str::from_utf8(&text[start..end]) else {
            continue;
        };
        let mut candidates = kb::kinds_of(word).map(|e| e.kind).peekable();
        if candidates.peek().is_none() {
            continue;
        }
        let kinds: Vec<Kind> = candidates.collect();
        let before = &lower[start.saturating_sub(16)..start];
        let pick = |k: Kind| kinds.contains(&k).then_some(k);
        let kind = if memmem::find(before, b"suberror").is_some() {
            pick(Kind::Suberror)
        } else {
            None
        }
        .or_else(|| if dotnet { pick(Kind::MsalNet) } else { None })
        .or_else(|| if js { pick(Kind::MsalJs) } else { None })
        .or_else(|| pick(Kind::Oauth))
        .or_else(|| pick(Kind::MsalJs))
        .or_else(|| pick(Kind::MsalNet))
        .unwrap_or(kinds[0]);
        out.push(IdOccurrence {
            kind,
            id: word.to_string(),
            start,
            end,
        });
    }
    out
}
