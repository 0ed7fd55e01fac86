// After load the page requests nothing: not for a paste, a dropped capture
// (read by the worker), a sanitized download, a plain file, a search, a deep
// link or a copy.
// Requests are counted on the browser context, which sees the worker's too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { useBrowserWithClipboard } from "./harness.mjs";
import { FIXTURES, MFA_TEXT } from "./helpers.mjs";

const env = useBrowserWithClipboard(before, after);

test("zero requests after load across paste, HAR drop, sanitizing, file drop, search and deep links", async () => {
  const requests = [];
  env.browser.context.on("request", (r) => requests.push(r.url()));
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(env.url);
  await page.waitForSelector("body[data-worker-ready=true]", { timeout: 20000 });

  // Loading: only our own files, the worker's included (so the count covers it).
  assert.ok(requests.every((r) => r.startsWith(env.url)), `off-origin requests: ${requests.join(", ")}`);
  assert.ok(requests.some((r) => r.endsWith("/har-worker.js")), `the worker's script was not seen: ${requests.join(", ")}`);
  const loaded = requests.length;

  // Paste, examples, tabs, copy, ticket options.
  await page.fill("#input", MFA_TEXT);
  await page.waitForSelector(".finding");
  for (const b of await page.locator("#examples button").all()) await b.click();
  await page.getByRole("button", { name: "Copy Trace ID" }).first().click().catch(() => {});
  await page.locator("#results details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));

  // A capture, through the worker; then a plain file.
  await page.setInputFiles("#file", join(FIXTURES, "signin-mfa.har"));
  await page.waitForSelector(".har-summary");
  await page.locator("#results details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  await page.check("#ticket-names");
  await page.getByRole("button", { name: "Copy summary" }).click();
  // Sanitizing runs in the worker; the download is a blob: URL, not a request.
  await page.check("#sanitize-pseudo");
  await Promise.all([page.waitForEvent("download"), page.click("#sanitize-run")]);
  await page.waitForSelector(".sanitize-result");
  await page.setInputFiles("#file", { name: "err.log", mimeType: "text/plain", buffer: Buffer.from(MFA_TEXT) });
  await page.waitForSelector(".file-banner");

  // Search and deep links.
  await page.fill("#search", "consent");
  await page.waitForFunction(() => location.hash === "#q=consent");
  await page.click("#search-results a >> nth=0");
  await page.waitForSelector("#entry-dialog[open]");
  await page.keyboard.press("Escape");
  for (const hash of ["#50074", "#oauth/invalid_grant", "#q=locked", "#9999999", "#AADSTS50011"]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(500);

  assert.deepEqual(requests.slice(loaded), [], "requests after load");
  assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations (blocked attempts)");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the CSP meta is strict and unchanged", async () => {
  const page = await env.browser.context.newPage();
  await page.goto(env.url);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.equal(csp, "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'none'; worker-src 'self'; base-uri 'none'; form-action 'none'");
  assert.equal(await page.getAttribute('link[rel="icon"]', "href"), "data:,");
  assert.equal(await page.locator("script:not([src]), [style], style").count(), 0);
  await page.close();
});
