// The first page end to end: the WASM loads under the strict CSP, a pasted
// error shows its code and name, nothing is requested after load, and input
// is rendered as text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch } from "./harness.mjs";

let server, url, browser;
before(async () => { ({ server, url } = await startServer()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

async function openPage() {
  const page = await browser.context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector("body[data-worker-ready=true]", { timeout: 15000 });
  return { page, requests, errors };
}

test("paste shows the code, name and IDs, with no request after load", async () => {
  const { page, requests, errors } = await openPage();
  const loaded = requests.length;
  await page.fill("#input", "AADSTS50074: Strong Authentication is required.\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\nCorrelation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff");
  await page.waitForSelector(".finding");
  const text = await page.textContent("#results");
  assert.match(text, /AADSTS50074/);
  assert.match(text, /UserStrongAuthClientAuthNRequiredInterrupt/);
  assert.match(text, /0a1b2c3d-0000-4e5f-8a9b-001122334455/);
  assert.match(await page.textContent("#status"), /1 error found/);
  assert.equal(requests.length, loaded, `requests after load: ${requests.slice(loaded).join(", ")}`);
  assert.ok(requests.every((r) => r.startsWith(url)), `off-origin requests: ${requests}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("markup in the input stays inert text", async () => {
  const { page, errors } = await openPage();
  await page.evaluate(() => { window.__pwned = false; });
  const payload = `AADSTS9999991: <img src=x onerror="window.__pwned=true"><script>window.__pwned=true</script><svg onload="window.__pwned=true">`;
  await page.fill("#input", payload);
  await page.waitForSelector(".finding");
  assert.equal(await page.evaluate(() => window.__pwned), false);
  assert.equal(await page.locator("#results img, #results script, #results svg").count(), 0);
  assert.match(await page.textContent("#results"), /<img src=x onerror/);
  assert.deepEqual(errors, []);
  await page.close();
});
