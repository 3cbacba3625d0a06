// Risk events and flags (SPEC §8). An event records the rule, the members involved and its
// evidence; a flag puts a member under review until a reviewer decides.
import type { Ctx } from "../context";
import { Prisma } from "../db";

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
  for (const memberId of new Set(flagMemberIds)) {
    await ctx.tx.riskFlag.create({ data: { memberId, eventId: event.id, createdAt: ctx.now } });
  }
  return event;
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

/** heldMembers as an SQL condition, for a statement that reads what it holds: true when any of `members` (a subquery or list) has an open flag. */
export function anyHeldSql(members: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (${openFlagsSql(members)})`;
}
