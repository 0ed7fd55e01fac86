// The weight budgets, gzip -9. The page: everything it loads (HTML, CSS,
// scripts, the WASM module inside them, the worker's script), at most 300 KB
// with the whole knowledge base. The widget: what <aadsts-explainer> loads
// beyond the shared WASM module, at most 20 KB. The single offline file: at
// most 450 KB. Page and widget are measured from what the browser actually
// requests, not from a list of files, so a new import counts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { gzipSync, constants } from "node:zlib";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { useBrowserWithClipboard, measureLoad } from "./harness.mjs";
import { buildOffline } from "./helpers.mjs";

export const PAGE_BUDGET = 300_000;
export const WIDGET_BUDGET = 20_000;
export const OFFLINE_BUDGET = 450_000;

const gzip = (b) => gzipSync(b, { level: constants.Z_BEST_COMPRESSION }).length;

/** Every distinct file a page loads until `ready` resolves, and a table of them for messages. */
async function loadedFiles(path, ready) {
  const { files } = await measureLoad(env.browser.context, env.url + path, ready);
  const table = files.map((f) => `  ${f.url.replace(env.url, "")}: ${f.gzip} B gzip (${f.raw} raw)`).join("\n");
  return { files, table };
}

const env = useBrowserWithClipboard(before, after);

test(`the page loads at most ${PAGE_BUDGET / 1000} KB gzip`, async () => {
  const { files, table } = await loadedFiles("", (page) => page.waitForSelector("body[data-worker-ready=true]", { timeout: 20000 }));
  const total = files.reduce((a, f) => a + f.gzip, 0);
  assert.ok(files.some((f) => f.url.endsWith("har-worker.js")), `the worker's script is counted:\n${table}`);
  assert.ok(total <= PAGE_BUDGET, `the page loads ${total} B gzip, over the ${PAGE_BUDGET} B budget:\n${table}`);
  console.log(`page weight: ${total} B gzip of ${PAGE_BUDGET}\n${table}`);
});

test(`the widget adds at most ${WIDGET_BUDGET / 1000} KB gzip beyond the shared WASM`, async () => {
  const { files, table } = await loadedFiles("embed.html", (page) => page.locator("#one .title").waitFor({ timeout: 20000 }));
  const widget = files.filter((f) => f.url.includes("/pkg/npm/"));
  // The packed WASM module travels as base64 inside one of the chunks: that is the shared part.
  const wasm = gzip(Buffer.from(/"([A-Za-z0-9+/=]+)"/.exec(readFileSync(new URL("../../www/pkg/wasm-bytes.js", import.meta.url), "utf8"))[1]));
  const total = widget.reduce((a, f) => a + f.gzip, 0) - wasm;
  assert.ok(widget.some((f) => f.url.endsWith("widget-engine.js")), `the worker's script is counted:\n${table}`);
  assert.ok(total <= WIDGET_BUDGET, `the widget adds ${total} B gzip, over the ${WIDGET_BUDGET} B budget:\n${table}`);
  console.log(`widget weight: ${total} B gzip beyond the WASM module's ${wasm} B, of ${WIDGET_BUDGET}\n${table}`);
});

test(`the single offline file is at most ${OFFLINE_BUDGET / 1000} KB gzip`, () => {
  const dir = mkdtempSync(join(tmpdir(), "aadsts-budget-"));
  try {
    const file = join(dir, "aadsts-explainer.html");
    buildOffline(file);
    const size = gzip(readFileSync(file));
    assert.ok(size <= OFFLINE_BUDGET, `the offline file is ${size} B gzip, over the ${OFFLINE_BUDGET} B budget`);
    console.log(`offline file: ${size} B gzip of ${OFFLINE_BUDGET}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
