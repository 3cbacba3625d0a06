// Production start-up check (security review): withdrawals paid out through the sandbox pay nobody, so
// PAYOUT_PROVIDER=sandbox is refused in production like PAYMENT_PROVIDER=sandbox, unless the deployment
// says it is a demo (PAYMENTS_SANDBOX=1 with its secret), and then it is warned about at every start.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Env, EnvError, enforceProductionEnv, productionEnvProblems, productionWarnings } from "../server/env";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
/** A complete production configuration taking real money with WeChat Pay and sending real SMS. */
const REAL_SHOP: Env = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "session-secret-for-tests-0123456789abcdef",
  FIELD_ENCRYPTION_KEY: "field-key-for-tests-0123456789abcdefghij",
  SITE_URL: "https://shop.example.com",
  DATABASE_URL: "postgresql://app:pw@db:5432/mall",
  PAYMENT_PROVIDER: "wechatpay",
  WECHATPAY_MCHID: "1900000109",
  WECHATPAY_APPID: "wx0123456789abcdef",
  // Inside WeChat, JSAPI pay and payouts to 零钱 need the openid WeChat sign-in obtains.
  WECHAT_LOGIN: "1",
  WECHAT_APPID: "wx0123456789abcdef",
  WECHAT_APP_SECRET: "0123456789abcdef0123456789abcdef",
  WECHATPAY_MERCHANT_SERIAL: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
  WECHATPAY_MERCHANT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  WECHATPAY_APIV3_KEY: "a".repeat(32),
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID: "PUB_KEY_ID_0119000001092025000000000001",
  WECHATPAY_PLATFORM_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
  SMS_PROVIDER: "tencent",
  TENCENTCLOUD_SECRET_ID: "id",
  TENCENTCLOUD_SECRET_KEY: "key",
  TENCENT_SMS_SDK_APP_ID: "1400000000",
  TENCENT_SMS_SIGN_NAME: "裂变商城",
  TENCENT_SMS_TEMPLATE_OTP: "100001",
  TRUST_PROXY: "1",
  FM_UPLOADS_DIR: "/srv/fission-mall/uploads",
};

describe("PAYOUT_PROVIDER=sandbox in production", () => {
  it("the real configuration itself starts", () => {
    expect(productionEnvProblems(REAL_SHOP)).toEqual([]);
    expect(productionEnvProblems({ ...REAL_SHOP, PAYOUT_PROVIDER: "wechatpay" })).toEqual([]);
  });

  it("is refused without PAYMENTS_SANDBOX=1 and the sandbox's own secret", () => {
    const problems = productionEnvProblems({ ...REAL_SHOP, PAYOUT_PROVIDER: "sandbox" });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["PAYMENTS_SANDBOX", "SANDBOX_PAY_SECRET"]);
    expect(problems[0]).toMatch(/^PAYMENTS_SANDBOX: PAYOUT_PROVIDER=sandbox moves no real money/);
    expect(productionEnvProblems({ ...REAL_SHOP, PAYOUT_PROVIDER: "sandbox", PAYMENTS_SANDBOX: "1" }).map((p) => p.split(":")[0])).toEqual(["SANDBOX_PAY_SECRET"]);
  });

  it("a demo that says so starts, warned at every start that withdrawals move no money", () => {
    const demo = { ...REAL_SHOP, PAYOUT_PROVIDER: "sandbox", PAYMENTS_SANDBOX: "1", SANDBOX_PAY_SECRET: "p".repeat(40) };
    expect(productionEnvProblems(demo)).toEqual([]);
    expect(productionWarnings(demo)).toContain('PAYOUT_PROVIDER=sandbox: withdrawals are "paid out" without real money. Never on a real shop.');
    expect(productionWarnings(REAL_SHOP).join("\n")).not.toMatch(/sandbox/i);
  });
});

