// Turns the core's results into page sections. Everything from the input is
// set as text; links are built only from the knowledge base (https only) and
// from the core's look-up URL, never from the input.
import { explain } from "./pkg/aadsts_explainer.js";
import { h, nextId, externalLink, linkLabel, proseWithLinks, copyButton, tabs, details, formatBytes, plural } from "./dom.js";

export const CATEGORY = {
  mfa: "Multifactor authentication",
  "conditional-access": "Conditional Access",
  credentials: "Passwords and credentials",
  "account-state": "Account state",
  consent: "Consent and permissions",
  "app-registration": "App registration",
  "client-credentials": "App secrets and certificates",
  "tokens-sessions": "Tokens and sessions",
  federation: "Federation",
  "device-compliance": "Devices and compliance",
  "guest-b2b": "Guest access (B2B)",
  protocol: "Request or protocol",
  service: "Service side or temporary",
};

const WHO = { user: "You", admin: "Your IT admin", developer: "The app's developer", microsoft: "Microsoft" };
const RETRY = {
  yes: "Trying again may well work.",
  later: "It should work again after a wait.",
  no: "Trying again won't help until something changes.",
};
export const KIND = { aadsts: "Entra ID error", oauth: "OAuth error", suberror: "Entra suberror", "msal-js": "MSAL.js error", "msal-net": "MSAL.NET error" };
const SOURCE_NOTE = {
  "sign-in-log": "Microsoft lists this code only in its older sign-in log error list.",
  lookup: "Microsoft's look-up service knows this code, but its documentation doesn't describe it, so this explanation is brief.",
};

/** How an entry or finding is addressed in the fragment: `50074` or `oauth/invalid_grant`. */
export function entryKey(x) {
  return x.kind === "aadsts" ? String(x.code) : `${x.kind}/${x.id}`;
}

/** How people write the code: `AADSTS50074`, `invalid_grant`. */
export function displayCode(x) {
  return x.kind === "aadsts" ? `AADSTS${x.code}` : x.id;
}

export function entryHref(x) {
  return `#${entryKey(x)}`;
}

const cache = new Map();
/** The knowledge-base entry for a code or `kind/id`, or null. */
export function lookup(key) {
  if (!cache.has(key)) {
    let e = null;
    try { e = explain(key); } catch { e = null; }
    cache.set(key, e ?? null);
  }
  return cache.get(key);
}

export function cardId(f) {
  return `finding-${f.kind}-${f.code ?? f.id}`.replace(/[^A-Za-z0-9_-]/g, "-");
}

function heading(level, attrs, ...children) {
  return h(`h${Math.min(6, level)}`, attrs, ...children);
}

function bullets(items, ordered = false) {
  return h(ordered ? "ol" : "ul", { class: "list" }, items.map((t) => h("li", null, proseWithLinks(t))));
}

function whoLine(entry) {
  const who = (entry.who ?? []).filter((w) => WHO[w]);
  return h("div", { class: "meta" },
    who.length ? h("p", { class: "who" }, h("span", { class: "meta-label" }, "Who can fix it: "),
      who.map((w, i) => [i ? h("span", { class: "sep", "aria-hidden": "true" }, " · ") : null, h("span", { class: `who-${w}` }, WHO[w])])) : null,
    entry.retry && RETRY[entry.retry] ? h("p", { class: `retry retry-${entry.retry}` }, RETRY[entry.retry]) : null);
}

function sampleBlock(s) {
  const code = String(s.code).replace(/^\n+/, "").replace(/\s+$/, "");
  return h("figure", { class: "sample" },
    h("figcaption", null, h("span", null, s.label), " ", h("span", { class: "lang" }, s.lang), copyButton(code, "Copy", `code sample: ${s.label}`)),
    h("pre", { tabindex: "0", "aria-label": `Code sample: ${s.label}` }, h("code", null, code)));
}

