//! The bytes outside the entries: the document's head (`version`,
//! `creator`, `pages` before `entries`), the separators, and the tail.
//!
//! They arrive from the splitter in pieces of any size. This rewriter passes
//! them through as they are, except for string values, which it cleans like
//! members of a JSON object (a page title is a URL that can carry a code).
//! It holds back what could leave the output broken if the input stopped
//! right there (a comma, a half-read string or number), so that [`Outer::close`]
//! can always end the output as valid JSON: after a truncated capture the
//! complete entries are kept and every open bracket is closed.

use super::entry::clean_member;
use super::report::Cx;
use crate::json::Node;

#[derive(Default)]
pub(super) struct Outer {
    /// Open containers (`{` or `[`).
    stack: Vec<u8>,
    in_string: bool,
    escape: bool,
    /// The string being read, with its quotes.
    string: Vec<u8>,
    /// A complete string whose role (key or value) the next byte decides.
    pending: Option<Vec<u8>>,
    pending_space: Vec<u8>,
    /// A comma and the white space after it, not yet written.
    held: Vec<u8>,
    /// A number or `true`/`false`/`null` being read.
    literal: Vec<u8>,
    last_key: String,
    /// After a `:`, before its value.
    want_value: bool,
    /// Byte-order-mark bytes matched at the start (3 once past it).
    bom: usize,
}

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

impl Outer {
    /// Rewrite the next gap bytes into `out`.
    pub fn gap(&mut self, cx: &mut Cx, bytes: &[u8], out: &mut Vec<u8>) {
        for &b in bytes {
            if self.bom < 3 {
                if b == BOM[self.bom] {
                    self.bom += 1;
                    continue;
                }
                self.bom = 3;
            }
            self.byte(cx, b, out);
        }
    }

    fn byte(&mut self, cx: &mut Cx, b: u8, out: &mut Vec<u8>) {
        if self.in_string {
            self.string.push(b);
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
                self.pending = Some(std::mem::take(&mut self.string));
            }
            return;
        }
        if let Some(s) = self.pending.take() {
            if b.is_ascii_whitespace() {
                self.pending_space.push(b);
                self.pending = Some(s);
                return;
            }
            if b == b':' {
                self.commit(&s, out);
                self.last_key = serde_json::from_slice(&s).unwrap_or_default();
                out.append(&mut self.pending_space);
                out.push(b':');
                self.want_value = true;
                return;
            }
            let clean = self.clean_string(cx, &s);
            self.commit(&clean, out);
            out.append(&mut self.pending_space);
        }
        if !self.literal.is_empty() && (b.is_ascii_whitespace() || b"{}[],:\"".contains(&b)) {
            let l = std::mem::take(&mut self.literal);
            self.commit(&l, out);
        }
        match b {
            b',' => self.held.push(b),
            _ if b.is_ascii_whitespace() => {
                if self.held.is_empty() {
                    out.push(b);
                } else {
                    self.held.push(b);
                }
            }
            b'{' | b'[' => {
                self.commit(&[b], out);
                self.stack.push(b);
            }
            b'}' | b']' => {
                out.append(&mut self.held);
                out.push(b);
                self.stack.pop();
            }
            b'"' => {
                self.in_string = true;
                self.string.push(b);
            }
            b':' => out.push(b),
            _ => self.literal.push(b),
        }
    }

    /// Write a complete token, after the separator held before it.
    fn commit(&mut self, token: &[u8], out: &mut Vec<u8>) {
        out.append(&mut self.held);
        out.extend_from_slice(token);
        self.want_value = false;
    }

    /// A string value, cleaned as the member `last_key: value`.
    fn clean_string(&self, cx: &mut Cx, raw: &[u8]) -> Vec<u8> {
        let Ok(s) = serde_json::from_slice::<String>(raw) else {
            return raw.to_vec();
        };
        let mut node = Node::Str(s);
        if clean_member(cx, "log", &self.last_key, &mut node, false) {
            if let Ok(v) = serde_json::to_vec(&node) {
                return v;
            }
        }
        raw.to_vec()
    }

    /// An entry (a complete value) is about to be written.
    pub fn value(&mut self, out: &mut Vec<u8>) {
        self.commit(&[], out);
    }

    /// End the output: finish what was read, drop what was cut off, close
    /// every open bracket. Returns whether anything had to be closed.
    pub fn close(&mut self, cx: &mut Cx, out: &mut Vec<u8>) -> bool {
        let in_object = self.stack.last() == Some(&b'{');
        if let Some(s) = self.pending.take() {
            // A string with no `:` after it is a value, unless it stands where a key would.
            if !in_object || self.want_value {
                let clean = self.clean_string(cx, &s);
                self.commit(&clean, out);
            }
        }
        let literal = std::mem::take(&mut self.literal);
        if !literal.is_empty() && serde_json::from_slice::<Node>(&literal).is_ok() {
            self.commit(&literal, out);
        }
        if self.want_value {
            self.held.clear();
            out.extend_from_slice(b"null");
        }
        self.held.clear();
        let cut = !self.stack.is_empty() || self.in_string;
        while let Some(open) = self.stack.pop() {
            out.push(if open == b'{' { b'}' } else { b']' });
        }
        cut
    }
}