describe("payment gateway overrides in production", () => {
  it("WECHATPAY_BASE_URL and ALIPAY_GATEWAY must be https; plain http only to a loopback test server", () => {
    const problem = (env: Env) => productionEnvProblems(env).map((p) => p.split(":")[0]);
    expect(problem({ ...REAL_SHOP, WECHATPAY_BASE_URL: "http://api.mch.weixin.qq.com" })).toEqual(["WECHATPAY_BASE_URL"]);
    expect(problem({ ...REAL_SHOP, WECHATPAY_BASE_URL: "ftp://api.mch.weixin.qq.com" })).toEqual(["WECHATPAY_BASE_URL"]);
    expect(problem({ ...REAL_SHOP, WECHATPAY_BASE_URL: "https://api2.mch.weixin.qq.com" })).toEqual([]);
    expect(problem({ ...REAL_SHOP, WECHATPAY_BASE_URL: "http://127.0.0.1:4010" })).toEqual([]);
    const alipay: Env = { ...REAL_SHOP, PAYOUT_PROVIDER: "alipay", TENCENT_SMS_TEMPLATE_PAYEE: "100003", ALIPAY_APP_ID: "2021000000000000", ALIPAY_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), ALIPAY_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString() };
    expect(problem(alipay)).toEqual([]);
    expect(problem({ ...alipay, ALIPAY_GATEWAY: "http://openapi.alipay.com/gateway.do" })).toEqual(["ALIPAY_GATEWAY"]);
    expect(problem({ ...alipay, ALIPAY_GATEWAY: "https://openapi-sandbox.dl.alipaydev.com/gateway.do" })).toEqual([]);
    expect(problem({ ...alipay, ALIPAY_GATEWAY: "http://localhost:4020/gateway.do" })).toEqual([]);
  });
});

