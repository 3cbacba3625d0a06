// Performs due transitions (SPEC §9). Each row is claimed (`FOR UPDATE SKIP LOCKED`) and performed
// in its own transaction, so several sweepers (app instances, an Inngest wake-up) share the work
// and never do a row twice; the domain functions re-check state, so a repeat changes nothing.
// A row that fails rolls back alone: it records the attempt, backs off exponentially and is
// dead-lettered after MAX_ATTEMPTS, for staff to see and retry — it never blocks the rows behind it.
import { Prisma, type Db, type Tx } from "../db";
import { inTx, loadConfig, type Ctx, type TxOptions } from "../context";
import { cancelUnpaidOrder, completeOrder, confirmDelivery } from "../orders";
import { advanceCommissionsOfOrder } from "../commission";
import { advanceRebateTask, remindRebateDeadline } from "../rebate";
import { payMonthlyTeamBonus, reviewTiers } from "../tiers";
import { autoApproveRefundRequest } from "../aftersales";
import { payMonthlyStepBonus } from "../bonus/step";
import { runSponsorChanges } from "../members/sponsor-change";
import { nextLocalPeriodStart } from "../clock/time";
import { backoffMs } from "./backoff";
import { scheduleDue, type DueKind } from "./due";
import { dueMerchantRun, MERCHANT_SCHEDULES, type MerchantSchedule } from "./merchant-time";
import type { MallConfig } from "../config/schema";

export { scheduleDue, backoffMs };

/** After this many failed attempts a transition is dead-lettered (no sweep takes it any more). */
export const MAX_ATTEMPTS = 8;

/** Transitions of one row: each runs inside the row's claim transaction. */
export async function performTransition(ctx: Ctx, kind: DueKind, refId: number): Promise<void> {
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
    case "REBATE_DEADLINE_REMINDER":
      await remindRebateDeadline(ctx, refId);
      return;
    case "REFUND_REQUEST_AUTO_APPROVE":
      await autoApproveRefundRequest(ctx, refId);
      return;
    default:
      throw new Error(`${kind} is a batched transition`);
  }
}

/**
 * Jobs too long for one transaction (recurring ones over all members, a sponsor change's subtree move):
 * they run in batches of their own (server/scheduler/batches.ts) and the row is marked done — and a
 * recurring one's next row scheduled — at the end.
 */
export interface BatchedTransition {
  /** `dueAt` is the row's due time: a late run still knows which month (or day) it is for. */
  run(db: Db, opts: TxOptions & { now: Date; config: MallConfig; dueAt: Date }): Promise<unknown>;
  /** A recurring job's merchant-time schedule (when its next run is due); absent for a one-off job. */
  every?: MerchantSchedule;
  /** Kinds of rows due before this one that must be done first (not dead-lettered): till then it waits, retried later. */
  after?: DueKind[];
}

/** How long a job waiting for earlier rows (BatchedTransition.after) waits before it is taken again. */
export const WAIT_FOR_EARLIER_MS = 60_000;

export const BATCHED_TRANSITIONS: Partial<Record<DueKind, BatchedTransition>> = {
  // A completion due in the month, still pending (failing and backing off, or taken by another sweeper), is dated in the
  // month (its due time): the month's bonuses wait for it, or it would count in no month. So does an automatic delivery
  // due in the month: it is dated at its due time and schedules the completion, which may fall in the month too. One due
  // at the instant itself is waited for too: it belongs to the next month's base but to gmv90 at the instant (both ends).
  // A dead-lettered one is not: retried later, the next month's run corrects the month (server/bonus/late-completions.ts).
  TEAM_BONUS: { run: (db, o) => payMonthlyTeamBonus(db, { ...o, instant: o.dueAt }), every: MERCHANT_SCHEDULES.TEAM_BONUS, after: ["ORDER_AUTO_DELIVER", "ORDER_COMPLETE"] },
  TIER_REVIEW: { run: (db, o) => reviewTiers(db, o), every: MERCHANT_SCHEDULES.TIER_REVIEW },
  // Listed after TEAM_BONUS: scheduled after it for the same instant, so it runs right after it (SPEC §7).
  STEP_BONUS: { run: (db, o) => payMonthlyStepBonus(db, { ...o, instant: o.dueAt }), every: MERCHANT_SCHEDULES.STEP_BONUS, after: ["ORDER_AUTO_DELIVER", "ORDER_COMPLETE"] },
  // One-off: drains the queue of approved sponsor changes, one move at a time (refId names the request).
  SPONSOR_CHANGE: { run: (db, o) => runSponsorChanges(db, o) },
};

