// Failed Inngest functions on staff's failed-jobs list (server/scheduler/failed.ts, merchantJobs), and no monthly bonus
// period lost on Inngest. A function whose run or step failed (heartbeat `inngest:<id>`) is counted and listed, by its id
// and when it failed, until a run of it succeeds; a scheduled one can be run at once (its retry event, through the outbox),
// one run per event cannot. A bonus period whose step failed is taken again by the next firing, after a later period
// completed, and paid once. @inngest/test models no retries: a step whose retries are exhausted is modelled as the SDK
// then behaves, its step.run rejecting with a StepError (as inngest/failures.test.ts does).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import type { Database } from "@/server/db";
import { parseConfig } from "@/server/config/schema";
import { INNGEST_CRONS, inngestRetryEvent } from "@/server/scheduler/failed";
import { MERCHANT_SCHEDULES, owedMerchantRuns } from "@/server/scheduler/merchant-time";
import { createFunctions, inngestHeartbeat } from "@/inngest/functions";
import { freshDatabase } from "./helpers/db";
import { completedOrder, failing, fire, seedTeaShop } from "./helpers/inngest";
import { domainRefusal, signedInStaff } from "./helpers/caller";

let database: Database;
let fns: ReturnType<typeof createFunctions>;
const config = parseConfig({ tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }], stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });

beforeEach(async () => {
  database = await freshDatabase();
  fns = createFunctions({ db: async () => database.prisma });
  await seedTeaShop(database.prisma, config);
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

const done = (key: string, at: string) => database.prisma.jobCursor.create({ data: { key, startedAt: new Date(at), updatedAt: new Date(at), doneAt: new Date(at) } });

const MARCH_1 = "2026-02-28T16:00:00Z"; // 1 March 00:00 in Asia/Shanghai, the rules' zone
const MARCH_1_01H = "2026-02-28T17:00:00Z";
const MARCH_1_02H = "2026-02-28T18:00:00Z";

describe("a monthly bonus period that failed on Inngest", () => {
  for (const [name, fn, stepId, bonus] of [
    ["team_bonus", () => fns.monthlyTeamBonus, "pay-team-bonus", () => database.prisma.teamBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })],
    ["step_bonus", () => fns.monthlyStepBonus, "pay-step-bonus", () => database.prisma.stepBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })],
  ] as const) {
    it(`${name}: is taken again by the next firing after a later period completed, paid once, and then leaves staff's list`, async () => {
      const { sponsor } = await completedOrder(database.prisma, config, new Date("2026-01-05T02:00:00Z")); // completed 12 January
      await done(`${name}:2025-12`, "2025-12-31T16:00:00Z"); // January's run (paying December) complete
      const finance = (await signedInStaff(database.prisma, "finance")).caller;

      // 1 March: February's run (paying January) fails after its retries; March's (paying February, no sales) completes.
      expect(await fire(fn(), MARCH_1, failing(`${stepId}-${name}:2026-01`))).toEqual({ [`${name}:2026-01`]: { failed: true }, [`${name}:2026-02`]: { paid: 0 } });
      expect(await bonus()).toEqual([]);
      const functionId = fn().opts.id;
      expect(await finance.merchantJobs.failedCount()).toMatchObject({ total: 1 });
      expect(await finance.merchantJobs.failedList({ limit: 50 })).toEqual([
        { type: "inngestFunction", functionId, lastError: "TypeError", failedAt: expect.any(Date), retryable: true },
      ]);

      // The next firing takes February's run again, though March's is complete: January's 100 元 earns 2% team bonus, 5% stepped.
      expect(await fire(fn(), MARCH_1_01H)).toEqual({ [`${name}:2026-01`]: { paid: 1 } });
      expect(await bonus()).toEqual([{ memberId: sponsor.id, month: "2026-01", amountFen: name === "team_bonus" ? 200 : 500 }]);
      // The run that paid it was whole: the function leaves the list.
      expect(await finance.merchantJobs.failedCount()).toMatchObject({ total: 0 });
      expect(await finance.merchantJobs.failedList({ limit: 50 })).toEqual([]);

      // Never twice: later firings find nothing owed, and the member's wallet got the bonus once.
      expect(await fire(fn(), MARCH_1_02H)).toEqual({ skipped: true });
      expect(await bonus()).toHaveLength(1);
      expect(await database.prisma.ledgerTxn.count({ where: { kind: name } })).toBe(1);
      const credited = await database.prisma.ledgerEntry.aggregate({ where: { memberId: sponsor.id, txn: { kind: name } }, _sum: { amountFen: true } });
      expect(credited._sum.amountFen).toBe(name === "team_bonus" ? 200 : 500);
    });
  }

  it("is owed only within the lookback (12 months), and a period never begun before the newest complete one is not guessed at", async () => {
    const db = database.prisma;
    const begun = (key: string) => db.jobCursor.create({ data: { key, startedAt: new Date(MARCH_1), updatedAt: new Date(MARCH_1) } });
    await done("team_bonus:2026-01", MARCH_1); // February's run complete
    await begun("team_bonus:2025-11"); // December 2025's run begun, not complete: owed
    await begun("team_bonus:2025-01"); // February 2025's run: 13 months back, out of the lookback
    // Nothing of January 2026's run (paying December), nor of October's: never begun.
    const owed = await owedMerchantRuns(db, MERCHANT_SCHEDULES.TEAM_BONUS, new Date(MARCH_1_01H), "Asia/Shanghai");
    // December 2025's run (1 December, paying November), then March's own (paying February).
    expect(owed).toEqual([new Date("2025-11-30T16:00:00Z"), new Date(MARCH_1)]);
  });
});

