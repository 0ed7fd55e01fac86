// A dropped HAR capture: read in a worker slice by slice, then the summary,
// the sign-in flow with the failing step and its facts, the findings with
// where they were, and the decoded tokens. Also: truncated captures, files
// that only look like HAR, plain text files, progress and Cancel.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openSync, writeSync, closeSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { startServer, launch } from "./harness.mjs";
import { openPage, FIXTURES } from "./helpers.mjs";

let server, url, browser, tmp;
before(async () => {
  ({ server, url } = await startServer());
  browser = await launch();
  tmp = mkdtempSync(join(tmpdir(), "aadsts-har-"));
});
after(async () => {
  await browser?.close();
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const HAR = join(FIXTURES, "signin-mfa.har");

/** A capture of `count` filler entries of `bodySize` bytes, then the fixture's entries. */
function bigHar(name, count, bodySize) {
  const fixture = JSON.parse(readFileSync(HAR, "utf8"));
  const filler = JSON.stringify({
    ...fixture.log.entries[0],
    response: { ...fixture.log.entries[0].response, content: { size: bodySize, mimeType: "text/html", text: "<p>" + "x".repeat(bodySize) + "</p>" } },
  });
  const path = join(tmp, name);
  const fd = openSync(path, "w");
  writeSync(fd, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`);
  for (let i = 0; i < count; i++) writeSync(fd, filler + ",");
  writeSync(fd, fixture.log.entries.map((e) => JSON.stringify(e)).join(",") + "]}}");
  closeSync(fd);
  return { path, entries: count + fixture.log.entries.length };
}

test("a dropped HAR shows the summary, the flow with the failing step, findings and a token", async () => {
  const { page, errors } = await openPage(browser.context, url);
  await page.setInputFiles("#file", HAR);
  await page.waitForSelector(".har-summary");
  assert.match(await page.textContent("#status"), /^Capture read: 1 error found in 4 requests\.$/);

  // Summary.
  const stats = await page.locator(".stats .stat").allTextContents();
  assert.deepEqual(stats, ["Requests4", "Sign-in requests2", "Errors1", "First failing stepauthorize (request 3)"]);
  assert.match(await page.textContent(".har-summary .file-line"), /signin-mfa\.har.*WebInspector/);

  // Flow: the failing step is marked and shows what it was sent with.
  const failing = page.locator(".timeline .step.failing");
  assert.equal(await failing.count(), 1);
  assert.equal(await failing.getAttribute("aria-current"), "step");
  assert.equal(await failing.locator(".step-name").textContent(), "authorize");
  assert.match(await failing.locator(".req").textContent(), /GET login\.microsoftonline\.com\/.*\/oauth2\/v2\.0\/authorize 302/);
  assert.match(await failing.locator(".step-codes").textContent(), /AADSTS50076/);
  const facts = await failing.locator(".facts").textContent();
  for (const f of ["client_idaaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "redirect_urihttps://app.contoso.example/auth", "promptnone", "tenant11111111-2222-4333-8444-555555555555"]) {
    assert.ok(facts.includes(f), `facts lack ${f}: ${facts}`);
  }
  assert.equal(await page.locator(".timeline .step").count(), 2);

  // Findings with where they were; the OAuth error joins the AADSTS card.
  const card = page.locator(".finding");
  assert.equal(await card.count(), 1);
  assert.match(await card.locator(".eyebrow").textContent(), /AADSTS50076/);
  const where = await card.locator(".where").textContent();
  assert.match(where, /Request 3, in the response header Location; also in request 4/);
  assert.match(where, /GET 302 https:\/\/login\.microsoftonline\.com\//);
  assert.match(where, /state=\[removed\]/);
  assert.match(await card.locator(".companions").textContent(), /interaction_required/);
  assert.equal(await card.locator(".id-trace_id").textContent(), "0a1b2c3d-0000-4e5f-8a9b-001122334455");
  assert.ok(await card.locator("[role=tabpanel]:not([hidden]) li").first().isVisible());

  // The flow's code links to the card.
  await failing.locator(".step-codes a").click();
  assert.equal(await page.evaluate(() => location.hash), "#finding-aadsts-50076");
  assert.equal(await page.locator("#entry-dialog[open]").count(), 0);

  // Token.
  const token = page.locator(".token");
  assert.equal(await token.count(), 1);
  assert.match(await token.locator("h3").textContent(), /Access token\s*Not expired when captured/);
  assert.match(await token.textContent(), /Request 2, in the request header Authorization/);
  assert.match(await token.locator(".token-notes").textContent(), /signature was not verified/);
  assert.match(await token.locator(".token-notes").textContent(), /amr claim \(pwd\) has no mfa/);
  const claims = await token.locator(".claim").allTextContents();
  assert.ok(claims.some((c) => c.startsWith("audhttps://graph.microsoft.comAudience")), claims.join(" | "));
  assert.match(await token.locator(".times").textContent(), /Expires \(exp\)2024-06-01 11:00:00 UTC/);
  const json = token.locator("details.json");
  assert.equal(await json.getAttribute("open"), null);
  await json.locator("summary").click();
  const parsed = JSON.parse(await json.locator("pre").textContent());
  assert.equal(parsed.claims.aud, "https://graph.microsoft.com");
  assert.equal(parsed.header.alg, "RS256");

  // The support summary has the failing step, and the user's name only when asked.
  let md = await page.textContent(".ticket-preview");
  assert.match(md, /First failing step: authorize \(request 3\)/);
  assert.match(md, /client_id: `aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee`/);
  assert.doesNotMatch(md, /adele@contoso\.example/);
  assert.doesNotMatch(md, /203\.0\.113\.7/);
  await page.check("#ticket-names");
  md = await page.textContent(".ticket-preview");
  assert.match(md, /upn=adele@contoso\.example/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a truncated capture reports what was read and where it stopped", async () => {
  const { page } = await openPage(browser.context, url);
  const full = readFileSync(HAR);
  const cut = full.subarray(0, full.indexOf("app.contoso.example/auth?error", full.lastIndexOf("startedDateTime")));
  await page.setInputFiles("#file", { name: "cut.har", mimeType: "application/json", buffer: cut });
  await page.waitForSelector(".har-summary .notice");
  const notice = await page.textContent(".har-summary .notice");
  assert.match(notice, /The capture stops early\. 3 complete requests read, up to byte [\d,]+\./);
  assert.match(notice, /ends in the middle of entry/);
  assert.match(await page.textContent(".finding .eyebrow"), /AADSTS50076/);
  await page.close();
});

test("a file that only looks like HAR, and a plain log, are scanned as text", async () => {
  const { page } = await openPage(browser.context, url);
  await page.setInputFiles("#file", { name: "odd.json", mimeType: "application/json", buffer: Buffer.from(`{"log": "AADSTS50126: Error validating credentials due to invalid username or password."}`) });
  await page.waitForSelector(".file-banner");
  assert.match(await page.textContent(".file-banner"), /odd\.json.*read as text/);
  assert.match(await page.textContent(".finding .eyebrow"), /AADSTS50126/);
  assert.match(await page.textContent(".notes"), /not a HAR/);

  await page.setInputFiles("#file", { name: "app.log", mimeType: "text/plain", buffer: Buffer.from("2024-06-01 WARN token request failed: AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.\n") });
  await page.waitForFunction(() => document.querySelector(".file-banner")?.textContent.includes("app.log"));
  assert.match(await page.textContent(".finding .eyebrow"), /AADSTS700016/);
  assert.match(await page.textContent("#status"), /^1 error found\.$/);
  assert.equal(await page.inputValue("#input"), "");
  await page.close();
});

test("HAR text pasted into the box gets the capture view", async () => {
  const { page } = await openPage(browser.context, url);
  await page.fill("#input", readFileSync(HAR, "utf8"));
  await page.waitForSelector(".har-summary");
  assert.equal(await page.locator(".timeline .step.failing .step-name").textContent(), "authorize");
  await page.close();
});

test("a large capture shows progress, finishes with every entry, and Cancel stops it", async () => {
  const { page, errors } = await openPage(browser.context, url);
  const mid = bigHar("mid.har", 300, 40_000);
  await page.setInputFiles("#file", mid.path);
  await page.waitForSelector(".har-summary", { timeout: 60000 });
  assert.equal(await page.textContent(".stats .stat:first-child dd"), mid.entries.toLocaleString("en"));
  assert.match(await page.textContent(".finding .eyebrow"), /AADSTS50076/);
  assert.equal(await page.isHidden("#progress-panel"), true);

  const big = bigHar("big.har", 400, 400_000);
  await page.setInputFiles("#file", big.path);
  await page.waitForSelector("#progress-panel:not([hidden])");
  assert.match(await page.textContent("#progress-label"), /Reading big\.har/);
  await page.waitForFunction(() => document.querySelector("#progress").value > 0);
  // Reads start small and grow, so the first report may count KB.
  assert.match(await page.textContent("#progress-text"), /[\d.]+ [KMG]?B of [\d.]+ MB \(\d+%\) · [\d,]+ requests?/);
  await page.click("#cancel");
  assert.equal(await page.isHidden("#progress-panel"), true);
  assert.match(await page.textContent("#status"), /Stopped reading the file/);
  await page.waitForTimeout(1500);
  assert.equal(await page.locator(".har-summary").count(), 0, "the cancelled job must not report");

  // Escape cancels too; and a fresh worker reads the next file.
  await page.setInputFiles("#file", big.path);
  await page.waitForSelector("#progress-panel:not([hidden])");
  await page.keyboard.press("Escape");
  assert.equal(await page.isHidden("#progress-panel"), true);
  await page.setInputFiles("#file", HAR);
  await page.waitForSelector(".har-summary");
  assert.match(await page.textContent("#status"), /1 error found in 4 requests/);
  assert.deepEqual(errors, []);
  await page.close();
});
