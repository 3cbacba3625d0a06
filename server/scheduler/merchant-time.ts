// Merchant-time recurring runs (SPEC §7, §9): the nightly tier review and the monthly team and stepped bonus each
// belong to a local period (day or month, merchant calendar), and a run is complete once its JobCursor is done
// (server/scheduler/batches.ts). The Inngest hourly crons ask dueMerchantRuns which periods' runs are due (each then
// runs in its own step, so one failing holds no later one back), the in-process scheduler dueMerchantRun (the oldest:
// its rows run one period at a time), so a period whose first hour was missed (deploy, outage, Inngest paused) is
// caught up at the next firing — for that period's first instant, not the late firing's.
import type { Db, Tx } from "../db";
import { localPeriodStart, type LocalPeriod } from "../clock/time";
import { teamBonusJob, tierReviewJob } from "../tiers";
import { stepBonusJob } from "../bonus/step";

export interface MerchantSchedule {
  period: LocalPeriod;
  /** How many periods are looked at, the current one included: a run missed further back is not caught up. */
  lookback: number;
  /** The JobCursor key of the run for the period that begins at `start`. */
  key(start: Date, tz: string): string;
}

export const MERCHANT_SCHEDULES = {
  // A review recomputes every tier as of its own time: today's makes good a missed night, so only today counts.
  TIER_REVIEW: { period: "day", lookback: 1, key: (start, tz) => tierReviewJob(start, tz).key },
  // A missed month's bonus is still owed (exactly once per member and month): caught up to a year back.
  TEAM_BONUS: { period: "month", lookback: 12, key: (start, tz) => teamBonusJob(start, tz).key },
  STEP_BONUS: { period: "month", lookback: 12, key: (start, tz) => stepBonusJob(start, tz).key },
} satisfies Record<string, MerchantSchedule>;

/** The first instants of the `count` local periods up to the one containing `now`, the current one first. */
export function recentPeriodStarts(now: Date, tz: string, period: LocalPeriod, count: number): Date[] {
  const starts: Date[] = [];
  for (let t = now; starts.length < count; ) {
    const start = localPeriodStart(t, tz, period);
    starts.push(start);
    t = new Date(start.getTime() - 1);
  }
  return starts;
}

/**
 * Which periods' runs are due, given the recent periods' starts (current first) and which runs are complete: every one
 * after the newest complete one, oldest first; none when the current one is complete. None complete (a first run
 * ever, or a gap longer than the lookback): the current one only — nothing before it is guessed at.
 */
export function duePeriodStarts(starts: readonly Date[], isDone: (start: Date) => boolean): Date[] {
  const due: Date[] = [];
  for (const start of starts) {
    if (isDone(start)) return due.reverse();
    due.push(start);
  }
  return starts.slice(0, 1);
}

/** The oldest period whose run is due (duePeriodStarts), or null: the in-process runner takes one period at a time. */
export function duePeriodStart(starts: readonly Date[], isDone: (start: Date) => boolean): Date | null {
  return duePeriodStarts(starts, isDone)[0] ?? null;
}

/** The first instants of the periods whose runs are due at `now` in `tz` (duePeriodStarts over the JobCursor rows), oldest first. */
export async function dueMerchantRuns(db: Db | Tx, schedule: MerchantSchedule, now: Date, tz: string): Promise<Date[]> {
  const starts = recentPeriodStarts(now, tz, schedule.period, schedule.lookback);
  const keys = starts.map((s) => schedule.key(s, tz));
  const done = await db.jobCursor.findMany({ where: { key: { in: keys }, doneAt: { not: null } }, select: { key: true } });
  const doneKeys = new Set(done.map((c) => c.key));
  return duePeriodStarts(starts, (s) => doneKeys.has(schedule.key(s, tz)));
}

/** The first instant of the oldest period whose run is due at `now` in `tz`, or null. */
export async function dueMerchantRun(db: Db | Tx, schedule: MerchantSchedule, now: Date, tz: string): Promise<Date | null> {
  return (await dueMerchantRuns(db, schedule, now, tz))[0] ?? null;
}

/**
 * The periods whose runs are owed at `now` in `tz`, oldest first: the due ones (dueMerchantRuns) and, within the lookback,
 * every earlier one whose run was begun (JobCursor row, beginMerchantRun) and is not complete. Inngest passes over a period
 * whose step failed so that later ones still run; this takes it again at the next firing instead of losing it once a later
 * period completes. Bounded by the lookback; each run is idempotent (its JobCursor), so nothing is paid twice.
 */
export async function owedMerchantRuns(db: Db | Tx, schedule: MerchantSchedule, now: Date, tz: string): Promise<Date[]> {
  const starts = recentPeriodStarts(now, tz, schedule.period, schedule.lookback);
  const keys = starts.map((s) => schedule.key(s, tz));
  const cursors = await db.jobCursor.findMany({ where: { key: { in: keys } }, select: { key: true, doneAt: true } });
  const done = new Set(cursors.filter((c) => c.doneAt).map((c) => c.key));
  const begun = new Set(cursors.filter((c) => !c.doneAt).map((c) => c.key));
  const due = duePeriodStarts(starts, (s) => done.has(schedule.key(s, tz)));
  const unfinished = starts.filter((s) => begun.has(schedule.key(s, tz)) && !due.some((d) => d.getTime() === s.getTime()));
  return [...unfinished, ...due].sort((a, b) => a.getTime() - b.getTime());
}

/** Marks a period's run begun (its JobCursor row, as runBatched makes it): from then on it is owed until complete (owedMerchantRuns). */
export async function beginMerchantRun(db: Db, key: string, now: Date): Promise<void> {
  await db.jobCursor.createMany({ data: [{ key, startedAt: now, updatedAt: now }], skipDuplicates: true });
}
