import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { defineConfig, devices } from "@playwright/test";
import { testDoorHeaders } from "./e2e/helpers";

// Per-run secrets. Set once in the runner process; workers inherit them (the config is re-read there).
process.env.FM_TEST_TOKEN ??= randomBytes(32).toString("hex");
process.env.FM_E2E_SANDBOX_SECRET ??= randomBytes(32).toString("hex");

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

// The WeChat and Alipay stand-ins (e2e/stand-ins.ts) and their keys, shared with the app's settings.
const rsaPem = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
process.env.E2E_WX_API_PORT ??= String(PORT + 1);
process.env.E2E_WXPAY_PORT ??= String(PORT + 2);
process.env.E2E_WX_APPID ??= `wx${randomBytes(8).toString("hex")}`;
process.env.E2E_WX_APP_SECRET ??= randomBytes(16).toString("hex");
process.env.E2E_WXPAY_MERCHANT_SERIAL ??= randomBytes(20).toString("hex").toUpperCase();
process.env.E2E_WXPAY_APIV3_KEY ??= randomBytes(16).toString("hex");
process.env.E2E_WXPAY_MERCHANT_KEY ??= rsaPem();
process.env.E2E_WXPAY_PLATFORM_KEY ??= rsaPem();
process.env.E2E_WXPAY_PLATFORM_KEY_ID ??= `PUB_KEY_ID_${randomBytes(12).toString("hex").toUpperCase()}`;
// Subscription-message templates (payment, shipment, commission, cashback) the stand-in's account has.
process.env.E2E_WX_TEMPLATES ??= ["payment", "shipment", "commission", "cashback"].map((k) => `${k}-${randomBytes(12).toString("hex")}`).join(",");
process.env.E2E_ALIPAY_PORT ??= String(PORT + 3);
process.env.E2E_ALIPAY_APPID ??= `2021${String(randomBytes(6).readUIntBE(0, 6)).padStart(12, "0").slice(0, 12)}`;
process.env.E2E_ALIPAY_APP_KEY ??= rsaPem();
process.env.E2E_ALIPAY_KEY ??= rsaPem();
const [tmplPayment, tmplShipment, tmplCommission, tmplCashback] = process.env.E2E_WX_TEMPLATES.split(",");
const wxApi = `http://127.0.0.1:${process.env.E2E_WX_API_PORT}`;
const alipayPublicKey = createPublicKey(createPrivateKey(process.env.E2E_ALIPAY_KEY)).export({ type: "spki", format: "pem" }).toString();
const platformPublicKey = createPublicKey(createPrivateKey(process.env.E2E_WXPAY_PLATFORM_KEY)).export({ type: "spki", format: "pem" }).toString();

