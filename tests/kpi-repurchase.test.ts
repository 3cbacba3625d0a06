// 复购率 and 新增付费会员 on /merchant/kpi (issue 11, seed 004): the repurchase rate counts members, not orders —
// members with an order paid in the period that is not their first paid order ÷ members with an order paid in the
// period (by payment time, orders refunded later included, as in GMV); a first paid order refunded takes its member
// out of the new paying members (and the referred ones) on the refund's day. Expected values reasoned by hand; the
// dashboard (daily aggregates, member days cached or live) and the raw tables must both give them. PGlite, or
// PostgreSQL with FM_TEST_DB=postgres.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Db } from "../server/db";
import { foldKpiFacts } from "../server/kpi/daily";
import { runScenario } from "../server/scenario/run";
import { kpiDashboard, rawKpi } from "../server/kpi/dashboard";
import { resolvePeriod, type PeriodPreset } from "../server/kpi/periods";
import { CARD_FIGURES, CARDS } from "../app/merchant/kpi/cards";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";

const TZ = "Asia/Shanghai";
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

const buy = (at: string, order: string, user: string) => [
  { at, type: "order", order, user, lines: [{ sku: "p0", qty: 1 }] },
  { at, type: "pay", order },
];
const register = (at: string, user: string, sponsor?: string) => ({ at, type: "register", user, ...(sponsor ? { sponsor } : {}) });

// ¥100 a piece.
// c buys once on 25 Feb. 2–4 March: a buys on the 2nd (first ever) and the 3rd, b on the 2nd (first ever), c on the 4th.
// 6 March: d (sponsor s) buys for the first time, e (no sponsor) too; d's order is refunded on the 7th; d buys again on the 8th.
// 10 March: x buys five times (first ever + 4), y, z and w once each (first ever).
const scenario = {
  products: [{ sku: "p0", priceFen: 10_000, category: "fmcg", stock: 100 }],
  events: [
    register("2026-02-20T09:00:00+08:00", "c"),
    ...buy("2026-02-25T10:00:00+08:00", "oc0", "c"),
    register("2026-03-01T09:00:00+08:00", "a"),
    register("2026-03-01T09:01:00+08:00", "b"),
    register("2026-03-01T09:02:00+08:00", "s"),
    register("2026-03-01T09:03:00+08:00", "d", "s"),
    register("2026-03-01T09:04:00+08:00", "e"),
    ...buy("2026-03-02T10:00:00+08:00", "oa1", "a"),
    ...buy("2026-03-02T11:00:00+08:00", "ob1", "b"),
    ...buy("2026-03-03T10:00:00+08:00", "oa2", "a"),
    ...buy("2026-03-04T10:00:00+08:00", "oc1", "c"),
    ...buy("2026-03-06T10:00:00+08:00", "od1", "d"),
    ...buy("2026-03-06T11:00:00+08:00", "oe1", "e"),
    { at: "2026-03-07T10:00:00+08:00", type: "refund", order: "od1" },
    ...buy("2026-03-08T10:00:00+08:00", "od2", "d"),
    register("2026-03-10T08:00:00+08:00", "x"),
    register("2026-03-10T08:01:00+08:00", "y"),
    register("2026-03-10T08:02:00+08:00", "z"),
    register("2026-03-10T08:03:00+08:00", "w"),
    ...[1, 2, 3, 4, 5].flatMap((i) => buy(`2026-03-10T09:0${i}:00+08:00`, `ox${i}`, "x")),
    ...buy("2026-03-10T10:00:00+08:00", "oy1", "y"),
    ...buy("2026-03-10T10:01:00+08:00", "oz1", "z"),
    ...buy("2026-03-10T10:02:00+08:00", "ow1", "w"),
  ],
};

/** The dashboard at `now`, its figures checked against the raw tables' (both periods). */
async function dashboard(db: Db, now: string, preset: PeriodPreset, custom?: { from: string; to: string }) {
  const periods = resolvePeriod(preset, new Date(now), TZ, custom);
  const d = await kpiDashboard(db, periods);
  expect(d.current).toEqual((await rawKpi(db, periods.current, TZ)).figures);
  expect(d.previous).toEqual((await rawKpi(db, periods.previous, TZ, periods.previousCut)).figures);
  return d;
}

const repurchase = (f: { repeatMembers: number; payingMembers: number; repurchaseRate: number | null }) => [f.repeatMembers, f.payingMembers, f.repurchaseRate];
const newPaying = (f: { newPayingMembers: number; funnel: { firstOrders: number } }) => [f.newPayingMembers, f.funnel.firstOrders];
const later = "2026-03-20T12:00:00+08:00";

