// Where a refunded order's money stands (SPEC §1: it goes back to the original payment path), as the shopper is
// told it: the order is REFUNDED at once, but a provider's refund runs after commit, may wait for the provider's
// outcome, fail, or be given up on. Read from the refund's ProviderCall, which records the provider's latest answer (refundOutcome).
import { Prisma, type Tx } from "../db";
import { notify, type Ctx } from "../context";
import { CREDIT_ONLY } from "./outbox";

/**
 * `done`: the money is back (store credit only, or the provider confirmed it); `pending`: on its way back (being
 * sent, or accepted and awaiting the provider's outcome); `stuck`: the provider failed it, we gave up sending it, or
 * stopped asking after its outcome never came — the shop settles it.
 */
export type RefundState = "done" | "pending" | "stuck";

export interface RefundProgress {
  state: RefundState;
  /** When the money was back (the provider's time when it said), for `done` only. */
  doneAt: Date | null;
}

interface RefundCall {
  idempotencyNo: string;
  status: "PENDING" | "DONE" | "DEAD";
  refundOpenSince: Date | null;
  doneAt: Date | null;
  /** The provider's latest outcome, written with its audit entry (payments calls and index). */
  refundOutcome: "CONFIRMED" | "FAILED" | "UNCONFIRMED" | null;
}

const CALL_SELECT = { idempotencyNo: true, status: true, refundOpenSince: true, doneAt: true, refundOutcome: true } as const;

/**
 * Where one provider refund stands, as staff are told it; each stage is one RefundState, as the shopper is told it.
 * `sending`: queued or being retried; `awaiting`: accepted, its outcome not known yet; `confirmed`: the provider paid it
 * back; `failed`: the provider closed it or reported it abnormal; `dead`: we gave up sending it (a staff retry resumes
 * it); `unconfirmed`: we stopped asking after its outcome never came (payments reconcileOpenRefunds).
 */
export type RefundCallStage = "sending" | "awaiting" | "confirmed" | "failed" | "dead" | "unconfirmed";

const STATE_OF_STAGE: Record<RefundCallStage, RefundState> = {
  sending: "pending",
  awaiting: "pending",
  confirmed: "done",
  failed: "stuck",
  dead: "stuck",
  unconfirmed: "stuck",
};

/** One provider refund's stage from its call and the provider's latest outcome recorded on it. */
function callStage(call: RefundCall): RefundCallStage {
  if (call.status === "PENDING") return "sending";
  if (call.status === "DEAD") return "dead";
  if (call.refundOpenSince !== null) return "awaiting";
  // DONE and no longer awaited: the latest outcome decides (a late SUCCESS after a failure overwrote it).
  if (call.refundOutcome === "FAILED") return "failed";
  if (call.refundOutcome === "UNCONFIRMED") return "unconfirmed";
  return "confirmed";
}

/** One provider refund's state from its call. */
function callState(call: RefundCall | undefined): RefundState {
  // Queued in the refund's own transaction; none only for refunds from before the outbox, sent directly then.
  if (!call) return "done";
  return STATE_OF_STAGE[callStage(call)];
}

/** The payments whose refund went back through a provider (not store credit only), of the given orders or refund numbers. */
const providerRefunds = (where: Prisma.PaymentWhereInput) =>
  ({ AND: [where, { status: "REFUNDED", provider: { not: CREDIT_ONLY }, amountFen: { gt: 0 }, refundNo: { not: null } }] }) satisfies Prisma.PaymentWhereInput;

type OrderRef = { id: number; refundedAt: Date | null };

/** The refund progress of each order from its provider refunds (payments) and their calls. */
function progressOf(orders: OrderRef[], payments: { orderId: number; refundNo: string | null }[], calls: RefundCall[]): Map<number, RefundProgress> {
  const result = new Map<number, RefundProgress>();
  for (const o of orders) {
    const states = payments
      .filter((p) => p.orderId === o.id)
      .map((p) => {
        const call = calls.find((c) => c.idempotencyNo === p.refundNo);
        return { state: callState(call), doneAt: call?.doneAt ?? null };
      });
    // No money with a provider (store credit only): back at the refund itself.
    if (states.length === 0) result.set(o.id, { state: "done", doneAt: o.refundedAt });
    else if (states.some((s) => s.state === "stuck")) result.set(o.id, { state: "stuck", doneAt: null });
    else if (states.some((s) => s.state === "pending")) result.set(o.id, { state: "pending", doneAt: null });
    else result.set(o.id, { state: "done", doneAt: new Date(Math.max(...states.map((s) => (s.doneAt ?? o.refundedAt ?? new Date(0)).getTime()))) });
  }
  return result;
}

