// Payments: start a payment with a provider, take its signed callback, refund to the original path.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { inTx, refuse, loadConfig, audit } from "../context";
import { parseConfig } from "../config/schema";
import { confirmPayment, refundOrder, type PaymentResult } from "../orders";
import type { PaymentProvider } from "./provider";
import { defaultProviderName, getProvider, registerProvider } from "./registry";
import { CREDIT_ONLY, enqueueProviderCall } from "./outbox";
import { performProviderCall } from "./calls";

export type { PaymentProvider };

export { defaultProviderName, getProvider, registerProvider };

/** Starts paying an order (the shopper's own, unpaid). Returns the cashier URL. */
export { CREDIT_ONLY };

export async function startPayment(db: Db, input: { orderId: number; memberId: number; provider?: string; baseUrl: string; now?: Date }) {
  const provider = getProvider(input.provider ?? defaultProviderName());
  const order = await db.order.findUnique({ where: { id: input.orderId } });
  if (!order || order.memberId !== input.memberId) refuse("NOT_FOUND", "订单不存在");
  if (order.status !== "PENDING_PAYMENT") refuse("NOT_PAYABLE", "订单当前不可支付");
  const now = input.now ?? new Date();
  // The payment time limit of the rules the order was placed under.
  const config = order.ruleVersionId === null ? await loadConfig(db, now) : parseConfig((await db.ruleVersion.findUniqueOrThrow({ where: { id: order.ruleVersionId } })).config);
  if (now.getTime() >= order.createdAt.getTime() + config.paymentTimeoutMinutes * 60_000) {
    refuse("PAYMENT_EXPIRED", "订单已超过支付时限，请重新下单");
  }
  if (order.payableFen === 0) {
    // Fully paid with store credit: nothing for a provider to collect.
    const result = await inTx(db, { now }, (ctx) =>
      confirmPayment(ctx, { orderId: order.id, provider: CREDIT_ONLY, providerTxnId: `credit-${order.id}`, amountFen: 0, currency: order.currency }),
    );
    if (result.outcome === "refused") refuse("NOT_PAYABLE", "订单当前不可支付");
    return { reference: `credit-${order.id}`, cashierUrl: `/orders/${order.id}/result` };
  }
  const reference = `${order.orderNo}-${randomBytes(3).toString("hex")}`;
  await db.paymentIntent.create({
    data: { orderId: order.id, provider: provider.name, reference, amountFen: order.payableFen, currency: order.currency, createdAt: now },
  });
  const { cashierUrl } = await provider.createPayment({
    reference,
    amountFen: order.payableFen,
    currency: "CNY",
    description: `订单 ${order.orderNo}`,
    notifyUrl: `${input.baseUrl}/api/payments/${provider.name}/notify`,
    returnUrl: `${input.baseUrl}/orders/${order.id}`,
  });
  return { reference, cashierUrl };
}

/**
 * A provider callback: verify the signature, match it to our payment intent, then confirm the
 * payment (amount and currency checked against the order; idempotent).
 */
export async function handlePaymentNotification(
  db: Db,
  providerName: string,
  rawBody: string,
  headers: Headers,
  now = new Date(),
  receivedAt = new Date(), // real time: the signature's age is measured on the wire, not on the app clock
): Promise<PaymentResult> {
  const provider = getProvider(providerName);
  const n = provider.verifyNotification(rawBody, headers, receivedAt);
  if (n.status !== "SUCCESS") return { outcome: "refused", reason: `status ${n.status}` };
  const intent = await db.paymentIntent.findUnique({ where: { reference: n.reference } });
  if (!intent || intent.provider !== providerName) return { outcome: "refused", reason: "unknown payment reference" };
  if (n.amountFen !== intent.amountFen || n.currency !== intent.currency) return { outcome: "refused", reason: "amount or currency mismatch" };
  const result = await inTx(db, { now }, (ctx) =>
    confirmPayment(ctx, { orderId: intent.orderId, provider: providerName, providerTxnId: n.providerTxnId, amountFen: n.amountFen, currency: n.currency }),
  );
  const lateRefund = await inTx(db, { now }, async (ctx) => {
    const claimed = await ctx.tx.paymentIntent.updateMany({
      where: { id: intent.id, status: "CREATED" },
      data: { status: result.outcome === "refused" ? "REFUNDED_LATE" : "PAID", paidAt: now, providerTxnId: n.providerTxnId },
    });
    if (result.outcome !== "refused" || claimed.count === 0) return null;
    // The shopper paid an order we can no longer accept (cancelled meanwhile, or paid twice):
    // their money goes back, once (refundNo is unique per provider transaction), queued with the claim.
    await audit(ctx, null, "payment.late_refunded", `order:${intent.orderId}`, { reference: n.reference, reason: result.reason });
    return enqueueProviderCall(ctx, {
      kind: "REFUND", provider: provider.name, idempotencyNo: `LATE-${n.providerTxnId}`, amountFen: n.amountFen, providerTxnId: n.providerTxnId, orderId: intent.orderId,
    });
  });
  if (lateRefund !== null) await performProviderCall(db, lateRefund, now);
  return result;
}

const REFUND_REFUSAL: Record<string, string> = {
  "order is COMPLETED": "售后期已过，无法退款",
  "order is REFUNDED": "该订单已退款",
  "order is CANCELLED": "订单已取消，无需退款",
  "order is PENDING_PAYMENT": "订单未支付，无需退款",
  "no such order": "订单不存在",
};

/** Full refund (shopper request within the window, or merchant): order rules, then the provider. */
export async function refundOrderThroughProvider(db: Db, orderId: number, now = new Date()) {
  const result = await inTx(db, { now }, (ctx) => refundOrder(ctx, orderId));
  if (!result.refunded) refuse("NOT_REFUNDABLE", REFUND_REFUSAL[result.reason ?? ""] ?? "该订单当前无法退款");
  // Queued with the refund; asked now, and retried by the sweep if the provider fails.
  const calls = await db.providerCall.findMany({ where: { orderId, kind: "REFUND", status: "PENDING" }, select: { id: true } });
  for (const c of calls) await performProviderCall(db, c.id, now);
  return result;
}
