// Production start-up check (security review): withdrawals paid out through the sandbox pay nobody, so
// PAYOUT_PROVIDER=sandbox is refused in production like PAYMENT_PROVIDER=sandbox, unless the deployment
// says it is a demo (PAYMENTS_SANDBOX=1 with its secret), and then it is warned about at every start.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Env, productionEnvProblems, productionWarnings } from "../server/env";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
/** A complete production configuration taking real money with WeChat Pay and sending real SMS. */
const REAL_SHOP: Env = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "s".repeat(40),
  FIELD_ENCRYPTION_KEY: "k".repeat(40),
  SITE_URL: "https://shop.example.com",
  DATABASE_URL: "postgresql://app:pw@db:5432/mall",
  PAYMENT_PROVIDER: "wechatpay",
  WECHATPAY_MCHID: "1900000109",
  WECHATPAY_APPID: "wxd678efh567hg6787",
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
    const alipay: Env = { ...REAL_SHOP, PAYOUT_PROVIDER: "alipay", ALIPAY_APP_ID: "2021000000000000", ALIPAY_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), ALIPAY_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString() };
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
