// axe-core over every state of the page, in light and dark: no serious or
// critical violations (contrast included).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, launch } from "./harness.mjs";
import { openPage, paste, axe, FIXTURES, MFA_TEXT } from "./helpers.mjs";

let server, url, browser;
before(async () => { ({ server, url } = await startServer()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const openAll = (page) => page.locator("details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));

async function check(page, state, bad) {
  const found = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of found) bad.push(`${state}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.slice(0, 4).join("\n    ")}`);
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe: no serious or critical violations (${colorScheme})`, async () => {
    const bad = [];
    const { page, errors } = await openPage(browser.context, url, { colorScheme });
    await check(page, "empty", bad);

    await paste(page, MFA_TEXT);
    await openAll(page);
    await check(page, "text results", bad);
    for (const tab of ["Admin", "Developer"]) {
      await page.locator(".finding").first().getByRole("tab", { name: tab }).click();
      await openAll(page);
      await check(page, `text results, ${tab} tab`, bad);
    }

    await paste(page, "Sign-in failed: AADSTS9999991: nobody knows. The log ends with AADSTS5007");
    await check(page, "unknown code and warning", bad);
    await paste(page, "Selected user account does not exist in tenant 'Contoso'.", ".suggestion");
    await check(page, "suggestion", bad);

    await page.setInputFiles("#file", join(FIXTURES, "signin-mfa.har"));
    await page.waitForSelector(".har-summary");
    await openAll(page);
    await check(page, "HAR view", bad);

    await page.fill("#search", "consent");
    await page.waitForFunction(() => location.hash === "#q=consent");
    await check(page, "search results", bad);

    await page.evaluate(() => { location.hash = "#50074"; });
    await page.waitForSelector("#entry-dialog[open]");
    await openAll(page);
    await check(page, "entry dialog", bad);
    await page.keyboard.press("Escape");

    assert.deepEqual(bad, [], bad.join("\n"));
    assert.deepEqual(errors, []);
    await page.close();
  });
}
