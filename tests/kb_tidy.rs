//! The knowledge base's tidy check, in the spirit of rustc's error-code index:
//! every catalog code present with its exact name, no duplicates, required
//! fields filled, links official, related codes real, no placeholder text,
//! deep guides deep enough, and every seed fact carried.
//!
//! Every problem is collected and reported at once, so one run shows a
//! writer everything to fix.
#![cfg(not(target_arch = "wasm32"))]

use aadsts_explainer::kb;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use toml::Value;

const DEEP: &[u32] = &[
    50072, 50074, 53004, 50125, 50076, 50079, 50011, 50020, 50034, 50053, 50055, 50057, 50058,
    50105, 50126, 50158, 50173, 53000, 53003, 54005, 65001, 65004, 70000, 70002, 70008, 70011,
    70043, 90002, 90014, 90072, 90094, 500011, 500121, 530003, 650052, 700016, 700024, 700054,
    700082, 7000215, 7000218, 7000222, 9002313, 9002326, 900144, 1002016,
];

const CATEGORIES: &[&str] = &[
    "mfa",
    "conditional-access",
    "credentials",
    "account-state",
    "consent",
    "app-registration",
    "client-credentials",
    "tokens-sessions",
    "federation",
    "device-compliance",
    "guest-b2b",
    "protocol",
    "service",
];

const OFFICIAL_HOSTS: &[&str] = &[
    "learn.microsoft.com",
    "aka.ms",
    "login.microsoftonline.com",
    "portal.azure.com",
    "entra.microsoft.com",
    "mysignins.microsoft.com",
    "account.activedirectory.windowsazure.com",
    "myaccount.microsoft.com",
    "passwordreset.microsoftonline.com",
    "datatracker.ietf.org",
    "openid.net",
];

const PLACEHOLDERS: &[&str] = &[
    "todo",
    "tbd",
    "lorem",
    "fixme",
    "xxx",
    "...",
    "<placeholder>",
    "[placeholder]",
];

/// Fail with every problem listed, so one run shows a writer all there is to fix.
fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} knowledge-base problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tsv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let head: Vec<String> = lines
        .next()
        .unwrap()
        .split('\t')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            head.iter()
                .cloned()
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect()
}

/// code → name from the catalog (50147 is listed twice; the named row wins).
fn catalog_names() -> BTreeMap<u32, String> {
    let mut names = BTreeMap::new();
    for row in tsv(&root().join("kb/catalog/aadsts_codes.tsv")) {
        let code: u32 = row["code"].parse().unwrap();
        let name = row.get("name").cloned().unwrap_or_default();
        let slot = names.entry(code).or_insert_with(String::new);
        if slot.is_empty() {
            *slot = name;
        }
    }
    names
}

fn supplementary() -> Vec<BTreeMap<String, String>> {
    tsv(&root().join("kb/catalog/aadsts_supplementary.tsv"))
}

