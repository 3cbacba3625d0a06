// Stepped sales bonus 阶梯奖励 (SPEC §7). On the 1st at 00:00 merchant time, right after the team
// bonus, each distributor not frozen at that instant earns floor(directSales × B / 10000), B being the
// rate of the highest bracket reached (the whole amount at that rate, not marginal). Paid in
// fixed-size batches of members (server/scheduler/batches.ts), each its own transaction; the unique
// (member, month) row and the ledger key make every batch idempotent, so a late, repeated, racing or
// interrupted run pays exactly once.
import type { Db } from "../db";
import { loadConfig, notifyMany, type Ctx } from "../context";
import type { StepBracket } from "../config/schema";
import { monthKey, monthStart, nextMonthStart } from "../clock/time";
import { applyBps } from "../money";
import { postBonuses } from "./pay";
import { everyonePeriods, isDistributorAt, type MemberStatus } from "../distribution";
import { runBatched, type BatchedJob, type BatchRunOptions, type BatchRunResult } from "../scheduler/batches";
import { frozenAtSql, statusAtSql } from "../members/status-history";
import { payLateCompletionCorrections, type LateCorrectedBonus, type MonthPeriod } from "./late-completions";
import { directSalesAt, directsMovedSinceSql } from "../tiers/at-close";

export const STEP_BONUS_BATCH = 500;

/** The highest bracket whose minFen ≤ sales; null below the lowest (brackets are strictly increasing). */
export function bracketFor(brackets: readonly StepBracket[], salesFen: number): StepBracket | null {
  let hit: StepBracket | null = null;
  for (const b of brackets) if (b.minFen <= salesFen) hit = b;
  return hit;
}

/** The next bracket up from the sales (the lowest whose minFen > sales), if any. */
export function nextBracket(brackets: readonly StepBracket[], salesFen: number): StepBracket | null {
  return brackets.find((b) => b.minFen > salesFen) ?? null;
}

/** The whole amount at the reached bracket's rate; 0 below the lowest bracket. */
export function stepBonusAmount(brackets: readonly StepBracket[], salesFen: number): number {
  const b = bracketFor(brackets, salesFen);
  return b ? applyBps(salesFen, b.bps) : 0;
}

/** The month that ends at the 1st 00:00 on or before `instant` (merchant calendar). */
export function stepBonusPeriod(instant: Date, tz: string) {
  const end = monthStart(instant, tz);
  const start = monthStart(new Date(end.getTime() - 1), tz);
  return { start, end, month: monthKey(start, tz) };
}

/**
 * Direct sales: goods of orders completed in [from, to) whose buyer's sponsor (L1, sponsor tree) is the
 * member, whatever the buyer's flags. Read from the depth-1 gmv credits, which follow the tree as it is now (a month
 * still open; a closed one is counted by the tree at its close, directSalesAt).
 */
export async function directSalesFen(ctx: Pick<Ctx, "tx">, memberId: number, from: Date, to: Date): Promise<number> {
  const r = await ctx.tx.gmvCredit.aggregate({ where: { memberId, depth: 1, completedAt: { gte: from, lt: to } }, _sum: { amountFen: true } });
  return r._sum.amountFen ?? 0;
}

/**
 * The stepped bonus run for the month that closed at `instant` (00:00 on the 1st, merchant time):
 * members with direct sales in that month (sponsor tree at its close), in id order, one batch per transaction (JobCursor).
 */
export function stepBonusJob(instant: Date, tz: string, batchSize = STEP_BONUS_BATCH): BatchedJob {
  const { start, end, month } = stepBonusPeriod(instant, tz);
  return {
    key: `step_bonus:${month}`,
    batchSize,
    nextIds: async (ctx, afterId, limit) => {
      if (ctx.config.stepBonus.brackets.length === 0) return [];
      // Those the month's depth-1 credits name now, and the sponsors at the close of buyers with sales in it moved since.
      const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
        WITH${directsMovedSinceSql(end, start)}
        SELECT id FROM (
          (SELECT g."memberId" AS id FROM "GmvCredit" g WHERE g.depth = 1 AND g."completedAt" >= ${start} AND g."completedAt" < ${end}
            AND g."memberId" > ${afterId} GROUP BY g."memberId" ORDER BY g."memberId" LIMIT ${limit})
          UNION SELECT "closeSponsor" FROM md WHERE fen <> 0 AND "closeSponsor" > ${afterId}) t
        ORDER BY id LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },
    processBatch: (ctx, ids) => payStepBonusTo(ctx, ids, instant),
  };
}

/**
 * Pays the stepped bonus of the month that closed at `instant` to the given members (those with no
 * direct sales, not distributors or frozen at the instant get nothing). Returns how many were paid now.
 */