/** "What to do", one tab per audience that has something to say. */
function whatToDo(entry, level) {
  const s = entry.steps ?? { user: [], admin: [], developer: [] };
  const panels = [];
  if (s.user.length) {
    panels.push({ key: "user", label: "End user", content: [bullets(s.user, true)] });
  }
  if (s.admin.length || entry.diagnose.length || entry.collect.length) {
    panels.push({ key: "admin", label: "Admin", content: [
      s.admin.length ? bullets(s.admin, true) : h("p", { class: "muted" }, "No admin steps of their own; start with the first checks."),
      entry.diagnose.length ? details(`First checks (${entry.diagnose.length})`, bullets(entry.diagnose, true)) : null,
      entry.collect.length ? details(`What to collect for support (${entry.collect.length})`, bullets(entry.collect)) : null,
    ] });
  }
  if (s.developer.length || entry.developer.length || entry.samples.length) {
    panels.push({ key: "developer", label: "Developer", content: [
      s.developer.length ? bullets(s.developer, true) : null,
      entry.developer.length ? details(`Developer notes (${entry.developer.length})`, bullets(entry.developer)) : null,
      entry.samples.length ? details(`Code samples (${entry.samples.length})`, entry.samples.map(sampleBlock)) : null,
    ] });
  }
  if (!panels.length) return null;
  const first = (entry.who ?? []).find((w) => panels.some((p) => p.key === w)) ?? panels[0].key;
  return h("div", { class: "todo" },
    heading(level, { class: "sub" }, "What to do"),
    panels.length === 1
      ? h("div", { class: "single-audience" }, h("p", { class: "audience" }, `For the ${panels[0].label.toLowerCase()}`), panels[0].content)
      : tabs("What to do, by role", panels, first));
}

function linksBlock(entry) {
  if (!entry.links?.length) return null;
  return details(`Microsoft documentation (${entry.links.length})`,
    h("ul", { class: "links" }, entry.links.map((url) => {
      const { title, host } = linkLabel(url);
      return h("li", null, externalLink(url, title), host ? h("span", { class: "host" }, ` ${host}`) : null);
    })));
}

function relatedBlock(entry) {
  if (!entry.related?.length) return null;
  const items = entry.related.map((code) => {
    const e = lookup(String(code));
    return h("li", null, h("a", { href: `#${code}`, class: "code-link" }, `AADSTS${code}`),
      e ? h("span", { class: "related-title" }, ` ${e.title}`) : null);
  });
  return details(`Related errors (${items.length})`, h("ul", { class: "related" }, items));
}

/** The explanation of one entry: summary, who, what to do, causes, links, related. */
export function entryBody(entry, level) {
  return [
    h("p", { class: "summary" }, entry.summary),
    whoLine(entry),
    whatToDo(entry, level),
    entry.causes?.length ? details(`Why this happens (${entry.causes.length})`, bullets(entry.causes)) : null,
    linksBlock(entry),
    relatedBlock(entry),
    SOURCE_NOTE[entry.source] ? h("p", { class: "source-note" }, SOURCE_NOTE[entry.source]) : null,
  ];
}

function eyebrow(x, entry) {
  return h("p", { class: "eyebrow" },
    h("code", { class: "code" }, displayCode(x)),
    x.name || entry?.name ? h("span", { class: "name" }, x.name || entry.name) : null,
    h("span", { class: "kind" }, entry ? CATEGORY[entry.category] ?? KIND[x.kind] : KIND[x.kind] ?? ""));
}

export const ID_FIELDS = [
  ["trace_id", "Trace ID"],
  ["correlation_id", "Correlation ID"],
  ["timestamp", "Timestamp"],
  ["request_id", "Request ID"],
  ["error", "OAuth error"],
  ["suberror", "Suberror"],
  ["app_id", "App ID"],
  ["app_name", "App name"],
  ["tenant_id", "Tenant ID"],
  ["resource", "Resource"],
  ["error_uri", "Error URI"],
  ["ip_address", "IP address"],
  ["device_id", "Device ID"],
];

function idsBlock(f, level) {
  const rows = [];
  for (const [key, label] of ID_FIELDS) {
    const v = f[key];
    if (!v) continue;
    if (key === "request_id" && v === f.trace_id) continue;
    rows.push(h("div", { class: "id-row" },
      h("dt", null, label),
      h("dd", null, h("code", { class: `id-value id-${key}` }, v), copyButton(v, "Copy", label))));
  }
  if (!rows.length) return null;
  return h("div", { class: "ids" },
    heading(level, { class: "sub" }, "From your text"),
    h("dl", { class: "id-list" }, rows));
}

