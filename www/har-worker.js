// Reads a dropped file off the main thread. HAR captures are fed to the core
// slice by slice (the core reads each slice with FileReaderSync through
// web-sys), so a capture of a gigabyte never sits in memory whole; other
// files are scanned as text. Nothing here touches the network: the page posts
// the compiled WASM module as the first message.
import init, { HarSession, scanBytes } from "./pkg/aadsts_explainer.js";

// Big enough that per-slice costs vanish, small enough for steady progress.
const SLICE = 16 * 1024 * 1024;

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

async function analyzeHar(id, file) {
  const reader = new FileReaderSync();
  const session = new HarSession();
  for (let offset = 0; offset < file.size; offset += SLICE) {
    if (cancelled.has(id)) {
      session.free();
      return;
    }
    const end = Math.min(file.size, offset + SLICE);
    session.feedBlob(reader, file, offset, end);
    const p = session.progress();
    postMessage({ type: "progress", id, entries: Number(p.entries), bytes: end });
    await yieldToMessages();
  }
  const report = session.finish();
  // It looked like a HAR at the start but is some other JSON: read it as text instead.
  if (report.summary.entries === 0 && report.warnings.some((w) => w.kind === "not-har")) {
    const text = scanFile(file);
    text.warnings.unshift(...report.warnings.filter((w) => w.kind === "not-har"));
    postMessage({ type: "text", id, report: text });
    return;
  }
  postMessage({ type: "har", id, report });
}

self.addEventListener("message", async (ev) => {
  const { type, id, file, module } = ev.data ?? {};
  if (type === "module") { gotModule(module); return; }
  if (type === "cancel") { cancelled.add(id); return; }
  try {
    await ready;
    if (type === "har") await analyzeHar(id, file);
    else if (type === "text") postMessage({ type: "text", id, report: scanFile(file) });
  } catch (e) {
    postMessage({ type: "error", id, message: String(e?.message ?? e) });
  } finally {
    cancelled.delete(id);
  }
});

ready.then(() => postMessage({ type: "ready" }), (e) => postMessage({ type: "error", id: null, message: String(e?.message ?? e) }));
