// Failed jobs for staff (issue 8): due transitions, provider calls (refunds, payouts) and outbox events
// (server/events/relay.ts) that were dead-lettered after too many failed attempts. Staff see them on the
// merchant home and retry them once the cause is fixed; a retry starts the attempt count afresh.
import type { Tx, Db } from "../db";
import { refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";

export type FailedJobType = "transition" | "providerCall" | "outboxEvent";

export interface FailedJobCounts {
  transitions: number;
  providerCalls: number;
  /** Every dead-lettered job: the transitions, the provider calls and the outbox events. */
  total: number;
}

const DEAD_EVENT = { deadAt: { not: null }, sentAt: null };

export async function countFailedJobs(tx: Tx | Db): Promise<FailedJobCounts> {
  const [transitions, providerCalls, outboxEvents] = await Promise.all([
    tx.dueTransition.count({ where: { deadAt: { not: null }, doneAt: null } }),
    tx.providerCall.count({ where: { status: "DEAD" } }),
    tx.outboxEvent.count({ where: DEAD_EVENT }),
  ]);
  return { transitions, providerCalls, total: transitions + providerCalls + outboxEvents };
}

export interface FailedJob {
  type: FailedJobType;
  id: number;
  kind: string;
  ref: string;
  attempts: number;
  lastError: string | null;
  failedAt: Date | null;
}

/** The most recent dead-lettered jobs, newest first (ids and kinds only: no personal data). */
export async function listFailedJobs(tx: Tx | Db, limit = 50): Promise<FailedJob[]> {
  const [rows, calls, events] = await Promise.all([
    tx.dueTransition.findMany({ where: { deadAt: { not: null }, doneAt: null }, orderBy: { deadAt: "desc" }, take: limit }),
    tx.providerCall.findMany({ where: { status: "DEAD" }, orderBy: { id: "desc" }, take: limit }),
    tx.outboxEvent.findMany({ where: DEAD_EVENT, orderBy: { deadAt: "desc" }, take: limit, select: { id: true, name: true, attempts: true, deadAt: true } }),
  ]);
  const jobs: FailedJob[] = [
    // No lastError: the scheduler stores the raw error (name and message), which may carry personal data.
    ...rows.map((r) => ({ type: "transition" as const, id: r.id, kind: r.kind, ref: String(r.refId), attempts: r.attempts, lastError: null, failedAt: r.deadAt })),
    ...calls.map((c) => ({ type: "providerCall" as const, id: c.id, kind: c.kind, ref: c.idempotencyNo, attempts: c.attempts, lastError: c.lastError, failedAt: c.nextAttemptAt })),
    // No lastError: the relay stores a handler's raw message, which may carry personal data.
    ...events.map((e) => ({ type: "outboxEvent" as const, id: e.id, kind: e.name, ref: String(e.id), attempts: e.attempts, lastError: null, failedAt: e.deadAt })),
  ];
  return jobs.sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0)).slice(0, limit);
}

/** Puts a dead-lettered job back in the queue, due at once; audited. */
export async function retryFailedJob(ctx: Ctx, actor: StaffActor, job: { type: FailedJobType; id: number }) {
  if (job.type === "transition") {
    const r = await ctx.tx.dueTransition.updateMany({
      where: { id: job.id, deadAt: { not: null }, doneAt: null },
      data: { deadAt: null, attempts: 0, nextAttemptAt: null },
    });
    if (r.count === 0) refuse("NOT_FAILED", "该任务不在失败状态");
  } else if (job.type === "providerCall") {
    const r = await ctx.tx.providerCall.updateMany({
      where: { id: job.id, status: "DEAD" },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: ctx.now },
    });
    if (r.count === 0) refuse("NOT_FAILED", "该任务不在失败状态");
  } else {
    // Conditional on still being dead: of two staff retrying at once, only one puts it back.
    const r = await ctx.tx.outboxEvent.updateMany({ where: { id: job.id, ...DEAD_EVENT }, data: { deadAt: null, attempts: 0, nextAttemptAt: null } });
    if (r.count === 0) refuse("NOT_FAILED", "该任务不在失败状态");
  }
  await audit(ctx.tx, { actor: staffActor(actor), action: "job.retried", target: `${job.type}:${job.id}`, after: { status: "queued" }, requestId: actor.requestId, now: ctx.now });
  return { retried: true };
}
