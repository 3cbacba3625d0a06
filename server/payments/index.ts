// Payments: start a payment with a provider, take its signed callback, refund to the original path.
import { randomBytes } from "node:crypto";
import { Prisma, type Db } from "../db";
import { inTx, refuse, loadConfig, audit, notify } from "../context";
import { orderTarget, type StaffActor } from "../audit";
import { parseConfig } from "../config/schema";
import { paymentDeadline } from "../orders/deadlines";
import { confirmPayment, refundOrder, type PaymentResult } from "../orders";
import type { PaymentNotification, PaymentProvider, PayoutNotification, RefundNotification } from "./provider";
import { choosePaymentProvider, defaultProviderName, getProvider, registerProvider } from "./registry";
import { CREDIT_ONLY, enqueueProviderCall } from "./outbox";
import { performProviderCall, tellShopperRefundDone, tellShopperRefundFailed } from "./calls";
import { tellShopperRefundUnconfirmed } from "./refund-state";
import { DAY } from "../clock/time";
import type { NoticeKey } from "@/lib/i18n/messages/notices.zh-CN";
import { PAYMENT_START_MARGIN_MS, PROVIDER_EXPIRY_MARGIN_MS, paymentCanStart } from "@/lib/payment-window";

export type { PaymentProvider };

export { choosePaymentProvider, defaultProviderName, getProvider, registerProvider };

export { CREDIT_ONLY };

export { PAYMENT_START_MARGIN_MS, PROVIDER_EXPIRY_MARGIN_MS };

/** The shopper's browser: its user agent picks the provider (WeChat → JSAPI), its IP goes to H5 pay. */
export interface PayingClient {
  userAgent?: string | null;
  ip?: string | null;
}

/** Starts paying an order (the shopper's own, unpaid). Returns the cashier URL. */
export async function startPayment(db: Db, input: { orderId: number; memberId: number; provider?: string; client?: PayingClient; baseUrl: string; now?: Date }) {
  let choice = input.provider ? { name: input.provider, channel: "h5" as "jsapi" | "h5" } : choosePaymentProvider(input.client?.userAgent);
  let provider = getProvider(choice.name);
  const order = await db.order.findUnique({ where: { id: input.orderId } });
  if (!order || order.memberId !== input.memberId) refuse("NOT_FOUND", "订单不存在");
  if (order.status !== "PENDING_PAYMENT") refuse("NOT_PAYABLE", "订单当前不可支付");
  const now = input.now ?? new Date();
  // The payment time limit of the rules the order was placed under.
  const config = order.ruleVersionId === null ? await loadConfig(db, now) : parseConfig((await db.ruleVersion.findUniqueOrThrow({ where: { id: order.ruleVersionId } })).config);
  const deadline = paymentDeadline(order, config);
  if (now >= deadline) {
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
  // The provider's expiry (the margin before ours) at least a minute away, or WeChat Pay may refuse the trade: our word, not its error.
  if (!paymentCanStart(deadline.getTime() - now.getTime(), order.payableFen)) {
    refuse("PAYMENT_EXPIRED", "支付时间即将截止，请重新下单");
  }
  let openid: string | undefined;
  if (choice.channel === "jsapi" && provider.payeePlatform) {
    const account = await db.externalAccount.findUnique({
      where: { memberId_platform_appId: { memberId: input.memberId, platform: provider.payeePlatform.platform, appId: provider.payeePlatform.appId } },
    });
    openid = account?.subject;
    // No openid yet (the shopper never signed in through WeChat): the merchant's provider instead.
    if (!openid) {
      choice = { name: defaultProviderName(), channel: "h5" };
      provider = getProvider(choice.name);
    }
  }
  // Letters, digits and "-" only: every provider accepts it as out_trade_no.
  const reference = `${order.orderNo}-${randomBytes(3).toString("hex")}`;
  const intent = await db.paymentIntent.create({
    data: { orderId: order.id, provider: provider.name, reference, amountFen: order.payableFen, currency: order.currency, createdAt: now },
  });
  const created = await provider.createPayment({
    reference,
    amountFen: order.payableFen,
    currency: "CNY",
    description: `订单 ${order.orderNo}`,
    notifyUrl: `${input.baseUrl}/api/payments/${provider.name}/notify`,
    returnUrl: `${input.baseUrl}/orders/${order.id}/result`,
    payer: { channel: choice.channel, openid, clientIp: input.client?.ip ?? undefined },
    // The provider closes the trade before we cancel the order: nobody pays an order a late callback would find cancelled.
    expiresAt: new Date(deadline.getTime() - PROVIDER_EXPIRY_MARGIN_MS),
  });
  if (created.cashierParams) await db.paymentIntent.update({ where: { id: intent.id }, data: { cashierParams: created.cashierParams } });
  return { reference, cashierUrl: created.cashierUrl };
}

/** A callback that failed its provider's verification (signature, age, malformed body): the caller's fault, never ours. */
export class NotificationRejected extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason), { cause: reason });
    this.name = "NotificationRejected";
  }
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
  let n: ReturnType<PaymentProvider["verifyNotification"]>;
  try {
    n = provider.verifyNotification(rawBody, headers, receivedAt);
  } catch (e) {
    throw new NotificationRejected(e);
  }
  if (n.kind === "refund") return applyRefundNotification(db, providerName, n, now);
  if (n.kind === "payout") return askAboutPayout(db, providerName, n, now);
  if (n.kind === "ignored") return { outcome: "refused", reason: n.reason };
  return applyProviderPayment(db, provider, n, now);
}

