// Staff find the refunds whose money has not reached the shopper without opening orders one by one: the orders list's
// 退款异常 filter lists exactly the REFUNDED orders whose refund the provider failed, we gave up sending (DEAD) or stopped
// asking about (unconfirmed) — newest first, paged as the list is — and 退款中 those still on their way; the back
// office's home counts the 退款异常 ones. Both read the refund's provider call (its recorded outcome, on a partial
// index), never the audit log, by the one rule the order's badge follows (server/payments/refund-state).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Db } from "../server/db";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { searchOrders, stuckRefundCount } from "../server/orders/merchant";
import { orderExport } from "../server/exports/orders";
import { CREDIT_ONLY, handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider } from "../server/payments";
import { fromMerchant } from "../server/wallet/ledger";
import type { RefundNotification } from "../server/payments/provider";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls } from "../server/payments/calls";
import { refundCallsMaybeSql } from "../server/payments/refund-state";
import { REFUND_CONFIG, refundBed, T0 as t0 } from "./helpers/refunds";
import { signedInStaff } from "./helpers/caller";
import { planWithoutSeqscan } from "./helpers/plans";

const bed = refundBed();
const { run, paidOrder, callOf } = bed;
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const DAY_MIN = 24 * 60;

const notifyAt = async (orderId: number, status: RefundNotification["status"], at: Date) => {
  const call = await callOf(orderId);
  // The provider's word on our refund names the refunded payment's transaction (another one's is refused).
  const body = JSON.stringify({ kind: "refund", refundNo: call.idempotencyNo, providerTxnId: call.providerTxnId, refundFen: 10_000, status, refundedAt: at });
  await handlePaymentNotification(bed.database.prisma, "sandbox", body, new Headers(), at);
};

/** Another 100 元 tea of the buyer, placed and paid `at` through the provider as transaction `txn`. */
async function paidAt(memberId: number, txn: string, at: Date) {
  const order = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }), at);
  await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: txn, amountFen: order.payableFen, currency: "CNY" }), at);
  return order.id;
}

/**
 * One order in each place a refund's money can be, placed a minute apart (the first oldest): the stuck ones are
 * `dead`, `failed`, `unconfirmed`; on their way `awaiting` and `sending`; back `confirmed`, `lateSuccess` (closed,
 * then the provider's late SUCCESS), `credit` (store credit only, placed last); `paid` is not refunded at all.
 */
async function ordersInEveryStage() {
  const { memberId, orderId: dead } = await paidOrder();
  const failed = await paidAt(memberId, "SBX2", minutes(1));
  const unconfirmed = await paidAt(memberId, "SBX3", minutes(2));
  const confirmed = await paidAt(memberId, "SBX4", minutes(3));
  const lateSuccess = await paidAt(memberId, "SBX5", minutes(4));
  const awaiting = await paidAt(memberId, "SBX6", minutes(5));
  const paid = await paidAt(memberId, "SBX7", minutes(6));
  const sending = await paidAt(memberId, "SBX8", minutes(7));

  bed.provider.refunds = "failing";
  expect(await run((ctx) => refundOrder(ctx, dead), minutes(10))).toEqual({ refunded: true });
  for (let i = 0; i < PROVIDER_MAX_ATTEMPTS && (await callOf(dead)).status === "PENDING"; i++) {
    await performDueProviderCalls(bed.database.prisma, (await callOf(dead)).nextAttemptAt);
  }
  expect((await callOf(dead)).status).toBe("DEAD");

  bed.provider.refunds = "processing";
  for (const id of [failed, unconfirmed, confirmed, lateSuccess]) await refundOrderThroughProvider(bed.database.prisma, id, minutes(20));
  await notifyAt(failed, "CLOSED", minutes(30));
  await notifyAt(confirmed, "SUCCESS", minutes(30));
  await notifyAt(lateSuccess, "ABNORMAL", minutes(30));
  await notifyAt(lateSuccess, "SUCCESS", minutes(40));
  await reconcileOpenRefunds(bed.database.prisma, minutes(14 * DAY_MIN + 20));

  await refundOrderThroughProvider(bed.database.prisma, awaiting, minutes(14 * DAY_MIN + 30));
  expect(await run((ctx) => refundOrder(ctx, sending), minutes(14 * DAY_MIN + 40))).toEqual({ refunded: true });

  await run((ctx) => fromMerchant(ctx, "gift", "test", "merchant:adjustment", memberId, "credit", 10_000));
  const creditOrder = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], creditFen: 10_000 }), minutes(8));
  const credit = creditOrder.id;
  await run((ctx) => confirmPayment(ctx, { orderId: credit, provider: CREDIT_ONLY, providerTxnId: `credit-${credit}`, amountFen: 0, currency: "CNY" }), minutes(8));
  expect(await run((ctx) => refundOrder(ctx, credit), minutes(14 * DAY_MIN + 50))).toEqual({ refunded: true });
  return { dead, failed, unconfirmed, confirmed, lateSuccess, awaiting, paid, sending, credit };
}

