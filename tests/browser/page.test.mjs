// The text side of the page: a pasted error becomes a card with its name,
// plain-language title, who acts, steps by audience and the IDs; unknown
// codes, suggestions and warnings; the support summary; the look-up and
// deep links in the fragment.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useBrowserWithClipboard } from "./harness.mjs";
import { openPage, paste, MFA_TEXT } from "./helpers.mjs";

const env = useBrowserWithClipboard(before, after);

test("a pasted error shows name, title, who, steps by audience and the IDs", async () => {
  const { page, errors } = await openPage(env.browser.context, env.url);
  await paste(page, MFA_TEXT);
  const card = page.locator(".finding").first();
  assert.match(await card.locator(".eyebrow").textContent(), /AADSTS50076.*UserStrongAuthClientAuthNRequired/);
  assert.match(await card.locator("h3.title").textContent(), /\w/);
  assert.match(await card.locator(".who").textContent(), /Who can fix it/);
  assert.match(await page.textContent("#status"), /^1 error found\.$/);

  // The steps: one tab per audience, the selected panel visible with its list.
  const tabs = card.locator("[role=tab]");
  assert.ok(await tabs.count() >= 2);
  const panel = card.locator("[role=tabpanel]:not([hidden])");
  assert.equal(await panel.count(), 1);
  assert.ok(await panel.locator("li").count() > 0);
  assert.ok(await panel.locator("li").first().isVisible());

  // The IDs, each with a copy button.
  assert.equal(await card.locator(".id-trace_id").textContent(), "0a1b2c3d-0000-4e5f-8a9b-001122334455");
  assert.equal(await card.locator(".id-correlation_id").textContent(), "9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff");
  assert.ok(await card.locator(".id-trace_id").isVisible());
  await card.getByRole("button", { name: "Copy Trace ID" }).click();
  await page.waitForFunction(() => document.querySelector(".id-list .copy")?.textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "0a1b2c3d-0000-4e5f-8a9b-001122334455");

  // Links to documentation are plain, https, without referrer or opener.
  const links = card.locator("a.external");
  assert.ok(await links.count() > 0);
  for (const a of await links.all()) {
    assert.match(await a.getAttribute("href"), /^https:\/\//);
    assert.equal(await a.getAttribute("rel"), "noopener noreferrer");
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("tabs switch with the arrow keys and show each audience's steps", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, MFA_TEXT);
  const card = page.locator(".finding").first();
  await card.getByRole("tab", { name: "End user" }).focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await card.getByRole("tab", { name: "Admin" }).getAttribute("aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Admin");
  await page.keyboard.press("End");
  assert.equal(await card.getByRole("tab", { name: "Developer" }).getAttribute("aria-selected"), "true");
  const panel = card.locator("[role=tabpanel]:not([hidden])");
  assert.match(await panel.textContent(), /\w/);
  await page.close();
});

test("OAuth error and suberror that came with a code join its card", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, `{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455 Correlation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff Timestamp: 2024-01-01 10:00:00Z","error_codes":[70008],"suberror":"bad_token"}`);
  assert.equal(await page.locator(".finding").count(), 1);
  const companions = await page.textContent(".finding .companions");
  assert.match(companions, /invalid_grant/);
  assert.match(companions, /bad_token/);
  assert.match(await page.textContent("#status"), /^1 error found\.$/);
  await page.close();
});

test("an unknown code says so and offers Microsoft's look-up link", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, "Sign-in failed: AADSTS9999991: Something nobody has documented.");
  const card = page.locator(".finding.unknown");
  assert.match(await card.locator("h3").textContent(), /AADSTS9999991 is not in our knowledge base/);
  assert.match(await card.textContent(), /Something nobody has documented/);
  const link = card.locator(".lookup a");
  assert.equal(await link.getAttribute("href"), "https://login.microsoftonline.com/error?code=9999991");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  await page.close();
});

