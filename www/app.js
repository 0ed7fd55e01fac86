// The first page: paste → findings, rendered as text only (never as markup).
import init, { scanText, version } from "./pkg/aadsts_explainer.js";
import wasmBase64 from "./pkg/wasm-bytes.js";

const input = document.getElementById("input");
const status = document.getElementById("status");
const results = document.getElementById("results");

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function decodeBase64(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function renderFinding(f) {
  const card = el("article", undefined, "finding");
  const h = el("h2");
  h.append(el("span", f.code !== undefined ? `AADSTS${f.code}` : f.id, "code"));
  if (f.name) h.append(el("span", f.name, "name"));
  card.append(h);
  if (f.title) card.append(el("p", f.title, "title"));
  else card.append(el("p", "This code is not in the knowledge base.", "title"));
  if (f.message) card.append(el("p", `Message: ${f.message}`, "message"));
  const ids = el("dl", undefined, "ids");
  for (const [label, key] of [["Trace ID", "trace_id"], ["Correlation ID", "correlation_id"], ["Timestamp", "timestamp"], ["App ID", "app_id"], ["Error", "error"]]) {
    if (f[key]) { ids.append(el("dt", label), el("dd", f[key])); }
  }
  if (ids.childElementCount) card.append(ids);
  if (f.lookup_url && !f.known) {
    const a = el("a", "Microsoft's look-up page for this code");
    a.href = f.lookup_url;
    a.rel = "noopener noreferrer";
    card.append(a);
  }
  return card;
}

function update() {
  const report = scanText(input.value);
  results.replaceChildren(...report.findings.map(renderFinding));
  const n = report.findings.length;
  status.textContent = input.value.trim() === "" ? "Paste an error to see what it means."
    : n === 0 ? "No Entra error codes found in this text."
    : `${n} error${n === 1 ? "" : "s"} found.`;
}

let timer;
async function main() {
  await init({ module_or_path: decodeBase64(wasmBase64) });
  const v = version();
  document.getElementById("version").textContent = `aadsts-explainer ${v.version}, knowledge base ${v.kb_date} (${v.kb_entries} entries)`;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 120); });
  update();
  document.body.dataset.ready = "true";
}

main().catch((e) => { status.textContent = `The explainer failed to start: ${e}`; });
