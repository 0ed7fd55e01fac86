// Reads a dropped file off the main thread, and sanitizes a capture for
// sharing. HAR captures are fed to the core slice by slice (the core reads
// each slice with FileReaderSync through web-sys), so a capture of a gigabyte
// never sits in memory whole; the core says where to read next, so media
// bodies it would not look at are never read. Other files are scanned as
// text. Nothing here touches the network: the page posts the compiled WASM
// module as the first message.
import init, { HarSanitizerSession, HarSession, scanBytes } from "./pkg/aadsts_explainer.js";

// Big enough that per-slice costs vanish, small enough for steady progress.
const SLICE = 16 * 1024 * 1024;
// The first read after a skipped body: it usually reaches the next body to
// skip; reading on, the slices double back up to SLICE.
const SMALL_READ = 8 * 1024;
// How often a running job reports progress and lets a "cancel" in.
const REPORT_MS = 25;

let gotModule;
const ready = new Promise((resolve) => { gotModule = resolve; }).then((module) => init({ module_or_path: module }));

/** Jobs the page asked to stop; checked between slices. */
const cancelled = new Set();

/** Let queued messages (a "cancel") run, without setTimeout's 4 ms clamping. */
function yieldToMessages() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

function scanFile(file) {
  const bytes = new Uint8Array(new FileReaderSync().readAsArrayBuffer(file));
  return scanBytes(bytes);
}

/** Read `blob` slice by slice into `feed(start, end)`, posting progress;
 * false when the page cancelled the job in between. */
async function eachSlice(id, blob, feed, phase) {
  for (let offset = 0; offset < blob.size; offset += SLICE) {
    if (cancelled.has(id)) return false;
    const end = Math.min(blob.size, offset + SLICE);
    const entries = feed(offset, end);
    postMessage({ type: "progress", id, phase, entries, bytes: end, total: blob.size });
    await yieldToMessages();
  }
  return !cancelled.has(id);
}

/** The analyzer's report for a capture, or null when cancelled. The core
 * says where it wants to read next: response bodies it would not read anyway
 * (images, fonts, media as base64 of a declared size) are skipped, never
 * read from the File. */
async function analyze(id, blob, phase) {
  const reader = new FileReaderSync();
  const session = new HarSession(blob.size);
  const report = (bytes) => {
    const { entries, skipped } = session.progress();
    postMessage({ type: "progress", id, phase, entries: Number(entries), skipped: Number(skipped), bytes, total: blob.size });
  };
  // `reach`: how far into the file the analysis has come, for the progress
  // bar, which must not go back when the core re-reads a body it skipped.
  let last = 0, reach = 0, len = SMALL_READ, reported = performance.now();
  for (let at = session.wanted(); at !== undefined && at < blob.size; at = session.wanted()) {
    // Reading on: slices double. After a jump forward: a small read. Back
    // to a body whose length did not hold: it is read through, in big slices.
    len = at === last ? Math.min(SLICE, len * 2) : at > last ? SMALL_READ : SLICE;
    last = Math.min(blob.size, at + len);
    session.feedBlob(reader, blob, at, last);
    reach = Math.max(reach, last);
    if (performance.now() - reported > REPORT_MS) {
      report(reach);
      await yieldToMessages();
      if (cancelled.has(id)) { session.free(); return null; }
      reported = performance.now();
    }
  }
  report(blob.size);
  return session.finish();
}

async function analyzeHar(id, file) {
  const report = await analyze(id, file, "read");
  if (!report) return;
  // It looked like a HAR at the start but is some other JSON: read it as text instead.
  if (report.summary.entries === 0 && report.warnings.some((w) => w.kind === "not-har")) {
    const text = scanFile(file);
    text.warnings.unshift(...report.warnings.filter((w) => w.kind === "not-har"));
    postMessage({ type: "text", id, report: text });
    return;
  }
  postMessage({ type: "har", id, report });
}

/** Sanitize a capture into a Blob, then read the copy back with the analyzer
 * so the page can say whether the errors survived. The output is folded into
 * the Blob after every slice, so it never piles up as JS memory (the browser
 * may keep a big Blob on disk). */
async function sanitizeHar(id, file, options) {
  const reader = new FileReaderSync();
  const session = new HarSanitizerSession(options);
  let out = new Blob([]);
  const feed = (start, end) => {
    const bytes = new Uint8Array(reader.readAsArrayBuffer(file.slice(start, end)));
    out = new Blob([out, session.push(bytes)]);
  };
  if (!(await eachSlice(id, file, feed, "sanitize"))) {
    session.free();
    return;
  }
  const { tail, report } = session.finish();
  const blob = new Blob([out, tail], { type: "application/json" });
  const check = await analyze(id, blob, "check");
  if (!check) return;
  postMessage({ type: "sanitized", id, blob, report, findings: check.findings });
}

self.addEventListener("message", async (ev) => {
  const { type, id, file, module, options } = ev.data ?? {};
  if (type === "module") { gotModule(module); return; }
  if (type === "cancel") { cancelled.add(id); return; }
  try {
    await ready;
    if (type === "har") await analyzeHar(id, file);
    else if (type === "sanitize") await sanitizeHar(id, file, options);
    else if (type === "text") postMessage({ type: "text", id, report: scanFile(file) });
  } catch (e) {
    postMessage({ type: "error", id, message: String(e?.message ?? e) });
  } finally {
    cancelled.delete(id);
  }
});

ready.then(() => postMessage({ type: "ready" }), (e) => postMessage({ type: "error", id: null, message: String(e?.message ?? e) }));
