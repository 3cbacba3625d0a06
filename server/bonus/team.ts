// The team bonus 团队绩效 (SPEC §7) as a late completion corrects a month already paid (server/bonus/late-completions.ts).
// The monthly run itself lives with the tiers it pays (server/tiers).
import type { Ctx } from "../context";
import { notifyMany } from "../context";
import { applyBps } from "../money";
import { postBonuses } from "./pay";
import type { MonthPeriod } from "./late-completions";
import { monthBasesAt } from "../tiers/at-close";

/**
 * Each of the members' rows for the month whose depth 1..3 downline at the month's close (monthBasesAt) now completed
 * more in it than the row was paid on is paid the difference up to the bonus that base earns at the month's rate, and
 * records the base. The row was paid, so its member was a partner, not frozen, at the month's close.
 */
export async function topUpTeamBonus(ctx: Ctx, memberIds: number[], period: MonthPeriod): Promise<number> {
  // Key share of the member, as a payment of the month: a deleted account is paid nothing more.
  const rows = await ctx.tx.$queryRaw<{ memberId: number; baseFen: bigint; amountFen: number }[]>`
    SELECT b."memberId", b."baseFen", b."amountFen" FROM "TeamBonus" b JOIN "Member" m ON m.id = b."memberId"
    WHERE b.month = ${period.month} AND b."memberId" = ANY(${memberIds}::int[]) AND m."deletedAt" IS NULL
    ORDER BY b."memberId" FOR UPDATE OF b FOR KEY SHARE OF m`;
  if (rows.length === 0) return 0;
  // The month's base as the monthly run took it: the downline at the close, whatever sponsor changes moved since.
  const bases = await monthBasesAt(ctx, rows.map((r) => r.memberId), period.start, period.end);
  const baseOf = new Map(bases.map((b) => [b.id, Number(b.fen)]));
  const owed = rows.flatMap((r) => {
    const baseFen = baseOf.get(r.memberId) ?? 0;
    const amountFen = applyBps(baseFen, ctx.config.teamBonusBps);
    return baseFen > Number(r.baseFen) && amountFen > r.amountFen ? [{ memberId: r.memberId, baseFen, amountFen, topUpFen: amountFen - r.amountFen }] : [];
  });
  if (owed.length === 0) return 0;
  await ctx.tx.$executeRaw`
    UPDATE "TeamBonus" b SET "baseFen" = x.base, "amountFen" = x.amount
    FROM unnest(${owed.map((o) => o.memberId)}::int[], ${owed.map((o) => o.baseFen)}::bigint[], ${owed.map((o) => o.amountFen)}::int[]) AS x(id, base, amount)
    WHERE b."memberId" = x.id AND b.month = ${period.month}`;
  // Keyed by the month's new base, which only grows: each top-up its own ledger transaction, at most once.
  await postBonuses(ctx, "team_bonus", owed.map((o) => ({ key: `team_bonus:${o.memberId}:${period.month}:base:${o.baseFen}`, memberId: o.memberId, amountFen: o.topUpFen })));
  // What is added, and the month's bonus now: a top-up is not the month's whole bonus.
  await notifyMany(
    ctx,
    owed.map((o) => ({ memberId: o.memberId, kind: "team_bonus", key: "teamBonus.topUp" as const, params: { month: period.month, amountFen: o.topUpFen, totalFen: o.amountFen } })),
  );
  return owed.length;
}
