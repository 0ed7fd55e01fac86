// The page: paste or drop → findings; a capture → the HAR view (read in a
// worker); a search over the knowledge base; deep links in the fragment.
// Every string from the input is rendered as text, never as markup.
import init, { scanText, version, looksLikeHar, analyzeHar, sanitizeHar, scanBytes, search } from "./pkg/aadsts_explainer.js";
import { wasmModule } from "./wasm-module.js";
import { h, copyButton, plural, formatBytes } from "./dom.js";
import {
  CATEGORY, KIND, displayCode, entryBody, entryHref, findingCard, flowSection, groupFindings,
  harSummary, lookup, suggestionsSection, tokensSection, warningsSection,
} from "./render.js";
import { buildTicket, personalData } from "./ticket.js";
import { codesOf, sanitizeSection } from "./sanitize.js";

const $ = (id) => document.getElementById(id);
const input = $("input");
const status = $("status");
const results = $("results");
const fileInput = $("file");
const dropzone = $("dropzone");
const progressPanel = $("progress-panel");
const progressBar = $("progress");
const progressLabel = $("progress-label");
const progressText = $("progress-text");
const searchInput = $("search");
const searchStatus = $("search-status");
const searchResults = $("search-results");
const dialog = $("entry-dialog");
const dialogBody = $("entry-dialog-body");

let versionInfo = null;

// ---- Examples (invented IDs) ------------------------------------------------

const EXAMPLES = [
  ["MFA required", "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\nTrace ID: 2f9c1d7e-4b3a-4e8f-9a21-6c5d4e3f2a10\nCorrelation ID: 7b1e0c3d-9f2a-4d6b-8c5e-1a2b3c4d5e6f\nTimestamp: 2025-03-14 09:26:53Z"],
  ["Redirect URI mismatch", "AADSTS50011: The redirect URI 'https://localhost:5001/signin-oidc' specified in the request does not match the redirect URIs configured for the application 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.\nTrace ID: 5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a\nCorrelation ID: 0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b\nTimestamp: 2025-03-14 10:02:11Z"],
  ["Expired token (JSON)", "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource. Trace ID: 3a2b1c0d-9e8f-47a6-b5c4-d3e2f1a0b9c8 Correlation ID: 8c7b6a59-4837-4261-9f0e-1d2c3b4a5968 Timestamp: 2025-03-14 11:45:02Z\",\"error_codes\":[70008],\"suberror\":\"bad_token\"}"],
];

function setupExamples() {
  const box = $("examples");
  const group = h("span", { class: "example-buttons", role: "group", "aria-labelledby": "examples-label" });
  for (const [label, text] of EXAMPLES) {
    const b = h("button", { type: "button", class: "btn small" }, label);
    b.addEventListener("click", () => {
      input.value = text;
      update();
      input.focus();
    });
    group.append(b);
  }
  const clear = h("button", { type: "button", class: "btn small quiet", id: "clear" }, "Clear");
  clear.addEventListener("click", () => {
    input.value = "";
    cancelJob(false);
    update();
    input.focus();
  });
  group.append(clear);
  box.append(group);
}

// ---- Results ----------------------------------------------------------------

function errorsWord(n) {
  return `${n} error${n === 1 ? "" : "s"}`;
}

function showEmpty() {
  results.replaceChildren();
  status.textContent = "Paste an error above, or drop a file, to see what it means.";
}

function fileLine(file, how) {
  return h("p", { class: "file-banner" },
    h("span", { class: "meta-label" }, "File: "), h("span", { class: "file-name" }, file.name),
    h("span", { class: "muted" }, ` · ${formatBytes(file.size)} · ${how}`));
}

function ticketSection(state) {
  const counts = personalData(state);
  const include = { names: false, ips: false, devices: false };
  const preview = h("code");
  const refresh = () => { preview.textContent = buildTicket(state, include); };
  const box = (key, label, n) => {
    const id = `ticket-${key}`;
    const cb = h("input", { type: "checkbox", id });
    cb.addEventListener("change", () => { include[key] = cb.checked; refresh(); });
    return h("div", { class: "check" }, cb, h("label", { for: id }, label, h("span", { class: "muted" }, n ? ` (${n} found)` : " (none found)")));
  };
  refresh();
  return h("section", { class: "block ticket", "aria-labelledby": "ticket-h" },
    h("h2", { id: "ticket-h" }, "Copy for a support ticket"),
    h("p", { class: "lead" }, "A short Markdown summary with the codes and the IDs support needs to find this sign-in. Personal data stays out unless you tick it below."),
    h("fieldset", { class: "checks" },
      h("legend", null, "Also include"),
      box("names", "Email addresses and user names", counts.names),
      box("ips", "IP addresses", counts.ips),
      box("devices", "Device IDs", counts.devices)),
    h("div", { class: "actions" }, copyButton(() => buildTicket(state, include), "Copy summary")),
    h("details", { class: "more" }, h("summary", null, "Preview what will be copied"),
      h("div", { class: "more-body" }, h("pre", { tabindex: "0", class: "ticket-preview", "aria-label": "Support summary preview" }, preview))));
}

