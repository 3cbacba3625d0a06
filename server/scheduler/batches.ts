// Long jobs over all members (nightly tier review, monthly team bonus, monthly stepped bonus) never
// run as one transaction: they walk member ids in fixed-size batches, each batch in its own
// transaction that also advances the run's cursor row (JobCursor). A crash loses at most the batch
// in flight, which rolled back with its cursor step; the next run resumes after the last committed
// batch. Two runners of the same run serialise on the cursor row and never process a batch twice.
import type { Db } from "../db";
import { inTx, type Ctx, type TxOptions } from "../context";

export const DEFAULT_BATCH_SIZE = 500;

export interface BatchedJob {
  /** Names one run, e.g. `team_bonus:2026-03`: the same key resumes (or skips) the same run. */
  key: string;
  batchSize?: number;
  /** The next ids strictly after `afterId`, ascending, at most `limit` of them. */
  nextIds(ctx: Ctx, afterId: number, limit: number): Promise<number[]>;
  /** Does the work for one batch inside its transaction; returns how many rows it changed. */
  processBatch(ctx: Ctx, ids: number[]): Promise<number>;
}

export interface BatchRunResult {
  /** Rows changed by the batches this call ran (not by earlier, crashed runs). */
  changed: number;
  /** Batches committed by this call. */
  batches: number;
  /** True when the run is complete (now or already before). */
  done: boolean;
}

export interface BatchRunOptions extends TxOptions {
  now: Date;
  /** Stop after this many batches (tests simulate a crash mid-run with it). */
  maxBatches?: number;
  /** Overrides the job's batch size (tests, benchmarks). */
  batchSize?: number;
}

/**
 * Runs (or resumes) one batched job until done. Each batch: lock the cursor row, take the next ids
 * after it, process them, move the cursor — all in one transaction.
 */
export async function runBatched(db: Db, job: BatchedJob, opts: BatchRunOptions): Promise<BatchRunResult> {
  const size = opts.batchSize ?? job.batchSize ?? DEFAULT_BATCH_SIZE;
  const result: BatchRunResult = { changed: 0, batches: 0, done: false };
  await db.jobCursor.createMany({ data: [{ key: job.key, startedAt: opts.now, updatedAt: opts.now }], skipDuplicates: true });
  while (opts.maxBatches === undefined || result.batches < opts.maxBatches) {
    const step = await inTx(db, opts, async (ctx) => {
      // The row lock serialises concurrent runners of this run; the second one sees the moved cursor. Plans made for the
      // batch's own values: a prepared statement's generic plan cannot see where the cursor is (the stepped bonus's
      // next ids took ~1 s a batch at 1 M members with it, 2 ms without). No JIT: the walks' estimates (millions of rows
      // for a LIMIT 500) set off ~0.6 s of compiling per batch on PostgreSQL's default settings.
      const [cursor] = await ctx.tx.$queryRaw<{ lastId: number; doneAt: Date | null }[]>`
        SELECT "lastId", "doneAt", set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)
        FROM "JobCursor" WHERE key = ${job.key} FOR UPDATE`;
      if (!cursor || cursor.doneAt) return { done: true, changed: 0, ran: false };
      const ids = await job.nextIds(ctx, cursor.lastId, size);
      const changed = ids.length > 0 ? await job.processBatch(ctx, ids) : 0;
      const done = ids.length < size;
      await ctx.tx.jobCursor.update({
        where: { key: job.key },
        data: {
          lastId: ids.length > 0 ? ids[ids.length - 1] : cursor.lastId,
          processed: { increment: ids.length },
          batches: { increment: ids.length > 0 ? 1 : 0 },
          updatedAt: ctx.now,
          doneAt: done ? ctx.now : null,
        },
      });
      return { done, changed, ran: ids.length > 0 };
    });
    result.changed += step.changed;
    if (step.ran) result.batches++;
    if (step.done) {
      result.done = true;
      break;
    }
  }
  return result;
}