describe("the repurchase rate", () => {
  it("is the share of the period's paying members who paid an order that is not their first paid order", async () => {
    await runScenario(scenario, {
      open: freshDatabase,
      inspect: async (db) => {
        // 2–4 March: a, b and c paid; a (oa2) and c (oc1, after oc0 in February) repeat, b's only order is their first: 2 / 3
        // (by orders it would be 2 repeat orders of 4).
        const p1 = await dashboard(db, later, "custom", { from: "2026-03-02", to: "2026-03-04" });
        expect(repurchase(p1.current)).toEqual([2, 3, 2 / 3]);
        expect(p1.current.paidOrders).toBe(4);
        // Read on 4 March at 15:00: 2–3 March from the cached member days (a and b paid, a repeated), 4 March live
        // (c: a new payer and a new repeater of the period) — each member counted once.
        const live = await dashboard(db, "2026-03-04T15:00:00+08:00", "custom", { from: "2026-03-02", to: "2026-03-04" });
        expect(repurchase(live.current)).toEqual([2, 3, 2 / 3]);
        // a on the 3rd alone: their second order, a repeat buyer.
        expect(repurchase((await dashboard(db, later, "custom", { from: "2026-03-03", to: "2026-03-03" })).current)).toEqual([1, 1, 1]);
        // 2 March alone: a and b both paid their first order.
        expect(repurchase((await dashboard(db, later, "custom", { from: "2026-03-02", to: "2026-03-02" })).current)).toEqual([0, 2, 0]);
        // 今天 on 4 March at 10:30 against 3 March up to 10:30 (the cut day from the raw slice): c against a, each a repeat.
        const today = await dashboard(db, "2026-03-04T10:30:00+08:00", "today");
        expect([repurchase(today.current), repurchase(today.previous)]).toEqual([[1, 1, 1], [1, 1, 1]]);
        // 近 7 天 on 4 March at 10:30 (26 February – 4 March), against 19–25 February up to 10:30 on the 25th: c's first order.
        const week = await dashboard(db, "2026-03-04T10:30:00+08:00", "7d");
        expect([repurchase(week.current), repurchase(week.previous)]).toEqual([[2, 3, 2 / 3], [0, 1, 0]]);
      },
    });
  });

  it("alerts below 40% when a few members' many orders would hide it: 1 repeat buyer of 4, though half the orders are repeats", async () => {
    await runScenario(scenario, {
      open: freshDatabase,
      inspect: async (db) => {
        const d = await dashboard(db, later, "custom", { from: "2026-03-10", to: "2026-03-10" });
        // x, y, z, w paid; only x repeated (ox2..ox5). 8 orders, 4 of them repeats.
        expect(repurchase(d.current)).toEqual([1, 4, 1 / 4]);
        expect([d.current.paidOrders, d.current.newPayingMembers]).toEqual([8, 4]);
        const card = CARDS.find((c) => c.id === "repurchase")!;
        expect(card.alert!(d.current.repurchaseRate)).toBe(true);
        // The card and the CSV rows show the rate with its members, in the page's order.
        const shown = CARD_FIGURES.filter((f) => ["repurchase", "repeatMembers", "payingMembers"].includes(f.id)).map((f) => [zh(f.label), f.format(f.value(d.current))]);
        expect(shown).toEqual([["复购率", "25.0%"], ["复购会员", "1"], ["付费会员", "4"]]);
        // 2–4 March (2 of 3): no alert.
        expect(card.alert!((await dashboard(db, later, "custom", { from: "2026-03-02", to: "2026-03-04" })).current.repurchaseRate)).toBe(false);
      },
    });
  });

  it("is defined on hover by members, in Chinese and English", () => {
    const card = CARDS.find((c) => c.id === "repurchase")!;
    expect(zh(card.def)).toContain("复购会员 ÷ 付费会员");
    expect(zh(card.def)).toContain("低于 40% 预警");
    expect(en(card.def)).toContain("Repeat buyers ÷ paying members");
    expect(en(card.def)).toContain("alert below 40%");
  });
});

