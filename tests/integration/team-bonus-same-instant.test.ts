// SPEC §7: on the 1st 00:00 each partner earns the team bonus; gmv90 counts orders completed in the last 90 days, both
// ends included (§7 fine points), so an order whose return window ends at that very instant makes its buyer's sponsor a
// partner for the run — while the month's base and stepped direct sales, [previous 1st 00:00, this 1st 00:00), leave it
// to the next month. The completion's row is scheduled after the month's bonus rows: the bonuses must still run after it.
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { earlierPending, ensureRecurringTransitions, runDueTransitions } from "../../server/scheduler";
import { runScenario } from "../../server/scenario/run";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

// Partner: gmv90 ≥ 200 元; team bonus 2%; stepped bonus 5% from the first fen; return window 7 days (the default).
const rules = {
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minGmv90Fen: 20_000 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }] },
};
const config = parseConfig(rules);
const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");
const MAY_1 = new Date("2026-05-01T00:00:00+08:00");

// p sponsors a. a's oa1 (100 元) is delivered 5 March 10:00, completes 12 March 10:00; oa2 (100 元) is delivered 25 March
// 00:00 and completes at 1 April 00:00 exactly. At that instant gmv90(p) = 100 + 100 = 200 元 ≥ 200 元: p is a partner.
// March (team base, p's direct sales): oa1 only, 100 元 → team 2% = 200 fen, stepped 5% = 500 fen. April: oa2 only (p is
// still a partner on 1 May: both orders within 90 days) → the same. a (its own gmv90 also 200 元) has no downline: nothing.
const expected = (p: number) => ({
  team: [
    { memberId: p, month: "2026-03", baseFen: 10_000n, amountFen: 200 },
    { memberId: p, month: "2026-04", baseFen: 10_000n, amountFen: 200 },
  ],
  step: [
    { memberId: p, month: "2026-03", salesFen: 10_000n, amountFen: 500 },
    { memberId: p, month: "2026-04", salesFen: 10_000n, amountFen: 500 },
  ],
});
const paid = async (db: Db) => ({
  team: await db.teamBonus.findMany({ orderBy: [{ month: "asc" }, { memberId: "asc" }], select: { memberId: true, month: true, baseFen: true, amountFen: true } }),
  step: await db.stepBonus.findMany({ orderBy: [{ month: "asc" }, { memberId: "asc" }], select: { memberId: true, month: true, salesFen: true, amountFen: true } }),
});

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

