// Small DOM helpers. Every node is built with createElement and every string
// from the input or the knowledge base goes in as a Text node, never as markup.

let uid = 0;
/** A document-unique id with a readable prefix. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

const FORBIDDEN_ATTR = /^(on|style$|srcdoc$|formaction$)/i;

/**
 * h("p", { class: "x", id: "y", "aria-label": "z" }, "text", childNode, null)
 * Strings become Text nodes; null, undefined and false are skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (FORBIDDEN_ATTR.test(name)) throw new Error(`refusing to set ${name}`);
      if ((name === "href" || name === "src") && !/^(#|https:)/.test(String(value))) throw new Error(`refusing ${name} ${value}`);
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = String(value);
      else if (name === "hidden") node.hidden = Boolean(value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.append(child);
    else node.append(document.createTextNode(String(child)));
  }
}

/** Only https URLs become links; anything else is shown as text. */
export function safeHttpsUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * A plain link to an outside page (a new tab, no referrer, no opener).
 * Falls back to text when the URL is not https.
 */
export function externalLink(url, label) {
  const href = safeHttpsUrl(url);
  if (!href) return h("span", null, label ?? url);
  return h("a", { href, rel: "noopener noreferrer", target: "_blank", class: "external" },
    label ?? url, h("span", { class: "visually-hidden" }, " (opens in a new tab)"));
}

/** A readable label for a documentation URL: its last path segment, and the host. */
export function linkLabel(url) {
  try {
    const u = new URL(url);
    const segs = u.pathname.split("/").filter(Boolean);
    let last = segs.length ? decodeURIComponent(segs[segs.length - 1]) : "";
    last = last.replace(/\.(html?|md|aspx)$/i, "").replace(/[-_]+/g, " ").trim();
    if (!last || u.host === "aka.ms") return { title: u.host + u.pathname.replace(/\/$/, ""), host: "" };
    return { title: last.charAt(0).toUpperCase() + last.slice(1), host: u.host };
  } catch {
    return { title: url, host: "" };
  }
}

const URL_IN_TEXT = /https:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

// Hosts whose addresses in the prose are pages for people; the rest (token
// endpoints, scopes like https://graph.microsoft.com/.default) stay text.
const PAGE_HOSTS = new Set(["learn.microsoft.com", "aka.ms", "passwordreset.microsoftonline.com", "mysignins.microsoft.com",
  "myaccount.microsoft.com", "myapps.microsoft.com", "datatracker.ietf.org", "openid.net"]);

/** Knowledge-base prose, with addresses of pages for people as links. Never used for input text. */
export function proseWithLinks(text) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    let host = "";
    try { host = new URL(m[0]).host; } catch { continue; }
    if (!PAGE_HOSTS.has(host)) continue;
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(externalLink(m[0], m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Copy text to the clipboard, with a fallback for pages without the async API. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or unavailable: try the old way below.
  }
  const area = h("textarea", { class: "copy-buffer", readonly: true, "aria-hidden": "true", tabindex: "-1" });
  area.value = text;
  document.body.append(area);
  const active = document.activeElement;
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  if (active instanceof HTMLElement) active.focus();
  return ok;
}

let announcer = null;
/** Tell screen readers something short (copy done, and so on). */
export function announce(message) {
  if (!announcer) announcer = document.getElementById("announcer");
  if (!announcer) return;
  announcer.textContent = "";
  // A new text node after a tick makes repeated messages announce again.
  setTimeout(() => { announcer.textContent = message; }, 30);
}

/** A button that copies `getText()` and says so for a moment. */
export function copyButton(getText, label = "Copy", what = null) {
  // The accessible name starts with the visible text, whatever state it is in.
  const btn = h("button", { type: "button", class: "btn copy" });
  const show = (text) => {
    btn.textContent = text;
    if (what) btn.setAttribute("aria-label", `${text} ${what}`);
  };
  show(label);
  let timer;
  btn.addEventListener("click", async () => {
    const ok = await copyText(typeof getText === "function" ? getText() : getText);
    show(ok ? "Copied" : "Copy failed");
    announce(ok ? `Copied${what ? " " + what : ""} to the clipboard.` : "Copying failed; select the text and copy it by hand.");
    clearTimeout(timer);
    timer = setTimeout(() => show(label), 1800);
  });
  return btn;
}

/**
 * Accessible tabs (WAI-ARIA tabs pattern, automatic activation).
 * panels: [{ key, label, content: Node[] }]
 */
export function tabs(label, panels, selectedKey) {
  const base = nextId("tabs");
  const list = h("div", { role: "tablist", "aria-label": label, class: "tablist" });
  const wrap = h("div", { class: "tabs" }, list);
  const buttons = [];
  const bodies = [];
  const select = (i, focus) => {
    buttons.forEach((b, j) => {
      const on = i === j;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      bodies[j].hidden = !on;
    });
    if (focus) buttons[i].focus();
  };
  panels.forEach((p, i) => {
    const tabId = `${base}-tab-${p.key}`;
    const panelId = `${base}-panel-${p.key}`;
    const b = h("button", { type: "button", role: "tab", id: tabId, "aria-controls": panelId, class: "tab" }, p.label);
    const body = h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, class: "tabpanel", tabindex: "0" }, p.content);
    b.addEventListener("click", () => select(i, false));
    buttons.push(b);
    bodies.push(body);
    list.append(b);
    wrap.append(body);
  });
  list.addEventListener("keydown", (ev) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (ev.key === "ArrowRight" || ev.key === "ArrowDown") next = (i + 1) % buttons.length;
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") next = (i - 1 + buttons.length) % buttons.length;
    else if (ev.key === "Home") next = 0;
    else if (ev.key === "End") next = buttons.length - 1;
    if (next !== null) {
      ev.preventDefault();
      select(next, true);
    }
  });
  const start = Math.max(0, panels.findIndex((p) => p.key === selectedKey));
  select(start, false);
  return wrap;
}

/** A <details> block with a summary line. */
export function details(summary, content, { open = false, className = "" } = {}) {
  const d = h("details", { class: `more ${className}`.trim() }, h("summary", null, summary), h("div", { class: "more-body" }, content));
  d.open = open;
  return d;
}

/** Bytes as "1.2 MB". */
export function formatBytes(n) {
  const v = Number(n) || 0;
  if (v < 1024) return `${v} bytes`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KB`;
  if (v < 1024 * 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MB`;
  return `${(v / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function plural(n, one, many) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many ?? one + "s"}`;
}
