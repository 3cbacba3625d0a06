// Risk events and flags (SPEC §8). An event records the rule, the members involved and its
// evidence; a flag puts a member under review until a reviewer decides.
import type { Ctx } from "../context";
import { audit } from "../context";
import { Prisma } from "../db";

/** The reason recorded (failReason, shown to staff only) on a withdrawal held for a person because its member has an open risk flag. */
export const RISK_HOLD_REASON = "风控待审";

export type RiskRule =
  | "self_referral"
  | "shared_device"
  | "shared_ip"
  | "ip_burst"
  | "shared_address"
  | "large_first_order"
  | "refund_abuse"
  | "returning_phone";

export async function recordRiskEvent(
  ctx: Ctx,
  rule: RiskRule,
  memberIds: number[],
  flagMemberIds: number[],
  evidence: Record<string, unknown>,
) {
  const event = await ctx.tx.riskEvent.create({
    data: { rule, memberIds: [...new Set(memberIds)].sort((a, b) => a - b), evidence: evidence as object, createdAt: ctx.now },
  });
  const flagged = [...new Set(flagMemberIds)].sort((a, b) => a - b);
  for (const memberId of flagged) {
    await lockRiskOf(ctx, memberId);
    const flag = await ctx.tx.riskFlag.create({ data: { memberId, eventId: event.id, createdAt: ctx.now } });
    await holdAutoApprovedWithdrawals(ctx, memberId, flag.id);
  }
  return event;
}

/**
 * Serialises a member's new flag with their withdrawal requests, so each commits after the other and sees it: a request
 * takes it under its wallet lock (server/wallet/withdrawals.ts), after every lock a flag's raiser may already hold.
 */
export async function lockRiskOf(ctx: Pick<Ctx, "tx">, memberId: number) {
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('MemberRisk'), ${memberId}::int)`;
}

/**
 * SPEC §8: a member under review is never paid automatically. Their withdrawals approved automatically and not yet
 * being paid out go to one person, with the reason a request made now would get (a staff-approved one waits, APPROVED,
 * as the payout skips a member under review).
 */
async function holdAutoApprovedWithdrawals(ctx: Ctx, memberId: number, flagId: number) {
  const held = await ctx.tx.withdrawal.updateManyAndReturn({
    where: { memberId, status: "APPROVED", approvalsNeeded: 0 },
    data: { status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: RISK_HOLD_REASON },
    select: { id: true },
  });
  for (const w of held) await audit(ctx, null, "withdrawal.risk_held", `withdrawal:${w.id}`, { reason: RISK_HOLD_REASON, flags: [flagId] });
}

/** The members among `members` (a subquery or list) with an open flag, as a subquery: who is held (SPEC §8). */
function openFlagsSql(members: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT f."memberId" FROM "RiskFlag" f WHERE f."memberId" IN (${members}) AND f.status = 'OPEN'`;
}

/** Members among the given ones with at least one open flag. */
export async function heldMembers(ctx: Pick<Ctx, "tx">, memberIds: number[]): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await ctx.tx.$queryRaw<{ memberId: number }[]>`SELECT DISTINCT h."memberId" FROM (${openFlagsSql(Prisma.sql`SELECT unnest(${memberIds}::int[])`)}) h`;
  return new Set(rows.map((r) => r.memberId));
}

/**
 * Whether a commission's earner is told its buyer is under review (审核中): only for their own invitee, the level-1
 * buyer; a level-2/3 buyer's review is the business of whoever invited them (PIPL). 佣金明细 and the wallet's 待到账 both ask here.
 */
export function buyerHoldShownTo(level: number): boolean {
  return level === 1;
}

/** heldMembers as an SQL condition, for a statement that reads what it holds: true when any of `members` (a subquery or list) has an open flag. */
export function anyHeldSql(members: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (${openFlagsSql(members)})`;
}
