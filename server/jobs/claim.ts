// Background-job rows (exports, simulations) claimed by one worker at a time: the oldest queued row, or
// one whose worker died (RUNNING past its stale time), while attempts remain; with none left it fails.
// A claim is fenced by its attempt: a worker that stalled past the stale window and lost its job to
// another changes nothing once it resumes (its writes find no row) and stops (ClaimLost).
import { Prisma, type Db } from "../db";

/** The job tables and the column each resets when a job starts over. */
const TABLES = { ExportJob: '"rowsDone"', SimulationRun: "progress" } as const;
type JobTable = keyof typeof TABLES;

/** The error of a job whose worker died on its last attempt. */
export const ABANDONED_ERROR = "abandoned: the worker of the last attempt stopped without finishing";

/** What a worker holds: the job and the attempt its claim started (each claim increments attempts). */
export interface JobClaim {
  id: number;
  attempt: number;
}

/** A worker's write found its job no longer its own (taken again, or failed as abandoned): it must stop. */
export class ClaimLost extends Error {
  constructor(table: JobTable, claim: JobClaim) {
    super(`${table} ${claim.id}: attempt ${claim.attempt} no longer holds the job`);
    this.name = "ClaimLost";
  }
}

/** The row a worker may still write: its job, on the attempt it claimed, still running. */
export const heldBy = (claim: JobClaim) => ({ id: claim.id, attempts: claim.attempt, status: "RUNNING" as const });

/** After a write conditioned on heldBy(claim): nothing written means another worker has the job. */
export function assertHeld(table: JobTable, claim: JobClaim, written: { count: number }): void {
  if (written.count === 0) throw new ClaimLost(table, claim);
}

/** The claim's clock (a sweep's instant, the test clock) moved on by the real time spent since: heartbeats stay on the clock claimers compare them with. */
export function clockFrom(now: Date): () => Date {
  const started = Date.now();
  return () => new Date(now.getTime() + Date.now() - started);
}

export async function claimJob(db: Db, table: JobTable, opts: { now: Date; staleMs: number; maxAttempts: number }): Promise<JobClaim | null> {
  const stale = new Date(opts.now.getTime() - opts.staleMs);
  const name = Prisma.raw(`"${table}"`);
  // A dead job with no attempt left fails: left RUNNING, its page would wait for it forever.
  await db.$executeRaw`
    UPDATE ${name} SET status = 'FAILED', error = ${ABANDONED_ERROR}, "finishedAt" = ${opts.now}
    WHERE status = 'RUNNING' AND "startedAt" < ${stale} AND attempts >= ${opts.maxAttempts}`;
  const rows = await db.$queryRaw<{ id: number; attempts: number }[]>`
    UPDATE ${name} SET status = 'RUNNING', "startedAt" = ${opts.now}, attempts = attempts + 1, ${Prisma.raw(TABLES[table])} = 0
    WHERE id = (
      SELECT id FROM ${name}
      WHERE (status = 'QUEUED' OR (status = 'RUNNING' AND "startedAt" < ${stale})) AND attempts < ${opts.maxAttempts}
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, attempts`;
  const row = rows[0];
  return row ? { id: row.id, attempt: row.attempts } : null;
}
