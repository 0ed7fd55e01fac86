// Browser benchmark for the page (not a test: `node --test tests/browser/` skips it).
//
//   node tests/browser/bench/page-bench.mjs [--out FILE.json]
//
// Starts the static server and headless Chromium through ../harness.mjs and measures
//   1. WASM start-up: navigation start → body[data-ready=true], the page explaining pastes
//      (median of 5 fresh loads, cache off); and → data-worker-ready, the file reader loaded too
//   2. paste-to-result latency for a ~1 KB AADSTS50076 message (median of 20), plus the
//      scan+render work alone (debounce timer firing → finding in #results) and scanText alone
//   3. HAR throughput on a ~100 MB capture generated in the page: the page's own HAR worker
//      (the core reading the File in slices with FileReaderSync) versus a plain JavaScript
//      baseline on the page (file.text() + JSON.parse + regex walk of every string), median of 3
//   4. page weight: gzip -9 size of every file the page loads
// Prints a Markdown table; writes the raw numbers as JSON to --out. Nothing leaves 127.0.0.1.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, measureLoad } from "../harness.mjs";
import { SCRIPT } from "../capture.mjs";

const args = process.argv.slice(2);
const outIdx = args.indexOf("--out");
const OUT = outIdx >= 0 ? args[outIdx + 1] : null;
if (outIdx >= 0 && !OUT) { console.error("usage: page-bench.mjs [--out FILE.json]"); process.exit(2); }

const STARTUP_RUNS = 5;
const PASTE_RUNS = 20;
const HAR_RUNS = 3;
const DEBOUNCE_MS = 150; // app.js: setTimeout(update, 150) on "input"

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r1 = (x) => Math.round(x * 10) / 10;
const r2 = (x) => Math.round(x * 100) / 100;

// ~1 KB: the message as MSAL.NET prints it, with the IDs, a bit of stack and the response body.
const PASTE_TEXT = [
  "Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
  "Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455",
  "Correlation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff",
  "Timestamp: 2024-06-01 10:15:00Z",
  "   at Microsoft.Identity.Client.Internal.Requests.RequestBase.HandleTokenRefreshErrorAsync(MsalServiceException e, MsalAccessTokenCacheItem cachedAccessTokenItem)",
  "   at Microsoft.Identity.Client.Internal.Requests.Silent.CacheSilentStrategy.RefreshRtOrFailAsync(CancellationToken cancellationToken)",
  "   at Microsoft.Identity.Client.Internal.Requests.Silent.SilentRequest.ExecuteAsync(CancellationToken cancellationToken)",
  "   at Microsoft.Identity.Client.Internal.Requests.RequestBase.RunAsync(CancellationToken cancellationToken)",
  "   at Contoso.Payroll.Api.GraphClientFactory.GetTokenAsync(String[] scopes) in /src/Payroll.Api/GraphClientFactory.cs:line 57",
  "ErrorCode: invalid_grant",
  "Microsoft.Identity.Client.MsalUiRequiredException: ErrorCode: invalid_grant",
  "StatusCode: 400",
  "Classification: BasicAction",
].join("\n");

// ---- 1. start-up -------------------------------------------------------------

async function startup(context, url) {
  const runs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    // Injected over the protocol (not subject to the CSP): note when the page marks itself
    // ready and when the main thread's WASM has answered version().
    await page.addInitScript(() => {
      const marks = (window.__benchMarks = {});
      new MutationObserver(() => {
        const b = document.body;
        if (!b) return;
        if (marks.version === undefined && document.getElementById("version")?.textContent) marks.version = performance.now();
        if (marks.ready === undefined && b.dataset.ready === "true") marks.ready = performance.now();
        if (marks.worker === undefined && b.dataset.workerReady === "true") marks.worker = performance.now();
      }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.goto(url);
    await page.waitForSelector("body[data-worker-ready=true]", { timeout: 30000 });
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { ...window.__benchMarks, dcl: nav.domContentLoadedEventEnd, nav_start: nav.startTime };
    });
    runs.push({ ready_ms: m.ready - m.nav_start, main_wasm_ms: m.version - m.nav_start, dcl_ms: m.dcl - m.nav_start, worker_ms: m.worker - m.nav_start });
    await cdp.detach();
    await page.close();
  }
  return {
    runs,
    ready_ms: median(runs.map((r) => r.ready_ms)),
    main_wasm_ms: median(runs.map((r) => r.main_wasm_ms)),
    dcl_ms: median(runs.map((r) => r.dcl_ms)),
    worker_ms: median(runs.map((r) => r.worker_ms)),
  };
}