describe("new paying members", () => {
  it("lose a member whose first paid order is refunded, on the refund's day, and the referred ones too (K-factor, CAC)", async () => {
    await runScenario(scenario, {
      open: freshDatabase,
      inspect: async (db) => {
        // 6 March: d (referred by s) and e paid their first order: 2 new paying members, 1 referred.
        const day6 = await dashboard(db, later, "custom", { from: "2026-03-06", to: "2026-03-06" });
        expect(newPaying(day6.current)).toEqual([2, 1]);
        // 7 March: d's first order refunded: one less of each, on that day.
        const day7 = await dashboard(db, later, "custom", { from: "2026-03-07", to: "2026-03-07" });
        expect(newPaying(day7.current)).toEqual([-1, -1]);
        expect(day7.current.refundedOrders).toBe(1);
        // Both days: only e. d's only order (then) was refunded: d is no new paying member.
        const both = await dashboard(db, later, "custom", { from: "2026-03-06", to: "2026-03-07" });
        expect(newPaying(both.current)).toEqual([1, 0]);
        // 8 March: d's next order is not a first paid order (SPEC §5 removes such an invitee for good): no new paying
        // member, and a repeat purchase.
        const day8 = await dashboard(db, later, "custom", { from: "2026-03-08", to: "2026-03-08" });
        expect(newPaying(day8.current)).toEqual([0, 0]);
        expect(repurchase(day8.current)).toEqual([1, 1, 1]);
        // The daily rows (the CSV's) hold the reversal on the refund's day.
        const rows = await db.kpiDaily.findMany({ where: { day: { in: ["2026-03-06", "2026-03-07"] } }, orderBy: { day: "asc" } });
        expect(rows.map((r) => [r.day, r.newPayingMembers, r.referredNewPaying])).toEqual([["2026-03-06", 2, 1], ["2026-03-07", -1, -1]]);
        // The whole of March so far: a, b, d, e, x, y, z, w paid a first order; d's was refunded: 7, none referred.
        expect(newPaying((await dashboard(db, later, "month")).current)).toEqual([7, 0]);
      },
    });
  });

  it("a refund of an order that is not the buyer's first leaves them counted", async () => {
    const events = [
      register("2026-03-01T09:00:00+08:00", "s"),
      register("2026-03-01T09:01:00+08:00", "a", "s"),
      ...buy("2026-03-02T10:00:00+08:00", "o1", "a"),
      ...buy("2026-03-02T11:00:00+08:00", "o2", "a"),
      { at: "2026-03-02T12:00:00+08:00", type: "refund", order: "o2" },
    ];
    await runScenario({ products: scenario.products, events }, {
      open: freshDatabase,
      inspect: async (db) => {
        const d = await dashboard(db, later, "custom", { from: "2026-03-02", to: "2026-03-02" });
        expect(newPaying(d.current)).toEqual([1, 1]);
        // o2 refunded still counts as a's second payment (by payment time, as in GMV).
        expect(repurchase(d.current)).toEqual([1, 1, 1]);
      },
    });
  });
});

describe("the migration", () => {
  it("backfills the members' paid days and the refunded first orders of a shop upgrading, so its figures are the same as if recorded", async () => {
    const sql = readFileSync(new URL("../prisma/migrations/20261220010000_kpi_repurchase_members/migration.sql", import.meta.url), "utf8");
    // Its statements after the columns are added (each ends a line with ";").
    const backfill = sql.slice(sql.indexOf("-- Cached periods")).split(/;\n/).map((q) => q.trim()).filter((q) => q.replace(/--.*$/gm, "").trim() !== "");
    await runScenario(scenario, {
      open: freshDatabase,
      inspect: async (db) => {
        const periods: [string, string][] = [["2026-03-02", "2026-03-04"], ["2026-03-06", "2026-03-07"], ["2026-03-01", "2026-03-10"], ["2026-02-20", "2026-03-20"]];
        // Whole days (cached), and up to 8 March read on that day (live: d, who paid on the 6th, counted once through the prev days).
        const read = async () => [
          ...(await Promise.all(periods.map(async ([from, to]) => (await dashboard(db, later, "custom", { from, to })).current))),
          (await dashboard(db, "2026-03-08T12:00:00+08:00", "custom", { from: "2026-03-02", to: "2026-03-08" })).current,
        ];
        const recorded = await read();
        // Before this release: no paid days, and d's refund on 7 March (d referred by s) did not take d out.
        await db.$executeRaw`UPDATE "KpiMemberDay" SET paid = false, repeated = false, "prevPaidDay" = NULL, "prevRepeatDay" = NULL`;
        await db.$executeRaw`DELETE FROM "KpiMemberDay" WHERE "earnedFen" = 0 AND NOT shared`;
        await db.$executeRaw`UPDATE "KpiDaily" SET "newPayingMembers" = "newPayingMembers" + 1, "referredNewPaying" = "referredNewPaying" + 1 WHERE day = '2026-03-07'`;
        for (const q of backfill) await db.$executeRawUnsafe(q);
        await foldKpiFacts(db);
        expect(await read()).toEqual(recorded);
        expect(repurchase(recorded[0]!)).toEqual([2, 3, 2 / 3]);
        expect(newPaying(recorded[1]!)).toEqual([1, 0]);
      },
    });
  });
});