/**
 * A payout's end announced by its provider is a cue, not the outcome: its call is made due and asked at once, and the
 * provider's answer to that query closes the withdrawal as a poll would. An unknown payout, or one whose call is no
 * longer pending (done, or dead-lettered for staff), changes nothing.
 */
async function askAboutPayout(db: Db, providerName: string, n: PayoutNotification, now: Date): Promise<PaymentResult> {
  const call = await db.providerCall.findUnique({ where: { idempotencyNo: n.payoutNo }, select: { id: true, kind: true, provider: true } });
  if (!call || call.kind !== "PAYOUT" || call.provider !== providerName) return { outcome: "refused", reason: "unknown payout" };
  // Waits out a poll holding the call, whose answer may predate the end: the call stays due for the scheduler too.
  const due = await db.providerCall.updateMany({ where: { id: call.id, status: "PENDING" }, data: { nextAttemptAt: now } });
  if (due.count === 0) return { outcome: "duplicate" };
  await performProviderCall(db, call.id, now);
  return { outcome: "paid" };
}

/**
 * A payment the provider vouched for (verified callback, or its answer to our query): matched to
 * our intent, amount and currency checked, confirmed once; paid too late, or at another amount than
 * we asked, refunded once.
 */
export async function applyProviderPayment(db: Db, provider: PaymentProvider, n: PaymentNotification, now: Date): Promise<PaymentResult> {
  const providerName = provider.name;
  if (n.status !== "SUCCESS") return { outcome: "refused", reason: `status ${n.status}` };
  const [intent] = await db.$queryRaw<(IntentRow & { status: string })[]>`
    SELECT id, "orderId", provider, "amountFen", currency, status FROM "PaymentIntent" WHERE reference = ${n.reference}`;
  if (!intent || intent.provider !== providerName) return { outcome: "refused", reason: "unknown payment reference" };
  // Its money was sent back as a wrong amount: no later callback of this checkout may pay the order.
  if (intent.status === "AMOUNT_MISMATCH") return { outcome: "refused", reason: "payment refunded: amount mismatch" };
  // The provider's payment time: the day its bill lists the payment (our reconciliation's day).
  const paidAt = n.paidAt ?? now;
  if (n.amountFen !== intent.amountFen || n.currency !== intent.currency) {
    // The shopper's money arrived at an amount the order does not ask: never paid, sent back, staff told.
    const claimed = await refundUnacceptedPayment(db, provider, intent, n, paidAt, now, {
      status: "AMOUNT_MISMATCH",
      refundNo: `MISMATCH-${n.providerTxnId}`,
      action: "payment.amount_mismatch_refunded",
      data: { reference: n.reference, providerTxnId: n.providerTxnId, paidFen: n.amountFen, paidCurrency: n.currency, expectedFen: intent.amountFen, expectedCurrency: intent.currency },
      notice: "payment.returned.mismatch",
    });
    if (claimed) {
      console.error(`[alert] payment intent ${intent.id} (order ${intent.orderId}) paid ${n.amountFen} ${n.currency} at ${providerName} instead of ${intent.amountFen} ${intent.currency}: refunded automatically, check the checkout`);
    }
    return { outcome: "refused", reason: "amount or currency mismatch" };
  }
  const result = await inTx(db, { now }, async (ctx) => {
    const r = await confirmPayment(ctx, { orderId: intent.orderId, provider: providerName, providerTxnId: n.providerTxnId, amountFen: n.amountFen, currency: n.currency });
    // Paid (now or before): the intent is claimed in the same transaction.
    if (r.outcome !== "refused") {
      await ctx.tx.$executeRaw`UPDATE "PaymentIntent" SET status = 'PAID', "paidAt" = ${paidAt}, "providerTxnId" = ${n.providerTxnId} WHERE id = ${intent.id} AND status = 'CREATED'`;
    }
    return r;
  });
  if (result.outcome !== "refused") return result;
  // The shopper paid an order we can no longer accept (cancelled meanwhile, or paid twice).
  await refundUnacceptedPayment(db, provider, intent, n, paidAt, now, {
    status: "REFUNDED_LATE",
    refundNo: `LATE-${n.providerTxnId}`,
    action: "payment.late_refunded",
    data: { reference: n.reference, reason: result.reason },
    notice: LATE_PAYMENT_NOTICE[result.reason] ?? "payment.returned.unavailable",
  });
  return result;
}

