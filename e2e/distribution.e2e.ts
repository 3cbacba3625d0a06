// 分销资格 and 阶梯奖励 on the promotion centre (SPEC §4, §7), end to end: under `spend` mode A is told
// how much more to spend, B (A's direct) buys and completes, A sees this month's direct sales and the
// next bracket, A qualifies with one more order (notified), appears on the leaderboard with their own
// rank, and on the 1st A's stepped bonus is paid and notified.
//
// The rules are set through the test-only POST /api/test/config (FM_TEST_CLOCK=1) and restored at the
// end; orders go through the test-only seeding route like promote.e2e.ts.
import { devices, expect, test, type APIRequestContext } from "@playwright/test";
import { createStaff, randomPhone, signInWithSms, staffSignIn, testDoorHeaders } from "./helpers";

const DAY = 86_400_000;

async function setRules(request: APIRequestContext, patch: object) {
  const res = await request.post("/api/test/config", { data: patch });
  expect(res.status(), await res.text()).toBe(200);
}

async function buy(request: APIRequestContext) {
  const res = await request.post("/api/test/orders", { data: { action: "buy" } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { orderId: number; goodsFen: number; payment: string };
  expect(body.payment).toBe("paid");
  return body;
}

async function clock(request: APIRequestContext, advanceMs = 0): Promise<Date> {
  const res = await request.post("/api/test/clock", { data: { advanceMs } });
  expect(res.status(), await res.text()).toBe(200);
  return new Date(((await res.json()) as { now: string }).now);
}

/** 00:00 Asia/Shanghai on the 1st of the month after `t`. */
function nextMonthStartShanghai(t: Date): Date {
  const local = new Date(t.getTime() + 8 * 3600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - 8 * 3600_000);
}

/** An amount as the shop shows money everywhere (wallet, notices, /promote): grouped by commas, with cents ("1,234.50"). */
const yuan = (fen: number) => `${String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${String(fen % 100).padStart(2, "0")}`;

test("a member learns how to become a distributor, qualifies, climbs the leaderboard and is paid the stepped bonus", async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  const baseURL = testInfo.project.use.baseURL;
  const rulesBefore = await (await page.request.post("/api/test/config", { data: {} })).json();
  try {
    // Everything up to B's completion stays inside one month: with fewer than 9 days left, start on the 1st.
    let now = await clock(page.request);
    if (nextMonthStartShanghai(now).getTime() - now.getTime() < 9 * DAY) now = await clock(page.request, nextMonthStartShanghai(now).getTime() - now.getTime() + 60_000);
    // Spend mode before A signs up: A is not a distributor from sign-up.
    await setRules(page.request, { commission: { distributorMode: "spend", distributorMinSpendFen: 1_000_000 } });
    const phoneA = randomPhone();
    await signInWithSms(page, phoneA, "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();

    const a1 = await buy(page.request);
    // The minimum sits 12.30 元 above what A has spent.
    await setRules(page.request, { commission: { distributorMode: "spend", distributorMinSpendFen: a1.goodsFen + 1230 } });

    // B signs up through A's link and buys; the order is delivered and completes after the return window.
    const ctx = await browser.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
    const b = await ctx.newPage();
    await b.goto(`/r/${code}`);
    await signInWithSms(b, randomPhone(), "/me");
    await expect(b).toHaveURL(/\/me$/);
    const b1 = await buy(b.request);
    const del = await b.request.post("/api/test/orders", { data: { action: "deliver", orderId: b1.orderId } });
    expect(del.status()).toBe(200);
    await ctx.close();
    await setRules(page.request, { stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: b1.goodsFen + 120_000, bps: 800 }] } });
    now = await clock(page.request, 7 * DAY + 60_000);

    await page.goto("/promote?tab=commissions");
    const card = page.getByTestId("distribution");
    await expect(card.getByTestId("distributor-badge")).toHaveText("未开通");
    await expect(card.getByTestId("distributor-remaining")).toHaveText("再消费 ¥12.30 即可成为分销员");
    await expect(card.getByTestId("step-sales")).toHaveText(`¥${yuan(b1.goodsFen)}`);
    await expect(card.getByTestId("step-next")).toHaveText("再推广 ¥1,200 奖励升至 8%");
    // Not ranked: said once, either beside other distributors or as the empty board's only message.
    await expect(card.getByTestId("leaderboard-me").or(card.getByTestId("leaderboard-empty"))).toHaveText(/^(本月暂未上榜|本月暂无分销员上榜，快去分享吧)$/);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath("distribution-not-yet.png"), fullPage: true });

    // The same card in English.
    await page.goto("/promote?tab=commissions&lang=en");
    await expect(page.getByTestId("distributor-remaining")).toHaveText("Spend ¥12.30 more to become a distributor");
    await expect(page.getByTestId("step-next")).toHaveText("Promote ¥1,200 more to raise the bonus to 8%");
    await page.goto("/promote?tab=commissions&lang=zh-CN");

    // One more order reaches the minimum: A is a distributor, told so, and ranked this month.
    await buy(page.request);
    await page.goto("/promote?tab=commissions");
    await expect(card.getByTestId("distributor-badge")).toHaveText("分销员");
    await expect(card.getByTestId("distributor-howto")).toHaveCount(0);
    const mine = card.locator('[data-testid="leaderboard-row"][data-me="1"]');
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText(`¥${yuan(b1.goodsFen)}`);
    await expect(mine).not.toContainText(phoneA.slice(0, 7));
    await expect(card.getByTestId("leaderboard-me")).toHaveText(/^我的排名：第 \d+ 名$/);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath("distribution.png"), fullPage: true });

    // The month closes: on the 1st the stepped bonus is paid (5% of B's order) and A is notified.
    now = await clock(page.request, nextMonthStartShanghai(now).getTime() - now.getTime() + 60_000);
    const bonusFen = Math.floor((b1.goodsFen * 500) / 10000);
    await page.goto("/notifications");
    await expect(page.getByTestId("notification").filter({ hasText: "您已成为分销员" })).toHaveCount(1);
    const paid = page.getByTestId("notification").filter({ hasText: "阶梯奖励到账" });
    await expect(paid).toHaveCount(1);
    await expect(paid).toContainText(`¥${Math.floor(bonusFen / 100)}.${String(bonusFen % 100).padStart(2, "0")}`);
    await page.screenshot({ path: testInfo.outputPath("notifications.png"), fullPage: true });
    await page.goto("/promote?tab=commissions");
    await expect(page.getByTestId("step-paid")).toContainText(`+¥${yuan(bonusFen)}`);
  } finally {
    // Later test files see the seeded rules again.
    const res = await page.request.post("/api/test/config", {
      data: { commission: rulesBefore.config.commission, stepBonus: rulesBefore.config.stepBonus },
    });
    expect(res.status()).toBe(200);
  }
});