export async function payStepBonusTo(ctx: Ctx, memberIds: number[], instant: Date): Promise<number> {
  const brackets = ctx.config.stepBonus.brackets;
  if (brackets.length === 0 || memberIds.length === 0) return 0;
  const { start, end, month } = stepBonusPeriod(instant, ctx.config.timeZone);
  // Suspended and frozen as at the instant the month closed: a late run's unfreeze or re-enabling since is undone by the history.
  // A deleted account forfeited what it had not been credited (server/members/deletion.ts): a late run pays it nothing.
  // Key share first, as a commission's beneficiaries: a deletion (FOR UPDATE) committing meanwhile is waited for and its member
  // left out (the WHERE is checked again); one that waits behind the batch sees the credit and refuses.
  const members = await ctx.tx.$queryRaw<(MemberStatus & { id: number; suspendedThen: string | null; frozenThen: boolean })[]>`
    SELECT m.id, m."createdAt", m."distributorSince", m."distributorDisabledAt",
      ${statusAtSql("DISTRIBUTOR_DISABLED", end)} AS "suspendedThen", ${frozenAtSql(end)} AS "frozenThen"
    FROM "Member" m WHERE m.id = ANY(${memberIds}::int[]) AND m."deletedAt" IS NULL ORDER BY m.id FOR KEY SHARE OF m`;
  if (members.length === 0) return 0;
  const byId = new Map(members.map((m) => [m.id, m]));
  // By the sponsor tree at the close: a buyer moved since counts for its sponsor then (server/tiers/at-close.ts).
  const sales = await directSalesAt(ctx, members.map((m) => m.id), start, end);
  // The whole `everyone` history decides: a status it gave that the nightly batches have not stored yet still counts.
  const periods = await everyonePeriods(ctx);
  const due = sales.flatMap((s) => {
    const m = byId.get(s.id);
    const suspended = m?.suspendedThen == null ? undefined : m.suspendedThen === "true";
    // Distributor and not frozen at the instant the month closed (a hold does not stop it).
    if (!m || !isDistributorAt(ctx.config, m, end, periods, suspended) || m.frozenThen) return [];
    const salesFen = Number(s.fen);
    const bracket = bracketFor(brackets, salesFen);
    const amountFen = bracket ? applyBps(salesFen, bracket.bps) : 0;
    return bracket && amountFen > 0 ? [{ memberId: m.id, month, salesFen: BigInt(salesFen), bps: bracket.bps, amountFen, createdAt: ctx.now }] : [];
  });
  if (due.length === 0) return 0;
  // The batch set-wise: bonus rows, ledger postings and notices, one statement each, in member order.
  // Once per member and month: a row already there (an earlier, crashed run) is not paid again.
  const created = await ctx.tx.stepBonus.createManyAndReturn({ data: due, skipDuplicates: true, select: { memberId: true, salesFen: true, bps: true, amountFen: true } });
  created.sort((a, b) => a.memberId - b.memberId);
  await postBonuses(ctx, "step_bonus", created.map((b) => ({ key: `step_bonus:${b.memberId}:${month}`, memberId: b.memberId, amountFen: b.amountFen })));
  await notifyMany(
    ctx,
    created.map((b) => ({
      memberId: b.memberId,
      kind: "step_bonus",
      key: "stepBonus.paid" as const,
      params: { month, salesFen: Number(b.salesFen), rateBps: b.bps, amountFen: b.amountFen },
    })),
  );
  return created.length;
}

/**
 * A late completion's correction of a month already paid (server/bonus/late-completions.ts): each row whose month now
 * has more direct sales than it was paid on is paid the difference up to the bonus those sales earn (the whole amount at
 * the bracket they reach), and records them. A bracket paying less (rates need not rise) takes nothing back.
 */
