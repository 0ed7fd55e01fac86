// The JS API (www/pkg/npm/api.js, built from www/api.js), imported by a page
// the way a consumer would: every function, scanHar over bytes and a File
// with progress and an abort, and sanitizeHar over bytes and a Blob.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useBrowserWithClipboard } from "./harness.mjs";
import { FIXTURES, MFA_TEXT } from "./helpers.mjs";

const env = useBrowserWithClipboard(before, after);
const HAR = readFileSync(join(FIXTURES, "signin-mfa.har"), "utf8");
/** The fixture's bearer token's signature, which sanitizing removes. */
const SIGNATURE = /Bearer [\w-]+\.[\w-]+\.([\w-]+)/.exec(HAR)[1];

/** A same-origin document with no CSP of its own (the package.json), the API's URL, and its errors. */
async function blankPage() {
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${env.url}pkg/npm/package.json`);
  return { page, errors, api: `${env.url}pkg/npm/api.js` };
}

test("init, version, scanText, explain and search return plain objects", async () => {
  const { page, errors, api } = await blankPage();
  const r = await page.evaluate(async ({ api, text }) => {
    const m = await import(api);
    let early = null;
    try { m.scanText(text); } catch (e) { early = e.message; }
    const fromInit = await m.init();
    const again = await m.init();
    const scan = m.scanText(text);
    return {
      early, fromInit, same: JSON.stringify(again) === JSON.stringify(fromInit), version: m.version(),
      scan, plain: Object.getPrototypeOf(scan) === Object.prototype,
      byNumber: m.explain(50074)?.title, byName: m.explain("AADSTS50074")?.code, byId: m.explain("invalid_grant")?.id,
      missing: m.explain("nope"), hits: m.search("consent").length, hits3: m.search("consent", 3).length,
      first: m.search("50074")[0].entry.code,
    };
  }, { api, text: MFA_TEXT });
  assert.match(r.early, /await init\(\)/);
  assert.deepEqual(r.fromInit, r.version);
  assert.ok(r.same);
  assert.match(r.version.version, /^\d+\.\d+\.\d+$/);
  assert.match(r.version.kb_date, /^\d{4}-\d\d-\d\d$/);
  assert.ok(r.version.kb_entries > 500 && r.version.kb_aadsts_entries > 400);
  assert.ok(r.plain);
  assert.equal(r.scan.findings[0].code, 50076);
  assert.equal(r.scan.findings[0].correlation_id, "9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff");
  assert.ok(r.byNumber);
  assert.equal(r.byName, 50074);
  assert.equal(r.byId, "invalid_grant");
  assert.equal(r.missing, null);
  assert.equal(r.hits, 10);
  assert.equal(r.hits3, 3);
  assert.equal(r.first, 50074);
  assert.deepEqual(errors, []);
  await page.close();
});

test("scanHar reads bytes and a File with progress, and stops when the signal aborts", async () => {
  const { page, errors, api } = await blankPage();
  const r = await page.evaluate(async ({ api, har }) => {
    const m = await import(api);
    await m.init();
    const bytes = new TextEncoder().encode(har);
    const progress = [];
    const fromBytes = await m.scanHar(bytes, { onProgress: (p) => progress.push(p) });
    const fromFile = await m.scanHar(new File([har], "capture.har"));
    // A capture of about 6 MB: three 2 MB chunks. Abort after the first.
    const entry = JSON.stringify(JSON.parse(har).log.entries[0]);
    const big = new Blob([`{"log":{"version":"1.2","entries":[`, Array(20000).fill(entry).join(","), "]}}"]);
    const controller = new AbortController();
    const seen = [];
    const aborted = await m.scanHar(big, { signal: controller.signal, onProgress: (p) => { seen.push(p); controller.abort(); } })
      .then(() => "finished", (e) => e.name);
    const before = await m.scanHar(bytes, { signal: AbortSignal.abort() }).then(() => "finished", (e) => e.name);
    const whole = await m.scanHar(big);
    return { fromBytes, fromFile, progress, aborted, seen, before, bigSize: big.size, wholeEntries: whole.summary.entries };
  }, { api, har: HAR });
  assert.equal(r.fromBytes.summary.entries, 4);
  assert.ok(r.fromBytes.findings.some((f) => f.code === 50076));
  assert.deepEqual(r.fromFile, r.fromBytes);
  assert.deepEqual(r.progress, [{ bytes: Buffer.byteLength(HAR), total: Buffer.byteLength(HAR), entries: 4 }]);
  assert.equal(r.aborted, "AbortError");
  assert.equal(r.seen.length, 1);
  assert.equal(r.seen[0].bytes, 2 * 1024 * 1024);
  assert.equal(r.seen[0].total, r.bigSize);
  assert.ok(r.seen[0].entries > 0);
  assert.equal(r.before, "AbortError");
  assert.equal(r.wholeEntries, 20000);
  assert.deepEqual(errors, []);
  await page.close();
});

test("sanitizeHar returns bytes for bytes and a Blob for a Blob, with its report", async () => {
  const { page, errors, api } = await blankPage();
  const r = await page.evaluate(async ({ api, har, signature }) => {
    const m = await import(api);
    await m.init();
    const bytes = new TextEncoder().encode(har);
    const a = await m.sanitizeHar(bytes);
    const b = await m.sanitizeHar(new Blob([har]), { onProgress: () => {} });
    const key = new Uint8Array(16).fill(7);
    const p = await m.sanitizeHar(bytes, { pseudonymize: true, key });
    const noKey = await m.sanitizeHar(bytes, { pseudonymize: true }).then(() => "ok", (e) => e.message);
    const notHar = await m.sanitizeHar(new TextEncoder().encode("hello")).then(() => "ok", (e) => e.message);
    const aText = new TextDecoder().decode(a.har);
    return {
      aIsBytes: a.har instanceof Uint8Array, bIsBlob: b.har instanceof Blob, bType: b.har.type,
      same: aText === await b.har.text(), hasSignature: aText.includes(signature), parses: !!JSON.parse(aText).log,
      report: a.report, pseudonymized: p.report.pseudonymized, noKey, notHar,
      rescan: (await m.scanHar(a.har)).findings.map((f) => f.code),
    };
  }, { api, har: HAR, signature: SIGNATURE });
  assert.ok(r.aIsBytes);
  assert.ok(r.bIsBlob);
  assert.equal(r.bType, "application/json");
  assert.ok(r.same);
  assert.ok(r.parses);
  assert.equal(r.hasSignature, false, "the token's signature is gone");
  assert.equal(r.report.signatures_removed, 1);
  assert.equal(r.report.entries, 4);
  assert.ok(r.pseudonymized > 0);
  assert.match(r.noKey, /key/);
  assert.notEqual(r.notHar, "ok");
  assert.ok(r.rescan.includes(50076), "the diagnostics survive");
  assert.deepEqual(errors, []);
  await page.close();
});
