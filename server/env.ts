// The deployment's settings, defined once. Production refuses to start (prestart script and
// instrumentation.ts both call enforceProductionEnv) with one message listing every missing or
// unsafe setting; development keeps its fallbacks so `npm run dev` needs no configuration.
// Kernel module: imports no domain.
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** process.env, or a plain object in tests. */
export type Env = Record<string, string | undefined>;

export function isProduction(env: Env = process.env): boolean {
  return env.NODE_ENV === "production";
}

/** Payment providers this build can talk to. */
export const PAYMENT_PROVIDERS = ["sandbox", "wechatpay", "alipay"] as const;
/** SMS providers this build can talk to. */
export const SMS_PROVIDERS = ["outbox", "tencent", "aliyun"] as const;

const MIN_SECRET = 32;
const GENERATE = "generate one with `openssl rand -base64 32`";
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Error text for a setting: "missing: why it is needed" when unset, else what is wrong with the value. */
const missingOr = (why: string, wrong: string) => (iss: { input?: unknown }) => (iss.input === undefined ? `missing: ${why}` : wrong);

/** Different non-blank characters a secret must have: 40 spaces or one letter repeated is no secret. */
const MIN_SECRET_VARIETY = 10;

const secret = (what: string) =>
  z
    .string({ error: `missing: ${what} (${GENERATE})` })
    .min(MIN_SECRET, { error: `too short: at least ${MIN_SECRET} characters (${GENERATE})` })
    .refine((v) => new Set(v.replace(/\s/g, "")).size >= MIN_SECRET_VARIETY, { error: `not random: at least ${MIN_SECRET_VARIETY} different characters, blanks not counted (${GENERATE})` });

