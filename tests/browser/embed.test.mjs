// <aadsts-explainer> in a host page with a strict CSP of its own (www/embed.html:
// default-src 'self', so no inline code and no 'wasm-unsafe-eval'): one
// explanation per audience, the paste box and its event, theming, no
// requests after load, no CSP violations, and axe inside the shadow roots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useBrowserWithClipboard } from "./harness.mjs";
import { axe, MFA_TEXT } from "./helpers.mjs";

const env = useBrowserWithClipboard(before, after);

/** The text of a widget's shadow root. */
const shadowText = (page, sel) => page.locator(sel).evaluate((e) => e.shadowRoot.textContent);

async function openHost() {
  const requests = [];
  const onRequest = (r) => requests.push(r.url());
  env.browser.context.on("request", onRequest);
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.addInitScript(() => {
    window.__violations = [];
    window.__found = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    document.addEventListener("aadsts-found", (e) => window.__found.push({ target: e.target.id, detail: e.detail }));
  });
  await page.goto(`${env.url}embed.html`);
  await page.locator("#one .title").waitFor({ timeout: 20000 });
  await page.locator("#paste .foot").filter({ hasText: "knowledge base" }).waitFor();
  const done = () => env.browser.context.off("request", onRequest);
  return { page, errors, requests, done };
}

test("the host page's CSP is strict: default-src 'self', no wasm-unsafe-eval, nothing inline", async () => {
  const { page, errors, done } = await openHost();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.equal(csp, "default-src 'self'; img-src 'self' data:");
  assert.equal(await page.locator("script:not([src]), [style], style").count(), 0);
  // The WASM cannot compile on this page, which is why the widget runs it in a worker.
  assert.equal(await page.evaluate(() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => "compiled", (e) => e.name)), "CompileError");
  assert.deepEqual(errors, []);
  done();
  await page.close();
});

test("code=50074 shows its explanation with the chosen audience's steps and the version", async () => {
  const { page, errors, done } = await openHost();
  let text = await shadowText(page, "#one");
  assert.match(text, /AADSTS50074/);
  assert.match(text, /What you can do/);
  assert.match(text, /aadsts-explainer \d+\.\d+\.\d+ · knowledge base of \d{4}-\d\d-\d\d, [\d,]+ entries/);
  for (const [audience, heading] of [["admin", "What an admin can do"], ["developer", "What the app's developer can do"]]) {
    await page.locator("#one").evaluate((e, a) => e.setAttribute("audience", a), audience);
    await page.locator("#one .sub").filter({ hasText: heading }).waitFor();
  }
  // The admin's steps differ from the user's: the list changed with the audience.
  await page.locator("#one").evaluate((e) => e.setAttribute("audience", "admin"));
  await page.locator("#one .sub").filter({ hasText: "What an admin can do" }).waitFor();
  const adminSteps = await page.locator("#one ol").first().textContent();
  await page.locator("#one").evaluate((e) => e.setAttribute("audience", "user"));
  await page.locator("#one .sub").filter({ hasText: "What you can do" }).waitFor();
  assert.notEqual(await page.locator("#one ol").first().textContent(), adminSteps);
  // An unknown code says so and offers Microsoft's look-up page.
  await page.locator("#one").evaluate((e) => e.setAttribute("code", "9999999"));
  await page.locator("#one .title").filter({ hasText: "AADSTS9999999 is not in the knowledge base" }).waitFor();
  text = await shadowText(page, "#one");
  assert.match(text, /login\.microsoftonline\.com\/error\?code=9999999/);
  assert.deepEqual(errors, []);
  done();
  await page.close();
});

test("the paste box finds a code, explains it for the audience and fires aadsts-found", async () => {
  const { page, errors, done } = await openHost();
  await page.locator("#paste textarea").fill(MFA_TEXT);
  await page.locator("#paste .finding").waitFor();
  const text = await shadowText(page, "#paste");
  assert.match(text, /AADSTS50076/);
  assert.match(text, /What an admin can do/);
  await page.waitForFunction(() => window.__found.length > 0);
  const found = await page.evaluate(() => window.__found);
  assert.equal(found.length, 1);
  assert.equal(found[0].target, "paste");
  assert.equal(found[0].detail.findings[0].code, 50076);
  assert.equal(found[0].detail.findings[0].trace_id, "0a1b2c3d-0000-4e5f-8a9b-001122334455");
  // Text without a code: a plain note, and no event.
  await page.locator("#paste textarea").fill("nothing to see here");
  await page.locator("#paste .results").filter({ hasText: "No Entra error code found" }).waitFor();
  assert.equal((await page.evaluate(() => window.__found)).length, 1);
  // Input is shown as text, never as markup.
  await page.locator("#paste textarea").fill('AADSTS50076 <img src=x onerror="window.__xss=1">');
  await page.locator("#paste .finding").waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator("#paste img").count(), 0);
  assert.deepEqual(errors, []);
  done();
  await page.close();
});

test("the host themes the widget through --aadsts-* custom properties", async () => {
  const { page, done } = await openHost();
  const accent = (sel) => page.locator(`${sel} .box`).evaluate((e) => getComputedStyle(e).borderTopColor);
  assert.equal(await accent("#paste"), "rgb(122, 62, 0)");
  assert.equal(await accent("#one"), "rgb(11, 87, 208)");
  await page.locator("#one").evaluate((e) => e.style.setProperty("--aadsts-accent", "rgb(1, 2, 3)"));
  assert.equal(await accent("#one"), "rgb(1, 2, 3)");
  done();
  await page.close();
});

test("after load the widgets request nothing, and the CSP blocks nothing", async () => {
  const { page, errors, requests, done } = await openHost();
  assert.ok(requests.every((r) => r.startsWith(env.url)), `off-origin requests: ${requests.join(", ")}`);
  assert.ok(requests.some((r) => r.endsWith("/widget-engine.js")), `the worker's script was not seen: ${requests.join(", ")}`);
  const loaded = requests.length;
  await page.locator("#paste textarea").fill(MFA_TEXT);
  await page.locator("#paste .finding").waitFor();
  for (const code of ["50011", "invalid_grant", "65001"]) {
    await page.locator("#one").evaluate((e, c) => e.setAttribute("code", c), code);
    await page.locator("#one .eyebrow").filter({ hasText: code === "invalid_grant" ? code : `AADSTS${code}` }).waitFor();
  }
  await page.locator("#one details summary").first().click();
  await page.waitForTimeout(300);
  assert.deepEqual(requests.slice(loaded), [], "requests after load");
  assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations");
  assert.deepEqual(errors, []);
  done();
  await page.close();
});

test("axe finds no serious or critical violations inside the widgets", async () => {
  const { page, done } = await openHost();
  await page.locator("#paste textarea").fill(MFA_TEXT);
  await page.locator("#paste .finding").waitFor();
  await page.locator("#one details").evaluate((d) => { d.open = true; });
  for (const sel of ["#one", "#paste"]) {
    const bad = (await axe(page, sel)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad, [], `${sel}: ${JSON.stringify(bad, null, 2)}`);
  }
  done();
  await page.close();
});
