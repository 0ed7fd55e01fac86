//! The knowledge base: one entry per error, compiled in from `kb/` by `build.rs`.
//!
//! The text is packed at build time ([`packed`]) and unpacked once, on first
//! use, into `&'static` entries; look-ups are then binary searches. [`search`] ranks entries for free-text queries ("redirect uri",
//! "locked") so a user without a code still lands on the right entry.

mod packed;
mod search;
mod types;

pub use search::{search, SearchHit};
pub use types::{Audience, Category, Entry, Kind, Retry, Sample, Source, Steps, SuggestionRule};

include!(concat!(env!("OUT_DIR"), "/kb_data.rs"));

/// The unpacked entries, built on first use.
fn unpacked() -> &'static packed::Unpacked {
    static UNPACKED: std::sync::OnceLock<packed::Unpacked> = std::sync::OnceLock::new();
    UNPACKED.get_or_init(|| PACKED.unpack())
}

/// The Microsoft look-up page for an AADSTS code. Following it is the user's choice.
pub fn lookup_url(code: u32) -> String {
    format!("https://login.microsoftonline.com/error?code={code}")
}

/// The entry for an AADSTS code, if the knowledge base has one.
pub fn aadsts(code: u32) -> Option<&'static Entry> {
    let all = aadsts_entries();
    all.binary_search_by_key(&code, |e| e.code)
        .ok()
        .map(|i| &all[i])
}

/// The entry for an id of another family (`interaction_required`, `no_tokens_found`, ...).
pub fn other(kind: Kind, id: &str) -> Option<&'static Entry> {
    let all = other_entries();
    all.binary_search_by(|e| (e.kind.slug(), e.id).cmp(&(kind.slug(), id)))
        .ok()
        .map(|i| &all[i])
}

/// Every entry with this id, whatever its kind (ordered by kind slug).
pub fn kinds_of(id: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    let all = other_entries();
    let from = OTHER_BY_ID.partition_point(|&i| all[i as usize].id < id);
    OTHER_BY_ID[from..]
        .iter()
        .map(move |&i| &all[i as usize])
        .take_while(move |e| e.id == id)
}

/// How many AADSTS entries and other-family entries there are, without
/// unpacking the text (the page shows this before anything else).
pub fn counts() -> (usize, usize) {
    (PACKED.aadsts, PACKED.other)
}

/// Every AADSTS entry, by code.
pub fn aadsts_entries() -> &'static [Entry] {
    unpacked().aadsts
}

/// Every entry of the other families, by kind then id.
pub fn other_entries() -> &'static [Entry] {
    unpacked().other
}

/// Every entry: AADSTS codes first, then the other families.
pub fn all() -> impl Iterator<Item = &'static Entry> {
    aadsts_entries().iter().chain(other_entries())
}

/// The phrase rules behind suggestions for texts that carry no code.
pub fn suggestion_rules() -> &'static [SuggestionRule] {
    SUGGESTIONS
}

/// Find an entry from what a user typed: `50074`, `AADSTS50074`, `invalid_grant`, `msal-js/user_cancelled`.
pub fn explain(query: &str) -> Option<&'static Entry> {
    let q = query.trim();
    let digits = q
        .strip_prefix("AADSTS")
        .or_else(|| q.strip_prefix("aadsts"))
        .unwrap_or(q)
        .trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.parse().ok().and_then(aadsts);
    }
    if let Some((kind, id)) = q.split_once('/') {
        if let Some(kind) = Kind::from_slug(kind) {
            return other(kind, id);
        }
    }
    kinds_of(q).next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(aadsts_entries().windows(2).all(|w| w[0].code < w[1].code));
        assert!(other_entries()
            .windows(2)
            .all(|w| (w[0].kind.slug(), w[0].id) < (w[1].kind.slug(), w[1].id)));
    }

    #[test]
    fn explain_accepts_the_forms_people_type() {
        for q in ["50074", "AADSTS50074", "aadsts50074", " 50074 "] {
            assert_eq!(explain(q).map(|e| e.code), Some(50074), "{q}");
        }
        assert!(explain("99999999").is_none());
        assert!(explain("").is_none());
    }

    #[test]
    fn every_entry_is_reachable_by_lookup() {
        for e in aadsts_entries() {
            assert!(std::ptr::eq(aadsts(e.code).unwrap(), e));
        }
        for e in other_entries() {
            assert!(std::ptr::eq(other(e.kind, e.id).unwrap(), e));
        }
    }
}