/** A whole number from min to max, written as digits only (parseInt("20O") would read 20). */
const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be ${what}, a whole number from ${min} to ${max}` })
    .refine((v) => Number(v) >= min && Number(v) <= max, { error: `must be ${what}, a whole number from ${min} to ${max}` })
    .optional();

/** An Official Account appid: "wx" and 16 hexadecimal digits. */
const appid = z.string().regex(/^wx[0-9a-f]{16}$/i, { error: "must be an Official Account appid: wx and 16 hexadecimal digits (公众号 → 设置与开发 → 基本配置)" }).optional();

/** The URL, or null: a refinement runs even after .url() refused the value, and must not throw. */
function parsedUrl(v: string): URL | null {
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

/** An https URL, or http to this machine. */
const httpsOrLoopback = (v: string) => {
  const u = parsedUrl(v);
  return u !== null && (u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.test(u.hostname)));
};

/** A URL that is an origin: no path, query or fragment (a trailing slash is fine). */
const isOrigin = (v: string) => {
  const u = parsedUrl(v);
  return u !== null && u.pathname === "/" && !u.search && !u.hash && !u.username && !u.password;
};

const flag = z.enum(["0", "1"], { error: 'must be "1" or "0"' }).optional();

/** The production settings. Optional ones are optional in production too. */
export const productionEnvSchema = z
  .object({
    NEXTAUTH_SECRET: secret("signs sign-in sessions"),
    FIELD_ENCRYPTION_KEY: secret("encrypts phone numbers and ID numbers, peppers the phone lookup hash and keys new referral codes; never change it after the first start"),
    SITE_URL: z
      .url({ error: missingOr("the public https origin of the shop, e.g. https://shop.example.com (payment notify URLs and share links are built from it)", "must be an absolute URL") })
      .refine((v) => /^https?:$/.test(parsedUrl(v)?.protocol ?? ""), { error: "must be an http(s) URL" })
      .refine(httpsOrLoopback, { error: "must be https (http only for localhost)" })
      .refine(isOrigin, { error: "must be the origin only, e.g. https://shop.example.com (no path, query or fragment)" }),
    NEXTAUTH_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: "must be a postgresql:// URL" })
      .refine(databaseHostOf, { error: "must name the database server: postgresql://user:password@host:5432/db" })
      .optional(),
    DATABASE_POOL_MAX: wholeNumber(1, 100, "the number of database connections each instance opens at most"),
    FM_EMBEDDED_DB: flag,
    PAYMENT_PROVIDER: z.enum(PAYMENT_PROVIDERS, {
      error: missingOr(
        `which payment provider takes the money outside the WeChat browser; this build has: ${PAYMENT_PROVIDERS.join(", ")}`,
        `unknown provider; this build has: ${PAYMENT_PROVIDERS.join(", ")}`,
      ),
    }),
    PAYOUT_PROVIDER: z.enum(PAYMENT_PROVIDERS, { error: `unknown provider; this build has: ${PAYMENT_PROVIDERS.join(", ")}` }).optional(),
    PAYMENTS_SANDBOX: flag,
    SANDBOX_PAY_SECRET: z.string().optional(),
    SMS_PROVIDER: z.enum(SMS_PROVIDERS, {
      error: missingOr(
        `which SMS provider sends sign-in codes; this build has: ${SMS_PROVIDERS.join(", ")}`,
        `unknown provider; this build has: ${SMS_PROVIDERS.join(", ")}`,
      ),
    }),
    DEV_OUTBOX: flag,
    FM_TEST_CLOCK: flag,
    FM_TEST_TOKEN: z.string().optional(),
    TRUST_PROXY: z
      .string({
        error:
          "missing: the number of reverse proxies in front of the app (1 for one nginx or load balancer), so SMS codes and staff sign-in failures are limited per client IP; 0 only when clients reach the app directly",
      })
      .regex(/^(10|[0-9])$/, { error: "must be the number of reverse proxies in front of the app (0-10)" }),
    INNGEST_EVENT_KEY: z.string().optional(),
    // Inngest Cloud: signkey-<environment>-<hex>; self-hosted: the server's hex key. The SDK hex-decodes what follows the prefix.
    INNGEST_SIGNING_KEY: z
      .string()
      .regex(/^(signkey-\w+-)?([0-9a-f]{2}){16,}$/i, {
        error: "must be the environment's signing key: signkey-prod-… (Inngest Cloud; signkey-branch-… for a branch environment) or, self-hosted, the server's hexadecimal key (`openssl rand -hex 32`)",
      })
      .optional(),
    INNGEST_SERVE_ORIGIN: z
      .url({ error: "must be an absolute URL: the origin Inngest calls /api/inngest at, e.g. https://shop.example.com" })
      .refine(httpsOrLoopback, { error: "must be https (http only for localhost)" })
      .refine(isOrigin, { error: "must be the origin only, e.g. https://shop.example.com (Inngest adds /api/inngest)" })
      .optional(),
    FM_SCHEDULER: z.enum(["on", "off"], { error: 'must be "off" (this instance runs no timed work) or "on" (the default)' }).optional(),
    FM_UPLOADS_DIR: z.string().refine((v) => path.isAbsolute(v), { error: "must be an absolute path (a persistent volume every instance shares), not relative to the working directory" }).optional(),
    PAGE_CACHE_TTL_MS: wholeNumber(0, 3_600_000, "how long a rendered page is served from the cache, in milliseconds (0 turns the cache off)"),
    OTP_UNKNOWN_IP_PER_HOUR: wholeNumber(1, 1_000_000, "the hourly budget of SMS codes whose client IP is unknown"),
    FM_EXPORT_SYNC_MAX_ROWS: wholeNumber(0, 1_000_000, "the most rows a CSV export downloads at once before it becomes a background job"),
    TENCENT_SMS_REGION: z.string().regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, { error: "must be a Tencent Cloud region id, e.g. ap-guangzhou" }).optional(),
    WECHATPAY_MCHID: z.string().regex(/^\d+$/, { error: "must be the merchant id 商户号: digits only" }).optional(),
    WECHATPAY_APPID: appid,
    WECHAT_APPID: appid,
    INNGEST_DEV: z.string().optional(),
    WECHAT_LOGIN: flag,
    WECHAT_OAUTH_BASE: z.url({ error: "must be an absolute URL (WeChat's https://open.weixin.qq.com by default)" }).optional(),
    WECHAT_API_BASE: z.url({ error: "must be an absolute URL (WeChat's https://api.weixin.qq.com by default)" }).optional(),
  });

/**
 * Checks across settings. A plain function, not a zod refinement: those are skipped while any field
 * is invalid, and the start-up message must list everything at once.
 */
function crossFieldProblems(env: Record<string, string | undefined>): { name: string; message: string }[] {
  const out: { name: string; message: string }[] = [];
  const issue = (name: string, message: string) => out.push({ name, message });
  if (env.FIELD_ENCRYPTION_KEY && env.FIELD_ENCRYPTION_KEY === env.NEXTAUTH_SECRET) {
    issue("FIELD_ENCRYPTION_KEY", "must differ from NEXTAUTH_SECRET (rotating the session secret must not lose the phone numbers)");
  }
  if (!env.DATABASE_URL && env.FM_EMBEDDED_DB !== "1") {
    issue("DATABASE_URL", "missing: postgresql://user:password@host:5432/db of a real PostgreSQL (the embedded database is a single-process demo store; FM_EMBEDDED_DB=1 allows it without DATABASE_URL)");
  }
  if (env.SITE_URL && env.NEXTAUTH_URL && safeOrigin(env.NEXTAUTH_URL) !== safeOrigin(env.SITE_URL)) {
    issue("NEXTAUTH_URL", "must have the same origin as SITE_URL (or leave it unset: it defaults to SITE_URL)");
  }
  // Payouts through the sandbox pay nobody: as unsafe as payments through it.
  const sandboxAs = env.PAYMENT_PROVIDER === "sandbox" ? "PAYMENT_PROVIDER" : env.PAYOUT_PROVIDER === "sandbox" ? "PAYOUT_PROVIDER" : null;
  if (sandboxAs) {
    if (env.PAYMENTS_SANDBOX !== "1") {
      issue("PAYMENTS_SANDBOX", `${sandboxAs}=sandbox moves no real money: it is refused in production unless PAYMENTS_SANDBOX=1 says this deployment is a demo or test`);
    }
    if (!env.SANDBOX_PAY_SECRET || env.SANDBOX_PAY_SECRET.length < MIN_SECRET) {
      issue("SANDBOX_PAY_SECRET", `missing: the sandbox provider signs its callbacks with it, at least ${MIN_SECRET} characters (${GENERATE})`);
    }
  }
  out.push(...wechatPayProblems(env), ...alipayProblems(env));
  const testToken = Boolean(env.FM_TEST_TOKEN && env.FM_TEST_TOKEN.length >= MIN_SECRET);
  if (env.FM_TEST_TOKEN && !testToken) issue("FM_TEST_TOKEN", `too short: at least ${MIN_SECRET} random characters, new for every test run`);
  if (env.SMS_PROVIDER === "outbox" && (env.DEV_OUTBOX !== "1" || !testToken)) {
    issue("SMS_PROVIDER", "the outbox stores codes in the database instead of sending them: in production only for a test run, with DEV_OUTBOX=1 and a per-run FM_TEST_TOKEN");
  }
  if (env.DEV_OUTBOX === "1" && !testToken) issue("DEV_OUTBOX", "opens /dev/sms: in production only together with a per-run FM_TEST_TOKEN");
  if (env.FM_TEST_CLOCK === "1" && !testToken) issue("FM_TEST_CLOCK", "opens /api/test/*: in production only together with a per-run FM_TEST_TOKEN");
  if (Boolean(env.INNGEST_EVENT_KEY) !== Boolean(env.INNGEST_SIGNING_KEY)) {
    issue(env.INNGEST_EVENT_KEY ? "INNGEST_SIGNING_KEY" : "INNGEST_EVENT_KEY", "Inngest needs both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or neither: the in-process scheduler runs the jobs)");
  }
  if (env.SMS_PROVIDER === "tencent") {
    const tencent: [string, string][] = [
      ["TENCENTCLOUD_SECRET_ID", "the API key's SecretId (a sub-account with SMS permission only)"],
      ["TENCENTCLOUD_SECRET_KEY", "the API key's SecretKey"],
      ["TENCENT_SMS_SDK_APP_ID", "the SMS application's SdkAppId"],
      ["TENCENT_SMS_SIGN_NAME", "the approved SMS signature 签名"],
      ["TENCENT_SMS_TEMPLATE_OTP", "the approved sign-in code template id, with two parameters: {1} code, {2} minutes"],
    ];
    for (const [name, why] of tencent) if (!env[name]) issue(name, `missing: ${why} (Tencent Cloud SMS)`);
  }
  if (env.SMS_PROVIDER === "aliyun") {
    const aliyun: [string, string][] = [
      ["ALIYUN_SMS_ACCESS_KEY_ID", "the AccessKey ID of a RAM user allowed to send SMS only"],
      ["ALIYUN_SMS_ACCESS_KEY_SECRET", "that AccessKey's secret"],
      ["ALIYUN_SMS_SIGN_NAME", "the approved SMS signature 签名"],
      ["ALIYUN_SMS_TEMPLATE_OTP", "the approved sign-in code template code (SMS_…), with two variables: ${code} code, ${minutes} minutes"],
    ];
    for (const [name, why] of aliyun) if (!env[name]) issue(name, `missing: ${why} (Alibaba Cloud SMS)`);
    out.push(...httpsOnly(env, "ALIYUN_SMS_ENDPOINT"));
  }
  out.push(...payeeTemplateProblems(env));
  if (Boolean(env.WECHAT_APPID) !== Boolean(env.WECHAT_APP_SECRET)) {
    issue(env.WECHAT_APPID ? "WECHAT_APP_SECRET" : "WECHAT_APPID", "the Official Account needs both WECHAT_APPID and WECHAT_APP_SECRET (or neither: no WeChat share cards)");
  }
  out.push(...wechatLoginProblems(env));
  if (env.INNGEST_DEV) issue("INNGEST_DEV", "turns off Inngest's request signing: development only");
  if (env.FM_SCHEDULER === "off" && !(env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY)) {
    issue("FM_SCHEDULER", "off stops the in-process scheduler, and without Inngest nothing else runs the timed work (payment timeouts, T+1 settlement, payouts, reconciliation): in production only with INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY");
  }
  if (!env.FM_UPLOADS_DIR && !embeddedDemo(env)) {
    issue("FM_UPLOADS_DIR", "missing: the absolute path of a persistent volume every instance shares, where uploaded pictures and CSV exports are kept (only an FM_EMBEDDED_DB=1 demo may use .data/uploads)");
  }
  return out;
}

/**
 * The template of the code that binds or changes the Alipay login withdrawals are paid to (server/wallet/payee.ts),
 * required with a real SMS vendor whenever Alipay pays withdrawals out (PAYOUT_PROVIDER, else PAYMENT_PROVIDER, as
 * payments/registry.ts payoutProviderName resolves it). Without it the code goes out as the sign-in template: the
 * member reads "login code", not that their payouts are about to go elsewhere, and a thief holding their session can
 * ask for it posing as support.
 */
function payeeTemplateProblems(env: Env): { name: string; message: string }[] {
  if ((env.PAYOUT_PROVIDER || env.PAYMENT_PROVIDER) !== "alipay") return [];
  const via = env.PAYOUT_PROVIDER ? "PAYOUT_PROVIDER=alipay" : "PAYMENT_PROVIDER=alipay (no PAYOUT_PROVIDER)";
  const why = `${via} pays withdrawals to the Alipay login a member binds with an SMS code; that code needs its own approved template saying it changes where withdrawals are paid (the sign-in template would have the member read it as a login code)`;
  if (env.SMS_PROVIDER === "tencent" && !env.TENCENT_SMS_TEMPLATE_PAYEE) {
    return [{ name: "TENCENT_SMS_TEMPLATE_PAYEE", message: `missing: ${why}, its template id with two parameters: {1} code, {2} minutes (Tencent Cloud SMS)` }];
  }
  if (env.SMS_PROVIDER === "aliyun" && !env.ALIYUN_SMS_TEMPLATE_PAYEE) {
    return [{ name: "ALIYUN_SMS_TEMPLATE_PAYEE", message: `missing: ${why}, its template code (SMS_…) with two variables: \${code} code, \${minutes} minutes (Alibaba Cloud SMS)` }];
  }
  return [];
}

/** A provider's address override: money requests and their keys' signatures never travel in clear (http only to a local test server). */
function httpsOnly(env: Env, name: string): { name: string; message: string }[] {
  const v = env[name];
  if (!v) return [];
  if (/^https:\/\//.test(v) || (/^http:\/\//.test(v) && LOOPBACK.test(safeHost(v)))) return [];
  return [{ name, message: "must be an https URL (http only for a local test server)" }];
}

/** WeChat sign-in (网页授权), when WECHAT_LOGIN=1: the Official Account's credentials, and one appid for sign-in and JSAPI pay. */
function wechatLoginProblems(env: Env): { name: string; message: string }[] {
  const out: { name: string; message: string }[] = [];
  for (const name of ["WECHAT_OAUTH_BASE", "WECHAT_API_BASE"]) {
    const v = env[name];
    if (v && /^http:/.test(v) && !LOOPBACK.test(safeHost(v))) out.push({ name, message: "must be https (http only for a local test server)" });
  }
  const templates = ["WECHAT_TEMPLATE_PAYMENT", "WECHAT_TEMPLATE_SHIPMENT", "WECHAT_TEMPLATE_COMMISSION", "WECHAT_TEMPLATE_CASHBACK"].filter((n) => env[n]);
  if (templates.length && (!env.WECHAT_APPID || !env.WECHAT_APP_SECRET)) {
    out.push({ name: templates[0], message: "WeChat subscription notifications are sent by the Official Account: set WECHAT_APPID and WECHAT_APP_SECRET" });
  }
  if (env.WECHAT_LOGIN !== "1") return out;
  if (!env.WECHAT_APPID) out.push({ name: "WECHAT_APPID", message: "missing: WECHAT_LOGIN=1 signs shoppers in with the Official Account (公众号) whose appid this is" });
  if (!env.WECHAT_APP_SECRET) out.push({ name: "WECHAT_APP_SECRET", message: "missing: WECHAT_LOGIN=1 exchanges sign-in codes with the Official Account's AppSecret" });
  if (env.WECHATPAY_APPID && env.WECHAT_APPID && env.WECHATPAY_APPID !== env.WECHAT_APPID) {
    out.push({ name: "WECHATPAY_APPID", message: "must equal WECHAT_APPID: JSAPI pay needs the openid that sign-in obtained under the same appid" });
  }
  return out;
}

/**
 * Where a postgresql:// URL points, without its user or password: the host (or the socket directory of
 * ?host=), port and database. Read by hand: `postgresql://app@/mall?host=/run/postgresql` is no WHATWG URL.
 */
