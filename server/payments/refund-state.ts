// Where a refunded order's money stands (SPEC §1: it goes back to the original payment path), as the shopper is
// told it: the order is REFUNDED at once, but a provider's refund runs after commit, may wait for the provider's
// outcome, fail, or be given up on. Read from the refund's ProviderCall and the provider's recorded answers.
import type { Tx } from "../db";
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

/** The provider's last recorded word on a refund, by its audit action: did the money reach the shopper? */
const OUTCOME_ACTIONS = ["payment.refund_sent", "payment.refund_confirmed", "payment.refund_failed", "payment.refund_unconfirmed"];

interface RefundCall {
  idempotencyNo: string;
  status: "PENDING" | "DONE" | "DEAD";
  refundOpenSince: Date | null;
  doneAt: Date | null;
}

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

type Outcome = { action: string; status: unknown };

/** One provider refund's stage from its call and the latest of its recorded outcomes (newest first). */
function callStage(call: RefundCall, outcomes: Outcome[]): RefundCallStage {
  if (call.status === "PENDING") return "sending";
  if (call.status === "DEAD") return "dead";
  if (call.refundOpenSince !== null) return "awaiting";
  // DONE and no longer awaited: the latest outcome decides (a failure can be followed by a late SUCCESS callback).
  const last = outcomes.find((o) => o.action !== "payment.refund_sent" || o.status === "SUCCESS");
  if (last?.action === "payment.refund_failed") return "failed";
  if (last?.action === "payment.refund_unconfirmed") return "unconfirmed";
  return "confirmed";
}

/** One provider refund's state from its call and the latest of its recorded outcomes (newest first). */
function callState(call: RefundCall | undefined, outcomes: Outcome[]): RefundState {
  // Queued in the refund's own transaction; none only for refunds from before the outbox, sent directly then.
  if (!call) return "done";
  return STATE_OF_STAGE[callStage(call, outcomes)];
}

/** Only refunds no longer awaited need their outcomes. */
const settledNos = (calls: RefundCall[]) => calls.filter((c) => c.status === "DONE" && c.refundOpenSince === null).map((c) => c.idempotencyNo);

/** The recorded outcomes of the given refunds of these orders, newest first, by refund number. */
async function recordedOutcomes(tx: Tx, orders: { id: number; orderNo: string }[], refundNos: string[]): Promise<(refundNo: string) => Outcome[]> {
  // Entries written before targets named orders by number had the id.
  const audits = refundNos.length === 0 ? [] : await tx.auditLog.findMany({
    where: { action: { in: OUTCOME_ACTIONS }, target: { in: orders.flatMap((o) => [`order:${o.orderNo}`, `order:${o.id}`]) } },
    orderBy: { id: "desc" },
    select: { action: true, data: true },
  });
  return (refundNo) =>
    audits.flatMap((a) => {
      const d = a.data as { refundNo?: unknown; status?: unknown } | null;
      return d?.refundNo === refundNo ? [{ action: a.action, status: d.status }] : [];
    });
}

/** The refund progress of each of the given REFUNDED orders (their id, number and refund time), by order id. */
export async function refundProgressOf(tx: Tx, orders: { id: number; orderNo: string; refundedAt: Date | null }[]): Promise<Map<number, RefundProgress>> {
  const result = new Map<number, RefundProgress>();
  if (orders.length === 0) return result;
  const ids = orders.map((o) => o.id);
  const payments = await tx.payment.findMany({
    where: { orderId: { in: ids }, status: "REFUNDED", provider: { not: CREDIT_ONLY }, amountFen: { gt: 0 }, refundNo: { not: null } },
    select: { orderId: true, refundNo: true },
  });
  const refundNos = payments.map((p) => p.refundNo!);
  const calls = refundNos.length === 0 ? [] : await tx.providerCall.findMany({
    where: { kind: "REFUND", idempotencyNo: { in: refundNos } },
    select: { idempotencyNo: true, status: true, refundOpenSince: true, doneAt: true },
  });
  const settled = settledNos(calls);
  const settledOrders = orders.filter((o) => payments.some((p) => p.orderId === o.id && settled.includes(p.refundNo!)));
  const outcomesOf = await recordedOutcomes(tx, settledOrders, settled);
  for (const o of orders) {
    const states = payments
      .filter((p) => p.orderId === o.id)
      .map((p) => {
        const call = calls.find((c) => c.idempotencyNo === p.refundNo);
        return { state: callState(call, outcomesOf(p.refundNo!)), doneAt: call?.doneAt ?? null };
      });
    // No money with a provider (store credit only): back at the refund itself.
    if (states.length === 0) result.set(o.id, { state: "done", doneAt: o.refundedAt });
    else if (states.some((s) => s.state === "stuck")) result.set(o.id, { state: "stuck", doneAt: null });
    else if (states.some((s) => s.state === "pending")) result.set(o.id, { state: "pending", doneAt: null });
    else result.set(o.id, { state: "done", doneAt: new Date(Math.max(...states.map((s) => (s.doneAt ?? o.refundedAt ?? new Date(0)).getTime()))) });
  }
  return result;
}

/**
 * Where each of an order's provider refunds stands for staff (by refund number), by the rule that tells the shopper
 * (refundProgressOf): a refund the provider failed or never confirmed is not 已退款 for either.
 */
export async function refundCallStagesOf(tx: Tx, order: { id: number; orderNo: string }): Promise<Map<string, RefundCallStage>> {
  const calls = await tx.providerCall.findMany({
    where: { orderId: order.id, kind: "REFUND" },
    select: { idempotencyNo: true, status: true, refundOpenSince: true, doneAt: true },
  });
  const outcomesOf = await recordedOutcomes(tx, [order], settledNos(calls));
  return new Map(calls.map((c) => [c.idempotencyNo, callStage(c, outcomesOf(c.idempotencyNo))]));
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
