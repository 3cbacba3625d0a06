// Failed jobs for staff (issue 8): due transitions, provider calls (refunds, payouts) and outbox events
// (server/events/relay.ts) that were dead-lettered after too many failed attempts. Staff see them on the
// merchant home and retry them once the cause is fixed; a retry starts the attempt count afresh. On Inngest, a function
// that failed after its retries (heartbeat `inngest:<id>`, inngest/functions) is listed too, until a run of it succeeds.
import type { Tx, Db } from "../db";
import { emit, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { inngestHeartbeat } from "./heartbeat";

export type FailedJobType = "transition" | "providerCall" | "outboxEvent";

/**
 * The Inngest functions that run on a schedule: a staff retry runs one at once, as its next firing would (the event
 * inngestRetryEvent(id) is one of its triggers), the same work by the same code. The others run per event (a wake-up, a
 * re-tier): what they do is made good by the sweep or the nightly tier review, so they have no retry here.
 */
export const INNGEST_CRONS = ["sweep-due-transitions", "daily-bill-reconciliation", "nightly-tier-review", "monthly-team-bonus", "monthly-step-bonus"] as const;
export type InngestCron = (typeof INNGEST_CRONS)[number];

/** The event a staff retry of a scheduled Inngest function sends (through the outbox). */
export const inngestRetryEvent = (functionId: InngestCron) => `job/retry.${functionId}`;

const HEARTBEAT_PREFIX = inngestHeartbeat("");
/** A function's heartbeat that failed and has not had a successful run since (recordRecovery clears lastError). */
const FAILED_FUNCTION = { name: { startsWith: HEARTBEAT_PREFIX }, lastError: { not: null } };
const isCron = (functionId: string): functionId is InngestCron => (INNGEST_CRONS as readonly string[]).includes(functionId);

export interface FailedJobCounts {
  transitions: number;
  providerCalls: number;
  /** Every dead-lettered job: the transitions, the provider calls and the outbox events; and the failed Inngest functions. */
  total: number;
}

const DEAD_EVENT = { deadAt: { not: null }, sentAt: null };

export async function countFailedJobs(tx: Tx | Db): Promise<FailedJobCounts> {
  const [transitions, providerCalls, outboxEvents, functions] = await Promise.all([
    tx.dueTransition.count({ where: { deadAt: { not: null }, doneAt: null } }),
    tx.providerCall.count({ where: { status: "DEAD" } }),
    tx.outboxEvent.count({ where: DEAD_EVENT }),
    tx.jobHeartbeat.count({ where: FAILED_FUNCTION }),
  ]);
  return { transitions, providerCalls, total: transitions + providerCalls + outboxEvents + functions };
}

export type FailedJob = FailedRow | FailedInngestFunction;

export interface FailedRow {
  type: FailedJobType;
  id: number;
  kind: string;
  ref: string;
  attempts: number;
  lastError: string | null;
  failedAt: Date | null;
}

/** An Inngest function whose last failure has had no successful run since. */
export interface FailedInngestFunction {
  type: "inngestFunction";
  functionId: string;
  /** The error's class only (what the heartbeat keeps: messages may carry personal data). */
  lastError: string | null;
  failedAt: Date;
  /** A scheduled function (INNGEST_CRONS): staff may run it at once. */
  retryable: boolean;
}

/** The most recent dead-lettered jobs, newest first (ids and kinds only: no personal data). */
export async function listFailedJobs(tx: Tx | Db, limit = 50): Promise<FailedJob[]> {
  const [rows, calls, events, functions] = await Promise.all([
    tx.dueTransition.findMany({ where: { deadAt: { not: null }, doneAt: null }, orderBy: { deadAt: "desc" }, take: limit }),
    tx.providerCall.findMany({ where: { status: "DEAD" }, orderBy: { id: "desc" }, take: limit }),
    tx.outboxEvent.findMany({ where: DEAD_EVENT, orderBy: { deadAt: "desc" }, take: limit, select: { id: true, name: true, attempts: true, deadAt: true } }),
    tx.jobHeartbeat.findMany({ where: FAILED_FUNCTION, orderBy: { lastRunAt: "desc" }, take: limit }),
  ]);
  const jobs: FailedJob[] = [
    // No lastError: the scheduler stores the raw error (name and message), which may carry personal data.
    ...rows.map((r) => ({ type: "transition" as const, id: r.id, kind: r.kind, ref: String(r.refId), attempts: r.attempts, lastError: null, failedAt: r.deadAt })),
    ...calls.map((c) => ({ type: "providerCall" as const, id: c.id, kind: c.kind, ref: c.idempotencyNo, attempts: c.attempts, lastError: c.lastError, failedAt: c.nextAttemptAt })),
    // No lastError: the relay stores a handler's raw message, which may carry personal data.
    ...events.map((e) => ({ type: "outboxEvent" as const, id: e.id, kind: e.name, ref: String(e.id), attempts: e.attempts, lastError: null, failedAt: e.deadAt })),
    ...functions.map((f) => {
      const functionId = f.name.slice(HEARTBEAT_PREFIX.length);
      return { type: "inngestFunction" as const, functionId, lastError: f.lastError, failedAt: f.lastRunAt, retryable: isCron(functionId) };
    }),
  ];
  return jobs.sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0)).slice(0, limit);
}

/**
 * Inngest's failures, cleared where the in-process scheduler runs instead (Inngest not configured): those functions no
 * longer run here, so no run of theirs would ever clear them, and a retry would queue an event nothing handles.
 */
export async function retireInngestFailures(db: Db, now: Date): Promise<number> {
  const r = await db.jobHeartbeat.updateMany({ where: FAILED_FUNCTION, data: { lastError: null, lastRunAt: now } });
  return r.count;
}

/** What a staff retry names: a dead-lettered row, or a failed scheduled Inngest function. */
export type FailedJobRef = { type: FailedJobType; id: number } | { type: "inngestFunction"; functionId: string };

/** Puts a dead-lettered job back in the queue, due at once, or has a failed scheduled Inngest function run at once; audited. */
export async function retryFailedJob(ctx: Ctx, actor: StaffActor, job: FailedJobRef) {
  if (job.type === "inngestFunction") {
    if (!isCron(job.functionId)) refuse("NOT_RETRYABLE", "该任务按事件运行，不能在此重试");
    // Two retries queue two runs: harmless, a run repeats nothing already done (its claims, its JobCursor).
    const failed = await ctx.tx.jobHeartbeat.count({ where: { ...FAILED_FUNCTION, name: inngestHeartbeat(job.functionId) } });
    if (failed === 0) refuse("NOT_FAILED", "该任务不在失败状态");
    await emit(ctx, inngestRetryEvent(job.functionId), { functionId: job.functionId });
    await audit(ctx.tx, { actor: staffActor(actor), action: "job.retried", target: `inngestFunction:${job.functionId}`, after: { status: "queued" }, requestId: actor.requestId, now: ctx.now });
    return { retried: true };
  }
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
