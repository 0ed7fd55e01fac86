// The single offline file (./build.sh dist): opened from file:// it explains a
// paste and reads a capture (on the main thread: workers cannot start from
// file://) with no request at all, states its version visibly and in
// <meta name="generator">, and the SHA-256 the build prints is the file's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { launch } from "./harness.mjs";
import { buildOffline, FIXTURES, MFA_TEXT } from "./helpers.mjs";

let browser, tmp, file, printed;
before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "aadsts-offline-"));
  file = join(tmp, "aadsts-explainer.html");
  printed = buildOffline(file);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test("the printed SHA-256 is the file's", () => {
  assert.equal(printed, createHash("sha256").update(readFileSync(file)).digest("hex"));
});

test("everything is inline, under a CSP of hashes, with the version in a generator meta", () => {
  const html = readFileSync(file, "utf8");
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+rel="stylesheet"/);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1];
  assert.match(csp, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*' 'wasm-unsafe-eval'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src data:; connect-src 'none'/);
  assert.match(html, /<meta name="generator" content="aadsts-explainer \d+\.\d+\.\d+; knowledge base \d{4}-\d\d-\d\d, \d+ entries \(\d+ AADSTS codes\)">/);
});

test("from file:// it explains a paste and a capture with zero requests", async () => {
  const url = pathToFileURL(file).href;
  const requests = [];
  browser.context.on("request", (r) => { if (r.url() !== url) requests.push(r.url()); });
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForSelector("body[data-worker-ready=true]", { timeout: 20000 });
  assert.match(await page.textContent("#version"), /^aadsts-explainer \d+\.\d+\.\d+ · knowledge base of \d{4}-\d\d-\d\d, [\d,]+ entries/);

  await page.fill("#input", MFA_TEXT);
  await page.waitForSelector(".finding");
  assert.match(await page.textContent("#results"), /AADSTS50076/);

  // No worker from file://: the capture is read on the page.
  await page.setInputFiles("#file", join(FIXTURES, "signin-mfa.har"));
  await page.waitForSelector(".har-summary");
  assert.match(await page.textContent("#status"), /^Capture read: 1 error found/);

  await page.fill("#search", "consent");
  await page.waitForSelector("#search-results a");
  await page.waitForTimeout(300);
  assert.deepEqual(requests, [], "requests other than the file itself");
  assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations");
  assert.deepEqual(errors, []);
  await page.close();
});
