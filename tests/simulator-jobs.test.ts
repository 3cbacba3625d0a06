// What-if simulator runs in the background (issue 11): a run whose worker died on its last attempt fails
// (its page stops waiting) instead of staying RUNNING forever, export jobs alike (the shared claimJob);
// a live run refreshes its heartbeat with its progress, so it is not taken again while it progresses.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { parseConfig } from "../server/config/schema";
import { claimJob } from "../server/jobs/claim";
import { myExports } from "../server/exports/jobs";
import { DEFAULT_POPULATION, queueSimulationTx, runQueuedSimulations, simulationRun, STALE_MS } from "../server/simulator";
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
    expect(await claimJob(database.prisma, "SimulationRun", { now, staleMs: STALE_MS, maxAttempts: 2 })).toBe(retry.id);
    expect(await database.prisma.simulationRun.findUniqueOrThrow({ where: { id: retry.id } })).toMatchObject({ status: "RUNNING", attempts: 2, progress: 0 });
  });

  it("fails for export jobs too, which otherwise keep their retries", async () => {
    const staff = await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "operator", passwordHash: "x", createdAt: new Date() } });
    const now = new Date();
    const job = (attempts: number) =>
      database.prisma.exportJob.create({ data: { staffId: staff.id, kind: "orders", params: {}, fileName: "o.csv", status: "RUNNING", attempts, startedAt: new Date(now.getTime() - 2 * HOUR), createdAt: now } });
    const dead = await job(3);
    const retry = await job(1);
    expect(await claimJob(database.prisma, "ExportJob", { now, staleMs: 30 * 60_000, maxAttempts: 3 })).toBe(retry.id);
    const mine = await myExports(database.prisma, { staffId: staff.id, role: "operator" });
    expect(mine.find((j) => j.id === dead.id)).toMatchObject({ status: "FAILED", error: "导出失败，请重试" });
    expect(mine.find((j) => j.id === retry.id)).toMatchObject({ status: "RUNNING" });
  });
});

describe("a live run", () => {
  it("refreshes its heartbeat with its progress: a claim long ago no longer makes it look dead", async () => {
    const { id } = await queueSimulationTx(database.prisma, { staffId: 1, requestId: null }, { name: "x", population: { ...DEFAULT_POPULATION, members: 10, horizonDays: 7 } }, new Date());
    const before = Date.now();
    // Claimed two hours ago (the claim's clock), it then progresses now.
    expect(await runQueuedSimulations(database.prisma, new Date(before - 2 * HOUR))).toBe(1);
    const row = await database.prisma.simulationRun.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "DONE", attempts: 1 });
    // Its last progress write was now: a claimer would wait STALE_MS from there.
    expect(row.startedAt!.getTime()).toBeGreaterThanOrEqual(before);
  }, 300_000);
});