/** Why a payment came too late, as the shopper's notice says it (confirmPayment's refusal reasons). */
const LATE_PAYMENT_NOTICE: Record<string, NoticeKey> = {
  "order is CANCELLED": "payment.returned.cancelled",
  "order already paid by another payment": "payment.returned.paid",
};

interface IntentRow {
  id: number;
  orderId: number;
  provider: string;
  amountFen: number;
  currency: string;
}

/**
 * Money the provider took for a payment we do not accept goes back to the shopper, once: the intent is
 * claimed (CREATED → `status`) with its audit entry and the queued refund (refundNo unique per provider
 * transaction) and the shopper's notice, so a repeated callback finds it claimed. Returns whether this call claimed it.
 */
async function refundUnacceptedPayment(
  db: Db,
  provider: PaymentProvider,
  intent: IntentRow,
  n: PaymentNotification,
  paidAt: Date,
  now: Date,
  why: { status: "REFUNDED_LATE" | "AMOUNT_MISMATCH"; refundNo: string; action: string; data: Record<string, unknown>; notice: NoticeKey },
): Promise<boolean> {
  const refund = await inTx(db, { now }, async (ctx) => {
    const claimed = await ctx.tx.paymentIntent.updateMany({
      where: { id: intent.id, status: "CREATED" },
      data: { status: why.status, paidAt, providerTxnId: n.providerTxnId },
    });
    if (claimed.count === 0) return null;
    await audit(ctx, null, why.action, await orderTarget(ctx.tx, intent.orderId), { ...why.data, refundNo: why.refundNo, refundFen: n.amountFen });
    // The shopper saw the payment go through: they learn why the money comes back.
    const order = await ctx.tx.order.findUnique({ where: { id: intent.orderId }, select: { orderNo: true, memberId: true } });
    if (order) await notify(ctx, order.memberId, "refund", why.notice, { orderNo: order.orderNo });
    return enqueueProviderCall(ctx, {
      kind: "REFUND", provider: provider.name, idempotencyNo: why.refundNo, amountFen: n.amountFen, providerTxnId: n.providerTxnId, orderId: intent.orderId,
    });
  });
  if (refund !== null) await performProviderCall(db, refund, now);
  return refund !== null;
}

