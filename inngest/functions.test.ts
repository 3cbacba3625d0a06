// Inngest functions run with @inngest/test against a real (PGlite) database: they must only
// orchestrate, and running one twice must change nothing the second time.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import type { Database } from "@/server/db";
import { inTx } from "@/server/context";
import { parseConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery } from "@/server/orders";
import { runDueTransitions } from "@/server/scheduler";
import { freshPglite } from "@/tests/helpers/db";
import { completedOrder, fire, seedTeaShop } from "@/tests/helpers/inngest";
import { createFunctions } from "./functions";

let database: Database;
let fns: ReturnType<typeof createFunctions>;
const config = parseConfig({ tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }] });

beforeEach(async () => {
  database = await freshPglite();
  fns = createFunctions({ db: async () => database.prisma });
  await seedTeaShop(database.prisma, config);
});
afterEach(() => database.close());

/** A merchant-time firing's result that ran one period: its run's result under the period's JobCursor key. */
const one = (key: string, result: object) => ({ [key]: result });

/** The monthly bonus functions, with the JobCursor key prefix of their runs. */
const monthly = () => [[fns.monthlyTeamBonus, "team_bonus"], [fns.monthlyStepBonus, "step_bonus"]] as const;

/** Replaces the rules in force with `config` changed by `patch`. */
async function setRules(patch: object) {
  await database.prisma.mallConfig.updateMany({ data: { data: parseConfig({ ...config, ...patch }) as object } });
}

