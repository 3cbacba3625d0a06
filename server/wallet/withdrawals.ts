// Withdrawals (SPEC §6): minimum 100 元, identity verified, not frozen. Up to 2 000 元 approved
// automatically, above that one approver, from 50 000 元 two different approvers — reckoned on what the
// member's withdrawals take from `available` in one merchant-calendar day (a request on its day, a 重新打款 on the
// day of the retry), so splitting a sum, or retrying a failed one, does not slip under a threshold.
// Paid out through the payment provider; a rejected or failed payout returns the money to `available`.
// SPEC §8: a member under risk review (an open flag) is never approved automatically, nor approved or paid out by
// staff until the review decided: a person decides, after the risk review.
import type { Db } from "../db";
import type { Ctx } from "../context";
import { inTx, refuse, audit, notify, DomainError } from "../context";
import { audit as auditStaff, staffActor, type StaffActor } from "../audit";
import { move, postLedger, walletOf } from "./ledger";
import { withdrawalFeeFor } from "./fee";
import { enqueueProviderCall } from "../payments/outbox";
import { performProviderCall, queryPayoutAt } from "../payments/calls";
import { payoutProviderName } from "../payments/registry";
import { fenToYuanString } from "../money";
import { payeeAccountOf, payeeMissingMessage, payeePlatformOf } from "./payee";
import { localParts, nextLocalMidnight, zonedMidnight } from "../clock/time";
import { applyPayoutResult } from "./payout-result";
import { describeError } from "../api/internal-errors";
import type { Prisma } from "../db/generated/client";
import { heldMembers, lockRiskOf, RISK_HOLD_REASON } from "../risk/flags";

export const MIN_WITHDRAWAL_FEN = 10_000;
export const AUTO_APPROVE_MAX_FEN = 200_000;
export const TWO_APPROVERS_FROM_FEN = 5_000_000;
/** Refuses staff's approval or payout while the member has an open flag: the risk review decides first (SPEC §8). */
async function refuseWhileUnderReview(ctx: Ctx, memberId: number) {
  if ((await heldMembers(ctx, [memberId])).has(memberId)) {
    refuse("RISK_FLAG_OPEN", "该会员有未处理的风控标记，请先在风控中心处理后再审核");
  }
}

/** The shopper's 确认收款 package is theirs alone (WeChat takes it only from the payee): what staff read leaves it out. */
export const STAFF_OMIT = { confirmParams: true } satisfies Prisma.WithdrawalOmit;

/** Approvers needed for a member's withdrawals of one day totalling `amountFen` (this request included). */
export function approvalsNeededFor(amountFen: number): number {
  if (amountFen <= AUTO_APPROVE_MAX_FEN) return 0;
  return amountFen >= TWO_APPROVERS_FROM_FEN ? 2 : 1;
}

/** Ledger keys of one payout attempt: attempt 1 keeps the original keys, a retry gets its own. */
export function withdrawalKey(w: { id: number; payoutAttempt: number }, step: "hold" | "fee" | "paid" | "release" | "fee_refund"): string {
  return w.payoutAttempt === 1 ? `withdrawal:${w.id}:${step}` : `withdrawal:${w.id}:a${w.payoutAttempt}:${step}`;
}

/** What the provider pays out: the requested amount less the fee. */
export function payoutFen(w: { amountFen: number; feeFen: number }): number {
  return w.amountFen - w.feeFen;
}

/** Takes the requested amount from `available`: the fee to the merchant, the rest into `withdrawing`. */
async function holdForPayout(ctx: Ctx, w: { id: number; memberId: number; amountFen: number; feeFen: number; payoutAttempt: number }) {
  await postLedger(ctx, withdrawalKey(w, "fee"), "withdrawal_fee", [
    { member: w.memberId, bucket: "available", amountFen: -w.feeFen },
    { account: "merchant:withdrawal_fee", amountFen: w.feeFen },
  ]);
  await move(ctx, withdrawalKey(w, "hold"), "withdrawal_hold", w.memberId, "available", "withdrawing", payoutFen(w));
}

/** A rejected or failed payout: the held amount and the fee both go back to `available` (SPEC §6). */
export async function releaseWithdrawal(ctx: Ctx, w: { id: number; memberId: number; amountFen: number; feeFen: number; payoutAttempt: number }) {
  await move(ctx, withdrawalKey(w, "release"), "withdrawal_release", w.memberId, "withdrawing", "available", payoutFen(w));
  await postLedger(ctx, withdrawalKey(w, "fee_refund"), "withdrawal_fee_refund", [
    { account: "merchant:withdrawal_fee", amountFen: -w.feeFen },
    { member: w.memberId, bucket: "available", amountFen: w.feeFen },
  ]);
}