function showText(report, file) {
  const groups = groupFindings(report.findings);
  const cards = groups.map(({ item, companions }) => ({ f: item, companions, hf: null }));
  const n = cards.length;
  const state = { cards, suggestions: report.suggestions, har: null, version: versionInfo };
  results.replaceChildren(...[
    file ? fileLine(file, "read as text") : null,
    n ? h("section", { class: "block findings", "aria-labelledby": "findings-h" },
      h("h2", { id: "findings-h" }, `${errorsWord(n)} ${file ? "in the file" : "in your text"}`),
      cards.map((c) => findingCard(c.f, { companions: c.companions }))) : null,
    suggestionsSection(report.suggestions, n > 0),
    warningsSection(report.warnings),
    n || report.suggestions.length ? ticketSection(state) : null,
  ].filter(Boolean));
  if (n) status.textContent = `${errorsWord(n)} found.`;
  else if (report.suggestions.length) status.textContent = "No error code found, but the wording matches a known message: see Possible matches.";
  else status.textContent = `No Entra error codes found in this ${file ? "file" : "text"}.${report.warnings.length ? " See the notes below." : ""}`;
}

/** `source` is the capture as a File (a pasted one too), for sanitizing. */
function showHar(report, file, source = file) {
  const groups = groupFindings(report.findings);
  const cards = groups.map(({ item, companions }) => ({ f: item, companions, hf: item }));
  const n = cards.length;
  const state = { cards, suggestions: [], har: report, version: versionInfo };
  // The summary already says where reading stopped.
  const warnings = report.stopped ? report.warnings.filter((w) => w.kind !== "har-truncated" && w.kind !== "har-damaged") : report.warnings;
  results.replaceChildren(...[
    harSummary(report, file, n),
    n ? h("section", { class: "block findings", "aria-labelledby": "findings-h" },
      h("h2", { id: "findings-h" }, `${errorsWord(n)} in the capture`),
      cards.map((c) => findingCard(c.f, { companions: c.companions, hf: c.hf }))) : null,
    flowSection(report),
    tokensSection(report),
    warningsSection(warnings),
    ticketSection(state),
    sanitizeSection(source.name, codesOf(report.findings), (options, handlers) => runSanitize(source, options, handlers)),
  ].filter(Boolean));
  const entries = plural(report.summary.entries, "request");
  status.textContent = n ? `Capture read: ${errorsWord(n)} found in ${entries}.` : `Capture read: no Entra error codes in ${entries}.`;
}

function update() {
  cancelJob(false);
  const text = input.value;
  if (!text.trim()) { showEmpty(); return; }
  try {
    const bytes = new TextEncoder().encode(text);
    if (looksLikeHar(bytes.subarray(0, 65536))) showHar(analyzeHar(bytes), null, new File([bytes], "pasted.har"));
    else showText(scanText(text), null);
  } catch (e) {
    results.replaceChildren();
    status.textContent = `Something went wrong reading this text: ${e?.message ?? e}`;
  }
}

// ---- Files and the worker ---------------------------------------------------

let worker = null;
let workerReady = null;
let jobId = 0;
let job = null;

function spawnWorker(module) {
  try {
    worker = new Worker(new URL("./har-worker.js", import.meta.url), { type: "module" });
    worker.postMessage({ type: "module", module });
  } catch {
    worker = null;
    workerReady = Promise.resolve(false);
    return;
  }
  const w = worker;
  workerReady = new Promise((resolve) => {
    const onReady = (ev) => {
      if (ev.data?.type === "ready") { w.removeEventListener("message", onReady); resolve(true); }
      else if (ev.data?.type === "error" && ev.data.id === null) { w.removeEventListener("message", onReady); resolve(false); }
    };
    w.addEventListener("message", onReady);
    w.addEventListener("error", () => resolve(false), { once: true });
  });
  w.addEventListener("message", onWorkerMessage);
  w.addEventListener("error", (ev) => {
    ev.preventDefault();
    if (worker !== w) return;
    if (job) finishJobWithError("The file reader stopped unexpectedly.");
    if (sanitizing) onSanitizeMessage({ type: "error", id: sanitizing.id, message: "the file reader stopped unexpectedly" });
  });
}

