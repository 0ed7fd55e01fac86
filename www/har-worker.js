// Reads a dropped file off the main thread. HAR captures are fed to the core
// slice by slice, so a capture of hundreds of megabytes never sits in memory
// whole; other files are scanned as text. Nothing here touches the network:
// the WASM arrives inside a same-origin module, like on the page.
import init, { HarSession, scanBytes } from "./pkg/aadsts_explainer.js";
import wasmBase64 from "./pkg/wasm-bytes.js";

const SLICE = 4 * 1024 * 1024;

function decodeBase64(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const ready = init({ module_or_path: decodeBase64(wasmBase64) });

function scanFile(file) {
  const bytes = new Uint8Array(new FileReaderSync().readAsArrayBuffer(file));
  return scanBytes(bytes);
}

function analyzeHar(id, file) {
  const reader = new FileReaderSync();
  const session = new HarSession();
  for (let offset = 0; offset < file.size; offset += SLICE) {
    const buf = reader.readAsArrayBuffer(file.slice(offset, offset + SLICE));
    session.feed(new Uint8Array(buf));
    const p = session.progress();
    postMessage({ type: "progress", id, entries: Number(p.entries), bytes: Number(p.bytes), read: Math.min(file.size, offset + SLICE) });
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
  const { type, id, file } = ev.data ?? {};
  try {
    await ready;
    if (type === "har") analyzeHar(id, file);
    else if (type === "text") postMessage({ type: "text", id, report: scanFile(file) });
  } catch (e) {
    postMessage({ type: "error", id, message: String(e?.message ?? e) });
  }
});

ready.then(() => postMessage({ type: "ready" }), (e) => postMessage({ type: "error", id: null, message: String(e?.message ?? e) }));