/**
 * Whether a run of `kind` for the instant `dueAt` must wait for earlier rows (BatchedTransition.after): the rows of those
 * kinds due before it or at the same instant (SPEC §7: windows include both ends), neither done nor dead-lettered. Returns
 * null when nothing holds it, else when the last of them is next tried (null: at once). The in-process sweep and the
 * Inngest crons both ask it before a run.
 */
export async function earlierPending(db: Db | Tx, kind: DueKind, dueAt: Date): Promise<{ retryAt: Date | null } | null> {
  const after = BATCHED_TRANSITIONS[kind]?.after;
  if (!after) return null;
  const [row] = await db.$queryRaw<{ n: number; retryAt: Date | null }[]>`
    SELECT count(*)::int AS n, max("nextAttemptAt") AS "retryAt" FROM "DueTransition"
    WHERE kind::text = ANY(${after}::text[]) AND "doneAt" IS NULL AND "deadAt" IS NULL AND "dueAt" <= ${dueAt}`;
  return row && row.n > 0 ? { retryAt: row.retryAt } : null;
}

/**
 * Schedules the recurring transitions (monthly team and stepped bonus, nightly tier review) from `now` on. A dead-lettered
 * row does not hold the next period back: a retry runs it for its own instant (dueAt), whatever later periods did.
 */
export async function ensureRecurringTransitions(ctx: Ctx): Promise<void> {
  const tz = ctx.config.timeZone;
  for (const [kind, t] of Object.entries(BATCHED_TRANSITIONS) as [DueKind, BatchedTransition][]) {
    if (!t.every) continue;
    const pending = await ctx.tx.dueTransition.findFirst({ where: { kind, doneAt: null, deadAt: null } });
    if (!pending) await scheduleDue(ctx, kind, 0, nextLocalPeriodStart(ctx.now, tz, t.every.period));
  }
}

export interface DueRow {
  id: number;
  kind: DueKind;
  refId: number;
  dueAt: Date;
  attempts: number;
  /** When it was claimed: the earliest due time of another pending row (the scenario replay's next sweep). */
  nextDueAt: Date | null;
}

export interface SweepOptions extends TxOptions {
  /** "due" runs each row at its due time (scenario replay); "wall" at opts.now (production). */
  clock?: "due" | "wall";
  limit?: number;
  /** Called after each row committed (workers report what they did). */
  onPerformed?: (row: DueRow) => void;
  /** Called when a claim finds no takeable row, with the earliest due time of a pending row then (earliestDue), or null. */
  onIdle?: (nextDueAt: Date | null) => void;
}

type Outcome = "done" | "failed" | "none" | "waiting";

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);

/** Records a failed attempt (once per attempt, whoever notices), backing off or dead-lettering. */
async function recordFailure(db: Db, row: DueRow, now: Date, error: unknown): Promise<void> {
  const attempts = row.attempts + 1;
  const dead = attempts >= MAX_ATTEMPTS;
  const next = new Date(now.getTime() + backoffMs(attempts));
  const updated = await db.$executeRaw`
    UPDATE "DueTransition" SET attempts = ${attempts}, "lastError" = ${errorText(error)}, "nextAttemptAt" = ${next},
      "deadAt" = ${dead ? now : null}
    WHERE id = ${row.id} AND "doneAt" IS NULL AND attempts = ${row.attempts}`;
  if (updated === 0) return;
  // Ids and kinds only: error messages may carry personal data, they stay in the database.
  const code = (error as { code?: string })?.code ?? (error as Error)?.name ?? "Error";
  if (dead) console.error(`[alert] due transition ${row.id} (${row.kind} #${row.refId}) dead-lettered after ${attempts} attempts (${code})`);
  else console.warn(`[scheduler] due transition ${row.id} (${row.kind} #${row.refId}) failed, attempt ${attempts}/${MAX_ATTEMPTS} (${code}); retry at ${next.toISOString()}`);
}

