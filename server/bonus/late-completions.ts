// Rule (SPEC §7): a completion dated in a month already paid counts in that month, paid as its correction by the next run.
// Late completions and the monthly bonuses. A completion is dated when it fell due, so one whose completion
// (or automatic delivery) was dead-lettered and retried by staff after its month's bonuses were paid is dated in a closed
// month that no run counted. The sale stays in its own month: the next monthly run pays that month's bonus again for the
// members the sale credits — a late run of that month (its rules, each member as they stood at its close) over every sale
// it now has, less what was already paid for it. A member with no row for the month gets one; one with a row has it topped
// up (its row says what was paid on: the sales or base read by the transaction that paid), never a second row. The row
// lock (FOR UPDATE) and the unique (member, month) row make two runs, or a repeat, pay each fen once.
// A completion dated at a month's close itself (00:00 on the 1st) is the next month's sale, but it is in every gmv90 taken
// at that instant (SPEC §8: windows include both ends), by which the month's run judged who earned (a partner's tier): the
// next run judges that closed month again for the buyer and every ancestor it had then, as a late run of it (a member it
// now makes a partner, with no row, is paid on the month's own base; the stepped bonus, judged on no gmv, finds nothing).
import { Prisma, type Db } from "../db";
import { loadConfig, type Ctx } from "../context";
import { monthKey, monthStart, nextMonthStart } from "../clock/time";
import { runBatched, type BatchedJob, type BatchRunOptions } from "../scheduler/batches";
import { changesSinceSql, sponsorAtSql } from "../tiers/at-close";

/** How many closed months back a run corrects, as far back as a missed month's run is caught up. */
export const LATE_LOOKBACK_MONTHS = 12;

export interface MonthPeriod {
  start: Date;
  end: Date;
  month: string;
}

/** One monthly bonus as the corrections see it. */
export interface LateCorrectedBonus {
  /** The monthly run's JobCursor key prefix (`step_bonus`, `team_bonus`). */
  name: string;
  /** Sponsor-tree depths of the gmv credits the bonus counts, both ends included. */
  depths: readonly [number, number];
  /**
   * The bonus judges the month by the sponsor tree at its close (server/tiers/at-close.ts): the members to correct are the
   * late buyers' ancestors then, not those their gmv credits name now (a sponsor change since moved them).
   */
  atClose?: boolean;
  /** Pays, as a late run of the month, those of `ids` it owes with no row for the month yet; returns how many. */
  payNew(ctx: Ctx, ids: number[], period: MonthPeriod): Promise<number>;
  /** Tops up the month's rows of those of `ids` whose sales (or base) grew since they were paid; returns how many. */
  topUp(ctx: Ctx, ids: number[], period: MonthPeriod): Promise<number>;
}

/**
 * Orders completed in [from, to) whose automatic delivery or completion ever failed (only those can complete after their
 * month's run: one backing off is waited for, a dead-lettered one is not; lastError stays through a retry and success).
 * A superset of the late ones: the correction of one that was counted is nothing.
 */
const lateOrdersSql = (from: Date, to: Date) => Prisma.sql`
  SELECT o.id, o."memberId", o."completedAt" FROM "Order" o
  WHERE o.status = 'COMPLETED' AND o."completedAt" >= ${from} AND o."completedAt" < ${to}
    AND o.id IN (SELECT d."refId" FROM "DueTransition" d
      WHERE d.kind = ANY(ARRAY['ORDER_AUTO_DELIVER', 'ORDER_COMPLETE']::"DueKind"[]) AND d."lastError" IS NOT NULL)`;

/** The buyers of late orders completed at the very instant `at` and every ancestor they had then, after `afterId`. */
async function judgedAtCloseIds(ctx: Ctx, at: Date, afterId: number, limit: number): Promise<number[]> {
  const rows = await ctx.tx.$queryRaw<{ memberId: number }[]>`
    WITH RECURSIVE${changesSinceSql(at)},
      up(anc) AS (
        SELECT DISTINCT "memberId" FROM (${lateOrdersSql(at, new Date(at.getTime() + 1))}) o
        UNION
        SELECT ${sponsorAtSql(Prisma.sql`up.anc`)} FROM up WHERE up.anc IS NOT NULL)
    SELECT anc AS "memberId" FROM up WHERE anc > ${afterId} ORDER BY anc LIMIT ${limit}`;
  return rows.map((r) => r.memberId);
}

/**
 * The members a month's late orders credited at the bonus's depths (index on depth, completedAt), or the buyers' ancestors
 * at those depths at the month's close, after `afterId`.
 */
