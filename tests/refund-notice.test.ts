// What the shopper is told about a refund (SPEC §1: it goes back to the original payment path): at the refund, that
// it was accepted and goes back the way they paid — the provider is asked only after commit and may fail — and, when
// the provider's refund ends in failure or is given up on (dead-lettered), once per refund, that it ran into a problem
// the shop will handle, without the provider's words. Store credit alone is back at once: that refund is told as done.
import { describe, expect, it } from "vitest";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider } from "../server/payments";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls } from "../server/payments/calls";
import { retryFailedJob } from "../server/scheduler/failed";
import { refundBed, T0 as t0 } from "./helpers/refunds";

const bed = refundBed();
const { run, paidOrder, callOf } = bed;

const refundNotices = (memberId: number) =>
  bed.database.prisma.notification.findMany({ where: { memberId, kind: "refund" }, orderBy: { id: "asc" }, select: { key: true, title: true, body: true } });

/** Runs the refund call's due attempts until it is dead-lettered. */
async function untilDead(orderId: number) {
  for (let i = 0; i < PROVIDER_MAX_ATTEMPTS && (await callOf(orderId)).status === "PENDING"; i++) {
    await performDueProviderCalls(bed.database.prisma, (await callOf(orderId)).nextAttemptAt);
  }
  expect((await callOf(orderId)).status).toBe("DEAD");
}

describe("the shopper's refund notices", () => {
  it("a refund through the provider is told as accepted and on its way back, never as done", async () => {
    const { memberId, order } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, order.id, t0);
    expect(await refundNotices(memberId)).toEqual([
      { key: "order.refundStarted", title: "退款已受理", body: `订单 ${order.orderNo} 的退款已受理，款项将原路退回` },
    ]);
  });

  it("an order paid wholly with store credit is refunded at once, nothing asked of a provider: told as refunded", async () => {
    const { memberId, order } = await paidOrder(true);
    await refundOrderThroughProvider(bed.database.prisma, order.id, t0);
    expect(await bed.database.prisma.providerCall.count({ where: { orderId: order.id } })).toBe(0);
    expect(await refundNotices(memberId)).toEqual([{ key: "order.refunded", title: "退款成功", body: `订单 ${order.orderNo} 已退款` }]);
  });

  it("a refund the provider keeps refusing is dead-lettered with one notice of the problem, without its words; dead-lettered again after a staff retry, nothing more", async () => {
    bed.provider.refunds = "failing";
    const { memberId, order } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, order.id, t0);
    // Failing and retried: nothing more than the refund's own notice yet.
    expect((await refundNotices(memberId)).map((n) => n.key)).toEqual(["order.refundStarted"]);
    await untilDead(order.id);
    const problem = { key: "order.refundFailed", title: "退款遇到问题", body: `订单 ${order.orderNo} 的退款遇到问题，商家会尽快为您处理` };
    expect(await refundNotices(memberId)).toEqual([{ key: "order.refundStarted", title: "退款已受理", body: `订单 ${order.orderNo} 的退款已受理，款项将原路退回` }, problem]);

    const call = await callOf(order.id);
    await run((ctx) => retryFailedJob(ctx, { staffId: bed.staffId }, { type: "providerCall", id: call.id }), call.nextAttemptAt);
    await untilDead(order.id);
    expect((await refundNotices(memberId)).filter((n) => n.key === "order.refundFailed")).toEqual([problem]);
  });

  it("a refund the provider accepted and then closed (its callback, repeated, and its query): one notice of the problem; a successful one: 退款已到账", async () => {
    const { memberId, order } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, order.id, t0);
    const call = await callOf(order.id);
    expect(call).toMatchObject({ status: "DONE", refundOpenSince: t0 });
    const callback = JSON.stringify({ kind: "refund", refundNo: call.idempotencyNo, providerTxnId: "SBX1", refundFen: 10_000, status: "CLOSED" });
    const later = new Date(t0.getTime() + 30 * 60_000);
    expect(await handlePaymentNotification(bed.database.prisma, "sandbox", callback, new Headers(), later)).toEqual({ outcome: "paid" });
    expect(await handlePaymentNotification(bed.database.prisma, "sandbox", callback, new Headers(), later)).toEqual({ outcome: "duplicate" });
    // Its query answering the same afterwards tells nothing more either.
    bed.provider.queryAnswer = "CLOSED";
    await reconcileOpenRefunds(bed.database.prisma, new Date(later.getTime() + 60 * 60_000));
    expect((await refundNotices(memberId)).map((n) => [n.key, n.title])).toEqual([["order.refundStarted", "退款已受理"], ["order.refundFailed", "退款遇到问题"]]);

    const other = await run(async (ctx) => {
      const buyer = await registerMember(ctx, { username: "second" });
      const o = await createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] });
      await confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: "SBX2", amountFen: o.payableFen, currency: "CNY" });
      return { memberId: buyer.id, orderId: o.id };
    });
    await refundOrderThroughProvider(bed.database.prisma, other.orderId, t0);
    const paidBack = JSON.stringify({ kind: "refund", refundNo: (await callOf(other.orderId)).idempotencyNo, providerTxnId: "SBX2", refundFen: 10_000, status: "SUCCESS" });
    expect(await handlePaymentNotification(bed.database.prisma, "sandbox", paidBack, new Headers(), later)).toEqual({ outcome: "paid" });
    expect((await refundNotices(other.memberId)).map((n) => n.key)).toEqual(["order.refundStarted", "order.refundDone"]);
  });
});
