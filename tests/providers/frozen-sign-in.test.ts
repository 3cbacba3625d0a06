// A frozen member (SPEC §8: earns nothing new, cannot withdraw; §5: their new paid orders open no task, so they still
// buy) signs in by SMS code and keeps the session: their paid order, its refund and their wallet stay in reach, and a
// withdrawal is refused in the domain (FROZEN, a 4xx with its message key). A deleted account (注销账号, marked frozen
// too) is signed out and never signs in again: its phone signs up as a new member. Through the real next-auth provider
// and callbacks (server/auth/options.ts); in tests/providers/ because it mocks modules.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { fromMerchant } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { setFrozen } from "../../server/members/status-history";
import { createSimpleProduct } from "../../server/catalog/admin";
import { lookupHash, phoneFields } from "../../server/auth/crypto";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshDatabase } from "../helpers/db";
import { callerFor, domainRefusal, refusal } from "../helpers/caller";
import { nextTestIdNumber } from "../helpers/id-numbers";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined }),
  headers: async () => new Headers({ host: "shop.example.com" }),
}));

const { authOptions } = await import("../../server/auth/options");
const { sendSignInCode } = await import("../../server/auth/otp");
const { sendDeletionCode } = await import("../../server/members/deletion");

const config = parseConfig({});
let database: Database;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);

beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 26800, category: "tea", stock: 50 });
});
afterAll(() => database.close());

type Authorize = (c: Record<string, string>) => Promise<{ id: string; sessionVersion: number } | null>;
const smsAuthorize = () => (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
const jwt = (token: object, user?: object) => authOptions.callbacks!.jwt!({ token, user, account: null } as never);

async function lastSms(phoneHash: string): Promise<string> {
  const sms = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash }, orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}

/** The phone's earlier codes as sent two minutes ago: the next one is not refused as too soon. */
const rewindCodes = (phone: string) => database.prisma.otpCode.updateMany({ where: { phoneHash: lookupHash(phone) }, data: { createdAt: new Date(Date.now() - 120_000) } });

/** Signs in with the phone's SMS code, as the login page does; the next-auth user, or the refusal's text. */
async function signIn(phone: string): Promise<{ id: string; sessionVersion: number } | string> {
  await rewindCodes(phone);
  await sendSignInCode(database.prisma, phone, null);
  return smsAuthorize()({ phone, code: await lastSms(lookupHash(phone)), consent: "1.1" }).then(
    (u) => u!,
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe("a frozen member", () => {
  it("signs in and keeps the session, sees and refunds their paid order and their wallet, and cannot withdraw", async () => {
    const phone = "13700007001";
    const m = await run((ctx) => registerMember(ctx, { username: "frozen-shopper", phone: phoneFields(phone) }));
    await run((ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
    await run((ctx) => fromMerchant(ctx, "fund", "frozen-sign-in", "merchant:commission", m.id, "available", 20_000));
    const order = await run((ctx) => createOrder(ctx, { memberId: m.id, lines: [{ sku: "tea", qty: 1 }], address: "frozen shopper's address" }));
    const paid = await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "SBX-frozen-1", amountFen: order.payableFen, currency: "CNY" }));
    expect(paid.outcome).toBe("paid");
    // Signed in before the freeze: the token outlives it.
    const before = await jwt({}, (await signIn(phone)) as object);
    expect(before).toMatchObject({ memberId: m.id, sessionVersion: 0 });

    expect(await run((ctx) => setFrozen(ctx, m.id, true))).toBe(true);
    await expect(jwt(before)).resolves.toMatchObject({ memberId: m.id });
    // And signs in anew while frozen (the old refusal was 账号已冻结，请联系客服).
    const user = await signIn(phone);
    expect(user).toMatchObject({ id: String(m.id), sessionVersion: 0 });
    const token = await jwt({}, user as object);
    await expect(jwt(token)).resolves.toMatchObject({ memberId: m.id });

    const api = callerFor(database.prisma, m.id);
    const list = await api.order.list({ tab: "all" });
    expect(JSON.stringify(list)).toContain(order.orderNo);
    expect(await api.order.byId({ id: order.id })).toMatchObject({ orderNo: order.orderNo, status: "PAID" });
    const wallet = await api.wallet.summary();
    expect(wallet).toMatchObject({ frozen: true, balances: { available: 20_000 } });

    // Withdrawal: refused in the domain, a 4xx whose key the page words in both languages; nothing moved.
    const withdraw = () => api.wallet.requestWithdrawal({ amountFen: 10_000, requestKey: "0123456789abcdef0123456789abcdef" });
    expect(await domainRefusal(withdraw())).toBe("FROZEN");
    expect((await refusal(withdraw())).code).toBe("BAD_REQUEST");
    expect(createT("zh-CN", MESSAGES["zh-CN"])("error.FROZEN")).toBe("账户已冻结，无法提现");
    expect(createT("en", MESSAGES.en)("error.FROZEN")).toBe("Your account is frozen, so it cannot withdraw");
    expect(await database.prisma.withdrawal.count({ where: { memberId: m.id } })).toBe(0);
    expect((await api.wallet.summary()).balances.available).toBe(20_000);

    // The order in transit can still be refunded (unshipped: at once, to the original payment).
    await api.order.requestRefund({ id: order.id, reason: "no_longer_needed" });
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).not.toBe("PAID");
  });
});

describe("a deleted account", () => {
  it("is signed out at once and never signs in again: its phone signs up as a new member", async () => {
    const phone = "13700007002";
    const user = await signIn(phone);
    expect(typeof user).toBe("object");
    const d = Number((user as { id: string }).id);
    const token = await jwt({}, user as object);
    await expect(jwt(token)).resolves.toMatchObject({ memberId: d });

    await rewindCodes(phone);
    await sendDeletionCode(database.prisma, d, null);
    const code = await lastSms(lookupHash(phone));
    await callerFor(database.prisma, d).account.delete({ code, acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } });
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: d } })).toMatchObject({ frozen: true, deletedAt: expect.any(Date) });

    // Its session ends, and stays ended even for a token at the new session version.
    await expect(jwt(token)).rejects.toThrow("SESSION_REVOKED");
    await expect(jwt({ ...token, sessionVersion: 1 })).rejects.toThrow("SESSION_REVOKED");
    // Its phone reaches it no more: signing in registers someone new.
    const again = await signIn(phone);
    expect(typeof again).toBe("object");
    expect(Number((again as { id: string }).id)).not.toBe(d);
  });
});