function whereBlock(hf) {
  const e = hf.entry;
  const also = (hf.entries ?? []).filter((i) => i !== e.index).map((i) => i + 1);
  return h("div", { class: "where" },
    h("h4", { class: "sub" }, "Where in the capture"),
    h("p", null,
      `Request ${e.index + 1}, in the ${hf.location}`,
      also.length ? `; also in request${also.length > 1 ? "s" : ""} ${also.join(", ")}` : ""),
    h("p", { class: "req" },
      h("span", { class: "method" }, e.method || "?"), " ",
      h("span", { class: `http ${statusClass(e.status)}` }, String(e.status || "no response")), " ",
      h("code", { class: "url" }, e.url)));
}

export function statusClass(status) {
  if (!status) return "s-none";
  if (status >= 400) return "s-err";
  if (status >= 300) return "s-redirect";
  return "s-ok";
}

/**
 * One finding as a card. `companions` are OAuth/suberror values that came with it;
 * `hf` is the HAR finding (for where it was), when there is one.
 */
export function findingCard(f, { companions = [], hf = null } = {}) {
  const entry = f.known ? lookup(entryKey(f)) : null;
  const titleId = nextId("finding-title");
  const card = h("article", { class: `card finding${entry ? "" : " unknown"}`, id: cardId(f), "aria-labelledby": titleId });
  card.append(eyebrow(f, entry));
  const [summary, who, todo, ...rest] = entry ? entryBody(entry, 4) : [];
  if (entry) {
    card.append(h("h3", { id: titleId, class: "title" }, entry.title));
    card.append(...[summary, who, todo].filter(Boolean));
  } else {
    card.append(h("h3", { id: titleId, class: "title" }, `${displayCode(f)} is not in our knowledge base`));
    card.append(h("p", { class: "summary" }, f.code !== undefined
      ? "We have no explanation for this code yet. The message that came with it, and Microsoft's own look-up page, are the best leads."
      : "We have no explanation for this value yet. The message that came with it is the best lead."));
    if (f.lookup_url) {
      card.append(h("p", { class: "lookup" }, "Microsoft's look-up page for this code: ", externalLink(f.lookup_url, `login.microsoftonline.com/error?code=${f.code}`)));
    }
  }
  if (f.message && f.message !== f.title) {
    card.append(h("div", { class: "said" }, h("h4", { class: "sub" }, "What the text said"), h("blockquote", null, f.message)));
  }
  if (hf) card.append(whereBlock(hf));
  const ids = idsBlock(f, 4);
  if (ids) card.append(ids);
  if (f.occurrences > 1) card.append(h("p", { class: "muted small" }, `It appears ${f.occurrences} times${hf ? " in the capture" : " in the text"}.`));
  if (companions.length) {
    card.append(h("div", { class: "companions" },
      h("h4", { class: "sub" }, "Came with it"),
      h("ul", { class: "list" }, companions.map((c) => {
        const ce = c.known ? lookup(entryKey(c)) : null;
        return h("li", null,
          ce ? h("a", { href: entryHref(c), class: "code-link" }, c.id) : h("code", null, c.id),
          ` (${KIND[c.kind] ?? c.kind})`,
          ce ? `: ${ce.title}` : "");
      }))));
  }
  if (entry) card.append(...rest.filter(Boolean));
  return card;
}

/** Fold OAuth errors and suberrors that came with an AADSTS code into its card. */
export function groupFindings(findings, get = (x) => x) {
  const primary = findings.filter((x) => get(x).kind === "aadsts");
  const groups = new Map(findings.map((x) => [x, []]));
  const cards = [];
  for (const x of findings) {
    const f = get(x);
    if (f.kind === "oauth" || f.kind === "suberror") {
      const parent = primary.find((p) => (f.kind === "oauth" ? get(p).error : get(p).suberror) === f.id);
      if (parent) {
        groups.get(parent).push(f);
        continue;
      }
    }
    cards.push(x);
  }
  return cards.map((x) => ({ item: x, companions: groups.get(x) }));
}

