// The KPI dashboard compares like with like (review r2): a period running to now is compared with the
// previous one up to the same time of day; impossible custom days are refused; the back office home's
// 今日成交额 is the KPI page's GMV (goods amount, SPEC §1: no shipping). PGlite, or PostgreSQL with FM_TEST_DB=postgres.
import { describe, expect, it } from "vitest";
import type { Db } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { runScenario } from "../../server/scenario/run";
import { recordReferralVisits } from "../../server/referral";
import { kpiDashboard, periodsFor } from "../../server/kpi/dashboard";
import { backOfficeHome } from "../../server/kpi/home";
import { resolvePeriod } from "../../server/kpi/periods";
import { freshDatabase } from "../helpers/db";

const TZ = "Asia/Shanghai";
const products = [{ sku: "p0", priceFen: 10_000, category: "fmcg", stock: 50 }];
const buy = (at: string, order: string, user: string) => [
  { at, type: "order", order, user, lines: [{ sku: "p0", qty: 1 }] },
  { at, type: "pay", order },
];
const register = (at: string, user: string, sponsor?: string) => ({ at, type: "register", user, ...(sponsor ? { sponsor } : {}) });

async function visit(db: Db, username: string, at: string) {
  const m = await db.member.findFirstOrThrow({ where: { username } });
  await inTx(db, { now: new Date(at) }, (ctx) => recordReferralVisits(ctx, [{ code: m.referralCode, visitorId: `v-${at}`, at: new Date(at) }]));
}

describe("the comparison period", () => {
  it("今天 at 10:00 is compared with yesterday up to 10:00, not the whole of yesterday", async () => {
    const events = [
      register("2026-03-18T08:00:00+08:00", "a"),
      ...buy("2026-03-19T09:00:00+08:00", "o1", "a"),
      ...buy("2026-03-19T20:00:00+08:00", "o2", "a"),
      ...buy("2026-03-20T09:00:00+08:00", "o3", "a"),
    ];
    await runScenario({ products, events }, {
      open: freshDatabase,
      inspect: async (db) => {
        const periods = resolvePeriod("today", new Date("2026-03-20T10:00:00+08:00"), TZ);
        expect(periods.previous).toEqual({ from: "2026-03-19", to: "2026-03-19" });
        expect(periods.previousCut).toEqual({ from: "2026-03-18T16:00:00.000Z", to: "2026-03-19T02:00:00.000Z", time: "10:00" });
        const d = await kpiDashboard(db, periods);
        // One order by 10:00 on each day: the 20:00 order of yesterday is not compared yet.
        expect([d.current.paidOrders, d.current.gmvFen]).toEqual([1, 10_000]);
        expect([d.previous.paidOrders, d.previous.gmvFen, d.previous.aovFen]).toEqual([1, 10_000, 10_000]);
      },
    });
  });

  it("近 7 天 at 10:00: the 7 days before, their last day up to 10:00; a member sharing or earning on both parts counts once", async () => {
    // Viewed 20 March 10:00: current 14–20 March (today so far), previous 7–13 March up to 13 March 10:00.
    const events = [
      register("2026-03-01T08:00:00+08:00", "s"),
      register("2026-03-01T08:01:00+08:00", "u2"),
      register("2026-03-01T08:02:00+08:00", "u3"),
      register("2026-03-01T08:03:00+08:00", "b", "s"),
      register("2026-03-01T08:04:00+08:00", "d", "u2"),
      register("2026-03-01T08:05:00+08:00", "e", "u3"),
      ...buy("2026-03-01T09:00:00+08:00", "os", "s"),
      ...buy("2026-03-01T09:01:00+08:00", "ou2", "u2"),
      ...buy("2026-03-01T09:02:00+08:00", "ou3", "u3"),
      ...buy("2026-03-08T10:00:00+08:00", "ob1", "b"), // whole day: s earns
      ...buy("2026-03-13T09:45:00+08:00", "ob2", "b"), // cut day before 10:00: s earns again, a repeat order
      ...buy("2026-03-13T09:50:00+08:00", "od", "d"), // cut day before 10:00: u2 earns
      ...buy("2026-03-13T15:00:00+08:00", "oe", "e"), // after 10:00: not compared
    ];
    await runScenario({ products, events }, {
      open: freshDatabase,
      inspect: async (db) => {
        await visit(db, "s", "2026-03-10T12:00:00+08:00");
        await visit(db, "s", "2026-03-13T09:30:00+08:00");
        await visit(db, "u2", "2026-03-13T09:00:00+08:00");
        await visit(db, "u3", "2026-03-13T11:00:00+08:00");
        const periods = resolvePeriod("7d", new Date("2026-03-20T10:00:00+08:00"), TZ);
        expect(periods.current).toEqual({ from: "2026-03-14", to: "2026-03-20" });
        expect(periods.previous).toEqual({ from: "2026-03-07", to: "2026-03-13" });
        const p = (await kpiDashboard(db, periods)).previous;
        // ob1, ob2, od (oe after 10:00); b's and d's first orders; ob2 a repeat.
        expect([p.paidOrders, p.gmvFen, p.newPayingMembers]).toEqual([3, 30_000, 2]);
        // Repurchase by member: b and d paid, b's ob2 is not her first paid order.
        expect(p.repurchaseRate).toBeCloseTo(1 / 2);
        // s (10 March and 13 March 09:30, once) and u2 (13 March 09:00); u3's visit is after 10:00.
        expect([p.sharers, p.funnel.visits]).toEqual([2, 3]);
        // s (ob1 and ob2, once) and u2 (od), 10% of ¥100 each; u3's commission (oe) is after 10:00.
        expect([p.activeDistributors, p.levels.l1Fen]).toEqual([2, 3_000]);
      },
    });
  });
});

