// Staff read a refund's money as the shopper does (SPEC §1: it goes back the original payment path). The refund's
// provider call is DONE as soon as it was sent, and stays DONE when the provider later closes it or never confirms
// it: the back office's order detail says where the money stands by the shopper's rule (server/payments/refund-state),
// so a refund not confirmed after the 14 days it is asked about reads 退款未确认 for staff while the shopper reads
// 退款处理中, and 已退款 only once the provider confirmed it.
import { describe, expect, it } from "vitest";
import { refundOrder } from "../server/orders";
import { getMemberOrder } from "../server/orders/view";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider } from "../server/payments";
import type { RefundNotification } from "../server/payments/provider";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls } from "../server/payments/calls";
import { createT } from "../lib/i18n/core";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { en } from "../lib/i18n/messages/en";
import { refundBed, T0 as t0 } from "./helpers/refunds";
import { signedInStaff } from "./helpers/caller";

const bed = refundBed();
const { run, paidOrder, callOf } = bed;
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const DAY_MIN = 24 * 60;
const zh = createT("zh-CN", zhCN);

/** The operator's order detail (merchantOrder.detail): each refund call's raw status, its stage and the stage's words. */
async function staffReads(orderId: number) {
  const { caller } = await signedInStaff(bed.database.prisma, "operator");
  const detail = await caller.merchantOrder.detail({ id: orderId });
  return detail.providerCalls.map((c) => ({ status: c.status, stage: c.refundStage, label: c.refundStage ? zh(`mo.d.refundStage.${c.refundStage}`) : null }));
}

/** The shopper's headline for the same order. */
async function shopperReads(memberId: number, orderId: number, now: Date) {
  const o = (await run((ctx) => getMemberOrder(ctx, memberId, orderId), now))!;
  return [o.statusLabel, o.refundState];
}

const callback = (refundNo: string, status: RefundNotification["status"], refundedAt?: Date) =>
  JSON.stringify({ kind: "refund", refundNo, providerTxnId: "SBX1", refundFen: 10_000, status, refundedAt });
const notifyAt = (body: string, at: Date) => handlePaymentNotification(bed.database.prisma, "sandbox", body, new Headers(), at);

describe("the staff order detail's refund line tells where the money stands, as the shopper's order does", () => {
  it("its timeline says 发起退款 at the refund and 退款成功 only when the provider confirmed it, dated by the provider", async () => {
    const { orderId } = await paidOrder();
    const refundSteps = async () => {
      const { caller } = await signedInStaff(bed.database.prisma, "operator");
      return (await caller.merchantOrder.detail({ id: orderId })).timeline.filter((e) => e.kind.startsWith("refund")).map((e) => [e.kind, e.at]);
    };
    await refundOrderThroughProvider(bed.database.prisma, orderId, minutes(1));
    expect(await refundSteps()).toEqual([["refunded", minutes(1)]]);
    await reconcileOpenRefunds(bed.database.prisma, minutes(14 * DAY_MIN + 1));
    expect(await refundSteps()).toEqual([["refunded", minutes(1)]]);
    await notifyAt(callback((await callOf(orderId)).idempotencyNo, "SUCCESS", minutes(15 * DAY_MIN)), minutes(15 * DAY_MIN + 1));
    expect(await refundSteps()).toEqual([["refunded", minutes(1)], ["refund_done", minutes(15 * DAY_MIN)]]);
  });

  it("unconfirmed for the 14 days it is asked about: 退款未确认 for staff (not 已退款), 退款处理中 for the shopper; the provider's late SUCCESS makes it 已退款 for both", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    expect(await staffReads(orderId)).toEqual([{ status: "DONE", stage: "awaiting", label: "退款中（等待渠道确认）" }]);
    await reconcileOpenRefunds(bed.database.prisma, minutes(14 * DAY_MIN));
    expect(await bed.database.prisma.auditLog.count({ where: { action: "payment.refund_unconfirmed" } })).toBe(1);

    expect(await staffReads(orderId)).toEqual([{ status: "DONE", stage: "unconfirmed", label: "退款未确认（已停止查询，请到支付平台核对）" }]);
    expect(await shopperReads(memberId, orderId, minutes(14 * DAY_MIN + 1))).toEqual(["退款处理中", "stuck"]);

    await notifyAt(callback((await callOf(orderId)).idempotencyNo, "SUCCESS", minutes(15 * DAY_MIN)), minutes(15 * DAY_MIN + 1));
    expect(await staffReads(orderId)).toEqual([{ status: "DONE", stage: "confirmed", label: "已退款（渠道已确认）" }]);
    expect(await shopperReads(memberId, orderId, minutes(15 * DAY_MIN + 2))).toEqual(["已退款", "done"]);
  });

  it("confirmed by the provider's callback: 已退款（渠道已确认）", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await notifyAt(callback((await callOf(orderId)).idempotencyNo, "SUCCESS", minutes(4)), minutes(5));
    expect(await staffReads(orderId)).toEqual([{ status: "DONE", stage: "confirmed", label: "已退款（渠道已确认）" }]);
    expect(await shopperReads(memberId, orderId, minutes(6))).toEqual(["已退款", "done"]);
  });

  it("paid back at once by the provider: 已退款（渠道已确认）", async () => {
    bed.provider.refunds = "success";
    const { orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    expect(await staffReads(orderId)).toEqual([{ status: "DONE", stage: "confirmed", label: "已退款（渠道已确认）" }]);
  });

  it("closed by the provider: 退款失败 for staff, 退款处理中 for the shopper, never 已退款", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await notifyAt(callback((await callOf(orderId)).idempotencyNo, "CLOSED"), minutes(30));
    expect(await staffReads(orderId)).toEqual([{ status: "DONE", stage: "failed", label: "退款失败（渠道已关闭或异常，请到支付平台核对）" }]);
    expect(await shopperReads(memberId, orderId, minutes(31))).toEqual(["退款处理中", "stuck"]);
  });

  it("queued and not yet sent: 退款中; given up on after the provider kept failing: 退款失败，已暂停重试", async () => {
    bed.provider.refunds = "failing";
    const { memberId, orderId } = await paidOrder();
    expect(await run((ctx) => refundOrder(ctx, orderId), t0)).toEqual({ refunded: true });
    expect(await staffReads(orderId)).toEqual([{ status: "PENDING", stage: "sending", label: "退款中（正在提交支付渠道）" }]);
    for (let i = 0; i < PROVIDER_MAX_ATTEMPTS && (await callOf(orderId)).status === "PENDING"; i++) {
      await performDueProviderCalls(bed.database.prisma, (await callOf(orderId)).nextAttemptAt);
    }
    expect(await staffReads(orderId)).toEqual([{ status: "DEAD", stage: "dead", label: "退款失败，已暂停重试" }]);
    expect(await shopperReads(memberId, orderId, (await callOf(orderId)).nextAttemptAt)).toEqual(["退款处理中", "stuck"]);
  });
});

describe("the refund stages' words", () => {
  it("exist in English too", () => {
    const t = createT("en", en);
    expect(t("mo.d.refundStage.unconfirmed")).toBe("Refund not confirmed: no longer asked (check it with the provider)");
    expect(t("mo.d.refundStage.confirmed")).toBe("Refunded (confirmed by the provider)");
  });
});