describe("failed Inngest functions on the failed-jobs list", () => {
  it("every scheduled function can be run at once by its retry event; none run per event can", () => {
    const all = Object.values(fns);
    const scheduled = all.filter((f) => f.opts.triggers?.some((t) => "cron" in t)).map((f) => f.opts.id);
    expect([...scheduled].sort()).toEqual([...INNGEST_CRONS].sort());
    for (const f of all) {
      const events = f.opts.triggers?.flatMap((t) => ("event" in t && t.event ? [t.event] : [])) ?? [];
      expect(events.filter((e) => e.startsWith("job/retry."))).toEqual((INNGEST_CRONS as readonly string[]).includes(f.opts.id) ? [`job/retry.${f.opts.id}`] : []);
    }
  });

  it("a failed scheduled function: staff run it at once (one event, audited); the run that succeeds takes it off the list", async () => {
    const db = database.prisma;
    const finance = (await signedInStaff(db, "finance")).caller;
    // Not failed: nothing to run.
    expect(await domainRefusal(finance.merchantJobs.retry({ type: "inngestFunction", functionId: "sweep-due-transitions" }))).toBe("NOT_FAILED");
    const failed = await fire(fns.sweepDue, "2026-03-01T00:00:00Z", failing("pay-approved-withdrawals"));
    expect(failed).toMatchObject({ payouts: null });
    expect(await finance.merchantJobs.failedList({ limit: 50 })).toEqual([
      { type: "inngestFunction", functionId: "sweep-due-transitions", lastError: "TypeError", failedAt: expect.any(Date), retryable: true },
    ]);

    expect(await finance.merchantJobs.retry({ type: "inngestFunction", functionId: "sweep-due-transitions" })).toEqual({ retried: true });
    const events = await db.outboxEvent.findMany({ where: { name: inngestRetryEvent("sweep-due-transitions") } });
    expect(events.map((e) => e.data)).toEqual([{ functionId: "sweep-due-transitions" }]);
    expect(await db.auditLog.count({ where: { action: "job.retried", target: "inngestFunction:sweep-due-transitions" } })).toBe(1);
    // Still listed until the run succeeds.
    expect(await finance.merchantJobs.failedCount()).toMatchObject({ total: 1 });

    // Inngest runs the sweep on that event: every duty succeeds, so the function's failure is over.
    expect(await fire(fns.sweepDue, "2026-03-01T00:01:00Z", undefined, inngestRetryEvent("sweep-due-transitions"))).toEqual({ ran: 0, payouts: 0 });
    expect(await finance.merchantJobs.failedList({ limit: 50 })).toEqual([]);
    expect(await db.jobHeartbeat.findUniqueOrThrow({ where: { name: inngestHeartbeat("sweep-due-transitions") } })).toMatchObject({ lastError: null, lastOkAt: expect.any(Date) });
    expect(await domainRefusal(finance.merchantJobs.retry({ type: "inngestFunction", functionId: "sweep-due-transitions" }))).toBe("NOT_FAILED");
  });

  it("a sweep with a failed duty does not take the function off the list", async () => {
    const finance = (await signedInStaff(database.prisma, "finance")).caller;
    await fire(fns.sweepDue, "2026-03-01T00:00:00Z", failing("pay-approved-withdrawals"));
    await fire(fns.sweepDue, "2026-03-01T00:05:00Z", failing("fold-kpi-facts"));
    expect(await finance.merchantJobs.failedCount()).toMatchObject({ total: 1 });
    await fire(fns.sweepDue, "2026-03-01T00:10:00Z");
    expect(await finance.merchantJobs.failedCount()).toMatchObject({ total: 0 });
  });

  it("a failed function run per event is listed without a retry, refused if asked, and leaves the list once a run of it succeeds", async () => {
    const db = database.prisma;
    const { order } = await completedOrder(database.prisma, config, new Date("2026-03-01T02:00:00Z"));
    const finance = (await signedInStaff(db, "finance")).caller;
    const onFailure = fns.orderPaid.opts.onFailure as unknown as (ctx: { error: Error; step: { run: (id: string, fn: () => unknown) => unknown } }) => Promise<unknown>;
    await onFailure({ error: new TypeError("boom"), step: { run: async (_id, fn) => fn() } });
    expect(await finance.merchantJobs.failedList({ limit: 50 })).toEqual([
      { type: "inngestFunction", functionId: "order-paid", lastError: "TypeError", failedAt: expect.any(Date), retryable: false },
    ]);
    expect(await domainRefusal(finance.merchantJobs.retry({ type: "inngestFunction", functionId: "order-paid" }))).toBe("NOT_RETRYABLE");
    expect(await db.outboxEvent.count({ where: { name: { startsWith: "job/retry." } } })).toBe(0);

    const r = await new InngestTestEngine({ function: fns.orderPaid, events: [{ name: "order/paid", data: { orderId: order.id } }] }).execute();
    expect(r.result).toBe("ok");
    expect(await finance.merchantJobs.failedCount()).toMatchObject({ total: 0 });
  });
});
