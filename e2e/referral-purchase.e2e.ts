// Referral → purchase end to end, entirely through the real UI (no test-only seeding route):
// A signs in and reads their share link on /promote, then buys and pays an order of their own (立即购买
// → checkout → sandbox cashier), which opens a 推三返一 task. B opens A's link /r/{code} on their own
// phone, signs up by SMS (the landing cookie binds B to A), buys through the cart → checkout → cashier
// and sees 支付成功. A's /promote then shows the L1 commission on B's order (10% of its goods amount,
// 待确认 = PENDING) and the task at 1/3, "还差 2 人".
import { devices, expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { fillAddressForm, myDisplayName, randomPhone, signInWithSms } from "./helpers";
import { maskDisplayName } from "../server/members/profile";

/** "+12.34" / "¥123.45" → 1234 / 12345 (string arithmetic, no floats). */
function fen(text: string): number {
  const m = /(-?)(\d+)\.(\d{2})/.exec(text.replace(/,/g, ""));
  if (!m) throw new Error(`no amount in ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

type Address = { name: string; phone: string; region: [string, string, string]; detail: string };

async function addAddress(page: Page, a: Address) {
  await fillAddressForm(page, a);
  await expect(page.getByTestId("checkout-address")).toContainText(a.name);
}

/**
 * Buys the `nth` product of the home page through the real checkout and sandbox cashier, and waits for
 * 支付成功. Returns the order number and its goods amount (lines after discounts, no shipping).
 */
async function buyThroughUi(page: Page, opts: { nth: number; via: "buyNow" | "cart"; address: Address }) {
  await page.goto("/");
  await page.getByTestId("product-card").nth(opts.nth).click();
  await expect(page.getByTestId("product-name")).toBeVisible();
  const productName = (await page.getByTestId("product-name").textContent())!.trim();
  if (opts.via === "buyNow") {
    await page.getByRole("button", { name: "立即购买" }).click();
    await expect(page).toHaveURL(/\/checkout\?sku=.+&qty=1$/);
  } else {
    await page.getByRole("button", { name: "加入购物车" }).click();
    await expect(page.getByRole("status")).toHaveText("已加入购物车");
    await page.goto("/cart");
    await page.getByRole("link", { name: "去结算" }).click();
    await expect(page).toHaveURL(/\/checkout$/);
  }
  await expect(page.getByTestId("checkout-line")).toHaveCount(1);
  await expect(page.getByTestId("checkout-line")).toContainText(productName);
  await addAddress(page, opts.address);
  const goodsFen = Number(await page.getByTestId("checkout-goods").getAttribute("data-fen"));
  expect(goodsFen).toBeGreaterThan(0);
  await page.getByRole("button", { name: "提交订单" }).click();

  await expect(page).toHaveURL(/\/pay\/sandbox\//);
  await expect(page.getByTestId("cashier-merchant")).toHaveText("裂变商城");
  const orderNo = (await page.getByTestId("cashier-order-no").textContent())!.trim();
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\/result$/);
  await expect(page.getByTestId("pay-result")).toHaveText("支付成功", { timeout: 20_000 });
  return { orderNo, goodsFen };
}

test("B signs up through A's link and buys: A earns 10% (待确认) and A's 推三返一 task counts B", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const baseURL = testInfo.project.use.baseURL;
  // A and B are on different phones (browser contexts): a sign-up on the sponsor's own device is refused as
  // shared_device (SPEC §2, §8) and binds to nobody.
  const ctxA = await browser.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  const page = await ctxA.newPage();
  try {
    await referAndBuy(page, browser, baseURL, testInfo);
  } finally {
    await ctxA.close();
  }
});

async function referAndBuy(page: Page, browser: Browser, baseURL: string | undefined, testInfo: TestInfo) {

  // A signs in and reads their code and share link.
  const phoneA = randomPhone();
  await signInWithSms(page, phoneA, "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  const nameA = maskDisplayName(await myDisplayName(page));
  expect(code).toMatch(/^\w+$/);
  const link = (await page.getByTestId("share-link").textContent())!.trim();
  expect(link).toMatch(new RegExp(`/r/${code}$`));
  await expect(page.getByTestId("rebate-task")).toHaveCount(0);

  // A pays an order of their own first: it opens A's task (SPEC §5), before B's order is paid.
  // A and B ship to different addresses: an order to an address the buyer's sponsor has ordered to is
  // flagged as shared_address (SPEC §8) and B's commission would show 审核中 (ON_HOLD) instead.
  const orderA = await buyThroughUi(page, {
    nth: 0,
    via: "buyNow",
    address: { name: "张三", phone: "13911112222", region: ["浙江省", "杭州市", "西湖区"], detail: "文三路 100 号 3 幢 501 室" },
  });
  await page.goto("/promote");
  const card = page.getByTestId("rebate-task").first();
  await expect(card).toContainText(orderA.orderNo);
  await expect(card.getByTestId("task-label")).toHaveText("进行中");
  await expect(card.getByTestId("task-progress")).toHaveText("0/3");
  await expect(card.getByTestId("task-missing")).toHaveText("还差 3 人");
  await page.goto("/promote?tab=commissions");
  await expect(page.getByTestId("commission-row")).toHaveCount(0); // the buyer never earns on their own order

  // B opens A's link on their own phone and signs up by SMS: the landing cookie binds B to A.
  const ctxB = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  try {
    const b = await ctxB.newPage();
    await b.goto(link.slice(link.indexOf("/r/")));
    await expect(b.getByTestId("inviter")).toBeVisible();
    await signInWithSms(b, randomPhone(), "/me");
    await expect(b).toHaveURL(/\/me$/);
    await expect(b.getByTestId("sponsor")).toHaveText(nameA);

    // B buys through the cart, pays in the sandbox cashier, and sees 支付成功.
    const orderB = await buyThroughUi(b, {
      nth: 1,
      via: "cart",
      address: { name: "李四", phone: "13822223333", region: ["广东省", "深圳市", "南山区"], detail: "科技园南路 8 号 12 楼" },
    });
    await b.screenshot({ path: testInfo.outputPath("b-pay-result.png"), fullPage: true });
    await b.goto("/orders?tab=unshipped");
    const orderCard = b.locator(`[data-testid="order-card"][data-order-no="${orderB.orderNo}"]`);
    await expect(orderCard.getByTestId("order-status")).toHaveAttribute("data-status", "PAID");

    // A reloads /promote: the L1 commission on B's order, 10% of its goods amount, 待确认 (PENDING).
    await page.goto("/promote?tab=commissions");
    const commissions = page.getByTestId("commission-row");
    await expect(commissions).toHaveCount(1);
    const row = commissions.filter({ hasText: orderB.orderNo });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("一级");
    await expect(row).toContainText("待确认");
    const amountText = (await row.locator(".font-semibold").textContent())!;
    expect(amountText.startsWith("+")).toBe(true);
    expect(fen(amountText)).toBe(Math.floor((orderB.goodsFen * 1000) / 10_000));

    // …and A's task counts B: 1/3, "还差 2 人", still 进行中, with B (masked) as the invitee.
    await page.goto("/promote?tab=tasks");
    const task = page.getByTestId("rebate-task").filter({ hasText: orderA.orderNo });
    await expect(task.getByTestId("task-progress")).toHaveText("1/3");
    await expect(task.getByTestId("task-missing")).toHaveText("还差 2 人");
    await expect(task.getByTestId("task-label")).toHaveText("进行中");
    await expect(task.getByTestId("task-invitees").locator("li")).toHaveCount(1);
    await expect(task.getByTestId("task-invitees")).toContainText("首单已付款");
    await page.goto("/promote?tab=team");
    await expect(page.getByTestId("team-direct")).toHaveText("1");
    await page.screenshot({ path: testInfo.outputPath("a-promote.png"), fullPage: true });
  } finally {
    await ctxB.close();
  }
}