/**
 * The provider's final word on a refund we asked for, from its callback or its answer to our refund query.
 * SUCCESS is recorded, and its success time dates the refund (ProviderCall.doneAt); CLOSED / ABNORMAL means
 * the money did not reach the shopper: an alert and an audit entry for staff to settle it by hand.
 */
async function applyRefundNotification(db: Db, providerName: string, n: RefundNotification, now: Date): Promise<PaymentResult> {
  const call = await db.providerCall.findUnique({ where: { idempotencyNo: n.refundNo } });
  if (!call || call.kind !== "REFUND" || call.provider !== providerName) return { outcome: "refused", reason: "unknown refund" };
  // The refund number is ours only on our payment at our (full) amount: another system or an old database may have used it.
  if (n.providerTxnId !== call.providerTxnId) return { outcome: "refused", reason: "refund of another transaction" };
  if (n.refundFen !== call.amountFen || (n.totalFen !== undefined && n.totalFen !== call.amountFen)) return { outcome: "refused", reason: "refund amount mismatch" };
  const action = n.status === "SUCCESS" ? "payment.refund_confirmed" : "payment.refund_failed";
  const recorded = await inTx(db, { now }, async (ctx) => {
    // One entry per refund and outcome, however often (or concurrently) the provider repeats it.
    await ctx.tx.$queryRaw`SELECT id FROM "ProviderCall" WHERE id = ${call.id} FOR UPDATE`;
    // Its outcome known (now or before): the refund query sweep stops asking about it.
    await ctx.tx.$executeRaw`UPDATE "ProviderCall" SET "refundOpenSince" = NULL WHERE id = ${call.id} AND "refundOpenSince" IS NOT NULL`;
    const target = await orderTarget(ctx.tx, call.orderId!);
    // Entries written before targets named the order by its number had its id.
    const seen = await ctx.tx.auditLog.count({ where: { action, target: { in: [target, `order:${call.orderId}`] }, data: { path: ["refundNo"], equals: n.refundNo } } });
    // Already recorded (by the callback or the query, whichever came first): the repeat changes nothing, not even the time.
    if (seen > 0) return false;
    if (n.status === "SUCCESS") {
      // The money is back: the call is settled (even one we gave up on), dated as the provider's bill dates it.
      await ctx.tx.$executeRaw`UPDATE "ProviderCall" SET status = 'DONE', "doneAt" = COALESCE(${n.refundedAt ?? null}::timestamptz, "doneAt", ${ctx.now}), "lastError" = NULL WHERE id = ${call.id}`;
    }
    await audit(ctx, null, action, target, { refundNo: n.refundNo, status: n.status });
    // With its audit entry, the latest outcome on the call (refund-state; a late SUCCESS after a failure wins).
    await ctx.tx.providerCall.update({ where: { id: call.id }, data: { refundOutcome: n.status === "SUCCESS" ? "CONFIRMED" : "FAILED" } });
    if (n.status !== "SUCCESS") await tellShopperRefundFailed(ctx, call.orderId!, n.refundNo);
    else await tellShopperRefundDone(ctx, call.orderId!, n.refundNo);
    return true;
  });
  if (recorded && n.status !== "SUCCESS") console.error(`[alert] refund ${call.id} ended ${n.status} at ${providerName}: settle it by hand`);
  return recorded ? { outcome: "paid" } : { outcome: "duplicate" };
}

/**
 * Fallback when no callback comes (SPEC §1: a lost notification must not leave a paid order unpaid):
 * intents still CREATED after `afterMinutes` are asked of their provider, for up to a day.
 */
