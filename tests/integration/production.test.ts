// Issue 8 rules that need a database: callback freshness, the cashier's owner check, the key
// fingerprint, no demo seed in production, the OTP budget without a known IP, and session
// revocation (deleted account, sign out everywhere; a frozen shopper keeps the session) through the real next-auth jwt callback.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { handlePaymentNotification, startPayment } from "../../server/payments";
import { payInSandboxCashier, signSandbox, SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER } from "../../server/payments/sandbox";
import { phoneFields } from "../../server/auth/crypto";
import { checkFieldKey, KeyMismatchError } from "../../server/auth/key-check";
import { OtpError, sendSignInCode } from "../../server/auth/otp";
import { sessionIsCurrent, signOutEverywhere } from "../../server/auth/session";
import { seedDemo } from "../../prisma/seed";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));

const config = parseConfig({});
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 26800, category: "tea", stock: 50 });
});
afterAll(() => database.close());
afterEach(() => vi.unstubAllEnvs());

let n = 0;
async function member(extra: { phone?: string } = {}) {
  n += 1;
  return inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: `u${n}`, ...(extra.phone ? { phone: phoneFields(extra.phone) } : {}) }));
}
async function unpaidOrder(memberId: number) {
  const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "x" }));
  const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId, baseUrl: "http://127.0.0.1:9" });
  return { order, reference };
}
function signed(reference: string, amountFen: number, at: number, txn: string) {
  const body = JSON.stringify({ reference, providerTxnId: txn, amountFen, currency: "CNY", status: "SUCCESS" });
  const ts = String(at);
  return { body, headers: new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts }) };
}

describe("sandbox callbacks", () => {
  it("refuse a correctly signed callback older than 5 minutes or from the future; accept a fresh one", async () => {
    const b = await member();
    const { order, reference } = await unpaidOrder(b.id);
    const now = Date.now();
    const stale = signed(reference, order.payableFen, now - 5 * 60_000 - 1_000, "T1");
    await expect(handlePaymentNotification(database.prisma, "sandbox", stale.body, stale.headers, new Date(now), new Date(now))).rejects.toThrow(/stale/);
    const future = signed(reference, order.payableFen, now + 2 * 60_000, "T1");
    await expect(handlePaymentNotification(database.prisma, "sandbox", future.body, future.headers, new Date(now), new Date(now))).rejects.toThrow(/future/);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
    const fresh = signed(reference, order.payableFen, now - 4 * 60_000, "T1");
    expect(await handlePaymentNotification(database.prisma, "sandbox", fresh.body, fresh.headers, new Date(now), new Date(now))).toEqual({ outcome: "paid" });
  });

  it("the cashier's 确认支付 works only for the order's owner", async () => {
    const a = await member();
    const b = await member();
    const { order, reference } = await unpaidOrder(a.id);
    await expect(payInSandboxCashier(database.prisma, { reference, memberId: b.id, notifyUrl: "http://127.0.0.1:9/notify", now: new Date() })).rejects.toThrow(/订单不存在/);
    // The gateway was not asked: no transaction id was assigned.
    expect((await database.prisma.paymentIntent.findUniqueOrThrow({ where: { reference } })).providerTxnId).toBeNull();
    const mine = await payInSandboxCashier(database.prisma, { reference, memberId: a.id, notifyUrl: "http://127.0.0.1:9/notify", now: new Date() });
    expect(mine).toEqual({ orderId: order.id, paid: true });
    expect((await database.prisma.paymentIntent.findUniqueOrThrow({ where: { reference } })).providerTxnId).toMatch(/^SBX/);
  });

  it("the sandbox cashier closes the trade at the expiry it was created with, like a real provider's time_expire", async () => {
    const a = await member();
    const { order, reference } = await unpaidOrder(a.id);
    // Our cancel deadline is createdAt + the payment time limit; the provider's expiry is 2 minutes before it.
    const expiry = order.createdAt.getTime() + config.paymentTimeoutMinutes * 60_000 - 2 * 60_000;
    const notify = "http://127.0.0.1:9/notify";
    expect(await payInSandboxCashier(database.prisma, { reference, memberId: a.id, notifyUrl: notify, now: new Date(expiry) })).toEqual({ orderId: order.id, paid: false });
    expect((await database.prisma.paymentIntent.findUniqueOrThrow({ where: { reference } })).providerTxnId).toBeNull();
    expect(await payInSandboxCashier(database.prisma, { reference, memberId: a.id, notifyUrl: notify, now: new Date(expiry - 1) })).toEqual({ orderId: order.id, paid: true });
  });
});

