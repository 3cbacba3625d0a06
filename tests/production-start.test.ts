// Production start (issue 8): one message listing every missing setting, from the prestart script and
// from instrumentation.ts (so `next start` by hand cannot skip it); test doors and the sandbox closed
// in production unless explicitly opened; server-to-server URLs from SITE_URL only.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Env, EnvError, enforceProductionEnv, productionEnvProblems, productionWarnings, serverOrigin } from "../server/env";
import { testDoorOpen, TEST_TOKEN_HEADER } from "../server/test-doors";
import { sandboxAllowed, signSandbox } from "../server/payments/sandbox";
import { getProvider } from "../server/payments";
import { devOutboxEnabled } from "../server/sms";

const TOKEN = "t".repeat(40);
/** A complete, valid production configuration (a demo deployment on the sandbox). */
const GOOD: Env = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "s".repeat(40),
  FIELD_ENCRYPTION_KEY: "k".repeat(40),
  SITE_URL: "https://shop.example.com",
  DATABASE_URL: "postgresql://app:pw@db:5432/mall",
  PAYMENT_PROVIDER: "sandbox",
  PAYMENTS_SANDBOX: "1",
  SANDBOX_PAY_SECRET: "p".repeat(40),
  SMS_PROVIDER: "outbox",
  DEV_OUTBOX: "1",
  FM_TEST_TOKEN: TOKEN,
  TRUST_PROXY: "1",
};
const REQUIRED = ["NEXTAUTH_SECRET", "FIELD_ENCRYPTION_KEY", "SITE_URL", "DATABASE_URL", "PAYMENT_PROVIDER", "SMS_PROVIDER"];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("production settings (server/env.ts)", () => {
  it("lists every missing required setting in one message", () => {
    const problems = productionEnvProblems({ NODE_ENV: "production" });
    for (const name of REQUIRED) expect(problems.some((p) => p.startsWith(`${name}: missing`))).toBe(true);
    let error: unknown;
    try {
      enforceProductionEnv({ NODE_ENV: "production" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    for (const name of REQUIRED) expect(message).toContain(`- ${name}: missing`);
    expect(message).toContain("Deploy to production");
  });

  it("accepts a complete configuration and warns loudly about the sandbox", () => {
    expect(productionEnvProblems(GOOD)).toEqual([]);
    expect(productionWarnings(GOOD).join("\n")).toMatch(/PAYMENTS_SANDBOX=1.*SANDBOX payment provider is on/);
    // Empty values count as missing.
    expect(productionEnvProblems({ ...GOOD, NEXTAUTH_SECRET: "" })[0]).toMatch(/^NEXTAUTH_SECRET: missing/);
  });

  it("refuses unsafe values", () => {
    const problem = (over: Env) => productionEnvProblems({ ...GOOD, ...over }).join("\n");
    expect(problem({ PAYMENTS_SANDBOX: undefined })).toMatch(/^PAYMENTS_SANDBOX: /m);
    expect(problem({ SANDBOX_PAY_SECRET: undefined })).toMatch(/^SANDBOX_PAY_SECRET: missing/m);
    expect(problem({ FM_TEST_TOKEN: undefined })).toMatch(/^SMS_PROVIDER: the outbox/m);
    expect(problem({ FM_TEST_TOKEN: undefined, SMS_PROVIDER: undefined, FM_TEST_CLOCK: "1" })).toMatch(/^FM_TEST_CLOCK: /m);
    expect(problem({ SITE_URL: "http://shop.example.com" })).toMatch(/^SITE_URL: must be https/m);
    expect(problem({ SITE_URL: "http://127.0.0.1:3100" })).toBe("");
    expect(problem({ NEXTAUTH_SECRET: "short" })).toMatch(/^NEXTAUTH_SECRET: too short/m);
    expect(problem({ FIELD_ENCRYPTION_KEY: GOOD.NEXTAUTH_SECRET })).toMatch(/^FIELD_ENCRYPTION_KEY: must differ/m);
    expect(problem({ DATABASE_URL: undefined })).toMatch(/^DATABASE_URL: missing/m);
    expect(problem({ DATABASE_URL: undefined, FM_EMBEDDED_DB: "1" })).toBe("");
    expect(problem({ PAYMENT_PROVIDER: "paypal" })).toMatch(/^PAYMENT_PROVIDER: unknown provider/m);
    expect(problem({ INNGEST_DEV: "1" })).toMatch(/^INNGEST_DEV: /m);
    expect(problem({ INNGEST_EVENT_KEY: "x" })).toMatch(/^INNGEST_SIGNING_KEY: /m);
    expect(problem({ TRUST_PROXY: "yes" })).toMatch(/^TRUST_PROXY: /m);
    expect(problem({ NEXTAUTH_URL: "https://evil.example.com" })).toMatch(/^NEXTAUTH_URL: /m);
  });

  it("WeChat Pay: every setting it needs is named, keys must parse, the APIv3 key must be 32 bytes", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const wxp: Env = {
      ...GOOD,
      PAYMENT_PROVIDER: "wechatpay",
      PAYMENTS_SANDBOX: undefined,
      SANDBOX_PAY_SECRET: undefined,
      WECHATPAY_MCHID: "1900000109",
      WECHATPAY_APPID: "wxd678efh567hg6787",
      WECHATPAY_MERCHANT_SERIAL: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      // One-line PEM with literal \n, as env files often carry it.
      WECHATPAY_MERCHANT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString().replace(/\n/g, "\\n"),
      WECHATPAY_APIV3_KEY: "a".repeat(32),
      WECHATPAY_PLATFORM_PUBLIC_KEY_ID: "PUB_KEY_ID_0119000001092025000000000001",
      WECHATPAY_PLATFORM_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    expect(productionEnvProblems(wxp)).toEqual([]);
    const names = productionEnvProblems({ ...GOOD, PAYMENT_PROVIDER: "wechatpay" }).map((p) => p.split(":")[0]);
    expect(names).toEqual(expect.arrayContaining(["WECHATPAY_MCHID", "WECHATPAY_APPID", "WECHATPAY_MERCHANT_SERIAL", "WECHATPAY_MERCHANT_PRIVATE_KEY", "WECHATPAY_APIV3_KEY", "WECHATPAY_PLATFORM_PUBLIC_KEY"]));
    const problem = (over: Env) => productionEnvProblems({ ...wxp, ...over }).join("\n");
    expect(problem({ WECHATPAY_APIV3_KEY: "short" })).toMatch(/^WECHATPAY_APIV3_KEY: must be exactly 32 bytes/m);
    expect(problem({ WECHATPAY_MERCHANT_PRIVATE_KEY: "/no/such/apiclient_key.pem" })).toMatch(/^WECHATPAY_MERCHANT_PRIVATE_KEY: missing or unreadable/m);
    expect(problem({ WECHATPAY_PLATFORM_PUBLIC_KEY_ID: undefined })).toMatch(/^WECHATPAY_PLATFORM_PUBLIC_KEY: /m);
    expect(problem({ PAYOUT_PROVIDER: "paypal" })).toMatch(/^PAYOUT_PROVIDER: unknown provider/m);
    expect(problem({ WECHAT_APPID: "wx1234567890abcdef" })).toMatch(/^WECHAT_APP_SECRET: /m);
    // Configured for JSAPI only (the sandbox elsewhere) is still checked.
    expect(productionEnvProblems({ ...GOOD, WECHATPAY_MCHID: "1900000109" }).join("\n")).toMatch(/^WECHATPAY_APPID: missing/m);
  });

  it("WeChat sign-in (WECHAT_LOGIN=1) needs the Official Account, one appid with JSAPI pay, and https endpoints", () => {
    const names = (over: Env) => productionEnvProblems({ ...GOOD, ...over }).map((p) => p.split(":")[0]);
    expect(names({ WECHAT_LOGIN: "1" })).toEqual(expect.arrayContaining(["WECHAT_APPID", "WECHAT_APP_SECRET"]));
    expect(names({ WECHAT_LOGIN: "1", WECHAT_APPID: "wxa", WECHAT_APP_SECRET: "s" })).toEqual([]);
    // Off: nothing required (share cards alone still need the pair, checked above).
    expect(names({})).toEqual([]);
    const mismatch = productionEnvProblems({ ...GOOD, WECHAT_LOGIN: "1", WECHAT_APPID: "wxa", WECHAT_APP_SECRET: "s", WECHATPAY_APPID: "wxb" }).join("\n");
    expect(mismatch).toMatch(/^WECHATPAY_APPID: must equal WECHAT_APPID/m);
    expect(names({ WECHAT_LOGIN: "yes" })).toContain("WECHAT_LOGIN");
    expect(names({ WECHAT_OAUTH_BASE: "http://open.weixin.example" })).toContain("WECHAT_OAUTH_BASE");
    expect(names({ WECHAT_API_BASE: "http://127.0.0.1:4001" })).toEqual([]);
    // Subscription notifications go out through the Official Account.
    expect(names({ WECHAT_TEMPLATE_PAYMENT: "tpl" })).toEqual(["WECHAT_TEMPLATE_PAYMENT"]);
    expect(names({ WECHAT_TEMPLATE_PAYMENT: "tpl", WECHAT_APPID: "wxa", WECHAT_APP_SECRET: "s" })).toEqual([]);
  });

  it("instrumentation.ts exits with the message before serving (and before opening the database)", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    for (const name of [...REQUIRED, "PAYMENTS_SANDBOX", "DEV_OUTBOX", "FM_TEST_TOKEN", "FM_TEST_CLOCK"]) vi.stubEnv(name, "");
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((m: unknown) => void errors.push(String(m)));
    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const db = await import("../server/db");
    const opened = vi.spyOn(db, "getDb");
    const { register } = await import("../instrumentation");
    await expect(register()).rejects.toThrow("exit 1");
    expect(exit).toHaveBeenCalledWith(1);
    expect(opened).not.toHaveBeenCalled();
    for (const name of REQUIRED) expect(errors.join("\n")).toContain(`- ${name}: missing`);
  });

  it("npm prestart refuses with the same list, before migrating anything, and never seeds", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "fm-prestart-")), "db");
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/prestart.ts"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PGLITE_DIR: dir } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    for (const name of REQUIRED) expect(r.stderr).toContain(`- ${name}: missing`);
    expect(existsSync(dir)).toBe(false);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.prestart).toBe("tsx scripts/prestart.ts");
    expect(pkg.scripts.prestart).not.toContain("seed");
  });
});