/** The refund progress of each of the given REFUNDED orders (their id and refund time), by order id. */
export async function refundProgressOf(tx: Tx, orders: OrderRef[]): Promise<Map<number, RefundProgress>> {
  if (orders.length === 0) return new Map();
  const payments = await tx.payment.findMany({ where: providerRefunds({ orderId: { in: orders.map((o) => o.id) } }), select: { orderId: true, refundNo: true } });
  const refundNos = payments.map((p) => p.refundNo!);
  const calls = refundNos.length === 0 ? [] : await tx.providerCall.findMany({ where: { kind: "REFUND", idempotencyNo: { in: refundNos } }, select: CALL_SELECT });
  return progressOf(orders, payments, calls);
}

/**
 * Where an order's money stands for staff: each of its provider refunds' stage (by refund number) and, for a REFUNDED
 * order, its progress, by the rule that tells the shopper (refundProgressOf): a refund the provider failed or never
 * confirmed is not 已退款 for either. Read once for both.
 */
export async function orderRefundStages(tx: Tx, order: OrderRef & { status: string }): Promise<{ stages: Map<string, RefundCallStage>; progress: RefundProgress | null }> {
  const [calls, payments] = await Promise.all([
    tx.providerCall.findMany({ where: { orderId: order.id, kind: "REFUND" }, select: CALL_SELECT }),
    order.status === "REFUNDED" ? tx.payment.findMany({ where: providerRefunds({ orderId: order.id }), select: { orderId: true, refundNo: true } }) : [],
  ]);
  const stages = new Map(calls.map((c) => [c.idempotencyNo, callStage(c)]));
  return { stages, progress: order.status === "REFUNDED" ? progressOf([order], payments, calls).get(order.id)! : null };
}

/**
 * Refund calls that may be in `state`, each read through an index: the stuck on their partial index
 * ("ProviderCall_refund_stuck_idx", same predicate), the pending by status (PENDING) or their own partial index
 * (ProviderCall_refund_open_idx). A superset: callStage decides.
 */
export const refundCallsMaybeSql = (state: "pending" | "stuck") => Prisma.sql`
  SELECT "idempotencyNo", status::text AS status, "refundOpenSince", "doneAt", "refundOutcome"::text AS "refundOutcome" FROM "ProviderCall"
  WHERE kind = 'REFUND' AND ${state === "stuck"
    ? Prisma.sql`(status = 'DEAD' OR "refundOutcome" IN ('FAILED', 'UNCONFIRMED'))`
    : Prisma.sql`(status = 'PENDING' OR "refundOpenSince" IS NOT NULL)`}`;

/**
 * As a condition on "Order" o: a REFUNDED order whose money is `pending` or `stuck` by refundProgressOf's rule, callStage
 * restated in SQL over the calls refundCallsMaybeSql reads through their indexes. An order has one payment (Payment
 * @@unique([orderId])), so one provider refund, with providerRefunds' conditions: its call's state is the order's. A
 * subquery of the caller's own query: no list of ids, however many (a provider outage leaves tens of thousands).
 */
export function refundStateSql(state: "pending" | "stuck"): Prisma.Sql {
  const stage = state === "stuck"
    ? Prisma.sql`c.status = 'DEAD' OR (c.status = 'DONE' AND c."refundOpenSince" IS NULL AND c."refundOutcome" IN ('FAILED', 'UNCONFIRMED'))`
    : Prisma.sql`c.status = 'PENDING' OR (c.status = 'DONE' AND c."refundOpenSince" IS NOT NULL)`;
  return Prisma.sql`o.status = 'REFUNDED' AND EXISTS (
    SELECT 1 FROM (${refundCallsMaybeSql(state)}) c
    JOIN "Payment" p ON p."refundNo" = c."idempotencyNo" AND p.status = 'REFUNDED' AND p.provider <> ${CREDIT_ONLY} AND p."amountFen" > 0
    WHERE p."orderId" = o.id AND (${stage}))`;
}

/**
 * We stop asking the provider about a refund it never confirmed after `days` (payments reconcileOpenRefunds), and the
 * order turns from 退款中 to 退款处理中: the shopper learns it once per refund number — not confirmed, the shop checks
 * it, nothing to do if the money came, else contact the shop.
 * Callers hold the refund call's row lock, as for order.refundFailed and order.refundDone (payments/calls).
 */
export async function tellShopperRefundUnconfirmed(ctx: Ctx, orderId: number, refundNo: string, days: number): Promise<void> {
  const order = await ctx.tx.order.findUnique({ where: { id: orderId }, select: { orderNo: true, memberId: true } });
  if (!order) return;
  const told = await ctx.tx.notification.count({ where: { memberId: order.memberId, key: "order.refundUnconfirmed", params: { path: ["refundNo"], equals: refundNo } } });
  if (told === 0) await notify(ctx, order.memberId, "refund", "order.refundUnconfirmed", { orderNo: order.orderNo, refundNo, days });
}