// ---- 2. paste to result ------------------------------------------------------

async function openReady(context, url, init, arg) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  if (init) await page.addInitScript(init, arg);
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  return { page, errors };
}

async function paste(context, url) {
  // Wrap setTimeout so the moment the input debounce (150 ms) fires is known: the time from
  // there to the finding is the scan+render work alone.
  const { page, errors } = await openReady(context, url, (debounce) => {
    const orig = window.setTimeout;
    window.setTimeout = function (fn, ms, ...rest) {
      if (ms === debounce && typeof fn === "function") {
        return orig.call(this, (...a) => { window.__debounceFired = performance.now(); return fn(...a); }, ms, ...rest);
      }
      return orig.call(this, fn, ms, ...rest);
    };
  }, DEBOUNCE_MS);
  const res = await page.evaluate(async ({ text, runs }) => {
    const input = document.getElementById("input");
    const results = document.getElementById("results");
    const once = () => new Promise((resolve) => {
      results.replaceChildren();
      window.__debounceFired = undefined;
      const obs = new MutationObserver(() => {
        if (results.querySelector(".finding")) { obs.disconnect(); resolve(performance.now()); }
      });
      obs.observe(results, { childList: true, subtree: true });
      input.value = text;
      const t0 = performance.now();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      once.t0 = t0;
    });
    const total = [], work = [];
    for (let i = 0; i < runs + 2; i++) { // two warm-up runs
      const t1 = await once();
      if (i >= 2) { total.push(t1 - once.t0); work.push(t1 - window.__debounceFired); }
      await new Promise((r) => setTimeout(r, 20));
    }
    // scanText alone.
    // The page's bundle keeps its module private: time a second instance of the same module.
    const { default: init, scanText } = await import("./pkg/aadsts_explainer.js");
    const { wasmModule } = await import("./wasm-module.js");
    await init({ module_or_path: await wasmModule() });
    const scan = [];
    let findings = 0;
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      const r = scanText(text);
      const t1 = performance.now();
      findings = r.findings.length;
      if (i >= 2) scan.push(t1 - t0);
    }
    return { total, work, scan, findings, cards: results.querySelectorAll(".finding").length };
  }, { text: PASTE_TEXT, runs: PASTE_RUNS });
  await page.close();
  if (errors.length) throw new Error(`page errors during paste bench: ${errors.join("; ")}`);
  return {
    text_bytes: Buffer.byteLength(PASTE_TEXT),
    findings: res.findings,
    total_ms: median(res.total),
    scan_render_ms: median(res.work),
    scan_text_ms: median(res.scan),
    runs: res,
  };
}

// ---- 3. HAR throughput ---------------------------------------------------------

/**
 * A ~100 MB capture in Chrome's shape, as string parts: "images" (1 MiB
 * base64 bodies of random bytes, with their `size`) or "scripts" (1 MiB
 * script bodies as text: `scriptBody`, capture.mjs's), and a token-endpoint
 * error every 20th entry. Self-contained, so it runs in Node and in the page alike.
 */
