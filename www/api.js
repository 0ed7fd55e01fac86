// The JavaScript API (issue #7): the core's functions as an ES module that
// returns plain objects. `await init()` once; then scanText, explain, search
// and version answer at once, and scanHar and sanitizeHar read a File, a Blob
// or bytes chunk by chunk on this thread, yielding between chunks so the page
// stays responsive, reporting progress and stopping when a signal aborts.
// Types: api.d.ts (the shapes themselves: aadsts.d.ts).
import initWasm, * as core from "./pkg/aadsts_explainer.js";
import { wasmModule } from "./wasm-module.js";

// Small enough for steady progress and prompt aborts on the main thread.
const CHUNK = 2 * 1024 * 1024;
/** A read right after a skipped body: it usually reaches the next body to skip. */
const SMALL_READ = 8 * 1024;

let ready = null;
let loaded = false;

/** Unpack and compile the WASM module (once); resolves to `version()`. */
export function init() {
  ready ??= wasmModule()
    .then((module) => initWasm({ module_or_path: module }))
    .then(() => { loaded = true; return core.version(); });
  return ready;
}

function wasm() {
  if (!loaded) throw new Error("aadsts-explainer: await init() before calling the API");
  return core;
}

/** `{ version, kb_date, kb_entries, kb_aadsts_entries }`. */
export function version() {
  return wasm().version();
}

/** Findings, suggestions and warnings in pasted text. */
export function scanText(text) {
  return wasm().scanText(String(text));
}

/** One knowledge-base entry by code (`50074`, `"AADSTS50074"`) or id (`"invalid_grant"`), or null. */
export function explain(code) {
  return wasm().explain(String(code));
}

/** Ranked entries for words or a number; `limit` caps the hits (10 unless given). */
export function search(query, limit = 10) {
  return wasm().search(String(query), limit);
}

function isBlob(input) {
  return typeof Blob !== "undefined" && input instanceof Blob;
}

function asBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError("aadsts-explainer: expected a File, a Blob, a Uint8Array or an ArrayBuffer");
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Hands `input` to `take` chunk by chunk: a Blob is read slice by slice (never
 * whole), bytes are cut into views. Between chunks it yields to the event
 * loop, reports `{ bytes, total, ...extra() }` and honours `signal`.
 */
async function eachChunk(input, { signal, onProgress } = {}, take, extra = () => ({})) {
  const blob = isBlob(input) ? input : null;
  const bytes = blob ? null : asBytes(input);
  const total = blob ? blob.size : bytes.length;
  signal?.throwIfAborted();
  for (let at = 0; at < total;) {
    const end = Math.min(total, at + CHUNK);
    const chunk = blob ? new Uint8Array(await blob.slice(at, end).arrayBuffer()) : bytes.subarray(at, end);
    signal?.throwIfAborted();
    take(chunk);
    at = end;
    onProgress?.({ bytes: end, total, ...extra() });
    if (!blob) await nextTask();
    signal?.throwIfAborted();
  }
}

/** Runs `work(session)`, freeing the session when it throws (an abort, a read error). */
async function withSession(session, work) {
  try {
    return await work(session);
  } catch (e) {
    session.free();
    throw e;
  }
}

/**
 * Analyse a HAR capture: summary, sign-in flow, findings, decoded tokens.
 * The session says where it wants to read next, so response bodies it would
 * not read anyway (images, fonts, media) are skipped, not sliced and copied.
 */
export async function scanHar(input, options = {}) {
  const { HarSession } = wasm();
  const { signal, onProgress } = options;
  const blob = isBlob(input) ? input : null;
  const bytes = blob ? null : asBytes(input);
  const total = blob ? blob.size : bytes.length;
  return withSession(new HarSession(total), async (session) => {
    signal?.throwIfAborted();
    // `reach` keeps progress from going back when a skipped body is read after all.
    let last = 0, reach = 0, yielded = performance.now();
    for (let at = session.wanted(); at !== undefined && at < total; at = session.wanted()) {
      // Reading on: full chunks. A Blob read after a skip is small: it
      // usually reaches the next body to skip.
      const end = Math.min(total, at + (blob && at > last ? SMALL_READ : CHUNK));
      const chunk = blob ? new Uint8Array(await blob.slice(at, end).arrayBuffer()) : bytes.subarray(at, end);
      signal?.throwIfAborted();
      session.feedAt(at, chunk);
      last = end;
      reach = Math.max(reach, end);
      onProgress?.({ bytes: reach, total, entries: Number(session.progress().entries) });
      // Bytes in memory: yield now and then, not after every read (timers clamp).
      if (!blob && performance.now() - yielded > 16) {
        await nextTask();
        yielded = performance.now();
      }
      signal?.throwIfAborted();
    }
    return session.finish();
  });
}

/**
 * Remove every credential from a HAR capture. A Blob or File comes back as a
 * Blob (built from the sanitized parts, never whole in one buffer); bytes
 * come back as a Uint8Array.
 */
export async function sanitizeHar(input, options = {}) {
  const { HarSanitizerSession } = wasm();
  const { pseudonymize = false, key } = options;
  const parts = [];
  return withSession(new HarSanitizerSession({ pseudonymize, key }), async (session) => {
    await eachChunk(input, options, (chunk) => parts.push(session.push(chunk)));
    const { tail, report } = session.finish();
    parts.push(tail);
    return { har: isBlob(input) ? new Blob(parts, { type: "application/json" }) : concat(parts), report };
  });
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
