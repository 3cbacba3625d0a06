// The promotion centre's 分销资格 and 阶梯奖励 cards and the monthly distributor leaderboard (SPEC §4, §7).
// Progress comes from the same functions the payment and the monthly run use, so the card never
// promises what the engine would not pay.
import type { Db } from "../db";
import type { Ctx } from "../context";
import type { MallConfig } from "../config/schema";
import { distributorProgress, type DistributorProgress } from "../distribution";
import { stepBonusProgress, type StepBonusProgress } from "../bonus/step";
import { monthKey, monthStart, nextMonthStart } from "../clock/time";
import { lockLiveMember } from "../members/live";
import { maskMemberName } from "./index";

/**
 * 阶梯奖励 as the card shows it: `estimatedFen` null while paused, `pausedFor` saying why (the shop suspended the
 * member's distributor status, or the account is frozen).
 */
export type StepBonusView = Omit<StepBonusProgress, "estimatedFen"> & { estimatedFen: number | null; pausedFor?: "frozen" | "suspended" };

/** Who the 分销员 card is about: `frozen` absent counts as not frozen. */
export type DistributorStanding = Pick<DistributorProgress, "isDistributor" | "disabled" | "mode"> & { frozen?: boolean };

/**
 * This month's stepped bonus for the card. A frozen member or a suspended distributor earns none while so, so none is
 * estimated; the month's direct sales still count toward its bracket, since the run judges both when the month closes (SPEC §7).
 */
export function stepBonusView(step: StepBonusProgress, distributor: Pick<DistributorStanding, "disabled" | "frozen">): StepBonusView {
  if (distributor.frozen) return { ...step, estimatedFen: null, pausedFor: "frozen" };
  return distributor.disabled ? { ...step, estimatedFen: null, pausedFor: "suspended" } : step;
}

/**
 * Which 分销员 card the shopper sees. Frozen first: a frozen member earns nothing new whatever their status (SPEC §8), so
 * "好友下单即可获得佣金" would be untrue. Then suspended by the merchant before the ways to qualify: no payment gives the
 * status back (server/distribution distributorProgress), so "再完成一笔订单即可成为分销员" would be untrue.
 */
export function distributorCardState(d: DistributorStanding): "distributor" | "frozen" | "suspended" | "firstOrder" | "spend" {
  if (d.frozen) return "frozen";
  if (d.isDistributor) return "distributor";
  if (d.disabled) return "suspended";
  return d.mode === "first_order" ? "firstOrder" : "spend";
}

/** Status with progress towards becoming a distributor, this month's direct sales and bracket, last bonuses. */
export async function myDistribution(db: Db, config: MallConfig, memberId: number, now: Date) {
  const ctx = { tx: db, config, now };
  const [progress, step, bonuses, member] = await Promise.all([
    distributorProgress(ctx, memberId),
    stepBonusProgress(ctx, memberId),
    db.stepBonus.findMany({ where: { memberId }, orderBy: { month: "desc" }, take: 6 }),
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { frozen: true } }),
  ]);
  const distributor = { ...progress, frozen: member.frozen };
  return {
    distributor,
    step: stepBonusView(step, distributor),
    bonuses: bonuses.map((b) => ({ month: b.month, salesFen: Number(b.salesFen), bps: b.bps, amountFen: b.amountFen, paidAt: b.createdAt })),
  };
}

export interface LeaderboardRow {
  rank: number;
  name: string;
  salesFen: number;
  me: boolean;
}

/**
 * This month's distributors ranked by direct sales so far (ties share a rank): the top `take` rows (ties past the
 * last place cut by member id), masked, and the member's own row (null when they have no direct sales this month or
 * are not a distributor). Members who hid themselves (showOnLeaderboard off) are left out of the ranking, the others'
 * places closing up, except from their own board: there they rank among the shown as if shown, seen by them alone.
 * `shown` is the member's own setting.
 */
export async function distributorLeaderboard(db: Db, config: MallConfig, memberId: number, now: Date, take = 10) {
  const tz = config.timeZone;
  const from = monthStart(now, tz);
  const to = nextMonthStart(now, tz);
  const everyone = config.commission.distributorMode === "everyone";
  const [rows, self] = await Promise.all([db.$queryRaw<{ id: number; username: string; nickname: string | null; sales: bigint; rank: bigint; place: bigint }[]>`
    WITH sales AS (
      SELECT g."memberId" AS id, SUM(g."amountFen")::bigint AS sales
      FROM "GmvCredit" g
      WHERE g.depth = 1 AND g."completedAt" >= ${from} AND g."completedAt" < ${to}
      GROUP BY g."memberId"
    ), ranked AS (
      SELECT s.id, m.username, m.nickname, s.sales, RANK() OVER (ORDER BY s.sales DESC) AS rank,
        ROW_NUMBER() OVER (ORDER BY s.sales DESC, s.id) AS place
      FROM sales s JOIN "Member" m ON m.id = s.id
      WHERE NOT m.frozen
        AND (m."showOnLeaderboard" OR m.id = ${memberId})
        AND (m."distributorSince" <= ${now} OR (${everyone}::boolean AND m."createdAt" <= ${now}))
        AND (m."distributorDisabledAt" IS NULL OR m."distributorDisabledAt" > ${now})
    )
    SELECT * FROM ranked WHERE place <= ${take} OR id = ${memberId} ORDER BY place`,
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { showOnLeaderboard: true } }),
  ]);
  const list = rows.map((r) => ({ rank: Number(r.rank), name: maskMemberName(r), salesFen: Number(r.sales), me: r.id === memberId, place: Number(r.place) }));
  const row = ({ place: _place, ...r }: (typeof list)[number]): LeaderboardRow => r;
  const mine = list.find((r) => r.me);
  // The number shown is RANK() (ties share it); the cut is by place, so ties never grow the list past `take`.
  return { month: monthKey(now, tz), top: list.filter((r) => r.place <= take).map(row), me: mine ? row(mine) : null, shown: self.showOnLeaderboard };
}

/** 在排行榜中显示我: the member's own choice, on their own row only (the caller passes the session's member). */
export async function setLeaderboardVisibility(ctx: Pick<Ctx, "tx">, memberId: number, shown: boolean): Promise<{ shown: boolean }> {
  // A member's own write, like the profile's: not onto an account deleted meanwhile.
  await lockLiveMember(ctx, memberId);
  const m = await ctx.tx.member.update({ where: { id: memberId }, data: { showOnLeaderboard: shown }, select: { showOnLeaderboard: true } });
  return { shown: m.showOnLeaderboard };
}
