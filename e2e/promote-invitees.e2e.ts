// 我邀请的好友 end to end: A opens the list from the promotion centre (empty: how to invite), six friends sign up through
// A's link — one does not buy, one buys, one buys and gets a refund, one's order completes, one fills A's task, one buys
// after it is full — and A sees each of them masked, newest first, with their first order as 推三返一 counts it (and,
// for the last, why it counts for no task). Orders go through the test-only seeding route
// (POST /api/test/orders), as in promote.e2e.ts; the refund through the shopper's own 申请退款 (unshipped: at once).
import { devices, expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { myDisplayName, randomPhone, signInWithSms, testDoorHeaders } from "./helpers";
import { maskDisplayName } from "../server/members/profile";

const DAY = 86_400_000;

async function buy(request: APIRequestContext) {
  const res = await request.post("/api/test/orders", { data: { action: "buy" }, headers: testDoorHeaders() });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { orderId: number };
}

async function deliver(request: APIRequestContext, orderId: number) {
  const res = await request.post("/api/test/orders", { data: { action: "deliver", orderId }, headers: testDoorHeaders() });
  expect(res.status(), await res.text()).toBe(200);
}

/** A friend opens A's link on their own phone, signs up, and does `then`; returns their name as A sees it (masked). */
async function friend(browser: Browser, baseURL: string | undefined, code: string, then: (request: APIRequestContext, page: Page) => Promise<void>) {
  const ctx = await browser.newContext({ ...devices["Pixel 5"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  const p = await ctx.newPage();
  await p.goto(`/r/${code}`);
  await signInWithSms(p, randomPhone(), "/me");
  await expect(p).toHaveURL(/\/me$/);
  const name = maskDisplayName(await myDisplayName(p));
  await then(p.request, p);
  await ctx.close();
  return name;
}

test("A sees the friends they invited directly, masked, with each first order's status", async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  const baseURL = testInfo.project.use.baseURL;

  // Signed out, the list is behind sign-in.
  const anon = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", baseURL });
  const anonPage = await anon.newPage();
  await anonPage.goto("/promote/invitees");
  await expect(anonPage).toHaveURL(/\/login\?callbackUrl=%2Fpromote%2Finvitees$/);
  await anon.close();

  await signInWithSms(page, randomPhone(), "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  // A's own order opens a 推三返一 task the friends' first orders count for.
  await buy(page.request);

  // From the promotion centre; nobody yet: how to invite.
  await page.getByTestId("invitees-link").click();
  await expect(page).toHaveURL(/\/promote\/invitees$/);
  await expect(page.getByTestId("invitees-totals")).toHaveText("邀请 0 人，其中 0 人已下单（不含首单退款）");
  const empty = page.getByTestId("invitees-empty");
  await expect(empty).toContainText("还没有通过你的链接注册的好友");
  await expect(empty.getByRole("button", { name: "复制我的链接" })).toBeVisible();
  await expect(empty.getByRole("link", { name: "生成分享海报" })).toHaveAttribute("href", "/promote?tab=poster");
  await page.screenshot({ path: testInfo.outputPath("invitees-empty.png"), fullPage: true });

  const noOrder = await friend(browser, baseURL, code, async () => {});
  const ordered = await friend(browser, baseURL, code, async (request) => {
    await buy(request);
  });
  const refunded = await friend(browser, baseURL, code, async (request, p) => {
    const order = await buy(request);
    await p.goto(`/orders/${order.orderId}`);
    await p.getByRole("button", { name: "申请退款" }).click();
    const sheet = p.getByRole("dialog", { name: "申请退款" });
    await sheet.getByLabel("不想要了").check();
    await sheet.getByRole("button", { name: "确认退款" }).click();
    await expect(p.getByTestId("order-headline")).toHaveAttribute("data-status", "REFUNDED");
  });
  const completed = await friend(browser, baseURL, code, async (request) => {
    await deliver(request, (await buy(request)).orderId);
  });
  // A's task (n = 3) holds ordered and completed (the refunded one was removed): this third first order fills it (MET)…
  const third = await friend(browser, baseURL, code, async (request) => {
    await buy(request);
  });
  // …so this one, paid while A has no task in progress, counts for none (SPEC §5), and its row says why.
  const late = await friend(browser, baseURL, code, async (request) => {
    await buy(request);
  });
  // The return window (7 days) closes: the delivered first order completes.
  const clock = await page.request.post("/api/test/clock", { data: { advanceMs: 8 * DAY }, headers: testDoorHeaders() });
  expect(clock.status(), await clock.text()).toBe(200);

  await page.goto("/promote/invitees");
  // Six invited; five paid a first order, one of them refunded (its row says 首单已退款): four have ordered.
  await expect(page.getByTestId("invitees-totals")).toHaveText("邀请 6 人，其中 4 人已下单（不含首单退款）");
  await expect(page.getByText("好友首单付款时，你有进行中（未邀满）的推三返一任务才计入；那时没有进行中的任务或任务已邀满，就不计入任何任务。", { exact: false })).toBeVisible();
  const rows = page.getByTestId("invitee-row");
  await expect(rows).toHaveCount(6);
  // Newest first.
  const expected = [
    [late, "已下单，待完成", false, true],
    [third, "已下单，待完成", true, false],
    [completed, "已完成首单", true, false],
    [refunded, "首单已退款", false, false],
    [ordered, "已下单，待完成", true, false],
    [noOrder, "未下单", false, false],
  ] as const;
  for (const [i, [name, status, counted, noTask]] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row.getByTestId("invitee-name")).toHaveText(name);
    await expect(row.getByTestId("invitee-status")).toHaveText(status);
    await expect(row.getByTestId("invitee-counted")).toHaveCount(counted ? 1 : 0);
    await expect(row.getByTestId("invitee-not-counted")).toHaveText(noTask ? ["未计入：付款时你没有进行中的推三返一任务（或已邀满）"] : []);
    await expect(row).toContainText(/\d{4}-\d{2}-\d{2} 加入/);
    expect(name).toContain("*");
  }
  await expect(page.getByTestId("invitees-load-more")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("invitees-list.png"), fullPage: true });

  // The same list in English (the fm_lang cookie the language switch writes).
  await page.context().addCookies([{ name: "fm_lang", value: "en", url: baseURL! }]);
  await page.reload();
  await expect(page.getByTestId("invitees-totals")).toHaveText("Invited 6, 4 of them have ordered (refunded first orders not included)");
  await expect(rows.nth(3).getByTestId("invitee-status")).toHaveText("First order refunded");
  await expect(rows.nth(0).getByTestId("invitee-not-counted")).toHaveText("Not counted: when they paid, you had no Refer 3 task in progress (or it was full)");
  await page.screenshot({ path: testInfo.outputPath("invitees-list-en.png"), fullPage: true });
});
