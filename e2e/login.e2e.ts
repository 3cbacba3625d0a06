import { expect, test } from "@playwright/test";
import { masked, randomPhone, signInWithSms } from "./helpers";

test("sign in with an SMS code from the dev outbox, then browse products", async ({ page }, testInfo) => {
  const phone = randomPhone();
  await signInWithSms(page, phone, "/");
  await expect(page).toHaveURL(/\/$/);

  // Home shows the seeded catalogue with prices in yuan.
  const cards = page.getByTestId("product-card");
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThan(3);
  await expect(page.getByText("为你推荐")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });

  // The member page shows the masked phone number, never the number itself.
  await page.getByRole("link", { name: "我的" }).click();
  await expect(page.getByText(masked(phone))).toBeVisible();
  expect(await page.content()).not.toContain(phone);

  // Product page: add to cart.
  await page.goto("/");
  await cards.first().click();
  await expect(page.getByTestId("product-name")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("product.png"), fullPage: true });
  await page.getByRole("button", { name: "加入购物车" }).click();
  await expect(page.getByRole("status")).toHaveText("已加入购物车");
  await page.goto("/cart");
  await expect(page.getByText("合计")).toBeVisible();
});

test("a wrong code is refused with a clear message", async ({ page }) => {
  const phone = randomPhone();
  await page.goto("/login");
  await page.getByPlaceholder("请输入手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible();
  await page.getByPlaceholder("6 位验证码").fill("000000");
  await page.getByRole("button", { name: "登录 / 注册" }).click();
  // (A 1-in-a-million chance that 000000 is the real code.)
  await expect(page.getByRole("alert").filter({ hasText: "验证码错误" })).toContainText("还可尝试 4 次");
});

test("the send button is rate-limited per phone", async ({ page }) => {
  const phone = randomPhone();
  await page.goto("/login");
  await page.getByPlaceholder("请输入手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText(/秒后重发/)).toBeVisible();
  // A second send within 60 s is refused by the server even if the UI is bypassed.
  const res = await page.request.post("/api/trpc/auth.sendCode?batch=1", {
    data: { "0": { json: { phone } } },
    headers: { "content-type": "application/json" },
  });
  expect(res.status()).toBe(429);
  expect(await res.text()).toContain("发送太频繁");
});
