// A withdrawal to WeChat 零钱 through WeChat Pay's 商家转账, inside WeChat, against the local WeChat Pay server: the
// shopper signs in with WeChat, earns a commission, verifies their identity and withdraws; WeChat holds the transfer
// until the payee accepts it, so the wallet shows 确认收款, which opens WeChat's receipt page (requestMerchantTransfer,
// here the stand-in's payee endpoint); the next query of the bill turns the withdrawal 已到账. The run's other tests pay
// withdrawals out through the sandbox: this one switches the payout provider with a test door and puts it back.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { askPayoutAgainPaid, earnSettledCommission, fillPhone, randomPhone, readCodeFromOutbox, testDoorPost, verifyIdentity, withdrawHundred } from "./helpers";
import { wechatPhone } from "./wechat-phone";

test("inside WeChat: a withdrawal to 零钱 waits for 确认收款, then arrives", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL;
  const ctx = await wechatPhone(browser, baseURL, `oE2E${randomBytes(12).toString("hex")}`);
  try {
    const page = await ctx.newPage();
    // WeChat sign-in: an unknown openid binds a phone.
    await page.goto("/login?callbackUrl=%2Fpromote");
    await expect(page.getByRole("heading", { name: "绑定手机号" })).toBeVisible();
    const phone = randomPhone();
    await fillPhone(page, phone);
    await page.getByTestId("legal-consent").check();
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByPlaceholder("6 位验证码").fill(await readCodeFromOutbox(page, phone));
    await page.getByRole("button", { name: "绑定并登录" }).click();
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();

    // An invitee buys through the shopper's link: an L1 commission of 134 元, settled at T+1 after completion.
    await earnSettledCommission(browser, baseURL, code);

    await page.goto("/wallet");
    await page.getByRole("button", { name: "去提现" }).click();
    await verifyIdentity(page, "李小满", "李*满");

    await testDoorPost(page.request, "/api/test/payouts", { provider: "wechatpay" });
    try {
      // Auto-approved and sent to WeChat, which waits for the payee.
      const row = await withdrawHundred(page);
      await expect(row.getByTestId("confirm-receipt")).toContainText("请在微信中确认收款");
      await page.screenshot({ path: testInfo.outputPath("wallet-confirm-receipt.png"), fullPage: true });
      await page.setViewportSize({ width: 320, height: 740 });
      await page.screenshot({ path: testInfo.outputPath("wallet-confirm-receipt-320.png"), fullPage: true });

      await row.getByTestId("confirm-receipt-button").click();
      await expect(row.getByTestId("confirm-receipt-done")).toHaveText("已确认收款，到账状态稍后更新");
      const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { name: string; params: Record<string, string> }[] }).__bridgeCalls);
      expect(calls.map((c) => c.name)).toEqual(["requestMerchantTransfer"]);
      expect(calls[0]!.params).toMatchObject({ mchId: "1900000109", appId: process.env.E2E_WX_APPID, package: expect.stringMatching(/\S{10,}/) });

      // The payout is asked again (every 2 minutes): WeChat says SUCCESS, the money is withdrawn.
      const paid = await askPayoutAgainPaid(page);
      await expect(paid.getByTestId("confirm-receipt")).toHaveCount(0);
    } finally {
      await testDoorPost(page.request, "/api/test/payouts", { provider: null });
    }
  } finally {
    await ctx.close();
  }
});
