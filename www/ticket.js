// The Markdown summary for a support ticket. It carries what support needs to
// find the sign-in (codes, IDs, time, app, failing step) and leaves personal
// data out unless the user asks for it.
import { displayCode, lookup, entryKey } from "./render.js";

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6 = /\b(?:[0-9A-Fa-f]{1,4}:){3,7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\w:])/g;

const NAME_CLAIMS = ["upn", "preferred_username", "unique_name", "email", "name", "given_name", "family_name"];

/** What personal data the results hold, by the checkbox that would include it. */
export function personalData(state) {
  const found = { names: new Set(), ips: new Set(), devices: new Set() };
  for (const { f } of state.cards) {
    if (f.ip_address) found.ips.add(f.ip_address);
    if (f.device_id) found.devices.add(f.device_id);
    for (const v of [f.message, f.app_name]) {
      for (const m of String(v ?? "").matchAll(EMAIL)) found.names.add(m[0]);
    }
  }
  const har = state.har;
  if (har) {
    for (const t of har.tokens) {
      for (const k of NAME_CLAIMS) if (typeof t.claims[k] === "string") found.names.add(`${k}: ${t.claims[k]}`);
      if (typeof t.claims.ipaddr === "string") found.ips.add(t.claims.ipaddr);
      if (typeof t.claims.deviceid === "string") found.devices.add(t.claims.deviceid);
    }
    const fail = har.flow.find((s) => s.failing);
    for (const [k, v] of fail?.facts ?? []) if (k === "login_hint") found.names.add(v);
  }
  return { names: found.names.size, ips: found.ips.size, devices: found.devices.size };
}

function scrub(value, include) {
  let v = String(value);
  if (!include.names) v = v.replace(EMAIL, "[email removed]");
  if (!include.ips) v = v.replace(IPV4, "[IP removed]").replace(IPV6, "[IP removed]");
  return v;
}

/** A value as inline code, with nothing in it that could break out of the Markdown. */
function code(value, include) {
  const v = scrub(value, include).replace(/[`\r\n\t]+/g, " ").trim();
  return `\`${v}\``;
}

const FIELDS = [
  ["error", "OAuth error"],
  ["suberror", "Suberror"],
  ["trace_id", "Trace ID"],
  ["correlation_id", "Correlation ID"],
  ["request_id", "Request ID"],
  ["timestamp", "Timestamp"],
  ["app_id", "App ID"],
  ["tenant_id", "Tenant ID"],
];

function hostPath(url) {
  try {
    const u = new URL(url);
    return u.host + u.pathname;
  } catch {
    return String(url).split(/[?#]/)[0];
  }
}

/**
 * state: { cards: [{ f, hf, companions }], suggestions, har, version }
 * include: { names, ips, devices }
 */
export function buildTicket(state, include) {
  const out = [];
  const left = [];
  if (!include.names) left.push("email addresses and user names");
  if (!include.ips) left.push("IP addresses");
  if (!include.devices) left.push("device IDs");

  out.push("## Microsoft Entra ID sign-in error");
  out.push("");
  if (!state.cards.length && !state.suggestions.length) {
    out.push("No Entra error code was found.");
    out.push("");
  }
  for (const { f, hf, companions } of state.cards) {
    const entry = f.known ? lookup(entryKey(f)) : null;
    const name = f.name ? ` (${f.name})` : "";
    out.push(`### ${displayCode(f)}${name}`);
    out.push(entry ? entry.title : "Not in the aadsts-explainer knowledge base.");
    out.push("");
    for (const [key, label] of FIELDS) {
      const v = f[key];
      if (!v || (key === "request_id" && v === f.trace_id)) continue;
      out.push(`- ${label}: ${code(v, include)}`);
    }
    // On a one-line "Troubleshooting details" paste the detector's app name can run on
    // into the next fields (IP address, device ID); leave such a name out.
    if (f.app_name && !/\b(app id|ip address|device|correlation id|request id|timestamp|signed in as)\s*:/i.test(f.app_name)) {
      out.push(`- App name: ${code(f.app_name, include)}`);
    }
    if (include.ips && f.ip_address) out.push(`- IP address: ${code(f.ip_address, include)}`);
    if (include.devices && f.device_id) out.push(`- Device ID: ${code(f.device_id, include)}`);
    for (const c of companions ?? []) out.push(`- Came with: ${code(c.id, include)}`);
    if (hf) out.push(`- Seen in: request ${hf.entry.index + 1}, ${code(`${hf.entry.method} ${hostPath(hf.entry.url)}`, include)} → ${hf.entry.status || "no response"}`);
    out.push("");
  }
  if (!state.cards.length) {
    for (const s of state.suggestions) {
      out.push(`No error code in the text; it reads like AADSTS${s.code}${s.name ? ` (${s.name})` : ""}: ${s.title}`);
      out.push("");
    }
  }

  const har = state.har;
  if (har) {
    const fail = har.flow.find((s) => s.failing);
    out.push("### Browser capture");
    out.push(`- Requests: ${har.summary.entries}, sign-in requests: ${har.summary.signin_entries}, errors: ${har.summary.errors}`);
    if (fail) {
      out.push(`- First failing step: ${fail.step} (request ${fail.entry + 1}), ${code(`${fail.method} ${fail.host}${fail.path}`, include)} → ${fail.status || "no response"}`);
      for (const [k, v] of fail.facts) {
        if (k === "login_hint" && !include.names) continue;
        out.push(`  - ${k}: ${code(v, include)}`);
      }
    }
    if (har.stopped) out.push(`- The capture stops early: ${har.stopped.entries} requests read, up to byte ${har.stopped.byte_offset}.`);
    for (const t of har.tokens) {
      const bits = [];
      for (const k of ["aud", "tid", "appid", "azp", "amr", "acr", "scp", "roles"]) {
        if (t.claims[k] !== undefined) bits.push(`${k}=${Array.isArray(t.claims[k]) ? t.claims[k].join(",") : t.claims[k]}`);
      }
      if (include.names) for (const k of NAME_CLAIMS) if (typeof t.claims[k] === "string") bits.push(`${k}=${t.claims[k]}`);
      if (include.ips && typeof t.claims.ipaddr === "string") bits.push(`ipaddr=${t.claims.ipaddr}`);
      if (include.devices && typeof t.claims.deviceid === "string") bits.push(`deviceid=${t.claims.deviceid}`);
      const exp = t.expired === true ? ", expired when captured" : t.expired === false ? ", not expired when captured" : "";
      out.push(`- Token (${t.kind.replace("_", " ")}, request ${t.entry + 1}${exp}): ${code(bits.join("; "), include)}`);
    }
    out.push("");
  }

  out.push("---");
  const v = state.version;
  out.push(`Summary written in the browser by aadsts-explainer${v ? ` ${v.version} (knowledge base ${v.kb_date})` : ""}; nothing was uploaded.${left.length ? ` Left out: ${left.join(", ")}.` : ""}`);
  return out.join("\n");
}
