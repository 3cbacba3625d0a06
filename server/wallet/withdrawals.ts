// Withdrawals (SPEC §6): minimum 100 元, identity verified, not frozen. Up to 2 000 元 approved
// automatically, above that one approver, from 50 000 元 two different approvers. Paid out through
// the payment provider; a rejected or failed payout returns the money to `available`.
import type { Db } from "../db";
import type { Ctx } from "../context";
import type { MallConfig } from "../config/schema";
import { inTx, refuse, audit, notify } from "../context";
import { audit as auditStaff, staffActor, type StaffActor } from "../audit";
import { move, walletOf } from "./ledger";
import { enqueueProviderCall } from "../payments/outbox";
import { performProviderCall } from "../payments/calls";
import { payoutProviderName } from "../payments/registry";
import { fenToYuanString } from "../money";

export const MIN_WITHDRAWAL_FEN = 10_000;
export const AUTO_APPROVE_MAX_FEN = 200_000;
export const TWO_APPROVERS_FROM_FEN = 5_000_000;

/** The thresholds of the rules in force (config `withdrawal`, SPEC §6 defaults). */
export type WithdrawalRules = MallConfig["withdrawal"];
const SPEC_RULES: WithdrawalRules = { minFen: MIN_WITHDRAWAL_FEN, autoApproveMaxFen: AUTO_APPROVE_MAX_FEN, twoApproversFromFen: TWO_APPROVERS_FROM_FEN };

export function approvalsNeededFor(amountFen: number, rules: WithdrawalRules = SPEC_RULES): number {
  if (amountFen <= rules.autoApproveMaxFen) return 0;
  return amountFen >= rules.twoApproversFromFen ? 2 : 1;
}

export async function requestWithdrawal(ctx: Ctx, memberId: number, amountFen: number) {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) refuse("INVALID_AMOUNT", "提现金额无效");
  const rules = ctx.config.withdrawal;
  if (amountFen < rules.minFen) refuse("BELOW_MINIMUM", `单笔提现最低 ${fenToYuanString(rules.minFen).replace(/\.00$/, "")} 元`);
  // Serialise withdrawals of one member so two requests cannot both pass the balance check.
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${memberId} FOR UPDATE`;
  const member = await ctx.tx.member.findUnique({ where: { id: memberId } });
  if (!member) refuse("NO_SUCH_MEMBER", "member not found");
  if (member.frozen) refuse("FROZEN", "账户已冻结，无法提现");
  if (!member.verifiedAt) refuse("NOT_VERIFIED", "请先完成实名认证");
  const wallet = await walletOf(ctx, memberId);
  if (wallet.available < amountFen) refuse("INSUFFICIENT_BALANCE", "可提现余额不足");
  const needed = approvalsNeededFor(amountFen, rules);
  const w = await ctx.tx.withdrawal.create({
    data: { memberId, amountFen, status: needed === 0 ? "APPROVED" : "PENDING_REVIEW", approvalsNeeded: needed, createdAt: ctx.now, payoutNo: null },
  });
  await ctx.tx.withdrawal.update({ where: { id: w.id }, data: { payoutNo: `WD${w.id}` } });
  await move(ctx, `withdrawal:${w.id}:hold`, "withdrawal_hold", memberId, "available", "withdrawing", amountFen);
  await audit(ctx, memberId, "withdrawal.requested", `withdrawal:${w.id}`, { amountFen, approvalsNeeded: needed });
  if (needed === 0) await audit(ctx, null, "withdrawal.auto_approved", `withdrawal:${w.id}`);
  return ctx.tx.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
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
  if (w.approvals.some((a) => a.staffId === actor.staffId)) refuse("ALREADY_APPROVED", "您已审核过该提现单，需要另一位审核人");
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
  await move(ctx, `withdrawal:${id}:release`, "withdrawal_release", w.memberId, "withdrawing", "available", w.amountFen);
  await auditStaff(ctx.tx, {
    actor: staffActor(actor), action: "withdrawal.rejected", target: `withdrawal:${id}`,
    before: { status: w.status }, after: { status: "REJECTED" }, data: { reason, amountFen: w.amountFen }, requestId: actor.requestId, now: ctx.now,
  });
  await notify(ctx, w.memberId, "withdrawal", "提现被驳回", `提现 ${fenToYuanString(w.amountFen)} 元被驳回，金额已退回可提现余额`);
}

/**
 * Pays an APPROVED withdrawal out through the provider: APPROVED → PAYING and the payout request
 * (ProviderCall, idempotent by payoutNo) in one transaction, then one attempt at once. A provider
 * error leaves it PAYING with the call queued for retry (and for the reconciler), never lost.
 */
export async function executePayout(db: Db, id: number, providerName = payoutProviderName(), now?: Date): Promise<"PAID" | "FAILED" | "PAYING" | "SKIPPED"> {
  const at = now ?? new Date();
  const callId = await inTx(db, { now: at }, async (ctx) => {
    const claimed = await ctx.tx.withdrawal.updateMany({ where: { id, status: "APPROVED" }, data: { status: "PAYING" } });
    if (claimed.count === 0) return null;
    const w = await ctx.tx.withdrawal.findUniqueOrThrow({ where: { id } });
    return enqueueProviderCall(ctx, { kind: "PAYOUT", provider: providerName, idempotencyNo: w.payoutNo ?? `WD${w.id}`, amountFen: w.amountFen, withdrawalId: w.id });
  });
  if (callId === null) return "SKIPPED";
  await performProviderCall(db, callId, at);
  const w = await db.withdrawal.findUniqueOrThrow({ where: { id }, select: { status: true } });
  return w.status === "PAID" || w.status === "FAILED" ? w.status : "PAYING";
}

/** Pays out every approved withdrawal (called after approval and by the scheduler). */
export async function payApprovedWithdrawals(db: Db, now?: Date): Promise<number> {
  const ready = await db.withdrawal.findMany({ where: { status: "APPROVED" }, select: { id: true } });
  for (const w of ready) await executePayout(db, w.id, payoutProviderName(), now);
  return ready.length;
}
