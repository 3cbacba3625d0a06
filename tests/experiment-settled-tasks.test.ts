// The cost per new paying member counts the tasks whose outcome can no longer change (server/experiments settledTaskSql),
// as the engine (server/rebate) decides them: an OPEN task past its deadline short of n can only expire, but one holding
// its n invitees (a hold stopped its MET, SPEC §8) becomes MET once advanced, and a MET task past its deadline still
// expires when an invitee's first order is refunded (SPEC §5): neither is settled until it is.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { DAY } from "../server/clock/time";
import { advanceRebateTask, removeInvitee } from "../server/rebate";
import { experimentReport, startExperimentTx } from "../server/experiments";
import { freshDatabase } from "./helpers/db";

const OWNER = { staffId: 1, requestId: "req-exp-settled" };
const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

it("past the deadline: OPEN short of n is settled; OPEN with n and MET are not, until the engine ends them", async () => {
  const db = database.prisma;
  const exp = await startExperimentTx(db, OWNER, { name: "邀 2 人", hypothesis: "", variantPercent: 50, variantRebate: { n: 2 } }, t0);
  const task = async (username: string, invitees: number) => {
    const m = await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username }));
    // Every task in group A (n = 3, ¥100 of cashback), opened on day 1, deadline day 31; rows written directly.
    const t = await db.rebateTask.create({
      data: { memberId: m.id, anchorOrderId: 900 + m.id, status: "OPEN", n: 3, percent: 100, payout: "cash", cashbackFen: 10_000, createdAt: at(1), deadline: at(31), experimentId: exp.id, variant: "A" },
    });
    const first = 10 * m.id;
    await db.rebateAssignment.createMany({ data: Array.from({ length: invitees }, (_, i) => ({ taskId: t.id, inviteeId: first + i, orderId: first + i, assignedAt: at(2) })) });
    return { id: t.id, firstInvitee: first };
  };
  const full = await task("held", 3);
  await task("short", 2);
  // Met in its window by the engine (its cashback accrued to pending).
  const met = await task("met", 3);
  await inTx(db, { now: at(2) }, (ctx) => advanceRebateTask(ctx, met.id));
  const a = async (days: number) => (await experimentReport(db, exp.id, at(days)))!.variants[0];

  // Day 32: only the task short of n is settled: 2 new paying members, no cashback, cost 0 (one member, the unit).
  expect(await a(32)).toMatchObject({ members: 3, newPaying: 8, settledNewPaying: 2, settledCashbackFen: 0, costPerNewPayingFen: 0, costSums: { units: 1, sumX: 0, sumY: 2 } });

  // The engine confirms neither was settled: the full one, advanced (no hold now), is MET; the MET one loses an invitee
  // to a refund and, its deadline past, is EXPIRED (then settled: 2 invitees left, no cashback).
  await inTx(db, { now: at(33) }, (ctx) => advanceRebateTask(ctx, full.id));
  await inTx(db, { now: at(33) }, (ctx) => removeInvitee(ctx, met.firstInvitee, "first order refunded"));
  expect((await db.rebateTask.findMany({ where: { id: { in: [full.id, met.id] } }, orderBy: { id: "asc" }, select: { status: true } })).map((t) => t.status)).toEqual(["MET", "EXPIRED"]);
  expect(await a(34)).toMatchObject({ settledNewPaying: 4, settledCashbackFen: 0, costSums: { units: 2, sumX: 0, sumY: 4 } });
});
