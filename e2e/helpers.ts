import AxeBuilder from "@axe-core/playwright";
import { devices, expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

/**
 * The header that opens the production build's test doors (/dev/sms, /api/test/*): the per-run token
 * playwright.config.ts generates. Every request of the run sends it (config `extraHTTPHeaders`).
 */
export function testDoorHeaders(): Record<string, string> {
  const token = process.env.FM_TEST_TOKEN;
  return token ? { "x-fm-test-token": token } : {};
}

/** POSTs to a test door (/api/test/*) with this run's token; its JSON answer, which must be a 200. */
export async function testDoorPost(request: APIRequestContext, url: string, data: unknown) {
  const res = await request.post(url, { data, headers: testDoorHeaders() });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

const DAY_MS = 86_400_000;

/**
 * An invitee signs up through `code`'s link on a phone of their own and buys 5 × 268 元, delivered; the clock then
 * passes the 7-day return window and T+1: the sharer's L1 commission of 134 元 is available to withdraw.
 */
export async function earnSettledCommission(browser: Browser, baseURL: string | undefined, code: string) {
  const other = await browser.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  const b = await other.newPage();
  await b.goto(`/r/${code}`);
  await signInWithSms(b, randomPhone(), "/me");
  await expect(b).toHaveURL(/\/me$/);
  await expect(b.getByTestId("sponsor")).toBeVisible();
  const order = await testDoorPost(b.request, "/api/test/orders", { action: "buy", sku: "tea-longjing", qty: 5 });
  await testDoorPost(b.request, "/api/test/orders", { action: "deliver", orderId: order.orderId });
  await testDoorPost(b.request, "/api/test/clock", { advanceMs: 7 * DAY_MS + 3_600_000 });
  await testDoorPost(b.request, "/api/test/clock", { advanceMs: DAY_MS });
  await other.close();
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/**
 * A valid resident ID number (GB 11643) no other member of the run has: one ID number verifies one account (SPEC §6) and
 * every spec shares the database. 110105 (北京市朝阳区), a random birth date 1950–1999 and sequence, its check character.
 */
export function randomIdNumber(): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 18_250) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, "");
  const body = `110105${ymd}${String(1 + Math.floor(Math.random() * 999)).padStart(3, "0")}`;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + ID_CHECK[sum % 11];
}

/** How the shop shows an ID number: the first 3 and last 4 characters, 11 asterisks between. */
export const maskedIdNumber = (id: string) => `${id.slice(0, 3)}${"*".repeat(11)}${id.slice(-4)}`;

/** 实名认证 in the wallet's open withdrawal form, with a fresh valid ID number: the name shows masked (张*丰), and the number. */
export async function verifyIdentity(page: Page, realName: string, masked: string): Promise<string> {
  const idNumber = randomIdNumber();
  await page.getByPlaceholder("真实姓名").fill(realName);
  await page.getByPlaceholder("18 位身份证号码").fill(idNumber);
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.getByTestId("identity-verified")).toContainText(masked);
  await expect(page.getByTestId("identity-verified")).toContainText(maskedIdNumber(idNumber));
  return idNumber;
}

/** Withdraws 100 元 from the open wallet form: auto-approved under the day's limit, sent to the provider, 打款中. The withdrawal's row. */
export async function withdrawHundred(page: Page) {
  await page.getByLabel("提现金额").fill("100");
  await page.getByRole("button", { name: "申请提现" }).click();
  await expect(page.getByTestId("withdraw-ok")).toContainText("提现 ¥100.00 已提交");
  const row = page.getByTestId("withdrawal-row").first();
  await expect(row).toHaveAttribute("data-status", "PAYING");
  await expect(row).toContainText("打款中");
  return row;
}

