// Shared steps for the page tests: open the page and wait until the WASM and
// the file worker are ready, collecting page errors on the way.
import { readFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";

export const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
const AXE = new URL("../../node_modules/axe-core/axe.min.js", import.meta.url).pathname;

export const MFA_TEXT = [
  "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
  "Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455",
  "Correlation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff",
  "Timestamp: 2024-06-01 10:15:00Z",
].join("\n");

export async function openPage(context, url, { hash = "", colorScheme, viewport } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  if (viewport) await page.setViewportSize(viewport);
  if (colorScheme) await page.emulateMedia({ colorScheme });
  await page.goto(url + hash);
  await page.waitForSelector("body[data-worker-ready=true]", { timeout: 20000 });
  return { page, errors };
}

/** Type into the paste box and wait for the debounced results. */
export async function paste(page, text, selector = ".finding") {
  await page.fill("#input", text);
  if (selector) await page.waitForSelector(selector);
}

/** Run axe-core in the page (evaluated over the protocol, so the CSP does not block it). */
export async function axe(page, context = "body") {
  const source = await readFile(AXE, "utf8");
  await page.evaluate(source);
  return page.evaluate(async (ctx) => {
    const r = await window.axe.run(ctx, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
  }, context);
}

/**
 * Write the single offline file (as `./build.sh dist` does) to `out`; returns
 * the SHA-256 the step printed. Needs www/pkg/ built.
 */
export function buildOffline(out) {
  const script = new URL("../../scripts/package.mjs", import.meta.url).pathname;
  const printed = execFileSync(process.execPath, [script, "offline", out], { encoding: "utf8" });
  const m = /^sha256: ([0-9a-f]{64}) {2}(.+)$/m.exec(printed);
  if (!m || m[2] !== out) throw new Error(`no SHA-256 line for ${out} in:\n${printed}`);
  return m[1];
}
