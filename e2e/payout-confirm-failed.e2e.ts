// 确认打款失败，退回余额 in the back office's 打款对账: a shopper withdraws 100 元 to a bound Alipay login while Alipay's
// gateway is unreachable for transfers (the local stand-in answers 502, e2e/stand-ins.ts). The payout is asked again with
// backoff as the app clock moves on until it is paused after PROVIDER_MAX_ATTEMPTS (server/payments/calls.ts); before that
// finance is not offered the close, and the server refuses it. Once paused, finance confirms it: Alipay, asked, has no such
// transfer, so the withdrawal fails and the 100 元 are back in the shopper's available balance, and no later retry sends it.
import { devices, expect, test, type Locator } from "@playwright/test";
import { createStaff, earnSettledCommission, masked, randomPhone, readCodeFromOutbox, signInWithSms, staffSignIn, testDoorPost, verifyIdentity, withdrawHundred } from "./helpers";

const HOUR_MS = 3_600_000;
/** server/payments/calls.ts PROVIDER_MAX_ATTEMPTS: the withdrawal's own attempt and seven retries. */
const MAX_ATTEMPTS = 8;

/** Alipay's gateway, unreachable for transfers or back; the out_biz_no of every transfer it answered 502 meanwhile. */
async function alipayTransfersUnreachable(on: boolean): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${process.env.E2E_ALIPAY_PORT}/__alipay/transfers-unreachable`, { method: "POST", body: JSON.stringify({ on }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { refused: string[] }).refused;
}

/** "12.34" as fen. */
async function fenOf(balance: Locator): Promise<number> {
  const text = (await balance.textContent())!.trim();
  expect(text).toMatch(/^\d+\.\d{2}$/);
  return Math.round(Number(text) * 100);
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;

test("a payout Alipay never received: paused after repeated failures, then confirmed failed and the 100 元 back", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL;
  const phone = randomPhone();
  await signInWithSms(page, phone, "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  await earnSettledCommission(browser, baseURL, code);

  // Finance signs in on a desktop screen meanwhile (the step-up SMS code below waits out the sign-in code's minute).
  const office = await browser.newContext({ ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  const staff = await office.newPage();
  await staffSignIn(staff, await createStaff(staff, "finance"), "/merchant/withdrawals");

  await testDoorPost(page.request, "/api/test/payouts", { provider: "alipay" });
  try {
    await page.goto("/wallet");
    await page.getByRole("button", { name: "去提现" }).click();
    await expect(page.getByTestId("payee-destination")).toHaveText("支付宝账户");
    await verifyIdentity(page, "李小满", "李*满");
    const payee = page.getByTestId("payee");
    // An Alipay login of this run's own: one account binds one member, and e2e/alipay-withdraw.e2e.ts binds 13912345678.
    const alipayLogin = randomPhone();
    await payee.getByLabel("支付宝账号：手机号或邮箱").fill(alipayLogin);
    await expect(async () => {
      await payee.getByTestId("payee-send-code").click();
      await expect(payee.getByRole("status")).toContainText(`验证码已发送至 ${masked(phone)}`, { timeout: 2_000 });
    }).toPass({ intervals: [5_000], timeout: 75_000 });
    await payee.getByTestId("payee-code").fill(await readCodeFromOutbox(page, phone));
    await payee.getByRole("button", { name: "绑定", exact: true }).click();
    await expect(payee.getByTestId("payee-account")).toHaveText(masked(alipayLogin));
    const available = await fenOf(page.getByTestId("balance-available"));
    expect(available).toBeGreaterThanOrEqual(10_000);

    // Alipay's gateway goes down for transfers: the withdrawal is sent, the call fails, the 100 元 stay held (打款中).
    await alipayTransfersUnreachable(true);
    const row = await withdrawHundred(page);
    const payoutNo = /WD\d+/.exec((await row.textContent()) ?? "")![0];
    const withdrawalId = Number(payoutNo.slice(2));
    await expect(page.getByTestId("balance-available")).toHaveText(yuan(available - 10_000));

    // 打款对账: the failed attempt (a second one if the scheduler's 15 s sweep passed the 30 s wait meanwhile), the next
    // one after the backoff, 30 s doubling per failure; not paused, so not to be closed.
    await staff.reload();
    const reconciler = staff.getByTestId("reconciler");
    const paying = reconciler.getByTestId("paying-row").filter({ hasText: payoutNo });
    await expect(paying).toContainText("支付渠道报错：HTTP 请求错误, status: 502");
    const times = /已尝试 (\d+) 次，最近 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d).*下次重试 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/.exec((await paying.textContent()) ?? "");
    expect(times, "the row shows the attempts, the last and the next").not.toBeNull();
    const attempts = Number(times![1]);
    expect([1, 2]).toContain(attempts);
    const at = (text: string) => Date.parse(`${text.replace(" ", "T")}+08:00`);
    expect(at(times![3]!) - at(times![2]!)).toBe(attempts === 1 ? 30_000 : 60_000);
    await expect(paying.getByTestId("confirm-payout-failed")).toHaveCount(0);
    await expect(paying).not.toContainText("多次失败已暂停");
    // Asked anyway (a stale page, a script), the server refuses it and nothing changes.
    const early = await staff.request.post("/api/trpc/merchantWithdrawal.confirmPayoutFailed", { data: { json: { id: withdrawalId } } });
    expect(early.status()).toBe(400);
    const refusal = ((await early.json()) as { error: { json: { message: string; data: { domainCode: string } } } }).error.json;
    expect(refusal.message).toBe("只有打款请求多次失败已暂停的打款中提现单，才能确认打款失败");
    expect(refusal.data.domainCode).toBe("PAYOUT_NOT_DEAD");

    // Each hour passes the wait then due (the longest, after the 7th failure, is 32 minutes): an attempt per advance at
    // least, so after seven the call has failed 8 times and is paused (the scheduler's sweep may have made one sooner).
    for (let i = 1; i < MAX_ATTEMPTS; i++) await testDoorPost(page.request, "/api/test/clock", { advanceMs: HOUR_MS });
    await staff.reload();
    await expect(paying).toContainText(`已尝试 ${MAX_ATTEMPTS} 次`);
    await expect(paying).toContainText("多次失败已暂停");
    await expect(paying).toContainText("支付渠道报错：HTTP 请求错误, status: 502");
    await expect(paying).not.toContainText("下次重试");
    await reconciler.scrollIntoViewIfNeeded();
    await reconciler.screenshot({ path: testInfo.outputPath("reconciler-dead.png") });
    await staff.screenshot({ path: testInfo.outputPath("withdrawals-dead.png"), fullPage: true });
    // Every attempt went to the gateway under the payout's number and none reached Alipay; the shopper still waits.
    const refused = await alipayTransfersUnreachable(true);
    expect(refused.length).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
    expect(new Set(refused)).toEqual(new Set([payoutNo]));
    await page.reload();
    await expect(page.getByTestId("withdrawal-row").first()).toHaveAttribute("data-status", "PAYING");

    // Finance confirms: Alipay, asked under the payout number, has no such transfer; closed, the money back.
    await paying.getByTestId("confirm-payout-failed").click();
    const dialog = staff.getByRole("dialog", { name: "确认打款失败，退回余额" });
    await expect(dialog).toContainText(`将先向支付渠道查询 ${payoutNo}`);
    await dialog.getByRole("button", { name: "确定" }).click();
    await expect(reconciler.getByTestId("confirm-payout-failed-outcome")).toHaveText(`${payoutNo} 已确认打款失败，款项已退回会员可提现余额`);
    await expect(paying).toHaveCount(0);
    const listed = staff.getByTestId("merchant-withdrawal").filter({ has: staff.locator(`[data-testid="withdrawal-no"][data-id="${withdrawalId}"]`) });
    await expect(listed.locator("[data-status]")).toHaveAttribute("data-status", "FAILED");
    await expect(listed.locator("[data-status]")).toHaveText("打款失败");
    await reconciler.screenshot({ path: testInfo.outputPath("reconciler-confirmed.png") });
    await staff.screenshot({ path: testInfo.outputPath("withdrawals-confirmed.png"), fullPage: true });

    // The gateway is back and the clock moves on: the closed call is never sent again (Alipay has nothing to finish).
    await alipayTransfersUnreachable(false);
    await testDoorPost(page.request, "/api/test/clock", { advanceMs: HOUR_MS });
    const finish = await fetch(`http://127.0.0.1:${process.env.E2E_ALIPAY_PORT}/__alipay/complete-transfers`, { method: "POST" });
    expect(await finish.json()).toEqual({ completed: 0 });

    // The shopper: the withdrawal failed, and the 100 元 (and any fee) are available again.
    await page.reload();
    const failed = page.getByTestId("withdrawal-row").first();
    await expect(failed).toHaveAttribute("data-status", "FAILED");
    await expect(failed).toContainText(payoutNo);
    await expect(failed).toContainText("打款失败");
    await expect(failed).toContainText("打款未成功，款项已退回可提现余额");
    await expect(page.getByTestId("balance-available")).toHaveText(yuan(available));
    await expect(page.getByTestId("balance-withdrawing")).toHaveText("0.00");
    await expect(page.getByTestId("balance-withdrawn")).toHaveText("0.00");
    await page.screenshot({ path: testInfo.outputPath("wallet-returned.png"), fullPage: true });

    // Until the shopper asks again, the failure waits for finance (打款失败待处理); once they withdraw the returned
    // money again, it is theirs: the row says so and the to-do filter leaves it out.
    const awaiting = `/merchant/withdrawals?status=FAILED&payout=failedAwaiting&member=${phone}`;
    await staff.goto(awaiting);
    await expect(listed.locator("[data-status]")).toHaveText("打款失败");
    await page.getByRole("button", { name: "去提现" }).click();
    await withdrawHundred(page);
    await staff.goto(`/merchant/withdrawals?status=FAILED&member=${phone}`);
    await expect(listed.getByTestId("withdrawal-asked-again")).toContainText("会员已重新申请提现：");
    await listed.scrollIntoViewIfNeeded();
    await staff.screenshot({ path: testInfo.outputPath("withdrawals-asked-again.png"), fullPage: true });
    await staff.goto(awaiting);
    await expect(staff.getByText("暂无数据")).toBeVisible();
    await expect(listed).toHaveCount(0);
  } finally {
    await alipayTransfersUnreachable(false);
    await testDoorPost(page.request, "/api/test/payouts", { provider: null });
    await office.close();
  }
});
