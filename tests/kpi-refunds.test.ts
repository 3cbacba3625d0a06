// 退款 card on /merchant/kpi: refunded amount (the refunded orders' goods amount), refunded orders and refund
// rate (refunded amount ÷ GMV of the same period), by the merchant-local day of the refund, from the daily
// aggregates, each compared with the previous period; a refund counts once however often it is asked for.
import { describe, expect, it } from "vitest";
import type { Db } from "../server/db";
import { runScenario } from "../server/scenario/run";
import { kpiDashboard, rawKpi } from "../server/kpi/dashboard";
import { resolvePeriod, type PeriodPreset } from "../server/kpi/periods";
import { CARD_FIGURES, CARDS, cardChange } from "../app/merchant/kpi/cards";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshPglite } from "./helpers/db";

const TZ = "Asia/Shanghai";
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

// ¥100 a piece. 1 March: a pays o1 (¥100), b pays o2 (¥200). 2 March: a pays o3 (¥300); o1 refunded at 23:30.
// o2 refunded at 00:30 on 3 March in Shanghai (still 2 March in UTC); o1's second refund is refused. 3 March: b pays o4 (¥100).
const scenario = {
  products: [{ sku: "p0", priceFen: 10_000, category: "fmcg", stock: 20 }],
  events: [
    { at: "2026-03-01T09:00:00+08:00", type: "register", user: "a" },
    { at: "2026-03-01T09:01:00+08:00", type: "register", user: "b" },
    { at: "2026-03-01T10:00:00+08:00", type: "order", order: "o1", user: "a", lines: [{ sku: "p0", qty: 1 }] },
    { at: "2026-03-01T10:01:00+08:00", type: "pay", order: "o1" },
    { at: "2026-03-01T11:00:00+08:00", type: "order", order: "o2", user: "b", lines: [{ sku: "p0", qty: 2 }] },
    { at: "2026-03-01T11:01:00+08:00", type: "pay", order: "o2" },
    { at: "2026-03-02T10:00:00+08:00", type: "order", order: "o3", user: "a", lines: [{ sku: "p0", qty: 3 }] },
    { at: "2026-03-02T10:01:00+08:00", type: "pay", order: "o3" },
    { at: "2026-03-02T23:30:00+08:00", type: "refund", order: "o1" },
    { at: "2026-03-03T00:30:00+08:00", type: "refund", order: "o2" },
    { at: "2026-03-03T00:40:00+08:00", type: "refund", order: "o1" },
    { at: "2026-03-03T10:00:00+08:00", type: "order", order: "o4", user: "b", lines: [{ sku: "p0", qty: 1 }] },
    { at: "2026-03-03T10:01:00+08:00", type: "pay", order: "o4" },
  ],
};

const refundFigures = (f: { gmvFen: number; refundedFen: number; refundedOrders: number; refundRate: number | null }) => [f.gmvFen, f.refundedFen, f.refundedOrders, f.refundRate];

/** The dashboard at `now` for a preset or custom range, checked against the raw tables too. */
async function dashboard(db: Db, now: string, preset: PeriodPreset, custom?: { from: string; to: string }) {
  const periods = resolvePeriod(preset, new Date(now), TZ, custom);
  const d = await kpiDashboard(db, periods);
  expect(d.current).toEqual((await rawKpi(db, periods.current, TZ)).figures);
  expect(d.previous).toEqual((await rawKpi(db, periods.previous, TZ, periods.previousCut)).figures);
  return d;
}

describe("the refunds figures", () => {
  it("count each refund on its merchant-local day, against the same period's GMV, compared with the previous period", async () => {
    await runScenario(scenario, {
      open: freshPglite,
      inspect: async (db) => {
        const later = "2026-03-05T10:00:00+08:00";
        // 2 March: GMV ¥300 (o3), o1's ¥100 refunded: 1 order, 100/300. Against 1 March: GMV ¥300 (o1 + o2, refunded later still count), no refund.
        const day2 = await dashboard(db, later, "custom", { from: "2026-03-02", to: "2026-03-02" });
        expect(refundFigures(day2.current)).toEqual([30_000, 10_000, 1, 1 / 3]);
        expect(refundFigures(day2.previous)).toEqual([30_000, 0, 0, 0]);
        // 3 March: GMV ¥100 (o4), o2's ¥200 refunded (00:30 Shanghai): 200%; o1's repeated refund adds nothing.
        const day3 = await dashboard(db, later, "custom", { from: "2026-03-03", to: "2026-03-03" });
        expect(refundFigures(day3.current)).toEqual([10_000, 20_000, 1, 2]);
        expect(refundFigures(day3.previous)).toEqual([30_000, 10_000, 1, 1 / 3]);
        // The three days: GMV ¥700, ¥300 refunded in 2 orders.
        const all = await dashboard(db, later, "custom", { from: "2026-03-01", to: "2026-03-03" });
        expect(refundFigures(all.current)).toEqual([70_000, 30_000, 2, 3 / 7]);
        // The payout ratio is still rewards ÷ GMV (no rewards here): refunds change neither.
        expect(all.current.payoutRatio).toBe(0);
        // Today at 12:00 on 3 March against 2 March up to 12:00: o3 paid (¥300), o1 refunded only at 23:30.
        const today = await dashboard(db, "2026-03-03T12:00:00+08:00", "today");
        expect(refundFigures(today.current)).toEqual([10_000, 20_000, 1, 2]);
        expect(refundFigures(today.previous)).toEqual([30_000, 0, 0, 0]);
        // The daily aggregates hold them by day (the CSV's daily rows).
        const rows = await db.kpiDaily.findMany({ where: { day: { gte: "2026-03-01", lte: "2026-03-03" } }, orderBy: { day: "asc" } });
        expect(rows.map((r) => [r.day, r.refundedOrders, Number(r.refundedFen)])).toEqual([["2026-03-01", 0, 0], ["2026-03-02", 1, 10_000], ["2026-03-03", 1, 20_000]]);

        // The card and the CSV rows as the page formats them: 3 March against 2 March.
        const card = CARDS.find((c) => c.id === "refunds")!;
        expect(zh(card.label)).toBe("退款");
        expect(en(card.label)).toBe("Refunds");
        const shown = CARD_FIGURES.filter((f) => ["refunds", "refundedOrders", "refundRate"].includes(f.id)).map((f) => {
          const [cur, prev] = [f.value(day3.current), f.value(day3.previous)];
          return [zh(f.label), f.format(cur), f.format(prev), cardChange(f, cur, prev)];
        });
        expect(shown).toEqual([
          ["退款金额", "¥200.00", "¥100.00", { amount: "+100.0", unit: "percent", tone: "bad" }],
          ["退款订单", "1", "1", { amount: "0.0", unit: "percent", tone: "flat" }],
          // 200% against 33.3%: +166.7 points, more refunds are bad news.
          ["退款率", "200.0%", "33.3%", { amount: "+166.7", unit: "points", tone: "bad" }],
        ]);
      },
    });
  });

  it("define the refund rate on hover, in Chinese and English", () => {
    const card = CARDS.find((c) => c.id === "refunds")!;
    expect(zh(card.def)).toContain("退款率 = 退款金额 ÷ 同期 GMV");
    expect(en(card.def)).toContain("refund rate = refunded amount ÷ GMV of the same period");
  });
});