test("a well-known message without a code becomes a suggestion, apart from findings", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, "Selected user account does not exist in tenant 'Contoso' and cannot access the application.", ".suggestion");
  assert.equal(await page.locator(".finding").count(), 0);
  assert.match(await page.textContent(".suggestion"), /This reads like AADSTS50020/);
  assert.match(await page.textContent(".suggestion .reason"), /Why we think so/);
  assert.match(await page.textContent("#status"), /No error code found/);
  await page.click(".suggestion a[href='#50020']");
  await page.waitForSelector("#entry-dialog[open]");
  assert.match(await page.textContent("#entry-dialog"), /AADSTS50020/);
  await page.keyboard.press("Escape");
  await page.waitForSelector("#entry-dialog:not([open])", { state: "attached" });
  await page.close();
});

test("warnings from the scan are shown", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, "The log ends with AADSTS5007", ".notes");
  assert.match(await page.textContent(".notes"), /cut off/);
  await page.close();
});

test("the support summary leaves personal data out unless ticked", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, [
    "Error Code: 53003",
    "Request Id: 0a1b2c3d-0000-4e5f-8a9b-001122334455",
    "Correlation Id: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff",
    "Timestamp: 2024-01-01T10:00:00.000Z",
    "App id: aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    "IP address: 203.0.113.9",
    "Device identifier: 12345678-aaaa-4bbb-8ccc-123456789012",
  ].join("\n"));
  const preview = () => page.textContent(".ticket-preview");
  let md = await preview();
  assert.match(md, /AADSTS53003 \(BlockedByConditionalAccess\)/);
  assert.match(md, /Trace ID: `0a1b2c3d-0000-4e5f-8a9b-001122334455`/);
  assert.match(md, /Correlation ID: `9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff`/);
  assert.match(md, /App ID: `aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee`/);
  assert.doesNotMatch(md, /203\.0\.113\.9/);
  assert.doesNotMatch(md, /12345678-aaaa-4bbb-8ccc-123456789012/);
  assert.match(md, /Left out: email addresses and user names, IP addresses, device IDs/);
  // One line, as copied from some pages: the app name must not carry the device ID along.
  await paste(page, "Sign-in error Error Code: 53003 Request Id: 0a1b2c3d-0000-4e5f-8a9b-001122334455 Correlation Id: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff Timestamp: 2024-01-01T10:00:00.000Z App name: Contoso Portal App id: aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee IP address: 203.0.113.9 Device identifier: 12345678-aaaa-4bbb-8ccc-123456789012", ".id-app_name");
  md = await preview();
  assert.match(md, /App ID: `aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee`/);
  assert.doesNotMatch(md, /203\.0\.113\.9|12345678-aaaa/);
  await page.check("#ticket-ips");
  await page.check("#ticket-devices");
  md = await preview();
  assert.match(md, /IP address: `203\.0\.113\.9`/);
  assert.match(md, /Device ID: `12345678-aaaa-4bbb-8ccc-123456789012`/);
  await page.getByRole("button", { name: "Copy summary" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll(".ticket .copy")].some((b) => b.textContent === "Copied"));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), md);
  await page.close();
});

test("the copy fallback works without the async clipboard", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  await paste(page, MFA_TEXT);
  await page.evaluate(() => {
    Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
    window.__copied = null;
    document.addEventListener("copy", () => { window.__copied = document.getSelection().toString(); });
  });
  await page.getByRole("button", { name: "Copy Correlation ID" }).click();
  await page.waitForFunction(() => window.__copied !== null);
  assert.equal(await page.evaluate(() => window.__copied), "9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff");
  assert.equal(await page.locator("textarea.copy-buffer").count(), 0);
  await page.close();
});