/**
 * A member's withdrawal request. `expectedFeeFen` is the fee the shopper was shown: when the setting
 * changed in between, the request is refused rather than charging a fee they did not confirm.
 * `requestKey` names one intended withdrawal: the same key again (a resent request whose answer was
 * lost) returns the withdrawal it made, debiting nothing; with another amount it is refused. `providerName`
 * is who will pay it out: a member without an account there is refused.
 */
export async function requestWithdrawal(ctx: Ctx, memberId: number, amountFen: number, opts: { expectedFeeFen?: number; requestKey?: string; providerName?: string } = {}) {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) refuse("INVALID_AMOUNT", "提现金额无效");
  if (amountFen < MIN_WITHDRAWAL_FEN) refuse("BELOW_MINIMUM", `单笔提现最低 ¥${fenToYuanString(MIN_WITHDRAWAL_FEN)}`);
  // The Member row before the Wallet, the order every path locks them in (server/risk/review.ts).
  await ctx.tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${memberId} FOR SHARE`;
  // Serialise withdrawals of one member so two requests cannot both pass the balance check, nor both miss a key's withdrawal.
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${memberId} FOR UPDATE`;
  // A flag raised at the same time (a checkout's shared_address holds only a key share on the member) either committed
  // first and is read below, or is raised after this commits and then sends this withdrawal to a person (server/risk/flags.ts).
  await lockRiskOf(ctx, memberId);
  const requestKey = opts.requestKey ?? null;
  if (requestKey !== null) {
    // Before the fee and balance checks: the withdrawal made has already changed both.
    const made = await ctx.tx.withdrawal.findUnique({ where: { memberId_requestKey: { memberId, requestKey } } });
    if (made && made.amountFen !== amountFen) refuse("REQUEST_KEY_REUSED", "这笔提现已按另一金额提交，请刷新页面后重新提交");
    if (made) return made;
  }
  const feeFen = withdrawalFeeFor(amountFen, ctx.config.withdrawal);
  if (opts.expectedFeeFen !== undefined && opts.expectedFeeFen !== feeFen) refuse("FEE_CHANGED", "提现手续费已调整，请确认新的手续费后重新提交");
  if (feeFen >= amountFen) refuse("FEE_EXCEEDS_AMOUNT", "提现金额不足以支付手续费");
  const member = await ctx.tx.member.findUnique({ where: { id: memberId } });
  if (!member) refuse("NO_SUCH_MEMBER", "member not found");
  if (member.frozen) refuse("FROZEN", "账户已冻结，无法提现");
  if (!member.verifiedAt) refuse("NOT_VERIFIED", "请先完成实名认证");
  // Unpayable (no openid, no Alipay account): it would fail only after approval, so nothing is held for it.
  const payee = payeePlatformOf(opts.providerName);
  if (payee && (await payeeAccountOf(ctx.tx, memberId, payee)) === null) refuse("PAYEE_MISSING", payeeMissingMessage(payee));
  const wallet = await walletOf(ctx, memberId);
  if (wallet.available < amountFen) refuse("INSUFFICIENT_BALANCE", "可提现余额不足");
  const earlierFen = await withdrawnTodayFen(ctx, memberId);
  // SPEC §8: under review, whatever the amount, one person approves; not refused (the money is the member's).
  const openFlags = await ctx.tx.riskFlag.findMany({ where: { memberId, status: "OPEN" }, orderBy: { id: "asc" }, select: { id: true } });
  const riskHold = openFlags.length > 0;
  const needed = Math.max(approvalsNeededFor(earlierFen + amountFen), riskHold ? 1 : 0);
  const w = await ctx.tx.withdrawal.create({
    data: {
      memberId, amountFen, feeFen, status: needed === 0 ? "APPROVED" : "PENDING_REVIEW", approvalsNeeded: needed, createdAt: ctx.now, payoutNo: null, requestKey,
      failReason: riskHold ? RISK_HOLD_REASON : null,
    },
  });
  await ctx.tx.withdrawal.update({ where: { id: w.id }, data: { payoutNo: `WD${w.id}` } });
  await holdForPayout(ctx, w);
  await audit(ctx, memberId, "withdrawal.requested", `withdrawal:${w.id}`, { amountFen, feeFen, approvalsNeeded: needed, dayTotalFen: earlierFen + amountFen });
  if (riskHold) await audit(ctx, null, "withdrawal.risk_held", `withdrawal:${w.id}`, { reason: RISK_HOLD_REASON, flags: openFlags.map((f) => f.id) });
  if (needed === 0) await audit(ctx, null, "withdrawal.auto_approved", `withdrawal:${w.id}`);
  return ctx.tx.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
}

