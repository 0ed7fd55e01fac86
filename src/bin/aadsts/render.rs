//! Human-readable output for the CLI: what it is, who acts, what to do.

use aadsts_explainer::kb::{Audience, Entry, Retry, SearchHit};
use aadsts_explainer::{Finding, Kind, ScanReport};
use std::fmt::Write as _;

fn who(entry: &Entry) -> String {
    entry
        .who
        .iter()
        .map(|w| match w {
            Audience::User => "you (the person signing in)",
            Audience::Admin => "your IT administrator",
            Audience::Developer => "the app's developer",
            Audience::Microsoft => "Microsoft (service side)",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn retry(entry: &Entry) -> &'static str {
    match entry.retry {
        Retry::Yes => "yes, trying again may work",
        Retry::Later => "after a wait",
        Retry::No => "no, something has to change first",
    }
}

fn label(f: &Finding) -> String {
    match (f.code, &f.id) {
        (Some(c), _) => format!("AADSTS{c}"),
        (None, Some(id)) => format!("{id} ({})", f.kind.slug()),
        _ => String::new(),
    }
}

/// The report of `aadsts scan`.
pub fn scan(r: &ScanReport) -> String {
    let mut s = String::new();
    if r.findings.is_empty() {
        s.push_str("No Entra error codes found.\n");
    }
    for (i, f) in r.findings.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        let _ = write!(s, "{}", label(f));
        if !f.name.is_empty() {
            let _ = write!(s, "  {}", f.name);
        }
        s.push('\n');
        match f.entry() {
            Some(e) => {
                let _ = writeln!(s, "  {}", e.title);
                let _ = writeln!(s, "  {}", e.summary);
                let _ = writeln!(s, "  Who can fix it: {}", who(e));
                let _ = writeln!(s, "  Retry: {}", retry(e));
                steps(&mut s, e, "  ");
            }
            None => {
                let _ = writeln!(s, "  Not in this tool's knowledge base.");
            }
        }
        if f.kind == Kind::Aadsts {
            if let Some(m) = &f.message {
                let _ = writeln!(s, "  Message in the text: {m}");
            }
        }
        for (name, v) in [
            ("Error", &f.error),
            ("Suberror", &f.suberror),
            ("Trace ID", &f.trace_id),
            ("Correlation ID", &f.correlation_id),
            ("Timestamp", &f.timestamp),
            ("App ID", &f.app_id),
            ("App name", &f.app_name),
            ("Tenant", &f.tenant_id),
            ("Resource", &f.resource),
        ] {
            if let Some(v) = v {
                let _ = writeln!(s, "  {name}: {v}");
            }
        }
        if let Some(url) = &f.lookup_url {
            let _ = writeln!(s, "  Microsoft's look-up page: {url}");
        }
    }
    if !r.suggestions.is_empty() {
        s.push_str("\nNo code for these, but the text reads like:\n");
        for g in &r.suggestions {
            let _ = writeln!(s, "  AADSTS{}  {}: {}", g.code, g.title, g.reason);
        }
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {}", w.message);
    }
    s
}

fn steps(s: &mut String, e: &Entry, indent: &str) {
    for (who, list) in [
        ("You", e.steps.user),
        ("Admin", e.steps.admin),
        ("Developer", e.steps.developer),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "{indent}What to do ({who}):");
            for (n, step) in list.iter().enumerate() {
                let _ = writeln!(s, "{indent}  {}. {step}", n + 1);
            }
        }
    }
}

