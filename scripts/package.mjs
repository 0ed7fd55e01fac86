// Packaging steps for build.sh, after www/pkg/ is built.
//   node scripts/package.mjs npm              www/pkg/npm/: the API and the widget as an npm package
//   node scripts/package.mjs offline [FILE]   one self-contained HTML file (dist/aadsts-explainer.html)
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;
const WWW = `${ROOT}www/`;
const NPM = `${WWW}pkg/npm/`;
const ESBUILD = { bundle: true, format: "esm", minify: true, target: "es2022", legalComments: "none", logLevel: "warning" };

const sha256 = (data) => createHash("sha256").update(data).digest();

async function cargoVersion() {
  const toml = await readFile(`${ROOT}Cargo.toml`, "utf8");
  return /^version = "([^"]+)"/m.exec(toml)[1];
}

/** The API (api.js), the widget (widget.js) and its worker, sharing one copy of the WASM. */
async function npmPackage() {
  await rm(NPM, { recursive: true, force: true });
  await build({
    ...ESBUILD,
    entryPoints: [`${WWW}api.js`, `${WWW}widget.js`, `${WWW}widget-engine.js`],
    splitting: true,
    outdir: NPM,
    loader: { ".css": "text" },
  });
  for (const f of ["aadsts.d.ts", "api.d.ts", "widget.d.ts"]) await copyFile(`${WWW}${f}`, `${NPM}${f}`);
  const pkg = {
    name: "aadsts-explainer",
    version: await cargoVersion(),
    private: true,
    description: "Explains Microsoft Entra ID (AADSTS) sign-in errors in the browser: a JS API and the <aadsts-explainer> element. Nothing leaves the page.",
    license: "MIT OR Apache-2.0",
    type: "module",
    sideEffects: ["./widget.js"],
    exports: {
      ".": { types: "./api.d.ts", default: "./api.js" },
      "./widget": { types: "./widget.d.ts", default: "./widget.js" },
    },
    types: "./api.d.ts",
  };
  await writeFile(`${NPM}package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** The knowledge base's version, from the built API itself. */
async function versionInfo() {
  const api = await import(`${NPM}api.js`);
  return api.init();
}

/**
 * The page as one HTML file: the bundled app as an inline module script, the
 * stylesheet as an inline style, both allowed by their sha256 in the CSP.
 * Opened from file:// it needs nothing else; workers cannot start there, so
 * the page reads files on the main thread (app.js's fallback).
 */
async function offline(out) {
  const v = await versionInfo();
  const [js, css] = await Promise.all([
    build({ ...ESBUILD, entryPoints: [`${WWW}app.js`], write: false }),
    build({ ...ESBUILD, entryPoints: [`${WWW}style.css`], write: false }),
  ]);
  // `</script` cannot appear inside an inline script; in JS, `<\/` means the same.
  const script = js.outputFiles[0].text.replaceAll("</script", "<\\/script").trim();
  const style = css.outputFiles[0].text.trim();
  const hash = (s) => `'sha256-${sha256(s).toString("base64")}'`;
  const generator = `aadsts-explainer ${v.version}; knowledge base ${v.kb_date}, ${v.kb_entries} entries (${v.kb_aadsts_entries} AADSTS codes)`;
  const csp = `default-src 'none'; script-src ${hash(script)} 'wasm-unsafe-eval'; style-src ${hash(style)}; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  let html = await readFile(`${WWW}index.html`, "utf8");
  const swaps = [
    [/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">\n<meta name="generator" content="${generator}">`],
    [/<link rel="stylesheet" href="pkg\/page\/style.css">/, `<style>${style}</style>`],
    [/<!--[^>]*-->\n<link rel="modulepreload" href="pkg\/page\/shared.js">\n<script type="module" src="pkg\/page\/app.js"><\/script>/, `<script type="module">${script}</script>`],
    [/<p id="version"><\/p>/, `<p id="version">${generator}. A single offline file: it works without a network.</p>`],
  ];
  for (const [from, to] of swaps) {
    if (!from.test(html)) throw new Error(`index.html no longer has ${from}`);
    html = html.replace(from, () => to);
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, html);
  console.log(`${generator}\nsha256: ${sha256(html).toString("hex")}  ${out}`);
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === "npm") await npmPackage();
else if (cmd === "offline") await offline(arg ?? `${ROOT}dist/aadsts-explainer.html`);
else {
  console.error("usage: node scripts/package.mjs npm | offline [FILE]");
  process.exit(2);
}
