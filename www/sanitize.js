// The HAR view's "Sanitize this capture": the options, the run (in the
// worker, with progress and Cancel), the download, and what was removed.
// The core never hands back a removed value: its samples carry only the first
// characters of long values and their length. Field names and locations come
// from the capture and are set as text.
import { h, announce, plural, formatBytes } from "./dom.js";

const ACTION = { removed: "removed", "signature-removed": "signature removed", pseudonymized: "pseudonymized" };

// Rows shown before "Show all": enough to see the pattern, few enough to keep the page quick.
const SHOWN = 50;

/** Which kind of removal a report row is, for the counts. */
function kindOf({ location, field, action }) {
  if (action === "signature-removed") return "JWT signatures";
  if (action === "pseudonymized") return "Personal data pseudonymized";
  if (/cookies$/.test(location) || /^(set-)?cookie /i.test(field)) return "Cookies";
  if (/^(request|response)\.headers$/.test(location)) return "Headers";
  if (/url|query|fragment|redirectURL/i.test(location)) return "URL parameters";
  if (location.startsWith("request.postData")) return "Form and request body fields";
  if (location.startsWith("response.content")) return "Response body fields";
  return "Elsewhere in the file";
}

function kindCounts(totals) {
  const counts = new Map();
  for (const t of totals) {
    const k = kindOf(t);
    counts.set(k, (counts.get(k) ?? 0) + t.count);
  }
  return h("dl", { class: "stats" }, [...counts].map(([k, n]) =>
    h("div", { class: "stat" }, h("dt", null, k), h("dd", null, n.toLocaleString("en")))));
}

/** "request 3, request.headers": where in the capture a row is. */
function where({ entry, location }) {
  return `${entry === undefined ? "outside the requests" : `request ${entry + 1}`}, ${location}`;
}

/** A table of `rows` with the first SHOWN rendered; "Show all" adds the rest. */
function boundedTable(caption, head, rows, cells) {
  const body = h("tbody", null, rows.slice(0, SHOWN).map((r) => h("tr", null, cells(r).map((c) => h("td", null, c)))));
  const table = h("table", { class: "data", tabindex: "-1" }, h("caption", null, caption),
    h("thead", null, h("tr", null, head.map((t) => h("th", { scope: "col" }, t)))), body);
  if (rows.length <= SHOWN) return h("div", { class: "table-wrap" }, table);
  const more = h("button", { type: "button", class: "btn small" }, `Show all ${rows.length.toLocaleString("en")}`);
  more.addEventListener("click", () => {
    body.append(...rows.slice(SHOWN).map((r) => h("tr", null, cells(r).map((c) => h("td", null, c)))));
    // The button goes, so the focus moves to the table rather than being lost.
    more.remove();
    table.focus();
  });
  return h("div", { class: "table-wrap" }, table, more);
}

function beforeAfter(samples) {
  if (!samples.length) return null;
  return boundedTable("Before and after, the first removal in each place (the old value masked: its length, and its first characters only when it is long)",
    ["Where", "Field", "Before", "After"], samples,
    (s) => [where(s), h("code", null, s.field),
      h("code", { class: "before" }, s.before || "a JSON object or array"), h("code", { class: "after" }, s.after)]);
}

/** The distinct codes among findings, as people write them. */
export function codesOf(findings) {
  return [...new Set(findings.map((f) => (f.kind === "aadsts" ? `AADSTS${f.code}` : f.id)))].sort();
}

function checkLine(codes, expected) {
  const missing = expected.filter((c) => !codes.includes(c));
  if (!missing.length) {
    const which = expected.length ? `the same error codes as the original (${expected.join(", ")})` : "no error codes, like the original";
    return h("p", null, `Read back with the analyzer, the sanitized copy shows ${which}.`);
  }
  return h("div", { class: "notice warn", role: "note" },
    h("p", null, h("strong", null, "Check the copy. "),
      `Read back with the analyzer, it no longer shows ${missing.join(", ")}.`));
}

/** What a finished run removed, with the download offered again. */
function resultView(report, { codes, expected, save, blobSize }) {
  const heading = h("h3", { tabindex: "-1" }, "What was removed");
  const notInspected = report.not_inspected;
  const view = h("div", { class: "sanitize-result" },
    heading,
    h("p", null, `${plural(report.entries, "request")}: ${plural(report.removed, "value")} removed, `
      + `${plural(report.signatures_removed, "JWT signature")} removed, ${plural(report.pseudonymized, "value")} pseudonymized. `
      + `The sanitized copy is ${formatBytes(blobSize)}.`),
    report.totals.length ? kindCounts(report.totals) : null,
    checkLine(codes, expected),
    h("div", { class: "notice warn", role: "note" }, h("p", null,
      h("strong", null, "Check the file before sharing; "),
      "the sanitizer removes known credentials but cannot know every app's secrets.")),
    h("div", { class: "actions" }, saveButton("Download again", save)),
    beforeAfter(report.samples),
    report.details.length ? boundedTable(
      `Every removal, by request${report.details_truncated ? " (the list stops at 5,000 rows; the counts above are complete)" : ""}`,
      ["Where", "Field", "What"], report.details,
      (d) => [where(d), h("code", null, d.field), `${ACTION[d.action]}${d.count > 1 ? ` ×${d.count.toLocaleString("en")}` : ""}`]) : null,
    notInspected.length ? boundedTable(
      `Not inspected (${plural(report.not_inspected_count, "body", "bodies")} not text, left as they were)`,
      ["Where", "Why"], notInspected, (n) => [where(n), n.reason]) : null,
    report.warnings.length ? h("ul", { class: "list warnings" }, report.warnings.map((w) => h("li", null, w))) : null,
    report.stopped ? h("div", { class: "notice warn", role: "note" },
      h("p", null, h("strong", null, "The capture stops early. "), report.stopped.reason)) : null);
  return { view, heading };
}