async function topUpStepBonus(ctx: Ctx, memberIds: number[], period: MonthPeriod): Promise<number> {
  const brackets = ctx.config.stepBonus.brackets;
  // Key share of the member, as a payment of the month: a deleted account is paid nothing more.
  const rows = await ctx.tx.$queryRaw<{ memberId: number; salesFen: bigint; amountFen: number }[]>`
    SELECT b."memberId", b."salesFen", b."amountFen" FROM "StepBonus" b JOIN "Member" m ON m.id = b."memberId"
    WHERE b.month = ${period.month} AND b."memberId" = ANY(${memberIds}::int[]) AND m."deletedAt" IS NULL
    ORDER BY b."memberId" FOR UPDATE OF b FOR KEY SHARE OF m`;
  if (rows.length === 0) return 0;
  // The month's direct sales as the monthly run took them: by the sponsors at the close, whatever moved since.
  const sales = await directSalesAt(ctx, rows.map((r) => r.memberId), period.start, period.end);
  const salesOf = new Map(sales.map((s) => [s.id, Number(s.fen)]));
  const owed = rows.flatMap((r) => {
    const salesFen = salesOf.get(r.memberId) ?? 0;
    const bracket = bracketFor(brackets, salesFen);
    const amountFen = bracket ? applyBps(salesFen, bracket.bps) : 0;
    return salesFen > Number(r.salesFen) && bracket && amountFen > r.amountFen ? [{ memberId: r.memberId, salesFen, bps: bracket.bps, amountFen, topUpFen: amountFen - r.amountFen }] : [];
  });
  if (owed.length === 0) return 0;
  await ctx.tx.$executeRaw`
    UPDATE "StepBonus" b SET "salesFen" = x.sales, bps = x.bps, "amountFen" = x.amount
    FROM unnest(${owed.map((o) => o.memberId)}::int[], ${owed.map((o) => o.salesFen)}::bigint[], ${owed.map((o) => o.bps)}::int[], ${owed.map((o) => o.amountFen)}::int[]) AS x(id, sales, bps, amount)
    WHERE b."memberId" = x.id AND b.month = ${period.month}`;
  // Keyed by the month's new sales, which only grow: each top-up its own ledger transaction, at most once.
  await postBonuses(ctx, "step_bonus", owed.map((o) => ({ key: `step_bonus:${o.memberId}:${period.month}:sales:${o.salesFen}`, memberId: o.memberId, amountFen: o.topUpFen })));
  // What is added, with the month's sales, rate and bonus now: read as the month's whole bonus, a top-up looked like an underpayment.
  await notifyMany(
    ctx,
    owed.map((o) => ({
      memberId: o.memberId,
      kind: "step_bonus",
      key: "stepBonus.topUp" as const,
      params: { month: period.month, salesFen: o.salesFen, rateBps: o.bps, amountFen: o.topUpFen, totalFen: o.amountFen },
    })),
  );
  return owed.length;
}

/**
 * The stepped bonus as late completions correct it: direct sales (depth 1), paid as a late run of the month, to the late
 * buyers' sponsors at its close.
 */
export const STEP_BONUS_LATE: LateCorrectedBonus = {
  name: "step_bonus",
  depths: [1, 1],
  atClose: true,
  payNew: (ctx, ids, period) => payStepBonusTo(ctx, ids, period.end),
  topUp: topUpStepBonus,
};

/**
 * Pays (or resumes) the stepped bonus for the month closed at `instant` (default: the 1st 00:00 on or
 * before `now`), after correcting earlier months for late completions. Returns what this call did.
 */
export async function payMonthlyStepBonus(db: Db, opts: BatchRunOptions & { instant?: Date }): Promise<BatchRunResult> {
  const instant = opts.instant ?? opts.now;
  // Corrections first: once the month's own run is complete, so are they (a crash in between resumes them).
  const corrected = await payLateCompletionCorrections(db, STEP_BONUS_LATE, instant, opts);
  // A late run pays by the rules in force when the month closed: a change saved since never alters what was earned.
  const config = instant < opts.now ? await loadConfig(db, instant) : (opts.config ?? (await loadConfig(db, opts.now)));
  const result = await runBatched(db, stepBonusJob(instant, config.timeZone, opts.batchSize), { ...opts, config });
  return { ...result, changed: result.changed + corrected };
}

export interface StepBonusProgress {
  enabled: boolean;
  month: string;
  /** Direct sales completed so far this month (fen). */
  salesFen: number;
  current: StepBracket | null;
  next: StepBracket | null;
  /** How much more direct sales reach the next bracket (0 at the top). */
  remainingFen: number;
  /** The bonus this month's sales would earn if the month closed now. */
  estimatedFen: number;
  brackets: StepBracket[];
}

/** This month's direct sales with the reached and the next bracket, by the rules the monthly run uses. */
export async function stepBonusProgress(ctx: Pick<Ctx, "tx" | "config" | "now">, memberId: number): Promise<StepBonusProgress> {
  const tz = ctx.config.timeZone;
  const brackets = ctx.config.stepBonus.brackets;
  const salesFen = await directSalesFen(ctx, memberId, monthStart(ctx.now, tz), nextMonthStart(ctx.now, tz));
  const current = bracketFor(brackets, salesFen);
  const next = nextBracket(brackets, salesFen);
  return {
    enabled: brackets.length > 0,
    month: monthKey(ctx.now, tz),
    salesFen,
    current,
    next,
    remainingFen: next ? next.minFen - salesFen : 0,
    estimatedFen: stepBonusAmount(brackets, salesFen),
    brackets,
  };
}