test("look-up: search by number and by words, open an entry, related codes", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  // Empty search shows the common codes.
  assert.ok(await page.locator("#search-results a").count() > 5);
  await page.fill("#search", "50011");
  await page.waitForFunction(() => document.querySelector("#search-results a")?.textContent.startsWith("AADSTS50011"));
  assert.equal(await page.evaluate(() => location.hash), "#q=50011");
  await page.fill("#search", "redirect uri");
  await page.waitForFunction(() => /redirect/i.test(document.querySelector("#search-results")?.textContent ?? "") && location.hash === "#q=redirect%20uri");
  assert.match(await page.textContent("#search-status"), /match/);
  await page.fill("#search", "reply url");
  await page.waitForFunction(() => document.querySelector("#search-results a")?.textContent.startsWith("AADSTS50011") && location.hash === "#q=reply%20url");
  await page.click("#search-results a >> nth=0");
  await page.waitForSelector("#entry-dialog[open]");
  // A related code inside the dialog replaces its content.
  const related = page.locator("#entry-dialog .related a").first();
  await page.locator("#entry-dialog details:has(.related) summary").click();
  const code = (await related.textContent()).replace("AADSTS", "");
  await related.click();
  await page.waitForFunction((c) => location.hash === `#${c}` && document.querySelector("#entry-dialog .eyebrow .code").textContent === `AADSTS${c}`, code);
  await page.click("#dialog-close");
  await page.waitForSelector("#entry-dialog:not([open])", { state: "attached" });
  assert.equal(await page.evaluate(() => location.hash), "#q=reply%20url");
  assert.equal(await page.evaluate(() => location.search), "");
  await page.close();
});

test("deep links: #code opens the entry, #q= runs the search, hashchange follows", async () => {
  const { page, errors } = await openPage(env.browser.context, env.url, { hash: "#50074" });
  await page.waitForSelector("#entry-dialog[open]");
  assert.match(await page.textContent("#entry-dialog .eyebrow"), /AADSTS50074/);
  assert.match(await page.textContent("#entry-dialog"), /What to do/i);
  await page.evaluate(() => { location.hash = "#oauth/invalid_grant"; });
  await page.waitForFunction(() => document.querySelector("#entry-dialog .eyebrow .code")?.textContent === "invalid_grant");
  await page.evaluate(() => { location.hash = "#q=consent"; });
  await page.waitForSelector("#entry-dialog:not([open])", { state: "attached" });
  assert.equal(await page.inputValue("#search"), "consent");
  await page.waitForFunction(() => document.querySelectorAll("#search-results a").length > 0);
  await page.evaluate(() => { location.hash = "#AADSTS9999998"; });
  await page.waitForSelector("#entry-dialog[open]");
  assert.match(await page.textContent("#entry-dialog h2"), /AADSTS9999998 is not in our knowledge base/);
  assert.equal(await page.getAttribute("#entry-dialog a[href*='error?code=9999998']", "rel"), "noopener noreferrer");
  await page.keyboard.press("Escape");
  await page.waitForSelector("#entry-dialog:not([open])", { state: "attached" });
  assert.deepEqual(errors, []);
  await page.close();

  const q = await openPage(env.browser.context, env.url, { hash: "#q=locked" });
  await q.page.waitForFunction(() => document.querySelectorAll("#search-results a").length > 0);
  assert.equal(await q.page.inputValue("#search"), "locked");
  await q.page.close();
});

test("the footer shows the version and the knowledge base's date and size", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  assert.match(await page.textContent("#version"), /aadsts-explainer \d+\.\d+\.\d+ · knowledge base of \d{4}-\d\d-\d\d, [\d,]+ entries/);
  assert.match(await page.textContent("#privacy"), /Nothing you paste or drop leaves this page/);
  assert.match(await page.textContent("#privacy"), /Network tab/);
  await page.close();
});

test("no horizontal scrolling at 360 px", async () => {
  const { page } = await openPage(env.browser.context, env.url, { viewport: { width: 360, height: 800 } });
  await paste(page, MFA_TEXT);
  await page.locator(".finding details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  const tooWide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(tooWide <= 360, `page is ${tooWide}px wide`);
  await page.close();
});
