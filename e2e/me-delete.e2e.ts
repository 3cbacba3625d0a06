// 注销账号 on a phone (PIPL's right to deletion): 我的 → 注销账号 says what is erased and what is kept, a fresh SMS
// code confirms it, the shopper is signed out everywhere and lands on the notice; the phone then signs up anew.
import { expect, test } from "@playwright/test";
import { createStaff, fillPhone, masked, randomPhone, readCodeFromOutbox, signInWithSms, staffSignIn, testDoorHeaders } from "./helpers";

test("a shopper deletes their account with an SMS code; the back office lists it as 已注销; the same phone later signs up as a new member", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const phone = randomPhone();
  await signInWithSms(page, phone, "/me");
  await expect(page).toHaveURL(/\/me$/);
  const { user } = (await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } };

  await page.getByTestId("delete-account").click();
  await expect(page).toHaveURL(/\/me\/delete$/);
  await expect(page.getByText("将被删除的信息")).toBeVisible();
  await expect(page.getByText("依法保留的记录")).toBeVisible();
  await expect(page.getByTestId("deletion-kept-phone")).toContainText("保留一年");
  // A new shopper has nothing that blocks it and nothing to forfeit.
  await expect(page.getByText("暂时不能注销")).toHaveCount(0);
  await expect(page.getByTestId("forfeit-accept")).toHaveCount(0);
  await expect(page.getByTestId("deletion-tasks")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("me-delete.png"), fullPage: true });

  // The sign-in code went to this phone moments ago: the confirmation code waits out the same 60 s limit, and the button
  // counts down the seconds the refusal named (as after a send), not tappable until then.
  const sendCode = page.getByTestId("deletion-send-code");
  await sendCode.click();
  const refusal = page.getByRole("alert").filter({ hasText: "发送太频繁" });
  await expect(refusal).toBeVisible();
  const said = Number(/请 (\d+) 秒后再试/.exec(await refusal.innerText())?.[1]);
  expect(said).toBeGreaterThan(0);
  await expect(sendCode).toBeDisabled();
  await expect(sendCode).toHaveText(/^(\d+) 秒后可重新获取/);
  expect(Number(/^(\d+)/.exec(await sendCode.innerText())?.[1])).toBeLessThanOrEqual(said);
  await page.screenshot({ path: testInfo.outputPath("me-delete-wait.png") });
  await expect(sendCode).toBeEnabled({ timeout: 90_000 });
  await expect(sendCode).toHaveText("获取验证码");
  await expect(async () => {
    await sendCode.click();
    await expect(page.getByRole("status").filter({ hasText: "验证码已发送" })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000, intervals: [10_000] });
  await expect(sendCode).toBeDisabled();
  await expect(sendCode).toHaveText(/^\d+ 秒后可重新获取/);
  // The message says what the code is for: a deletion, not a sign-in.
  const outbox = await (await page.request.get("/dev/sms", { headers: testDoorHeaders() })).text();
  expect(outbox).toContain("您正在注销账号");
  await page.getByTestId("deletion-code").fill(await readCodeFromOutbox(page, phone));
  await page.getByTestId("deletion-confirm").click();
  await expect(page).toHaveURL(/\/me\/delete\/done$/);
  await expect(page.getByTestId("account-deleted")).toContainText("你的个人信息已删除");
  await page.screenshot({ path: testInfo.outputPath("me-deleted.png"), fullPage: true });

  // The back office (a desk-sized window) lists the account under 已注销, its personal data gone, its id kept.
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: testDoorHeaders() });
  const staff = await desk.newPage();
  await staffSignIn(staff, await createStaff(staff, "owner"));
  await staff.goto("/merchant/members?frozen=deleted");
  const row = staff.getByRole("row").filter({ hasText: `#${user.id}` });
  await expect(row).toContainText("已注销");
  await expect(row).toContainText("已注销用户");
  await expect(row).not.toContainText(masked(phone));
  await staff.screenshot({ path: testInfo.outputPath("merchant-members-deleted.png") });
  await desk.close();

  // Signed out: 我的 asks to sign in again; the same phone signs up as a brand-new member.
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login/);
  await fillPhone(page, phone);
  await page.getByTestId("legal-consent").check();
  // The deletion erased the phone's code records, so the per-phone limit should not hold the new sign-in code; retried anyway.
  await expect(async () => {
    await page.getByRole("button", { name: "获取验证码" }).click();
    await expect(page.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 90_000, intervals: [10_000] });
  await page.getByPlaceholder("6 位验证码").fill(await readCodeFromOutbox(page, phone));
  await page.getByRole("button", { name: "登录 / 注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me-nickname")).toBeVisible();
  await expect(page.getByTestId("sponsor")).toHaveText("无");
});
