// <aadsts-explainer>: a help widget for other sites' pages.
//   <aadsts-explainer code="50074" audience="admin"></aadsts-explainer>  one explanation
//   <aadsts-explainer compact></aadsts-explainer>                          a small paste box
// audience="user|admin|developer" picks whose steps show; `compact` trims it
// for narrow spaces; --aadsts-* custom properties theme it. Everything lives
// in a Shadow DOM styled by a constructed stylesheet, every string goes in as
// text, and the host page gets no inline script or style. The WASM runs in a
// module worker (widget-engine.js), whose own CSP lets it compile even when
// the host's lacks 'wasm-unsafe-eval'; where workers are refused, the same
// engine loads on the page instead.
import { h, proseWithLinks, externalLink, linkLabel } from "./dom.js";
import css from "./widget.css";

const AUDIENCES = ["user", "admin", "developer"];
const DOING = { user: "What you can do", admin: "What an admin can do", developer: "What the app's developer can do" };
const WHO = { user: "you", admin: "your IT admin", developer: "the app's developer", microsoft: "Microsoft" };

// ---- The engine: a worker, or the page when workers are refused ------------

function workerEngine() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./widget-engine.js", import.meta.url), { type: "module" });
    const pending = new Map();
    let next = 0;
    const call = (op, arg) => new Promise((ok, fail) => {
      next += 1;
      pending.set(next, { ok, fail });
      worker.postMessage({ id: next, op, arg });
    });
    worker.addEventListener("message", ({ data }) => {
      const p = pending.get(data?.id);
      if (!p) return;
      pending.delete(data.id);
      if ("error" in data) p.fail(new Error(data.error));
      else p.ok(data.value);
    });
    worker.addEventListener("error", (ev) => {
      ev.preventDefault();
      worker.terminate();
      reject(new Error("the worker did not start"));
    }, { once: true });
    // The first answer says the WASM compiled in there.
    call("version").then(() => resolve(call), (e) => { worker.terminate(); reject(e); });
  });
}

async function pageEngine() {
  const { answer } = await import("./widget-engine.js");
  return async (op, arg) => {
    const r = await answer({ op, arg });
    if ("error" in r) throw new Error(r.error);
    return r.value;
  };
}

let engine = null;
/** One engine per page, shared by every widget on it. */
function connect() {
  engine ??= workerEngine().catch(() => pageEngine());
  return engine;
}

async function call(op, arg) {
  return (await connect())(op, arg);
}

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

// ---- Rendering --------------------------------------------------------------

function displayCode(x) {
  return x.kind === "aadsts" ? `AADSTS${x.code}` : x.id;
}

function list(items, ordered) {
  return h(ordered ? "ol" : "ul", null, items.map((t) => h("li", null, proseWithLinks(t))));
}

/** The steps for one audience; admins fall back to the first checks, developers to their notes. */
function stepsFor(entry, audience) {
  const steps = entry.steps?.[audience] ?? [];
  if (steps.length) return steps;
  if (audience === "admin") return entry.diagnose ?? [];
  if (audience === "developer") return entry.developer ?? [];
  return [];
}

function explanation(entry, audience, compact) {
  const steps = stepsFor(entry, audience);
  const who = (entry.who ?? []).map((w) => WHO[w]).filter(Boolean);
  return [
    h("p", { class: "eyebrow" }, h("code", { class: "code" }, displayCode(entry)), entry.name ? h("span", null, entry.name) : null),
    h("p", { class: "title" }, entry.title),
    h("p", { class: "summary" }, entry.summary),
    h("p", { class: "sub" }, DOING[audience]),
    steps.length ? list(compact ? steps.slice(0, 3) : steps, true)
      : h("p", { class: "muted" }, `Nothing for ${WHO[audience]} to do here.${who.length ? ` Who can fix it: ${who.join(", ")}.` : ""}`),
    !compact && entry.causes?.length
      ? h("details", null, h("summary", null, `Why this happens (${entry.causes.length})`), list(entry.causes, false)) : null,
    !compact && entry.links?.length
      ? h("p", { class: "links" }, "Microsoft documentation: ", entry.links.slice(0, 2).flatMap((url, i) => [i ? ", " : null, externalLink(url, linkLabel(url).title)]))
      : null,
  ];
}