/**
 * What the member's withdrawals have taken from `available` so far on the merchant-calendar day of `ctx.now`:
 * each still held counts on the day of its current hold (the request, or the 重新打款 that held it again);
 * rejected and failed payouts aside (that money went back). Read under the caller's wallet lock, so two
 * requests at once see each other.
 */
async function withdrawnTodayFen(ctx: Ctx, memberId: number): Promise<number> {
  const tz = ctx.config.timeZone;
  const p = localParts(ctx.now, tz);
  const today = { gte: zonedMidnight(p.year, p.month, p.day, tz), lt: nextLocalMidnight(ctx.now, tz) };
  const held = { memberId, status: { notIn: ["REJECTED", "FAILED"] } } satisfies Prisma.WithdrawalWhereInput;
  const { _sum } = await ctx.tx.withdrawal.aggregate({ where: { ...held, payoutAttempt: 1, createdAt: today }, _sum: { amountFen: true } });
  // A retried payout's hold is its own ledger transaction (withdrawal:<id>:a<n>:hold), dated when staff retried it.
  const retryHolds = await ctx.tx.ledgerTxn.findMany({
    where: { kind: "withdrawal_hold", key: { contains: ":a" }, createdAt: today, entries: { some: { memberId } } },
    select: { key: true },
  });
  if (retryHolds.length === 0) return _sum.amountFen ?? 0;
  const keys = new Set(retryHolds.map((h) => h.key));
  const ids = retryHolds.map((h) => Number(h.key.split(":")[1]));
  const retried = await ctx.tx.withdrawal.findMany({ where: { ...held, id: { in: ids }, payoutAttempt: { gt: 1 } }, select: { id: true, payoutAttempt: true, amountFen: true } });
  return retried.filter((w) => keys.has(withdrawalKey(w, "hold"))).reduce((sum, w) => sum + w.amountFen, _sum.amountFen ?? 0);
}

async function lockWithdrawal(ctx: Ctx, id: number) {
  await ctx.tx.$queryRaw`SELECT id FROM "Withdrawal" WHERE id = ${id} FOR UPDATE`;
  const w = await ctx.tx.withdrawal.findUnique({ where: { id }, include: { approvals: true } });
  if (!w) refuse("NOT_FOUND", "提现单不存在");
  return w;
}

/** One staff account's approval; the same account never counts twice (two *different* staff, SPEC §6). */
export async function approveWithdrawal(ctx: Ctx, id: number, actor: StaffActor) {
  const w = await lockWithdrawal(ctx, id);
  if (w.status !== "PENDING_REVIEW") refuse("NOT_PENDING", "该提现单不在待审核状态");
  if (w.approvals.some((a) => a.staffId === actor.staffId && a.decision === "approve")) refuse("ALREADY_APPROVED", "您已审核过该提现单，需要另一位审核人");
  // SPEC §8: a frozen member cannot withdraw, also when frozen after asking.
  const { frozen } = await ctx.tx.member.findUniqueOrThrow({ where: { id: w.memberId }, select: { frozen: true } });
  if (frozen) refuse("FROZEN", "会员账户已冻结，不能通过提现，请驳回（金额退回余额）");
  await refuseWhileUnderReview(ctx, w.memberId);
  await ctx.tx.withdrawalApproval.create({ data: { withdrawalId: id, staffId: actor.staffId, decision: "approve", createdAt: ctx.now } });
  const approvals = w.approvals.length + 1;
  const status = approvals >= w.approvalsNeeded ? "APPROVED" : w.status;
  if (status === "APPROVED") {
    await ctx.tx.withdrawal.update({ where: { id }, data: { status: "APPROVED", decidedAt: ctx.now } });
  }
  await auditStaff(ctx.tx, {
    actor: staffActor(actor), action: "withdrawal.approved", target: `withdrawal:${id}`,
    before: { status: w.status, approvals: w.approvals.length }, after: { status, approvals }, data: { needed: w.approvalsNeeded, amountFen: w.amountFen },
    requestId: actor.requestId, now: ctx.now,
  });
  return ctx.tx.withdrawal.findUniqueOrThrow({ where: { id } });
}