function showProgress(file, isHar) {
  progressLabel.textContent = `Reading ${file.name}…`;
  if (isHar) { progressBar.max = 100; progressBar.value = 0; } else progressBar.removeAttribute("value");
  progressText.textContent = isHar ? `0 of ${formatBytes(file.size)}` : formatBytes(file.size);
  progressPanel.hidden = false;
}

function hideProgress() {
  progressPanel.hidden = true;
}

function onWorkerMessage(ev) {
  const msg = ev.data ?? {};
  if (msg.id === sanitizing?.id) { onSanitizeMessage(msg); return; }
  if (!job || msg.id !== job.id) return;
  if (msg.type === "progress") {
    const pct = job.file.size ? Math.min(100, Math.round((msg.bytes / job.file.size) * 100)) : 100;
    progressBar.value = pct;
    const skipped = msg.skipped ? ` · ${formatBytes(msg.skipped)} of media bodies skipped unread` : "";
    progressText.textContent = `${formatBytes(msg.bytes)} of ${formatBytes(job.file.size)} (${pct}%) · ${plural(msg.entries, "request")}${skipped}`;
  } else if (msg.type === "har" || msg.type === "text") {
    const { file } = job;
    job = null;
    hideProgress();
    if (msg.type === "har") showHar(msg.report, file);
    else showText(msg.report, file);
  } else if (msg.type === "error") {
    finishJobWithError(msg.message);
  }
}

function finishJobWithError(message) {
  job = null;
  hideProgress();
  results.replaceChildren();
  status.textContent = `The file could not be read: ${message}`;
}

/** Stop the running job. The worker drops it at the next slice; its later
 * messages no longer match a job and are ignored. Keeping the worker (rather
 * than ending it and starting another) means Cancel loads nothing. */
function cancelJob(say = true) {
  stopSanitizing?.();
  if (!job) return;
  worker?.postMessage({ type: "cancel", id: job.id });
  job = null;
  hideProgress();
  if (say) {
    results.replaceChildren();
    status.textContent = "Stopped reading the file. Nothing from it was kept.";
  }
}

/** Main-thread fallback when module workers are unavailable. */
async function readOnPage(file, isHar) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (isHar) showHar(analyzeHar(bytes), file);
  else showText(scanBytes(bytes), file);
}

async function openFile(file) {
  if (!file) return;
  cancelJob(false);
  input.value = "";
  let isHar = false;
  try {
    isHar = looksLikeHar(new Uint8Array(await file.slice(0, 65536).arrayBuffer()));
  } catch (e) {
    results.replaceChildren();
    status.textContent = `The file could not be read: ${e?.message ?? e}`;
    return;
  }
  results.replaceChildren();
  status.textContent = isHar ? `Reading the capture ${file.name}…` : `Reading ${file.name}…`;
  if (!(await workerReady)) {
    try { await readOnPage(file, isHar); } catch (e) { finishJobWithError(e?.message ?? String(e)); }
    return;
  }
  jobId += 1;
  job = { id: jobId, file };
  showProgress(file, isHar);
  worker.postMessage({ type: isHar ? "har" : "text", id: jobId, file });
}

function setupFiles() {
  $("file-button").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    openFile(file);
    fileInput.value = "";
  });
  $("cancel").addEventListener("click", () => { cancelJob(true); input.focus(); });
  let depth = 0;
  const hasFiles = (ev) => Array.from(ev.dataTransfer?.types ?? []).includes("Files");
  document.addEventListener("dragenter", (ev) => {
    if (!hasFiles(ev)) return;
    depth += 1;
    document.body.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) document.body.classList.remove("dragging");
  });
  document.addEventListener("dragover", (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "copy";
  });
  document.addEventListener("drop", (ev) => {
    depth = 0;
    document.body.classList.remove("dragging");
    if (!hasFiles(ev)) return;
    // Never let the browser open the file itself.
    ev.preventDefault();
    openFile(ev.dataTransfer.files[0]);
  });
  dropzone.addEventListener("click", (ev) => { if (ev.target === dropzone) fileInput.click(); });
}