describe("test doors (server/test-doors.ts)", () => {
  const headers = (token?: string) => new Headers(token ? { [TEST_TOKEN_HEADER]: token } : {});

  it("open in development with the flag alone", () => {
    const dev = { NODE_ENV: "development", FM_TEST_CLOCK: "1" };
    expect(testDoorOpen("clock", headers(), dev)).toBe(true);
    expect(testDoorOpen("clock", headers(), { NODE_ENV: "development" })).toBe(false);
    expect(testDoorOpen("outbox", headers(), { NODE_ENV: "development" })).toBe(true);
  });

  it("stay shut in production for one stray variable; open only with flag, token and the request's token", () => {
    expect(testDoorOpen("clock", headers(), { NODE_ENV: "production", FM_TEST_CLOCK: "1" })).toBe(false);
    expect(testDoorOpen("outbox", headers(), { NODE_ENV: "production", DEV_OUTBOX: "1" })).toBe(false);
    expect(devOutboxEnabled({ NODE_ENV: "production", DEV_OUTBOX: "1" })).toBe(false);
    const env = { NODE_ENV: "production", FM_TEST_CLOCK: "1", DEV_OUTBOX: "1", FM_TEST_TOKEN: TOKEN };
    expect(testDoorOpen("clock", headers(), env)).toBe(false);
    expect(testDoorOpen("clock", headers("t".repeat(39) + "x"), env)).toBe(false);
    expect(testDoorOpen("clock", headers(TOKEN), env)).toBe(true);
    expect(testDoorOpen("outbox", headers(TOKEN), env)).toBe(true);
    expect(testDoorOpen("clock", headers(TOKEN), { ...env, FM_TEST_CLOCK: undefined })).toBe(false);
    // A short token opens nothing, even when the request repeats it.
    expect(testDoorOpen("clock", headers("abc"), { ...env, FM_TEST_TOKEN: "abc" })).toBe(false);
  });

  it("/api/test/clock answers 404 in production without the token, even with FM_TEST_CLOCK=1", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("FM_TEST_CLOCK", "1");
    vi.stubEnv("FM_TEST_TOKEN", TOKEN);
    const { GET, POST } = await import("../app/api/test/clock/route");
    const post = (h: Record<string, string>) =>
      POST(new Request("http://x/api/test/clock", { method: "POST", body: JSON.stringify({ advanceMs: 0 }), headers: { "content-type": "application/json", ...h } }));
    expect((await post({})).status).toBe(404);
    expect((await post({ [TEST_TOKEN_HEADER]: "nope" })).status).toBe(404);
    expect((await GET(new Request("http://x/api/test/clock"))).status).toBe(404);
    expect((await GET(new Request("http://x/api/test/clock", { headers: { [TEST_TOKEN_HEADER]: TOKEN } }))).status).toBe(200);
  });
});

