// Risk events and flags (SPEC §8). An event records the rule, the members involved and its
// evidence; a flag puts a member under review until a reviewer decides.
import type { Ctx } from "../context";

export type RiskRule =
  | "self_referral"
  | "shared_device"
  | "shared_ip"
  | "ip_burst"
  | "shared_address"
  | "large_first_order"
  | "refund_abuse";

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

/** Members among the given ones with at least one open flag. */
export async function heldMembers(ctx: Pick<Ctx, "tx">, memberIds: number[]): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await ctx.tx.riskFlag.findMany({
    where: { memberId: { in: memberIds }, status: "OPEN" },
    select: { memberId: true },
    distinct: ["memberId"],
  });
  return new Set(rows.map((r) => r.memberId));
}

export async function isHeld(ctx: Pick<Ctx, "tx">, memberId: number): Promise<boolean> {
  return (await heldMembers(ctx, [memberId])).size > 0;
}
