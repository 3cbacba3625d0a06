// 我的钱包: identity verification and a withdrawal with the SPEC §6 rules. The member earns the money
// for real: an invitee (signed up through the member's link) buys, the order completes and the L1
// commission settles at T+1. Orders go through the test-only seeding route (POST /api/test/orders,
// FM_TEST_CLOCK=1) while the checkout and sandbox cashier pages are not wired end to end.
import { devices, expect, test } from "@playwright/test";
import { maskedIdNumber, myDisplayName, randomIdNumber, randomPhone, signInWithSms, testDoorPost } from "./helpers";
import { maskDisplayName } from "../server/members/profile";

const DAY = 86_400_000;
// The demo seed's 李秀英 verified with this one (prisma/seed.ts): one ID number verifies one account (SPEC §6).
const DEMO_LI_ID = "310104196508120048";

function fen(text: string): number {
  const m = /(\d+)\.(\d{2})/.exec(text.replace(/,/g, ""));
  if (!m) throw new Error(`no amount in ${text}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

test("identity verification and a withdrawal, with clear errors for every rule", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const phoneA = randomPhone();
  await signInWithSms(page, phoneA, "/wallet");
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByTestId("balance-available")).toHaveText("0.00");

  // Nothing to withdraw: the identity and withdrawal forms stay folded away.
  await expect(page.getByTestId("withdraw-entry")).toContainText("暂无可提现余额");
  await expect(page.getByPlaceholder("真实姓名")).toHaveCount(0);
  await expect(page.getByLabel("提现金额")).toHaveCount(0);

  // Earn a commission: an invitee signs up through A's link and buys 5 × 268 元 (L1 10%).
  await page.goto("/promote");
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  const nameA = maskDisplayName(await myDisplayName(page));
  const ctx = await browser.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL: testInfo.project.use.baseURL });
  const b = await ctx.newPage();
  await b.goto(`/r/${code}`);
  await signInWithSms(b, randomPhone(), "/me");
  await expect(b.getByTestId("sponsor")).toHaveText(nameA);
  const nameB = maskDisplayName(await myDisplayName(b));
  const order = await testDoorPost(b.request, "/api/test/orders", { action: "buy", sku: "tea-longjing", qty: 5 });
  await testDoorPost(b.request, "/api/test/orders", { action: "deliver", orderId: order.orderId });
  await ctx.close();

  await page.goto("/wallet");
  const pending = fen((await page.getByTestId("balance-pending").textContent())!);
  expect(pending).toBeGreaterThanOrEqual(10_000);
  // The pending commission with the day it is expected (the order is delivered: completion + T+1).
  const expected = page.getByTestId("expected-row").filter({ hasText: "佣金" });
  await expect(expected).toHaveCount(1);
  await expect(expected.getByTestId("expected-when")).toHaveText(/^预计\d{1,2}月\d{1,2}日到账$/);
  await page.screenshot({ path: testInfo.outputPath("wallet-expected.png"), fullPage: true });
  // The return window closes (COMPLETED → commission CONFIRMED), then T+1 settles it.
  await testDoorPost(page.request, "/api/test/clock", { advanceMs: 7 * DAY + 3_600_000 });
  await testDoorPost(page.request, "/api/test/clock", { advanceMs: DAY });
  await page.reload();
  await expect(page.getByTestId("balance-available")).toHaveText(`${Math.floor(pending / 100)}.${String(pending % 100).padStart(2, "0")}`);
  await expect(page.getByTestId("balance-pending")).toHaveText("0.00");
  await expect(page.getByTestId("history")).toContainText("佣金结算");
  // Each 资金明细 line says what it was for: this commission's order and whose it was (masked, as 佣金明细 names them).
  for (const kind of ["佣金结算", "佣金入账（待结算）"]) {
    await expect(page.getByTestId("history-row").filter({ hasText: kind }).getByTestId("history-for")).toHaveText(`${nameB} 的订单 ${order.orderNo}`);
  }
  await expect(page.getByTestId("expected")).toHaveCount(0);

  // Now there is money: 去提现 opens 实名认证 first (the withdrawal form needs it).
  await page.getByRole("button", { name: "去提现" }).click();
  await expect(page.getByLabel("提现金额")).toHaveCount(0);
  // 实名认证: a bad checksum and a bad name are refused clearly; a valid one is shown masked only.
  await page.getByPlaceholder("真实姓名").fill("张三丰");
  await page.getByPlaceholder("18 位身份证号码").fill("110105194912310021");
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.getByTestId("identity-error")).toHaveText("身份证号码无效，请检查后重新输入");
  // Each member their own number: the database is shared by every spec of the run.
  const VALID_ID = randomIdNumber();
  await page.getByPlaceholder("真实姓名").fill("z");
  await page.getByPlaceholder("18 位身份证号码").fill(VALID_ID);
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.getByTestId("identity-error")).toHaveText("请输入真实姓名（2-20 个汉字）");
  await page.getByPlaceholder("真实姓名").fill("张三丰");
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.getByTestId("identity-verified")).toContainText("张*丰");
  await expect(page.getByTestId("identity-verified")).toContainText(maskedIdNumber(VALID_ID));
  expect(await page.content()).not.toContain(VALID_ID);

  const amount = page.getByLabel("提现金额");
  const submit = page.getByRole("button", { name: "申请提现" });
  const error = page.getByTestId("withdraw-error");
  await amount.fill("abc");
  await submit.click();
  await expect(error).toHaveText("请输入正确的金额，如 100 或 100.50");
  await amount.fill("50");
  await submit.click();
  await expect(error).toHaveText("单笔提现最低 ¥100.00");
  // A new amount clears the refusal of the old one at once: no stale 单笔提现最低 next to a valid 120.50.
  await amount.fill("120.50");
  await expect(error).toHaveCount(0);
  // The rules' large amounts read with thousands separators, as on the tier page.
  await expect(page.getByTestId("withdraw")).toContainText("当日累计 ¥2,000.00 以内自动审核");
  await expect(page.getByTestId("withdraw")).toContainText("当日累计 ¥50,000.00 起需两位审核人");

  // More than available is refused; 100 元 is auto-approved and paid out at once.
  await amount.fill(String(Math.floor(pending / 100) + 1));
  await submit.click();
  await expect(error).toHaveText("可提现余额不足");
  await amount.fill("100");
  await submit.click();
  await expect(page.getByTestId("withdraw-ok")).toContainText("提现 ¥100.00 已提交");
  const row = page.getByTestId("withdrawal-row").first();
  await expect(row).toContainText("¥100.00");
  await expect(row).toContainText("已到账");
  await expect(page.getByTestId("balance-withdrawn")).toHaveText("100.00");
  await expect(page.getByTestId("balance-available")).toHaveText(
    `${Math.floor((pending - 10_000) / 100)}.${String((pending - 10_000) % 100).padStart(2, "0")}`,
  );
  await page.screenshot({ path: testInfo.outputPath("wallet.png"), fullPage: true });

  // The payout is in 消息中心.
  await page.goto("/notifications");
  await expect(page.getByTestId("notification").filter({ hasText: "提现到账" })).toBeVisible();
});

test("a member with nothing to withdraw reads the same no-balance hint after verifying their identity", async ({ page }) => {
  await signInWithSms(page, randomPhone(), "/wallet");
  await expect(page).toHaveURL(/\/wallet$/);
  const entry = page.getByTestId("withdraw-entry");
  await expect(entry).toContainText("暂无可提现余额，佣金和返现结算后即可提现");
  await page.getByRole("button", { name: "先完成实名认证" }).click();
  // A number another member verified with is refused, in words the shopper can act on.
  await page.getByPlaceholder("真实姓名").fill("张三丰");
  await page.getByPlaceholder("18 位身份证号码").fill(DEMO_LI_ID);
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.getByTestId("identity-error")).toHaveText("该身份证号已用于其他账号的实名认证，如需更换账号请联系客服");
  await page.getByPlaceholder("18 位身份证号码").fill(randomIdNumber());
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.getByTestId("identity-verified")).toContainText("张*丰");
  // Verified, still ¥0.00 available: the hint, not an amount box and 申请提现 that could only be refused.
  await expect(entry).toContainText("暂无可提现余额，佣金和返现结算后即可提现");
  await expect(page.getByLabel("提现金额")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "申请提现" })).toHaveCount(0);
});
