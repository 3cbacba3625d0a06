// Background-job rows (exports, simulations) claimed by one worker at a time: the oldest queued row, or
// one whose worker died (RUNNING past its stale time), while attempts remain; with none left it fails.
import { Prisma, type Db } from "../db";

/** The job tables and the column each resets when a job starts over. */
const TABLES = { ExportJob: '"rowsDone"', SimulationRun: "progress" } as const;

/** The error of a job whose worker died on its last attempt. */
export const ABANDONED_ERROR = "abandoned: the worker of the last attempt stopped without finishing";

export async function claimJob(db: Db, table: keyof typeof TABLES, opts: { now: Date; staleMs: number; maxAttempts: number }): Promise<number | null> {
  const stale = new Date(opts.now.getTime() - opts.staleMs);
  const name = Prisma.raw(`"${table}"`);
  // A dead job with no attempt left fails: left RUNNING, its page would wait for it forever.
  await db.$executeRaw`
    UPDATE ${name} SET status = 'FAILED', error = ${ABANDONED_ERROR}, "finishedAt" = ${opts.now}
    WHERE status = 'RUNNING' AND "startedAt" < ${stale} AND attempts >= ${opts.maxAttempts}`;
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE ${name} SET status = 'RUNNING', "startedAt" = ${opts.now}, attempts = attempts + 1, ${Prisma.raw(TABLES[table])} = 0
    WHERE id = (
      SELECT id FROM ${name}
      WHERE (status = 'QUEUED' OR (status = 'RUNNING' AND "startedAt" < ${stale})) AND attempts < ${opts.maxAttempts}
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows[0]?.id ?? null;
}
