// A shop that goes back from Inngest to the in-process scheduler: Inngest's failures would stay on staff's failed-jobs
// list for ever (no run of those functions clears them here, and 立即运行 would queue an event nothing handles), so the
// in-process scheduler retires them; its own failures are dead-lettered rows, listed as before.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../server/db";
import { countFailedJobs, listFailedJobs } from "../server/scheduler/failed";
import { recordHeartbeat } from "../server/scheduler/heartbeat";
import { startInProcessScheduler } from "../server/scheduler/in-process";
import { freshDatabase } from "./helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

it("the in-process scheduler's sweep takes failed Inngest functions off the list, and leaves its own heartbeats alone", async () => {
  const db = database.prisma;
  const failedAt = new Date("2026-12-01T00:05:00Z");
  await recordHeartbeat(db, "inngest:monthly-team-bonus", failedAt, { ok: false, error: new TypeError("x") });
  await recordHeartbeat(db, "other-duty", failedAt, { ok: false, error: new TypeError("y") });
  expect((await countFailedJobs(db)).total).toBe(1);
  expect((await listFailedJobs(db)).map((j) => j.type)).toEqual(["inngestFunction"]);

  const scheduler = startInProcessScheduler(async () => db, 3_600_000);
  scheduler.stop();
  await scheduler.tick();

  expect((await countFailedJobs(db)).total).toBe(0);
  expect(await listFailedJobs(db)).toEqual([]);
  // Not an Inngest function's: another status row keeps its failure.
  expect((await db.jobHeartbeat.findUniqueOrThrow({ where: { name: "other-duty" } })).lastError).toBe("TypeError");
});
