// The order's own status for staff tells where a refund's money stands, by the shopper's rule (server/payments/
// refund-state refundProgressOf; SPEC §1: it goes back the original payment path): a REFUNDED order reads 退款中 while
// its refund is on its way, 退款异常 when the provider failed it, we gave up sending it or never heard it confirmed,
// and 已退款 only once the money is back — in the orders list (and its CSV) and on the order's page alike. The list
// reads it for its whole page at once; filtering by REFUNDED still lists every refunded order.
import { describe, expect, it } from "vitest";
import type { Db } from "../server/db";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { getMemberOrder } from "../server/orders/view";
import { orderExportPage, searchOrders } from "../server/orders/merchant";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider } from "../server/payments";
import type { RefundNotification } from "../server/payments/provider";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls } from "../server/payments/calls";
import { createT } from "../lib/i18n/core";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { en } from "../lib/i18n/messages/en";
import { REFUND_CONFIG, refundBed, T0 as t0 } from "./helpers/refunds";
import { signedInStaff } from "./helpers/caller";

const bed = refundBed();
const { run, paidOrder, callOf } = bed;
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const DAY_MIN = 24 * 60;

const callback = (refundNo: string, status: RefundNotification["status"], refundedAt?: Date) =>
  JSON.stringify({ kind: "refund", refundNo, providerTxnId: "SBX1", refundFen: 10_000, status, refundedAt });
const notifyAt = async (orderId: number, status: RefundNotification["status"], at: Date) =>
  handlePaymentNotification(bed.database.prisma, "sandbox", callback((await callOf(orderId)).idempotencyNo, status, at), new Headers(), at);

/** What the operator reads of the order: in the list filtered by 已退款 (REFUNDED) and on the order's page. */
async function staffReads(orderId: number) {
  const { caller } = await signedInStaff(bed.database.prisma, "operator");
  const row = (await caller.merchantOrder.search({ status: "REFUNDED" })).items.find((i) => i.id === orderId);
  const detail = await caller.merchantOrder.detail({ id: orderId });
  const read = (o: { status: string; refundState: string | null; statusLabel: string } | undefined) => o && { status: o.status, refund: o.refundState, label: o.statusLabel };
  return { list: read(row), detail: read(detail) };
}
const both = (refund: string, label: string) => ({ list: { status: "REFUNDED", refund, label }, detail: { status: "REFUNDED", refund, label } });

async function shopperLabel(memberId: number, orderId: number, now: Date) {
  return (await run((ctx) => getMemberOrder(ctx, memberId, orderId), now))!.statusLabel;
}

/** Another 100 元 tea of the same buyer, paid through the provider as transaction `txn`. */
async function anotherPaidOrder(memberId: number, txn: string) {
  const order = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: txn, amountFen: order.payableFen, currency: "CNY" }));
  return order.id;
}

/** The database, counting the reads of where refunds stand (payments, provider calls, their recorded outcomes). */
function countingRefundReads(db: Db) {
  const reads = { payment: 0, providerCall: 0, auditLog: 0 };
  const tx = new Proxy(db, {
    get(target, prop, receiver) {
      const model = Reflect.get(target, prop, receiver);
      if (!(typeof prop === "string" && prop in reads)) return model;
      return new Proxy(model, {
        get(m, method) {
          const fn = Reflect.get(m, method);
          if (typeof fn !== "function") return fn;
          return (...args: unknown[]) => {
            reads[prop as keyof typeof reads]++;
            return fn.apply(m, args);
          };
        },
      });
    },
  });
  return { tx, reads };
}

