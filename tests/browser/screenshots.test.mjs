// Screenshots for people to review: 360 px and 1280 px, light and dark, of
// the empty page, a pasted error, a HAR capture and an open entry. Written to
// tests/artifacts/ (git-ignored). The checks here are only that the page
// fits the width; the eyes do the rest.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { startServer, launch } from "./harness.mjs";
import { openPage, paste, FIXTURES, ARTIFACTS, MFA_TEXT } from "./helpers.mjs";

let server, url, browser;
before(async () => { ({ server, url } = await startServer()); browser = await launch(); await mkdir(ARTIFACTS, { recursive: true }); });
after(async () => { await browser?.close(); server?.close(); });

const STATES = {
  empty: async () => {},
  text: async (page) => { await paste(page, MFA_TEXT); },
  mixed: async (page) => {
    await paste(page, "Token request failed: AADSTS9999991: Something nobody has documented. Earlier: the refresh token has expired due to inactivity. The log ends with AADSTS5007", ".suggestion");
  },
  har: async (page) => {
    await page.setInputFiles("#file", join(FIXTURES, "signin-mfa.har"));
    await page.waitForSelector(".har-summary");
  },
  entry: async (page) => {
    await page.evaluate(() => { location.hash = "#50011"; });
    await page.waitForSelector("#entry-dialog[open]");
  },
};

for (const width of [360, 1280]) {
  for (const colorScheme of ["light", "dark"]) {
    test(`screenshots at ${width} px, ${colorScheme}`, async () => {
      const { page, errors } = await openPage(browser.context, url, { colorScheme, viewport: { width, height: 900 } });
      for (const [name, setUp] of Object.entries(STATES)) {
        await setUp(page);
        await page.evaluate(() => document.activeElement?.blur());
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `${name}: the page is ${wide}px wide at ${width}px`);
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}-${colorScheme}.png`), fullPage: name !== "entry" });
      }
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}