describe("SMS_PROVIDER=aliyun in production", () => {
  const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, TENCENT_SMS_SDK_APP_ID: _app, TENCENT_SMS_SIGN_NAME: _sign, TENCENT_SMS_TEMPLATE_OTP: _tpl, ...base } = REAL_SHOP;
  const ALIYUN_SHOP: Env = {
    ...base,
    SMS_PROVIDER: "aliyun",
    ALIYUN_SMS_ACCESS_KEY_ID: "LTAI5tExampleExampleEx",
    ALIYUN_SMS_ACCESS_KEY_SECRET: "exampleSecretExampleSecret0000",
    ALIYUN_SMS_SIGN_NAME: "裂变商城",
    ALIYUN_SMS_TEMPLATE_OTP: "SMS_123456789",
  };
  const problem = (env: Env) => productionEnvProblems(env).map((p) => p.split(":")[0]);

  it("starts with its four settings (no Tencent Cloud ones); each missing one is named, one line each", () => {
    expect(productionEnvProblems(ALIYUN_SHOP)).toEqual([]);
    for (const name of ["ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME", "ALIYUN_SMS_TEMPLATE_OTP"]) {
      const problems = productionEnvProblems({ ...ALIYUN_SHOP, [name]: undefined });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}: missing: .+ \\(Alibaba Cloud SMS\\)$`));
    }
    expect(productionEnvProblems({ ...ALIYUN_SHOP, ALIYUN_SMS_TEMPLATE_OTP: undefined })[0]).toContain("${code}");
  });

  it("ALIYUN_SMS_ENDPOINT must be https; plain http only to a loopback test server", () => {
    expect(problem({ ...ALIYUN_SHOP, ALIYUN_SMS_ENDPOINT: "http://dysmsapi.aliyuncs.com" })).toEqual(["ALIYUN_SMS_ENDPOINT"]);
    expect(problem({ ...ALIYUN_SHOP, ALIYUN_SMS_ENDPOINT: "dysmsapi.aliyuncs.com" })).toEqual(["ALIYUN_SMS_ENDPOINT"]);
    expect(problem({ ...ALIYUN_SHOP, ALIYUN_SMS_ENDPOINT: "https://dysmsapi.ap-southeast-1.aliyuncs.com" })).toEqual([]);
    expect(problem({ ...ALIYUN_SHOP, ALIYUN_SMS_ENDPOINT: "http://127.0.0.1:4030" })).toEqual([]);
  });
});

describe("the payee code's own SMS template in production (withdrawals paid to an Alipay login)", () => {
  const ALIPAY_KEYS: Env = {
    ALIPAY_APP_ID: "2021000000000000",
    ALIPAY_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    ALIPAY_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  const ALIPAY_PAYOUTS: Env = { ...REAL_SHOP, ...ALIPAY_KEYS, PAYOUT_PROVIDER: "alipay" };
  const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, TENCENT_SMS_SDK_APP_ID: _app, TENCENT_SMS_SIGN_NAME: _sign, TENCENT_SMS_TEMPLATE_OTP: _tpl, ...noTencent } = ALIPAY_PAYOUTS;
  const ALIYUN: Env = {
    ...noTencent,
    SMS_PROVIDER: "aliyun",
    ALIYUN_SMS_ACCESS_KEY_ID: "LTAI5tExampleExampleEx",
    ALIYUN_SMS_ACCESS_KEY_SECRET: "exampleSecretExampleSecret0000",
    ALIYUN_SMS_SIGN_NAME: "裂变商城",
    ALIYUN_SMS_TEMPLATE_OTP: "SMS_123456789",
  };

  it("Tencent Cloud SMS: refused without TENCENT_SMS_TEMPLATE_PAYEE, one line naming it and what the code does; starts with it", () => {
    const problems = productionEnvProblems(ALIPAY_PAYOUTS);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TENCENT_SMS_TEMPLATE_PAYEE: missing: PAYOUT_PROVIDER=alipay pays withdrawals to the Alipay login .+ \(Tencent Cloud SMS\)$/);
    expect(problems[0]).toContain("{1} code, {2} minutes");
    // An empty value is unset.
    expect(productionEnvProblems({ ...ALIPAY_PAYOUTS, TENCENT_SMS_TEMPLATE_PAYEE: "" })).toEqual(problems);
    expect(productionEnvProblems({ ...ALIPAY_PAYOUTS, TENCENT_SMS_TEMPLATE_PAYEE: "100003" })).toEqual([]);
    // The same start-up refusal as every other required setting.
    expect(() => enforceProductionEnv(ALIPAY_PAYOUTS)).toThrow(EnvError);
    expect(() => enforceProductionEnv(ALIPAY_PAYOUTS)).toThrow(/^ {2}- TENCENT_SMS_TEMPLATE_PAYEE: missing: /m);
  });

  it("Alibaba Cloud SMS: refused without ALIYUN_SMS_TEMPLATE_PAYEE; the Tencent one is not asked for", () => {
    const problems = productionEnvProblems(ALIYUN);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ALIYUN_SMS_TEMPLATE_PAYEE: missing: PAYOUT_PROVIDER=alipay .+ \(Alibaba Cloud SMS\)$/);
    expect(problems[0]).toContain("${code} code, ${minutes} minutes");
    expect(productionEnvProblems({ ...ALIYUN, ALIYUN_SMS_TEMPLATE_PAYEE: "SMS_987654321" })).toEqual([]);
    // Another vendor's payee template does not count.
    expect(productionEnvProblems({ ...ALIYUN, TENCENT_SMS_TEMPLATE_PAYEE: "100003" }).map((p) => p.split(":")[0])).toEqual(["ALIYUN_SMS_TEMPLATE_PAYEE"]);
  });

  it("follows where withdrawals are paid: PAYMENT_PROVIDER=alipay without PAYOUT_PROVIDER too, never when another provider pays them", () => {
    const alipayOnly: Env = { ...ALIPAY_PAYOUTS, PAYMENT_PROVIDER: "alipay", PAYOUT_PROVIDER: undefined };
    const problems = productionEnvProblems(alipayOnly);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TENCENT_SMS_TEMPLATE_PAYEE: missing: PAYMENT_PROVIDER=alipay \(no PAYOUT_PROVIDER\) pays withdrawals/);
    // An empty PAYOUT_PROVIDER is unset: the payment provider pays withdrawals out.
    expect(productionEnvProblems({ ...alipayOnly, PAYOUT_PROVIDER: "" }).map((p) => p.split(":")[0])).toEqual(["TENCENT_SMS_TEMPLATE_PAYEE"]);
    // Alipay takes payments, WeChat Pay pays withdrawals to 零钱: no Alipay login is ever bound.
    expect(productionEnvProblems({ ...alipayOnly, PAYOUT_PROVIDER: "wechatpay" })).toEqual([]);
    // WeChat Pay takes payments and pays withdrawals: the Alipay keys alone ask for nothing.
    expect(productionEnvProblems({ ...REAL_SHOP, ...ALIPAY_KEYS })).toEqual([]);
  });

  it("the outbox of a test run sends no vendor template: nothing to require", () => {
    const TOKEN = "t".repeat(40);
    expect(productionEnvProblems({ ...noTencent, SMS_PROVIDER: "outbox", DEV_OUTBOX: "1", FM_TEST_TOKEN: TOKEN })).toEqual([]);
  });
});