export async function reconcileOpenPayments(db: Db, now = new Date(), afterMinutes = 5): Promise<number> {
  const open = await db.paymentIntent.findMany({
    where: {
      status: "CREATED",
      provider: { notIn: ["sandbox", CREDIT_ONLY] },
      createdAt: { lte: new Date(now.getTime() - afterMinutes * 60_000), gte: new Date(now.getTime() - 24 * 3600_000) },
    },
    orderBy: { id: "asc" },
    take: 200,
  });
  let confirmed = 0;
  for (const intent of open) {
    try {
      const provider = getProvider(intent.provider);
      const n = await provider.queryPayment?.(intent.reference);
      if (n && n.reference === intent.reference && (await applyProviderPayment(db, provider, n, now)).outcome !== "refused") confirmed++;
    } catch (e) {
      // One provider down (or no longer configured) must not stop the others; asked again next sweep.
      console.warn(`[payments] query of payment intent ${intent.id} failed: ${e instanceof Error ? e.name : "error"}`);
    }
  }
  return confirmed;
}

/** A processing refund is asked this long after it was sent, and again as often: WeChat Pay says 零钱 refunds land within 5 minutes. */
const REFUND_QUERY_EVERY_MS = 10 * 60_000;
/** Asking stops after this many days, with an alert: bank-card refunds take up to 3 working days, and a holiday week comes on top. */
const REFUND_QUERY_DAYS = 14;

interface OpenRefund {
  id: number;
  provider: string;
  refundNo: string;
  providerTxnId: string | null;
  orderId: number;
  sentAt: Date;
}

/** Refunds waiting for their outcome, last asked before `askedBefore`, least recently asked first. */
export const openRefundsSql = (askedBefore: Date, limit: number) => Prisma.sql`
  SELECT id, provider, "idempotencyNo" AS "refundNo", "providerTxnId", "orderId", "refundOpenSince" AS "sentAt" FROM "ProviderCall"
  WHERE "refundOpenSince" IS NOT NULL AND "lastAttemptAt" <= ${askedBefore}
  ORDER BY "lastAttemptAt", id
  LIMIT ${limit}`;

/**
 * Fallback when a refund's callback never comes: refunds the provider accepted as processing whose outcome
 * has not come (ProviderCall.refundOpenSince, on a partial index) are asked of their provider, least recently asked
 * first and at most `limit` a run; an answer goes through the refund callback's own handler, so a second
 * sweep or the late callback changes nothing. Returns how many refunds it closed.
 */
export async function reconcileOpenRefunds(db: Db, now = new Date(), limit = 100): Promise<number> {
  const askedBefore = new Date(now.getTime() - REFUND_QUERY_EVERY_MS);
  const open = await db.$queryRaw<OpenRefund[]>(openRefundsSql(askedBefore, limit));
  let closed = 0;
  for (const r of open) {
    try {
      const outcome = await queryOpenRefund(db, r, askedBefore, now);
      if (outcome === "recorded") closed++;
      else if (outcome === "open" && now.getTime() - r.sentAt.getTime() >= REFUND_QUERY_DAYS * DAY) await stopAskingAboutRefund(db, r, now);
    } catch (e) {
      console.warn(`[payments] refund ${r.id} could not be reconciled: ${e instanceof Error ? e.name : "error"}`);
    }
  }
  return closed;
}

/** Asks the provider once about one open refund: "recorded" its answer, "open" still unconfirmed, "skipped" taken by another sweep or closed meanwhile. */
async function queryOpenRefund(db: Db, r: OpenRefund, askedBefore: Date, now: Date): Promise<"recorded" | "open" | "skipped"> {
  // Claimed by its last-asked time: a concurrent sweep skips it, and it is asked again REFUND_QUERY_EVERY_MS later.
  const claimed = await db.$executeRaw`UPDATE "ProviderCall" SET "lastAttemptAt" = ${now} WHERE id = ${r.id} AND "refundOpenSince" IS NOT NULL AND "lastAttemptAt" <= ${askedBefore}`;
  if (claimed === 0) return "skipped";
  let answer: RefundNotification | null | undefined;
  try {
    answer = await getProvider(r.provider).queryRefund?.({ refundNo: r.refundNo, providerTxnId: r.providerTxnId ?? "" });
  } catch (e) {
    // One provider down (or no longer configured) must not stop the others; asked again next time.
    console.warn(`[payments] query of refund ${r.id} failed: ${e instanceof Error ? e.name : "error"}`);
    return "open";
  }
  // Still processing, or unknown to the provider: asked again later.
  if (!answer || answer.refundNo !== r.refundNo) return "open";
  const result = await applyRefundNotification(db, r.provider, answer, now);
  if (result.outcome === "refused") {
    console.warn(`[payments] ${r.provider}'s answer on refund ${r.id} refused: ${result.reason}`);
    return "open";
  }
  return result.outcome === "paid" ? "recorded" : "skipped";
}

