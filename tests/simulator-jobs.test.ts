// What-if simulator runs in the background (issue 11): a run whose worker died on its last attempt fails
// (its page stops waiting) instead of staying RUNNING forever, export jobs alike (the shared claimJob);
// a live run refreshes its heartbeat with its progress on its claim's clock, so it is not taken again while it
// progresses; a worker that lost its run to another (it stalled past the stale window) changes nothing and stops.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { parseConfig } from "../server/config/schema";
import { claimJob } from "../server/jobs/claim";
import { myExports } from "../server/exports/jobs";
import { DEFAULT_POPULATION, queueSimulationTx, runQueuedSimulations, simulationRun, STALE_MS } from "../server/simulator";
import { simulate } from "../server/simulator/run";
import { freshDatabase } from "./helpers/db";

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

const HOUR = 3_600_000;

describe("a job whose worker died", () => {
  const runningSince = (startedAt: Date, attempts: number) =>
    database.prisma.simulationRun.create({
      data: { staffId: 1, name: "x", population: { ...DEFAULT_POPULATION, members: 10 } as object, configs: [parseConfig({})] as object[], status: "RUNNING", attempts, progress: 420, startedAt, createdAt: startedAt },
    });

  it("fails once its last attempt is stale, and the merchant is told; a live one or one with an attempt left is not failed", async () => {
    const now = new Date();
    const dead = await runningSince(new Date(now.getTime() - 2 * HOUR), 2);
    const live = await runningSince(new Date(now.getTime() - 60_000), 2);
    expect(await runQueuedSimulations(database.prisma, now, 5)).toBe(0);
    expect(await simulationRun(database.prisma, dead.id)).toMatchObject({ status: "FAILED", error: "模拟多次中断未能完成，请减少会员数、天数或复购次数后重试" });
    expect((await simulationRun(database.prisma, live.id))!.status).toBe("RUNNING");
    // A dead run with an attempt left is taken again, as before.
    const retry = await runningSince(new Date(now.getTime() - 2 * HOUR), 1);
    expect(await claimJob(database.prisma, "SimulationRun", { now, staleMs: STALE_MS, maxAttempts: 2 })).toEqual({ id: retry.id, attempt: 2 });
    expect(await database.prisma.simulationRun.findUniqueOrThrow({ where: { id: retry.id } })).toMatchObject({ status: "RUNNING", attempts: 2, progress: 0 });
  });

  it("fails for export jobs too, which otherwise keep their retries", async () => {
    const staff = await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "operator", passwordHash: "x", createdAt: new Date() } });
    const now = new Date();
    const job = (attempts: number) =>
      database.prisma.exportJob.create({ data: { staffId: staff.id, kind: "orders", params: {}, fileName: "o.csv", status: "RUNNING", attempts, startedAt: new Date(now.getTime() - 2 * HOUR), createdAt: now } });
    const dead = await job(3);
    const retry = await job(1);
    expect(await claimJob(database.prisma, "ExportJob", { now, staleMs: 30 * 60_000, maxAttempts: 3 })).toEqual({ id: retry.id, attempt: 2 });
    const mine = await myExports(database.prisma, { staffId: staff.id, role: "operator" });
    expect(mine.find((j) => j.id === dead.id)).toMatchObject({ status: "FAILED", error: "导出失败，请重试" });
    expect(mine.find((j) => j.id === retry.id)).toMatchObject({ status: "RUNNING" });
  });
});

const small = { ...DEFAULT_POPULATION, members: 10, horizonDays: 7 };
const queued = () => queueSimulationTx(database.prisma, { staffId: 1, requestId: null }, { name: "x", population: small }, new Date());

/** The database as one worker sees it: `onUpdate` runs around each of its writes to a run (never its claim, which is raw SQL). */
function workerDb(onUpdate: (operation: string, write: () => Promise<unknown>) => Promise<unknown>): Db {
  return database.prisma.$extends({
    query: { simulationRun: { $allOperations: ({ operation, args, query }) => (operation.startsWith("update") ? onUpdate(operation, () => query(args)) : query(args)) } },
  }) as unknown as Db;
}

describe("a live run", () => {
  it("beats on its claim's clock: on a clock days ahead of the real one (the e2e test clock), a claimer on that clock does not take it", async () => {
    const { id } = await queued();
    const claimedAt = new Date(Date.now() + 30 * 24 * HOUR);
    let other: unknown = "not looked";
    const worker = workerDb(async (_, write) => {
      const out = await write();
      // Right after the worker's first heartbeat, another worker on the same clock looks for work.
      if (other === "not looked") other = await claimJob(database.prisma, "SimulationRun", { now: claimedAt, staleMs: STALE_MS, maxAttempts: 2 });
      return out;
    });
    expect(await runQueuedSimulations(worker, claimedAt)).toBe(1);
    expect(other).toBeNull();
    const row = await database.prisma.simulationRun.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "DONE", attempts: 1, progress: 1000 });
    // Its last heartbeat and its finish are on the claim's clock, moved on by the run's few seconds.
    expect(row.startedAt!.getTime()).toBeGreaterThanOrEqual(claimedAt.getTime());
    expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt!.getTime());
    expect(row.finishedAt!.getTime()).toBeLessThan(claimedAt.getTime() + HOUR);
  }, 300_000);
});

describe("a run whose worker stalled past the stale window and lost it to another", () => {
  it("changes nothing once its worker resumes, which stops: the run is finished once, by the other", async () => {
    const { id } = await queued();
    const claimedAt = new Date();
    const otherAt = new Date(claimedAt.getTime() + STALE_MS + 60_000);
    const writes: string[] = [];
    let other: number | null = null;
    // A's first write after its claim waits: A is suspended past the window, B finds the run stale, takes it and finishes it.
    const a = workerDb(async (operation, write) => {
      writes.push(operation);
      if (other === null) {
        other = -1;
        other = await runQueuedSimulations(database.prisma, otherAt);
      }
      return write();
    });
    expect(await runQueuedSimulations(a, claimedAt)).toBe(1);
    expect(other).toBe(1);
    // A's one write found the run lost and A stopped: no progress, no result, no failure of its own.
    expect(writes).toEqual(["updateMany"]);
    const row = await database.prisma.simulationRun.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "DONE", attempts: 2, progress: 1000, error: null });
    // B's finish, on B's clock (A's would be on its own, a window earlier).
    expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(otherAt.getTime());
  }, 300_000);
});

describe("a run whose progress report fails (its worker lost the run)", () => {
  it("ends at once: its replay is stopped, not waited for", async () => {
    // The default population: some 4 600 events, half a minute of replay after its first report.
    const lost = new Error("lost");
    let reportedAt = 0;
    const reports = simulate(DEFAULT_POPULATION, [parseConfig({})], () => {
      reportedAt ||= Date.now();
      throw lost;
    });
    await expect(reports).rejects.toBe(lost);
    expect(Date.now() - reportedAt).toBeLessThan(5_000);
  }, 300_000);
});
