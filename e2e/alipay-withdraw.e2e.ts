// A withdrawal to an Alipay account against the local Alipay gateway (e2e/stand-ins.ts): the shopper earns a commission,
// verifies their identity, binds the Alipay login payouts go to (a step-up SMS code to the account's own phone) and
// withdraws; Alipay is dealing with the transfer (打款中) until it finishes it, and the next ask of the payout turns the
// withdrawal 已到账. The run's other tests pay withdrawals out through the sandbox: this one switches the payout provider
// with a test door and puts it back.
import { expect, test } from "@playwright/test";
import { askPayoutAgainPaid, earnSettledCommission, randomPhone, readCodeFromOutbox, signInWithSms, testDoorPost, verifyIdentity, withdrawHundred } from "./helpers";

test("a withdrawal to a bound Alipay login: the SMS code, 打款中, then 已到账", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL;
  const phone = randomPhone();
  await signInWithSms(page, phone, "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();

  // An invitee buys through the shopper's link: an L1 commission of 134 元, settled at T+1 after completion.
  await earnSettledCommission(browser, baseURL, code);

  await testDoorPost(page.request, "/api/test/payouts", { provider: "alipay" });
  try {
    await page.goto("/wallet");
    await page.getByRole("button", { name: "去提现" }).click();
    await expect(page.getByTestId("payee-destination")).toHaveText("支付宝账户");
    await verifyIdentity(page, "李小满", "李*满");

    // No Alipay login yet: 申请提现 would be refused (PAYEE_MISSING), so the wallet asks for one first.
    const payee = page.getByTestId("payee");
    await payee.getByLabel("短信验证码").fill("123456");
    await payee.getByRole("button", { name: "绑定", exact: true }).click();
    await expect(payee.getByTestId("payee-error")).toHaveText("请填写支付宝登录账号：11 位手机号或邮箱地址");
    await payee.getByLabel("支付宝账号：手机号或邮箱").fill("13912345678");
    // The sign-in code went to this phone moments ago: one code a minute per phone, whatever it is for.
    await payee.getByTestId("payee-send-code").click();
    await expect(payee.getByTestId("payee-error")).toHaveText(/^发送太频繁，请 \d+ 秒后再试$/);
    await expect(async () => {
      await payee.getByTestId("payee-send-code").click();
      await expect(payee.getByRole("status")).toContainText(`验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(7)}`, { timeout: 2_000 });
    }).toPass({ intervals: [5_000], timeout: 75_000 });
    await expect(payee.getByTestId("payee-send-code")).toBeDisabled();
    // A wrong code binds nothing.
    await payee.getByTestId("payee-code").fill("000000");
    await payee.getByRole("button", { name: "绑定", exact: true }).click();
    await expect(payee.getByTestId("payee-error")).toBeVisible();
    await expect(payee.getByTestId("payee-account")).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("wallet-alipay-bind.png"), fullPage: true });
    await payee.getByTestId("payee-code").fill(await readCodeFromOutbox(page, phone));
    await payee.getByRole("button", { name: "绑定", exact: true }).click();
    await expect(payee.getByTestId("payee-account")).toHaveText("139****5678");

    // Auto-approved and sent to Alipay, which is still dealing with it.
    await withdrawHundred(page);
    await page.screenshot({ path: testInfo.outputPath("wallet-alipay-paying.png"), fullPage: true });

    // Alipay finishes the transfer; the payout is asked again (every 2 minutes) and the money is withdrawn.
    const done = await fetch(`http://127.0.0.1:${process.env.E2E_ALIPAY_PORT}/__alipay/complete-transfers`, { method: "POST" });
    expect(await done.json()).toEqual({ completed: 1 });
    await askPayoutAgainPaid(page);
    await page.screenshot({ path: testInfo.outputPath("wallet-alipay-paid.png"), fullPage: true });
  } finally {
    await testDoorPost(page.request, "/api/test/payouts", { provider: null });
  }
});