export function suggestionsSection(suggestions, hasFindings = false) {
  if (!suggestions.length) return null;
  return h("section", { class: "block suggestions", "aria-labelledby": "suggestions-h" },
    h("h2", { id: "suggestions-h" }, "Possible matches"),
    h("p", { class: "lead" }, hasFindings
      ? "Part of the text reads like a known message that came without its code. These are educated guesses, not findings."
      : "The text carries no error code, but its wording matches a known message. These are educated guesses, not findings."),
    h("ul", { class: "cards" }, suggestions.map((s) => {
      const key = String(s.code);
      return h("li", { class: "card suggestion" },
        h("p", { class: "reads-like" }, "This reads like ", h("code", { class: "code" }, `AADSTS${s.code}`), s.name ? h("span", { class: "name" }, s.name) : null),
        h("p", { class: "title" }, s.title),
        h("p", { class: "reason" }, h("span", { class: "meta-label" }, "Why we think so: "), s.reason),
        h("p", null, h("a", { href: `#${key}` }, `Open the explanation of AADSTS${s.code}`)));
    })));
}

export function warningsSection(warnings) {
  if (!warnings.length) return null;
  return h("section", { class: "block notes", "aria-labelledby": "notes-h" },
    h("h2", { id: "notes-h" }, "Notes about this scan"),
    h("ul", { class: "list warnings" }, warnings.map((w) => h("li", { "data-kind": w.kind }, w.message))));
}

// ---- HAR views --------------------------------------------------------------

export function harSummary(report, file, errorCount) {
  const s = report.summary;
  const errors = errorCount ?? s.errors;
  const failing = s.first_failing_step
    ? `${s.first_failing_step} (request ${(s.first_failing_entry ?? 0) + 1})` : "none";
  const stat = (label, value, cls = "") => h("div", { class: `stat ${cls}`.trim() }, h("dt", null, label), h("dd", null, value));
  return h("section", { class: "block har-summary", "aria-labelledby": "har-h" },
    h("h2", { id: "har-h" }, "Browser capture"),
    h("p", { class: "file-line" },
      h("span", { class: "file-name" }, file?.name ?? "pasted capture"),
      file ? h("span", { class: "muted" }, ` · ${formatBytes(file.size)}`) : null,
      report.creator ? h("span", { class: "muted" }, ` · exported by ${report.creator}`) : null),
    h("dl", { class: "stats" },
      stat("Requests", s.entries.toLocaleString("en")),
      stat("Sign-in requests", s.signin_entries.toLocaleString("en")),
      stat("Errors", errors.toLocaleString("en"), errors ? "bad" : "good"),
      stat("First failing step", failing, s.first_failing_step ? "bad" : "")),
    report.stopped ? h("div", { class: "notice warn", role: "note" },
      h("p", null, h("strong", null, "The capture stops early. "),
        `${plural(report.stopped.entries, "complete request")} read, up to byte ${Number(report.stopped.byte_offset).toLocaleString("en")}.`),
      h("p", null, report.stopped.reason)) : null);
}

function facts(list) {
  return h("dl", { class: "facts" }, list.map(([k, v]) => h("div", { class: "fact" }, h("dt", null, k), h("dd", null, h("code", null, v)))));
}

function shortTime(started) {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(started ?? "");
  return m ? `${m[2]}` : started ?? "";
}

const FLOW_LIMIT = 150;