function buildCapture(kind, scriptBody) {
    const BODY_BYTES = 786432; // → 1 MiB of base64
    const randomB64 = () => {
      const bytes = new Uint8Array(BODY_BYTES);
      for (let o = 0; o < bytes.length; o += 65536) crypto.getRandomValues(bytes.subarray(o, o + 65536));
      let bin = "";
      for (let o = 0; o < bytes.length; o += 8192) bin += String.fromCharCode.apply(null, bytes.subarray(o, o + 8192));
      return btoa(bin);
    };
    const t = (i) => new Date(Date.UTC(2024, 5, 1, 10, 0, 0, i * 137)).toISOString();
    const hdrs = (h) => Object.entries(h).map(([name, value]) => ({ name, value }));
    const script = (i) => ({
      startedDateTime: t(i), time: 42,
      request: { method: "GET", url: `https://contoso-cdn.example/assets/bundle-${i}.js`, httpVersion: "HTTP/2", headers: hdrs({ accept: "*/*" }), queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: "OK", httpVersion: "HTTP/2", headers: hdrs({ "content-type": "application/javascript" }), cookies: [],
        content: { size: scriptBody.length, mimeType: "application/javascript", text: scriptBody }, redirectURL: "", headersSize: -1, bodySize: scriptBody.length },
      cache: {}, timings: { send: 0, wait: 40, receive: 2 },
    });
    const image = (i) => ({
      startedDateTime: t(i), time: 42,
      request: { method: "GET", url: `https://contoso-cdn.example/assets/photo-${i}.png`, httpVersion: "HTTP/2", headers: hdrs({ accept: "image/png,image/*" }), queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: "OK", httpVersion: "HTTP/2", headers: hdrs({ "content-type": "image/png" }), cookies: [],
        content: { size: BODY_BYTES, mimeType: "image/png", encoding: "base64", text: randomB64() }, redirectURL: "", headersSize: -1, bodySize: BODY_BYTES },
      cache: {}, timings: { send: 0, wait: 40, receive: 2 },
    });
    const tokenFail = (i) => {
      const body = JSON.stringify({
        error: "invalid_grant",
        error_description: `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2024-02-01T10:00:00.0000000Z and was inactive for 90.00:00:00. Trace ID: 1c2d3e4f-0000-4a5b-8c9d-${String(i).padStart(12, "0")} Correlation ID: 5e6f7a8b-2222-4c3d-9e0f-${String(i).padStart(12, "0")} Timestamp: 2024-06-01 10:00:${String(i % 60).padStart(2, "0")}Z`,
        error_codes: [700082], timestamp: "2024-06-01 10:00:00Z",
        trace_id: `1c2d3e4f-0000-4a5b-8c9d-${String(i).padStart(12, "0")}`, correlation_id: `5e6f7a8b-2222-4c3d-9e0f-${String(i).padStart(12, "0")}`,
        error_uri: "https://login.microsoftonline.com/error?code=700082",
      });
      return {
        startedDateTime: t(i), time: 120,
        request: { method: "POST", url: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token", httpVersion: "HTTP/2",
          headers: hdrs({ "content-type": "application/x-www-form-urlencoded", origin: "https://app.contoso.example" }), queryString: [], cookies: [], headersSize: -1, bodySize: 180,
          postData: { mimeType: "application/x-www-form-urlencoded", text: "client_id=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee&grant_type=refresh_token&scope=openid%20profile%20offline_access&refresh_token=REDACTED" } },
        response: { status: 400, statusText: "Bad Request", httpVersion: "HTTP/2", headers: hdrs({ "content-type": "application/json; charset=utf-8" }), cookies: [],
          content: { size: body.length, mimeType: "application/json; charset=utf-8", text: body }, redirectURL: "", headersSize: -1, bodySize: body.length },
        cache: {}, timings: { send: 0, wait: 118, receive: 2 },
      };
    };
    const parts = ['{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":['];
    let n = 0, failures = 0;
    for (let i = 0; i < 100; i++) {
      parts.push((n++ ? "," : "") + JSON.stringify(kind === "scripts" ? script(n) : image(n)));
      if ((i + 1) % 20 === 0) { parts.push("," + JSON.stringify(tokenFail(n++))); failures++; }
    }
    parts.push("]}}");
    return { parts, entries: n, failures };
}

