// The shop pages open cleanly in the browser, signed out and signed in with data on them: no console
// error (React hydration errors #418/#425 among them), no uncaught page error, no failed same-origin
// request (404s of scripts, styles, images) and no CSP violation (watchPage); the sign-in's and the
// cart's tRPC mutations, sent from our own pages, pass the origin check. The back office's pages get
// the same walk in merchant-pages.e2e.ts. A brand-new member's empty states get it too. Every page visited
// also passes axe-core (accessibility: contrast, names, labels, structure) with no finding at all, and each
// of its text fields shows when it has the focus.
import { devices, expect, test, type Page } from "@playwright/test";
import { axeViolations, fieldsWithoutFocusStyle, randomPhone, settled, signInByRequest, signInWithSms, watchPage } from "./helpers";

// The demo store owner (prisma/seed.ts): orders, a team, commissions, so the pages render data, not empty states.
const DEMO_OWNER = "13800000001";

/** Opens a page, waits until it has settled (hydrated, queries answered), asserts it rendered its h1 and passes axe. */
async function visit(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  await settled(page);
  await expect(page.locator("h1"), `${path}: one h1`).toHaveCount(1);
  expect(await axeViolations(page), `${path}: axe`).toEqual([]);
  expect(await fieldsWithoutFocusStyle(page), `${path}: every text field shows its focus`).toEqual([]);
}

test("shop pages open without console errors, CSP violations or failed requests, signed out and signed in", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const problems = await watchPage(page);

  // Signed out: the sign-in page, home, a category, a product.
  await visit(page, "/login");
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
  for (const path of ["/cart", "/checkout", "/orders", "/me", "/me/addresses", "/promote", "/wallet", "/notifications"]) {
    await visit(page, path);
    await page.screenshot({ path: testInfo.outputPath(`console${path.replace(/\//g, "-")}.png`), fullPage: true });
  }
  // The data pages rendered data (what the server HTML and the hydrated client must agree on).
  await page.goto("/orders");
  await page.locator('a[href^="/orders/"]').first().click();
  await expect(page).toHaveURL(/\/orders\/\d+/);
  await page.waitForLoadState("networkidle");
  expect(await axeViolations(page), "order detail: axe").toEqual([]);
  await page.goto("/cart");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);

  // The owner's landing page, as the friend who opens the shared link sees it (no session).
  await page.goto("/promote");
  const code = (await page.getByTestId("my-code").textContent())?.trim();
  expect(code).toMatch(/^\w+$/);
  // A page of its own context (axe needs one: it opens a page beside it to run in every frame).
  const friendContext = await browser.newContext({ ...devices["Pixel 7"], baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const friend = await friendContext.newPage();
  const friendProblems = await watchPage(friend);
  await visit(friend, `/r/${code}`);
  await friend.screenshot({ path: testInfo.outputPath("console-landing.png"), fullPage: true });
  await friendContext.close();

  expect([...problems, ...friendProblems]).toEqual([]);
});

test("a brand-new member's empty pages open cleanly and say what to do next", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const problems = await watchPage(page);
  await signInByRequest(page, randomPhone());
  const empty: [string, string][] = [
    ["/cart", "购物车还是空的"],
    ["/orders", "暂无相关订单"],
    ["/promote", "还没有返现任务，"],
    ["/promote?tab=team", "还没有团队成员，分享链接邀请好友吧"],
    ["/wallet", "暂无资金变动"],
    ["/notifications", "暂无消息"],
  ];
  for (const [path, text] of empty) {
    await visit(page, path);
    await expect(page.getByText(text, { exact: false }).first(), path).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`empty${path.replace(/[/?=]/g, "-")}.png`), fullPage: true });
  }
  expect(problems).toEqual([]);
});

test("the framework scripts a shop page loads carry V8's compile hint (npm run build marks them)", async ({ page, request }) => {
  await page.goto("/");
  const scripts = await page.locator("script[src][async]").evaluateAll((ss) => ss.map((s) => s.getAttribute("src") ?? ""));
  const bodies = await Promise.all(scripts.map(async (src) => (await (await request.get(src)).text()).startsWith("//# allFunctionsCalledOnLoad\n")));
  // React and the Next runtime are among them; every page loads them, so at least those are hinted.
  expect(bodies.filter(Boolean).length, scripts.join(" ")).toBeGreaterThanOrEqual(3);
});
