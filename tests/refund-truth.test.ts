// What the shopper sees about a refund tells the truth (SPEC §1: the money goes back the original payment path). The
// order is REFUNDED at once, but a provider's refund runs after commit: while it is on its way the order reads 退款中,
// when the provider failed it or it was given up on 退款处理中（商家正在处理）, and 已退款 / 退款成功 only once the
// provider confirmed it, or when no provider money was involved (store credit only). When the money is back the
// shopper is told once per refund (order.refundDone), however the confirmation comes and however often.
import { describe, expect, it } from "vitest";
import { refundOrder } from "../server/orders";
import { getMemberOrder, listMemberOrders } from "../server/orders/view";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider } from "../server/payments";
import type { RefundNotification } from "../server/payments/provider";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls, performProviderCall } from "../server/payments/calls";
import { retryFailedJob } from "../server/scheduler/failed";
import { storedNoticeText } from "../server/notifications/text";
import { refundBed, T0 as t0 } from "./helpers/refunds";

const bed = refundBed();
const { run, paidOrder, callOf } = bed;
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const DAY_MIN = 24 * 60;

/** The shopper's own view: the detail's headline label, state and timeline, and the list card's label. */
async function shopperSees(memberId: number, orderId: number, now: Date) {
  const detail = (await run((ctx) => getMemberOrder(ctx, memberId, orderId), now))!;
  const list = await run((ctx) => listMemberOrders(ctx, memberId, "refund"), now);
  const card = list.items.find((o) => o.id === orderId)!;
  return {
    status: detail.statusLabel,
    refundState: detail.refundState,
    timeline: detail.timeline.map((s) => [s.key, s.label, s.at]),
    card: [card.statusLabel, card.refundState],
  };
}

const refundDone = (memberId: number) =>
  bed.database.prisma.notification.findMany({ where: { memberId, key: "order.refundDone" }, select: { title: true, body: true, params: true } });
const callback = (refundNo: string, status: RefundNotification["status"], refundedAt?: Date) =>
  JSON.stringify({ kind: "refund", refundNo, providerTxnId: "SBX1", refundFen: 10_000, status, refundedAt });
const notifyAt = (body: string, at: Date) => handlePaymentNotification(bed.database.prisma, "sandbox", body, new Headers(), at);

/** Runs the refund call's due attempts until it is dead-lettered. */
async function untilDead(orderId: number) {
  for (let i = 0; i < PROVIDER_MAX_ATTEMPTS && (await callOf(orderId)).status === "PENDING"; i++) {
    await performDueProviderCalls(bed.database.prisma, (await callOf(orderId)).nextAttemptAt);
  }
  expect((await callOf(orderId)).status).toBe("DEAD");
}

const PENDING_STEPS = (refundedAt: Date) => [
  ["created", "提交订单", t0],
  ["paid", "支付成功", t0],
  ["refunding", "退款中（款项将原路退回）", refundedAt],
  ["refunded", "退款成功", null],
];
const STUCK_STEPS = (refundedAt: Date) => [
  ["created", "提交订单", t0],
  ["paid", "支付成功", t0],
  ["refundStuck", "退款处理中，商家正在处理", refundedAt],
  ["refunded", "退款成功", null],
];
const DONE_STEPS = (doneAt: Date) => [
  ["created", "提交订单", t0],
  ["paid", "支付成功", t0],
  ["refunded", "退款成功", doneAt],
];

