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

/** The signed-in shopper's display name as 我的 shows it (sign-up gives a generated one, e.g. 快乐熊猫); read in a second tab. */
export async function myDisplayName(page: Page): Promise<string> {
  const me = await page.context().newPage();
  try {
    await me.goto("/me");
    return (await me.getByTestId("me-nickname").textContent())!.trim();
  } finally {
    await me.close();
  }
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
  await completeSmsSignIn(page, phone);
}

/** Fills the login page the shopper is on (e.g. reached through "接受邀请") with an SMS code from the dev outbox. */
export async function completeSmsSignIn(page: Page, phone: string) {
  await page.getByPlaceholder("请输入手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible();
  const code = await readCodeFromOutbox(page, phone);
  await page.getByPlaceholder("6 位验证码").fill(code);
  await page.getByRole("button", { name: "登录 / 注册" }).click();
}

/** A fresh staff account of `role` (test hook: known password, TOTP enrolled unless totp: false). */
export async function createStaff(page: Page, role: "owner" | "operator" | "finance" | "risk" | "support", opts: { totp?: boolean } = {}) {
  const res = await page.request.post("/api/test/staff", { data: { role, totp: opts.totp ?? true }, headers: testDoorHeaders() });
  expect(res.ok()).toBe(true);
  return (await res.json()) as { id: number; username: string; password: string; totpSecret: string | null };
}

/** Signs a staff account in at /merchant/login: password, then the TOTP code when asked. */
export async function staffSignIn(page: Page, account: { username: string; password: string; totpSecret: string | null }, next = "/merchant") {
  await page.goto(`/merchant/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("用户名").fill(account.username);
  await page.getByLabel("密码").fill(account.password);
  await page.getByRole("button", { name: "登录" }).click();
  if (account.totpSecret) {
    await expect(page.getByLabel("两步验证码")).toBeVisible();
    await page.getByLabel("两步验证码").fill(await totpCode(account.totpSecret));
    await page.getByRole("button", { name: "登录" }).click();
  }
  // The sign-in action redirects when the session is set: going on before that reads the sign-in page.
  await page.waitForURL((u) => !u.pathname.startsWith("/merchant/login"));
}

/** The current TOTP code of a secret (what the authenticator app would show). */
export async function totpCode(secret: string): Promise<string> {
  const { generate } = await import("otplib");
  return generate({ secret });
}

/** Chooses 省/市/区 in the address form's picker (e.g. ["浙江省", "杭州市", "西湖区"]). */
export async function pickRegion(page: Page, names: [string, string, string], sheetName = "请选择省/市/区") {
  await page.getByTestId("region-picker").click();
  const sheet = page.getByRole("dialog", { name: sheetName });
  for (const name of names) await sheet.getByRole("button", { name, exact: true }).click();
  await expect(sheet).toHaveCount(0);
  await expect(page.getByTestId("region-picker")).toContainText(names[2]);
}

/** Fills the shipping-address form (checkout or 我的 → 收货地址) and saves it. */
export async function fillAddressForm(page: Page, a: { name: string; phone: string; region: [string, string, string]; detail: string }) {
  await page.getByLabel("收货人").fill(a.name);
  await page.getByLabel("手机号").fill(a.phone);
  await pickRegion(page, a.region);
  await page.getByLabel("详细地址").fill(a.detail);
  await page.getByRole("button", { name: "保存地址" }).click();
}

/** A SKU's exact stock as the product page carries it (shoppers read it in words: 有货 / 仅剩少量 / 已售罄). */
export async function productStock(page: Page): Promise<number> {
  const raw = await page.getByTestId("product-stock").getAttribute("data-stock");
  if (raw === null || !/^\d+$/.test(raw)) throw new Error(`no stock on the product page (${raw})`);
  return Number(raw);
}
