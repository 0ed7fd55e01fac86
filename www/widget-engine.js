// The widget's engine: the API in a module worker, answering
// `{ id, op, arg }` with `{ id, value }` or `{ id, error }`. A worker created
// from a URL has its own CSP (its response's), so the WASM compiles even when
// the host page's policy lacks 'wasm-unsafe-eval'; the host only has to allow
// same-origin workers (`default-src 'self'` does).
import { init, explain, scanText, version } from "./api.js";
import { entryKey } from "./render.js";

/** The operations the widget asks for, run wherever the API loaded. */
export const OPS = {
  version: () => version(),
  explain: (code) => explain(code),
  // A scan, with the entry of each finding (or null) so the widget can explain it.
  scan: (text) => {
    const report = scanText(text);
    return { report, entries: report.findings.map((f) => explain(entryKey(f))) };
  },
};

export async function answer({ id, op, arg }) {
  try {
    await init();
    if (!Object.hasOwn(OPS, op)) throw new Error(`unknown operation ${op}`);
    return { id, value: OPS[op](arg) };
  } catch (e) {
    return { id, error: String(e?.message ?? e) };
  }
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.addEventListener("message", async (ev) => postMessage(await answer(ev.data ?? {})));
}
