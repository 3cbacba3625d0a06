// The per-network limits of wrong SMS codes (server/auth/otp.ts) where codes are checked: the login page words a
// network's refusal (VERIFY_NETWORK_LIMIT) in the shopper's language like every other refusal, and the codes that
// confirm 注销账号 and the Alipay payee change count the caller's network as sign-in does (TRUST_PROXY=1 here).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { lookupHash, phoneFields } from "../../server/auth/crypto";
import { verifyIdentity } from "../../server/wallet/identity";
import { createCaller } from "../../server/api/root";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { signInErrorText } from "../../lib/sign-in-refusal";
import { freshDatabase } from "../helpers/db";
import { domainRefusal, session } from "../helpers/caller";
import { AlipayTestServer } from "../helpers/alipay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

const holder = vi.hoisted(() => ({ db: null as unknown, ip: "203.0.113.90" }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined }),
  headers: async () => new Headers({ host: "shop.example.com", "x-forwarded-for": holder.ip }),
}));

const { authOptions } = await import("../../server/auth/options");
const { sendDeletionCode } = await import("../../server/members/deletion");
const { sendPayeeCode } = await import("../../server/wallet/payee");
const { sendSignInCode, VERIFY_FAILURES_PER_NETWORK_PER_HOUR } = await import("../../server/auth/otp");

const config = parseConfig({});
let database: Database;
let ali: AlipayTestServer;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  registerProvider(new AlipayProvider(ali.config()));
  database = await freshDatabase();
  holder.db = database.prisma;
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
beforeEach(() => {
  vi.stubEnv("TRUST_PROXY", "1");
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await ali.stop();
  await database.close();
});

type Authorize = (c: Record<string, string>) => Promise<{ id: string } | null>;
const smsAuthorize = () => (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
const failuresOf = (network: string) => database.prisma.otpVerifyFailure.count({ where: { network } });

async function lastCode(phone: string): Promise<string> {
  const sms = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) }, orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}
const otherThan = (code: string) => (code === "000000" ? "111111" : "000000");