/** The database, counting its reads of the audit log. */
function countingAuditReads(db: Db) {
  const reads = { auditLog: 0 };
  const tx = new Proxy(db, {
    get(target, prop, receiver) {
      const model = Reflect.get(target, prop, receiver);
      if (prop !== "auditLog") return model;
      return new Proxy(model, {
        get(m, method) {
          const fn = Reflect.get(m, method);
          if (typeof fn !== "function") return fn;
          return (...args: unknown[]) => {
            reads.auditLog++;
            return fn.apply(m, args);
          };
        },
      });
    },
  });
  return { tx, reads };
}

describe("the orders list's refund filters and the home's 退款异常 count", () => {
  it("退款异常 lists exactly the refunds the provider failed, we gave up sending or stopped asking about, newest first and paged; 退款中 those on their way; the home counts the stuck", async () => {
    const o = await ordersInEveryStage();
    const { caller } = await signedInStaff(bed.database.prisma, "operator");

    const stuck = await caller.merchantOrder.search({ refund: "stuck" });
    expect(stuck.items.map((i) => [i.id, i.refundState, i.statusLabel])).toEqual([
      [o.unconfirmed, "stuck", "退款异常"],
      [o.failed, "stuck", "退款异常"],
      [o.dead, "stuck", "退款异常"],
    ]);
    expect(stuck.total).toBe(3);
    expect((await caller.merchantOrder.search({ refund: "pending" })).items.map((i) => [i.id, i.statusLabel])).toEqual([
      [o.sending, "退款中"],
      [o.awaiting, "退款中"],
    ]);

    // The list's paging and its other filters apply as to any filter.
    const second = await caller.merchantOrder.search({ refund: "stuck", pageSize: 2, page: 2 });
    expect([second.items.map((i) => i.id), second.total]).toEqual([[o.dead], 3]);
    expect((await caller.merchantOrder.search({ refund: "stuck", status: "PAID" })).items).toEqual([]);

    expect(await caller.merchantOrder.stuckRefundCount()).toBe(3);
    // The late SUCCESS settles it: off the list, and off the count.
    await notifyAt(o.failed, "SUCCESS", minutes(15 * DAY_MIN));
    expect((await caller.merchantOrder.search({ refund: "stuck" })).items.map((i) => i.id)).toEqual([o.unconfirmed, o.dead]);
    expect(await caller.merchantOrder.stuckRefundCount()).toBe(2);
  });

  it("the CSV export of the list filtered by 退款异常 holds exactly the stuck refunds (the filter sits in the list's status parameter)", async () => {
    const o = await ordersInEveryStage();
    const filter = orderExport.fromSearch(new URLSearchParams("status=REFUND_STUCK"));
    expect(filter).toEqual({ refund: "stuck" });
    expect(orderExport.parse(filter)).toEqual({ refund: "stuck" });
    expect(await orderExport.count(bed.database.prisma, filter!)).toBe(3);
    const rows = [];
    for await (const r of orderExport.rows(bed.database.prisma, filter!)) rows.push(r.id);
    expect(rows).toEqual([o.unconfirmed, o.failed, o.dead]);
    expect(orderExport.fromSearch(new URLSearchParams("status=REFUND_PENDING"))).toEqual({ refund: "pending" });
  });

  it("finding them reads no audit entry", async () => {
    await ordersInEveryStage();
    const { tx, reads } = countingAuditReads(bed.database.prisma);
    expect((await searchOrders({ tx, config: REFUND_CONFIG }, { refund: "stuck" })).total).toBe(3);
    expect(await stuckRefundCount({ tx, config: REFUND_CONFIG })).toBe(3);
    expect(reads.auditLog).toBe(0);
  });

  it("the migration's backfill gives every refund the outcome its audit entries recorded", async () => {
    const o = await ordersInEveryStage();
    const outcomes = () => bed.database.prisma.providerCall.findMany({ where: { kind: "REFUND" }, orderBy: { id: "asc" }, select: { orderId: true, refundOutcome: true } });
    const expected = new Map([
      [o.dead, null], [o.failed, "FAILED"], [o.unconfirmed, "UNCONFIRMED"], [o.confirmed, "CONFIRMED"], [o.lateSuccess, "CONFIRMED"], [o.awaiting, null], [o.sending, null],
    ]);
    expect(new Map((await outcomes()).map((c) => [c.orderId, c.refundOutcome]))).toEqual(expected);

    const sql = readFileSync("prisma/migrations/20261213010000_refund_outcome/migration.sql", "utf8");
    const backfill = /^UPDATE "ProviderCall"[\s\S]*?;$/m.exec(sql)![0];
    await bed.database.prisma.providerCall.updateMany({ data: { refundOutcome: null } });
    await bed.database.prisma.$executeRawUnsafe(backfill);
    expect(new Map((await outcomes()).map((c) => [c.orderId, c.refundOutcome]))).toEqual(expected);
  });

  it("the stuck refunds are read through their partial index, never by reading every provider call", async () => {
    const p = await planWithoutSeqscan(bed.database.prisma, refundCallsMaybeSql("stuck"));
    expect(p).not.toMatch(/Seq Scan on "ProviderCall"/);
    expect(p).toContain("ProviderCall_refund_stuck_idx");
    expect(await planWithoutSeqscan(bed.database.prisma, refundCallsMaybeSql("pending"))).not.toMatch(/Seq Scan on "ProviderCall"/);
  });
});
