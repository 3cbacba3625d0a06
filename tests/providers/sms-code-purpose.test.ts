// An SMS code says what it is for and is accepted only for that (server/auth/otp.ts): the sign-in code reads
// 登录验证码, the 注销账号 confirmation code 您正在注销账号, the outbox's copy signed with the shop's name (店铺资料);
// a deletion code does not sign in (the real SMS sign-in, server/auth/options.ts) and a sign-in code does not delete an account (account.delete). Both 5 minutes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { lookupHash, phoneFields } from "../../server/auth/crypto";
import { freshDatabase } from "../helpers/db";
import { callerFor, domainRefusal } from "../helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }),
  headers: async () => new Headers({ host: "shop.example.com" }),
}));

const { authOptions } = await import("../../server/auth/options");
const { sendSignInCode } = await import("../../server/auth/otp");

const config = parseConfig({});
/** The 用户协议 and 隐私政策 versions in force on a fresh database, as the login page's box sends them. */
const CONSENT = "1.1";
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterAll(() => database.close());

type Authorize = (c: Record<string, string>) => Promise<{ id: string } | null>;
const signIn = (phone: string, code: string) => (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize({ phone, code, consent: CONSENT });

/** The newest SMS to `phone` in the development outbox, and the code in it. */
async function lastSms(phone: string) {
  const { body } = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) }, orderBy: { id: "desc" } });
  return { body, code: /(\d{6})/.exec(body)![1]! };
}

async function member(phone: string) {
  const m = await inTx(database.prisma, { config }, (c) => registerMember(c, { username: `m_${lookupHash(phone).slice(0, 16)}`, phone: phoneFields(phone), ip: "10.1.2.3", device: phone }));
  return m.id;
}

describe("an SMS code's words", () => {
  it("the sign-in code is a 登录验证码, valid 5 minutes", async () => {
    await sendSignInCode(database.prisma, "13700003001", "198.51.100.21");
    const { body, code } = await lastSms("13700003001");
    expect(body).toBe(`【裂变商城】您的登录验证码是 ${code}，5 分钟内有效。请勿将验证码告诉他人。`);
  });

  it("the 注销账号 confirmation code says the account is being deleted, valid 5 minutes", async () => {
    const id = await member("13700003002");
    await callerFor(database.prisma, id).account.sendDeletionCode();
    const { body, code } = await lastSms("13700003002");
    expect(body).toBe(`【裂变商城】您正在注销账号，验证码是 ${code}，5 分钟内有效。如非本人操作请忽略，请勿将验证码告诉他人。`);
    expect(body).not.toContain("登录");
  });

  it("is signed with the shop's name from 店铺资料, as a vendor signs with its registered signature", async () => {
    const named = { name: "小满优选", updatedAt: new Date(), updatedById: 1 };
    await database.prisma.shopProfile.upsert({ where: { id: "default" }, create: { id: "default", ...named }, update: named });
    try {
      await sendSignInCode(database.prisma, "13700003005", "198.51.100.23");
      const { body, code } = await lastSms("13700003005");
      expect(body).toBe(`【小满优选】您的登录验证码是 ${code}，5 分钟内有效。请勿将验证码告诉他人。`);
    } finally {
      await database.prisma.shopProfile.delete({ where: { id: "default" } });
    }
  });
});

describe("a code is accepted only for its purpose", () => {
  it("a deletion code does not sign in; it counts as a wrong code and still confirms the deletion", async () => {
    const id = await member("13700003003");
    await callerFor(database.prisma, id).account.sendDeletionCode();
    const { code } = await lastSms("13700003003");
    await expect(signIn("13700003003", code)).rejects.toThrow("验证码错误，还可尝试 4 次");
    expect(await callerFor(database.prisma, id).account.delete({ code, acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } })).toEqual({ deleted: true });
  });

  it("a sign-in code does not delete the account; it still signs in", async () => {
    const id = await member("13700003004");
    await sendSignInCode(database.prisma, "13700003004", "198.51.100.22");
    const { code } = await lastSms("13700003004");
    expect(await domainRefusal(callerFor(database.prisma, id).account.delete({ code, acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } }))).toBe("INVALID_CODE");
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id } })).deletedAt).toBeNull();
    expect(await signIn("13700003004", code)).toMatchObject({ id: String(id) });
  });
});
