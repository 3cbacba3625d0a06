// Stepped sales bonus 阶梯奖励 (SPEC §7). On the 1st at 00:00 merchant time, right after the team
// bonus, each distributor not frozen at that instant earns floor(directSales × B / 10000), B being the
// rate of the highest bracket reached (the whole amount at that rate, not marginal). Paid in
// fixed-size batches of members, each its own transaction; the unique (member, month) row and the
// ledger key make every batch idempotent, so a late, repeated or interrupted run pays exactly once.
import { notify, type Ctx } from "../context";
import type { StepBracket } from "../config/schema";
import { monthKey, monthStart, nextMonthStart } from "../clock/time";
import { applyBps, fenToYuanString } from "../money";
import { fromMerchant } from "../wallet/ledger";
import { isDistributorAt } from "../distribution";

export const STEP_BONUS_BATCH = 200;

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
 * member, whatever the buyer's flags. Read from the depth-1 gmv credits written at completion.
 */
export async function directSalesFen(ctx: Pick<Ctx, "tx">, memberId: number, from: Date, to: Date): Promise<number> {
  const r = await ctx.tx.gmvCredit.aggregate({ where: { memberId, depth: 1, completedAt: { gte: from, lt: to } }, _sum: { amountFen: true } });
  return r._sum.amountFen ?? 0;
}

export function wasFrozenAt(m: { frozen: boolean; frozenAt: Date | null }, at: Date): boolean {
  // A freeze with no recorded time (older data) counts as frozen since always.
  return m.frozen && (m.frozenAt === null || m.frozenAt <= at);
}

/**
 * Pays one batch of the stepped bonus for the month ending at `instant` (the 1st 00:00): members with
 * direct sales in that month and id > afterMemberId, in id order. Returns the cursor of the next batch,
 * or null when this was the last one.
 */
export async function payStepBonusBatch(ctx: Ctx, instant: Date, afterMemberId: number, batchSize = STEP_BONUS_BATCH): Promise<number | null> {
  const brackets = ctx.config.stepBonus.brackets;
  if (brackets.length === 0) return null;
  const { start, end, month } = stepBonusPeriod(instant, ctx.config.timeZone);
  const sales = await ctx.tx.gmvCredit.groupBy({
    by: ["memberId"],
    where: { depth: 1, completedAt: { gte: start, lt: end }, memberId: { gt: afterMemberId } },
    _sum: { amountFen: true },
    orderBy: { memberId: "asc" },
    take: batchSize,
  });
  if (sales.length === 0) return null;
  const members = await ctx.tx.member.findMany({
    where: { id: { in: sales.map((s) => s.memberId) } },
    select: { id: true, createdAt: true, distributorSince: true, frozen: true, frozenAt: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  for (const s of sales) {
    const m = byId.get(s.memberId);
    // Distributor and not frozen at the instant the month closed (a hold does not stop it).
    if (!m || !isDistributorAt(ctx.config, m, end) || wasFrozenAt(m, end)) continue;
    const salesFen = s._sum.amountFen ?? 0;
    const bracket = bracketFor(brackets, salesFen);
    const amountFen = bracket ? applyBps(salesFen, bracket.bps) : 0;
    if (!bracket || amountFen <= 0) continue;
    const rows = await ctx.tx.stepBonus.createManyAndReturn({
      data: [{ memberId: m.id, month, salesFen, bps: bracket.bps, amountFen, createdAt: ctx.now }],
      skipDuplicates: true,
    });
    if (rows.length === 0) continue;
    await fromMerchant(ctx, `step_bonus:${m.id}:${month}`, "step_bonus", "merchant:step_bonus", m.id, "available", amountFen);
    await notify(ctx, m.id, "step_bonus", "阶梯奖励到账", `${month} 直推销售 ¥${fenToYuanString(salesFen)}，按 ${bracket.bps / 100}% 发放阶梯奖励 ¥${fenToYuanString(amountFen)}`);
  }
  return sales.length === batchSize ? sales[sales.length - 1].memberId : null;
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
