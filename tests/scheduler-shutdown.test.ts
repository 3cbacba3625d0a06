// Graceful shutdown (instrumentation.ts on SIGTERM/SIGINT): the in-process scheduler's stop() waits for the sweep
// in flight and no sweep starts afterwards; the shutdown writes the queued share-link visits before it closes the
// database, and gives up after its bound.
import { afterEach, describe, expect, it, vi } from "vitest";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { VisitBuffer } from "../server/referral/visit-buffer";
import { shutDown, startInProcessScheduler } from "../server/scheduler/in-process";
import { freshDatabase } from "./helpers/db";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => vi.restoreAllMocks());

describe("the in-process scheduler's stop()", () => {
  it("resolves only once the sweep in flight has finished, and no sweep starts after it", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((m: unknown) => void errors.push(String(m)));
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let sweeps = 0;
    // Each sweep opens the database first: here a sweep that waits for the test, then fails.
    const getDb = async () => {
      sweeps += 1;
      await slow;
      throw new Error("no database in this test");
    };
    const scheduler = startInProcessScheduler(getDb, 100);
    expect(sweeps).toBe(1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    // Three periods of the timer later: still waiting for the sweep, and no other one started.
    await sleep(350);
    expect(stopped).toBe(false);
    expect(sweeps).toBe(1);
    release();
    await stopping;
    expect(errors).toEqual(["[scheduler] sweep failed: Error"]);
    // Neither the timer nor a tick() starts a sweep after stop().
    await scheduler.tick();
    await sleep(250);
    expect(sweeps).toBe(1);
  });
});

describe("shutDown", () => {
  const g = globalThis as unknown as { __fmVisits?: unknown; __fmDb?: unknown };
  const kept = { visits: g.__fmVisits, db: g.__fmDb };
  afterEach(() => {
    g.__fmVisits = kept.visits;
    g.__fmDb = kept.db;
  });

  it("stops the jobs, then writes the queued visits, then closes the database", async () => {
    const database = await freshDatabase();
    try {
      const db = database.prisma;
      const sharer = await inTx(db, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "sharer" }));
      const order: string[] = [];
      // A visit queued a moment before the signal: its batch is due in a minute, after the process is gone.
      const visits = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 1000 });
      visits.add({ code: sharer.referralCode, visitorId: "v1", at: new Date() });
      g.__fmVisits = visits;
      g.__fmDb = Promise.resolve({
        close: async () => void order.push(`database closed with ${await db.referralVisit.count()} visit(s) written`),
      });
      const outcome = await shutDown(async () => void order.push("jobs stopped"));
      expect(outcome).toBe("done");
      expect(order).toEqual(["jobs stopped", "database closed with 1 visit(s) written"]);
    } finally {
      await database.close();
    }
  });

  it("gives up after its bound when the jobs do not stop, leaving the database open", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    let closed = false;
    g.__fmVisits = undefined;
    g.__fmDb = Promise.resolve({ close: async () => void (closed = true) });
    const outcome = await shutDown(() => new Promise<void>(() => {}), 50);
    expect(outcome).toBe("timeout");
    expect(closed).toBe(false);
  });
});