// ---- Sanitizing --------------------------------------------------------------

let sanitizing = null;
let stopSanitizing = null;

/** Sanitize `file` in the worker (on the page without one); returns a function that cancels it. */
function runSanitize(file, options, handlers) {
  stopSanitizing?.();
  jobId += 1;
  const id = jobId;
  sanitizing = { id, handlers };
  workerReady.then((ok) => {
    if (sanitizing?.id !== id) return;
    if (ok) worker.postMessage({ type: "sanitize", id, file, options });
    else {
      sanitizeOnPage(file, options).then((r) => onSanitizeMessage({ type: "sanitized", id, ...r }),
        (e) => onSanitizeMessage({ type: "error", id, message: e?.message ?? String(e) }));
    }
  });
  stopSanitizing = () => {
    stopSanitizing = null;
    if (sanitizing?.id !== id) return;
    worker?.postMessage({ type: "cancel", id });
    sanitizing = null;
  };
  return stopSanitizing;
}

async function sanitizeOnPage(file, options) {
  const { har, report } = sanitizeHar(new Uint8Array(await file.arrayBuffer()), options);
  return { blob: new Blob([har], { type: "application/json" }), report, findings: analyzeHar(har).findings };
}

function onSanitizeMessage(msg) {
  if (!sanitizing || msg.id !== sanitizing.id) return;
  const { handlers } = sanitizing;
  if (msg.type === "progress") { handlers.progress(msg.bytes, msg.total, msg.phase); return; }
  sanitizing = null;
  stopSanitizing = null;
  if (msg.type === "sanitized") handlers.done({ blob: msg.blob, report: msg.report, codes: codesOf(msg.findings) });
  else handlers.failed(msg.message);
}

// ---- Look-up and deep links ---------------------------------------------------

// Shown while the search box is empty: codes people run into every day.
const COMMON = [50076, 50074, 50011, 65001, 70008, 53003, 50126, 50053, 700016, 7000215, 50020, 530003];

function hitItem(entry) {
  return h("li", null,
    h("a", { href: entryHref(entry), class: "hit" },
      h("code", { class: "code" }, displayCode(entry)),
      h("span", { class: "hit-title" }, entry.title)),
    h("p", { class: "hit-meta" }, [entry.kind === "aadsts" ? entry.name : KIND[entry.kind], CATEGORY[entry.category]].filter(Boolean).join(" · ")));
}

function runSearch(query) {
  const q = query.trim();
  if (!q) {
    const common = COMMON.map((c) => lookup(String(c))).filter(Boolean);
    searchResults.replaceChildren(...common.map(hitItem));
    searchResults.setAttribute("aria-label", "Common sign-in errors");
    searchStatus.textContent = "Common sign-in errors:";
    return [];
  }
  const hits = search(q, 20);
  searchResults.setAttribute("aria-label", "Matching entries");
  searchResults.replaceChildren(...hits.map(({ entry }) => hitItem(entry)));
  searchStatus.textContent = hits.length === 0 ? "Nothing in the knowledge base matches. Try a code number or other words."
    : hits.length === 20 ? "The 20 best matches." : `${plural(hits.length, "entry", "entries")} match.`;
  return hits;
}

let searchTimer;
function setupSearch() {
  searchInput.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const q = searchInput.value.trim();
      runSearch(q);
      history.replaceState(null, "", q ? `#q=${encodeURIComponent(q)}` : location.pathname);
    }, 120);
  });
  searchInput.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      clearTimeout(searchTimer);
      runSearch(searchInput.value);
      const first = searchResults.querySelector("a");
      if (first) { opener = searchInput; location.hash = first.getAttribute("href"); }
    } else if (ev.key === "ArrowDown") {
      const first = searchResults.querySelector("a");
      if (first) { ev.preventDefault(); first.focus(); }
    }
  });
  searchResults.addEventListener("keydown", (ev) => {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    const links = Array.from(searchResults.querySelectorAll("a"));
    const i = links.indexOf(document.activeElement);
    if (i < 0) return;
    ev.preventDefault();
    if (ev.key === "ArrowDown") links[Math.min(links.length - 1, i + 1)].focus();
    else if (i === 0) searchInput.focus();
    else links[i - 1].focus();
  });
}

let opener = null;

function dialogTitle(text) {
  return h("h2", { id: "entry-dialog-title", class: "title", tabindex: "-1" }, text);
}