/// One entry in full, for `aadsts explain`.
pub fn entry(e: &Entry) -> String {
    let mut s = String::new();
    let head = if e.code != 0 {
        format!("AADSTS{}", e.code)
    } else {
        format!("{} ({})", e.id, e.kind.slug())
    };
    let _ = writeln!(s, "{head}  {}", e.name);
    let _ = writeln!(s, "{}\n\n{}\n", e.title, e.summary);
    let _ = writeln!(s, "Category: {}", e.category.label());
    let _ = writeln!(s, "Who can fix it: {}", who(e));
    let _ = writeln!(s, "Retry: {}", retry(e));
    for (title, list) in [("First checks", e.diagnose), ("Causes", e.causes)] {
        if !list.is_empty() {
            let _ = writeln!(s, "\n{title}:");
            for item in list {
                let _ = writeln!(s, "  - {item}");
            }
        }
    }
    if !e.steps.is_empty() {
        s.push('\n');
        steps(&mut s, e, "");
    }
    for (title, list) in [
        ("What to collect", e.collect),
        ("For developers", e.developer),
        ("Links", e.links),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "\n{title}:");
            for item in list {
                let _ = writeln!(s, "  - {item}");
            }
        }
    }
    for sample in e.samples {
        let _ = writeln!(s, "\n{} ({}):\n{}", sample.label, sample.lang, sample.code);
    }
    if !e.related.is_empty() {
        let rel: Vec<String> = e.related.iter().map(|c| format!("AADSTS{c}")).collect();
        let _ = writeln!(s, "\nRelated: {}", rel.join(", "));
    }
    s
}

/// Ranked search results.
pub fn hits(hits: &[SearchHit]) -> String {
    if hits.is_empty() {
        return "No matching entries.\n".into();
    }
    list(&hits.iter().map(|h| h.entry).collect::<Vec<_>>())
}

/// One line per entry.
pub fn list(entries: &[&Entry]) -> String {
    let mut s = String::new();
    for e in entries {
        let id = if e.code != 0 {
            format!("AADSTS{}", e.code)
        } else {
            format!("{}/{}", e.kind.slug(), e.id)
        };
        let _ = writeln!(s, "{id:<36} {}", e.title);
    }
    s
}

/// The report of `aadsts scan` on a HAR capture.
pub fn har(r: &aadsts_explainer::HarReport) -> String {
    let mut s = String::new();
    let sm = &r.summary;
    let _ = writeln!(
        s,
        "HAR capture{}: {} entries, {} sign-in entries, {} error{}{}",
        r.creator
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        sm.entries,
        sm.signin_entries,
        sm.errors,
        if sm.errors == 1 { "" } else { "s" },
        match (&sm.first_failing_step, sm.first_failing_entry) {
            (Some(step), Some(e)) => format!(", first failing step: {step} (entry {e})"),
            _ => String::new(),
        }
    );
    if !r.flow.is_empty() {
        s.push_str("\nSign-in flow:\n");
        for st in &r.flow {
            let codes: Vec<String> = st.codes.iter().map(|c| format!("AADSTS{c}")).collect();
            let _ = writeln!(
                s,
                "{} #{:<4} {:<24} {} {} {}{}",
                if st.failing { "✗" } else { " " },
                st.entry,
                st.step,
                st.status,
                st.method,
                st.host,
                if codes.is_empty() {
                    String::new()
                } else {
                    format!("  {}", codes.join(" "))
                }
            );
            if st.failing {
                for (k, v) in &st.facts {
                    let _ = writeln!(s, "        {k}: {v}");
                }
            }
        }
    }
    for h in &r.findings {
        s.push('\n');
        let _ = writeln!(
            s,
            "In entry {} ({} {} → {}), {}:",
            h.entry.index, h.entry.method, h.entry.url, h.entry.status, h.location
        );
        let one = ScanReport {
            findings: vec![h.finding.clone()],
            suggestions: vec![],
            warnings: vec![],
        };
        s.push_str(&scan(&one));
    }
    if !r.tokens.is_empty() {
        s.push_str("\nTokens (decoded locally; signatures not verified):\n");
        for t in &r.tokens {
            let get = |k: &str| {
                t.claims
                    .get(k)
                    .map(|v| serde_json::to_string(v).unwrap_or_default())
                    .unwrap_or_else(|| "-".into())
            };
            let _ = writeln!(
                s,
                "  entry {} {}: {} aud={} tid={} amr={} expired={}",
                t.entry,
                t.location,
                t.kind,
                get("aud"),
                get("tid"),
                get("amr"),
                t.expired.map_or("unknown".to_string(), |e| e.to_string())
            );
            for n in t.notes.iter().skip(1) {
                let _ = writeln!(s, "    {n}");
            }
        }
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {}", w.message);
    }
    s
}