export function databaseAddress(url: string): { host: string; port: string; database: string } | null {
  // Up to the last "@" of the authority: a password's unencoded "@" stays out of the host.
  const m = /^postgres(?:ql)?:\/\/(?:[^/?#]*@)?([^/?#@]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/.exec(url);
  if (!m) return null;
  const [, hostPort, dbPath = "", query = ""] = m;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  // "user:pass/word@host": the authority is no host:port, and the rest may hold part of the password.
  if (!hp) return null;
  let database = dbPath;
  try {
    database = decodeURIComponent(dbPath);
  } catch {
    // kept as written
  }
  return { host: hp[1] || new URLSearchParams(query).get("host") || "", port: hp[2] || "5432", database };
}

/** The database server a postgresql:// URL names; "" when none. */
export function databaseHostOf(url: string): string {
  return databaseAddress(url)?.host ?? "";
}

/** Production on the embedded database (FM_EMBEDDED_DB=1 without DATABASE_URL): a single-process demo. */
function embeddedDemo(env: Env): boolean {
  return !env.DATABASE_URL && env.FM_EMBEDDED_DB === "1";
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/** A PEM setting (the PEM itself, "\n" allowed for newlines, or a file path) as text; null when unreadable. */
function pemText(value: string): string | null {
  const v = value.trim();
  if (v.startsWith("-----BEGIN")) return v.replace(/\\n/g, "\n");
  try {
    return readFileSync(v, "utf8");
  } catch {
    return null;
  }
}

function parses(value: string | undefined, parse: (pem: string) => unknown): boolean {
  const text = value ? pemText(value) : null;
  if (!text) return false;
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * What each 商家转账 scene asks to be reported (转账场景报备信息) and a receipt wording it allows; for any
 * other scene WECHATPAY_TRANSFER_PERCEPTION and WECHATPAY_TRANSFER_REPORT_INFOS must say them.
 */
export const TRANSFER_SCENES: Record<string, { perception: string; reportInfos: Record<string, string> }> = {
  "1000": { perception: "活动奖励", reportInfos: { 活动名称: "推广返现与佣金", 奖励说明: "推广奖励提现到零钱" } },
  "1005": { perception: "劳务报酬", reportInfos: { 岗位类型: "推广员", 报酬说明: "推广佣金提现到零钱" } },
};
/** The scene of a transfer bill when WECHATPAY_TRANSFER_SCENE_ID is unset: 1000 现金营销. */
export const DEFAULT_TRANSFER_SCENE = "1000";

/** WeChat Pay settings, checked when it takes payments or payouts, or is configured at all (JSAPI inside WeChat). */
function wechatPayProblems(env: Env): { name: string; message: string }[] {
  const used = env.PAYMENT_PROVIDER === "wechatpay" || env.PAYOUT_PROVIDER === "wechatpay" || Boolean(env.WECHATPAY_MCHID);
  if (!used) return [];
  const out: { name: string; message: string }[] = [...httpsOnly(env, "WECHATPAY_BASE_URL")];
  if (env.WECHAT_LOGIN !== "1") {
    out.push({
      name: "WECHAT_LOGIN",
      message: "missing: WeChat Pay needs WECHAT_LOGIN=1 (with WECHAT_APPID and WECHAT_APP_SECRET): paying inside WeChat (JSAPI) and payouts to 零钱 need the shopper's openid, which only WeChat sign-in obtains",
    });
  }
  const need = (name: string, why: string) => {
    if (!env[name]) out.push({ name, message: `missing: ${why} (WeChat Pay console → 账户中心 → API安全)` });
  };
  need("WECHATPAY_MCHID", "the merchant id 商户号");
  need("WECHATPAY_APPID", "the Official Account appid bound to the merchant (shoppers' openids belong to it)");
  need("WECHATPAY_MERCHANT_SERIAL", "the serial number of the merchant API certificate");
  if (!parses(env.WECHATPAY_MERCHANT_PRIVATE_KEY, createPrivateKey)) {
    out.push({ name: "WECHATPAY_MERCHANT_PRIVATE_KEY", message: "missing or unreadable: apiclient_key.pem, as PEM text or a file path; signs every request" });
  }
  if (env.WECHATPAY_APIV3_KEY === undefined) out.push({ name: "WECHATPAY_APIV3_KEY", message: "missing: the APIv3 key (32 characters) that decrypts callbacks" });
  else if (Buffer.byteLength(env.WECHATPAY_APIV3_KEY) !== 32) out.push({ name: "WECHATPAY_APIV3_KEY", message: "must be exactly 32 bytes (the APIv3 key set in the console)" });
  if (env.WECHATPAY_PLATFORM_CERT) {
    if (!parses(env.WECHATPAY_PLATFORM_CERT, createPublicKey)) out.push({ name: "WECHATPAY_PLATFORM_CERT", message: "unreadable: the platform certificate, PEM text or a file path" });
  } else if (!env.WECHATPAY_PLATFORM_PUBLIC_KEY_ID || !parses(env.WECHATPAY_PLATFORM_PUBLIC_KEY, createPublicKey)) {
    out.push({
      name: "WECHATPAY_PLATFORM_PUBLIC_KEY",
      message: "missing or unreadable: the 微信支付公钥 (PEM text or file path) with its WECHATPAY_PLATFORM_PUBLIC_KEY_ID, or a platform certificate in WECHATPAY_PLATFORM_CERT; verifies WeChat's answers and callbacks",
    });
  }
  out.push(...wechatTransferProblems(env));
  return out;
}

/** 商家转账 settings: which product pays withdrawals, and for transfer bills the scene's wording and 报备信息. */
function wechatTransferProblems(env: Env): { name: string; message: string }[] {
  const api = env.WECHATPAY_TRANSFER_API;
  if (api !== undefined && api !== "bills" && api !== "batches") {
    return [{ name: "WECHATPAY_TRANSFER_API", message: 'must be "bills" (商家转账, the default) or "batches" (the old 商家转账到零钱 batch API, older merchants only)' }];
  }
  if (api === "batches") return [];
  const out: { name: string; message: string }[] = [];
  const scene = env.WECHATPAY_TRANSFER_SCENE_ID || DEFAULT_TRANSFER_SCENE;
  if (!/^\d{1,36}$/.test(scene)) out.push({ name: "WECHATPAY_TRANSFER_SCENE_ID", message: "must be the 转账场景ID, digits (e.g. 1000 现金营销, 1005 佣金报酬)" });
  const perception = env.WECHATPAY_TRANSFER_PERCEPTION;
  if (perception !== undefined && (perception.length === 0 || perception.length > 32)) out.push({ name: "WECHATPAY_TRANSFER_PERCEPTION", message: "must be one of the 用户收款感知 wordings the scene allows (e.g. 活动奖励), at most 32 characters" });
  const infos = env.WECHATPAY_TRANSFER_REPORT_INFOS;
  if (infos !== undefined) {
    if (!reportInfosParse(infos)) out.push({ name: "WECHATPAY_TRANSFER_REPORT_INFOS", message: 'must be a JSON object of the scene\'s 报备信息, type to content, e.g. {"岗位类型":"推广员","报酬说明":"推广佣金"}' });
  } else if (!TRANSFER_SCENES[scene]) {
    out.push({ name: "WECHATPAY_TRANSFER_REPORT_INFOS", message: `missing: 转账场景 ${scene} needs its 报备信息 as a JSON object (WeChat Pay console → 商家转账 → 场景), and WECHATPAY_TRANSFER_PERCEPTION` });
  }
  return out;
}

function reportInfosParse(value: string): boolean {
  try {
    const v = JSON.parse(value) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    const entries = Object.entries(v);
    return entries.length > 0 && entries.every(([k, c]) => k.length > 0 && typeof c === "string" && c.length > 0 && c.length <= 32);
  } catch {
    return false;
  }
}

/** A key as the Alipay key tool prints it (bare base64 DER), PEM, or a file path; parsed or not. */
function alipayKeyParses(value: string | undefined, type: "private" | "public"): boolean {
  const v = value?.trim() ?? "";
  if (/^[A-Za-z0-9+/=\s]{200,}$/.test(v)) {
    const der = Buffer.from(v.replace(/\s+/g, ""), "base64");
    const tries = type === "public" ? [() => createPublicKey({ key: der, format: "der", type: "spki" })] : [() => createPrivateKey({ key: der, format: "der", type: "pkcs8" }), () => createPrivateKey({ key: der, format: "der", type: "pkcs1" })];
    return tries.some((t) => {
      try {
        t();
        return true;
      } catch {
        return false;
      }
    });
  }
  return parses(v, type === "public" ? createPublicKey : createPrivateKey);
}

/** Alipay settings, checked when it takes payments or payouts, or is configured. */
function alipayProblems(env: Env): { name: string; message: string }[] {
  const used = env.PAYMENT_PROVIDER === "alipay" || env.PAYOUT_PROVIDER === "alipay" || Boolean(env.ALIPAY_APP_ID);
  if (!used) return [];
  const out: { name: string; message: string }[] = [...httpsOnly(env, "ALIPAY_GATEWAY")];
  if (!env.ALIPAY_APP_ID) out.push({ name: "ALIPAY_APP_ID", message: "missing: the application's APPID on the Alipay open platform" });
  if (!alipayKeyParses(env.ALIPAY_PRIVATE_KEY, "private")) out.push({ name: "ALIPAY_PRIVATE_KEY", message: "missing or unreadable: the application private key (RSA2), as the key tool prints it, PEM, or a file path" });
  if (!alipayKeyParses(env.ALIPAY_PUBLIC_KEY, "public")) out.push({ name: "ALIPAY_PUBLIC_KEY", message: "missing or unreadable: the Alipay public key 支付宝公钥 (not the application public key); verifies answers and notices" });
  return out;
}

export type ProductionEnv = z.infer<typeof productionEnvSchema>;

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(formatProblems(problems));
    this.name = "EnvError";
  }
}

function formatProblems(problems: string[]): string {
  return [
    "Fission Mall cannot start in production: these settings are missing or unsafe.",
    ...problems.map((p) => `  - ${p}`),
    "See README.md, section \"Deploy to production\".",
  ].join("\n");
}

/** Every problem with the production settings, one line each ("NAME: what is wrong"). Empty when fine. */
export function productionEnvProblems(env: Env = process.env): string[] {
  // An empty variable counts as unset.
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = productionEnvSchema.safeParse(clean);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ name: String(i.path[0] ?? "settings"), message: i.message }))),
    ...crossFieldProblems(clean),
  ];
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const { name, message } of issues) {
    if (seen.has(name)) continue; // one line per variable: the first problem is the one to fix
    seen.add(name);
    lines.push(`${name}: ${message}`);
  }
  return lines;
}

