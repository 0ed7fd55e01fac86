// Shared set-up for the browser tests: a static server for www/ on loopback
// and Debian's headless Chromium driven by playwright-core (no downloaded browser).
import { createServer } from "node:http";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";
import { gzipSync, constants } from "node:zlib";

const WWW = new URL("../../www/", import.meta.url).pathname;
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

export async function startServer(root = WWW) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(root, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

// `options` go to the context as they are (bypassCSP, viewport, colorScheme, ...).
export async function launch(options = {}) {
  const profile = await mkdtemp(join(tmpdir(), "aadsts-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
  return { context, close: async () => { await context.close(); await rm(profile, { recursive: true, force: true }); } };
}

// One server and one browser per test file, with clipboard access for the
// copy buttons. Returns a live object: its fields are set once `before` ran.
export function useBrowserWithClipboard(before, after) {
  const env = {};
  before(async () => {
    Object.assign(env, await startServer());
    env.browser = await launch();
    await env.browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.url.replace(/\/$/, "") });
  });
  after(async () => { await env.browser?.close(); env.server?.close(); });
  return env;
}

/** What a page loads, fresh (cache off), until `ready(page)` resolves: each
 * distinct file once, with its size raw and gzip -9. Used by the weight
 * budget tests and the page benchmark, so both count the same thing. */
export async function measureLoad(context, url, ready = (page) => page.waitForSelector("body[data-worker-ready=true]", { timeout: 20000 })) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const bodies = [];
  const onResponse = (r) => bodies.push(r.body().then((b) => ({ url: r.url(), raw: b.length, gzip: gzipSync(b, { level: constants.Z_BEST_COMPRESSION }).length }), () => null));
  context.on("response", onResponse);
  await page.goto(url);
  await ready(page);
  context.off("response", onResponse);
  // A file the page and its worker both import is downloaded once.
  const files = [...new Map((await Promise.all(bodies)).filter(Boolean).map((f) => [f.url, f])).values()];
  await page.close();
  return { files, raw: files.reduce((a, f) => a + f.raw, 0), gzip: files.reduce((a, f) => a + f.gzip, 0) };
}
