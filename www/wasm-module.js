// The WASM module, unpacked and compiled once. The page's CSP has
// connect-src 'none', so the module cannot be fetched: build.sh packs it with
// LZMA (about 15% smaller than gzip) and embeds it as base64 in a same-origin
// ES module. A 6 KB unpacker module (unpack/, Rust, no imports; itself
// deflated, for the browser's DecompressionStream) unpacks it in a few
// milliseconds. The compiled `WebAssembly.Module` is then posted to the
// worker, so the bytes are unpacked and compiled once per page.
import packed from "./pkg/wasm-bytes.js";
import unpacker from "./pkg/unpack-bytes.js";

function fromBase64(b64) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const FAULTS = ["a bad header", "a corrupt stream", "more data than its header says"];

// Unpacked in steps of this many bytes: the browser swaps in optimized code
// for the unpacker between calls, never during one (see unpack/src/lib.rs).
const STEP = 32 * 1024;

/** The main module's bytes, unpacked. */
export async function wasmBytes() {
  const input = fromBase64(packed);
  // build.sh writes the unpacked size into the LZMA header (bytes 5..13).
  const size = Number(new DataView(input.buffer, input.byteOffset + 5, 8).getBigUint64(0, true));
  const inflated = new Response(new Blob([fromBase64(unpacker)]).stream().pipeThrough(new DecompressionStream("deflate-raw")));
  const { instance } = await WebAssembly.instantiate(await inflated.arrayBuffer());
  const { memory, reserve, start, step } = instance.exports;
  const at = reserve(input.length);
  const out = reserve(size);
  if (!at || !out) throw new Error("not enough memory to unpack the module");
  new Uint8Array(memory.buffer, at, input.length).set(input);
  let status = start(at, input.length, size);
  for (let until = STEP; status === 0; until += STEP) status = step(at, input.length, out, size, until);
  if (status !== 1) throw new Error(`the packed module has ${FAULTS[status - 2] ?? "a fault"}`);
  return new Uint8Array(memory.buffer, out, size);
}

let compiled = null;

/** The compiled module (a promise, shared by every caller on this thread). */
export function wasmModule() {
  compiled ??= wasmBytes().then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}