describe("sandbox payments in production", () => {
  it("are refused unless PAYMENTS_SANDBOX=1 with a signing secret; no default-derived key", () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXTAUTH_SECRET", "s".repeat(40));
    vi.stubEnv("SANDBOX_PAY_SECRET", "");
    vi.stubEnv("PAYMENTS_SANDBOX", "");
    expect(sandboxAllowed()).toBe(false);
    expect(() => getProvider("sandbox")).toThrow(/sandbox payment provider is disabled/);
    vi.stubEnv("PAYMENTS_SANDBOX", "1");
    expect(sandboxAllowed()).toBe(false);
    expect(() => getProvider("sandbox")).toThrow(/disabled/);
    // Without its own secret the sandbox cannot sign (nothing falls back to NEXTAUTH_SECRET or a constant).
    expect(() => signSandbox("{}", "1")).toThrow(/SANDBOX_PAY_SECRET/);
    vi.stubEnv("SANDBOX_PAY_SECRET", "p".repeat(40));
    expect(sandboxAllowed()).toBe(true);
    expect(getProvider("sandbox").name).toBe("sandbox");
  });

  it("development signs with a random per-process key, not a guessable default", async () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("SANDBOX_PAY_SECRET", "");
    const { createHmac } = await import("node:crypto");
    const sig = signSandbox("{}", "1");
    for (const guess of ["sandbox:dev-only-secret", "sandbox:undefined", "dev-only-secret", "sandbox:fission-mall-dev-only-secret-do-not-use-in-production"]) {
      expect(createHmac("sha256", guess).update("1.{}").digest("hex")).not.toBe(sig);
    }
  });

  it("server-to-server URLs come from SITE_URL, never a Host header", () => {
    expect(serverOrigin({ NODE_ENV: "production", SITE_URL: "https://shop.example.com/some/path" })).toBe("https://shop.example.com");
    expect(() => serverOrigin({ NODE_ENV: "production" })).toThrow(/SITE_URL/);
    expect(serverOrigin({ NODE_ENV: "development", PORT: "3030" })).toBe("http://localhost:3030");
  });
});

describe("proxy.ts guards every test path", () => {
  it("answers 404 for /api/test/* and /dev/* in production without the run's token", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("FM_TEST_CLOCK", "1");
    vi.stubEnv("DEV_OUTBOX", "1");
    vi.stubEnv("FM_TEST_TOKEN", TOKEN);
    const { NextRequest } = await import("next/server");
    const { proxy } = await import("../proxy");
    const status = async (path: string, token?: string) => (await proxy(new NextRequest(`http://x${path}`, { headers: token ? { [TEST_TOKEN_HEADER]: token } : {} }))).status;
    for (const path of ["/api/test/clock", "/api/test/some-future-route", "/dev/sms", "/dev/anything"]) {
      expect(await status(path)).toBe(404);
      expect(await status(path, "wrong")).toBe(404);
      expect(await status(path, TOKEN)).toBe(200);
    }
    expect(await status("/r/ABCDEF")).toBe(200);
  });
});
