// Tencent Cloud SMS through the official SDK against a local endpoint that checks the TC3-HMAC-SHA256
// signature: a sign-in code goes out as the approved template; bad credentials and refused numbers
// surface as errors (the code is not reported sent).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { TencentSmsProvider, tencentSmsConfigFromEnv } from "../../server/sms/tencent";
import type * as SmsModule from "../../server/sms";
import { productionEnvProblems } from "../../server/env";
import { freshDatabase } from "../helpers/db";
import { TencentSmsTestServer } from "../helpers/tencent-sms-server";

const holder = vi.hoisted(() => ({ provider: null as unknown }));
vi.mock("@/server/sms", async (importOriginal) => ({ ...(await importOriginal<object>()), getSmsProvider: () => holder.provider }));
const { sendOtpCode, sendSignInCode, verifySignInCode } = await import("../../server/auth/otp");
const { getSmsProvider: realGetSmsProvider } = await vi.importActual<typeof SmsModule>("../../server/sms");

let database: Database;
let tc: TencentSmsTestServer;

beforeAll(async () => {
  tc = await new TencentSmsTestServer().start();
  holder.provider = new TencentSmsProvider(tc.config());
  database = await freshDatabase();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await tc.stop();
  await database.close();
});

const msg = (phone: string) => ({ phone, phoneHash: "h", phoneMasked: "m", body: "x", template: { kind: "otp" as const, params: ["123456", "5"] } });

describe("Tencent Cloud SMS", () => {
  it("a sign-in code goes out as the template with [code, minutes], signed with TC3-HMAC-SHA256, and the code then signs in", async () => {
    await sendSignInCode(database.prisma, "13800138000", "203.0.113.9");
    expect(tc.rejected).toEqual([]);
    expect(tc.sent).toHaveLength(1);
    const sent = tc.sent[0];
    expect(sent).toMatchObject({ phone: "+8613800138000", signName: "裂变商城", templateId: "1234567" });
    expect(sent.params[1]).toBe("5");
    expect(sent.params[0]).toMatch(/^\d{6}$/);
    expect(await verifySignInCode(database.prisma, "13800138000", sent.params[0])).toMatchObject({ phone: "13800138000" });
  });

  it("a 注销账号 code goes out as TENCENT_SMS_TEMPLATE_DELETION's template, or as the sign-in template when it is unset", async () => {
    const provider = (env: Record<string, string>) => new TencentSmsProvider({ ...tc.config(), templates: tencentSmsConfigFromEnv({ TENCENT_SMS_TEMPLATE_OTP: "1234567", ...env }).templates });
    const sendAs = async (p: TencentSmsProvider, purpose: "sign_in" | "deletion", phone: string) => {
      holder.provider = p;
      await sendOtpCode(database.prisma, purpose, phone, "203.0.113.10");
      return tc.sent.at(-1)!;
    };
    const own = provider({ TENCENT_SMS_TEMPLATE_DELETION: "7654321" });
    const deletion = await sendAs(own, "deletion", "13800138010");
    expect(deletion).toMatchObject({ phone: "+8613800138010", templateId: "7654321" });
    expect(deletion.params).toEqual([expect.stringMatching(/^\d{6}$/), "5"]);
    expect((await sendAs(own, "sign_in", "13800138011")).templateId).toBe("1234567");
    expect((await sendAs(provider({}), "deletion", "13800138012")).templateId).toBe("1234567");
    expect(tc.rejected).toEqual([]);
  });

  it("a code that binds or changes the payout Alipay login goes out as TENCENT_SMS_TEMPLATE_PAYEE's template, or as the sign-in template when it is unset", async () => {
    const provider = (env: Record<string, string>) => new TencentSmsProvider({ ...tc.config(), templates: tencentSmsConfigFromEnv({ TENCENT_SMS_TEMPLATE_OTP: "1234567", ...env }).templates });
    const sendAs = async (p: TencentSmsProvider, purpose: "sign_in" | "deletion" | "payee", phone: string) => {
      holder.provider = p;
      await sendOtpCode(database.prisma, purpose, phone, "203.0.113.11");
      return tc.sent.at(-1)!;
    };
    const own = provider({ TENCENT_SMS_TEMPLATE_DELETION: "7654321", TENCENT_SMS_TEMPLATE_PAYEE: "7000001" });
    const payee = await sendAs(own, "payee", "13800138020");
    expect(payee).toMatchObject({ phone: "+8613800138020", templateId: "7000001" });
    expect(payee.params).toEqual([expect.stringMatching(/^\d{6}$/), "5"]);
    // Each purpose keeps its own template: the payee one goes out for nothing else.
    expect((await sendAs(own, "sign_in", "13800138021")).templateId).toBe("1234567");
    expect((await sendAs(own, "deletion", "13800138022")).templateId).toBe("7654321");
    // Unset (or empty), the payee code goes out as the sign-in template, even when a deletion template is set.
    expect((await sendAs(provider({ TENCENT_SMS_TEMPLATE_DELETION: "7654321" }), "payee", "13800138023")).templateId).toBe("1234567");
    expect((await sendAs(provider({ TENCENT_SMS_TEMPLATE_PAYEE: "" }), "payee", "13800138024")).templateId).toBe("1234567");
    expect(tc.rejected).toEqual([]);
  });

  it("a wrong secret key is refused by the endpoint's signature check and surfaces as an error", async () => {
    const forged = new TencentSmsProvider(tc.config({ secretKey: "0".repeat(32) }));
    await expect(forged.send(msg("13800138001"))).rejects.toThrow(/AuthFailure|credentials/);
    expect(tc.rejected).toContain("AuthFailure.SignatureFailure");
    expect(tc.sent.map((s) => s.phone)).not.toContain("+8613800138001");
  });

  it("a number the operator refuses is an error, not a silent success", async () => {
    tc.blacklist.add("+8613800138002");
    await expect(new TencentSmsProvider(tc.config()).send(msg("13800138002"))).rejects.toThrow(/PhoneNumberInBlacklist/);
  });

  it("SMS_PROVIDER=tencent selects it; production names its missing settings", () => {
    vi.stubEnv("SMS_PROVIDER", "tencent");
    expect(realGetSmsProvider(database.prisma).name).toBe("tencent");
    vi.unstubAllEnvs();
    const names = productionEnvProblems({ NODE_ENV: "production", SMS_PROVIDER: "tencent" }).map((p) => p.split(":")[0]);
    expect(names).toEqual(expect.arrayContaining(["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME", "TENCENT_SMS_TEMPLATE_OTP"]));
    expect(names).not.toContain("SMS_PROVIDER");
    expect(names).not.toContain("TENCENT_SMS_TEMPLATE_DELETION");
    expect(names).not.toContain("TENCENT_SMS_TEMPLATE_PAYEE");
  });
});
