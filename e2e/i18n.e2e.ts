import { expect, test, type Page } from "@playwright/test";
import { createStaff, pickRegion, randomPhone, signInByRequest, signInWithSms, staffSignIn } from "./helpers";

const tabBar = (page: Page) => page.getByRole("navigation").last();

async function langCookie(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === "fm_lang")?.value;
}

test("zh-CN by default; ?lang=en switches to English; the login page switches back", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(tabBar(page).getByRole("link", { name: "首页" })).toBeVisible();
  await expect(page.getByText("为你推荐")).toBeVisible();

  // ?lang=en stores the cookie and redirects to the same page without the parameter.
  await page.goto("/?lang=en");
  await expect(page).toHaveURL(/\/$/);
  expect(await langCookie(page)).toBe("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(tabBar(page).getByRole("link", { name: "Home" })).toBeVisible();
  await expect(tabBar(page).getByRole("link", { name: "首页" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Recommended for you" })).toBeVisible();

  // Product page in English; the product's own name stays as it is (data).
  await page.getByTestId("product-card").first().click();
  await expect(page.getByTestId("product-name")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Product details" }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Add to cart" })).toBeVisible();
  await expect(page.getByTestId("product-stock")).toHaveText(/In stock|Only a few left|Sold out/);
  await expect(page).toHaveTitle(/· Fission Mall$/);
  await page.screenshot({ path: testInfo.outputPath("product-en.png"), fullPage: true });

  // The login page has the switch too.
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in with your phone" })).toBeVisible();
  await page.getByTestId("lang-switch").getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "手机号登录" })).toBeVisible();
  expect(await langCookie(page)).toBe("zh-CN");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.goto("/");
  await expect(tabBar(page).getByRole("link", { name: "首页" })).toBeVisible();
});

test("a signed-in shopper switches to English on the 我的 page and back", async ({ page, playwright, baseURL }, testInfo) => {
  await signInWithSms(page, randomPhone(), "/me");
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByText("我的钱包")).toBeVisible();

  await page.getByTestId("lang-switch").getByRole("button", { name: "English" }).click();
  await expect(page.getByText("My wallet")).toBeVisible();
  await expect(tabBar(page).getByRole("link", { name: "Home" })).toBeVisible();
  await expect(page.getByTestId("lang-switch").getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("me-en.png"), fullPage: true });

  // Other pages follow the cookie: home, product, promotion centre, wallet.
  await tabBar(page).getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("heading", { name: "Recommended for you" })).toBeVisible();
  await page.getByTestId("product-card").first().click();
  await expect(page.getByRole("heading", { name: "Product details" }).first()).toBeVisible();
  await page.goto("/promote");
  await expect(page.getByRole("heading", { name: "Promotion centre" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Cashback tasks" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy share link" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("promote-en.png"), fullPage: true });
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  await page.goto("/wallet");
  // No balance yet: the withdrawal forms are folded away behind a sentence that says why.
  await expect(page.getByTestId("withdraw-entry")).toContainText("Nothing to withdraw yet");
  await page.screenshot({ path: testInfo.outputPath("wallet-en.png"), fullPage: true });
  await page.goto("/cart");
  await expect(page.getByText("Your cart is empty")).toBeVisible();
  await page.goto("/notifications");
  await expect(page.getByTestId("unread-count")).toHaveText(/unread|No unread messages/);

  // Landing page and its Open Graph tags follow the cookie (crawlers, without it, get Chinese); the member's own link is theirs to share.
  await page.goto(`/r/${code}`);
  await expect(page.getByTestId("inviter")).toHaveText("This is your invitation page");
  await expect(page.locator('meta[property="og:locale"]')).toHaveAttribute("content", "en_US");
  await page.screenshot({ path: testInfo.outputPath("landing-en.png"), fullPage: true });
  const crawler = await playwright.request.newContext({ baseURL });
  const html = await (await crawler.get(`/r/${code}`)).text();
  await crawler.dispose();
  expect(html).toContain('<meta property="og:locale" content="zh_CN"/>');
  expect(html).toContain("邀请你加入裂变商城");
  await page.goto("/product/99999999");
  await expect(page.getByRole("link", { name: "Back to home" })).toBeVisible();

  // And back to Chinese.
  await page.goto("/me");
  await page.getByTestId("lang-switch").getByRole("button", { name: "中文" }).click();
  await expect(page.getByText("我的钱包")).toBeVisible();
  await expect(tabBar(page).getByRole("link", { name: "首页" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.goto("/promote");
  await expect(page.getByRole("heading", { name: "推广中心" })).toBeVisible();
});

test("checkout, sandbox cashier and orders in English; order statuses by code", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signInWithSms(page, randomPhone(), "/");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/?lang=en");
  await expect(page.getByRole("heading", { name: "Recommended for you" })).toBeVisible();

  await page.getByTestId("product-card").nth(3).click();
  await expect(page.getByTestId("product-name")).toBeVisible();
  await page.getByRole("button", { name: "Buy now" }).click();
  await expect(page).toHaveURL(/\/checkout\?sku=.+&qty=1$/);
  await expect(page.getByRole("heading", { name: "Confirm order", exact: true })).toBeVisible();
  await expect(page).toHaveTitle(/^Confirm order · Fission Mall$/);
  await expect(page.getByRole("heading", { name: "New shipping address" })).toBeVisible();
  await page.getByLabel("Recipient").fill("Li Lei");
  await page.getByLabel("Mobile number").fill("139");
  // The division names are data (Chinese); the picker's own words are English.
  await pickRegion(page, ["浙江省", "杭州市", "西湖区"], "Choose province / city / district");
  await page.getByLabel("Street address").fill("100 Wensan Road, Room 501");
  await page.getByRole("button", { name: "Save address" }).click();
  // The form's own check of the number, in English.
  await expect(page.getByTestId("phone-error")).toHaveText("Enter an 11-digit mobile number starting with 1");
  await page.getByLabel("Mobile number").fill("13912345678");
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(page.getByTestId("checkout-address")).toContainText("Li Lei");
  await expect(page.getByText("Goods", { exact: true })).toBeVisible();
  await expect(page.getByTestId("checkout-total")).toContainText("Total");
  await page.screenshot({ path: testInfo.outputPath("checkout-en.png"), fullPage: true });
  await page.getByRole("button", { name: "Place order" }).click();

  await expect(page).toHaveURL(/\/pay\/sandbox\//);
  await expect(page.getByTestId("cashier-merchant")).toHaveText("Fission Mall");
  await expect(page.getByText("Payment method")).toBeVisible();
  const orderNo = (await page.getByTestId("cashier-order-no").textContent())!.trim();
  await page.screenshot({ path: testInfo.outputPath("cashier-en.png"), fullPage: true });
  await page.getByRole("button", { name: "Confirm payment" }).click();
  await expect(page.getByTestId("pay-result")).toHaveText("Payment successful", { timeout: 20_000 });
  await expect(page.getByText(`Order ${orderNo}`)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("pay-result-en.png"), fullPage: true });

  await page.goto("/orders?tab=unshipped");
  await expect(page.getByRole("heading", { name: "My orders" })).toBeVisible();
  await expect(page.getByRole("link", { name: "To ship", exact: true })).toHaveAttribute("aria-current", "page");
  const card = page.locator(`[data-testid="order-card"][data-order-no="${orderNo}"]`);
  await expect(card.getByTestId("order-status")).toHaveAttribute("data-status", "PAID");
  await expect(card.getByTestId("order-status")).toHaveText("To ship");
  await expect(card).toContainText("Items: 1 · Paid");
  await page.screenshot({ path: testInfo.outputPath("orders-en.png"), fullPage: true });
  await card.click();
  await expect(page.getByTestId("order-headline")).toHaveText("Waiting for the merchant to ship");
  await expect(page.locator('[data-step="paid"]')).toContainText("Paid");
  await expect(page.getByRole("button", { name: "Request refund" })).toBeVisible();
  await page.getByRole("button", { name: "Request refund" }).click();
  await expect(page.getByRole("dialog")).toContainText("Request a refund");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("order-en.png"), fullPage: true });

  // The payment's notification reads in English too (stored with its key, rendered in the reader's language).
  await page.goto("/notifications");
  const paid = page.getByTestId("notification").filter({ hasText: "Payment received" }).filter({ hasText: orderNo });
  await expect(paid).toContainText(`Order ${orderNo} is paid`);
  // The 推三返一 task the payment opened is announced too, in English.
  const opened = page.getByTestId("notification").filter({ hasText: "Refer 3, get it back: started" }).filter({ hasText: orderNo });
  await expect(opened).toContainText(`Order ${orderNo} started a Refer 3, get it back task`);
  await expect(page.getByTestId("notification").first()).not.toContainText(/\p{Script=Han}/u);
  await page.screenshot({ path: testInfo.outputPath("notifications-en.png"), fullPage: true });
});