async function finishBatched(db: Db, row: DueRow, now: Date, opts: SweepOptions): Promise<Outcome> {
  const job = BATCHED_TRANSITIONS[row.kind]!;
  try {
    const earlier = await earlierPending(db, row.kind, row.dueAt);
    if (earlier) {
      // Taken again once they can be (a row backing off is retried first, being due earlier), a minute on at the least.
      const retryAt = Math.max(now.getTime() + WAIT_FOR_EARLIER_MS, earlier.retryAt?.getTime() ?? 0);
      await db.dueTransition.updateMany({ where: { id: row.id, doneAt: null }, data: { nextAttemptAt: new Date(retryAt) } });
      return "waiting";
    }
    const config = opts.config ?? (await loadConfig(db, now));
    await job.run(db, { ...opts, now, config, dueAt: row.dueAt });
    return await inTx(db, { ...opts, config, now }, async (ctx) => {
      const claimed = await ctx.tx.$queryRaw<{ id: number }[]>`
        UPDATE "DueTransition" SET "doneAt" = ${now} WHERE id = ${row.id} AND "doneAt" IS NULL RETURNING id`;
      if (claimed.length === 0) return "none";
      if (job.every) {
        // A period whose start passed while nothing ran (the process was down) is due at once, else the next one.
        const tz = ctx.config.timeZone;
        const missed = await dueMerchantRun(ctx.tx, job.every, now, tz);
        await scheduleDue(ctx, row.kind, 0, missed ?? nextLocalPeriodStart(now, tz, job.every.period));
      }
      return "done";
    });
  } catch (e) {
    await recordFailure(db, row, now, e);
    return "failed";
  }
}

/** The rows a sweep until `until` may take: not done, not dead-lettered, due and past their backoff. */
const takeableBy = (until: Date) => Prisma.sql`
  "doneAt" IS NULL AND "deadAt" IS NULL AND "dueAt" <= ${until} AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${until})`;

/**
 * For the candidate row `t`: not a kind that waits for others (BatchedTransition.after) while a takeable row of those kinds
 * is due at the same instant, which the sweep takes first (a month's bonus rows are scheduled a month ahead: lower ids).
 * A per-row probe of the pending index (a scalar subquery: an EXISTS may be planned as a hash of every pending row), only
 * for those kinds: the sweep's order stays the index's.
 */
const notBeforeSameInstant = (until: Date) =>
  Prisma.join(
    Object.entries(BATCHED_TRANSITIONS).flatMap(([kind, t]) =>
      t.after
        ? [Prisma.sql`NOT (t.kind::text = ${kind} AND (SELECT TRUE FROM "DueTransition" o
            WHERE o."dueAt" = t."dueAt" AND o.kind::text = ANY(${t.after}::text[]) AND ${takeableBy(until)} LIMIT 1) IS NOT NULL)`]
        : [],
    ),
    " AND ",
  );

/** The earliest due time among the pending rows `n` passing `where`, as a scalar subquery (one index probe). */
const earliestDueSql = (where: Prisma.Sql) => Prisma.sql`
  (SELECT n."dueAt" FROM "DueTransition" n WHERE n."doneAt" IS NULL AND n."deadAt" IS NULL AND ${where} ORDER BY n."dueAt" LIMIT 1)`;

/**
 * The earliest due time of a pending row, or null: no sweep finds a row before it (a row backing off
 * after a failure may be takeable only later). One statement on the index, no transaction.
 */
export async function earliestDue(db: Db): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ dueAt: Date | null }[]>`SELECT ${earliestDueSql(Prisma.sql`TRUE`)} AS "dueAt"`;
  return row?.dueAt ?? null;
}

/** Kinds run in batches of their own: their claim does not mark them done (finishBatched does). */
const BATCHED_KINDS = Object.keys(BATCHED_TRANSITIONS);

/**
 * Claims one row (the next due one, or `id`) and performs it in one transaction. Rows locked by
 * another sweeper are skipped, not waited for. The claim marks the row done in the same statement:
 * if the transition fails, the transaction rolls that back with everything else.
 */