export async function rejectWithdrawal(ctx: Ctx, id: number, actor: StaffActor, reason: string) {
  const w = await lockWithdrawal(ctx, id);
  if (w.status !== "PENDING_REVIEW" && w.status !== "APPROVED") refuse("NOT_PENDING", "该提现单已处理");
  await ctx.tx.withdrawal.update({ where: { id }, data: { status: "REJECTED", decidedAt: ctx.now, failReason: reason } });
  await ctx.tx.withdrawalApproval.create({ data: { withdrawalId: id, staffId: actor.staffId, decision: "reject", createdAt: ctx.now } });
  await releaseWithdrawal(ctx, w);
  await auditStaff(ctx.tx, {
    actor: staffActor(actor), action: "withdrawal.rejected", target: `withdrawal:${id}`,
    before: { status: w.status }, after: { status: "REJECTED" }, data: { reason, amountFen: w.amountFen }, requestId: actor.requestId, now: ctx.now,
  });
  // The reason as staff wrote it (the wallet's row shows it too): the shopper is told why, not only that.
  await notify(ctx, w.memberId, "withdrawal", "withdrawal.rejectedWithReason", { amountFen: w.amountFen, reason });
}

/**
 * Pays an APPROVED withdrawal out through the provider: APPROVED → PAYING and the payout request
 * (ProviderCall, idempotent by payoutNo) in one transaction, then one attempt at once. A provider
 * error leaves it PAYING with the call queued for retry (and for the reconciler), never lost.
 */
export async function executePayout(db: Db, id: number, providerName = payoutProviderName(), now?: Date): Promise<"PAID" | "FAILED" | "PAYING" | "SKIPPED"> {
  const at = now ?? new Date();
  const callId = await queuePayout(db, id, providerName, at);
  if (callId === null) return "SKIPPED";
  await performProviderCall(db, callId, at);
  const w = await db.withdrawal.findUniqueOrThrow({ where: { id }, select: { status: true } });
  return w.status === "PAID" || w.status === "FAILED" ? w.status : "PAYING";
}

/**
 * APPROVED → PAYING and its payout request (ProviderCall) in one transaction, the provider not asked: returns the
 * call's id, or null when the withdrawal is not (or no longer) APPROVED, or its member is frozen or under risk review.
 */
async function queuePayout(db: Db, id: number, providerName: string, now: Date): Promise<number | null> {
  return inTx(db, { now }, async (ctx) => {
    // Flagged since a person approved it: it waits, APPROVED, for the risk review (the scheduler pays it once decided).
    const approved = await ctx.tx.withdrawal.findUnique({ where: { id }, select: { memberId: true } });
    if (!approved || (await heldMembers(ctx, [approved.memberId])).has(approved.memberId)) return null;
    // A member frozen since the approval is not paid: the withdrawal waits, APPROVED, for staff to reject it.
    const claimed = await ctx.tx.withdrawal.updateMany({ where: { id, status: "APPROVED", member: { frozen: false } }, data: { status: "PAYING" } });
    if (claimed.count === 0) return null;
    const w = await ctx.tx.withdrawal.findUniqueOrThrow({ where: { id } });
    // SPEC §6: every step is audited; this one by the system, whoever approved.
    await audit(ctx, null, "withdrawal.paying", `withdrawal:${w.id}`, { payoutNo: w.payoutNo, attempt: w.payoutAttempt, provider: providerName, amountFen: w.amountFen, feeFen: w.feeFen });
    return enqueueProviderCall(ctx, { kind: "PAYOUT", provider: providerName, idempotencyNo: w.payoutNo ?? `WD${w.id}`, amountFen: payoutFen(w), withdrawalId: w.id });
  });
}

/** Pays out every approved withdrawal (called after approval and by the scheduler). */
export async function payApprovedWithdrawals(db: Db, now?: Date): Promise<number> {
  const ready = await db.withdrawal.findMany({ where: { status: "APPROVED" }, select: { id: true } });
  for (const w of ready) await executePayout(db, w.id, payoutProviderName(), now);
  return ready.length;
}