describe("a refunded order's status, for staff, says where its money stands", () => {
  it("on its way (the provider took it as processing): 退款中; once the provider confirms it: 已退款", async () => {
    const { orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    expect(await staffReads(orderId)).toEqual(both("pending", "退款中"));
    await notifyAt(orderId, "SUCCESS", minutes(5));
    expect(await staffReads(orderId)).toEqual(both("done", "已退款"));
  });

  it("never confirmed in the 14 days it is asked about: 退款异常 for staff while the shopper reads 退款处理中", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await reconcileOpenRefunds(bed.database.prisma, minutes(14 * DAY_MIN));
    expect(await staffReads(orderId)).toEqual(both("stuck", "退款异常"));
    expect(await shopperLabel(memberId, orderId, minutes(14 * DAY_MIN + 1))).toBe("退款处理中");
  });

  it("closed by the provider: 退款异常", async () => {
    const { orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await notifyAt(orderId, "CLOSED", minutes(30));
    expect(await staffReads(orderId)).toEqual(both("stuck", "退款异常"));
  });

  it("queued and not sent yet: 退款中; given up on after the provider kept failing: 退款异常", async () => {
    bed.provider.refunds = "failing";
    const { orderId } = await paidOrder();
    expect(await run((ctx) => refundOrder(ctx, orderId), t0)).toEqual({ refunded: true });
    expect(await staffReads(orderId)).toEqual(both("pending", "退款中"));
    for (let i = 0; i < PROVIDER_MAX_ATTEMPTS && (await callOf(orderId)).status === "PENDING"; i++) {
      await performDueProviderCalls(bed.database.prisma, (await callOf(orderId)).nextAttemptAt);
    }
    expect((await callOf(orderId)).status).toBe("DEAD");
    expect(await staffReads(orderId)).toEqual(both("stuck", "退款异常"));
  });

  it("paid with store credit only: 已退款 at once (no provider holds the money)", async () => {
    const { orderId } = await paidOrder(true);
    expect(await run((ctx) => refundOrder(ctx, orderId), t0)).toEqual({ refunded: true });
    expect(await staffReads(orderId)).toEqual(both("done", "已退款"));
  });
});

describe("the orders list reads it for the whole page at once", () => {
  it("a page of refunds in every state reads each right with one read of payments, of refund calls and of their outcomes; a page without a refunded order reads none", async () => {
    const { memberId, orderId: confirmed } = await paidOrder();
    const unconfirmed = await anotherPaidOrder(memberId, "SBX2");
    const closed = await anotherPaidOrder(memberId, "SBX3");
    const onItsWay = await anotherPaidOrder(memberId, "SBX4");
    const notRefunded = await anotherPaidOrder(memberId, "SBX5");
    for (const id of [confirmed, unconfirmed, closed]) await refundOrderThroughProvider(bed.database.prisma, id, t0);
    await notifyAt(confirmed, "SUCCESS", minutes(5));
    await notifyAt(closed, "CLOSED", minutes(30));
    await reconcileOpenRefunds(bed.database.prisma, minutes(14 * DAY_MIN));
    await refundOrderThroughProvider(bed.database.prisma, onItsWay, minutes(14 * DAY_MIN + 1));

    const { tx, reads } = countingRefundReads(bed.database.prisma);
    const page = await searchOrders({ tx, config: REFUND_CONFIG }, {});
    const shown = new Map(page.items.map((i) => [i.id, [i.status, i.refundState, i.statusLabel]]));
    expect(shown).toEqual(new Map([
      [confirmed, ["REFUNDED", "done", "已退款"]],
      [unconfirmed, ["REFUNDED", "stuck", "退款异常"]],
      [closed, ["REFUNDED", "stuck", "退款异常"]],
      [onItsWay, ["REFUNDED", "pending", "退款中"]],
      [notRefunded, ["PAID", null, "待发货"]],
    ]));
    expect(reads).toEqual({ payment: 1, providerCall: 1, auditLog: 0 });

    // The CSV export's pages read as the list does.
    const exported = await orderExportPage({ tx: bed.database.prisma, config: REFUND_CONFIG }, { status: "REFUNDED" }, null, 10);
    expect(new Map(exported.map((i) => [i.id, i.statusLabel]))).toEqual(new Map([[confirmed, "已退款"], [unconfirmed, "退款异常"], [closed, "退款异常"], [onItsWay, "退款中"]]));

    const unrefunded = countingRefundReads(bed.database.prisma);
    expect((await searchOrders({ tx: unrefunded.tx, config: REFUND_CONFIG }, { status: "PAID" })).items.map((i) => i.id)).toEqual([notRefunded]);
    expect(unrefunded.reads).toEqual({ payment: 0, providerCall: 0, auditLog: 0 });
  });
});

describe("the badge's words", () => {
  it("in Chinese and English", () => {
    const zh = createT("zh-CN", zhCN);
    const t = createT("en", en);
    expect([zh("mo.refundState.pending"), zh("mo.refundState.stuck")]).toEqual(["退款中", "退款异常"]);
    expect([t("mo.refundState.pending"), t("mo.refundState.stuck")]).toEqual(["Refunding", "Refund problem"]);
  });
});