describe("a custom period", () => {
  it.each([
    ["2026-02-01", "2026-02-31"],
    ["2026-02-30", "2026-03-01"],
    ["2026-13-01", "2026-13-05"],
    ["2026-00-10", "2026-01-10"],
  ])("from %s to %s: a day that does not exist is refused (INVALID_PERIOD)", async (from, to) => {
    const database = await freshDatabase();
    try {
      const e = await periodsFor(database.prisma, { preset: "custom", from, to }, new Date("2026-03-10T10:00:00+08:00")).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe("INVALID_PERIOD");
    } finally {
      await database.close();
    }
  });
});

describe("a custom period reaching past today", () => {
  it("1–31 December on 6 December at 10:00: 1–6 December so far against 25–30 November up to 10:00 on the 30th", async () => {
    const events = [
      register("2026-11-20T08:00:00+08:00", "a"),
      ...buy("2026-11-20T09:00:00+08:00", "o0", "a"),
      ...buy("2026-11-25T09:00:00+08:00", "o1", "a"),
      ...buy("2026-11-30T09:00:00+08:00", "o2", "a"),
      ...buy("2026-11-30T20:00:00+08:00", "o3", "a"), // after 10:00 on the cut day: not compared
      ...buy("2026-12-01T09:00:00+08:00", "o4", "a"),
      ...buy("2026-12-06T09:00:00+08:00", "o5", "a"),
    ];
    await runScenario({ products, events }, {
      open: freshDatabase,
      inspect: async (db) => {
        const now = new Date("2026-12-06T10:00:00+08:00");
        const periods = await periodsFor(db, { preset: "custom", from: "2026-12-01", to: "2026-12-31" }, now);
        expect([periods.current, periods.previous, periods.previousCut?.time]).toEqual([{ from: "2026-12-01", to: "2026-12-06" }, { from: "2026-11-25", to: "2026-11-30" }, "10:00"]);
        const d = await kpiDashboard(db, periods);
        // o4, o5 against o1, o2 (o3 after 10:00, o0 on 20 November before the 6 days): ¥200 each, no change.
        expect([d.current.gmvFen, d.previous.gmvFen]).toEqual([20_000, 20_000]);
        // The chart draws the 6 days so far, none to come.
        expect(d.series.map((p) => p.day)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
        // A period starting after today holds nothing yet: refused.
        const e = await periodsFor(db, { preset: "custom", from: "2026-12-07", to: "2026-12-31" }, now).catch((x: unknown) => x);
        expect((e as DomainError).code).toBe("INVALID_PERIOD");
      },
    });
  });
});

describe("GMV", () => {
  it("an order of ¥100 of goods and ¥10 of shipping: ¥100 on the home's 今日成交额 and on the KPI page", async () => {
    const events = [register("2026-03-20T08:00:00+08:00", "a"), ...buy("2026-03-20T09:00:00+08:00", "o1", "a")];
    await runScenario({ products, events }, {
      open: freshDatabase,
      inspect: async (db) => {
        // Checkout charges no shipping today; the order row allows it (shippingFen, in payableFen).
        await db.order.updateMany({ data: { shippingFen: 1_000, payableFen: { increment: 1_000 } } });
        const now = new Date("2026-03-20T10:00:00+08:00");
        const home = await backOfficeHome(db, now, TZ);
        const kpi = await kpiDashboard(db, resolvePeriod("today", now, TZ));
        expect(home.today.gmvFen).toBe(10_000);
        expect(kpi.current.gmvFen).toBe(10_000);
      },
    });
  });
});