export interface BatchApprovalResult {
  id: number;
  payoutNo: string | null;
  /** approved: fully approved (its payout queued: PAYING, or APPROVED for the scheduler); recorded: this approval counted, another approver is needed. */
  outcome: "approved" | "recorded" | "refused";
  status: string | null;
  code?: string;
  message?: string;
}

/**
 * 批量审核: each withdrawal is approved in its own transaction with exactly the single-approval rules,
 * so a refused row changes nothing and never stops the others. Fully approved ones get their payout request
 * queued (PAYING) once all approvals committed, the provider not asked here: up to 100 slow payouts would outlast
 * the staff request, so the outbox sends them (sendQueuedPayouts at once, the scheduler's sweep else). Clicking
 * twice is harmless: the second time every row is refused (already approved by this account, or no longer
 * pending) and nothing changes.
 */
export async function approveWithdrawals(db: Db, ids: number[], actor: StaffActor, now: Date, providerName = payoutProviderName()): Promise<BatchApprovalResult[]> {
  const results: BatchApprovalResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const w = await inTx(db, { now }, (ctx) => approveWithdrawal(ctx, id, actor));
      results.push({ id, payoutNo: w.payoutNo, outcome: w.status === "APPROVED" ? "approved" : "recorded", status: w.status });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const w = await db.withdrawal.findUnique({ where: { id }, select: { payoutNo: true, status: true } });
      results.push({ id, payoutNo: w?.payoutNo ?? null, outcome: "refused", status: w?.status ?? null, code: e.code, message: e.message });
    }
  }
  for (const r of results) {
    if (r.outcome !== "approved") continue;
    try {
      r.status = (await queuePayout(db, r.id, providerName, now)) === null ? "APPROVED" : "PAYING";
    } catch {
      // Approved: the scheduler (payApprovedWithdrawals) queues its payout; the approval itself stands.
      r.status = "APPROVED";
    }
  }
  return results;
}

/**
 * Sends the queued payout requests of these withdrawals now, one after another (each its own claim, so a sweep
 * running at the same time never sends one twice). Started in the background after a batch approval.
 */
export async function sendQueuedPayouts(db: Db, withdrawalIds: number[], now: Date): Promise<void> {
  if (withdrawalIds.length === 0) return;
  const calls = await db.providerCall.findMany({ where: { kind: "PAYOUT", status: "PENDING", withdrawalId: { in: withdrawalIds } }, orderBy: { id: "asc" }, select: { id: true } });
  for (const c of calls) await performProviderCall(db, c.id, now);
}

/**
 * 批量审核 and its payouts: answers once every row is approved and queued; the queued payouts are sent after that,
 * not awaited (slow providers), and the scheduler's sweep takes over what this process misses.
 */
export async function approveWithdrawalsNow(db: Db, ids: number[], actor: StaffActor, now: Date, providerName = payoutProviderName()): Promise<BatchApprovalResult[]> {
  const results = await approveWithdrawals(db, ids, actor, now, providerName);
  const queued = results.filter((r) => r.status === "PAYING").map((r) => r.id);
  void sendQueuedPayouts(db, queued, now).catch(() => console.error("[payments] sending the batch's payouts failed; the scheduler retries them"));
  return results;
}

/**
 * 重新打款: a FAILED payout (money already back in `available`) is tried again as the next attempt:
 * the amount and the fee agreed at request are taken from `available` again, under a new payout number
 * (the provider has answered the old one for good). Refused when the member is frozen or has spent it.
 * The held amount counts again on the day of the retry (SPEC §6): when that day's total needs more
 * approvers than the withdrawal has, it goes back to PENDING_REVIEW for another staff account to approve.
 */
