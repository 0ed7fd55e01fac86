// The page's weight budget: everything the page loads (HTML, CSS, scripts,
// the WASM module inside them, the worker's script), gzip -9, at most
// 300 KB with the whole knowledge base. Measured from what the browser
// actually requests, not from a list of files, so a new import counts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { gzipSync, constants } from "node:zlib";
import { useBrowserWithClipboard } from "./harness.mjs";

export const PAGE_BUDGET = 300_000;

const env = useBrowserWithClipboard(before, after);

test(`the page loads at most ${PAGE_BUDGET / 1000} KB gzip`, async () => {
  const page = await env.browser.context.newPage();
  const cdp = await env.browser.context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const bodies = [];
  env.browser.context.on("response", (r) => bodies.push(r.body().then((b) => ({ url: r.url(), raw: b.length, gzip: gzipSync(b, { level: constants.Z_BEST_COMPRESSION }).length }), () => null)));
  await page.goto(env.url);
  await page.waitForSelector("body[data-worker-ready=true]", { timeout: 20000 });
  // A file the page and the worker both import is downloaded once.
  const files = [...new Map((await Promise.all(bodies)).filter(Boolean).map((f) => [f.url, f])).values()];
  const total = files.reduce((a, f) => a + f.gzip, 0);
  const table = files.map((f) => `  ${f.url.replace(env.url, "")}: ${f.gzip} B gzip (${f.raw} raw)`).join("\n");
  assert.ok(files.some((f) => f.url.endsWith("har-worker.js")), `the worker's script is counted:\n${table}`);
  assert.ok(total <= PAGE_BUDGET, `the page loads ${total} B gzip, over the ${PAGE_BUDGET} B budget:\n${table}`);
  console.log(`page weight: ${total} B gzip of ${PAGE_BUDGET}\n${table}`);
  await page.close();
});
