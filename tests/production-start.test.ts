// Production start (issue 8): one message listing every missing setting, from the prestart script and
// from instrumentation.ts (so `next start` by hand cannot skip it); test doors and the sandbox closed
// in production unless explicitly opened; server-to-server URLs from SITE_URL only.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Env, EnvError, databasePoolMax, enforceProductionEnv, productionEnvProblems, productionWarnings, serverOrigin } from "../server/env";
import { DatabaseStartError, databaseStartError, databaseWhere, describeStartupFailure } from "../server/startup";
import { testDoorOpen, TEST_TOKEN_HEADER } from "../server/test-doors";
import { sandboxAllowed, signSandbox } from "../server/payments/sandbox";
import { getProvider } from "../server/payments";
import { devOutboxEnabled } from "../server/sms";

const TOKEN = "t".repeat(40);
/** Official Account appids as WeChat issues them: wx and 16 hexadecimal digits. */
const WXA = "wx0123456789abcdef";
const WXB = "wxfedcba9876543210";
/** A complete, valid production configuration (a demo deployment on the sandbox). */
const GOOD: Env = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "session-secret-for-tests-0123456789abcdef",
  FIELD_ENCRYPTION_KEY: "field-key-for-tests-0123456789abcdefghij",
  SITE_URL: "https://shop.example.com",
  DATABASE_URL: "postgresql://app:pw@db:5432/mall",
  PAYMENT_PROVIDER: "sandbox",
  PAYMENTS_SANDBOX: "1",
  SANDBOX_PAY_SECRET: "p".repeat(40),
  SMS_PROVIDER: "outbox",
  DEV_OUTBOX: "1",
  FM_TEST_TOKEN: TOKEN,
  TRUST_PROXY: "1",
  FM_UPLOADS_DIR: "/srv/fission-mall/uploads",
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
      WECHATPAY_APPID: WXA,
      WECHAT_LOGIN: "1",
      WECHAT_APPID: WXA,
      WECHAT_APP_SECRET: "s",
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
    expect(problem({ WECHAT_APP_SECRET: undefined })).toMatch(/^WECHAT_APP_SECRET: /m);
    // Configured for JSAPI only (the sandbox elsewhere) is still checked.
    expect(productionEnvProblems({ ...GOOD, WECHATPAY_MCHID: "1900000109" }).join("\n")).toMatch(/^WECHATPAY_APPID: missing/m);
  });

  it("WeChat sign-in (WECHAT_LOGIN=1) needs the Official Account, one appid with JSAPI pay, and https endpoints", () => {
    const names = (over: Env) => productionEnvProblems({ ...GOOD, ...over }).map((p) => p.split(":")[0]);
    expect(names({ WECHAT_LOGIN: "1" })).toEqual(expect.arrayContaining(["WECHAT_APPID", "WECHAT_APP_SECRET"]));
    expect(names({ WECHAT_LOGIN: "1", WECHAT_APPID: WXA, WECHAT_APP_SECRET: "s" })).toEqual([]);
    // Off: nothing required (share cards alone still need the pair, checked above).
    expect(names({})).toEqual([]);
    const mismatch = productionEnvProblems({ ...GOOD, WECHAT_LOGIN: "1", WECHAT_APPID: WXA, WECHAT_APP_SECRET: "s", WECHATPAY_APPID: WXB }).join("\n");
    expect(mismatch).toMatch(/^WECHATPAY_APPID: must equal WECHAT_APPID/m);
    expect(names({ WECHAT_LOGIN: "yes" })).toContain("WECHAT_LOGIN");
    expect(names({ WECHAT_OAUTH_BASE: "http://open.weixin.example" })).toContain("WECHAT_OAUTH_BASE");
    expect(names({ WECHAT_API_BASE: "http://127.0.0.1:4001" })).toEqual([]);
    // Subscription notifications go out through the Official Account.
    expect(names({ WECHAT_TEMPLATE_PAYMENT: "tpl" })).toEqual(["WECHAT_TEMPLATE_PAYMENT"]);
    expect(names({ WECHAT_TEMPLATE_PAYMENT: "tpl", WECHAT_APPID: WXA, WECHAT_APP_SECRET: "s" })).toEqual([]);
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

// Production-readiness review: each row a configuration and the exact problem lines it gives (none: it starts).
describe("production readiness review (server/env.ts)", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  /** GOOD, taking the money with WeChat Pay (H5, JSAPI inside WeChat) and paying withdrawals to 零钱. */
  const WXPAY: Env = {
    ...GOOD,
    PAYMENT_PROVIDER: "wechatpay",
    PAYMENTS_SANDBOX: undefined,
    SANDBOX_PAY_SECRET: undefined,
    WECHATPAY_MCHID: "1900000109",
    WECHATPAY_APPID: WXA,
    WECHATPAY_MERCHANT_SERIAL: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
    WECHATPAY_MERCHANT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    WECHATPAY_APIV3_KEY: "a".repeat(32),
    WECHATPAY_PLATFORM_PUBLIC_KEY_ID: "PUB_KEY_ID_0119000001092025000000000001",
    WECHATPAY_PLATFORM_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
    WECHAT_LOGIN: "1",
    WECHAT_APPID: WXA,
    WECHAT_APP_SECRET: "0123456789abcdef0123456789abcdef",
  };
  const NO_LOGIN = { WECHAT_LOGIN: undefined, WECHAT_APPID: undefined, WECHAT_APP_SECRET: undefined };
  const WECHAT_LOGIN_MISSING =
    "WECHAT_LOGIN: missing: WeChat Pay needs WECHAT_LOGIN=1 (with WECHAT_APPID and WECHAT_APP_SECRET): paying inside WeChat (JSAPI) and payouts to 零钱 need the shopper's openid, which only WeChat sign-in obtains";
  const GEN = "(generate one with `openssl rand -base64 32`)";
  const NOT_RANDOM = `not random: at least 10 different characters, blanks not counted ${GEN}`;
  const SITE_ORIGIN = "SITE_URL: must be the origin only, e.g. https://shop.example.com (no path, query or fragment)";
  const APPID = "must be an Official Account appid: wx and 16 hexadecimal digits (公众号 → 设置与开发 → 基本配置)";
  const INNGEST = { INNGEST_EVENT_KEY: "event-key-0123456789", INNGEST_SIGNING_KEY: `signkey-prod-${"0a1b2c3d".repeat(8)}` };
  const SIGNING_KEY =
    "INNGEST_SIGNING_KEY: must be the environment's signing key: signkey-prod-… (Inngest Cloud; signkey-branch-… for a branch environment) or, self-hosted, the server's hexadecimal key (`openssl rand -hex 32`)";
  const whole = (name: string, what: string, min: number, max: number) => `${name}: must be ${what}, a whole number from ${min} to ${max}`;
  const POOL = (v: string) => [whole("DATABASE_POOL_MAX", "the number of database connections each instance opens at most", 1, 100)].filter(() => v !== "");

  const rows: [string, Env, Env, string[]][] = [
    // 1. WeChat Pay needs WeChat sign-in.
    ["WeChat Pay with WeChat sign-in", WXPAY, {}, []],
    ["WeChat Pay without WeChat sign-in", WXPAY, NO_LOGIN, [WECHAT_LOGIN_MISSING]],
    ["WeChat Pay for payouts only, without sign-in", WXPAY, { ...NO_LOGIN, PAYMENT_PROVIDER: "sandbox", PAYMENTS_SANDBOX: "1", SANDBOX_PAY_SECRET: "p".repeat(40), PAYOUT_PROVIDER: "wechatpay" }, [WECHAT_LOGIN_MISSING]],
    [
      "WeChat Pay, WECHAT_LOGIN=1 without the Official Account",
      WXPAY,
      { WECHAT_APPID: undefined, WECHAT_APP_SECRET: undefined },
      ["WECHAT_APPID: missing: WECHAT_LOGIN=1 signs shoppers in with the Official Account (公众号) whose appid this is", "WECHAT_APP_SECRET: missing: WECHAT_LOGIN=1 exchanges sign-in codes with the Official Account's AppSecret"],
    ],
    ["WeChat Pay under another appid than sign-in", WXPAY, { WECHAT_APPID: WXB }, ["WECHATPAY_APPID: must equal WECHAT_APPID: JSAPI pay needs the openid that sign-in obtained under the same appid"]],
    // 2. TRUST_PROXY is required; 0 says there is no proxy.
    [
      "TRUST_PROXY unset",
      GOOD,
      { TRUST_PROXY: undefined },
      ["TRUST_PROXY: missing: the number of reverse proxies in front of the app (1 for one nginx or load balancer), so SMS codes and staff sign-in failures are limited per client IP; 0 only when clients reach the app directly"],
    ],
    ["TRUST_PROXY=0 (no proxy)", GOOD, { TRUST_PROXY: "0" }, []],
    // 3. The upload directory.
    [
      "FM_UPLOADS_DIR unset",
      GOOD,
      { FM_UPLOADS_DIR: undefined },
      ["FM_UPLOADS_DIR: missing: the absolute path of a persistent volume every instance shares, where uploaded pictures and CSV exports are kept (only an FM_EMBEDDED_DB=1 demo may use .data/uploads)"],
    ],
    ["FM_UPLOADS_DIR relative", GOOD, { FM_UPLOADS_DIR: ".data/uploads" }, ["FM_UPLOADS_DIR: must be an absolute path (a persistent volume every instance shares), not relative to the working directory"]],
    ["FM_UPLOADS_DIR unset on the embedded demo database", GOOD, { FM_UPLOADS_DIR: undefined, DATABASE_URL: undefined, FM_EMBEDDED_DB: "1" }, []],
    // 5. FM_SCHEDULER=off only with Inngest.
    [
      "FM_SCHEDULER=off without Inngest",
      GOOD,
      { FM_SCHEDULER: "off" },
      ["FM_SCHEDULER: off stops the in-process scheduler, and without Inngest nothing else runs the timed work (payment timeouts, T+1 settlement, payouts, reconciliation): in production only with INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY"],
    ],
    ["FM_SCHEDULER=off with Inngest", GOOD, { FM_SCHEDULER: "off", ...INNGEST }, []],
    ["FM_SCHEDULER=false", GOOD, { FM_SCHEDULER: "false" }, ['FM_SCHEDULER: must be "off" (this instance runs no timed work) or "on" (the default)']],
    // 6. The pool size.
    ["DATABASE_POOL_MAX=20", GOOD, { DATABASE_POOL_MAX: "20" }, []],
    ["DATABASE_POOL_MAX=0", GOOD, { DATABASE_POOL_MAX: "0" }, POOL("0")],
    ["DATABASE_POOL_MAX=101", GOOD, { DATABASE_POOL_MAX: "101" }, POOL("101")],
    ["DATABASE_POOL_MAX=ten", GOOD, { DATABASE_POOL_MAX: "ten" }, POOL("ten")],
    // 7. Values that looked like settings.
    ["NEXTAUTH_SECRET of 40 spaces", GOOD, { NEXTAUTH_SECRET: " ".repeat(40) }, [`NEXTAUTH_SECRET: ${NOT_RANDOM}`]],
    ["FIELD_ENCRYPTION_KEY of one character", GOOD, { FIELD_ENCRYPTION_KEY: "k".repeat(40) }, [`FIELD_ENCRYPTION_KEY: ${NOT_RANDOM}`]],
    ["FIELD_ENCRYPTION_KEY too short", GOOD, { FIELD_ENCRYPTION_KEY: "short" }, [`FIELD_ENCRYPTION_KEY: too short: at least 32 characters ${GEN}`]],
    ["DATABASE_URL without a host", GOOD, { DATABASE_URL: "postgresql://" }, ["DATABASE_URL: must name the database server: postgresql://user:password@host:5432/db"]],
    ["DATABASE_URL through a socket directory", GOOD, { DATABASE_URL: "postgresql://app@/mall?host=/var/run/postgresql" }, []],
    ["SITE_URL with a path", GOOD, { SITE_URL: "https://shop.example.com/shop" }, [SITE_ORIGIN]],
    ["SITE_URL with a query", GOOD, { SITE_URL: "https://shop.example.com/?a=1" }, [SITE_ORIGIN]],
    ["SITE_URL with a fragment", GOOD, { SITE_URL: "https://shop.example.com#top" }, [SITE_ORIGIN]],
    ["SITE_URL with a trailing slash", GOOD, { SITE_URL: "https://shop.example.com/" }, []],
    ["SITE_URL not a URL", GOOD, { SITE_URL: "shop" }, ["SITE_URL: must be an absolute URL"]],
    ["WECHATPAY_MCHID=hello", WXPAY, { WECHATPAY_MCHID: "hello" }, ["WECHATPAY_MCHID: must be the merchant id 商户号: digits only"]],
    ["WECHATPAY_APPID=zzz", WXPAY, { WECHATPAY_APPID: "zzz" }, [`WECHATPAY_APPID: ${APPID}`]],
    [
      "WECHAT_APPID=zzz",
      WXPAY,
      { WECHAT_APPID: "zzz" },
      [`WECHAT_APPID: ${APPID}`, "WECHATPAY_APPID: must equal WECHAT_APPID: JSAPI pay needs the openid that sign-in obtained under the same appid"],
    ],
    ["INNGEST_SIGNING_KEY without its prefix or hex", GOOD, { ...INNGEST, INNGEST_SIGNING_KEY: "my-signing-key-0123456789abcdef0123456789" }, [SIGNING_KEY]],
    ["INNGEST_SIGNING_KEY of a branch environment", GOOD, { ...INNGEST, INNGEST_SIGNING_KEY: `signkey-branch-${"9f".repeat(32)}` }, []],
    ["INNGEST_SIGNING_KEY of a self-hosted server", GOOD, { ...INNGEST, INNGEST_SIGNING_KEY: "9f".repeat(32) }, []],
    ["INNGEST_SERVE_ORIGIN with a path", GOOD, { INNGEST_SERVE_ORIGIN: "https://shop.example.com/api/inngest" }, ["INNGEST_SERVE_ORIGIN: must be the origin only, e.g. https://shop.example.com (Inngest adds /api/inngest)"]],
    ["INNGEST_SERVE_ORIGIN over http", GOOD, { INNGEST_SERVE_ORIGIN: "http://shop.example.com" }, ["INNGEST_SERVE_ORIGIN: must be https (http only for localhost)"]],
    ["TENCENT_SMS_REGION=Guangzhou", GOOD, { TENCENT_SMS_REGION: "Guangzhou" }, ["TENCENT_SMS_REGION: must be a Tencent Cloud region id, e.g. ap-guangzhou"]],
    ["TENCENT_SMS_REGION=ap-guangzhou", GOOD, { TENCENT_SMS_REGION: "ap-guangzhou" }, []],
    ["PAGE_CACHE_TTL_MS=5s", GOOD, { PAGE_CACHE_TTL_MS: "5s" }, [whole("PAGE_CACHE_TTL_MS", "how long a rendered page is served from the cache, in milliseconds (0 turns the cache off)", 0, 3_600_000)]],
    ["PAGE_CACHE_TTL_MS=0", GOOD, { PAGE_CACHE_TTL_MS: "0" }, []],
    ["OTP_UNKNOWN_IP_PER_HOUR=200abc", GOOD, { OTP_UNKNOWN_IP_PER_HOUR: "200abc" }, [whole("OTP_UNKNOWN_IP_PER_HOUR", "the hourly budget of SMS codes whose client IP is unknown", 1, 1_000_000)]],
    ["OTP_UNKNOWN_IP_PER_HOUR=0", GOOD, { OTP_UNKNOWN_IP_PER_HOUR: "0" }, [whole("OTP_UNKNOWN_IP_PER_HOUR", "the hourly budget of SMS codes whose client IP is unknown", 1, 1_000_000)]],
    ["FM_EXPORT_SYNC_MAX_ROWS=lots", GOOD, { FM_EXPORT_SYNC_MAX_ROWS: "lots" }, [whole("FM_EXPORT_SYNC_MAX_ROWS", "the most rows a CSV export downloads at once before it becomes a background job", 0, 1_000_000)]],
    ["FM_EXPORT_SYNC_MAX_ROWS=0", GOOD, { FM_EXPORT_SYNC_MAX_ROWS: "0" }, []],
  ];

  it.each(rows)("%s", (_, base, over, expected) => {
    expect(productionEnvProblems({ ...base, ...over })).toEqual(expected);
  });

  it("the secret's refusal no longer runs its purpose into the rule", () => {
    const line = productionEnvProblems({ ...GOOD, FIELD_ENCRYPTION_KEY: "short" })[0];
    expect(line).not.toContain("first start needs");
  });

  it("TRUST_PROXY=0 starts with the warning that client IPs are unknown", () => {
    expect(productionWarnings({ ...GOOD, TRUST_PROXY: "0" }).join("\n")).toMatch(/^TRUST_PROXY=0: client IPs are unknown/m);
    expect(productionWarnings(GOOD).join("\n")).not.toMatch(/TRUST_PROXY/);
  });

  it("DATABASE_POOL_MAX sizes the pool, 10 when unset", () => {
    expect(databasePoolMax({})).toBe(10);
    expect(databasePoolMax({ DATABASE_POOL_MAX: "25" })).toBe(25);
    expect(databasePoolMax({ DATABASE_POOL_MAX: "0" })).toBe(10);
  });
});

describe("start-up failures are one line (server/startup.ts)", () => {
  /** A port nothing listens on: bound, then released. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
  const prestart = (env: Env) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/prestart.ts"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 120_000,
    });
  /** stderr without the start-up warnings (printed before the checks that failed). */
  const refusal = (stderr: string) => stderr.split("\n").filter((l) => l.trim() && !l.startsWith("[startup] WARNING"));

  it("an unreachable database: one line with host, database and code; no stack, no user, no password", async () => {
    const port = await closedPort();
    const uploads = mkdtempSync(path.join(tmpdir(), "fm-uploads-"));
    const r = prestart({ ...GOOD, DATABASE_URL: `postgresql://fmowner:hunter2secret@127.0.0.1:${port}/mall`, FM_UPLOADS_DIR: uploads });
    expect(r.status).toBe(1);
    const lines = refusal(r.stderr);
    expect(lines).toEqual([
      `Fission Mall cannot start: DATABASE_URL: the database at 127.0.0.1:${port}, database "mall" cannot be opened (ECONNREFUSED): nothing accepts connections there; check that PostgreSQL is running and the host and port are right.`,
    ]);
    expect(r.stderr).not.toContain("    at ");
    expect(r.stderr + r.stdout).not.toContain("hunter2secret");
    expect(r.stderr + r.stdout).not.toContain("fmowner");
  });

  it("an upload directory that cannot be written: one line naming it, before the database is opened", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "fm-uploads-")), "a-file");
    writeFileSync(file, "");
    const dir = path.join(file, "uploads");
    const r = prestart({ ...GOOD, DATABASE_URL: "postgresql://app:pw@127.0.0.1:1/mall", FM_UPLOADS_DIR: dir });
    expect(r.status).toBe(1);
    expect(refusal(r.stderr)).toEqual([
      `Fission Mall cannot start: FM_UPLOADS_DIR: cannot write to ${dir} (ENOTDIR): uploaded pictures and CSV exports are kept there; mount a writable persistent volume, shared by every instance, at that path.`,
    ]);
  });

  it("a missing database (PostgreSQL's 3D000) and a refused password (28P01) name the code and a hint, never the server's message", () => {
    const url = "postgresql://fmowner:hunter2secret@db.internal:6432/mall";
    const missing = databaseStartError(Object.assign(new Error('database "mall" does not exist'), { code: "3D000" }), url);
    expect(missing).toBeInstanceOf(DatabaseStartError);
    expect(describeStartupFailure(missing)).toBe(
      'Fission Mall cannot start: DATABASE_URL: the database at db.internal:6432, database "mall" cannot be opened (3D000): that database does not exist on the server; create it (CREATE DATABASE) or correct its name.',
    );
    const refused = databaseStartError(Object.assign(new Error('password authentication failed for user "fmowner"'), { code: "28P01" }), url);
    expect(refused?.message).toBe('Fission Mall cannot start: DATABASE_URL: the database at db.internal:6432, database "mall" cannot be opened (28P01): the server refused the user name or password.');
    // A failing migration is not a connection problem: it keeps its own error.
    expect(databaseStartError(Object.assign(new Error("syntax error"), { code: "42601" }), url)).toBeNull();
  });
});

describe("the database's address in start-up messages (server/env.ts databaseAddress)", () => {
  it("names host, port and database, never user or password, and reads socket URLs", () => {
    expect(databaseWhere("postgresql://fmowner:p@ss@db.internal:6432/mall")).toBe('at db.internal:6432, database "mall"');
    expect(databaseWhere("postgresql://app@/mall?host=/var/run/postgresql")).toBe('at /var/run/postgresql:5432, database "mall"');
    // An unencoded "/" in the password: nothing after it can be trusted to be the host or the database.
    expect(databaseWhere("postgresql://fmowner:pa/ss@db.internal/mall")).toBe("(DATABASE_URL unreadable)");
  });
});
