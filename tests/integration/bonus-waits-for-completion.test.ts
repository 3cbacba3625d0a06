// A completion is dated when it fell due (the return window's end), so one due in November but still pending when
// the month closes (failing and backing off, or held by another sweeper) counts in November. The monthly bonuses
// (SPEC §7) therefore wait for every completion due before their instant: run first, they would have paid November
// without it, and December's run does not count it either.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { parseConfig } from "../../server/config/schema";
import { ensureRecurringTransitions, runDueTransitions, WAIT_FOR_EARLIER_MS } from "../../server/scheduler";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const config = parseConfig({});
let database: Database;
/** 1 December 00:00 in Shanghai: November's bonuses are due. */
const instant = new Date("2026-11-30T16:00:00Z");
const completionDue = new Date("2026-11-30T15:59:50Z");
/** Its first attempt failed: backing off until 10:00 in Shanghai. */
const retryAt = new Date("2026-12-01T02:00:00Z");

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

const row = (kind: "TEAM_BONUS" | "STEP_BONUS" | "ORDER_COMPLETE") =>
  database.prisma.dueTransition.findFirstOrThrow({ where: { kind, dueAt: kind === "ORDER_COMPLETE" ? completionDue : instant } });

it("November's team and step bonuses wait while a completion due in November backs off, and run right after it", async () => {
  const db = database.prisma;
  await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: completionDue, createdAt: completionDue, attempts: 1, nextAttemptAt: retryAt } });
  await db.dueTransition.create({ data: { kind: "TEAM_BONUS", refId: 0, dueAt: instant, createdAt: completionDue } });
  await db.dueTransition.create({ data: { kind: "STEP_BONUS", refId: 0, dueAt: instant, createdAt: completionDue } });

  // Five minutes past midnight: the completion is not takeable yet, so neither bonus runs; each waits for it.
  const sweep = new Date(instant.getTime() + 5 * 60_000);
  await runDueTransitions(db, sweep, { config });
  for (const kind of ["TEAM_BONUS", "STEP_BONUS"] as const) {
    expect(await row(kind)).toMatchObject({ doneAt: null, attempts: 0, nextAttemptAt: retryAt });
  }
  expect(await db.jobCursor.count()).toBe(0);

  // At the completion's retry it goes first (due earlier), then both bonuses.
  await runDueTransitions(db, retryAt, { config });
  expect((await row("ORDER_COMPLETE")).doneAt).not.toBeNull();
  expect((await row("TEAM_BONUS")).doneAt).not.toBeNull();
  expect((await row("STEP_BONUS")).doneAt).not.toBeNull();
});

it("with nothing earlier pending a bonus runs at once; a dead-lettered completion does not hold it", async () => {
  const db = database.prisma;
  await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: completionDue, createdAt: completionDue, attempts: 8, deadAt: completionDue } });
  await db.dueTransition.create({ data: { kind: "TEAM_BONUS", refId: 0, dueAt: instant, createdAt: completionDue } });
  await runDueTransitions(db, new Date(instant.getTime() + WAIT_FOR_EARLIER_MS / 2), { config });
  expect((await row("TEAM_BONUS")).doneAt).not.toBeNull();
});

it("an automatic delivery due in March, backing off past the month's end, is waited for: the completion it leads to is dated in March and counts in March's step bonus", async () => {
  const db = database.prisma;
  const stepConfig = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }], stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
  await db.mallConfig.updateMany({ data: { data: stepConfig as object } });
  await teaShop(db);
  const march2 = new Date("2026-03-02T09:00:00+08:00");
  await inTx(db, { now: march2 }, (ctx) => ensureRecurringTransitions(ctx));
  const s = await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "s", ip: "10.9.0.1", device: "d-s" }));
  const b = await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "b", sponsorId: s.id, ip: "10.9.0.2", device: "d-b" }));
  const order = await inTx(db, { now: march2 }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db, { now: march2 }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "t1", amountFen: order.payableFen, currency: "CNY" }));
  await inTx(db, { now: march2 }, (ctx) => shipOrder(ctx, order.id));
  // The automatic delivery (due 12 March) failed once and backs off until 01:00 on 1 April.
  await db.dueTransition.updateMany({ where: { kind: "ORDER_AUTO_DELIVER" }, data: { attempts: 1, nextAttemptAt: new Date("2026-04-01T01:00:00+08:00") } });

  const early = new Date("2026-04-01T00:05:00+08:00");
  await runDueTransitions(db, early, { clock: "wall", now: early });
  expect(await db.stepBonus.count()).toBe(0);
  expect(await db.dueTransition.count({ where: { kind: "STEP_BONUS", doneAt: { not: null } } })).toBe(0);

  const later = new Date("2026-04-01T02:00:00+08:00");
  await runDueTransitions(db, later, { clock: "wall", now: later });
  // Delivered 12 March (its due time), completed 19 March: s's March direct sales are the tea's goods amount.
  const o = await db.order.findUniqueOrThrow({ where: { id: order.id } });
  expect(o.status).toBe("COMPLETED");
  expect(o.completedAt).toEqual(new Date("2026-03-19T09:00:00+08:00"));
  const teaFen = o.goodsFen;
  expect(await db.stepBonus.findMany({ select: { memberId: true, amountFen: true } })).toEqual([{ memberId: s.id, amountFen: Math.floor((teaFen * 500) / 10000) }]);
});