/** Throws one EnvError listing every problem. */
export function enforceProductionEnv(env: Env = process.env): ProductionEnv {
  const problems = productionEnvProblems(env);
  if (problems.length) throw new EnvError(problems);
  return productionEnvSchema.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
}

/** Loud start-up notes about settings that are allowed but deserve attention. */
export function productionWarnings(env: Env = process.env): string[] {
  const w: string[] = [];
  if (env.PAYMENT_PROVIDER === "sandbox" && env.PAYMENTS_SANDBOX === "1") {
    w.push("PAYMENTS_SANDBOX=1: the SANDBOX payment provider is on. Orders are \"paid\" without real money. Never on a real shop.");
  }
  if (env.PAYOUT_PROVIDER === "sandbox" && env.PAYMENTS_SANDBOX === "1") {
    w.push("PAYOUT_PROVIDER=sandbox: withdrawals are \"paid out\" without real money. Never on a real shop.");
  }
  if (!env.DATABASE_URL && env.FM_EMBEDDED_DB === "1") w.push("FM_EMBEDDED_DB=1: embedded database (one process, no backups). Demo or test use only.");
  if (env.FM_TEST_TOKEN) w.push("FM_TEST_TOKEN is set: test routes (/dev/sms, /api/test/*) answer requests that carry it. Test runs only.");
  if (!env.TRUST_PROXY || env.TRUST_PROXY === "0") {
    w.push(`${env.TRUST_PROXY === "0" ? "TRUST_PROXY=0" : "TRUST_PROXY is not set"}: client IPs are unknown, so SMS-code sending and staff sign-in failures share one global budget each, and sign-ups are not checked for a shared IP (shared_ip, ip_burst). Behind a reverse proxy set TRUST_PROXY=<number of proxies>.`);
  }
  return w;
}