/** The clock passes the payout's next ask (every 2 minutes) and the wallet reloads: the 100 元 are withdrawn. The withdrawal's row. */
export async function askPayoutAgainPaid(page: Page) {
  await testDoorPost(page.request, "/api/test/clock", { advanceMs: 3 * 60_000 });
  await page.reload();
  const paid = page.getByTestId("withdrawal-row").first();
  await expect(paid).toHaveAttribute("data-status", "PAID");
  await expect(page.getByTestId("balance-withdrawn")).toHaveText("100.00");
  return paid;
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

/** Reads the newest code sent to `phone` from the development SMS outbox (/dev/sms, read as HTML: no second tab to render). */
export async function readCodeFromOutbox(page: Page, phone: string): Promise<string> {
  const item = new RegExp(`data-phone="${masked(phone).replace(/\*/g, "\\*")}"[\\s\\S]*?data-testid="sms-body">([^<]*)<`);
  let code: string | null = null;
  await expect(async () => {
    const res = await page.request.get("/dev/sms", { headers: testDoorHeaders() });
    expect(res.status()).toBe(200);
    code = /\b(\d{6})\b/.exec(item.exec(await res.text())?.[1] ?? "")?.[1] ?? null;
    expect(code).not.toBeNull();
  }).toPass({ timeout: 20_000 }); // generous: the e2e server shares a loaded 2-core machine
  return code!;
}

/** Signs in through the UI with an SMS code from the dev outbox. */
export async function signInWithSms(page: Page, phone: string, callbackUrl = "/") {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await completeSmsSignIn(page, phone);
}

/**
 * Signs `phone` in without rendering the login page: the same requests the page makes (send the code,
 * read it from the outbox, next-auth's SMS callback), for tests whose subject is what comes after.
 */
export async function signInByRequest(page: Page, phone: string) {
  // The consent box's versions of 用户协议 and 隐私政策, as the login page names them.
  const versions = (await (await page.request.get("/api/trpc/legal.versions")).json()) as { result: { data: { json: { terms: number; privacy: number } } } };
  const consent = versions.result.data.json;
  const sent = await page.request.post("/api/trpc/auth.sendCode", { data: { json: { phone, consent } } });
  expect(sent.ok()).toBe(true);
  const code = await readCodeFromOutbox(page, phone);
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/sms", { form: { csrfToken, phone, code, consent: `${consent.terms}.${consent.privacy}`, json: "true" } });
  expect(res.ok()).toBe(true);
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { id?: string } };
  expect(session.user?.id).toBeTruthy();
}

/**
 * Types the phone on the login or bind page once the form is live: typed before hydration it is reset by React and the
 * send button stays disabled (seen on a loaded machine). The send button enabled means the form holds the phone.
 */
export async function fillPhone(page: Page, phone: string) {
  const input = page.getByPlaceholder("请输入手机号");
  await expect(async () => {
    await input.fill(phone);
    await expect(page.getByRole("button", { name: "获取验证码" })).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

/** Fills the login page the shopper is on (e.g. reached through "接受邀请") with an SMS code from the dev outbox. */
export async function completeSmsSignIn(page: Page, phone: string) {
  await fillPhone(page, phone);
  // The consent box (unticked by default): without it the code is not sent.
  await page.getByTestId("legal-consent").check();
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

/**
 * Collects what a clean page never shows: console errors (React hydration errors among them), uncaught
 * page errors, failed same-origin requests and CSP violations (the page's scripts must run under the
 * per-request nonce). Call before the first navigation; assert the list is empty at the end.
 */
export async function watchPage(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy|Refused to (execute|load|apply|connect|frame|evaluate)/i.test(m.text())) problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && new URL(r.url()).origin === new URL(r.request().frame().url() || r.url()).origin) problems.push(`${page.url()}: ${r.status()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    // A navigation or RSC prefetch cut short by the next goto is not a broken asset.
    if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? "")) problems.push(`${page.url()}: failed ${r.url()} (${r.failure()?.errorText})`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  return problems;
}

/** Waits until the page has settled: Next's client booted (its scripts ran under the CSP) and the network idle. */
export async function settled(page: Page) {
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version), undefined, { timeout: 20_000 });
  await page.waitForLoadState("networkidle");
}

/** axe-core's findings on the page as it is now (every rule, best practices included), one line each: empty when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  const path = new URL(page.url()).pathname + new URL(page.url()).search;
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${path}: [${v.impact}] ${v.id}: ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.html.slice(0, 120)).join(" | ")}`);
}

/**
 * The visible text fields (inputs, text areas, selects) that show no sign of having the focus: focused one by
 * one, neither the field nor its two nearest ancestors change outline, box shadow or border colour.
 */
export async function fieldsWithoutFocusStyle(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const look = (el: Element | null) => {
      if (!el) return "";
      const c = getComputedStyle(el);
      return [c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow, c.borderTopColor, c.borderBottomColor].join(" ");
    };
    const chain = (el: HTMLElement) => [el, el.parentElement, el.parentElement?.parentElement ?? null].map(look).join(" | ");
    const fields = [...document.querySelectorAll<HTMLElement>("input, textarea, select")].filter((el) => {
      const type = (el as HTMLInputElement).type;
      return !["hidden", "checkbox", "radio", "file", "submit", "button"].includes(type) && el.offsetParent !== null && !(el as HTMLInputElement).disabled;
    });
    const bad: string[] = [];
    for (const el of fields) {
      (document.activeElement as HTMLElement | null)?.blur();
      const before = chain(el);
      el.focus();
      if (chain(el) === before) bad.push(`${location.pathname}: ${el.outerHTML.slice(0, 120)}`);
      el.blur();
    }
    return bad;
  });
}
