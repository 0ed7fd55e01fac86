// Large HAR captures written to disk for the 1 GiB browser test and the
// benchmarks: entries with 1 MiB bodies, and a token-endpoint error
// (AADSTS700082 with its IDs) every 64th entry, in Chrome's shape. The bodies
// are base64 images (which the analysis may skip unread, their length being
// declared), JavaScript bundles as text (which it must read through), or
// both in turn.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

const BODY = Buffer.alloc(768 * 1024, "aadsts-1gb-").toString("base64"); // 1 MiB of base64
/** 1 MiB of script, as Chrome writes it: plain text, `size` its length (also page-bench.mjs's). */
export const SCRIPT = 'window.__cfg={"a":"b\\n","sErrorCode":"0"};function f(x){return x+"\t";}\n'.repeat(14564).slice(0, 1 << 20);
const EVERY = 64; // a token-endpoint error every 64th entry

/**
 * Write a capture of at least `bytes` with OAuth errors and `bodies`:
 * "images", "scripts" or "mixed" (in turn). Returns its entry and error counts.
 */
export async function writeCapture(path, bytes, { bodies = "images" } = {}) {
  const out = createWriteStream(path);
  const write = async (s) => { if (!out.write(s)) await once(out, "drain"); };
  let size = 0, entries = 0, errors = 0;
  const head = '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[';
  await write(head);
  size += head.length;
  while (size < bytes) {
    let entry;
    if (entries % EVERY === EVERY - 1) {
      errors++;
      const body = JSON.stringify({ error: "invalid_grant", error_description: `AADSTS700082: The refresh token has expired due to inactivity. Trace ID: 0f1e2d3c-0000-4a5b-8c9d-${String(entries).padStart(12, "0")} Correlation ID: 9a8b7c6d-1111-4e2f-8a3b-${String(entries).padStart(12, "0")} Timestamp: 2024-06-01 10:00:00Z`, error_codes: [700082] });
      entry = { startedDateTime: "2024-06-01T10:00:00.000Z", time: 90, request: { method: "POST", url: "https://login.microsoftonline.com/common/oauth2/v2.0/token", headers: [], queryString: [] }, response: { status: 400, headers: [{ name: "content-type", value: "application/json" }], content: { mimeType: "application/json", text: body }, redirectURL: "" }, timings: {} };
    } else if (bodies === "scripts" || (bodies === "mixed" && entries % 2)) {
      entry = { startedDateTime: "2024-06-01T10:00:00.000Z", time: 5, request: { method: "GET", url: `https://cdn.contoso.example/bundle-${entries}.js`, headers: [], queryString: [] }, response: { status: 200, headers: [], content: { size: SCRIPT.length, mimeType: "application/javascript", text: SCRIPT }, redirectURL: "" }, timings: {} };
    } else {
      entry = { startedDateTime: "2024-06-01T10:00:00.000Z", time: 5, request: { method: "GET", url: `https://cdn.contoso.example/photo-${entries}.png`, headers: [], queryString: [] }, response: { status: 200, headers: [], content: { size: 786432, mimeType: "image/png", text: BODY, encoding: "base64" }, redirectURL: "" }, timings: {} };
    }
    const text = (entries ? "," : "") + JSON.stringify(entry);
    await write(text);
    size += text.length;
    entries++;
  }
  await write("]}}");
  out.end();
  await once(out, "finish");
  return { entries, errors };
}