function showInDialog(nodes) {
  dialogBody.replaceChildren(...nodes.filter(Boolean));
  if (!dialog.open) {
    if (!opener) opener = document.activeElement;
    dialog.showModal();
  }
  dialog.scrollTop = 0;
  $("entry-dialog-title").focus();
}

function openEntry(entry) {
  showInDialog([
    h("p", { class: "eyebrow" },
      h("code", { class: "code" }, displayCode(entry)),
      entry.name ? h("span", { class: "name" }, entry.name) : null,
      h("span", { class: "kind" }, CATEGORY[entry.category] ?? "")),
    dialogTitle(entry.title),
    ...entryBody(entry, 3),
  ]);
}

function openUnknown(code) {
  showInDialog([
    h("p", { class: "eyebrow" }, h("code", { class: "code" }, `AADSTS${code}`)),
    dialogTitle(`AADSTS${code} is not in our knowledge base`),
    h("p", { class: "summary" }, "We have no explanation for this code. Microsoft's own look-up page may know it."),
    h("p", null, h("a", { href: `https://login.microsoftonline.com/error?code=${code}`, rel: "noopener noreferrer", target: "_blank" },
      `login.microsoftonline.com/error?code=${code}`, h("span", { class: "visually-hidden" }, " (opens in a new tab)"))),
  ]);
}

function clearEntryHash() {
  const q = searchInput.value.trim();
  history.replaceState(null, "", q ? `#q=${encodeURIComponent(q)}` : location.pathname);
}

function setupDialog() {
  $("dialog-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (ev) => { if (ev.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => {
    clearEntryHash();
    const back = opener;
    opener = null;
    if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
  });
  // Remember what opened the dialog, so closing returns there.
  document.addEventListener("click", (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest("a[href^='#']") : null;
    if (a && !dialog.open) opener = a;
  }, true);
}

function route({ initial = false } = {}) {
  const raw = location.hash.slice(1);
  if (!raw) {
    if (dialog.open) dialog.close();
    return;
  }
  if (raw.startsWith("q=")) {
    const q = new URLSearchParams(raw).get("q") ?? "";
    if (dialog.open) dialog.close();
    searchInput.value = q;
    runSearch(q);
    if (initial) $("lookup").scrollIntoView();
    return;
  }
  let frag = raw;
  try { frag = decodeURIComponent(raw); } catch { /* keep it raw */ }
  // In-page anchors (the skip link, the flow's links to cards) are the browser's business.
  if (document.getElementById(frag)) return;
  const entry = lookup(frag);
  if (entry) { openEntry(entry); return; }
  const num = /^(?:aadsts)?(\d{4,7})$/i.exec(frag);
  if (num) openUnknown(num[1]);
}

// Escape stops a file being read, or folds the section the focus is in.
document.addEventListener("keydown", (ev) => {
  if (ev.key !== "Escape" || dialog.open) return;
  if (!progressPanel.hidden) {
    cancelJob(true);
    input.focus();
    return;
  }
  const open = document.activeElement?.closest?.("details[open]");
  if (open) {
    open.open = false;
    open.querySelector("summary")?.focus();
  }
});

// ---- Start ------------------------------------------------------------------

let timer;
async function main() {
  const module = await wasmModule();
  await init({ module_or_path: module });
  spawnWorker(module);
  versionInfo = version();
  $("version").textContent = `aadsts-explainer ${versionInfo.version} · knowledge base of ${versionInfo.kb_date}, ${versionInfo.kb_entries.toLocaleString("en")} entries (${versionInfo.kb_aadsts_entries.toLocaleString("en")} AADSTS codes)`;
  setupExamples();
  setupFiles();
  setupSearch();
  setupDialog();
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 150); });
  window.addEventListener("hashchange", () => route());
  update();
  // Ready for input: a paste is explained from here on. The look-up list and
  // a deep link's entry come in the next task, so typing is not held up by
  // them (their first use also unpacks the knowledge base's text).
  document.body.dataset.ready = "true";
  await new Promise((ok) => setTimeout(ok, 0));
  runSearch("");
  route({ initial: true });
  // The worker loads its scripts now, so reading a file later requests nothing;
  // a file dropped before it is ready waits for it.
  await Promise.race([workerReady, new Promise((ok) => setTimeout(ok, 10000))]);
  document.body.dataset.workerReady = "true";
}

main().catch((e) => {
  status.textContent = `The explainer failed to start: ${e?.message ?? e}`;
});
