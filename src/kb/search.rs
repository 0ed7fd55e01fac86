//! Free-text search over the knowledge base.
//!
//! A small weighted word match, not a search engine: the base is a few
//! hundred short entries, so a linear scan per query is microseconds and
//! needs no index in the WASM. Words in the title and name weigh most, then
//! the summary, then causes and steps.

use super::{all, Entry};
use serde::Serialize;

/// One ranked result.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SearchHit {
    pub entry: &'static Entry,
    pub score: u32,
}

/// Words people use for the same thing. Each query word also matches its partners.
const SYNONYMS: &[&[&str]] = &[
    &[
        "mfa",
        "multi-factor",
        "multifactor",
        "2fa",
        "second factor",
        "strong authentication",
    ],
    &["redirect", "reply"],
    &[
        "mismatch",
        "does not match",
        "doesn't match",
        "not registered",
    ],
    &["locked", "lockout", "lock"],
    &["password", "passwd", "credential"],
    &["consent", "permission", "approval"],
    &["secret", "client_secret"],
    &["expired", "expire", "expiry"],
    &["guest", "b2b", "external user"],
    &["device", "compliant", "compliance"],
    &["ca", "conditional access"],
];

/// Rank entries for a query. Numbers match codes by prefix; words match text.
pub fn search(query: &str, limit: usize) -> Vec<SearchHit> {
    let q = query.trim().to_ascii_lowercase();
    let q = q.strip_prefix("aadsts").unwrap_or(&q).trim();
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut hits: Vec<SearchHit> = if q.bytes().all(|b| b.is_ascii_digit()) {
        all()
            .filter(|e| e.code != 0 && e.id.starts_with(q))
            .map(|e| SearchHit {
                entry: e,
                // Exact match first, then shorter codes (closer to what was typed).
                score: if e.id == q {
                    1000
                } else {
                    500 - e.id.len() as u32
                },
            })
            .collect()
    } else {
        let words: Vec<Vec<String>> = q
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|w| w.len() > 1)
            .map(expand)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        all()
            .filter_map(|e| {
                let s = score(e, q, &words);
                (s > 0).then_some(SearchHit { entry: e, score: s })
            })
            .collect()
    };
    crate::order::sort_by_u64(&mut hits, |h| {
        u64::from(u32::MAX - h.score) << 32 | u64::from(h.entry.code)
    });
    hits.truncate(limit);
    hits
}

fn expand(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for group in SYNONYMS {
        if group.contains(&word) {
            out.extend(group.iter().filter(|s| **s != word).map(|s| s.to_string()));
        }
    }
    out
}

fn score(e: &Entry, phrase: &str, words: &[Vec<String>]) -> u32 {
    let title = e.title.to_ascii_lowercase();
    let name = e.name.to_ascii_lowercase();
    let id = e.id.to_ascii_lowercase();
    let summary = e.summary.to_ascii_lowercase();
    let mut total: u32 = 0;
    let mut matched: usize = 0;
    for alternatives in words {
        let mut best = 0;
        for w in alternatives {
            let s = if id == *w || name == *w {
                40
            } else if title.contains(w.as_str()) || id.contains(w.as_str()) {
                12
            } else if name.contains(w.as_str()) {
                8
            } else if summary.contains(w.as_str()) {
                5
            } else if e
                .causes
                .iter()
                .chain(e.diagnose)
                .chain(e.developer)
                .chain(e.steps.user)
                .chain(e.steps.admin)
                .chain(e.steps.developer)
                .any(|t| t.to_ascii_lowercase().contains(w.as_str()))
            {
                2
            } else {
                0
            };
            best = best.max(s);
        }
        if best > 0 {
            matched += 1;
        }
        total += best;
    }
    // Most of the words must match: "redirect uri mismatch" still finds an
    // entry that says "does not match" rather than "mismatch".
    if matched == 0 || matched * 2 < words.len() {
        return 0;
    }
    if words.len() > 1 && (title.contains(phrase) || summary.contains(phrase)) {
        total += 15;
    }
    // The codes people hit most have full guides; AADSTS entries before client-library ids.
    if e.is_deep() {
        total += 25;
    }
    if e.code != 0 {
        total += 4;
    }
    total * matched as u32 / words.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_codes_exactly_first() {
        let hits = search("50074", 5);
        assert_eq!(hits[0].entry.code, 50074);
        assert!(search("aadsts5007", 20)
            .iter()
            .all(|h| h.entry.id.starts_with("5007")));
    }

    #[test]
    fn words_land_on_the_entry_people_mean() {
        // query → the entry people mean, and how high it must rank; extend by adding a row.
        let rows: &[(&str, &str, usize)] = &[
            ("redirect uri", "50011", 1),
            ("redirect uri mismatch", "50011", 1),
            ("reply url", "50011", 1),
            ("account locked", "50053", 1),
            ("password expired", "50055", 1),
            ("client secret expired", "7000222", 1),
            ("mfa", "50072", 1),
            ("need admin approval", "90094", 3),
        ];
        for (q, want, within) in rows {
            let ids: Vec<&str> = search(q, *within).iter().map(|h| h.entry.id).collect();
            assert!(ids.contains(want), "{q}: {ids:?}");
        }
    }

    #[test]
    fn empty_queries_find_nothing() {
        assert!(search("", 10).is_empty());
        assert!(search("   ", 10).is_empty());
        assert!(search("x", 10).is_empty());
    }
}
