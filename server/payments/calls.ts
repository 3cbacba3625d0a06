// Performs queued provider calls (refunds, payouts, closing a cancelled order's trade) after commit. Each
// call is claimed with `FOR UPDATE SKIP LOCKED` and closed in the same transaction as its outcome, so a crash before the
// commit leaves it PENDING and it is asked again with the same idempotency number, which the
// provider deduplicates. A provider error backs off exponentially; after PROVIDER_MAX_ATTEMPTS the
// call is dead-lettered (alert in the log, shown to staff) — the order stays REFUNDED, the
// withdrawal PAYING, and nothing is lost: a staff retry asks again.
import type { Db } from "../db";
import type { Ctx } from "../context";
import { inTx, audit, notify } from "../context";
import { Prisma } from "../db/generated/client";
import type { PayeeConfirmation, PaymentProvider, PayoutResult } from "./provider";
import { orderTarget } from "../audit";
import { getProvider, payoutProviderName } from "./registry";
import { enqueueProviderCall } from "./outbox";
import { payeeAccountOf } from "../wallet/payee";
import { applyPayoutResult } from "../wallet/payout-result";
import { decryptField } from "../auth/crypto";
import { backoffMs } from "../scheduler/backoff";
import { recordHeartbeat } from "../scheduler/heartbeat";
import { describeError } from "../api/internal-errors";

export const PROVIDER_MAX_ATTEMPTS = 8;
/** A payout the provider is still carrying out (WeChat 商家转账 takes minutes) is asked again this often. */
export const PAYOUT_POLL_MS = 2 * 60_000;
const PROVIDER_TIMEOUT_MS = 20_000;
/** Why a payout whose confirmation was lost is withdrawn (staff read it; the shopper's wording comes from wallet/view). */
export const LOST_CONFIRMATION_REASON = "转账确认信息丢失，已撤销，请重新申请提现";
/**
 * The call's note from the moment we decide to cancel until the payout ends: committed before the cancel is sent and kept
 * through failed attempts (its answer may be lost after WeChat acted on it), so the end it reaches (CANCELLED) is told with
 * the reason above, and never as WeChat's own 24-hour cancel. Dropped once the bill is seen neither waiting without its
 * package nor CANCELING (the package came back, or the payee confirmed first): our cancel did not take. A bill that then
 * FAILs keeps WeChat's reason; only a CANCELLED one (`cancelled`) is told with ours.
 */
const CANCELLING_NOTE = "转账确认信息丢失，撤销中";
const askedToCancel = (lastError: string | null) => lastError?.startsWith(CANCELLING_NOTE) ?? false;

/** What the provider answered instead of a result (its error code, a timeout): kept on the call for finance staff. */
class ProviderFailure extends Error {
  override name = "ProviderFailure";
}

/** An API error's body (WeChat Pay's {code, message}, through axios), parsed when it came as text. */
function apiErrorBody(data: unknown): { code?: unknown; message?: unknown } | null {
  if (typeof data !== "string") return typeof data === "object" ? (data as { code?: unknown; message?: unknown } | null) : null;
  try {
    return JSON.parse(data) as { code?: unknown; message?: unknown };
  } catch {
    return null;
  }
}

/**
 * The provider's own words on a failure, short: its API error code and message (WeChat Pay), a connection
 * error's system code (ECONNRESET…), else the adapter's message (Alipay's "alipay.trade.refund 40004 ACQ…").
 */
function providerReason(e: unknown): string {
  const err = e as { message?: unknown; code?: unknown; response?: { data?: unknown } } | null;
  const api = apiErrorBody(err?.response?.data);
  if (typeof api?.code === "string") return `支付渠道报错：${api.code}${typeof api.message === "string" ? ` ${api.message}` : ""}`.slice(0, 200);
  if (typeof err?.code === "string" && /^E(?!RR_)[A-Z_]+$/.test(err.code)) return `无法连接支付渠道（${err.code}）`;
  const message = typeof err?.message === "string" ? err.message.split("\n")[0]!.slice(0, 120) : "";
  return message ? `支付渠道报错：${message}` : "支付渠道报错";
}

