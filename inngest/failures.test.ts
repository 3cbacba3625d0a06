// Failures on the Inngest path reach staff and hold nothing else back (as in-process): a merchant-time period whose step
// failed after its retries is passed over for the later ones (and taken again at the next firing), a sweep duty that
// failed never stops the others, a function that failed records a heartbeat failure, each with one [alert] line of ids
// only. @inngest/test models no retries (a mocked step that throws just resolves): a step whose retries are exhausted is
// modelled as the SDK then behaves, its step.run rejecting with a StepError into the handler.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/server/db";
import { parseConfig } from "@/server/config/schema";
import { freshPglite } from "@/tests/helpers/db";
import { completedOrder, failing, fire, seedTeaShop } from "@/tests/helpers/inngest";
import { createFunctions, inngestHeartbeat, WAKEUP_CONCURRENCY } from "./functions";

let database: Database;
let fns: ReturnType<typeof createFunctions>;
let errors: string[];
const config = parseConfig({ tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }] });
// A message with personal data: it must never reach the log.
const PERSONAL = "member 13800138000 张三";

beforeEach(async () => {
  database = await freshPglite();
  fns = createFunctions({ db: async () => database.prisma });
  await seedTeaShop(database.prisma, config);
  errors = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

/** January's run (1 January, paying December) complete: the newest complete one. */
const januaryDone = () => database.prisma.jobCursor.create({ data: { key: "team_bonus:2025-12", startedAt: new Date("2025-12-31T16:00:00Z"), updatedAt: new Date("2025-12-31T16:00:00Z"), doneAt: new Date("2025-12-31T16:00:00Z") } });

const APRIL_1 = "2026-03-31T16:00:00Z"; // 1 April 00:00 in Asia/Shanghai, the rules' zone

describe("merchant-time periods on Inngest", () => {
  it("a period whose step failed after its retries is alerted once and passed over: the later periods run, oldest first", async () => {
    const { sponsor } = await completedOrder(database.prisma, config, new Date("2026-02-05T02:00:00Z")); // completed 12 February
    await januaryDone();
    // February's run (paying January) fails; March's pays February's sale, April's pays March (no sales).
    const result = await fire(fns.monthlyTeamBonus, APRIL_1, failing("pay-team-bonus-team_bonus:2026-01", PERSONAL));
    expect(result).toEqual({ "team_bonus:2026-01": { failed: true }, "team_bonus:2026-02": { paid: 1 }, "team_bonus:2026-03": { paid: 0 } });
    expect(Object.keys(result as object)).toEqual(["team_bonus:2026-01", "team_bonus:2026-02", "team_bonus:2026-03"]);
    // SPEC §7: 2% of February's 100 元.
    expect(await database.prisma.teamBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: sponsor.id, month: "2026-02", amountFen: 200 }]);
    expect(errors).toEqual(["[alert] inngest function monthly-team-bonus step pay-team-bonus-team_bonus:2026-01 failed (TypeError)"]);
    expect(await database.prisma.jobHeartbeat.findUnique({ where: { name: inngestHeartbeat("monthly-team-bonus") } })).toMatchObject({ lastError: "TypeError", lastOkAt: null });
    // Its run is marked begun, so the next firing takes February again though April's run is complete (January: no sales).
    expect(await database.prisma.jobCursor.findUnique({ where: { key: "team_bonus:2026-01" } })).toMatchObject({ doneAt: null });
    expect(await fire(fns.monthlyTeamBonus, "2026-03-31T17:00:00Z")).toEqual({ "team_bonus:2026-01": { paid: 0 } });
    expect(await fire(fns.monthlyTeamBonus, "2026-03-31T18:00:00Z")).toEqual({ skipped: true });
  });

  it("a period that must wait for an earlier completion ends the run: no later month is paid before it", async () => {
    await completedOrder(database.prisma, config, new Date("2026-02-05T02:00:00Z"));
    await januaryDone();
    // A completion due 31 January still backing off: February's run (January's sales) waits for it, and so do the later months.
    const due = new Date("2026-01-31T23:59:50+08:00");
    await database.prisma.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: due, createdAt: due, attempts: 1, nextAttemptAt: new Date("2026-04-01T00:05:00+08:00") } });
    expect(await fire(fns.monthlyTeamBonus, APRIL_1)).toEqual({ "team_bonus:2026-01": { waiting: true } });
    expect(await database.prisma.jobCursor.count({ where: { key: { startsWith: "team_bonus:" } } })).toBe(1);
    expect(await database.prisma.teamBonus.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe("sweep-due-transitions", () => {
  it("a duty that failed after its retries is alerted and the duties after it still run", async () => {
    await completedOrder(database.prisma, config, new Date("2020-01-01T02:00:00Z")); // long past: its settlement is due now
    expect(await database.prisma.kpiFact.count()).toBeGreaterThan(0);
    const result = await fire(fns.sweepDue, "2026-03-01T00:00:00Z", failing("pay-approved-withdrawals", PERSONAL));
    expect(result).toMatchObject({ payouts: null });
    expect((result as { ran: number }).ran).toBeGreaterThan(0);
    // fold-kpi-facts comes after the failed duty: it folded the facts all the same.
    expect(await database.prisma.kpiFact.count()).toBe(0);
    expect(errors).toEqual(["[alert] inngest function sweep-due-transitions step pay-approved-withdrawals failed (TypeError)"]);
    expect(await database.prisma.jobHeartbeat.findUnique({ where: { name: inngestHeartbeat("sweep-due-transitions") } })).toMatchObject({ lastError: "TypeError" });
  });

  it("one sweep at a time, and at most WAKEUP_CONCURRENCY wake-ups performing at once", () => {
    expect(fns.sweepDue.opts.concurrency).toEqual({ limit: 1 });
    expect(WAKEUP_CONCURRENCY).toBe(10);
    expect(fns.transitionWakeup.opts.concurrency).toEqual({ limit: 10 });
  });
});

describe("onFailure", () => {
  it("every function has it: a failed run logs one [alert] of ids only and records a heartbeat failure for staff", async () => {
    const all = Object.values(fns);
    expect(all.filter((f) => typeof f.opts.onFailure !== "function").map((f) => f.opts.id)).toEqual([]);
    const ran: string[] = [];
    const step = { run: async (id: string, fn: () => unknown) => (ran.push(id), fn()) };
    for (const f of all) {
      errors.length = 0;
      const onFailure = f.opts.onFailure as unknown as (ctx: { error: Error; step: typeof step }) => Promise<unknown>;
      await onFailure({ error: new TypeError(PERSONAL), step });
      expect(errors).toEqual([`[alert] inngest function ${f.opts.id} failed (TypeError)`]);
      expect(await database.prisma.jobHeartbeat.findUnique({ where: { name: inngestHeartbeat(f.opts.id) } })).toMatchObject({ lastError: "TypeError" });
    }
    // One memoised step each: a retried failure handler does not alert twice.
    expect(ran).toEqual(all.map(() => "record-failure"));
  });
});