async function har(context, url, kind, dir) {
  const { page, errors } = await openReady(context, url);
  // The capture twice: built in the page as a File held in memory, and
  // written to disk and picked through a file input, as a user drops one.
  const gen = await page.evaluate(`(() => {
    const r = (${buildCapture})(${JSON.stringify(kind)}, ${JSON.stringify(SCRIPT)});
    window.__har = new File(r.parts, "bench.har", { type: "application/json" });
    return { bytes: window.__har.size, entries: r.entries, failures: r.failures };
  })()`);
  const path = join(dir, `bench-${kind}.har`);
  await writeFile(path, buildCapture(kind, SCRIPT).parts.join(""));
  await page.evaluate(() => {
    const input = Object.assign(document.createElement("input"), { type: "file", id: "bench-file", hidden: true });
    document.body.append(input);
  });
  await page.setInputFiles("#bench-file", path);
  await page.evaluate(() => { window.__harDisk = document.getElementById("bench-file").files[0]; });


  const runOnce = (mode, where) => page.evaluate(async ([mode, where]) => {
    const file = where === "disk" ? window.__harDisk : window.__har;
    if (mode === "compute" || mode === "compute-all") {
      // The analysis alone: the capture already in memory, fed to the same
      // module on this thread. Reading excluded, to compare with the
      // baseline's parse + walk: "compute" reads from where the module
      // wants, as the worker does; "compute-all" feeds every byte in order.
      const { default: init, HarSession } = await import("./pkg/aadsts_explainer.js");
      const { wasmModule } = await import("./wasm-module.js");
      await init({ module_or_path: await wasmModule() });
      const bytes = new Uint8Array(await file.arrayBuffer());
      const SLICE = 16 * 1024 * 1024;
      const t0 = performance.now();
      let session;
      if (mode === "compute") {
        // The worker's reads: small after a skip, doubling while reading on
        // (every slice is copied into the module's memory).
        session = new HarSession(bytes.length);
        let last = 0, len = 8192;
        for (let at = session.wanted(); at !== undefined && at < bytes.length; at = session.wanted()) {
          len = at === last ? Math.min(SLICE, len * 2) : at > last ? 8192 : SLICE;
          last = Math.min(bytes.length, at + len);
          session.feedAt(at, bytes.subarray(at, last));
        }
      } else {
        session = new HarSession();
        for (let o = 0; o < bytes.length; o += SLICE) session.feed(bytes.subarray(o, o + SLICE));
      }
      const report = session.finish();
      return { ms: performance.now() - t0, entries: report.summary.entries };
    }
    if (mode === "wasm") {
      // The page's own path: its HAR worker, reading the File in slices with
      // FileReaderSync through the core, timed from posting the file to the report.
      const { wasmModule } = await import("./wasm-module.js");
      const module = await wasmModule();
      const worker = new Worker("./har-worker.js", { type: "module" });
      worker.postMessage({ type: "module", module });
      await new Promise((ok) => worker.addEventListener("message", (ev) => ev.data?.type === "ready" && ok()));
      const t0 = performance.now();
      let progress = 0;
      const done = new Promise((ok, fail) => worker.addEventListener("message", (ev) => {
        if (ev.data?.type === "progress") progress++;
        else if (ev.data?.type === "har") ok(ev.data.report);
        else if (ev.data?.type === "error") fail(new Error(ev.data.message));
      }));
      worker.postMessage({ type: "har", id: 1, file });
      let skipped = 0;
      worker.addEventListener("message", (ev) => { if (ev.data?.type === "progress") skipped = ev.data.skipped ?? 0; });
      const report = await done;
      const ms = performance.now() - t0;
      worker.terminate();
      const codes = report.findings.filter((f) => f.code === 700082);
      return { ms, progress, skipped, entries: report.summary.entries, findings: report.findings.length, hits: codes.reduce((a, f) => a + (f.entries?.length ?? f.occurrences ?? 1), 0), warnings: report.warnings.map((w) => w.kind) };
    }
    const t0 = performance.now();
    const text = await file.text();
    const t1 = performance.now();
    const root = JSON.parse(text);
    const t2 = performance.now();
    const RE = /AADSTS\d{4,7}/;
    let hits = 0, strings = 0;
    const stack = [root];
    while (stack.length) {
      const v = stack.pop();
      if (typeof v === "string") { strings++; if (RE.test(v)) hits++; }
      else if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) stack.push(v[i]); }
      else if (v !== null && typeof v === "object") { for (const k in v) { stack.push(k); stack.push(v[k]); } }
    }
    const t3 = performance.now();
    return { ms: t3 - t0, read_ms: t1 - t0, parse_ms: t2 - t1, walk_ms: t3 - t2, hits, strings, entries: root.log.entries.length };
  }, [mode, where]);

  const runs = { disk: { wasm: [], js: [] }, memory: { wasm: [], js: [] }, compute: [], compute_all: [] };
  for (let i = 0; i < HAR_RUNS; i++) { // interleaved so neither side gets a warmer machine
    for (const where of ["disk", "memory"]) {
      runs[where].wasm.push(await runOnce("wasm", where));
      runs[where].js.push(await runOnce("js", where));
    }
    runs.compute.push(await runOnce("compute", "memory"));
    runs.compute_all.push(await runOnce("compute-all", "memory"));
  }
  await page.close();
  if (errors.length) throw new Error(`page errors during HAR bench: ${errors.join("; ")}`);
  const mb = gen.bytes / 1e6;
  const side = ({ wasm, js }) => {
    const wasmMs = median(wasm.map((r) => r.ms));
    const jsMs = median(js.map((r) => r.ms));
    return {
      wasm: { ms: wasmMs, mb_s: mb / (wasmMs / 1000), runs: wasm },
      baseline: { ms: jsMs, mb_s: mb / (jsMs / 1000), parse_ms: median(js.map((r) => r.parse_ms)), walk_ms: median(js.map((r) => r.walk_ms)), read_ms: median(js.map((r) => r.read_ms)), runs: js },
      ratio: jsMs / wasmMs,
    };
  };
  const parseWalk = median([...runs.disk.js, ...runs.memory.js].map((r) => r.parse_ms + r.walk_ms));
  const computeMs = median(runs.compute.map((r) => r.ms));
  const computeAllMs = median(runs.compute_all.map((r) => r.ms));
  return {
    capture: gen,
    // A File on disk, picked as a user drops one: the case the target is about.
    ...side(runs.disk),
    memory: side(runs.memory),
    // Without reading the File: the module's analysis vs JSON.parse + walk.
    baseline_parse_walk_ms: parseWalk,
    compute: { ms: computeMs, mb_s: mb / (computeMs / 1000), runs: runs.compute },
    compute_ratio: parseWalk / computeMs,
    compute_all: { ms: computeAllMs, mb_s: mb / (computeAllMs / 1000), runs: runs.compute_all },
    compute_all_ratio: parseWalk / computeAllMs,
  };
}