function unknown(code) {
  const num = /^(?:aadsts)?(\d{4,7})$/i.exec(code)?.[1];
  return [
    h("p", { class: "title" }, `${num ? `AADSTS${num}` : code} is not in the knowledge base`),
    num ? h("p", null, "Microsoft's look-up page may know it: ",
      externalLink(`https://login.microsoftonline.com/error?code=${num}`, `login.microsoftonline.com/error?code=${num}`)) : null,
  ];
}

function versionLine(v) {
  return `aadsts-explainer ${v.version} · knowledge base of ${v.kb_date}, ${v.kb_entries.toLocaleString("en")} entries`;
}

export class AadstsExplainerElement extends HTMLElement {
  static observedAttributes = ["code", "audience", "compact"];

  #box = h("div", { class: "box", part: "box" });
  #foot = h("p", { class: "foot" });
  #paste = null;
  #renders = 0;
  #scans = 0;
  #timer = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styles()];
    root.append(this.#box);
  }

  get audience() {
    const a = this.getAttribute("audience");
    return AUDIENCES.includes(a) ? a : "user";
  }

  get compact() {
    return this.hasAttribute("compact");
  }

  connectedCallback() {
    this.#render();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#render();
  }

  async #render() {
    const n = ++this.#renders;
    const code = this.getAttribute("code")?.trim();
    if (!code) {
      this.#showPasteBox();
    } else {
      this.#paste = null;
      this.#box.replaceChildren(h("p", { class: "muted" }, "Loading the explanation…"), this.#foot);
    }
    try {
      const v = await call("version");
      this.#foot.textContent = versionLine(v);
      if (!code || n !== this.#renders) return;
      const entry = await call("explain", code);
      if (n !== this.#renders) return;
      this.#box.replaceChildren(...(entry ? explanation(entry, this.audience, this.compact) : unknown(code)).filter(Boolean), this.#foot);
    } catch (e) {
      if (n === this.#renders) this.#box.replaceChildren(h("p", null, `The explainer could not start: ${e?.message ?? e}`));
    }
  }

  #showPasteBox() {
    if (!this.#paste) {
      const input = h("textarea", { id: "input", rows: this.compact ? "3" : "5", spellcheck: "false", autocomplete: "off",
        placeholder: "AADSTS50074: Strong authentication is required…" });
      const results = h("div", { class: "results", "aria-live": "polite" });
      input.addEventListener("input", () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#scan(), 150);
      });
      this.#paste = { input, results };
    }
    const { input, results } = this.#paste;
    input.rows = this.compact ? 3 : 5;
    this.#box.replaceChildren(h("label", { for: "input" }, "Paste a sign-in error to see what it means"), input, results, this.#foot);
    if (input.value.trim()) this.#scan();
  }

  async #scan() {
    const { input, results } = this.#paste;
    const text = input.value;
    const n = ++this.#scans;
    if (!text.trim()) { results.replaceChildren(); return; }
    try {
      const { report, entries } = await call("scan", text);
      if (n !== this.#scans || !this.#paste) return;
      const cards = report.findings.map((f, i) => h("div", { class: "finding" },
        entries[i] ? explanation(entries[i], this.audience, true) : [
          h("p", { class: "eyebrow" }, h("code", { class: "code" }, displayCode(f))),
          h("p", { class: "title" }, f.title ?? "Not in the knowledge base"),
        ]));
      if (cards.length) results.replaceChildren(...cards);
      else if (report.suggestions.length) {
        const s = report.suggestions[0];
        results.replaceChildren(h("p", null, "No error code found, but the wording matches ", h("code", { class: "code" }, `AADSTS${s.code}`), `: ${s.title}`));
      } else results.replaceChildren(h("p", { class: "muted" }, "No Entra error code found in this text."));
      if (report.findings.length) {
        this.dispatchEvent(new CustomEvent("aadsts-found", { detail: report, bubbles: true, composed: true }));
      }
    } catch (e) {
      if (n === this.#scans) results.replaceChildren(h("p", null, `Could not read this text: ${e?.message ?? e}`));
    }
  }
}

if (!customElements.get("aadsts-explainer")) customElements.define("aadsts-explainer", AadstsExplainerElement);
