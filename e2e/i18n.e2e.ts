import { expect, test, type Page } from "@playwright/test";
import { randomPhone, signInWithSms } from "./helpers";

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
  await expect(page.getByTestId("product-stock")).toHaveText(/in stock|Sold out/);
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
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
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
  await expect(page.getByRole("heading", { name: "Identity verification" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Request withdrawal" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("wallet-en.png"), fullPage: true });
  await page.goto("/cart");
  await expect(page.getByText("Your cart is empty")).toBeVisible();
  await page.goto("/notifications");
  await expect(page.getByTestId("unread-count")).toHaveText(/unread|No unread messages/);

  // Landing page and its Open Graph tags follow the cookie (crawlers, without it, get Chinese).
  await page.goto(`/r/${code}`);
  await expect(page.getByTestId("inviter")).toContainText("invites you to join Fission Mall");
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