describe("inngest functions", () => {
  it("transition-wakeup sleeps until the due time, then settles once however often it runs", async () => {
    const { sponsor } = await completedOrder(database.prisma, config, new Date("2026-03-01T02:00:00Z"), "due");
    const due = await database.prisma.dueTransition.findFirstOrThrow({ where: { kind: "COMMISSION_SETTLE" } });
    const event = { name: "transition/scheduled", data: { id: due.id, dueAt: due.dueAt.toISOString() } };
    let slept: unknown = null;
    const run = () =>
      new InngestTestEngine({
        function: fns.transitionWakeup,
        events: [event],
        steps: [{ id: "wait-until-due", handler: () => { slept = due.dueAt; } }],
      }).execute();
    const first = await run();
    expect(slept).toEqual(due.dueAt);
    expect(first.result).toEqual({ performed: true });
    const second = await run();
    expect(second.result).toEqual({ performed: false });
    expect(await database.prisma.ledgerTxn.count({ where: { kind: "commission_settle" } })).toBe(1);
    expect(Number((await database.prisma.wallet.findUniqueOrThrow({ where: { memberId: sponsor.id } })).available)).toBe(1000);
  });

  it("the catch-up sweep performs what is due and nothing twice", async () => {
    await completedOrder(database.prisma, config, new Date("2020-01-01T02:00:00Z"), "due"); // long past: everything is due now
    expect(await database.prisma.kpiFact.count()).toBeGreaterThan(0);
    const first = await new InngestTestEngine({ function: fns.sweepDue }).execute();
    expect((first.result as { ran: number }).ran).toBeGreaterThan(0);
    const settled = await database.prisma.commission.findFirstOrThrow();
    expect(settled.status).toBe("SETTLED");
    // The dashboard's facts are folded into the daily aggregates by the same sweep.
    expect(await database.prisma.kpiFact.count()).toBe(0);
    expect(await database.prisma.kpiDaily.count()).toBeGreaterThan(0);
    const again = await new InngestTestEngine({ function: fns.sweepDue }).execute();
    expect(again.result).toEqual({ ran: 0, payouts: 0 });
  });

  it("the monthly team bonus pays a partner once per month even if the cron fires twice", async () => {
    const { sponsor } = await completedOrder(database.prisma, config, new Date("2026-01-05T02:00:00Z"), "due"); // completed 12 January
    const feb1 = "2026-01-31T16:00:00Z"; // 1 February 00:00 in Asia/Shanghai, the rules' zone
    expect(await fire(fns.monthlyTeamBonus, feb1)).toEqual(one("team_bonus:2026-01", { paid: 1 }));
    expect(await fire(fns.monthlyTeamBonus, feb1)).toEqual({ skipped: true }); // February's run is complete
    const bonuses = await database.prisma.teamBonus.findMany();
    expect(bonuses).toHaveLength(1);
    expect(bonuses[0]).toMatchObject({ memberId: sponsor.id, month: "2026-01", baseFen: 10000n, amountFen: 200 });
  });

  it("the monthly stepped bonus pays a distributor once per month even if the cron fires twice", async () => {
    const { sponsor } = await completedOrder(database.prisma, config, new Date("2026-01-05T02:00:00Z"), "due");
    await setRules({ stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
    const feb1 = "2026-01-31T16:00:00Z";
    expect(await fire(fns.monthlyStepBonus, feb1)).toEqual(one("step_bonus:2026-01", { paid: 1 }));
    expect(await fire(fns.monthlyStepBonus, feb1)).toEqual({ skipped: true });
    const bonuses = await database.prisma.stepBonus.findMany();
    expect(bonuses).toHaveLength(1);
    expect(bonuses[0]).toMatchObject({ memberId: sponsor.id, salesFen: 10000n, bps: 500, amountFen: 500 });
  });

  it("a monthly bonus waits while a completion due in the month backs off, and the next firing pays the month with it", async () => {
    const db = database.prisma;
    await setRules({ stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
    // Delivered 24 January 23:59:50 in Shanghai: the 7-day return window, so the completion, falls due 31 January 23:59:50.
    const paidAt = new Date("2026-01-20T10:00:00+08:00");
    const sponsor = await inTx(db, { config, now: paidAt }, (ctx) => registerMember(ctx, { username: "sponsor", ip: "1", device: "a" }));
    const buyer = await inTx(db, { config, now: paidAt }, (ctx) => registerMember(ctx, { username: "buyer", sponsorId: sponsor.id, ip: "2", device: "b" }));
    const order = await inTx(db, { config, now: paidAt }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { config, now: paidAt }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "x", amountFen: 10000, currency: "CNY" }));
    await inTx(db, { config, now: paidAt }, (ctx) => shipOrder(ctx, order.id));
    await inTx(db, { config, now: new Date("2026-01-24T23:59:50+08:00") }, (ctx) => confirmDelivery(ctx, order.id));
    const before = new Date("2026-01-31T23:00:00+08:00");
    await runDueTransitions(db, before, { config, clock: "wall", now: before });
    const complete = await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_COMPLETE" } });
    expect(complete.dueAt).toEqual(new Date("2026-01-31T23:59:50+08:00"));
    // Its first attempt failed: backing off until 30 s past midnight.
    await db.dueTransition.update({ where: { id: complete.id }, data: { attempts: 1, nextAttemptAt: new Date("2026-02-01T00:00:20+08:00") } });

    const feb1 = "2026-01-31T16:00:00Z"; // 1 February 00:00 in Shanghai
    for (const [fn, name] of monthly()) expect(await fire(fn, feb1)).toEqual(one(`${name}:2026-01`, { waiting: true }));
    expect(await db.jobCursor.count({ where: { key: { contains: "bonus" } } })).toBe(0);
    // 00:05: the sweep completes the order, dated in January; 01:00: the next firing pays January with it.
    await runDueTransitions(db, new Date("2026-01-31T16:05:00Z"), { config, clock: "wall", now: new Date("2026-01-31T16:05:00Z") });
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).completedAt).toEqual(complete.dueAt);
    for (const [fn, name] of monthly()) expect(await fire(fn, "2026-01-31T17:00:00Z")).toEqual(one(`${name}:2026-01`, { paid: 1 }));
    // SPEC §7: January's 100 元 of direct sales, 2% team bonus and 5% stepped bonus.
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: sponsor.id, month: "2026-01", amountFen: 200 }]);
    expect(await db.stepBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: sponsor.id, month: "2026-01", amountFen: 500 }]);
  });

  it("a dead-lettered completion does not hold the monthly bonuses", async () => {
    const due = new Date("2026-01-31T23:59:50+08:00");
    await database.prisma.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: due, createdAt: due, attempts: 8, deadAt: due } });
    for (const [fn, name] of monthly()) expect(await fire(fn, "2026-01-31T16:00:00Z")).toEqual(one(`${name}:2026-01`, { paid: 0 }));
  });

  it("the monthly crons fire hourly and run each month once in the rules' time zone, also when its first firing was missed", async () => {
    await completedOrder(database.prisma, config, new Date("2026-01-05T02:00:00Z"), "due"); // completed 12 January
    await setRules({ timeZone: "America/New_York", stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
    for (const [fn, name] of monthly()) {
      expect(await fire(fn, "2026-01-01T05:00:00Z")).toEqual(one(`${name}:2025-12`, { paid: 0 })); // 1 Jan 00:00 EST: January's run, paying December (no sales)
      expect(await fire(fn, "2026-01-31T16:00:00Z")).toEqual({ skipped: true }); // Shanghai's 1 Feb 00:00 is 31 Jan 11:00 in New York
      expect(await fire(fn, "2026-02-01T04:00:00Z")).toEqual({ skipped: true }); // 31 Jan 23:00 EST
      // The 1 Feb 00:00 EST firing (05:00Z) never came (an outage): the next one runs February's run.
      expect(await fire(fn, "2026-02-01T06:00:00Z")).toEqual(one(`${name}:2026-01`, { paid: 1 })); // 1 Feb 01:00 EST
      expect(await fire(fn, "2026-02-01T07:00:00Z")).toEqual({ skipped: true }); // 1 Feb 02:00 EST: February's run is complete
      expect(await fire(fn, "2026-02-02T05:00:00Z")).toEqual({ skipped: true }); // 2 Feb 00:00 EST: a day's first firing, not the month's
    }
    // January's sales (100 元): 2% team bonus, 5% stepped bonus.
    expect(await database.prisma.teamBonus.findMany({ select: { month: true, amountFen: true } })).toEqual([{ month: "2026-01", amountFen: 200 }]);
    expect(await database.prisma.stepBonus.findMany({ select: { month: true, amountFen: true } })).toEqual([{ month: "2026-01", amountFen: 500 }]);
  });

  it("a month caught up late is paid for that month as of its first instant, and months missed in a row are caught up in order", async () => {
    const { sponsor } = await completedOrder(database.prisma, config, new Date("2026-01-05T02:00:00Z"), "due"); // completed 12 January
    await setRules({ stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
    const jan1 = "2025-12-31T16:00:00Z"; // 1 January 00:00 in Shanghai: January's run, paying December (no sales)
    // Down over 1 February and 1 March (Shanghai); back on 3 March at 10:00 (02:00Z), then hourly.
    const back = ["2026-03-03T02:00:00Z", "2026-03-03T03:00:00Z", "2026-03-03T04:00:00Z"];
    expect(await fire(fns.monthlyTeamBonus, jan1)).toEqual(one("team_bonus:2025-12", { paid: 0 }));
    // The first firing back runs both, oldest first: February's run pays January, March's pays February (no sales).
    const caughtUp = await fire(fns.monthlyTeamBonus, back[0]!);
    expect(caughtUp).toEqual({ "team_bonus:2026-01": { paid: 1 }, "team_bonus:2026-02": { paid: 0 } });
    expect(Object.keys(caughtUp as object)).toEqual(["team_bonus:2026-01", "team_bonus:2026-02"]);
    expect(await fire(fns.monthlyTeamBonus, back[1]!)).toEqual({ skipped: true });
    expect(await database.prisma.teamBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: sponsor.id, month: "2026-01", amountFen: 200 }]);
    // Frozen at 1 February 02:00, after February's first instant: January's stepped bonus is still earned (SPEC §7).
    await database.prisma.member.update({ where: { id: sponsor.id }, data: { frozen: true, frozenAt: new Date("2026-02-01T02:00:00+08:00") } });
    expect(await fire(fns.monthlyStepBonus, jan1)).toEqual(one("step_bonus:2025-12", { paid: 0 }));
    expect(await fire(fns.monthlyStepBonus, back[0]!)).toEqual({ "step_bonus:2026-01": { paid: 1 }, "step_bonus:2026-02": { paid: 0 } });
    expect(await fire(fns.monthlyStepBonus, back[2]!)).toEqual({ skipped: true });
    expect(await database.prisma.stepBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: sponsor.id, month: "2026-01", amountFen: 500 }]);
  });

  it("the merchant-time crons fire hourly (the zone is a rule); the bill reconciliation keeps Beijing time, the providers' bill day, hourly too (retries)", () => {
    const crons = Object.fromEntries(Object.values(fns).map((f) => [f.opts.id, f.opts.triggers?.flatMap((t) => ("cron" in t ? [t.cron] : []))]));
    expect(crons).toMatchObject({
      "nightly-tier-review": ["0 * * * *"],
      "monthly-team-bonus": ["0 * * * *"],
      "monthly-step-bonus": ["0 * * * *"],
      "daily-bill-reconciliation": ["TZ=Asia/Shanghai 30 * * * *"],
    });
  });

  it("the nightly tier review runs once per local day, at its first firing or the next one, in half-hour zones and over a skipped midnight too", async () => {
    await completedOrder(database.prisma, config, new Date("2026-01-05T02:00:00Z"), "due");
    await setRules({ timeZone: "Asia/Kolkata" }); // UTC+5:30: the hourly firings are at hh:30 local
    expect(await fire(fns.nightlyTierReview, "2026-03-01T18:00:00Z")).toEqual(one("tier_review:2026-03-01", { reviewed: 1 })); // 1 Mar 23:30: 1 March not yet reviewed
    expect(await fire(fns.nightlyTierReview, "2026-03-01T19:00:00Z")).toEqual(one("tier_review:2026-03-02", { reviewed: 1 })); // 2 Mar 00:30: the partner is reviewed
    expect(await fire(fns.nightlyTierReview, "2026-03-01T20:00:00Z")).toEqual({ skipped: true }); // 2 Mar 01:30
    // The 3 Mar 00:30 firing (2026-03-02T19:00Z) never came: 03:30 reviews 3 March, 04:30 finds it done.
    expect(await fire(fns.nightlyTierReview, "2026-03-02T22:00:00Z")).toEqual(one("tier_review:2026-03-03", { reviewed: 1 }));
    expect(await fire(fns.nightlyTierReview, "2026-03-02T23:00:00Z")).toEqual({ skipped: true });
    // Chile moves its clocks from 00:00 to 01:00 on 6 September 2026: that day begins at 01:00, its first firing.
    await setRules({ timeZone: "America/Santiago" });
    expect(await fire(fns.nightlyTierReview, "2026-09-06T03:00:00Z")).toEqual(one("tier_review:2026-09-05", { reviewed: 1 })); // 5 Sep 23:00: 5 September not yet reviewed
    expect(await fire(fns.nightlyTierReview, "2026-09-06T04:00:00Z")).toEqual(one("tier_review:2026-09-06", { reviewed: 1 })); // 6 Sep 01:00
    expect(await fire(fns.nightlyTierReview, "2026-09-06T05:00:00Z")).toEqual({ skipped: true });
  });

  it("order events re-tier the buyer's upline", async () => {
    const { sponsor, order } = await completedOrder(database.prisma, config, new Date("2026-03-01T02:00:00Z"), "due");
    await database.prisma.member.update({ where: { id: sponsor.id }, data: { tier: "member" } }); // stale
    const r = await new InngestTestEngine({ function: fns.orderEvents, events: [{ name: "order/completed", data: { orderId: order.id } }] }).execute();
    expect(r.result).toBe("ok");
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: sponsor.id } })).tier).toBe("partner");
  });
});

describe("daily-bill-reconciliation", () => {
  it("fetches each real provider's bill of yesterday once, from the 10:30 firing on, and records the comparison", async () => {
    const { WechatPayTestServer } = await import("@/tests/helpers/wechatpay-server");
    const { WechatPayProvider } = await import("@/server/payments/providers/wechatpay");
    const { registerProvider } = await import("@/server/payments");
    const wx = await new WechatPayTestServer().start();
    const provider = new WechatPayProvider(wx.config());
    registerProvider(provider);
    try {
      // The hourly firings at half past, Beijing time, on 2 March: the bills of 1 March are out from 10:00.
      const firings = [];
      for (const at of ["2026-03-02T01:30:00Z", "2026-03-02T02:30:00Z", "2026-03-02T03:30:00Z"]) firings.push(await fire(fns.dailyReconciliation, at));
      // No trade at the stand-in: WeChat has no bill for the day (NO_STATEMENT_EXIST), and we have no payment either.
      expect(firings).toEqual([[], [{ provider: "wechatpay", billDate: "2026-03-01", status: "MATCHED" }], []]);
      expect(await database.prisma.reconciliationRun.count()).toBe(1);
    } finally {
      await wx.stop();
    }
  });
});