test("on a 360 px phone in English, a link to a later tab opens with that tab in view", async ({ browser, baseURL }) => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "en-US", timezoneId: "Asia/Shanghai", baseURL });
  try {
    const page = await ctx.newPage();
    await signInByRequest(page, randomPhone());
    await page.goto("/?lang=en");
    await page.goto("/orders?tab=refund");
    const bar = page.getByRole("navigation", { name: "Order status" });
    const current = bar.locator('[aria-current="page"]');
    await expect(current).toHaveText("Refunds");
    // Wider than the screen: the bar scrolls, and the current tab has been brought fully into view.
    expect(await bar.evaluate((n) => n.scrollWidth > n.clientWidth)).toBe(true);
    await expect(async () => {
      const box = (await current.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }).toPass({ timeout: 5_000 });
  } finally {
    await ctx.close();
  }
});

test("the back office in English: a refused product form, a refused export and the QR code say it in English", async ({ browser, baseURL }) => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: "en-US", timezoneId: "Asia/Shanghai", baseURL });
  try {
    const page = await ctx.newPage();
    // A visitor's export request is refused in the language of the cookie.
    await ctx.addCookies([{ name: "fm_lang", value: "en", url: baseURL! }]);
    const refused = await page.request.get("/merchant/products/export");
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toEqual({ error: "Sign in to the merchant console first" });

    // The sign-in helper reads the Chinese page; the staff member then switches to English.
    await ctx.clearCookies({ name: "fm_lang" });
    await staffSignIn(page, await createStaff(page, "operator", { totp: false }), "/merchant/products/new");
    await ctx.addCookies([{ name: "fm_lang", value: "en", url: baseURL! }]);
    await page.reload();
    await page.getByTestId("save-product").click();
    // The catalogue's own refusals (written in Chinese on the server) and the form's own, each beside its field.
    await expect(page.locator('[data-error-for="name"]')).toHaveText("Enter the product's title");
    await expect(page.locator('[data-error-for="category"]')).toHaveText("Choose a category");
    await expect(page.locator('[data-error-for="skus.0.price"]')).toHaveText("Price: enter an amount such as 99.00");
    for (const text of await page.locator("[data-error-for]").allInnerTexts()) expect(text).not.toMatch(/\p{Script=Han}/u);

    await page.goto("/merchant/account");
    await page.getByRole("button", { name: "Link an authenticator" }).click();
    await expect(page.getByRole("img", { name: "QR code to link your authenticator app" })).toBeVisible();
  } finally {
    await ctx.close();
  }
});
