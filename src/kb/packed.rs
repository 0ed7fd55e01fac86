//! Reads the packed knowledge base that `build.rs` writes.
//!
//! The text is stored once per distinct string, with recurring words
//! replaced by short references into a word list, because the knowledge base
//! is most of the page's weight. It is unpacked once, on first use, into
//! ordinary `&'static` entries (the memory lives as long as the program), so
//! the rest of the crate sees plain static data.
//!
//! Byte codes in the text, one string after another, each ended by `0x00`:
//! - `0x01..=0x7F`: that ASCII character;
//! - `0x80..=0xDF`: word `b - 0x80` of the word list;
//! - `0xE0..=0xFE`, then one byte `n`: word `96 + (b - 0xE0) * 256 + n`;
//! - `0xFF`, then one byte: that byte as is (UTF-8 beyond ASCII).
//!
//! Records are LEB128 varints in the order [`Reader::entry`] reads them.
//! Strings are stored group by group (titles, summaries, user steps, ...), and
//! a reference is 0 for "the next string of this group", which is the common
//! case, or the string's index + 1.

use super::types::{Audience, Category, Entry, Kind, Retry, Sample, Source, Steps};

/// The packed tables, as `build.rs` writes them.
pub(crate) struct Packed {
    pub words: &'static [u8],
    pub text: &'static [u8],
    pub records: &'static [u8],
    /// How many strings `text` holds.
    pub strings: usize,
    /// The length of all strings decoded, with one separator each.
    pub decoded_len: usize,
    /// How many records are AADSTS entries; the rest are other families.
    pub aadsts: usize,
    pub other: usize,
    /// Where each group's own strings start (see `GROUPS` in `build.rs`).
    pub starts: &'static [usize],
    pub kinds: &'static [Kind],
    pub sources: &'static [Source],
    pub audiences: &'static [Audience],
    pub categories: &'static [Category],
    pub retries: &'static [Retry],
}

/// The unpacked entries: AADSTS by code, then the others by (kind, id).
pub(crate) struct Unpacked {
    pub aadsts: &'static [Entry],
    pub other: &'static [Entry],
}

/// Words before this index have one-byte codes.
const SINGLE: usize = 96;

/// The string groups, in the order of `GROUPS` in `build.rs`.
#[derive(Clone, Copy)]
enum Group {
    Id,
    Name,
    Alias,
    Title,
    Summary,
    Diagnose,
    Cause,
    Collect,
    Developer,
    Link,
    StepUser,
    StepAdmin,
    StepDeveloper,
    SampleLang,
    SampleLabel,
    SampleCode,
}

impl Packed {
    /// Unpack everything. Malformed data can only come from a broken build,
    /// so it panics rather than returning an error; the tidy tests unpack it
    /// on every test run.
    pub(crate) fn unpack(&self) -> Unpacked {
        let strings = self.strings_table();
        let mut reader = Reader {
            packed: self,
            bytes: self.records,
            strings: &strings,
            next: self.starts.to_vec(),
        };
        let aadsts: Vec<Entry> = (0..self.aadsts).map(|_| reader.entry()).collect();
        let other: Vec<Entry> = (0..self.other).map(|_| reader.entry()).collect();
        assert!(reader.bytes.is_empty(), "knowledge base records too long");
        Unpacked {
            aadsts: Vec::leak(aadsts),
            other: Vec::leak(other),
        }
    }

    fn strings_table(&self) -> Vec<&'static str> {
        let words: Vec<&[u8]> = self.words.split(|&b| b == 0).collect();
        let mut out = Vec::with_capacity(self.decoded_len);
        let mut bytes = self.text.iter().copied();
        while let Some(b) = bytes.next() {
            match b {
                0x00..=0x7F => out.push(b),
                0x80..=0xDF => out.extend_from_slice(words[usize::from(b - 0x80)]),
                0xE0..=0xFE => {
                    let n = usize::from(bytes.next().expect("word reference cut short"));
                    out.extend_from_slice(words[SINGLE + usize::from(b - 0xE0) * 256 + n]);
                }
                0xFF => out.push(bytes.next().expect("escape cut short")),
            }
        }
        let all: &'static str = String::leak(String::from_utf8(out).expect("UTF-8 text"));
        // Every string, even the last, is followed by a NUL.
        let mut table: Vec<&'static str> = all.split('\0').collect();
        assert_eq!(table.pop(), Some(""), "knowledge base text not terminated");
        assert_eq!(table.len(), self.strings, "knowledge base string count");
        table
    }
}

/// A cursor over the records.
struct Reader<'a> {
    packed: &'a Packed,
    bytes: &'static [u8],
    strings: &'a [&'static str],
    /// Per group, the next string a zero reference means.
    next: Vec<usize>,
}

impl Reader<'_> {
    fn varint(&mut self) -> u32 {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let (&b, rest) = self.bytes.split_first().expect("record cut short");
            self.bytes = rest;
            n |= u32::from(b & 0x7F) << shift;
            if b < 0x80 {
                return n;
            }
        }
        panic!("varint too long")
    }

    fn index(&mut self) -> usize {
        self.varint() as usize
    }

    fn string(&mut self, group: Group) -> &'static str {
        let reference = self.varint() as usize;
        let next = &mut self.next[group as usize];
        let i = match reference {
            0 => {
                *next += 1;
                *next - 1
            }
            n => n - 1,
        };
        self.strings[i]
    }

    fn count(&mut self) -> usize {
        self.index()
    }

    fn strings(&mut self, group: Group) -> &'static [&'static str] {
        let n = self.count();
        Vec::leak((0..n).map(|_| self.string(group)).collect())
    }

    fn entry(&mut self) -> Entry {
        let p = self.packed;
        let kind = p.kinds[self.index()];
        let code = self.varint();
        let id = match kind {
            Kind::Aadsts => String::leak(code.to_string()),
            _ => self.string(Group::Id),
        };
        let name = self.string(Group::Name);
        let source = p.sources[self.index()];
        let title = self.string(Group::Title);
        let summary = self.string(Group::Summary);
        let category = p.categories[self.index()];
        let retry = p.retries[self.index()];
        let n = self.count();
        let who = Vec::leak((0..n).map(|_| p.audiences[self.index()]).collect());
        let aliases = self.strings(Group::Alias);
        let diagnose = self.strings(Group::Diagnose);
        let causes = self.strings(Group::Cause);
        let collect = self.strings(Group::Collect);
        let developer = self.strings(Group::Developer);
        let links = self.strings(Group::Link);
        let steps = Steps {
            user: self.strings(Group::StepUser),
            admin: self.strings(Group::StepAdmin),
            developer: self.strings(Group::StepDeveloper),
        };
        let n = self.count();
        let related = Vec::leak((0..n).map(|_| self.varint()).collect());
        let n = self.count();
        let samples = Vec::leak(
            (0..n)
                .map(|_| Sample {
                    lang: self.string(Group::SampleLang),
                    label: self.string(Group::SampleLabel),
                    code: self.string(Group::SampleCode),
                })
                .collect(),
        );
        Entry {
            kind,
            code,
            id,
            name,
            aliases,
            source,
            title,
            summary,
            who,
            category,
            retry,
            diagnose,
            causes,
            collect,
            developer,
            links,
            related,
            steps,
            samples,
        }
    }
}
