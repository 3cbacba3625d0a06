// Every back-office page, as the owner on a desktop screen: each page the sidebar offers, and one of
// each page linked from them (details, tabs, forms), opens with its heading and without a console error
// or a failed request; a screenshot of each is kept as an artifact (test-results/…/pages-*.png).
import { expect, test, type ConsoleMessage, type Page } from "@playwright/test";
import { createStaff, staffSignIn } from "./helpers";

/** The route's shape: ids become ":id", so each kind of page is visited once. */
const shape = (path: string) => path.replace(/\/\d+(?=\/|$)/g, "/:id");

/** Same-origin back-office links on the page (sidebar first), without exports and downloads. */
async function merchantLinks(page: Page): Promise<string[]> {
  const hrefs = await page.locator('a[href^="/merchant"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((h) => h.split("#")[0]).filter((h) => !/\/export|\/login|\/media|download/.test(h));
}

test("every merchant page opens for the owner, without console errors, with a screenshot", async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  const problems: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && new URL(r.url()).origin === new URL(page.url() || r.url()).origin) problems.push(`${page.url()}: ${r.status()} ${r.url()}`);
  });

  await staffSignIn(page, await createStaff(page, "owner"), "/merchant");
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
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: testInfo.outputPath(`pages-${n.toString().padStart(2, "0")}-${kind.replace(/[^a-z0-9]+/gi, "_")}.png`), fullPage: true });
    for (const link of await merchantLinks(page)) if (!seen.has(shape(new URL(link, "http://x").pathname))) queue.push(link);
  }
  // The sidebar's areas and at least one detail page of each list were reached.
  for (const kind of ["/merchant/orders", "/merchant/orders/:id", "/merchant/members", "/merchant/members/:id", "/merchant/products", "/merchant/withdrawals", "/merchant/audit", "/merchant/staff"]) {
    expect([...seen], `visited ${kind}`).toContain(kind);
  }
  expect(problems).toEqual([]);
});
