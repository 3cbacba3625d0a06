// A provider refund accepted as processing whose outcome never comes is asked about for 14 days; then asking stops and
// the shopper's order turns from 退款中 to 退款处理中 (tests/refund-truth.test.ts). At that mark the shopper is told once,
// in their language, what happens next: the shop checks it, nothing to do if the money came, else contact the shop.
import { describe, expect, it } from "vitest";
import { getMemberOrder } from "../server/orders/view";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider } from "../server/payments";
import { tellShopperRefundUnconfirmed } from "../server/payments/refund-state";
import { createT } from "@/lib/i18n/core";
import { en } from "@/lib/i18n/messages/en";
import { noticeText } from "@/lib/i18n/notices";
import { refundBed, T0 as t0 } from "./helpers/refunds";

const bed = refundBed();
const { run, paidOrder, callOf } = bed;
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const DAY_MIN = 24 * 60;
/** 14 days after the refund was sent at t0: the last day it is asked about ends. */
const MARK = 14 * DAY_MIN;

const refundNotices = (memberId: number) =>
  bed.database.prisma.notification.findMany({ where: { memberId, kind: "refund" }, orderBy: { id: "asc" }, select: { key: true, title: true, body: true, params: true } });
const sweep = (at: number) => reconcileOpenRefunds(bed.database.prisma, minutes(at));

describe("a provider refund unconfirmed for 14 days", () => {
  it("tells the shopper once, at the mark, that the shop is checking it; the order reads 退款处理中", async () => {
    const { memberId, orderId, orderNo } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    const { idempotencyNo: refundNo } = await callOf(orderId);
    // Asked the day before and 11 minutes before the mark: still on its way, nothing more told.
    await sweep(MARK - DAY_MIN);
    await sweep(MARK - 11);
    expect((await refundNotices(memberId)).map((n) => n.key)).toEqual(["order.refundStarted"]);

    await sweep(MARK);
    const unconfirmed = {
      key: "order.refundUnconfirmed",
      title: "退款尚未确认到账",
      body: `订单 ${orderNo} 的退款已提交超过 14 天，支付渠道仍未确认到账，商家正在核实。如已收到退款请忽略；如未收到，请通过「我的」页的联系客服与商家联系`,
      params: { orderNo, refundNo, days: 14 },
    };
    expect((await refundNotices(memberId)).slice(1)).toEqual([unconfirmed]);
    expect((await run((ctx) => getMemberOrder(ctx, memberId, orderId), minutes(MARK + 1)))!.statusLabel).toBe("退款处理中");

    // Later sweeps no longer ask about it, and tell nothing more.
    await sweep(MARK + 60);
    await sweep(MARK + DAY_MIN);
    expect((await refundNotices(memberId)).map((n) => n.key)).toEqual(["order.refundStarted", "order.refundUnconfirmed"]);

    // Read in English, from the same key and parameters.
    expect(noticeText(createT("en", en), { ...unconfirmed, title: "", body: "" })).toEqual({
      title: "Refund not confirmed yet",
      body: `The refund for order ${orderNo} was sent over 14 days ago and the payment provider has still not confirmed it; the shop is checking it. If the money has reached you, there is nothing to do; if not, contact the shop through Contact us on the Me page`,
    });
  });

  it("two sweeps at the mark at once: one notice", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await Promise.all([sweep(MARK), sweep(MARK), sweep(MARK)]);
    expect(await bed.database.prisma.auditLog.count({ where: { action: "payment.refund_unconfirmed" } })).toBe(1);
    expect((await refundNotices(memberId)).filter((n) => n.key === "order.refundUnconfirmed")).toHaveLength(1);
  });

  it("the provider's late SUCCESS after the notice: told 退款已到账 once, the unconfirmed notice not repeated", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    await sweep(MARK);
    const { idempotencyNo: refundNo } = await callOf(orderId);
    const success = JSON.stringify({ kind: "refund", refundNo, providerTxnId: "SBX1", refundFen: 10_000, status: "SUCCESS", refundedAt: minutes(MARK + DAY_MIN) });
    expect(await handlePaymentNotification(bed.database.prisma, "sandbox", success, new Headers(), minutes(MARK + DAY_MIN + 1))).toEqual({ outcome: "paid" });
    await sweep(MARK + 2 * DAY_MIN);
    expect((await refundNotices(memberId)).map((n) => n.key)).toEqual(["order.refundStarted", "order.refundUnconfirmed", "order.refundDone"]);
  });

  it("a refund the provider confirmed before the mark: no such notice", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    bed.provider.queryAnswer = "SUCCESS";
    expect(await sweep(DAY_MIN)).toBe(1);
    await sweep(MARK);
    await sweep(MARK + DAY_MIN);
    expect((await refundNotices(memberId)).map((n) => n.key)).toEqual(["order.refundStarted", "order.refundDone"]);
  });

  it("told once per refund number, however often it is asked to tell", async () => {
    const { memberId, orderId } = await paidOrder();
    await refundOrderThroughProvider(bed.database.prisma, orderId, t0);
    const { idempotencyNo: refundNo } = await callOf(orderId);
    await run((ctx) => tellShopperRefundUnconfirmed(ctx, orderId, refundNo, 14), minutes(MARK));
    await run((ctx) => tellShopperRefundUnconfirmed(ctx, orderId, refundNo, 14), minutes(MARK + 1));
    expect((await refundNotices(memberId)).filter((n) => n.key === "order.refundUnconfirmed")).toHaveLength(1);
  });
});
