// Performs due transitions (SPEC §9). Each row is claimed and performed in one transaction, so two
// sweeps (or a sweep and an Inngest wake-up) racing on the same row do the work once; the domain
// functions themselves re-check state, so running one twice changes nothing the second time.
import type { Db } from "../db";
import { inTx, type Ctx, type TxOptions } from "../context";
import { cancelUnpaidOrder, completeOrder, confirmDelivery } from "../orders";
import { advanceCommissionsOfOrder } from "../commission";
import { advanceRebateTask } from "../rebate";
import { payMonthlyTeamBonus, reviewTiers } from "../tiers";
import { nextLocalMidnight, nextMonthStart } from "../clock/time";
import { payStepBonusBatch } from "../bonus/step";
import { scheduleDue, type DueKind } from "./due";

export { scheduleDue };

export async function performTransition(ctx: Ctx, kind: DueKind, refId: number, dueAt: Date = ctx.now): Promise<void> {
  switch (kind) {
    case "ORDER_PAYMENT_TIMEOUT":
      await cancelUnpaidOrder(ctx, refId, "timeout");
      return;
    case "ORDER_AUTO_DELIVER":
      await confirmDelivery(ctx, refId, true);
      return;
    case "ORDER_COMPLETE":
      await completeOrder(ctx, refId);
      return;
    case "COMMISSION_SETTLE":
      await advanceCommissionsOfOrder(ctx, refId);
      return;
    case "REBATE_SETTLE":
    case "REBATE_EXPIRE":
      await advanceRebateTask(ctx, refId);
      return;
    case "TEAM_BONUS":
      await payMonthlyTeamBonus(ctx);
      await scheduleDue(ctx, "TEAM_BONUS", 0, nextMonthStart(ctx.now, ctx.config.timeZone));
      return;
    case "STEP_BONUS": {
      // refId is the batch cursor (0 = first batch); the month comes from the due time, so a late run pays the right month.
      const next = await payStepBonusBatch(ctx, dueAt, refId);
      if (next !== null) await scheduleDue(ctx, "STEP_BONUS", next, dueAt);
      if (refId === 0) await scheduleDue(ctx, "STEP_BONUS", 0, nextMonthStart(dueAt, ctx.config.timeZone));
      return;
    }
    case "TIER_REVIEW":
      await reviewTiers(ctx);
      await scheduleDue(ctx, "TIER_REVIEW", 0, nextLocalMidnight(ctx.now, ctx.config.timeZone));
      return;
  }
}

/** Schedules the recurring transitions (monthly team bonus, nightly tier review) from `now` on. */
export async function ensureRecurringTransitions(ctx: Ctx): Promise<void> {
  const tz = ctx.config.timeZone;
  const pendingBonus = await ctx.tx.dueTransition.findFirst({ where: { kind: "TEAM_BONUS", doneAt: null } });
  if (!pendingBonus) await scheduleDue(ctx, "TEAM_BONUS", 0, nextMonthStart(ctx.now, tz));
  // Scheduled after the team bonus: same due time, later id, so it runs right after it.
  const pendingStep = await ctx.tx.dueTransition.findFirst({ where: { kind: "STEP_BONUS", refId: 0, doneAt: null } });
  if (!pendingStep) await scheduleDue(ctx, "STEP_BONUS", 0, nextMonthStart(ctx.now, tz));
  const pendingReview = await ctx.tx.dueTransition.findFirst({ where: { kind: "TIER_REVIEW", doneAt: null } });
  if (!pendingReview) await scheduleDue(ctx, "TIER_REVIEW", 0, nextLocalMidnight(ctx.now, tz));
}

/**
 * Claims one due transition by id and performs it. Returns false when it was already done.
 * `clock: "due"` runs it at its due time (scenario replay); "wall" at opts.now (production).
 */
export async function performDueById(db: Db, id: number, opts: TxOptions & { clock?: "due" | "wall" } = {}): Promise<boolean> {
  const row = await db.dueTransition.findUnique({ where: { id } });
  if (!row || row.doneAt) return false;
  const now = opts.clock === "due" ? row.dueAt : (opts.now ?? new Date());
  if (row.dueAt > now) return false;
  return inTx(db, { ...opts, now }, async (ctx) => {
    const claimed = await ctx.tx.$queryRaw<{ id: number }[]>`
      UPDATE "DueTransition" SET "doneAt" = ${now} WHERE id = ${id} AND "doneAt" IS NULL RETURNING id`;
    if (claimed.length === 0) return false;
    await performTransition(ctx, row.kind, row.refId, row.dueAt);
    return true;
  });
}

/** Performs every transition due at or before `until`, earliest first. Returns how many ran. */
export async function runDueTransitions(db: Db, until: Date, opts: TxOptions & { clock?: "due" | "wall"; limit?: number } = {}): Promise<number> {
  let ran = 0;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  while (ran < limit) {
    const next = await db.dueTransition.findFirst({
      where: { doneAt: null, dueAt: { lte: until } },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    });
    if (!next) break;
    if (await performDueById(db, next.id, { ...opts, now: opts.clock === "due" ? undefined : (opts.now ?? until) })) ran++;
  }
  return ran;
}
