// Payments: start a payment with a provider, take its signed callback, refund to the original path.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { inTx, refuse, loadConfig, audit } from "../context";
import { confirmPayment, refundOrder, type PaymentResult } from "../orders";
import type { PaymentProvider } from "./provider";
import { SandboxProvider, sandboxAllowed } from "./sandbox";

export type { PaymentProvider };

const providers = new Map<string, PaymentProvider>([["sandbox", new SandboxProvider()]]);

export function getProvider(name: string): PaymentProvider {
  const p = providers.get(name);
  if (!p) refuse("NO_PROVIDER", `unknown payment provider ${name}`);
  // No real money behind it: in production only when the deployment enabled it (PAYMENTS_SANDBOX=1).
  if (p.name === "sandbox" && !sandboxAllowed()) refuse("NO_PROVIDER", "the sandbox payment provider is disabled in production");
  return p;
}

/** The provider new payments go to (PAYMENT_PROVIDER; the sandbox in development). */
export function defaultProviderName(): string {
  return process.env.PAYMENT_PROVIDER || "sandbox";
}

/** Registers a real provider adapter (WeChat Pay, Alipay) next to the sandbox. */
export function registerProvider(p: PaymentProvider) {
  providers.set(p.name, p);
}

/** Starts paying an order (the shopper's own, unpaid). Returns the cashier URL. */
/** Pseudo-provider of orders paid entirely with store credit (no money to collect or refund). */
export const CREDIT_ONLY = "credit";

export async function startPayment(db: Db, input: { orderId: number; memberId: number; provider?: string; baseUrl: string; now?: Date }) {
  const provider = getProvider(input.provider ?? defaultProviderName());
  const order = await db.order.findUnique({ where: { id: input.orderId } });
  if (!order || order.memberId !== input.memberId) refuse("NOT_FOUND", "订单不存在");
  if (order.status !== "PENDING_PAYMENT") refuse("NOT_PAYABLE", "订单当前不可支付");
  const config = await loadConfig(db);
  const now = input.now ?? new Date();
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
  const claimed = await db.paymentIntent.updateMany({
    where: { id: intent.id, status: "CREATED" },
    data: { status: result.outcome === "refused" ? "REFUNDED_LATE" : "PAID", paidAt: now, providerTxnId: n.providerTxnId },
  });
  if (result.outcome === "refused" && claimed.count === 1) {
    // The shopper paid an order we can no longer accept (cancelled meanwhile, or paid twice):
    // their money goes straight back, once (refundNo is unique per provider transaction).
    await provider.refund({ refundNo: `LATE-${n.providerTxnId}`, providerTxnId: n.providerTxnId, amountFen: n.amountFen });
    await inTx(db, { now }, (ctx) => audit(ctx, null, "payment.late_refunded", `order:${intent.orderId}`, { reference: n.reference, reason: result.reason }));
  }
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
  const payment = await db.payment.findFirst({ where: { orderId } });
  if (payment?.refundNo && payment.provider !== CREDIT_ONLY) {
    await getProvider(payment.provider).refund({ refundNo: payment.refundNo, providerTxnId: payment.providerTxnId, amountFen: payment.amountFen });
  }
  return result;
}