async function baseCreditedIds(ctx: Ctx, bonus: LateCorrectedBonus, period: MonthPeriod, afterId: number, limit: number): Promise<number[]> {
  const [shallowest, deepest] = bonus.depths;
  return (
    bonus.atClose
      ? await ctx.tx.$queryRaw<{ memberId: number }[]>`
        WITH RECURSIVE${changesSinceSql(period.end)},
          up(anc, depth) AS (
            SELECT ${sponsorAtSql(Prisma.sql`b."memberId"`)}, 1 FROM (SELECT DISTINCT "memberId" FROM (${lateOrdersSql(period.start, period.end)}) o) b
            UNION
            SELECT ${sponsorAtSql(Prisma.sql`up.anc`)}, up.depth + 1 FROM up WHERE up.anc IS NOT NULL AND up.depth < ${deepest})
        SELECT DISTINCT anc AS "memberId" FROM up
        WHERE anc > ${afterId} AND depth >= ${shallowest} ORDER BY anc LIMIT ${limit}`
      : await ctx.tx.$queryRaw<{ memberId: number }[]>`
        SELECT DISTINCT g."memberId" FROM (${lateOrdersSql(period.start, period.end)}) o
        JOIN "GmvCredit" g ON g.depth BETWEEN ${shallowest} AND ${deepest} AND g."completedAt" = o."completedAt" AND g."orderId" = o.id
        WHERE g."memberId" > ${afterId} ORDER BY g."memberId" LIMIT ${limit}`
  ).map((r) => r.memberId);
}

function correctionJob(bonus: LateCorrectedBonus, period: MonthPeriod, paidIn: string): BatchedJob {
  return {
    key: `${bonus.name}:${period.month}:late@${paidIn}`,
    // Each list is its smallest ids after the cursor, so their union's smallest are the next batch.
    nextIds: async (ctx, afterId, limit) => {
      const ids = new Set([...(await baseCreditedIds(ctx, bonus, period, afterId, limit)), ...(await judgedAtCloseIds(ctx, period.end, afterId, limit))]);
      return [...ids].sort((a, b) => a - b).slice(0, limit);
    },
    processBatch: async (ctx, ids) => (await bonus.payNew(ctx, ids, period)) + (await bonus.topUp(ctx, ids, period)),
  };
}

/**
 * Before the run for the month closed at `instant`: corrects each of the LATE_LOOKBACK_MONTHS closed months before it
 * whose own run is complete and which has a late completion, each as its own resumable batched job. Returns how many
 * members it paid or topped up.
 */
export async function payLateCompletionCorrections(db: Db, bonus: LateCorrectedBonus, instant: Date, opts: BatchRunOptions): Promise<number> {
  const tz = (await loadConfig(db, instant)).timeZone;
  const closing = monthStart(new Date(monthStart(instant, tz).getTime() - 1), tz);
  let from = closing;
  for (let i = 0; i < LATE_LOOKBACK_MONTHS; i++) from = monthStart(new Date(from.getTime() - 1), tz);
  // Up to the closing month's start itself: a completion at that instant judges the month before it again.
  const late = await db.$queryRaw<{ completedAt: Date }[]>`SELECT DISTINCT "completedAt" FROM (${lateOrdersSql(from, new Date(closing.getTime() + 1))}) o`;
  const starts = new Map<string, Date>();
  for (const { completedAt } of late) {
    if (completedAt < closing) starts.set(monthKey(completedAt, tz), monthStart(completedAt, tz));
    if (completedAt > from && monthStart(completedAt, tz).getTime() === completedAt.getTime()) {
      const judged = monthStart(new Date(completedAt.getTime() - 1), tz);
      starts.set(monthKey(judged, tz), judged);
    }
  }
  if (starts.size === 0) return 0;
  // A month whose own run is not complete yet counts the sale itself.
  const done = new Set(
    (await db.jobCursor.findMany({ where: { key: { in: [...starts.keys()].map((m) => `${bonus.name}:${m}`) }, doneAt: { not: null } }, select: { key: true } })).map((c) => c.key),
  );
  let changed = 0;
  for (const [month, start] of [...starts].sort((a, b) => a[1].getTime() - b[1].getTime())) {
    if (!done.has(`${bonus.name}:${month}`)) continue;
    const end = nextMonthStart(start, tz);
    // By the rules in force when that month closed, as its own late run.
    const config = await loadConfig(db, end);
    changed += (await runBatched(db, correctionJob(bonus, { start, end, month }, monthKey(closing, tz)), { ...opts, config })).changed;
  }
  return changed;
}
