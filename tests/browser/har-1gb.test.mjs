// A 1 GiB capture in the page: the worker reads the File from disk in
// slices, the progress bar moves through the whole file, and the report has
// every entry and the planted errors. Memory stays bounded by a slice and the
// largest entry, which is what lets this run at all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { useBrowserWithClipboard } from "./harness.mjs";
import { openPage } from "./helpers.mjs";

const env = useBrowserWithClipboard(before, after);
const GIB = 1024 ** 3;
const BODY = Buffer.alloc(768 * 1024, "aadsts-1gb-").toString("base64"); // 1 MiB of base64
const EVERY = 64; // a token-endpoint error every 64th entry

/** Write a capture of at least `bytes` with image entries and OAuth errors; return its entry and error counts. */
async function writeCapture(path, bytes) {
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
    } else {
      entry = { startedDateTime: "2024-06-01T10:00:00.000Z", time: 5, request: { method: "GET", url: `https://cdn.contoso.example/photo-${entries}.png`, headers: [], queryString: [] }, response: { status: 200, headers: [], content: { size: 786432, mimeType: "image/png", encoding: "base64", text: BODY }, redirectURL: "" }, timings: {} };
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

test("a 1 GiB capture is read with a moving progress bar and reports every entry", { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "aadsts-1gb-"));
  try {
    const path = join(dir, "one-gib.har");
    const planted = await writeCapture(path, GIB);
    assert.ok((await stat(path)).size >= GIB);

    const { page, errors } = await openPage(env.browser.context, env.url);
    // Every value the progress bar takes, seen from the page itself.
    await page.evaluate(() => {
      window.__progress = [];
      const bar = document.getElementById("progress");
      new MutationObserver(() => window.__progress.push(bar.value)).observe(bar, { attributes: true, attributeFilter: ["value"] });
    });
    await page.setInputFiles("#file", path);
    await page.waitForSelector(".har-summary", { timeout: 240_000 });

    const seen = await page.evaluate(() => window.__progress);
    const steps = [...new Set(seen)].filter((v) => v > 0 && v < 100);
    assert.ok(steps.length >= 10, `the bar should move through the file; it showed ${JSON.stringify(seen)}`);
    assert.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1] || v === 0), `progress only goes forward: ${seen}`);
    assert.equal(await page.textContent(".stats .stat:first-child dd"), planted.entries.toLocaleString("en"));
    assert.match(await page.textContent(".finding .eyebrow"), /AADSTS700082/);
    // The same code in many requests is one finding that lists them.
    assert.match(await page.textContent("#status"), new RegExp(`1 error found in ${planted.entries.toLocaleString("en")} requests`));
    assert.ok(planted.errors > 10);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
