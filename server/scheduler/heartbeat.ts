// Last run of a recurring duty (issue 9: staff see when the PAYING reconciler last ran and whether it
// failed). One row per duty, overwritten at each run: a status, not a log.
import type { Db } from "../db";

export async function recordHeartbeat(db: Db, name: string, now: Date, result: { ok: true; count: number } | { ok: false; error: unknown }) {
  const lastError = result.ok ? null : (result.error instanceof Error ? result.error.name : "Error");
  const data = { lastRunAt: now, lastError, ...(result.ok ? { lastOkAt: now, lastCount: result.count } : {}) };
  await db.jobHeartbeat.upsert({ where: { name }, create: { name, ...data }, update: data });
}

export function heartbeatOf(db: Db, name: string) {
  return db.jobHeartbeat.findUnique({ where: { name } });
}

/** The heartbeat an Inngest function's failures are recorded under (inngest/functions), for staff's failed-jobs list. */
export const inngestHeartbeat = (functionId: string) => `inngest:${functionId}`;

/**
 * A run found healthy by a step that began at `since`: a failure recorded before it is over (it leaves staff's list); one
 * recorded since, by a run overlapping this one, stays. Writes nothing while nothing failed.
 */
export async function recordRecovery(db: Db, name: string, since: Date, now: Date) {
  await db.jobHeartbeat.updateMany({ where: { name, lastError: { not: null }, lastRunAt: { lte: since } }, data: { lastRunAt: now, lastOkAt: now, lastError: null } });
}