// ---- 4. page weight --------------------------------------------------------------

// What the browser loads, as tests/browser/budget.test.mjs counts it.
async function weight(context, url) {
  const { files, raw, gzip } = await measureLoad(context, url);
  return { files: files.map((f) => ({ file: f.url.replace(url, "") || "index.html", raw: f.raw, gzip: f.gzip })), raw, gzip };
}

// ---- main --------------------------------------------------------------------------

const { server, url } = await startServer();
const browser = await launch();
let result;
try {
  const started = Date.now();
  const s = await startup(browser.context, url);
  const p = await paste(browser.context, url);
  const dir = await mkdtemp(join(tmpdir(), "aadsts-page-bench-"));
  let h, hs;
  try {
    h = await har(browser.context, url, "images", dir);
    hs = await har(browser.context, url, "scripts", dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const w = await weight(browser.context, url);
  result = {
    when: new Date().toISOString(),
    chromium: browser.context.browser()?.version() ?? null,
    node: process.version,
    startup: s, paste: p, har: h, har_scripts: hs, weight: w,
    elapsed_s: (Date.now() - started) / 1000,
  };
} finally {
  await browser.close();
  server.close();
}

const kb = (n) => `${r1(n / 1024)} KiB`;
const { startup: s, paste: p, har: h, har_scripts: hs, weight: w } = result;
const lines = [
  "| Measure | Result |",
  "|---|---|",
  `| WASM start-up: navigation → \`data-ready\` (median of ${STARTUP_RUNS}, cache off) | ${r1(s.ready_ms)} ms |`,
  `| … of which main-thread WASM answering \`version()\` | ${r1(s.main_wasm_ms)} ms (DOMContentLoaded ${r1(s.dcl_ms)} ms) |`,
  `| … HAR worker ready too (\`data-worker-ready\`) | ${r1(s.worker_ms)} ms |`,
  `| Paste → finding, ${p.text_bytes} B AADSTS50076 text (median of ${PASTE_RUNS}, incl. ${DEBOUNCE_MS} ms debounce) | ${r1(p.total_ms)} ms |`,
  `| … scan + render (debounce fired → finding) | ${r2(p.scan_render_ms)} ms |`,
  `| … \`scanText\` alone | ${r2(p.scan_text_ms)} ms |`,
  `| HAR ${r1(h.capture.bytes / 1e6)} MB, ${h.capture.entries} entries, a file on disk: the page's worker (median of ${HAR_RUNS}) | ${r1(h.wasm.mb_s)} MB/s (${Math.round(h.wasm.ms)} ms, ${r1(h.wasm.runs[0].skipped / 1e6)} MB of image bodies skipped unread) |`,
  `| … JS baseline \`file.text()\` + \`JSON.parse\` + regex walk | ${r1(h.baseline.mb_s)} MB/s (${Math.round(h.baseline.ms)} ms: read ${Math.round(h.baseline.read_ms)}, parse ${Math.round(h.baseline.parse_ms)}, walk ${Math.round(h.baseline.walk_ms)}) |`,
  `| … ratio | ${r2(h.ratio)}× |`,
  `| same, the File held in memory: worker vs baseline | ${Math.round(h.memory.wasm.ms)} ms vs ${Math.round(h.memory.baseline.ms)} ms (${r2(h.memory.ratio)}×) |`,
  `| analysis alone, bytes in memory: module (seeking / every byte) vs parse + walk | ${Math.round(h.compute.ms)} ms / ${Math.round(h.compute_all.ms)} ms vs ${Math.round(h.baseline_parse_walk_ms)} ms (${r1(h.compute_ratio)}× / ${r1(h.compute_all_ratio)}×) |`,
  `| HAR ${r1(hs.capture.bytes / 1e6)} MB of script bodies (read through), file on disk: worker vs baseline | ${Math.round(hs.wasm.ms)} ms vs ${Math.round(hs.baseline.ms)} ms (${r2(hs.ratio)}×); in memory ${r2(hs.memory.ratio)}× |`,
  ...w.files.map((f) => `| gzip -9 \`www/${f.file}\` | ${kb(f.gzip)} (raw ${kb(f.raw)}) |`),
  `| **Page weight, gzip -9 total** | **${kb(w.gzip)}** (raw ${kb(w.raw)}) |`,
];
console.log(lines.join("\n"));
const hw = h.wasm.runs[0], hj = h.baseline.runs[0];
console.log(`\nChromium ${result.chromium}, Node ${result.node}. HAR check: WASM read ${hw.entries} entries, ${hw.findings} finding(s), AADSTS700082 in ${hw.hits} entries; baseline matched ${hj.hits} of ${hj.strings} strings (${h.capture.failures} failures planted). Paste: ${p.findings} finding(s).`);
if (OUT) { await writeFile(OUT, JSON.stringify(result, null, 2) + "\n"); console.error(`wrote ${OUT}`); }
