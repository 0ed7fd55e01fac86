//! What a sanitization did, for the person about to share the capture:
//! what was removed or replaced, where, how often, and what could not be
//! looked into. The cleaners write to it through [`Cx`].

use super::pseudo::{Personal, Pseudonymizer};
use crate::har::Stopped;
use serde::Serialize;

/// Per-entry details and uninspected bodies are listed up to these counts
/// (the totals stay exact), so a huge capture cannot grow the report without bound.
const MAX_DETAILS: usize = 5_000;
const MAX_NOT_INSPECTED: usize = 1_000;
const MAX_TOTAL_ROWS: usize = 2_000;
/// The first change in each place (location and action) is kept as a
/// sample, up to this count: a cookie, a header, a form field, a signature.
const MAX_SAMPLES: usize = 12;
/// A sample's value shows its first characters only when it is at least
/// this long: the prefix of a token or cookie (`eyJ0`, `0.AX`) says what it
/// was, while four characters of a short value (a password) would say too much.
const SAMPLE_PREFIX_FROM: usize = 24;

/// What happened to a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The value is gone (a marker stands in its place).
    Removed,
    /// A JWT lost its signature (its claims stay readable).
    SignatureRemoved,
    /// Personal data became a keyed pseudonym.
    Pseudonymized,
}

/// One kind of change, counted over the whole capture.
#[derive(Clone, Debug, Serialize)]
pub struct Total {
    /// `request.headers`, `response.content`, `request.url query`, `log` (outside the entries), ...
    pub location: String,
    /// The header, cookie, parameter or JSON key.
    pub field: String,
    pub action: Action,
    pub count: usize,
}

/// One kind of change in one entry.
#[derive(Clone, Debug, Serialize)]
pub struct Detail {
    /// The entry's index; absent for the parts of the file outside the entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    pub location: String,
    pub field: String,
    pub action: Action,
    pub count: usize,
}

/// One change as it looked, for a before/after preview: never the value
/// itself, only its first characters (long values) and its length.
#[derive(Clone, Debug, Serialize)]
pub struct Sample {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    pub location: String,
    pub field: String,
    pub action: Action,
    /// `eyJ0… (1204 characters)`, `… (9 characters)`, or empty for a JSON object or array.
    pub before: String,
    /// The marker or the pseudonym that took its place.
    pub after: String,
}

/// `value` masked for a [`Sample`].
fn mask(value: &str) -> String {
    let n = value.chars().count();
    match n {
        0 => String::new(),
        n if n >= SAMPLE_PREFIX_FROM => {
            let head: String = value.chars().take(4).collect();
            format!("{head}… ({n} characters)")
        }
        n => format!("… ({n} characters)"),
    }
}

/// A body or value that was left as it was because it could not be read as text.
#[derive(Clone, Debug, Serialize)]
pub struct NotInspected {
    pub entry: usize,
    pub location: String,
    pub reason: String,
}

/// The report of one sanitization.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SanitizeReport {
    /// Entries written (each input entry is one output entry).
    pub entries: usize,
    pub removed: usize,
    pub signatures_removed: usize,
    pub pseudonymized: usize,
    pub pseudonymize: bool,
    pub totals: Vec<Total>,
    pub details: Vec<Detail>,
    /// True when `details` was cut at its cap; `totals` is still complete.
    pub details_truncated: bool,
    /// The first change in each place, masked (see [`Sample`]).
    pub samples: Vec<Sample>,
    pub not_inspected: Vec<NotInspected>,
    pub not_inspected_count: usize,
    pub warnings: Vec<String>,
    /// Where reading stopped, for a truncated or damaged capture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stopped>,
    #[serde(skip)]
    pub(super) index: crate::order::SortedMap<(String, String, Action), usize>,
}

