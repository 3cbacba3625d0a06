// Runs after the other shopper files (files run in name order): it saves a new 隐私政策, which every later
// sign-in must accept (the helpers read the versions in force).
// 用户协议 / 隐私政策 end to end: the login page's consent box links both documents; the owner saves a new
// version of the privacy policy at a desk; shoppers read it, and a login page opened before the save is refused
// until reloaded; a fresh sign-in accepts the new version.
import { devices, expect, test } from "@playwright/test";
import { completeSmsSignIn, createStaff, fillPhone, randomPhone, staffSignIn } from "./helpers";

test("the consent box links both documents; an owner's new 隐私政策 is shown and must be accepted again", async ({ browser, page }, testInfo) => {
  test.setTimeout(180_000);

  // The shopper's login page: the box is unticked; its link opens the privacy policy (the app's default text).
  await page.goto("/login");
  await expect(page.getByTestId("legal-consent")).not.toBeChecked();
  await page.screenshot({ path: testInfo.outputPath("login-consent.png"), fullPage: true });
  await page.goto("/legal/privacy");
  const policy = page.getByTestId("legal-document");
  await expect(policy).toContainText("手机号");
  await expect(policy).toContainText("设备");
  const before = Number(await policy.getAttribute("data-version"));
  await page.screenshot({ path: testInfo.outputPath("privacy-default.png"), fullPage: true });

  // A login page opened now, before the owner's change, names the version in force.
  const stale = await browser.newPage({ ...devices["Pixel 7"], baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  await stale.goto("/login");
  await fillPhone(stale, randomPhone());
  await stale.getByTestId("legal-consent").check();

  // The owner, at a desk, adds the shop's contact to the privacy policy: a new version.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const owner = await context.newPage();
  await staffSignIn(owner, await createStaff(owner, "owner", { totp: true }), "/merchant/legal");
  await expect(owner).toHaveURL(/\/merchant\/legal$/);
  const editor = owner.getByTestId("legal-editor-privacy");
  const contact = `客服电话：400-800-${String(Date.now() % 10000).padStart(4, "0")}`;
  const field = editor.getByRole("textbox");
  await field.fill(`${await field.inputValue()}\n\n${contact}\n`);
  await editor.getByRole("button", { name: "保存为新版本" }).click();
  await expect(editor.getByTestId("legal-saved-privacy-zh-CN")).toHaveText(`已保存为第 ${before + 1} 版`);
  await expect(editor).toContainText("本店文本");
  await owner.screenshot({ path: testInfo.outputPath("merchant-legal.png"), fullPage: true });
  // The English text is edited on its own tab: none saved yet, so English shoppers are told the Chinese text applies.
  await editor.getByTestId("legal-lang-privacy-en").click();
  await expect(editor.getByTestId("legal-form-privacy-en")).toBeVisible();
  await owner.screenshot({ path: testInfo.outputPath("merchant-legal-en.png"), fullPage: true });
  await context.close();

  // Shoppers read the new version.
  await page.goto("/legal/privacy");
  await expect(policy).toContainText(contact);
  await expect(policy).toHaveAttribute("data-version", String(before + 1));
  await page.screenshot({ path: testInfo.outputPath("privacy-v2.png"), fullPage: true });

  // The page opened before the change agreed to the old version: refused until reloaded.
  await stale.getByRole("button", { name: "获取验证码" }).click();
  await expect(stale.getByRole("alert").filter({ hasText: "已更新" })).toBeVisible();
  await stale.close();

  // A fresh sign-in accepts the new version.
  await page.goto("/login?callbackUrl=%2Fme");
  await completeSmsSignIn(page, randomPhone());
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("link", { name: "《隐私政策》" })).toBeVisible();
});