/** A shopper with `phone`, verified (实名) so the payee change gets as far as its code. */
async function shopper(username: string, phone: string) {
  const m = await run((ctx) => registerMember(ctx, { username, phone: phoneFields(phone) }));
  await run((ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  return m.id;
}
/** The shopper's tRPC caller from client IP `ip` (one proxy in front: the last X-Forwarded-For address). */
const callerFrom = (memberId: number, ip: string) =>
  createCaller({ db: database.prisma, session: session(memberId), headers: new Headers({ host: "127.0.0.1:3100", "x-forwarded-for": ip }), staffToken: null, requestId: "t" });

describe("the login page words a network over its wrong-code limit", () => {
  it("in English and in Chinese, not as next-auth's text", async () => {
    const phone = "13700009001";
    await sendSignInCode(database.prisma, phone, "198.51.100.9");
    const code = await lastCode(phone);
    holder.ip = "203.0.113.91";
    const now = new Date();
    await database.prisma.otpVerifyFailure.createMany({ data: Array.from({ length: VERIFY_FAILURES_PER_NETWORK_PER_HOUR }, () => ({ network: "203.0.113.91", at: now })) });
    const error = await smsAuthorize()({ phone, code, consent: "1.1" }).then(
      () => "signed in",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(signInErrorText(createT("en", MESSAGES.en), error)).toBe("Too many wrong codes from this network, please try again in an hour");
    expect(signInErrorText(createT("zh-CN", MESSAGES["zh-CN"]), error)).toBe("当前网络验证码错误次数过多，请 1 小时后再试");
  });

  it("a wrong code keeps its remaining count in Chinese; next-auth's own errors stay the page's 登录失败", async () => {
    const phone = "13700009002";
    await sendSignInCode(database.prisma, phone, "198.51.100.9");
    holder.ip = "203.0.113.92";
    const error = await smsAuthorize()({ phone, code: otherThan(await lastCode(phone)), consent: "1.1" }).then(
      () => "signed in",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(signInErrorText(createT("zh-CN", MESSAGES["zh-CN"]), error)).toBe("验证码错误，还可尝试 4 次");
    expect(signInErrorText(createT("en", MESSAGES.en), error)).toBe("Wrong code, please try again");
    expect(await failuresOf("203.0.113.92")).toBe(1);
    expect(signInErrorText(createT("en", MESSAGES.en), "CredentialsSignin")).toBe("Sign-in failed, please try again");
  });
});

describe("the login page words every sign-in refusal in the shopper's language", () => {
  // Deletion erases the phone's lookup hash, so its phone finds no member (it signs up anew): this is the guard for a
  // deleted account found anyway. A frozen account signs in (tests/providers/frozen-sign-in.test.ts).
  it("a deleted account's correct code: 该账号已注销 in Chinese, in English for an English page", async () => {
    const phone = "13700009010";
    holder.ip = "203.0.113.95";
    const m = await run((ctx) => registerMember(ctx, { username: "frozenlogin", phone: phoneFields(phone) }));
    await database.prisma.member.update({ where: { id: m.id }, data: { frozen: true, deletedAt: new Date() } });
    await sendSignInCode(database.prisma, phone, "203.0.113.95");
    const error = await smsAuthorize()({ phone, code: await lastCode(phone), consent: "1.1" }).then(
      () => "signed in",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(signInErrorText(createT("zh-CN", MESSAGES["zh-CN"]), error)).toBe("该账号已注销");
    expect(signInErrorText(createT("en", MESSAGES.en), error)).toBe("This account has been closed");
  });
});

describe("codes that confirm an account change count the caller's network", () => {
  it("注销账号: a wrong code is a failure of the caller's network", async () => {
    const m = await shopper("netdel1", "13700009003");
    await sendDeletionCode(database.prisma, m, null);
    const code = await lastCode("13700009003");
    const refused = callerFrom(m, "203.0.113.93").account.delete({ code: otherThan(code), acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } });
    expect(await domainRefusal(refused)).toBe("INVALID_CODE");
    expect(await failuresOf("203.0.113.93")).toBe(1);
  });

  it("注销账号: a network over its limit is refused before the code is tried, the right code included", async () => {
    const m = await shopper("netdel2", "13700009004");
    await sendDeletionCode(database.prisma, m, null);
    const code = await lastCode("13700009004");
    const now = new Date();
    await database.prisma.otpVerifyFailure.createMany({ data: Array.from({ length: VERIFY_FAILURES_PER_NETWORK_PER_HOUR }, () => ({ network: "203.0.113.94", at: now })) });
    const refused = callerFrom(m, "203.0.113.94").account.delete({ code, acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } });
    expect(await domainRefusal(refused)).toBe("VERIFY_NETWORK_LIMIT");
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: m } })).toMatchObject({ deletedAt: null });
  });

  it("绑定支付宝: a wrong code is a failure of the caller's network, and a network over its limit is refused", async () => {
    vi.stubEnv("PAYOUT_PROVIDER", "alipay");
    const m = await shopper("netpayee1", "13700009005");
    await sendPayeeCode(database.prisma, m, null, "alipay");
    const code = await lastCode("13700009005");
    expect(await domainRefusal(callerFrom(m, "203.0.113.95").wallet.bindAlipay({ account: "13300139000", code: otherThan(code) }))).toBe("INVALID_CODE");
    expect(await failuresOf("203.0.113.95")).toBe(1);
    const now = new Date();
    await database.prisma.otpVerifyFailure.createMany({ data: Array.from({ length: VERIFY_FAILURES_PER_NETWORK_PER_HOUR }, () => ({ network: "203.0.113.96", at: now })) });
    expect(await domainRefusal(callerFrom(m, "203.0.113.96").wallet.bindAlipay({ account: "13300139000", code }))).toBe("VERIFY_NETWORK_LIMIT");
    // From the shopper's own network the code still binds.
    expect(await callerFrom(m, "203.0.113.97").wallet.bindAlipay({ account: "13300139000", code })).toEqual({ account: "133****9000" });
  });
});