// SPEC §4 分销资格: the shop stops a member's distributor status in the back office (停用分销资格). Opening 推广, the member is
// told at once, above the share link: 分销资格已停用, no commission on friends' and team's orders and no stepped bonus
// while stopped, the link and 推三返一 still work, ask the shop. The link stays usable; the 分销员 card says 已停用.
test("a member whose distributor status the shop stopped is told so at the top of the promotion centre and can still share", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL;
  const phone = randomPhone();
  await signInWithSms(page, phone, "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  await expect(page.getByTestId("share-link")).toBeVisible();
  await expect(page.getByTestId("promote-distributor-stopped")).toHaveCount(0);

  // The owner stops it from the member's page, as merchant-members.e2e.ts does.
  const staffCtx = await browser.newContext({ ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL, extraHTTPHeaders: testDoorHeaders() });
  try {
    const b = await staffCtx.newPage();
    await staffSignIn(b, await createStaff(b, "owner"), "/merchant/members");
    await b.goto(`/merchant/members?q=${phone}`);
    await expect(b.getByTestId("member-link")).toHaveCount(1);
    await b.getByTestId("member-link").click();
    await expect(b).toHaveURL(/\/merchant\/members\/\d+$/);
    await b.getByTestId("distributor-toggle").click();
    const disable = b.getByRole("dialog", { name: "停用分销资格" });
    await disable.getByLabel("原因（必填，将写入操作日志）").fill("e2e 违规推广");
    await disable.getByRole("button", { name: "停用分销资格" }).click();
    await expect(b.getByTestId("distributor-toggle")).toHaveText("恢复分销资格");
  } finally {
    await staffCtx.close();
  }

  await page.goto("/promote");
  const notice = page.getByTestId("promote-distributor-stopped");
  // On the first screen, before the share link.
  await expect(notice).toBeInViewport();
  await expect(notice.getByRole("heading")).toHaveText("分销资格已停用");
  await expect(notice).toContainText("停用期间，好友和团队的新订单不为你产生佣金，也不能获得阶梯奖励");
  await expect(notice).toContainText("邀请链接、二维码和海报照常可用");
  await expect(notice).toContainText("推三返一返现也照常计算");
  await expect(notice).toContainText("如有疑问，请联系商家");
  await expect(notice).not.toContainText(/暂停|取消/);
  const noticeBox = (await notice.boundingBox())!;
  const linkBox = (await page.getByTestId("share-link").boundingBox())!;
  expect(noticeBox.y + noticeBox.height).toBeLessThanOrEqual(linkBox.y);
  // What still works stays usable: the link, the poster, the invitees, the 推三返一 tasks.
  await expect(page.getByTestId("share-link")).toBeVisible();
  await expect(page.getByRole("link", { name: "分享海报" })).toBeVisible();
  await expect(page.getByTestId("invitees-link")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("promote-stopped.png") });

  await page.goto("/promote?tab=commissions");
  await expect(page.getByTestId("distributor-badge")).toHaveText("已停用");
  await expect(page.getByTestId("distributor-suspended")).toContainText("分销资格已停用，如有疑问请联系商家");
  await expect(page.getByTestId("commission-rates-stopped")).toHaveText("分销资格停用期间，好友下单不为你产生新佣金。");
  await expect(page.getByTestId("commission-rates")).toHaveCount(0);

  await page.goto("/notifications");
  await expect(page.getByTestId("notification").filter({ hasText: "分销资格已停用" })).toHaveCount(1);
});
