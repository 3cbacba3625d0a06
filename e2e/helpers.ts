import { expect, type Page } from "@playwright/test";

/**
 * The header that opens the production build's test doors (/dev/sms, /api/test/*): the per-run token
 * playwright.config.ts generates. Every request of the run sends it (config `extraHTTPHeaders`).
 */
export function testDoorHeaders(): Record<string, string> {
  const token = process.env.FM_TEST_TOKEN;
  return token ? { "x-fm-test-token": token } : {};
}

/** A random, valid mainland mobile number (unique per run so first sign-in registers). */
export function randomPhone(): string {
  const second = "3456789"[Math.floor(Math.random() * 7)];
  let rest = "";
  for (let i = 0; i < 9; i++) rest += Math.floor(Math.random() * 10);
  return `1${second}${rest}`;
}

export function masked(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** Reads the newest code sent to `phone` from the development SMS outbox. */
export async function readCodeFromOutbox(page: Page, phone: string): Promise<string> {
  const outbox = await page.context().newPage();
  await outbox.setExtraHTTPHeaders(testDoorHeaders());
  try {
    let code: string | null = null;
    await expect(async () => {
      await outbox.goto("/dev/sms");
      const body = await outbox.locator(`[data-testid="sms-item"][data-phone="${masked(phone)}"] [data-testid="sms-body"]`).first().textContent();
      code = /\b(\d{6})\b/.exec(body ?? "")?.[1] ?? null;
      expect(code).not.toBeNull();
    }).toPass({ timeout: 20_000 }); // generous: the e2e server shares a loaded 2-core machine
    return code!;
  } finally {
    await outbox.close();
  }
}

/** Signs in through the UI with an SMS code from the dev outbox. */
export async function signInWithSms(page: Page, phone: string, callbackUrl = "/") {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByPlaceholder("请输入手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible();
  const code = await readCodeFromOutbox(page, phone);
  await page.getByPlaceholder("6 位验证码").fill(code);
  await page.getByRole("button", { name: "登录 / 注册" }).click();
}
