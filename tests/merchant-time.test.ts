// Merchant-time runs (SPEC §7, §9): which local day's or month's run is due — the current one once, or one whose
// first hour was missed — decided by one function that the Inngest crons (inngest/functions.test.ts) and the
// in-process scheduler both call; a run caught up late still pays the month it was due for.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { dueMerchantRun, duePeriodStart, MERCHANT_SCHEDULES, recentPeriodStarts } from "../server/scheduler/merchant-time";
import { freshDatabase } from "./helpers/db";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe("recentPeriodStarts", () => {
  it("walks back month by month in the merchant's zone, across a year end", () => {
    // 3 March 10:00 in Shanghai (UTC+8): March, February and January begin at 16:00Z the day before the 1st.
    expect(iso(recentPeriodStarts(new Date("2026-03-03T02:00:00Z"), "Asia/Shanghai", "month", 3))).toEqual([
      "2026-02-28T16:00:00.000Z",
      "2026-01-31T16:00:00.000Z",
      "2025-12-31T16:00:00.000Z",
    ]);
  });

  it("walks back day by day, in half-hour zones and over a skipped midnight", () => {
    // Kolkata (UTC+5:30): 2026-03-01T19:00Z is 2 March 00:30; 2 and 1 March begin at 18:30Z the day before.
    expect(iso(recentPeriodStarts(new Date("2026-03-01T19:00:00Z"), "Asia/Kolkata", "day", 2))).toEqual(["2026-03-01T18:30:00.000Z", "2026-02-28T18:30:00.000Z"]);
    // Santiago skips from 00:00 (UTC-4) to 01:00 (UTC-3) on 6 September 2026: that day begins at 04:00Z (01:00 local),
    // 5 September at its midnight, 04:00Z too (UTC-4).
    expect(iso(recentPeriodStarts(new Date("2026-09-06T05:00:00Z"), "America/Santiago", "day", 2))).toEqual(["2026-09-06T04:00:00.000Z", "2026-09-05T04:00:00.000Z"]);
  });
});

describe("duePeriodStart", () => {
  const [jul, jun, may] = [new Date("2026-07-01T00:00:00+08:00"), new Date("2026-06-01T00:00:00+08:00"), new Date("2026-05-01T00:00:00+08:00")];
  const due = (...done: Date[]) => duePeriodStart([jul, jun, may], (s) => done.some((d) => d.getTime() === s.getTime()));

  it("is nothing once the current period's run is complete", () => {
    expect(due(jul, jun, may)).toBeNull();
    expect(due(jul)).toBeNull();
  });

  it("is the current period when the one before is complete: a first firing late in the period still runs it", () => {
    expect(due(jun)).toEqual(jul);
    expect(due(jun, may)).toEqual(jul);
  });

  it("is the oldest period after the newest complete one: missed months are caught up in order", () => {
    expect(due(may)).toEqual(jun);
  });

  it("is the current period when none looked at is complete (a first run ever): nothing before it is guessed at", () => {
    expect(due()).toEqual(jul);
  });
});

describe("dueMerchantRun", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("reads completion from the runs' JobCursor rows: a run cut off mid-way is still due", async () => {
    const db = database.prisma;
    const now = new Date("2026-07-01T03:00:00+08:00");
    const cursor = (key: string, done: boolean) => db.jobCursor.create({ data: { key, startedAt: now, updatedAt: now, doneAt: done ? now : null } });
    // June's run (paying May) complete; July's (paying June) started but cut off.
    await cursor("team_bonus:2026-05", true);
    await cursor("team_bonus:2026-06", false);
    expect(await dueMerchantRun(db, MERCHANT_SCHEDULES.TEAM_BONUS, now, "Asia/Shanghai")).toEqual(new Date("2026-07-01T00:00:00+08:00"));
    // The stepped bonus keeps its own runs: June's is not complete for it.
    await cursor("step_bonus:2026-04", true);
    expect(await dueMerchantRun(db, MERCHANT_SCHEDULES.STEP_BONUS, now, "Asia/Shanghai")).toEqual(new Date("2026-06-01T00:00:00+08:00"));
    await db.jobCursor.update({ where: { key: "team_bonus:2026-06" }, data: { doneAt: now } });
    expect(await dueMerchantRun(db, MERCHANT_SCHEDULES.TEAM_BONUS, now, "Asia/Shanghai")).toBeNull();
  });
});

describe("the in-process scheduler", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("catches up every month whose 1st passed while it was down, each paid for its own month, then waits for the next", async () => {
    const db = database.prisma;
    const config = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }], teamBonusBps: 200, stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
    await db.mallConfig.create({ data: { data: config as object } });
    const started = new Date("2026-03-02T09:00:00+08:00");
    const sponsor = await inTx(db, { config, now: started }, (ctx) => registerMember(ctx, { username: "sponsor", ip: "1", device: "a" }));
    await db.member.update({ where: { id: sponsor.id }, data: { qualifiedDirects: 1, tier: "partner" } });
    // Direct sales completed in March, April and May: 100, 200 and 300 元.
    for (const [i, month] of ["03", "04", "05"].entries()) {
      await db.gmvCredit.create({ data: { memberId: sponsor.id, orderId: i + 1, depth: 1, amountFen: 10_000 * (i + 1), completedAt: new Date(`2026-${month}-10T12:00:00+08:00`) } });
    }
    await inTx(db, { config, now: started }, (ctx) => ensureRecurringTransitions(ctx));
    // Down from 2 March until 3 June 09:00: the 1 April, 1 May and 1 June runs were all missed.
    const back = new Date("2026-06-03T09:00:00+08:00");
    await runDueTransitions(db, back, { config, clock: "wall", now: back });
    // Each month at 2% (team) and 5% (stepped) of its own sales: the 1 April run pays March, 1 May April, 1 June May.
    const team = await db.teamBonus.findMany({ orderBy: { month: "asc" }, select: { month: true, amountFen: true } });
    expect(team).toEqual([{ month: "2026-03", amountFen: 200 }, { month: "2026-04", amountFen: 400 }, { month: "2026-05", amountFen: 600 }]);
    const step = await db.stepBonus.findMany({ orderBy: { month: "asc" }, select: { month: true, amountFen: true } });
    expect(step).toEqual([{ month: "2026-03", amountFen: 500 }, { month: "2026-04", amountFen: 1_000 }, { month: "2026-05", amountFen: 1_500 }]);
    // Then each job waits for its next period: 1 July for the bonuses, 4 June for the nightly review.
    const pending = await db.dueTransition.findMany({ where: { doneAt: null }, orderBy: { id: "asc" }, select: { kind: true, dueAt: true } });
    expect(pending.map((p) => [p.kind, p.dueAt.toISOString()]).sort()).toEqual([
      ["STEP_BONUS", "2026-06-30T16:00:00.000Z"],
      ["TEAM_BONUS", "2026-06-30T16:00:00.000Z"],
      ["TIER_REVIEW", "2026-06-03T16:00:00.000Z"],
    ]);
    expect(await runDueTransitions(db, back, { config, clock: "wall", now: back })).toBe(0);
  });
});