/** Unconfirmed after REFUND_QUERY_DAYS: asking stops, once, with an audit entry and an alert for staff to check it with the provider. */
async function stopAskingAboutRefund(db: Db, r: OpenRefund, now: Date): Promise<void> {
  const stopped = await inTx(db, { now }, async (ctx) => {
    // Serialized with the refund's callback, which takes the same lock.
    const still = await ctx.tx.$queryRaw<unknown[]>`SELECT id FROM "ProviderCall" WHERE id = ${r.id} AND "refundOpenSince" IS NOT NULL FOR UPDATE`;
    if (still.length === 0) return false;
    await ctx.tx.$executeRaw`UPDATE "ProviderCall" SET "refundOpenSince" = NULL, "refundOutcome" = 'UNCONFIRMED' WHERE id = ${r.id}`;
    await audit(ctx, null, "payment.refund_unconfirmed", await orderTarget(ctx.tx, r.orderId), { refundNo: r.refundNo, days: REFUND_QUERY_DAYS });
    await tellShopperRefundUnconfirmed(ctx, r.orderId, r.refundNo, REFUND_QUERY_DAYS);
    return true;
  });
  // Ids only: the refund's order and shopper stay in the database.
  if (stopped) console.error(`[alert] refund ${r.id} still unconfirmed by ${r.provider} after ${REFUND_QUERY_DAYS} days: no longer asked, check it by hand`);
}

/** The body a provider expects for a callback we accepted. */
export function notificationAck(providerName: string): string {
  return getProvider(providerName).notifyAck ?? "SUCCESS";
}

const REFUND_REFUSAL: Record<string, string> = {
  "order is COMPLETED": "售后期已过，无法退款",
  "return window closed": "售后期已过，无法退款",
  "order is REFUNDED": "该订单已退款",
  "order is CANCELLED": "订单已取消，无需退款",
  "order is PENDING_PAYMENT": "订单未支付，无需退款",
  "no such order": "订单不存在",
};

/** Full refund (shopper request within the window, or merchant: `byStaff`): order rules, then the provider. */
export async function refundOrderThroughProvider(db: Db, orderId: number, now = new Date(), byStaff: StaffActor | null = null) {
  const result = await inTx(db, { now }, (ctx) => refundOrder(ctx, orderId, null, byStaff));
  if (!result.refunded) refuse("NOT_REFUNDABLE", REFUND_REFUSAL[result.reason ?? ""] ?? "该订单当前无法退款");
  // Queued with the refund; asked now, and retried by the sweep if the provider fails.
  const calls = await db.providerCall.findMany({ where: { orderId, kind: "REFUND", status: "PENDING" }, select: { id: true } });
  for (const c of calls) await performProviderCall(db, c.id, now);
  return result;
}

/** What a provider's cashier page shows: the shopper's own payment only (null for anyone else's). */
export async function cashierView(db: Db, input: { reference: string; memberId: number; provider: string }) {
  const intent = await db.paymentIntent.findUnique({ where: { reference: input.reference } });
  if (!intent || intent.provider !== input.provider) return null;
  const order = await db.order.findUnique({ where: { id: intent.orderId }, select: { id: true, orderNo: true, status: true, memberId: true } });
  if (!order || order.memberId !== input.memberId) return null;
  return {
    orderId: order.id,
    orderNo: order.orderNo,
    amountFen: intent.amountFen,
    payable: order.status === "PENDING_PAYMENT" && intent.status === "CREATED",
    params: (intent.cashierParams ?? null) as Record<string, string> | null,
  };
}