/** Asks the provider, with a deadline; a failure there becomes a ProviderFailure (anything else is ours). */
async function askProvider<T>(call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderFailure(`支付渠道 ${PROVIDER_TIMEOUT_MS / 1000} 秒内未应答`)), PROVIDER_TIMEOUT_MS);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (e) {
    throw e instanceof ProviderFailure ? e : new ProviderFailure(providerReason(e), { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

/** An adapter that can tell a payout's state under its number without sending anything (null: it has no such payout). */
interface PayoutQuery {
  queryPayout(payoutNo: string): Promise<PayoutResult | null>;
}

/**
 * What the provider holds under a payout number, asked without sending anything: its state, null when it has none,
 * undefined when this provider cannot be asked. Its failure (an error, no answer in time) is thrown as the provider's.
 */
export async function queryPayoutAt(providerName: string, payoutNo: string): Promise<PayoutResult | null | undefined> {
  const provider = getProvider(providerName) as PaymentProvider & Partial<PayoutQuery>;
  const query = provider.queryPayout?.bind(provider);
  return query ? askProvider(() => query(payoutNo)) : undefined;
}

export type CallOutcome = "DONE" | "RETRY" | "DEAD" | "SKIPPED";

/** Asks the provider once for one PENDING call; returns what became of it. */
export async function performProviderCall(db: Db, id: number, now = new Date()): Promise<CallOutcome> {
  const outcome = await performStep(db, id, now, false);
  // The decision to withdraw a payout is committed first (CANCELLING_NOTE); the cancel itself goes out now.
  if (outcome !== "CANCEL") return outcome;
  const cancelled = await performStep(db, id, now, true);
  return cancelled === "CANCEL" ? "RETRY" : cancelled;
}

/** One claim of the call; "CANCEL": the payout is to be withdrawn, which was recorded and is sent in a step of its own. */
async function performStep(db: Db, id: number, now: Date, cancelNow: boolean): Promise<CallOutcome | "CANCEL"> {
  let attempts: number | undefined;
  let cancelAsked = false;
  try {
    // Not rerun on a deadlock: the provider was asked; the failure is recorded and the call asked again under its number.
    return await inTx(db, { now, retry: false }, async (ctx) => {
      const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM "ProviderCall" WHERE id = ${id} AND status = 'PENDING' AND "nextAttemptAt" <= ${now} FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return "SKIPPED";
      const call = await ctx.tx.providerCall.findUniqueOrThrow({ where: { id } });
      attempts = call.attempts;
      cancelAsked = askedToCancel(call.lastError);
      const provider = getProvider(call.provider);
      let doneAt = ctx.now;
      let refundOpenSince: Date | null = null;
      let refundOutcome: "CONFIRMED" | undefined;
      if (call.kind === "REFUND") {
        const r = await askProvider(() => provider.refund({ refundNo: call.idempotencyNo, providerTxnId: call.providerTxnId ?? "", amountFen: call.amountFen }));
        await audit(ctx, null, "payment.refund_sent", await orderTarget(ctx.tx, call.orderId!), { refundNo: call.idempotencyNo, status: r.status });
        // Already back with the shopper: dated by the provider's clock, as its bill is (reconciliation's day).
        if (r.refundedAt) doneAt = r.refundedAt;
        // Accepted, not finished: its outcome comes by callback, or by our query (reconcileOpenRefunds).
        if (r.status === "PROCESSING") refundOpenSince = ctx.now;
        else {
          // Recorded with its audit entry: the latest outcome is what refund-state reads.
          refundOutcome = "CONFIRMED";
          await tellShopperRefundDone(ctx, call.orderId!, call.idempotencyNo);
        }
      } else if (call.kind === "CLOSE") {
        // A provider that cannot close a trade leaves it to its own expiry (time_expire).
        const close = provider.closePayment?.bind(provider);
        const outcome = close ? await askProvider(() => close(call.idempotencyNo, ctx.tx)) : "closed";
        // "paid": the shopper paid before the close; that payment's callback or query refunds it (payment.late_refunded), not this.
        await audit(ctx, null, "payment.trade_closed", await orderTarget(ctx.tx, call.orderId!), { reference: call.idempotencyNo, outcome });
      } else {
        const w = await ctx.tx.withdrawal.findUniqueOrThrow({ where: { id: call.withdrawalId! } });
        const member = await ctx.tx.member.findUniqueOrThrow({ where: { id: w.memberId }, select: { realNameEnc: true } });
        const realName = member.realNameEnc ? decryptField(member.realNameEnc) : "";
        const payeeAccount = provider.payeePlatform ? await payeeAccountOf(ctx.tx, w.memberId, provider.payeePlatform) : null;
        const hasConfirmation = Boolean((w.confirmParams as PayeeConfirmation | null)?.package);
        const cancel = provider.cancelPayout?.bind(provider);
        const withdraw = (c: NonNullable<typeof cancel>) => askProvider(() => c({ payoutNo: call.idempotencyNo, reason: LOST_CONFIRMATION_REASON }));
        let cancelling = cancelAsked;
        let r: PayoutResult;
        if (cancelNow && cancelling && cancel) {
          r = await withdraw(cancel);
        } else {
          r = await askProvider(() => provider.payout({ payoutNo: call.idempotencyNo, amountFen: call.amountFen, realName, payeeAccount, hasConfirmation }));
          if (cancel && r.status === "PROCESSING" && r.confirm && !r.confirm.package && !hasConfirmation) {
            // No package, even when asked again under the same number: nobody can confirm, so the payout is withdrawn
            // now rather than left for WeChat to cancel in 24 hours; the money goes back to available once it is.
            if (!cancelling) {
              // Why we cancel is committed before the cancel is sent: WeChat may act on it and its answer be lost.
              await ctx.tx.providerCall.update({ where: { id }, data: { lastError: CANCELLING_NOTE, lastAttemptAt: ctx.now, nextAttemptAt: ctx.now } });
              return "CANCEL";
            }
            r = await withdraw(cancel);
          }
        }
        // Waiting for the payee with the package at hand (our cancel never took), or past waiting (the payee confirmed
        // first; WeChat is transferring): no longer ours to withdraw. Only CANCELING keeps the cancel on record.
        if (r.status === "PROCESSING" && !r.cancelling) cancelling = false;
        if (r.status === "PROCESSING") {
          await recordPayeeConfirmation(ctx, w, r.confirm);
          // Accepted, not finished: asked again later with the same payoutNo (not a failure, never dead-lettered).
          const note = cancelling ? CANCELLING_NOTE : r.confirm ? "等待收款人在微信中确认收款" : "支付渠道处理中";
          await ctx.tx.providerCall.update({ where: { id }, data: { nextAttemptAt: new Date(ctx.now.getTime() + PAYOUT_POLL_MS), lastAttemptAt: ctx.now, lastError: note } });
          return "RETRY";
        }
        // Our cancel's end is told as ours; a transfer that failed for its own reason (the payee confirmed before the
        // cancel arrived, then WeChat failed it: a wrong name, a frozen account) keeps WeChat's reason.
        const reason = cancelling && r.status === "FAILED" && r.cancelled ? LOST_CONFIRMATION_REASON : r.reason;
        await applyPayoutResult(ctx, w.id, { status: r.status, reason });
      }
      await ctx.tx.providerCall.update({ where: { id }, data: { status: "DONE", doneAt, refundOpenSince, refundOutcome, lastAttemptAt: ctx.now, attempts: { increment: 1 }, lastError: null } });
      return "DONE";
    });
  } catch (e) {
    if (attempts === undefined) throw e; // the claim itself failed (database unreachable)
    return recordCallFailure(db, id, attempts, now, e, cancelAsked);
  }
}

/**
 * A payout waiting for the payee to accept it in WeChat keeps the package WeChat issued (a query never repeats
 * it) for the shopper's 确认收款; once it no longer waits, the package goes.
 */
async function recordPayeeConfirmation(ctx: Ctx, w: { id: number; confirmParams: unknown }, confirm: PayeeConfirmation | undefined) {
  const stored = w.confirmParams as PayeeConfirmation | null;
  if (confirm?.package && confirm.package !== stored?.package) {
    await ctx.tx.withdrawal.update({ where: { id: w.id }, data: { confirmParams: { ...confirm }, confirmIssuedAt: ctx.now } });
  } else if (!confirm && stored) {
    await ctx.tx.withdrawal.update({ where: { id: w.id }, data: { confirmParams: Prisma.DbNull, confirmIssuedAt: null } });
  }
}

async function recordCallFailure(db: Db, id: number, seen: number, now: Date, error: unknown, cancelAsked: boolean): Promise<CallOutcome> {
  const attempts = seen + 1;
  const dead = attempts >= PROVIDER_MAX_ATTEMPTS;
  // Staff read lastError: the provider's own words, or for our failure a reference to the log (describeError: no query arguments).
  const failure = error instanceof ProviderFailure ? error.message : `内部错误（详见服务器日志，编号 ${id}）`;
  // A cancel we asked for stays on record whatever became of this attempt (its answer may have been lost).
  const text = cancelAsked ? `${CANCELLING_NOTE}；${failure}` : failure;
  if (!(error instanceof ProviderFailure)) console.error(`[payments] provider call ${id} failed in the app: ${describeError(error)}`);
  const recorded = await inTx(db, { now }, async (ctx) => {
    const [call] = await ctx.tx.providerCall.updateManyAndReturn({
      where: { id, status: "PENDING", attempts: seen },
      data: { attempts, lastError: text, lastAttemptAt: now, status: dead ? "DEAD" : "PENDING", nextAttemptAt: dead ? now : new Date(now.getTime() + backoffMs(attempts)) },
      select: { kind: true, orderId: true, idempotencyNo: true },
    });
    // A refund given up on is told to the shopper with the dead letter, in its transaction (the call's row locked).
    if (call && dead && call.kind === "REFUND" && call.orderId !== null) await tellShopperRefundFailed(ctx, call.orderId, call.idempotencyNo);
    return call !== undefined;
  });
  if (!recorded) return "SKIPPED";
  // Ids only: the request carries names and amounts, which stay in the database.
  if (dead) console.error(`[alert] provider call ${id} dead-lettered after ${attempts} attempts`);
  else console.warn(`[payments] provider call ${id} failed, attempt ${attempts}/${PROVIDER_MAX_ATTEMPTS}; will retry`);
  return dead ? "DEAD" : "RETRY";
}

/**
 * The shopper, told at the refund that the money goes back the original way, learns it ran into a problem the shop
 * settles (no provider detail), once per refund number: callers hold the refund call's row lock.
 */
export async function tellShopperRefundFailed(ctx: Ctx, orderId: number, refundNo: string): Promise<void> {
  const order = await ctx.tx.order.findUnique({ where: { id: orderId }, select: { orderNo: true, memberId: true } });
  if (!order) return;
  const told = await ctx.tx.notification.count({ where: { memberId: order.memberId, key: "order.refundFailed", params: { path: ["refundNo"], equals: refundNo } } });
  if (told === 0) await notify(ctx, order.memberId, "refund", "order.refundFailed", { orderNo: order.orderNo, refundNo });
}

/**
 * The shopper, told at the refund that the money goes back the original way (order.refundStarted), learns once it is
 * back, once per refund number: callers hold the refund call's row lock, which the provider's answers (callback,
 * query, a retried attempt) all take. Only the order's own refund: money sent back for a payment we never accepted
 * was told as returned when it was claimed (payment.returned.*).
 */
export async function tellShopperRefundDone(ctx: Ctx, orderId: number, refundNo: string): Promise<void> {
  const order = await ctx.tx.order.findUnique({ where: { id: orderId }, select: { orderNo: true, memberId: true } });
  if (!order) return;
  const ownRefund = await ctx.tx.payment.count({ where: { orderId, refundNo } });
  if (ownRefund === 0) return;
  const told = await ctx.tx.notification.count({ where: { memberId: order.memberId, key: "order.refundDone", params: { path: ["refundNo"], equals: refundNo } } });
  if (told === 0) await notify(ctx, order.memberId, "refund", "order.refundDone", { orderNo: order.orderNo, refundNo });
}

/** Performs every PENDING call whose next attempt is due, oldest first. Returns how many completed. */
export async function performDueProviderCalls(db: Db, now = new Date(), limit = 500): Promise<number> {
  const due = await db.providerCall.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true },
  });
  let done = 0;
  for (const c of due) if ((await performProviderCall(db, c.id, now)) === "DONE") done++;
  return done;
}