// Debian's Chromium (apt-get install -y chromium fonts-noto-cjk); Playwright's own browser download
// needs the internet, which these machines do not have.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
const launchOptions = {
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
const MERCHANT_E2E = /merchant(-[\w-]+)?\.e2e\.ts$/;

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.e2e\.ts$/,
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    screenshot: "on",
    // The production build opens its test doors (/dev/sms, /api/test/*) only to this run's token.
    extraHTTPHeaders: testDoorHeaders(),
    // Recording a trace of every test costs CPU on each action; in CI (retries: 1) a failure is retried with one.
    trace: process.env.CI ? "on-first-retry" : "retain-on-failure",
  },
  projects: [
    {
      // The shopper H5 pages, on a phone.
      name: "mobile-chromium",
      testIgnore: MERCHANT_E2E,
      use: { ...devices["Pixel 7"], browserName: "chromium", launchOptions },
    },
    {
      // The back office (e2e/merchant.e2e.ts, e2e/merchant-*.e2e.ts), on a desktop screen.
      name: "desktop-chromium",
      testMatch: MERCHANT_E2E,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, browserName: "chromium", launchOptions },
    },
  ],
  webServer: [
    {
      command: "npx tsx e2e/stand-ins.ts",
      port: Number(process.env.E2E_ALIPAY_PORT),
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
    // A fresh embedded database each run: migrate + seed, build, then serve the production build through `npm start` as
    // deployed (its prestart checks, its Node flags, its keep-alive, and NEXT_MANUAL_SIG_HANDLE so our shutdown runs first).
    command: `rm -rf .data/e2e && npx tsx scripts/db-migrate.ts --seed && npm run build && npm start -- -p ${PORT}`,
    url: `${baseURL}/login`,
    // The build alone can take minutes on a shared, loaded machine.
    timeout: Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 900_000),
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // Every production setting server/env.ts requires, for a throwaway test deployment.
    env: {
      PGLITE_DIR: ".data/e2e",
      FM_EMBEDDED_DB: "1",
      NEXTAUTH_SECRET: "e2e-only-secret-not-for-production-0123456789",
      FIELD_ENCRYPTION_KEY: "e2e-only-field-key-not-for-production-0123456789",
      SITE_URL: baseURL,
      NEXTAUTH_URL: baseURL,
      PAYMENT_PROVIDER: "sandbox",
      PAYMENTS_SANDBOX: "1",
      SANDBOX_PAY_SECRET: process.env.FM_E2E_SANDBOX_SECRET,
      // Production build, but with the dev SMS outbox so the test can read the code at /dev/sms.
      SMS_PROVIDER: "outbox",
      DEV_OUTBOX: "1",
      // Test-only clock control (POST /api/test/clock) and order seeding (POST /api/test/orders).
      FM_TEST_CLOCK: "1",
      // Opens those doors, and only to requests carrying it (x-fm-test-token).
      FM_TEST_TOKEN: process.env.FM_TEST_TOKEN,
      NEXT_TELEMETRY_DISABLED: "1",
      // The browser connects to the server directly: no proxy's X-Forwarded-For to believe.
      TRUST_PROXY: "0",
      // WeChat sign-in, share cards and WeChat Pay JSAPI against the stand-ins (outside WeChat the sandbox pays).
      WECHAT_LOGIN: "1",
      WECHAT_APPID: process.env.E2E_WX_APPID,
      WECHAT_APP_SECRET: process.env.E2E_WX_APP_SECRET,
      WECHAT_OAUTH_BASE: wxApi,
      WECHAT_API_BASE: wxApi,
      WECHAT_TEMPLATE_PAYMENT: tmplPayment,
      WECHAT_TEMPLATE_SHIPMENT: tmplShipment,
      WECHAT_TEMPLATE_COMMISSION: tmplCommission,
      WECHAT_TEMPLATE_CASHBACK: tmplCashback,
      WECHATPAY_MCHID: "1900000109",
      WECHATPAY_APPID: process.env.E2E_WX_APPID,
      WECHATPAY_MERCHANT_SERIAL: process.env.E2E_WXPAY_MERCHANT_SERIAL,
      WECHATPAY_MERCHANT_PRIVATE_KEY: process.env.E2E_WXPAY_MERCHANT_KEY,
      WECHATPAY_APIV3_KEY: process.env.E2E_WXPAY_APIV3_KEY,
      WECHATPAY_PLATFORM_PUBLIC_KEY_ID: process.env.E2E_WXPAY_PLATFORM_KEY_ID,
      WECHATPAY_PLATFORM_PUBLIC_KEY: platformPublicKey,
      WECHATPAY_BASE_URL: `http://127.0.0.1:${process.env.E2E_WXPAY_PORT}/`,
      // Alipay against its stand-in: configured for payouts (a test switches PAYOUT_PROVIDER); the cashier stays the sandbox.
      ALIPAY_APP_ID: process.env.E2E_ALIPAY_APPID,
      ALIPAY_PRIVATE_KEY: process.env.E2E_ALIPAY_APP_KEY,
      ALIPAY_PUBLIC_KEY: alipayPublicKey,
      ALIPAY_GATEWAY: `http://127.0.0.1:${process.env.E2E_ALIPAY_PORT}/gateway.do`,
    },
    },
  ],
});
