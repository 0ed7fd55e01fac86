//! What a scan returns. These structs are the contract shared by the CLI's
//! `--json`, the WASM API and the page: they serialize the same everywhere.

use crate::kb::{self, Entry, Kind};
use serde::Serialize;

/// A half-open byte range in the scanned input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One error found in the input.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// `aadsts`, or the family of a string id (`oauth`, `suberror`, `msal-js`, `msal-net`).
    pub kind: Kind,
    /// The AADSTS number; absent for other kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// The string id for other kinds; absent for AADSTS findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The symbolic name (may be empty when Microsoft gives none).
    pub name: String,
    /// Whether the knowledge base has an entry.
    pub known: bool,
    /// The entry's plain-language headline, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// The message text that came with the code in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The sign-in page's "Request Id", which is the trace ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The OAuth `error` value that came with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Personal data: shown, but left out of support summaries unless asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Personal data, as `ip_address`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Where it first stands in the input (bytes).
    pub span: Span,
    /// How many times it stands in the input.
    pub occurrences: usize,
    /// Microsoft's look-up page for AADSTS codes; a link the user may follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_url: Option<String>,
}

impl Finding {
    /// A finding with only the identity filled in.
    pub(crate) fn new(kind: Kind, code: Option<u32>, id: Option<String>, span: Span) -> Finding {
        let entry = lookup(kind, code, id.as_deref());
        Finding {
            kind,
            code,
            id,
            name: entry.map_or("", |e| e.name).to_string(),
            known: entry.is_some(),
            title: entry.map(|e| e.title),
            message: None,
            trace_id: None,
            correlation_id: None,
            timestamp: None,
            request_id: None,
            error: None,
            suberror: None,
            error_uri: None,
            app_id: None,
            app_name: None,
            tenant_id: None,
            resource: None,
            ip_address: None,
            device_id: None,
            span,
            occurrences: 1,
            lookup_url: code.map(kb::lookup_url),
        }
    }

    /// Fill the facts this finding lacks from a later sighting of the same
    /// error (a later HAR body, a later part of a large log carries the trace ID).
    pub(crate) fn fill_missing(&mut self, from: &Finding) {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = from.$f.clone(); } )* };
        }
        fill!(
            message,
            trace_id,
            correlation_id,
            timestamp,
            request_id,
            error,
            suberror,
            error_uri,
            app_id,
            app_name,
            tenant_id,
            resource
        );
    }

    /// The knowledge-base entry behind this finding, if any.
    pub fn entry(&self) -> Option<&'static Entry> {
        lookup(self.kind, self.code, self.id.as_deref())
    }
}

/// The entry for an AADSTS code, or for a string id of another family.
fn lookup(kind: Kind, code: Option<u32>, id: Option<&str>) -> Option<&'static Entry> {
    match (code, id) {
        (Some(c), _) => kb::aadsts(c),
        (None, Some(id)) => kb::other(kind, id),
        _ => None,
    }
}

/// A likely code for a well-known message that came without one. Never a finding.
#[derive(Clone, Debug, Serialize)]
pub struct Suggestion {
    pub code: u32,
    pub name: &'static str,
    pub title: &'static str,
    pub reason: &'static str,
    /// Where the recognised phrase stands in the input.
    pub span: Span,
}

/// Something the user should know about the scan itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable machine-readable kind. Text: `empty`, `cut-off-code`,
    /// `not-utf8`, `utf16`, `binary`, `archive` (gzip, zip, ...: unpack
    /// first), `document` (an image or PDF: copy the text out). HAR also:
    /// `not-har`, `har-truncated`, `har-damaged`, `har-bad-entry`, `har-large-entry`.
    pub kind: &'static str,
    pub message: String,
}

/// The result of scanning a text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    pub suggestions: Vec<Suggestion>,
    pub warnings: Vec<Warning>,
}

impl ScanReport {
    /// The AADSTS codes found, in order.
    pub fn codes(&self) -> Vec<u32> {
        self.findings.iter().filter_map(|f| f.code).collect()
    }
}
