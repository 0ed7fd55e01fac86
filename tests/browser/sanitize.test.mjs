// "Download sanitized HAR" in the HAR view: the download is the same capture
// without its credentials (cookies, Authorization, flowToken/PPFT/canary,
// passwords, JWT signatures) but with its codes and trace IDs; the report
// lists the removals with masked values; pseudonyms are consistent; Cancel
// stops a big run; names from the capture render as text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, openSync, writeSync, closeSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { startServer, launch } from "./harness.mjs";
import { openPage, axe } from "./helpers.mjs";

const FIXTURE = new URL("../har/chrome-mfa-required.har", import.meta.url).pathname;
const TRACE_ID = "852d6c11-889f-4fe0-af2c-8edf4df06ed6";
const EMAIL = "adele.vance@contoso.com";
const PLANTED = {
  flowToken: "AQABAAEAAADnfolhJpSnRYB1SVj-Hgd8flowtokenSECRET1",
  PPFT: "DRkPPFTsecretValueThatMustGoAway0123456789",
  canary: "canarySECRETvalue-0123456789abcdefABCDEF",
  passwd: "hunter2-SECRET-password",
};

let server, url, browser, tmp;
before(async () => {
  ({ server, url } = await startServer());
  browser = await launch({ acceptDownloads: true });
  tmp = mkdtempSync(join(tmpdir(), "aadsts-sanitize-"));
});
after(async () => {
  await browser?.close();
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The fixture plus the credential post of Entra's sign-in page. */
function capture() {
  const har = JSON.parse(readFileSync(FIXTURE, "utf8"));
  const post = structuredClone(har.log.entries[2]);
  const form = `login=${encodeURIComponent(EMAIL)}&` + Object.entries(PLANTED).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  post.request.method = "POST";
  post.request.url = "https://login.microsoftonline.com/common/login";
  post.request.postData = { mimeType: "application/x-www-form-urlencoded", text: form };
  har.log.entries.push(post);
  const path = join(tmp, "signin.har");
  writeFileSync(path, JSON.stringify(har));
  return { path, har, text: JSON.stringify(har) };
}

/** Values the output must not hold: cookies, credentials, JWT signatures, the planted form fields. */
function secrets({ har, text }) {
  const found = new Set(Object.values(PLANTED));
  for (const e of har.log.entries) {
    for (const c of [...(e.request.cookies ?? []), ...(e.response.cookies ?? [])]) if (c.value.length >= 8) found.add(c.value);
    for (const h of e.request.headers) {
      if (h.name.toLowerCase() === "authorization") found.add(h.value.split(" ").pop());
    }
  }
  for (const m of text.matchAll(/eyJ[\w-]+\.eyJ[\w-]+\.([\w-]{16,})/g)) found.add(m[1]);
  return [...found];
}

async function sanitize(page, { pseudonymize = false } = {}) {
  if (pseudonymize) await page.check("#sanitize-pseudo");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#sanitize-run")]);
  const text = readFileSync(await download.path(), "utf8");
  await page.waitForSelector(".sanitize-result");
  return { name: download.suggestedFilename(), text, json: JSON.parse(text) };
}

test("the download has every entry, no credentials, and the codes and trace IDs", async () => {
  const { page, errors } = await openPage(browser.context, url);
  const input = capture();
  await page.setInputFiles("#file", input.path);
  await page.waitForSelector("#sanitize-run");
  const out = await sanitize(page);
  assert.equal(out.name, "signin.sanitized.har");
  assert.equal(out.json.log.entries.length, input.har.log.entries.length);
  const list = secrets(input);
  assert.ok(list.length >= 8, `too few secrets to check: ${list}`);
  for (const s of list) assert.ok(!out.text.includes(s), `still in the download: ${s}`);
  for (const kept of ["AADSTS50076", TRACE_ID, "ESTSAUTH"]) assert.ok(out.text.includes(kept), `${kept} is gone`);

  // The report: counts, removals by request, masked examples, the warning, the read-back.
  const result = page.locator(".sanitize-result");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "What was removed");
  // announce() sets its text a tick later (so a repeated message is read again): wait for it.
  await page.waitForFunction(() => /Sanitized:/.test(document.getElementById("announcer").textContent));
  assert.match(await page.textContent("#announcer"), /Sanitized: \d+ values removed/);
  const shown = await result.textContent();
  for (const s of list) assert.ok(!shown.includes(s), `the report shows ${s}`);
  assert.match(shown, /Cookies/);
  assert.match(shown, /JWT signatures/);
  assert.match(shown, /Check the file before sharing/);
  assert.match(shown, /the same error codes as the original \(AADSTS50076, interaction_required\)/);
  const removals = result.locator("table").nth(1);
  assert.equal(await removals.locator("tbody tr").count(), 50);
  await result.getByRole("button", { name: /^Show all \d+$/ }).click();
  const rows = await removals.locator("tbody tr").allTextContents();
  assert.ok(rows.length > 50);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), "TABLE");
  assert.ok(rows.some((r) => /request 10.*request\.postData.*passwd.*removed/.test(r)), rows.join("\n"));
  const examples = await result.locator("table").first().locator("tbody tr").allTextContents();
  const masked = `${PLANTED.flowToken.slice(0, 4)}… (${PLANTED.flowToken.length} characters)removed-by-aadsts-sanitize`;
  assert.ok(examples.some((r) => r.includes("request.postData") && r.includes(masked)), examples.join("\n"));

  assert.deepEqual(await axe(page, ".sanitize"), []);

  // Pseudonyms: each address becomes the same stand-in everywhere.
  const pseudo = await sanitize(page, { pseudonymize: true });
  assert.ok(!pseudo.text.includes(EMAIL) && !pseudo.text.includes(encodeURIComponent(EMAIL)), "the address is still there");
  const stand = new Set(pseudo.text.match(/user-[0-9a-f]{8}@example\.invalid/g));
  assert.equal(stand.size, 1, [...stand].join(", "));
  assert.match(await result.textContent(), /Personal data pseudonymized/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("Cancel stops sanitizing a large capture", async () => {
  const { page, errors } = await openPage(browser.context, url);
  const { path, har } = capture();
  const filler = JSON.stringify({ ...har.log.entries[0], response: { ...har.log.entries[0].response, content: { size: 1, mimeType: "text/html", text: "<p>" + "x".repeat(600_000) + "</p>" } } });
  const big = join(tmp, "big.har");
  const fd = openSync(big, "w");
  writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"1"},"entries":[');
  for (let i = 0; i < 60; i++) writeSync(fd, filler + ",");
  writeSync(fd, JSON.stringify(JSON.parse(readFileSync(path, "utf8")).log.entries[2]) + "]}}");
  closeSync(fd);
  await page.setInputFiles("#file", big);
  await page.waitForSelector("#sanitize-run", { timeout: 60000 });
  let downloaded = false;
  page.on("download", () => { downloaded = true; });
  await page.click("#sanitize-run");
  const cancel = page.locator(".sanitize .progress-panel .btn");
  await cancel.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Cancel");
  await cancel.click();
  assert.equal(await page.isHidden(".sanitize .progress-panel"), true);
  assert.equal(await page.isEnabled("#sanitize-run"), true);
  await page.waitForTimeout(3000);
  assert.equal(downloaded, false, "a cancelled run must not download");
  assert.equal(await page.locator(".sanitize-result").count(), 0);
  await page.waitForFunction(() => /stopped/.test(document.getElementById("announcer").textContent));
  assert.match(await page.textContent("#announcer"), /Sanitizing stopped/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("names from the capture render as text in the report", async () => {
  const { page, errors } = await openPage(browser.context, url);
  const evil = "<img src=x onerror=window.__xss=1>";
  const { har } = capture();
  const e = har.log.entries[2];
  e.request.cookies.push({ name: evil, value: "a-long-secret-value-0123456789abcdef" });
  e.request.headers.push({ name: "cookie", value: `${evil}=another-long-secret-value-0123456789` });
  e.response.content = { size: 1, mimeType: "application/json", text: JSON.stringify({ [`${evil}_token`]: "0.AXEAsecret-opaque-token-value-0123456789abcdefghijklmnop" }) };
  const path = join(tmp, "evil.har");
  writeFileSync(path, JSON.stringify(har));
  await page.setInputFiles("#file", path);
  await page.waitForSelector("#sanitize-run");
  await sanitize(page);
  const result = page.locator(".sanitize-result");
  assert.match(await result.textContent(), /<img src=x onerror=window\.__xss=1>/);
  assert.equal(await result.locator("img").count(), 0);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});
