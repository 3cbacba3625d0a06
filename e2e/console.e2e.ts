// The pages open cleanly in the browser: no console error (React hydration errors #418/#425 among them),
// no uncaught page error and no failed same-origin request (404s of scripts, styles, images) on the shop
// pages, signed out and signed in with data on them, and on a few back-office pages.
import { devices, expect, test, type Page } from "@playwright/test";
import { createStaff, staffSignIn, signInWithSms } from "./helpers";

// The demo store owner (prisma/seed.ts): orders, a team, commissions, so the pages render data, not empty states.
const DEMO_OWNER = "13800000001";

/** Collects every console error, page error and failed same-origin request the page meets. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && new URL(r.url()).origin === new URL(r.request().frame().url() || r.url()).origin) problems.push(`${page.url()}: ${r.status()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    // A navigation or RSC prefetch cut short by the next goto is not a broken asset.
    if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? "")) problems.push(`${page.url()}: failed ${r.url()} (${r.failure()?.errorText})`);
  });
  return problems;
}

/** Opens a page, waits until it has settled (hydrated, queries answered) and asserts it rendered its h1. */
async function visit(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
  await expect(page.locator("h1"), `${path}: one h1`).toHaveCount(1);
}

test("shop pages open without console errors or failed requests, signed out and signed in", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const problems = watch(page);

  // Signed out: home, a category, a product.
  await visit(page, "/");
  const productHref = await page.getByTestId("product-card").first().getAttribute("href");
  const categoryHref = await page.locator('a[href^="/category/"]').first().getAttribute("href");
  expect(productHref).toMatch(/^\/product\/\d+$/);
  await visit(page, categoryHref!);
  await visit(page, productHref!);

  // Signed in with data: a cart line, then checkout, orders, 我的, the promotion centre and the wallet.
  await signInWithSms(page, DEMO_OWNER, productHref!);
  await expect(page).toHaveURL(new RegExp(`${productHref}$`));
  await page.getByRole("button", { name: "加入购物车" }).click();
  await expect(page.getByRole("status")).toHaveText("已加入购物车");
  for (const path of ["/cart", "/checkout", "/orders", "/me", "/promote", "/wallet", "/notifications"]) {
    await visit(page, path);
    await page.screenshot({ path: testInfo.outputPath(`console${path.replace(/\//g, "-")}.png`), fullPage: true });
  }
  // The data pages rendered data (what the server HTML and the hydrated client must agree on).
  await page.goto("/orders");
  await page.locator('a[href^="/orders/"]').first().click();
  await expect(page).toHaveURL(/\/orders\/\d+/);
  await page.waitForLoadState("networkidle");
  await page.goto("/cart");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);

  // The owner's landing page, as the friend who opens the shared link sees it (no session).
  await page.goto("/promote");
  const code = (await page.getByTestId("my-code").textContent())?.trim();
  expect(code).toMatch(/^\w+$/);
  const friend = await browser.newPage({ ...devices["Pixel 7"], baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const friendProblems = watch(friend);
  await visit(friend, `/r/${code}`);
  await friend.screenshot({ path: testInfo.outputPath("console-landing.png"), fullPage: true });
  await friend.close();

  expect([...problems, ...friendProblems]).toEqual([]);
});

test.describe("back office", () => {
  test.use({ viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false });

  test("merchant pages open without console errors or failed requests", async ({ page }) => {
    test.setTimeout(180_000);
    const problems = watch(page);
    await staffSignIn(page, await createStaff(page, "owner"), "/merchant");
    await expect(page).toHaveURL(/\/merchant$/);
    for (const path of ["/merchant", "/merchant/orders", "/merchant/members", "/merchant/products", "/merchant/risk", "/merchant/withdrawals"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBeLessThan(400);
      await page.waitForLoadState("networkidle");
    }
    // A risk case, when the queue has one (the seed flags shared devices and addresses).
    await page.goto("/merchant/risk");
    await page.waitForLoadState("networkidle");
    const cases = await page.locator('a[href^="/merchant/risk/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/merchant\/risk\/\d+$/.test(h)));
    if (cases.length) {
      await page.goto(cases[0]);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle");
    }
    expect(problems).toEqual([]);
  });
});

test("the framework scripts a shop page loads carry V8's compile hint (npm run build marks them)", async ({ page, request }) => {
  await page.goto("/");
  const scripts = await page.locator("script[src][async]").evaluateAll((ss) => ss.map((s) => s.getAttribute("src") ?? ""));
  const bodies = await Promise.all(scripts.map(async (src) => (await (await request.get(src)).text()).startsWith("//# allFunctionsCalledOnLoad\n")));
  // React and the Next runtime are among them; every page loads them, so at least those are hinted.
  expect(bodies.filter(Boolean).length, scripts.join(" ")).toBeGreaterThanOrEqual(3);
});
