// SPEC §6: `pending` holds exactly the PENDING/CONFIRMED/ON_HOLD commissions and the MET/CONFIRMED cashback.
// Finance could once debit it by hand: the commission it mirrored then failed to settle on the Wallet CHECK,
// and even a refund of the buyer's order threw. A manual adjustment of `pending` is refused, by the form's
// schema (400) and by the domain (also for a request stored before the change), and nothing moves.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { advanceCommissionsOfOrder } from "../../server/commission";
import { approveAdjustment, rejectAdjustment, requestAdjustment } from "../../server/wallet/adjustments";
import { newAdjustmentRequestKey, type AdjustmentRequest } from "../../server/wallet/schemas";
import { walletOf } from "../../server/wallet/ledger";
import { createSimpleProduct } from "../../server/catalog/admin";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { refusal, signedInStaff } from "../helpers/caller";

const config = parseConfig({ rebate: { enabled: false } });
const t0 = new Date("2026-03-10T02:00:00Z"); // 10:00 Shanghai
let database: Database;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)));
const NOT_ADJUSTABLE = "只能调整可提现余额或购物金：待结算、提现中、已提现由系统按佣金、返现和提现记账，不能手工调整";

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(t0, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 10 });
  });
});
afterEach(() => database.close());

/** A sponsor with a PENDING L1 commission of floor(10 000 × 1 000 / 10 000) = 1 000 fen in `pending` (SPEC §4). */
async function sponsorWithPendingCommission() {
  const sponsor = (await run(t0, (ctx) => registerMember(ctx, { username: "s", ip: "1.1.1.1", device: "a" }))).id;
  const buyer = (await run(t0, (ctx) => registerMember(ctx, { username: "b", sponsorId: sponsor, ip: "2.2.2.2", device: "b" }))).id;
  const order = await run(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }));
  await run(t0, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "x1", amountFen: order.payableFen, currency: "CNY" }));
  expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ pending: 1_000, available: 0 });
  return { sponsor, orderId: order.id };
}

async function moneyRows() {
  const [adjustments, txns, audits] = await Promise.all([database.prisma.ledgerAdjustment.count(), database.prisma.ledgerTxn.count(), database.prisma.auditLog.count({ where: { action: { startsWith: "adjustment." } } })]);
  return { adjustments, txns, audits };
}

describe("manual adjustment of `pending`", () => {
  it("is refused with a clear message, changes nothing, and the commission still settles", async () => {
    const { sponsor, orderId } = await sponsorWithPendingCommission();
    const finance = await signedInStaff(database.prisma, "finance");
    const before = await moneyRows();

    // Below the 1 000 元 two-person threshold, so it would have been applied at once.
    const debit = { member: `${sponsor}`, bucket: "pending", amountFen: -1_000, reason: "测试扣减", requestKey: newAdjustmentRequestKey() } as unknown as AdjustmentRequest;
    expect(await refusal(finance.caller.merchantAdjustment.request(debit))).toEqual({ code: "BAD_REQUEST", message: expect.stringContaining(NOT_ADJUSTABLE) });
    expect(await code(run(t0, (ctx) => requestAdjustment(ctx, { staffId: finance.id }, debit)))).toBe(`BUCKET_NOT_ADJUSTABLE: ${NOT_ADJUSTABLE}`);
    expect(await code(run(t0, (ctx) => requestAdjustment(ctx, { staffId: finance.id }, { ...debit, amountFen: 1_000 })))).toBe(`BUCKET_NOT_ADJUSTABLE: ${NOT_ADJUSTABLE}`);
    expect(await moneyRows()).toEqual(before);
    expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ pending: 1_000, available: 0 });

    // SPEC §4: delivered at t0 + 1 day, COMPLETED when the 7-day window closes, SETTLED at T+1 into `available`.
    await run(new Date(t0.getTime() + DAY), async (ctx) => {
      await shipOrder(ctx, orderId);
      await confirmDelivery(ctx, orderId);
    });
    await run(new Date(t0.getTime() + 9 * DAY), (ctx) => completeOrder(ctx, orderId));
    await run(new Date(t0.getTime() + 11 * DAY), (ctx) => advanceCommissionsOfOrder(ctx, orderId));
    expect((await database.prisma.commission.findFirstOrThrow({ where: { orderId, level: 1 } })).status).toBe("SETTLED");
    expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ pending: 0, available: 1_000 });
  });

  it("a request of `pending` stored before the change cannot be approved; it can still be rejected", async () => {
    const { sponsor } = await sponsorWithPendingCommission();
    const fa = await signedInStaff(database.prisma, "finance");
    const fb = await signedInStaff(database.prisma, "finance");
    const old = await database.prisma.ledgerAdjustment.create({
      data: { memberId: sponsor, bucket: "pending", amountFen: -1_000, reason: "旧的待审批", status: "PENDING_APPROVAL", requestedById: fa.id, requestedAt: t0 },
    });
    const before = await moneyRows();
    expect(await code(run(t0, (ctx) => approveAdjustment(ctx, { staffId: fb.id }, old.id)))).toBe(`BUCKET_NOT_ADJUSTABLE: ${NOT_ADJUSTABLE}`);
    expect(await moneyRows()).toEqual(before);
    expect((await database.prisma.ledgerAdjustment.findUniqueOrThrow({ where: { id: old.id } })).status).toBe("PENDING_APPROVAL");
    expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ pending: 1_000 });
    await run(t0, (ctx) => rejectAdjustment(ctx, { staffId: fb.id }, old.id, "待结算不能手工调整"));
    expect((await database.prisma.ledgerAdjustment.findUniqueOrThrow({ where: { id: old.id } })).status).toBe("REJECTED");
    expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ pending: 1_000 });
  });
});