impl SanitizeReport {
    fn record(&mut self, entry: Option<usize>, change: Change) {
        let Change {
            location,
            field,
            action,
            before,
            after,
        } = change;
        match action {
            Action::Removed => self.removed += 1,
            Action::SignatureRemoved => self.signatures_removed += 1,
            Action::Pseudonymized => self.pseudonymized += 1,
        }
        let key = (location.to_string(), field.to_string(), action);
        if let Some(&i) = self.index.get(&key) {
            self.totals[i].count += 1;
        } else if self.totals.len() < MAX_TOTAL_ROWS {
            let new_place = || {
                !self
                    .samples
                    .iter()
                    .any(|s| s.location == location && s.action == action)
            };
            if self.samples.len() < MAX_SAMPLES && new_place() {
                self.samples.push(Sample {
                    entry,
                    location: location.to_string(),
                    field: field.to_string(),
                    action,
                    before: mask(before),
                    after: after.to_string(),
                });
            }
            self.index.insert(key, self.totals.len());
            self.totals.push(Total {
                location: location.to_string(),
                field: field.to_string(),
                action,
                count: 1,
            });
        }
        // The same change again in the same entry counts on its row.
        let same = |d: &&mut Detail| {
            d.entry == entry && d.location == location && d.field == field && d.action == action
        };
        let recent = self
            .details
            .iter_mut()
            .rev()
            .take_while(|d| d.entry == entry);
        if let Some(d) = recent.into_iter().find(|d| same(d)) {
            d.count += 1;
        } else if self.details.len() < MAX_DETAILS {
            self.details.push(Detail {
                entry,
                location: location.to_string(),
                field: field.to_string(),
                action,
                count: 1,
            });
        } else {
            self.details_truncated = true;
        }
    }

    /// Note a body that was not looked into.
    pub(super) fn not_inspected(&mut self, entry: usize, location: &str, reason: String) {
        self.not_inspected_count += 1;
        if self.not_inspected.len() < MAX_NOT_INSPECTED {
            self.not_inspected.push(NotInspected {
                entry,
                location: location.to_string(),
                reason,
            });
        }
    }

    /// A few lines for people (the CLI prints them on stderr).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} entries: {} values removed, {} JWT signatures removed, {} pseudonymized.\n",
            self.entries, self.removed, self.signatures_removed, self.pseudonymized
        );
        let mut top: Vec<&Total> = self.totals.iter().collect();
        crate::order::sort_by_u64(&mut top, |t| u64::MAX - t.count as u64);
        for t in top.iter().take(8) {
            let what = match t.action {
                Action::Removed => "removed",
                Action::SignatureRemoved => "signature removed",
                Action::Pseudonymized => "pseudonymized",
            };
            s.push_str(&format!(
                "  {:>6} x {} {} ({what})\n",
                t.count, t.location, t.field
            ));
        }
        if top.len() > 8 {
            s.push_str(&format!(
                "  ... and {} more kinds (see the JSON report)\n",
                top.len() - 8
            ));
        }
        if self.not_inspected_count > 0 {
            s.push_str(&format!(
                "{} bodies were not text and were left as they were (not inspected).\n",
                self.not_inspected_count
            ));
        }
        for w in &self.warnings {
            s.push_str(&format!("warning: {w}\n"));
        }
        if let Some(st) = &self.stopped {
            s.push_str(&format!("stopped: {}\n", st.reason));
        }
        s
    }
}

/// One change as a cleaner reports it.
struct Change<'a> {
    location: &'a str,
    field: &'a str,
    action: Action,
    before: &'a str,
    after: &'a str,
}

/// What a cleaner needs: where it is, the report to write to, and the
/// pseudonymizer when `--pseudonymize` is on.
pub(super) struct Cx<'a> {
    pub report: &'a mut SanitizeReport,
    pub pseudo: Option<&'a mut Pseudonymizer>,
    pub entry: Option<usize>,
}

impl Cx<'_> {
    /// Record a change of `before` into `after` (a marker).
    pub fn note(&mut self, location: &str, field: &str, action: Action, before: &str, after: &str) {
        let change = Change {
            location,
            field,
            action,
            before,
            after,
        };
        self.report.record(self.entry, change);
    }

    /// The pseudonym for `value`, when pseudonymizing (and recorded).
    pub fn pseudonym(
        &mut self,
        location: &str,
        field: &str,
        kind: Personal,
        value: &str,
    ) -> Option<String> {
        let p = self.pseudo.as_deref_mut()?;
        if value.is_empty() || value.ends_with("example.invalid") {
            return None;
        }
        let new = p.replace(kind, value);
        let change = Change {
            location,
            field,
            action: Action::Pseudonymized,
            before: value,
            after: &new,
        };
        self.report.record(self.entry, change);
        Some(new)
    }
}