describe("an order completed at the 1st 00:00 counts in gmv90 for that instant's bonuses, in the next month's base", () => {
  it("the in-process scheduler, a few seconds after each instant (wall clock)", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    await teaShop(db, 10_000);
    const march2 = new Date("2026-03-02T09:00:00+08:00");
    // The month's bonus rows first: their ids are below the completion's, due at the same instant.
    await inTx(db, { now: march2 }, (ctx) => ensureRecurringTransitions(ctx));
    const p = await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "p", ip: "10.7.0.1", device: "d-p" }));
    const a = await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "a", sponsorId: p.id, ip: "10.7.0.2", device: "d-a" }));
    const buy = async (paidAt: Date, deliveredAt: Date) => {
      const o = await inTx(db, { now: paidAt }, (ctx) => createOrder(ctx, { memberId: a.id, lines: [{ sku: "tea", qty: 1 }] }));
      await inTx(db, { now: paidAt }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      await inTx(db, { now: paidAt }, (ctx) => shipOrder(ctx, o.id));
      await inTx(db, { now: deliveredAt }, (ctx) => confirmDelivery(ctx, o.id));
      return o.id;
    };
    const oa1 = await buy(new Date("2026-03-04T10:00:00+08:00"), new Date("2026-03-05T10:00:00+08:00"));
    const oa2 = await buy(new Date("2026-03-24T10:00:00+08:00"), new Date("2026-03-25T00:00:00+08:00"));
    const completion = await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_COMPLETE", refId: oa2 } });
    expect(completion.dueAt).toEqual(APRIL_1);
    const bonusRow = await db.dueTransition.findFirstOrThrow({ where: { kind: "TEAM_BONUS", dueAt: APRIL_1 } });
    expect(bonusRow.id).toBeLessThan(completion.id);

    const april = new Date(APRIL_1.getTime() + 5_000);
    await runDueTransitions(db, april, { clock: "wall", now: april });
    const orders = await db.order.findMany({ where: { id: { in: [oa1, oa2] } }, orderBy: { id: "asc" }, select: { status: true, completedAt: true } });
    expect(orders).toEqual([
      { status: "COMPLETED", completedAt: new Date("2026-03-12T10:00:00+08:00") },
      { status: "COMPLETED", completedAt: APRIL_1 },
    ]);
    const may = new Date(MAY_1.getTime() + 5_000);
    await runDueTransitions(db, may, { clock: "wall", now: may });
    expect(await paid(db)).toEqual(expected(p.id));
  });

  it("the scenario replay (each transition at its due time)", async () => {
    const at = (s: string) => `2026-${s}+08:00`;
    const scenario = {
      config: rules,
      products: [{ sku: "tea", priceFen: 10_000, category: "fmcg", stock: 10 }],
      events: [
        { at: at("03-02T09:00:00"), type: "register", user: "p", ip: "10.8.0.1", device: "dev-p" },
        { at: at("03-02T09:05:00"), type: "register", user: "a", sponsor: "p", ip: "10.8.0.2", device: "dev-a" },
        { at: at("03-04T10:00:00"), type: "order", order: "oa1", user: "a", lines: [{ sku: "tea", qty: 1 }], address: "addr-a" },
        { at: at("03-04T10:01:00"), type: "pay", order: "oa1" },
        { at: at("03-05T10:00:00"), type: "deliver", order: "oa1" },
        { at: at("03-24T10:00:00"), type: "order", order: "oa2", user: "a", lines: [{ sku: "tea", qty: 1 }], address: "addr-a" },
        { at: at("03-24T10:01:00"), type: "pay", order: "oa2" },
        { at: at("03-25T00:00:00"), type: "deliver", order: "oa2" },
        { at: at("04-02T09:00:00"), type: "advance" },
        { at: at("05-02T09:00:00"), type: "advance" },
      ],
    };
    let result: Awaited<ReturnType<typeof paid>> | undefined;
    let p = 0;
    const out = await runScenario(scenario, {
      inspect: async (db) => {
        result = await paid(db);
        p = (await db.member.findFirstOrThrow({ where: { username: "p" } })).id;
      },
    });
    expect(out.orders).toEqual({ oa1: { status: "COMPLETED", goodsFen: 10_000 }, oa2: { status: "COMPLETED", goodsFen: 10_000 } });
    expect(result).toEqual(expected(p));
  });

  it("a completion due at the instant that backs off holds both bonuses (sweep, due-time replay and the crons' check), then goes first", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    // Its first attempt at 00:00 failed: retried at 01:00. The bonus rows were scheduled a month before it.
    const retryAt = new Date("2026-04-01T01:00:00+08:00");
    for (const kind of ["TEAM_BONUS", "STEP_BONUS"] as const) await db.dueTransition.create({ data: { kind, refId: 0, dueAt: APRIL_1, createdAt: new Date("2026-03-01T00:00:00+08:00") } });
    await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: APRIL_1, createdAt: APRIL_1, attempts: 1, nextAttemptAt: retryAt } });
    const bonusRows = () => db.dueTransition.findMany({ where: { kind: { in: ["TEAM_BONUS", "STEP_BONUS"] }, dueAt: APRIL_1 }, orderBy: { id: "asc" }, select: { doneAt: true, nextAttemptAt: true } });

    expect(await earlierPending(db, "TEAM_BONUS", APRIL_1)).toEqual({ retryAt });
    expect(await earlierPending(db, "STEP_BONUS", APRIL_1)).toEqual({ retryAt });
    // Five minutes on, on the wall clock and at due times (the replay's sweep): neither bonus runs, and each sweep ends.
    const sweep = new Date(APRIL_1.getTime() + 5 * 60_000);
    await runDueTransitions(db, sweep, { now: sweep });
    await runDueTransitions(db, sweep, { clock: "due" });
    expect(await bonusRows()).toEqual([{ doneAt: null, nextAttemptAt: retryAt }, { doneAt: null, nextAttemptAt: retryAt }]);
    expect(await db.jobCursor.count()).toBe(0);

    // At its retry the completion runs first, then both bonuses.
    await runDueTransitions(db, retryAt, { clock: "due" });
    expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_COMPLETE" } })).doneAt).toEqual(APRIL_1);
    expect((await bonusRows()).map((r) => r.doneAt)).toEqual([APRIL_1, APRIL_1]);
    expect(await earlierPending(db, "TEAM_BONUS", APRIL_1)).toBeNull();
  });
});