// ---- the settings the app reads (development fallbacks live here too) ----

const DATABASE_POOL_DEFAULT = 10;

/** Connections each instance's database pool opens at most (DATABASE_POOL_MAX, 1-100; production refuses anything else at start). */
export function databasePoolMax(env: Env = process.env): number {
  const v = env.DATABASE_POOL_MAX?.trim();
  const n = v && /^\d+$/.test(v) ? Number(v) : NaN;
  return n >= 1 && n <= 100 ? n : DATABASE_POOL_DEFAULT;
}

/** The public origin (SITE_URL, else NEXTAUTH_URL); null when neither is configured. */
export function configuredSiteOrigin(env: Env = process.env): string | null {
  const configured = env.SITE_URL || env.NEXTAUTH_URL;
  return configured ? safeOrigin(configured) : null;
}

/**
 * The per-run secret that opens the test doors in a production build. Null when unset or too short,
 * so a stray short value opens nothing.
 */
export function testToken(env: Env = process.env): string | null {
  const t = env.FM_TEST_TOKEN;
  return t && t.length >= MIN_SECRET ? t : null;
}

/**
 * The origin for server-to-server URLs (payment notify URLs): SITE_URL, never a request's Host
 * header. Development without SITE_URL uses this server's own port.
 */
export function serverOrigin(env: Env = process.env): string {
  const origin = configuredSiteOrigin(env);
  if (origin) return origin;
  if (isProduction(env)) throw new Error("SITE_URL is required in production");
  return `http://localhost:${env.PORT || 3000}`;
}