describe("field-encryption key fingerprint", () => {
  it("records the key, then refuses a start under another key instead of creating second accounts", async () => {
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "first-key-".repeat(4));
    await member({ phone: "13911112222" });
    expect(await checkFieldKey(database.prisma)).toBe("recorded");
    expect(await checkFieldKey(database.prisma)).toBe("match");
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "second-key".repeat(4));
    await expect(checkFieldKey(database.prisma)).rejects.toThrow(KeyMismatchError);
    await expect(checkFieldKey(database.prisma)).rejects.toThrow(/second account/);
    // A database from before fingerprints: judged by decrypting a stored phone number.
    await database.prisma.keyFingerprint.deleteMany();
    await expect(checkFieldKey(database.prisma)).rejects.toThrow(/does not decrypt/);
    expect(await database.prisma.keyFingerprint.count()).toBe(0);
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "first-key-".repeat(4));
    expect(await checkFieldKey(database.prisma)).toBe("recorded");
  });
});

describe("production never seeds demo data", () => {
  it("seedDemo refuses under NODE_ENV=production and writes nothing", async () => {
    const other = await freshDatabase();
    try {
      vi.stubEnv("NODE_ENV", "production");
      await expect(seedDemo(other.prisma)).rejects.toThrow(/production/);
      expect(await other.prisma.member.count()).toBe(0);
      expect(await other.prisma.product.count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe("OTP sending without a known client IP", () => {
  it("shares one global hourly budget instead of switching the per-IP limit off", async () => {
    vi.stubEnv("OTP_UNKNOWN_IP_PER_HOUR", "3");
    const t = new Date("2026-12-01T08:00:00Z");
    for (const phone of ["13700000001", "13700000002", "13700000003"]) await sendSignInCode(database.prisma, phone, null, t);
    const refused = await sendSignInCode(database.prisma, "13700000004", null, t).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OtpError);
    expect((refused as OtpError).code).toBe("GLOBAL_LIMIT");
    // A known IP has its own per-IP limit and is not blocked by the unknown-IP budget.
    await sendSignInCode(database.prisma, "13700000005", "203.0.113.7", t);
    // An hour later the budget is free again.
    await sendSignInCode(database.prisma, "13700000004", null, new Date(t.getTime() + 3_600_001));
  });
});

describe("sessions are checked against the database on every request", () => {
  it("a deleted account and a signed-out-everywhere session are refused by the next-auth jwt callback; a frozen shopper is not", async () => {
    const { authOptions } = await import("../../server/auth/options");
    const jwt = (token: object) => authOptions.callbacks!.jwt!({ token, account: null } as never);
    const a = await member();
    const token = { memberId: a.id, sessionVersion: 0, role: "SHOPPER" };
    await expect(jwt(token)).resolves.toMatchObject({ memberId: a.id });
    // A token from before session versions counts as version 0.
    await expect(jwt({ memberId: a.id })).resolves.toMatchObject({ memberId: a.id });

    // Frozen (SPEC §8: earns nothing new, cannot withdraw) keeps the session: their orders and wallet stay in reach.
    await database.prisma.member.update({ where: { id: a.id }, data: { frozen: true } });
    await expect(jwt(token)).resolves.toMatchObject({ memberId: a.id });
    await database.prisma.member.update({ where: { id: a.id }, data: { frozen: false } });
    await expect(jwt(token)).resolves.toMatchObject({ memberId: a.id });
    // Deleted (marked frozen too) ends it, even at the token's own session version.
    const d = await member();
    const dToken = { memberId: d.id, sessionVersion: 0 };
    await expect(jwt(dToken)).resolves.toMatchObject({ memberId: d.id });
    await database.prisma.member.update({ where: { id: d.id }, data: { frozen: true, deletedAt: new Date() } });
    await expect(jwt(dToken)).rejects.toThrow("SESSION_REVOKED");
    expect(await sessionIsCurrent(database.prisma, d.id, 0)).toBe(false);

    expect(await signOutEverywhere(database.prisma, a.id)).toEqual({ sessionVersion: 1 });
    await expect(jwt(token)).rejects.toThrow("SESSION_REVOKED");
    expect(await sessionIsCurrent(database.prisma, a.id, 1)).toBe(true);
    await expect(jwt({ ...token, sessionVersion: 1 })).resolves.toMatchObject({ memberId: a.id });
    // A member that no longer exists.
    await expect(jwt({ memberId: 999_999, sessionVersion: 0 })).rejects.toThrow("SESSION_REVOKED");
  });
});