function saveButton(label, save) {
  const b = h("button", { type: "button", class: "btn" }, label);
  b.addEventListener("click", save);
  return b;
}

/** Offer `blob` as a download: a blob: URL is local, not a request. */
function download(blob, name) {
  const a = h("a", { download: name, hidden: true });
  // h() allows only https and in-page links; this URL is ours, made just now.
  a.href = URL.createObjectURL(blob);
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click returns; a moment more for slow browsers.
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function sanitizedName(name) {
  return `${name.replace(/\.har$/i, "") || "capture"}.sanitized.har`;
}

/**
 * The section. `run(options, handlers)` starts the work and returns a
 * function that cancels it; handlers are { progress(bytes, total, phase),
 * done({ blob, report, codes }), failed(message) }, where `codes` are the
 * ones the analyzer finds in the sanitized copy; `expected`, in the original.
 */
export function sanitizeSection(name, expected, run) {
  const pseudo = h("input", { type: "checkbox", id: "sanitize-pseudo" });
  const start = h("button", { type: "button", class: "btn", id: "sanitize-run" }, "Download sanitized HAR");
  const label = h("label", { for: "sanitize-progress" }, "Sanitizing…");
  const bar = h("progress", { id: "sanitize-progress", max: "100", value: "0" });
  const text = h("p", { class: "muted small" });
  const cancel = h("button", { type: "button", class: "btn quiet" }, "Cancel");
  const panel = h("div", { class: "progress-panel", hidden: true }, label, bar, text, cancel);
  const result = h("div");
  let stop = null;

  const finish = () => {
    stop = null;
    panel.hidden = true;
    start.disabled = false;
  };
  cancel.addEventListener("click", () => {
    stop?.();
    finish();
    start.focus();
    announce("Sanitizing stopped. Nothing was saved.");
  });
  // Escape stops it too, as it stops reading a file.
  panel.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.stopPropagation(); cancel.click(); } });

  start.addEventListener("click", () => {
    if (stop) return;
    const options = { pseudonymize: pseudo.checked };
    // A fresh key each run: pseudonyms are stable within one file, unlinkable across files.
    if (options.pseudonymize) options.key = crypto.getRandomValues(new Uint8Array(16));
    result.replaceChildren();
    label.textContent = "Sanitizing…";
    bar.value = 0;
    text.textContent = "";
    panel.hidden = false;
    cancel.focus();
    start.disabled = true;
    announce("Sanitizing the capture…");
    stop = run(options, {
      progress(bytes, total, phase) {
        const pct = total ? Math.min(100, Math.round((bytes / total) * 100)) : 100;
        label.textContent = phase === "check" ? "Checking the sanitized copy…" : "Sanitizing…";
        bar.value = pct;
        text.textContent = `${formatBytes(bytes)} of ${formatBytes(total)} (${pct}%)`;
      },
      done({ blob, report, codes }) {
        finish();
        const save = () => download(blob, sanitizedName(name));
        const { view, heading } = resultView(report, { codes, expected, save, blobSize: blob.size });
        result.replaceChildren(view);
        save();
        heading.focus();
        announce(`Sanitized: ${plural(report.removed + report.signatures_removed, "value")} removed. The download has started.`);
      },
      failed(message) {
        finish();
        result.replaceChildren(h("p", { class: "notice warn", role: "alert" }, `The capture could not be sanitized: ${message}`));
        start.focus();
      },
    });
  });

  return h("section", { class: "block sanitize", "aria-labelledby": "sanitize-h" },
    h("h2", { id: "sanitize-h" }, "Sanitize this capture"),
    h("p", { class: "lead" }, "Before you share a capture, take out what could sign someone in: cookie values, "
      + "Authorization and other credential headers, tokens and codes, flowToken, PPFT and canary, passwords, "
      + "and every JWT's signature (its claims stay readable). Hosts, paths, status codes, timings, AADSTS codes, "
      + "error texts, trace and correlation IDs, client_id, redirect_uri and scope stay, so the capture still "
      + "explains the failure. It all happens here, in your browser."),
    h("div", { class: "check" }, pseudo,
      h("label", { for: "sanitize-pseudo" }, "Pseudonymize personal data (emails, names, IPs, object and tenant IDs)")),
    h("div", { class: "actions" }, start),
    panel,
    result);
}