export const PAYING_RECONCILER = "paying-reconciler";

/**
 * Reconciler: every withdrawal in PAYING has a payout call that is asked again with its payoutNo
 * (rows left PAYING by a crash under the old direct call get one here), then due calls run. Each run
 * leaves a heartbeat (time, withdrawals closed, or the error) for the back office.
 */
export async function reconcilePayingWithdrawals(db: Db, now = new Date(), provider = payoutProviderName()): Promise<number> {
  try {
    const closed = await reconcileOnce(db, now, provider);
    await recordHeartbeat(db, PAYING_RECONCILER, now, { ok: true, count: closed });
    return closed;
  } catch (e) {
    // Staff are told it failed and to look here (the heartbeat keeps only the error's class).
    console.error(`[payments] ${PAYING_RECONCILER} failed: ${describeError(e)}`);
    await recordHeartbeat(db, PAYING_RECONCILER, now, { ok: false, error: e }).catch(() => undefined);
    throw e;
  }
}

async function reconcileOnce(db: Db, now: Date, provider: string): Promise<number> {
  const orphans = await db.$queryRaw<{ id: number; payFen: number; payoutNo: string | null }[]>`
    SELECT w.id, w."amountFen" - w."feeFen" AS "payFen", w."payoutNo" FROM "Withdrawal" w
    WHERE w.status = 'PAYING' AND NOT EXISTS (SELECT 1 FROM "ProviderCall" c WHERE c."idempotencyNo" = COALESCE(w."payoutNo", 'WD' || w.id))`;
  for (const w of orphans) {
    await inTx(db, { now }, (ctx) =>
      enqueueProviderCall(ctx, { kind: "PAYOUT", provider, idempotencyNo: w.payoutNo ?? `WD${w.id}`, amountFen: w.payFen, withdrawalId: w.id }),
    );
  }
  const paying = await db.providerCall.findMany({
    where: { kind: "PAYOUT", status: "PENDING", nextAttemptAt: { lte: now }, withdrawalId: { not: null } },
    select: { id: true },
  });
  let closed = 0;
  for (const c of paying) if ((await performProviderCall(db, c.id, now)) === "DONE") closed++;
  return closed;
}