describe("the shopper's order while its refund goes back through the provider", () => {
  it("accepted as processing: 退款中 until the provider's callback confirms it, then 已退款 dated by the provider; one 退款已到账 notice", async () => {
    const { memberId, orderId, orderNo } = await paidOrder();
    const refundAt = minutes(10);
    await refundOrderThroughProvider(bed.database.prisma, orderId, refundAt);
    expect(await shopperSees(memberId, orderId, minutes(11))).toEqual({ status: "退款中", refundState: "pending", timeline: PENDING_STEPS(refundAt), card: ["退款中", "pending"] });
    expect(await refundDone(memberId)).toEqual([]);

    const { idempotencyNo: refundNo } = await callOf(orderId);
    const backAt = minutes(14);
    expect(await notifyAt(callback(refundNo, "SUCCESS", backAt), minutes(15))).toEqual({ outcome: "paid" });
    expect(await shopperSees(memberId, orderId, minutes(16))).toEqual({ status: "已退款", refundState: "done", timeline: DONE_STEPS(backAt), card: ["已退款", "done"] });
    // Repeated by the provider, and answered by its query too: still one notice.
    expect(await notifyAt(callback(refundNo, "SUCCESS", backAt), minutes(20))).toEqual({ outcome: "duplicate" });
    bed.provider.queryAnswer = "SUCCESS";
    await reconcileOpenRefunds(bed.database.prisma, minutes(60));
    expect(await refundDone(memberId)).toEqual([
      { title: "退款已到账", body: `订单 ${orderNo} 的退款已原路退回到您的支付账户`, params: { orderNo, refundNo } },
    ]);
  });

  it("confirmed by the refund query when no callback came: 已退款 and one notice", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await reconcileOpenRefunds(bed.database.prisma, minutes(11));
    expect((await shopperSees(memberId, orderId, minutes(12))).status).toBe("退款中");
    bed.provider.queryAnswer = "SUCCESS";
    expect(await reconcileOpenRefunds(bed.database.prisma, minutes(22))).toBe(1);
    const seen = await shopperSees(memberId, orderId, minutes(23));
    expect([seen.status, seen.refundState, seen.card]).toEqual(["已退款", "done", ["已退款", "done"]]);
    // No provider time in the query's answer: the refund is dated when it was sent (the call's doneAt).
    expect(seen.timeline.at(-1)).toEqual(["refunded", "退款成功", t0]);
    expect(await refundDone(memberId)).toHaveLength(1);
  });

  it("closed by the provider: 退款处理中（商家正在处理）, never 已退款, and no 退款已到账", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await notifyAt(callback((await callOf(orderId)).idempotencyNo, "CLOSED"), minutes(30));
    expect(await shopperSees(memberId, orderId, minutes(31))).toEqual({ status: "退款处理中", refundState: "stuck", timeline: STUCK_STEPS(t0), card: ["退款处理中", "stuck"] });
    expect(await refundDone(memberId)).toEqual([]);
  });

  it("a provider that keeps failing: 退款中 while retried, 退款处理中 once dead-lettered; a staff retry that succeeds makes it 已退款 with one notice", async () => {
    bed.provider.refunds = "failing";
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    expect((await callOf(orderId)).status).toBe("PENDING");
    expect((await shopperSees(memberId, orderId, minutes(1))).timeline).toEqual(PENDING_STEPS(t0));
    await untilDead(orderId);
    const deadAt = (await callOf(orderId)).nextAttemptAt;
    expect(await shopperSees(memberId, orderId, deadAt)).toEqual({ status: "退款处理中", refundState: "stuck", timeline: STUCK_STEPS(t0), card: ["退款处理中", "stuck"] });
    expect(await refundDone(memberId)).toEqual([]);

    // Staff fix the account and retry: queued again (on its way), then the provider pays it back at once.
    const retryAt = new Date(deadAt.getTime() + 60_000);
    const call = await callOf(orderId);
    await run((ctx) => retryFailedJob(ctx, { staffId: bed.staffId }, { type: "providerCall", id: call.id }), retryAt);
    expect((await shopperSees(memberId, orderId, retryAt)).refundState).toBe("pending");
    bed.provider.refunds = "success";
    const paidBackAt = new Date(retryAt.getTime() + 60_000);
    expect(await performDueProviderCalls(bed.database.prisma, paidBackAt)).toBe(1);
    expect(await shopperSees(memberId, orderId, paidBackAt)).toEqual({ status: "已退款", refundState: "done", timeline: DONE_STEPS(paidBackAt), card: ["已退款", "done"] });
    // A late SUCCESS callback for the same refund tells nothing more.
    await notifyAt(callback(call.idempotencyNo, "SUCCESS"), new Date(paidBackAt.getTime() + 60_000));
    expect(await refundDone(memberId)).toHaveLength(1);
  });

  it("unconfirmed for the 14 days it is asked about: 退款处理中; the provider's late SUCCESS then makes it 已退款 with one notice", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    expect(await reconcileOpenRefunds(bed.database.prisma, minutes(14 * DAY_MIN))).toBe(0);
    expect(await bed.database.prisma.auditLog.count({ where: { action: "payment.refund_unconfirmed" } })).toBe(1);
    expect(await shopperSees(memberId, orderId, minutes(14 * DAY_MIN + 1))).toEqual({ status: "退款处理中", refundState: "stuck", timeline: STUCK_STEPS(t0), card: ["退款处理中", "stuck"] });

    const backAt = minutes(15 * DAY_MIN);
    await notifyAt(callback((await callOf(orderId)).idempotencyNo, "SUCCESS", backAt), minutes(15 * DAY_MIN + 1));
    expect(await shopperSees(memberId, orderId, minutes(15 * DAY_MIN + 2))).toEqual({ status: "已退款", refundState: "done", timeline: DONE_STEPS(backAt), card: ["已退款", "done"] });
    expect(await refundDone(memberId)).toHaveLength(1);
  });

  it("a provider that pays the refund back at once: 已退款 at once, and one notice that it is back", async () => {
    bed.provider.refunds = "success";
    const { memberId, orderId, orderNo } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, minutes(5));
    expect(await shopperSees(memberId, orderId, minutes(6))).toEqual({ status: "已退款", refundState: "done", timeline: DONE_STEPS(minutes(5)), card: ["已退款", "done"] });
    expect((await refundDone(memberId)).map((n) => n.body)).toEqual([`订单 ${orderNo} 的退款已原路退回到您的支付账户`]);
    expect((await bed.database.prisma.notification.findMany({ where: { memberId, kind: "refund" }, orderBy: { id: "asc" }, select: { key: true } })).map((n) => n.key)).toEqual([
      "order.refundStarted",
      "order.refundDone",
    ]);
  });

  it("store credit only: 已退款 at the refund itself, told 退款成功 once and never 退款已到账", async () => {
    const { memberId, orderId } = await paidOrder(true);
    await refundOrderThroughProvider(bed.database.prisma, orderId, minutes(5));
    expect(await shopperSees(memberId, orderId, minutes(6))).toEqual({ status: "已退款", refundState: "done", timeline: DONE_STEPS(minutes(5)), card: ["已退款", "done"] });
    await reconcileOpenRefunds(bed.database.prisma, minutes(60));
    await performDueProviderCalls(bed.database.prisma, minutes(60));
    expect((await bed.database.prisma.notification.findMany({ where: { memberId, kind: "refund" }, select: { key: true } })).map((n) => n.key)).toEqual(["order.refunded"]);
  });

  it("the provider's SUCCESS delivered many times at once, beside its query: one notice", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    const { idempotencyNo } = await callOf(orderId);
    bed.provider.queryAnswer = "SUCCESS";
    const at = minutes(30);
    const [callbacks, queries] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, () => notifyAt(callback(idempotencyNo, "SUCCESS", minutes(29)), at))),
      Promise.all([reconcileOpenRefunds(bed.database.prisma, at), reconcileOpenRefunds(bed.database.prisma, at)]),
    ]);
    // Exactly one of them records the outcome, whichever wins.
    expect(callbacks.filter((o) => o.outcome === "paid").length + queries[0] + queries[1]).toBe(1);
    expect(await refundDone(memberId)).toHaveLength(1);
    expect((await shopperSees(memberId, orderId, minutes(31))).refundState).toBe("done");
  });

  it("the refund's own attempt paid back at once while the provider's SUCCESS callback arrives, all at once: one notice", async () => {
    bed.provider.refunds = "success";
    const { memberId, orderId } = await paidOrder();
    // Refunded, its provider call queued and not yet attempted.
    expect(await run((ctx) => refundOrder(ctx, orderId), minutes(5))).toEqual({ refunded: true });
    const call = await callOf(orderId);
    const at = minutes(6);
    await Promise.all([
      performProviderCall(bed.database.prisma, call.id, at),
      ...Array.from({ length: 4 }, () => notifyAt(callback(call.idempotencyNo, "SUCCESS", at), at)),
      performProviderCall(bed.database.prisma, call.id, at),
    ]);
    expect(await refundDone(memberId)).toHaveLength(1);
    expect((await shopperSees(memberId, orderId, minutes(7))).refundState).toBe("done");
  });
});

describe("the 退款已到账 notice's text", () => {
  it("reads as the other refund notices do, in Chinese as stored", () => {
    expect(storedNoticeText("order.refundDone", { orderNo: "FM001", refundNo: "RF1" })).toEqual({ title: "退款已到账", body: "订单 FM001 的退款已原路退回到您的支付账户" });
  });
});
