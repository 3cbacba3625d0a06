// A dead-lettered recurring row (nightly tier review, monthly bonuses) waits for staff, but does not hold the later
// periods back: the next period is scheduled and runs, and the dead one, retried even after a later period ran, is
// still run for its own instant (SPEC §7, §9).
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { countFailedJobs, retryFailedJob } from "../server/scheduler/failed";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }], teamBonusBps: 200, stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

/** One tick of the in-process scheduler at `now`: recurring rows, then the due ones. */
async function tick(now: Date) {
  await inTx(database.prisma, { config, now }, (ctx) => ensureRecurringTransitions(ctx));
  await runDueTransitions(database.prisma, now, { config, clock: "wall", now });
}

it("after the 2 March review is dead-lettered, every later night is still reviewed", async () => {
  const db = database.prisma;
  const due = new Date("2026-03-02T00:00:00+08:00");
  const died = new Date("2026-03-02T01:05:00+08:00");
  await db.dueTransition.create({ data: { kind: "TIER_REVIEW", refId: 0, dueAt: due, createdAt: due, attempts: 8, deadAt: died, lastError: "x" } });
  await tick(new Date("2026-03-02T01:10:00+08:00"));
  // 3 to 12 March, a minute past midnight each: that night's review runs.
  for (let day = 3; day <= 12; day++) await tick(new Date(`2026-03-${String(day).padStart(2, "0")}T00:01:00+08:00`));
  const cursors = await db.jobCursor.findMany({ where: { key: { startsWith: "tier_review:" }, doneAt: { not: null } }, orderBy: { key: "asc" }, select: { key: true } });
  expect(cursors.map((c) => c.key)).toEqual(Array.from({ length: 10 }, (_, i) => `tier_review:2026-03-${String(i + 3).padStart(2, "0")}`));
  // Only 13 March's row is pending; the dead one still waits for staff.
  const pending = await db.dueTransition.findMany({ where: { kind: "TIER_REVIEW", doneAt: null, deadAt: null } });
  expect(pending.map((p) => p.dueAt.toISOString())).toEqual(["2026-03-12T16:00:00.000Z"]);
  expect(await countFailedJobs(db)).toMatchObject({ transitions: 1 });
});

it("after February's bonus run is dead-lettered, March's pays February, and February's, retried later, still pays January", async () => {
  const db = database.prisma;
  const started = new Date("2026-01-02T09:00:00+08:00");
  const sponsor = await inTx(db, { config, now: started }, (ctx) => registerMember(ctx, { username: "sponsor", ip: "1", device: "a" }));
  await db.member.update({ where: { id: sponsor.id }, data: { qualifiedDirects: 1, tier: "partner" } });
  // Direct sales completed in January and February: 100 and 200 元.
  for (const [i, month] of ["01", "02"].entries()) {
    await db.gmvCredit.create({ data: { memberId: sponsor.id, orderId: i + 1, depth: 1, amountFen: 10_000 * (i + 1), completedAt: new Date(`2026-${month}-10T12:00:00+08:00`) } });
  }
  const feb1 = new Date("2026-02-01T00:00:00+08:00");
  const died = new Date("2026-02-01T01:05:00+08:00");
  for (const kind of ["TEAM_BONUS", "STEP_BONUS"] as const) {
    await db.dueTransition.create({ data: { kind, refId: 0, dueAt: feb1, createdAt: feb1, attempts: 8, deadAt: died, lastError: "x" } });
  }
  await tick(new Date("2026-02-01T01:10:00+08:00"));
  await tick(new Date("2026-03-01T00:05:00+08:00"));
  // March's run pays February's sales: 2% team bonus, 5% stepped bonus of 200 元.
  const paid = async () => ({
    team: await db.teamBonus.findMany({ orderBy: { month: "asc" }, select: { month: true, amountFen: true } }),
    step: await db.stepBonus.findMany({ orderBy: { month: "asc" }, select: { month: true, amountFen: true } }),
  });
  expect(await paid()).toEqual({ team: [{ month: "2026-02", amountFen: 400 }], step: [{ month: "2026-02", amountFen: 1_000 }] });

  // Staff retry the dead runs after March's: they pay January (100 元) as of 1 February.
  const staff = await db.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "owner", passwordHash: "x", createdAt: started } });
  const retryAt = new Date("2026-03-02T10:00:00+08:00");
  for (const row of await db.dueTransition.findMany({ where: { deadAt: { not: null } } })) {
    await inTx(db, { config, now: retryAt }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "transition", id: row.id }));
  }
  await tick(retryAt);
  expect(await paid()).toEqual({ team: [{ month: "2026-01", amountFen: 200 }, { month: "2026-02", amountFen: 400 }], step: [{ month: "2026-01", amountFen: 500 }, { month: "2026-02", amountFen: 1_000 }] });
  expect(await db.dueTransition.count({ where: { dueAt: feb1, doneAt: null } })).toBe(0);
});