export async function retryFailedPayout(ctx: Ctx, id: number, actor: StaffActor) {
  const w = await lockWithdrawal(ctx, id);
  if (w.status !== "FAILED") refuse("NOT_FAILED", "只有打款失败的提现单可以重新打款");
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${w.memberId} FOR UPDATE`;
  const member = await ctx.tx.member.findUniqueOrThrow({ where: { id: w.memberId } });
  if (member.frozen) refuse("FROZEN", "会员账户已冻结，不能重新打款");
  await refuseWhileUnderReview(ctx, w.memberId);
  if ((await walletOf(ctx, w.memberId)).available < w.amountFen) refuse("INSUFFICIENT_BALANCE", "会员可提现余额已不足，不能重新打款");
  // This withdrawal is FAILED, so today's total leaves it out: it is added once, as a request would be.
  const dayTotalFen = (await withdrawnTodayFen(ctx, w.memberId)) + w.amountFen;
  const approvalsNeeded = Math.max(w.approvalsNeeded, approvalsNeededFor(dayTotalFen));
  const approvers = new Set(w.approvals.filter((a) => a.decision === "approve").map((a) => a.staffId)).size;
  const status = approvers >= approvalsNeeded ? "APPROVED" : "PENDING_REVIEW";
  const attempt = w.payoutAttempt + 1;
  const payoutNo = `WD${w.id}-${attempt}`;
  const next = await ctx.tx.withdrawal.update({ where: { id }, data: { status, approvalsNeeded, payoutAttempt: attempt, payoutNo, failReason: null, decidedAt: ctx.now } });
  await holdForPayout(ctx, next);
  await auditStaff(ctx.tx, {
    actor: staffActor(actor), action: "withdrawal.payout_retried", target: `withdrawal:${id}`,
    before: { status: "FAILED", payoutNo: w.payoutNo, failReason: w.failReason, approvalsNeeded: w.approvalsNeeded },
    after: { status, payoutNo, approvalsNeeded }, data: { attempt, amountFen: w.amountFen, feeFen: w.feeFen, dayTotalFen, approvals: approvers },
    requestId: actor.requestId, now: ctx.now,
  });
  return next;
}

/** 重新打款 and the payout itself: the retry commits first, then the provider is asked once at once (unless it awaits another approver). */
export async function retryFailedPayoutNow(db: Db, id: number, actor: StaffActor, now: Date, providerName = payoutProviderName()) {
  const retried = await inTx(db, { now }, (ctx) => retryFailedPayout(ctx, id, actor));
  if (retried.status !== "APPROVED") return { id, status: retried.status };
  try {
    const status = await executePayout(db, id, providerName, now);
    return { id, status: status === "SKIPPED" ? "APPROVED" : status };
  } catch (err) {
    // The retry stands (committed): the scheduler pays it out. describeError: a Prisma message quotes the query's values.
    console.error(`payout of withdrawal ${id} after 重新打款 failed: ${describeError(err)}`);
    return { id, status: (await db.withdrawal.findUniqueOrThrow({ where: { id }, select: { status: true } })).status };
  }
}

/** One approval, then the payout at once when it completed the approvals (the scheduler retries a failure). */
export async function approveWithdrawalNow(db: Db, id: number, actor: StaffActor, now: Date, providerName = payoutProviderName()) {
  const w = await inTx(db, { now }, (ctx) => approveWithdrawal(ctx, id, actor));
  if (w.status === "APPROVED") {
    try {
      await executePayout(db, w.id, providerName, now);
    } catch (err) {
      // The approval stands (committed): the scheduler pays it out. describeError: a Prisma message quotes the query's values.
      console.error(`payout of withdrawal ${w.id} after approval failed: ${describeError(err)}`);
    }
  }
  return db.withdrawal.findUniqueOrThrow({ where: { id: w.id }, omit: STAFF_OMIT });
}

function notDeadLettered(): never {
  refuse("PAYOUT_NOT_DEAD", "只有打款请求多次失败已暂停的打款中提现单，才能确认打款失败");
}

/**
 * WeChat's "no such transfer" is not final: its transfer queries answer only for the last 30 days, and the batch product
 * answers NOT_FOUND while a batch is still being accepted. (Alipay's ORDER_NOT_EXIST is taken as final: its query
 * documents no such window.) A day short of 30: the provider's clock and the start of its window are not ours.
 */
const NOT_FOUND_UNCERTAIN_PROVIDERS = new Set(["wechatpay"]);
const PAYOUT_QUERY_WINDOW_MS = 29 * 24 * 3600_000;
/** The batch product's acceptance after a POST: until then NOT_FOUND may be a batch WeChat has not yet recorded. */
const BATCH_ACCEPTANCE_MS = 10 * 60_000;

/** Refuses to read "no such transfer" as the payout having failed when the provider may just not say (see above). */
function refuseUncertainNotFound(call: { provider: string; createdAt: Date; lastAttemptAt: Date | null }, now: Date) {
  if (!NOT_FOUND_UNCERTAIN_PROVIDERS.has(call.provider)) return;
  // The call is created when the payout is first sent (a staff retry of the job keeps it), so it dates the transfer.
  if (now.getTime() - call.createdAt.getTime() > PAYOUT_QUERY_WINDOW_MS) {
    refuse("PAYOUT_TOO_OLD_TO_QUERY", "该转账已超过 30 天，支付渠道无法查询，请在商户平台的资金账单中核对后处理");
  }
  // The same setting the adapter is built from (wechatPayConfigFromEnv): the batch product's NOT_FOUND may be a batch being accepted.
  if (process.env.WECHATPAY_TRANSFER_API === "batches" && now.getTime() - (call.lastAttemptAt ?? call.createdAt).getTime() < BATCH_ACCEPTANCE_MS) {
    refuse("PAYOUT_BATCH_BEING_ACCEPTED", "微信可能仍在受理这笔转账，请 10 分钟后再确认打款失败");
  }
}

/** The payout call's note once staff confirmed the payout failed: it is closed and never sent again. */
export const CONFIRMED_FAILED_NOTE = "财务已确认打款失败，款项已退回可提现余额";

/**
 * 确认打款失败，退回余额: a PAYING withdrawal whose payout call was dead-lettered (the provider kept refusing or never
 * answered) is released (FAILED, the amount and the fee back to `available`, SPEC §6) only once the provider, asked
 * under the payout number, says it holds no such transfer or that it failed or was cancelled. Paid, still under way,
 * unanswered, or "no such transfer" from a provider that may not know (refuseUncertainNotFound): refused, nothing
 * changes. The call is closed with it, so no later retry can pay money already returned.
 */
export async function confirmPayoutFailed(db: Db, id: number, actor: StaffActor, now: Date) {
  const w = await db.withdrawal.findUnique({ where: { id }, select: { status: true, payoutNo: true } });
  if (!w) refuse("NOT_FOUND", "提现单不存在");
  const payoutNo = w.payoutNo ?? `WD${id}`;
  const call = await db.providerCall.findFirst({ where: { kind: "PAYOUT", idempotencyNo: payoutNo, withdrawalId: id } });
  if (w.status !== "PAYING" || call?.status !== "DEAD") notDeadLettered();
  let answer: Awaited<ReturnType<typeof queryPayoutAt>>;
  try {
    answer = await queryPayoutAt(call.provider, payoutNo);
  } catch {
    refuse("PAYOUT_QUERY_FAILED", "暂时无法向支付渠道查询这笔转账，未退回余额，请稍后再试");
  }
  if (answer === undefined) refuse("PAYOUT_QUERY_UNSUPPORTED", "该支付渠道不支持查询转账，无法确认打款失败");
  if (answer?.status === "SUCCESS") refuse("PAYOUT_SUCCEEDED", "支付渠道显示这笔转账已成功，不能退回余额；请重试打款请求以记录到账");
  if (answer?.status === "PROCESSING") refuse("PAYOUT_STILL_PROCESSING", "支付渠道显示这笔转账仍在处理中，不能退回余额，请稍后再查");
  if (answer === null) refuseUncertainNotFound(call, now);
  const reason = answer?.reason ?? `支付渠道无此转账，${CONFIRMED_FAILED_NOTE}`;
  return inTx(db, { now }, async (ctx) => {
    // The call is claimed first: a staff retry that put it back in the queue since the provider was asked wins.
    const closed = await ctx.tx.providerCall.updateMany({ where: { id: call.id, status: "DEAD" }, data: { status: "DONE", doneAt: ctx.now, lastError: CONFIRMED_FAILED_NOTE } });
    if (closed.count === 0) notDeadLettered();
    const status = await applyPayoutResult(ctx, id, { status: "FAILED", reason });
    if (status !== "FAILED") notDeadLettered();
    await auditStaff(ctx.tx, {
      actor: staffActor(actor), action: "withdrawal.payout_failure_confirmed", target: `withdrawal:${id}`,
      before: { status: "PAYING", callStatus: "DEAD" }, after: { status: "FAILED", callStatus: "DONE" },
      data: { payoutNo, provider: call.provider, providerAnswer: answer ? "FAILED" : "NOT_FOUND", reason, lastError: call.lastError },
      requestId: actor.requestId, now: ctx.now,
    });
    return ctx.tx.withdrawal.findUniqueOrThrow({ where: { id }, omit: STAFF_OMIT });
  });
}
