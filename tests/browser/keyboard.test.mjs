// Keyboard only: Tab to the box, type, Tab through the results to a copy
// button and a link, open and close things with Enter, Space and Escape,
// and work the look-up. Focus must always be visible.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useBrowserWithClipboard } from "./harness.mjs";
import { openPage } from "./helpers.mjs";

const env = useBrowserWithClipboard(before, after);

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, role: el.getAttribute("role"),
    text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 80),
    href: el.getAttribute("href"), inResults: !!el.closest("#results"), inDialog: !!el.closest("dialog"),
    outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
  };
});

/** Press Tab until `want(focus)` holds; returns the path taken. */
async function tabTo(page, want, limit = 120, key = "Tab") {
  const path = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    path.push(f);
    if (want(f)) return path;
  }
  throw new Error(`not reached in ${limit} presses: ${path.map((f) => f.tag + "#" + f.id + "." + f.cls + ":" + f.text).join(" → ")}`);
}

function assertVisibleFocus(f) {
  assert.doesNotMatch(f.outline, /^none/, `no visible focus on ${f.tag} ${f.text}`);
  assert.ok(parseFloat(f.outline.split(" ")[1]) >= 2, `focus outline too thin on ${f.tag}: ${f.outline}`);
}

test("keyboard only: paste box, results, copy, link, details, tabs and the look-up", async () => {
  const { page, errors } = await openPage(env.browser.context, env.url);

  // The skip link comes first and leads to the box.
  const first = await tabTo(page, () => true, 1);
  assert.equal(first[0].text, "Skip to the error box");
  assertVisibleFocus(first[0]);
  await tabTo(page, (f) => f.id === "input", 10);
  assertVisibleFocus(await focused(page));
  await page.keyboard.type("AADSTS50076: Due to a configuration change you must use multi-factor authentication.\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\nCorrelation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff\n");
  await page.waitForSelector(".finding");
  assert.match(await page.textContent("#status"), /1 error found/);

  // Tab into the results: the audience tabs come first, then on to a copy button.
  const toTab = await tabTo(page, (f) => f.role === "tab" && f.inResults);
  assertVisibleFocus(toTab.at(-1));
  await page.keyboard.press("ArrowRight");
  assert.equal((await focused(page)).text, "Admin");
  assert.equal(await page.getAttribute(".finding [role=tab]:nth-child(2)", "aria-selected"), "true");
  await page.keyboard.press("ArrowLeft");

  const toCopy = await tabTo(page, (f) => f.inResults && /^Copy Trace ID$/.test(f.text));
  assertVisibleFocus(toCopy.at(-1));
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement.textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "0a1b2c3d-0000-4e5f-8a9b-001122334455");
  await page.keyboard.press(" ");
  await page.waitForFunction(() => document.activeElement.textContent === "Copied");

  // A details summary opens with Enter and Space, and its links follow in order.
  const toSummary = await tabTo(page, (f) => f.tag === "summary" && /Microsoft documentation/.test(f.text));
  assertVisibleFocus(toSummary.at(-1));
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.parentElement.open), true);
  await page.keyboard.press(" ");
  assert.equal(await page.evaluate(() => document.activeElement.parentElement.open), false);
  await page.keyboard.press(" ");
  const toLink = await tabTo(page, (f) => f.tag === "a" && f.inResults && /^https:\/\//.test(f.href ?? ""));
  assertVisibleFocus(toLink.at(-1));
  // Escape folds the section the focus is in, and leaves focus on its summary.
  assert.equal(await page.evaluate(() => document.activeElement.closest("details[open]")?.querySelector("summary").textContent), toSummary.at(-1).text);
  await page.keyboard.press("Escape");
  assert.equal((await focused(page)).text, toSummary.at(-1).text);
  assert.equal(await page.evaluate(() => document.activeElement.parentElement.open), false);

  // The support summary's options are checkboxes, toggled with Space.
  await tabTo(page, (f) => f.id === "ticket-ips");
  await page.keyboard.press(" ");
  assert.equal(await page.isChecked("#ticket-ips"), true);

  // The look-up: type, arrow into the results, Enter opens, Escape closes and returns focus.
  await tabTo(page, (f) => f.id === "search");
  assertVisibleFocus(await focused(page));
  await page.keyboard.type("consent");
  await page.waitForFunction(() => location.hash === "#q=consent");
  await page.keyboard.press("ArrowDown");
  let f = await focused(page);
  assert.equal(f.tag, "a");
  assertVisibleFocus(f);
  await page.keyboard.press("ArrowDown");
  const second = await focused(page);
  assert.notEqual(second.href, f.href);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#entry-dialog[open]");
  assert.equal((await focused(page)).id, "entry-dialog-title");
  assert.equal(await page.evaluate(() => location.hash), second.href);
  // Tab never reaches the page behind the modal dialog (past its last control,
  // Chromium hands focus to the browser's own UI, seen here as the body).
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const d = await focused(page);
    assert.ok(d.inDialog || d.tag === "body", `focus left the dialog: ${d.tag} ${d.text}`);
    if (d.inDialog) assertVisibleFocus(d);
  }
  await page.keyboard.press("Escape");
  await page.waitForSelector("#entry-dialog:not([open])", { state: "attached" });
  f = await focused(page);
  assert.equal(f.href, second.href, "focus goes back to the result that opened the dialog");
  assert.equal(await page.evaluate(() => location.hash), "#q=consent");

  // Enter in the search box opens the best match.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  await page.focus("#search");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("50011");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#entry-dialog[open]");
  assert.match(await page.textContent("#entry-dialog .eyebrow"), /AADSTS50011/);
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).inDialog, true);
  await page.keyboard.press("Escape");
  await page.waitForSelector("#entry-dialog:not([open])", { state: "attached" });
  assert.equal((await focused(page)).id, "search");
  assert.deepEqual(errors, []);
  await page.close();
});

test("keyboard only: the Choose a file button opens the file chooser", async () => {
  const { page } = await openPage(env.browser.context, env.url);
  // Listening early lets Playwright intercept the chooser before it is asked for.
  const chooser = new Promise((resolve) => page.once("filechooser", resolve));
  await tabTo(page, (f) => f.id === "file-button", 15);
  assertVisibleFocus(await focused(page));
  await page.keyboard.press("Enter");
  assert.equal((await chooser).isMultiple(), false);
  await page.close();
});
