// Markup and script URLs in pasted text, in a HAR's URLs, headers and bodies,
// and in the fragment stay inert text. Run twice: under the page's CSP, and
// with the CSP bypassed, so the rendering itself is what keeps them inert.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, launch } from "./harness.mjs";
import { openPage, FIXTURES } from "./helpers.mjs";

const EVIL = [
  `<img src=x onerror="window.__pwned=true">`,
  `<script>window.__pwned=true</script>`,
  `<svg onload="window.__pwned=true"><circle r=1></circle></svg>`,
  `<a href="javascript:window.__pwned=true">click me</a>`,
  `<iframe srcdoc="<script>parent.__pwned=true</script>"></iframe>`,
  `javascript:window.__pwned=true`,
].join(" ");

const PASTES = [
  `AADSTS50011: ${EVIL} Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455 Correlation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff`,
  `{"error":"invalid_request","error_description":"AADSTS9999991: ${EVIL.replace(/"/g, '\\"')}","error_uri":"javascript:window.__pwned=true","correlation_id":"<img src=x onerror=window.__pwned=true>"}`,
  `https://app.example/cb?error=access_denied&error_description=AADSTS65004%3A+%3Cimg+src%3Dx+onerror%3Dwindow.__pwned%3Dtrue%3E&error_uri=javascript%3Awindow.__pwned%3Dtrue`,
  `User account 'x' from identity provider '<svg onload=window.__pwned=true>' does not exist in tenant`,
];

let server, url, strict, bypass;
before(async () => {
  ({ server, url } = await startServer());
  strict = await launch();
  bypass = await launch({ bypassCSP: true });
});
after(async () => { await strict?.close(); await bypass?.close(); server?.close(); });

async function assertInert(page, where) {
  // Give image errors and loads a moment to fire, if anything had been created.
  await page.waitForTimeout(150);
  const report = await page.evaluate(() => {
    const all = [...document.body.querySelectorAll("*")];
    return {
      pwned: window.__pwned,
      active: document.body.querySelectorAll("img, script, svg, iframe, object, embed, style, link, base, form, meta").length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
      badLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")).filter((h) => !/^(#|https:\/\/)/.test(h)),
      styled: document.querySelectorAll("[style]").length,
    };
  });
  assert.equal(report.pwned, false, `${where}: a payload ran`);
  assert.equal(report.active, 0, `${where}: an active element was created`);
  assert.deepEqual(report.handlers, [], `${where}: event handler attributes`);
  assert.deepEqual(report.badLinks, [], `${where}: non-https links`);
  assert.equal(report.styled, 0, `${where}: inline styles`);
}

for (const [label, get] of [["under the CSP", () => strict], ["with the CSP bypassed", () => bypass]]) {
  test(`payloads stay inert ${label}`, async () => {
    const { page, errors } = await openPage(get().context, url);
    await page.evaluate(() => { window.__pwned = false; });

    for (const [i, text] of PASTES.entries()) {
      await page.fill("#input", text);
      await page.waitForFunction(() => document.querySelector("#results").childElementCount > 0);
      await page.locator("#results details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
      await assertInert(page, `paste ${i}`);
    }

    await page.fill("#input", PASTES[0]);
    await page.waitForSelector(".finding");
    assert.match(await page.textContent(".finding blockquote"), /<img src=x onerror=/);

    await page.setInputFiles("#file", join(FIXTURES, "xss.har"));
    await page.waitForSelector(".har-summary");
    await page.locator("#results details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    await assertInert(page, "HAR");
    const facts = await page.textContent(".timeline .step.failing .facts");
    assert.match(facts, /redirect_urijavascript:window.__pwned=true/);
    assert.match(facts, /<script>window.__pwned=true<\/script>/);
    assert.ok(await page.locator(".finding").count() >= 2);

    for (const hash of [`#<img src=x onerror=window.__pwned=true>`, `#q=<svg onload=window.__pwned=true>`, `#javascript:window.__pwned=true`]) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForTimeout(200);
      await assertInert(page, `fragment ${hash}`);
    }
    assert.equal(await page.inputValue("#search"), "<svg onload=window.__pwned=true>");
    assert.equal(await page.evaluate(() => location.protocol), "http:");
    assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
    await page.close();
  });
}
