// Every back-office page, as the owner on a desktop screen: the sign-in page, each page the sidebar
// offers, and one of each page linked from them (details, tabs, forms), opens with its heading, its
// scripts running under the CSP nonce, without a console error, a CSP violation or a failed request
// (watchPage), without any axe-core finding (accessibility) and with every text field showing its focus; a screenshot of each is kept as an artifact
// (test-results/…/pages-*.png).
import { expect, test, type Page } from "@playwright/test";
import { axeViolations, createStaff, fieldsWithoutFocusStyle, settled, staffSignIn, watchPage } from "./helpers";

/** The route's shape: ids become ":id", so each kind of page is visited once. */
const shape = (path: string) => path.replace(/\/\d+(?=\/|$)/g, "/:id");

/** Same-origin back-office links on the page (sidebar first), without exports and downloads. */
async function merchantLinks(page: Page): Promise<string[]> {
  const hrefs = await page.locator('a[href^="/merchant"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((h) => h.split("#")[0]).filter((h) => !/\/export|\/login|\/media|download/.test(h));
}

test("every merchant page opens for the owner, without console errors or CSP violations, with a screenshot", async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  const problems = await watchPage(page);
  const owner = await createStaff(page, "owner");
  await page.goto("/merchant/login");
  await settled(page);
  const a11y = [...(await axeViolations(page)), ...(await fieldsWithoutFocusStyle(page))];
  await page.screenshot({ path: testInfo.outputPath("pages-00-_merchant_login.png"), fullPage: true });
  // The sign-in is a server action posted from our own page: it passes the origin check.
  await staffSignIn(page, owner, "/merchant");
  await expect(page).toHaveURL(/\/merchant$/);
  const seen = new Set<string>();
  const queue = ["/merchant", "/merchant/account", ...(await merchantLinks(page))];
  let n = 0;
  while (queue.length > 0 && n < 40) {
    const path = queue.shift()!;
    const kind = shape(new URL(path, "http://x").pathname);
    if (seen.has(kind)) continue;
    seen.add(kind);
    n++;
    const res = await page.goto(path);
    expect(res?.status(), path).toBeLessThan(400);
    await expect(page).not.toHaveURL(/\/merchant\/login/);
    await expect(page.getByRole("heading", { level: 1 }).first(), `${path} has its heading`).toBeVisible();
    await settled(page);
    a11y.push(...(await axeViolations(page)), ...(await fieldsWithoutFocusStyle(page)));
    await page.screenshot({ path: testInfo.outputPath(`pages-${n.toString().padStart(2, "0")}-${kind.replace(/[^a-z0-9]+/gi, "_")}.png`), fullPage: true });
    for (const link of await merchantLinks(page)) if (!seen.has(shape(new URL(link, "http://x").pathname))) queue.push(link);
  }
  // The sidebar's areas and at least one detail page of each list were reached.
  for (const kind of [
    ...["/merchant/orders", "/merchant/orders/:id", "/merchant/after-sales", "/merchant/members", "/merchant/members/:id", "/merchant/risk"],
    ...["/merchant/products", "/merchant/products/:id", "/merchant/products/new", "/merchant/categories", "/merchant/stock"],
    ...["/merchant/withdrawals", "/merchant/audit", "/merchant/staff", "/merchant/account"],
  ]) {
    expect([...seen], `visited ${kind}`).toContain(kind);
  }
  expect(problems).toEqual([]);
  expect(a11y).toEqual([]);
});