fn lookup_codes() -> Vec<u32> {
    fs::read_to_string(root().join("kb/catalog/aadsts_lookup_codes.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(toml_files(&p));
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Table(t) => t.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn str_list(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks shared by AADSTS and other-family entries.
fn check_common(file: &str, v: &Value, problems: &mut Vec<String>) {
    let mut p = |m: String| problems.push(format!("{file}: {m}"));
    for key in ["title", "summary"] {
        match v.get(key).and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => {}
            _ => p(format!("`{key}` is missing or empty")),
        }
    }
    let title = v.get("title").and_then(Value::as_str).unwrap_or("");
    if title.len() > 90 {
        p(format!("title is {} characters (at most 90)", title.len()));
    }
    let summary = v.get("summary").and_then(Value::as_str).unwrap_or("");
    if summary.len() > 420 {
        p(format!(
            "summary is {} characters (at most 420)",
            summary.len()
        ));
    }
    let who = str_list(v, "who");
    if who.is_empty()
        || who
            .iter()
            .any(|w| !["user", "admin", "developer", "microsoft"].contains(&w.as_str()))
    {
        p(format!(
            "`who` must list user/admin/developer/microsoft, got {who:?}"
        ));
    }
    match v.get("category").and_then(Value::as_str) {
        Some(c) if CATEGORIES.contains(&c) => {}
        c => p(format!("bad category {c:?}")),
    }
    match v.get("retry").and_then(Value::as_str) {
        Some("yes" | "later" | "no") => {}
        r => p(format!("bad retry {r:?}")),
    }
    for link in str_list(v, "links") {
        let host = link
            .strip_prefix("https://")
            .and_then(|r| r.split(['/', '?', '#']).next());
        if !host.is_some_and(|h| OFFICIAL_HOSTS.contains(&h)) {
            p(format!("link is not https on an official host: {link}"));
        }
    }
    for code in v
        .get("related")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match code.as_integer() {
            Some(c) if kb::aadsts(c as u32).is_some() => {}
            _ => p(format!("related code {code} has no entry")),
        }
    }
    // `name` is legitimately empty when Microsoft gives none; every other string must say something.
    let mut all = Vec::new();
    if let Value::Table(t) = v {
        t.iter()
            .filter(|(k, _)| k.as_str() != "name")
            .for_each(|(_, x)| strings(x, &mut all));
    }
    for s in &all {
        if s.trim().is_empty() {
            p("an empty string".into());
        }
        let lower = s.to_ascii_lowercase();
        for ph in PLACEHOLDERS {
            let hit = if ph.chars().all(|c| c.is_ascii_alphabetic()) {
                lower
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == *ph)
            } else {
                lower.contains(ph)
            };
            // Code samples may use `...` as ordinary syntax (spread, elided arguments).
            let in_sample = v.get("sample").and_then(Value::as_array).is_some_and(|a| {
                a.iter()
                    .any(|x| x.get("code").and_then(Value::as_str) == Some(s))
            });
            if hit && !in_sample {
                p(format!(
                    "placeholder text {ph:?} in {:?}",
                    &s[..s.len().min(60)]
                ));
            }
        }
        if lower.contains("contact your administrator") || lower.contains("contact your admin.") {
            p(format!(
                "says \"contact your administrator\" without what to ask: {:?}",
                &s[..s.len().min(80)]
            ));
        }
    }
}

#[test]
fn every_aadsts_entry_is_well_formed_and_the_catalog_is_covered() {
    let names = catalog_names();
    let supp = supplementary();
    let mut aliases: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut sign_in_log = BTreeSet::new();
    for row in &supp {
        let code: u32 = row["code"].parse().unwrap();
        match row["kind"].as_str() {
            "former_name" => aliases.entry(code).or_default().push(row["name"].clone()),
            _ => {
                sign_in_log.insert(code);
            }
        }
    }
    let lookup = lookup_codes();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for path in toml_files(&root().join("kb/aadsts")) {
        let file = path.strip_prefix(root()).unwrap().display().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let v: Value = match toml::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        let Some(code) = v.get("code").and_then(Value::as_integer).map(|c| c as u32) else {
            problems.push(format!("{file}: no `code`"));
            continue;
        };
        if path.file_stem().unwrap() != code.to_string().as_str() {
            problems.push(format!("{file}: file name must be the code {code}"));
        }
        if !seen.insert(code) {
            problems.push(format!("{file}: duplicate code {code}"));
        }
        let name = v.get("name").and_then(Value::as_str).unwrap_or("<missing>");
        if let Some(want) = names.get(&code) {
            if name != want {
                problems.push(format!(
                    "{file}: name {name:?} must equal the catalog's {want:?}"
                ));
            }
        }
        let mut got_aliases = str_list(&v, "aliases");
        got_aliases.sort();
        let mut want_aliases = aliases.get(&code).cloned().unwrap_or_default();
        want_aliases.sort();
        if got_aliases != want_aliases {
            problems.push(format!(
                "{file}: aliases {got_aliases:?} must be the former names {want_aliases:?}"
            ));
        }
        let want_source = if names.contains_key(&code) {
            "documented"
        } else if sign_in_log.contains(&code) {
            "sign-in-log"
        } else {
            "lookup"
        };
        let source = v
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or("<missing>");
        if source != want_source {
            problems.push(format!(
                "{file}: source {source:?} should be {want_source:?}"
            ));
        }
        check_common(&file, &v, &mut problems);
        if DEEP.contains(&code) {
            let steps: usize = ["user", "admin", "developer"]
                .iter()
                .map(|k| v.get("steps").map(|s| str_list(s, k).len()).unwrap_or(0))
                .sum();
            for (key, min) in [("causes", 3), ("diagnose", 1), ("collect", 1), ("links", 1)] {
                if str_list(&v, key).len() < min {
                    problems.push(format!("{file}: a deep guide needs at least {min} `{key}`"));
                }
            }
            if steps < 4 {
                problems.push(format!(
                    "{file}: a deep guide needs at least 4 steps, has {steps}"
                ));
            }
        }
    }
    for code in names
        .keys()
        .chain(sign_in_log.iter())
        .chain(lookup.iter())
        .chain(DEEP.iter())
    {
        if !seen.contains(code) {
            problems.push(format!("kb/aadsts/{code}.toml is missing"));
        }
    }
    // The compiled tables hold exactly the files.
    assert_eq!(
        kb::aadsts_entries().len(),
        seen.len(),
        "build.rs and kb/aadsts disagree"
    );
    assert_no_problems(&problems);
}

#[test]
fn other_families_are_well_formed_and_cover_the_standard_errors() {
    let mut problems = Vec::new();
    let mut ids: BTreeSet<(String, String)> = BTreeSet::new();
    for path in toml_files(&root().join("kb/other")) {
        let file = path.strip_prefix(root()).unwrap().display().to_string();
        let v: Value = match toml::from_str(&fs::read_to_string(&path).unwrap()) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
        let id = v.get("id").and_then(Value::as_str).unwrap_or("");
        let folder = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        if kind != folder {
            problems.push(format!(
                "{file}: kind {kind:?} must match its folder {folder:?}"
            ));
        }
        let stem: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if path.file_stem().unwrap().to_str() != Some(stem.as_str()) {
            problems.push(format!("{file}: file name must be the id {id:?}"));
        }
        ids.insert((kind.to_string(), id.to_string()));
        check_common(&file, &v, &mut problems);
    }
    // Section 1-3 of catalog/other_codes.md: every OAuth/OIDC error and Entra suberror.
    let oauth = [
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "invalid_client",
        "invalid_grant",
        "unsupported_grant_type",
        "invalid_token",
        "insufficient_scope",
        "unsupported_token_type",
        "invalid_redirect_uri",
        "invalid_client_metadata",
        "invalid_software_statement",
        "unapproved_software_statement",
        "authorization_pending",
        "slow_down",
        "expired_token",
        "invalid_target",
        "invalid_dpop_proof",
        "use_dpop_nonce",
        "insufficient_user_authentication",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
        "unmet_authentication_requirements",
        "invalid_resource",
        "authorization_declined",
        "bad_verification_code",
    ];
    let suberror = [
        "basic_action",
        "additional_action",
        "message_only",
        "user_password_expired",
        "consent_required",
        "bad_token",
        "token_expired",
        "protection_policy_required",
        "client_mismatch",
        "device_authentication_failed",
    ];
    for id in oauth {
        if !ids.contains(&("oauth".into(), id.into())) {
            problems.push(format!("kb/other/oauth/{id}.toml is missing"));
        }
    }
    for id in suberror {
        if !ids.contains(&("suberror".into(), id.into())) {
            problems.push(format!("kb/other/suberror/{id}.toml is missing"));
        }
    }
    for kind in ["msal-js", "msal-net"] {
        let n = ids.iter().filter(|(k, _)| k == kind).count();
        if n < 30 {
            problems.push(format!(
                "kb/other/{kind} has {n} entries; the common client errors need at least 30"
            ));
        }
    }
    assert_eq!(
        kb::other_entries().len(),
        ids.len(),
        "build.rs and kb/other disagree"
    );
    assert_no_problems(&problems);
}

#[test]
fn every_seed_fact_is_in_its_entry() {
    let path = root().join("kb/seed_facts.toml");
    let v: Value = toml::from_str(&fs::read_to_string(&path).expect("kb/seed_facts.toml")).unwrap();
    let facts = v
        .get("fact")
        .and_then(Value::as_array)
        .expect("[[fact]] rows");
    assert!(facts.len() >= 40, "only {} seed facts listed", facts.len());
    let mut missing = Vec::new();
    let mut seeds = BTreeSet::new();
    for f in facts {
        let code = f["code"].as_integer().unwrap() as u32;
        seeds.insert(f["seed"].as_str().unwrap().to_string());
        let entry =
            kb::aadsts(code).unwrap_or_else(|| panic!("seed fact for {code}, which has no entry"));
        let text = serde_json::to_string(entry).unwrap().to_ascii_lowercase();
        for needle in f["needles"].as_array().unwrap() {
            let n = needle.as_str().unwrap().to_ascii_lowercase();
            if !text.contains(&n) {
                missing.push(format!(
                    "{code}: {:?} (needle {n:?})",
                    f["fact"].as_str().unwrap()
                ));
            }
        }
    }
    // All five seed guides are covered.
    assert!(seeds.len() >= 5, "facts cover only the seeds {seeds:?}");
    assert!(
        missing.is_empty(),
        "seed facts missing from their entries:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_catalog_copy_matches_shared_when_present() {
    // CI and developers have ../shared beside the checkout; the copy in kb/catalog must not drift.
    let shared = root().join("../shared/catalog");
    if !shared.is_dir() {
        return;
    }
    for f in [
        "aadsts_codes.tsv",
        "aadsts_supplementary.tsv",
        "aadsts_lookup_codes.txt",
    ] {
        let ours = fs::read(root().join("kb/catalog").join(f)).unwrap();
        let theirs = fs::read(shared.join(f)).unwrap();
        assert!(ours == theirs, "kb/catalog/{f} differs from ../shared/catalog/{f}: copy the new one in and update entries");
    }
}

#[test]
fn suggestions_point_at_entries_and_phrases_are_distinct() {
    let mut seen = BTreeSet::new();
    for rule in kb::suggestion_rules() {
        assert!(kb::aadsts(rule.code).is_some());
        assert!(!rule.reason.is_empty());
        for p in rule.phrases {
            assert!(p.len() >= 12, "phrase too short to be distinctive: {p:?}");
            assert!(seen.insert(*p), "phrase listed twice: {p:?}");
        }
    }
}

/// The packed tables `build.rs` writes unpack to exactly what the TOML says,
/// field by field, for every entry.
#[test]
fn the_packed_knowledge_base_round_trips() {
    let mut problems = Vec::new();
    let files: Vec<PathBuf> = toml_files(&root().join("kb/aadsts"))
        .into_iter()
        .chain(toml_files(&root().join("kb/other")))
        .collect();
    assert!(files.len() > 900, "{} files", files.len());
    for path in files {
        let v: Value = toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let entry = match (v.get("code"), v.get("kind"), v.get("id")) {
            (Some(c), _, _) => kb::aadsts(c.as_integer().unwrap() as u32),
            (None, Some(k), Some(id)) => kb::Kind::from_slug(k.as_str().unwrap())
                .and_then(|k| kb::other(k, id.as_str().unwrap())),
            _ => None,
        };
        let Some(entry) = entry else {
            problems.push(format!("{}: no entry unpacked", path.display()));
            continue;
        };
        let got = serde_json::to_value(entry).unwrap();
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").trim();
        let list = |k: &str| serde_json::json!(str_list(&v, k));
        let steps = v.get("steps");
        let step = |k: &str| serde_json::json!(steps.map(|s| str_list(s, k)).unwrap_or_default());
        let samples: Vec<serde_json::Value> = v
            .get("sample")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|s| {
                        let f = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("");
                        serde_json::json!({ "lang": f("lang"), "label": f("label"), "code": f("code").trim_end() })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let related: Vec<i64> = v
            .get("related")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_integer).collect())
            .unwrap_or_default();
        let id = match v.get("code").and_then(Value::as_integer) {
            Some(code) => code.to_string(),
            None => text("id").to_string(),
        };
        let want = [
            ("id", serde_json::json!(id)),
            ("title", serde_json::json!(text("title"))),
            ("summary", serde_json::json!(text("summary"))),
            ("name", serde_json::json!(text("name"))),
            ("aliases", list("aliases")),
            ("who", list("who")),
            ("category", serde_json::json!(text("category"))),
            ("retry", serde_json::json!(text("retry"))),
            ("diagnose", list("diagnose")),
            ("causes", list("causes")),
            ("collect", list("collect")),
            ("developer", list("developer")),
            ("links", list("links")),
            ("related", serde_json::json!(related)),
            (
                "steps",
                serde_json::json!({ "user": step("user"), "admin": step("admin"), "developer": step("developer") }),
            ),
            ("samples", serde_json::json!(samples)),
        ];
        for (field, want) in want {
            if got[field] != want {
                problems.push(format!(
                    "{}: `{field}` unpacks to {} instead of {want}",
                    path.display(),
                    got[field]
                ));
            }
        }
    }
    assert_no_problems(&problems);
}