export function flowSection(report) {
  const flow = report.flow;
  const section = h("section", { class: "block flow", "aria-labelledby": "flow-h" },
    h("h2", { id: "flow-h" }, "Sign-in flow"));
  if (!flow.length) {
    section.append(h("p", { class: "muted" }, "No request in this capture went to a Microsoft sign-in address, so there is no flow to show."));
    return section;
  }
  section.append(h("p", { class: "lead" }, "The sign-in requests in the capture, in order. The first one that failed is marked, with the parameters it was sent with."));
  const codesWithCards = new Set(report.findings.map((f) => f.code).filter((c) => c !== undefined));
  const failIdx = Math.max(0, flow.findIndex((s) => s.failing));
  let from = 0;
  let to = flow.length;
  if (flow.length > FLOW_LIMIT) {
    from = Math.max(0, failIdx - 20);
    to = Math.min(flow.length, from + FLOW_LIMIT);
  }
  const list = h("ol", { class: "timeline", start: String(from + 1) });
  const stepNode = (s) => {
    const li = h("li", { class: `step${s.failing ? " failing" : ""}${s.codes.length ? " has-codes" : ""}`, "aria-current": s.failing ? "step" : null },
      h("p", { class: "step-head" },
        h("span", { class: "step-name" }, s.step),
        s.failing ? h("span", { class: "badge bad" }, "First failure") : null,
        h("span", { class: "step-time muted" }, ` ${shortTime(s.started)}`, h("span", { class: "visually-hidden" }, `, request ${s.entry + 1}`))),
      h("p", { class: "req" },
        h("span", { class: "method" }, s.method || "?"), " ",
        h("span", { class: "host" }, s.host),
        h("span", { class: "path" }, s.path), " ",
        h("span", { class: `http ${statusClass(s.status)}` }, String(s.status || "no response"))),
      s.codes.length ? h("p", { class: "step-codes" }, "Errors: ", s.codes.map((c, i) => [i ? ", " : null,
        codesWithCards.has(c)
          ? h("a", { href: `#${cardId({ kind: "aadsts", code: c })}`, class: "code-link" }, `AADSTS${c}`)
          : h("code", null, `AADSTS${c}`)])) : null);
    if (s.facts.length) {
      li.append(s.failing ? facts(s.facts) : details(`Request parameters (${s.facts.length})`, facts(s.facts), { className: "facts-more" }));
    }
    return li;
  };
  for (let i = from; i < to; i++) list.append(stepNode(flow[i]));
  section.append(list);
  if (from > 0 || to < flow.length) {
    const btn = h("button", { type: "button", class: "btn" }, `Show all ${flow.length.toLocaleString("en")} steps`);
    btn.addEventListener("click", () => {
      const all = h("ol", { class: "timeline" }, flow.map(stepNode));
      list.replaceWith(all);
      btn.remove();
      all.querySelector(".failing .step-name")?.scrollIntoView({ block: "center" });
    });
    section.append(h("p", { class: "muted" }, `Showing steps ${from + 1} to ${to} around the failure.`), btn);
  }
  return section;
}

const TOKEN_KIND = { id_token: "ID token", access_token: "Access token", jwt: "Token (JWT)" };
const TIME_LABEL = { iat: "Issued", nbf: "Valid from", exp: "Expires" };

function claimValue(v) {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== "object")) return v.join(", ");
  return JSON.stringify(v);
}

export function tokensSection(report) {
  if (!report.tokens.length) return null;
  return h("section", { class: "block tokens", "aria-labelledby": "tokens-h" },
    h("h2", { id: "tokens-h" }, `Tokens (${report.tokens.length})`),
    h("p", { class: "lead" }, "Tokens found in the capture, decoded here in your browser. Their signatures are not checked, so treat the contents as what the token claims, not as proof."),
    report.tokens.map((t) => {
      const titleId = nextId("token-title");
      const expiry = t.expired === true ? h("span", { class: "badge bad" }, "Expired when captured")
        : t.expired === false ? h("span", { class: "badge good" }, "Not expired when captured")
        : h("span", { class: "badge" }, "Expiry unknown");
      return h("article", { class: "card token", "aria-labelledby": titleId },
        h("h3", { id: titleId, class: "title" }, TOKEN_KIND[t.kind] ?? t.kind, " ", expiry),
        h("p", { class: "muted" }, `Request ${t.entry + 1}, in the ${t.location}`),
        t.notes.length ? h("ul", { class: "list token-notes" }, t.notes.map((n) => h("li", null, n))) : null,
        t.times.length ? h("dl", { class: "times" }, t.times.map(([k, v]) =>
          h("div", { class: "fact" }, h("dt", null, `${TIME_LABEL[k] ?? k} (${k})`), h("dd", null, v)))) : null,
        t.explained.length ? h("div", { class: "claims" },
          h("h4", { class: "sub" }, "Key claims"),
          h("dl", { class: "claim-list" }, t.explained.map(([k, meaning]) =>
            h("div", { class: "claim" },
              h("dt", null, h("code", null, k)),
              h("dd", { class: "claim-value" }, h("code", null, claimValue(t.claims[k]))),
              h("dd", { class: "claim-meaning" }, meaning))))) : null,
        details("All claims (JSON)", [
          h("pre", { tabindex: "0", "aria-label": "Token header and claims as JSON" },
            h("code", null, JSON.stringify({ header: t.header, claims: t.claims }, null, 2))),
        ], { className: "json" }));
    }));
}