async function claimAndPerform(db: Db, until: Date, opts: SweepOptions, id?: number): Promise<{ outcome: Outcome; row?: DueRow }> {
  let claimed: DueRow | undefined;
  // null: each row at its own due time (scenario replay); else the wall clock.
  const wallNow = opts.clock === "due" ? null : (opts.now ?? until);
  let rowNow = wallNow ?? until;
  try {
    const outcome = await inTx(db, { ...opts, now: rowNow }, async (ctx): Promise<Outcome | "batched"> => {
      const candidate =
        id === undefined
          ? Prisma.sql`SELECT id FROM "DueTransition" t WHERE ${takeableBy(until)} AND "dueAt" <= COALESCE(${wallNow}::timestamptz, "dueAt")
              AND ${notBeforeSameInstant(until)} ORDER BY "dueAt", id LIMIT 1 FOR UPDATE SKIP LOCKED`
          : Prisma.sql`SELECT id FROM "DueTransition" WHERE id = ${id} AND "doneAt" IS NULL AND "deadAt" IS NULL
              AND "dueAt" <= COALESCE(${wallNow}::timestamptz, "dueAt") FOR UPDATE SKIP LOCKED`;
      // One row whatever happens: none claimed, its id is null and "nextDueAt" the earliest pending row's (earliestDue).
      const [row] = await ctx.tx.$queryRaw<(DueRow | (Pick<DueRow, "nextDueAt"> & { id: null }))[]>`
        WITH claimed AS (
          UPDATE "DueTransition" d
          SET "doneAt" = CASE WHEN d.kind::text = ANY(${BATCHED_KINDS}::text[]) THEN NULL ELSE COALESCE(${wallNow}::timestamptz, d."dueAt") END
          FROM (${candidate}) c WHERE d.id = c.id
          RETURNING d.id, d.kind::text AS kind, d."refId", d."dueAt", d.attempts,
            ${earliestDueSql(Prisma.sql`n.id <> d.id`)} AS "nextDueAt"
        )
        SELECT claimed.id, claimed.kind, claimed."refId", claimed."dueAt", claimed.attempts,
          CASE WHEN claimed.id IS NULL THEN ${opts.onIdle ? earliestDueSql(Prisma.sql`TRUE`) : Prisma.sql`NULL::timestamptz`} ELSE claimed."nextDueAt" END AS "nextDueAt"
        FROM (SELECT 1) one LEFT JOIN claimed ON TRUE`;
      if (row.id === null) {
        opts.onIdle?.(row.nextDueAt);
        return "none";
      }
      rowNow = wallNow ?? row.dueAt;
      claimed = row;
      if (BATCHED_TRANSITIONS[row.kind]) return "batched";
      await performTransition({ ...ctx, now: rowNow }, row.kind, row.refId);
      return "done";
    });
    if (outcome === "batched") return { outcome: await finishBatched(db, claimed!, rowNow, opts), row: claimed };
    return { outcome, row: claimed };
  } catch (e) {
    if (!claimed) throw e; // the claim itself failed (database unreachable): the sweep stops
    await recordFailure(db, claimed, rowNow, e);
    return { outcome: "failed", row: claimed };
  }
}

/**
 * Performs one due transition by id (an Inngest wake-up). Returns false when it was already done,
 * is being done by another sweeper, is not due yet, or failed (then it is retried by the sweep).
 */
export async function performDueById(db: Db, id: number, opts: SweepOptions = {}): Promise<boolean> {
  const { outcome, row } = await claimAndPerform(db, opts.now ?? new Date(), opts, id);
  if (outcome === "done" && row) opts.onPerformed?.(row);
  return outcome === "done";
}

/** Performs every transition due at or before `until`, earliest first. Returns how many ran. */
export async function runDueTransitions(db: Db, until: Date, opts: SweepOptions = {}): Promise<number> {
  let ran = 0;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const sweep = { ...opts, now: opts.clock === "due" ? undefined : (opts.now ?? until) };
  while (ran < limit) {
    const { outcome, row } = await claimAndPerform(db, until, sweep);
    if (outcome === "none") break;
    if (outcome === "done") {
      ran++;
      opts.onPerformed?.(row!);
    }
  }
  return ran;
}
