// A 1 GiB capture in the page: the worker reads the File from disk in
// slices, the progress bar moves through the whole file, and the report has
// every entry and the planted errors. Memory stays bounded by a slice and the
// largest entry, which is what lets this run at all. Half the bodies are
// scripts the worker must read through, half images it may skip unread.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useBrowserWithClipboard } from "./harness.mjs";
import { openPage } from "./helpers.mjs";
import { writeCapture } from "./capture.mjs";

const env = useBrowserWithClipboard(before, after);
const GIB = 1024 ** 3;
test("a 1 GiB capture is read with a moving progress bar and reports every entry", { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "aadsts-1gb-"));
  try {
    const path = join(dir, "one-gib.har");
    const planted = await writeCapture(path, GIB, { bodies: "mixed" });
    assert.ok((await stat(path)).size >= GIB);

    const { page, errors } = await openPage(env.browser.context, env.url);
    // Every value the progress bar takes, seen from the page itself.
    await page.evaluate(() => {
      window.__progress = [];
      window.__progressText = [];
      const bar = document.getElementById("progress");
      const text = document.getElementById("progress-text");
      new MutationObserver(() => window.__progress.push(bar.value)).observe(bar, { attributes: true, attributeFilter: ["value"] });
      new MutationObserver(() => window.__progressText.push(text.textContent)).observe(text, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles("#file", path);
    await page.waitForSelector(".har-summary", { timeout: 240_000 });

    const seen = await page.evaluate(() => window.__progress);
    const said = await page.evaluate(() => window.__progressText);
    assert.ok(said.some((t) => /media bodies skipped unread/.test(t)), `the image bodies should be skipped: ${said.slice(-3)}`);
    const steps = [...new Set(seen)].filter((v) => v > 0 && v < 100);
    assert.ok(steps.length >= 10, `the bar should move through the file; it showed ${JSON.stringify(seen)}`);
    assert.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1] || v === 0), `progress only goes forward: ${seen}`);
    assert.equal(await page.textContent(".stats .stat:first-child dd"), planted.entries.toLocaleString("en"));
    assert.match(await page.textContent(".finding .eyebrow"), /AADSTS700082/);
    // The same code in many requests is one finding that lists them.
    assert.match(await page.textContent("#status"), new RegExp(`1 error found in ${planted.entries.toLocaleString("en")} requests`));
    assert.ok(planted.errors > 10);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
