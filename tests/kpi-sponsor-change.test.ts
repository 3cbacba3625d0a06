// KPI referral figures are attributed as of the event (issue 11, review r3): an order or a sign-up is referred
// if its member had a sponsor then; a later sponsor change (改绑) rewrites neither the aggregates nor the raw
// figures they are checked against. PGlite, or PostgreSQL with FM_TEST_DB=postgres.
import { describe, expect, it } from "vitest";
import { runScenario } from "../server/scenario/run";
import { kpiDashboard, rawKpi } from "../server/kpi/dashboard";
import { resolvePeriod } from "../server/kpi/periods";
import { freshDatabase } from "./helpers/db";
import { buyAndPay, moveUnder } from "./helpers/kpi-moves";

const TZ = "Asia/Shanghai";
const referral = (f: { referralGmvShare: number | null; funnel: { signups: number; firstOrders: number } }) => [f.referralGmvShare, f.funnel.signups, f.funnel.firstOrders];

describe("a member with no sponsor, moved under one later", () => {
  it("B signs up without a code and pays ¥100 on 10 March, moved under A on 12 March: 10 March stays unreferred", async () => {
    const scenario = {
      products: [{ sku: "p0", priceFen: 10_000, category: "fmcg", stock: 5 }],
      events: [
        { at: "2026-03-10T08:00:00+08:00", type: "register", user: "a" },
        { at: "2026-03-10T08:30:00+08:00", type: "register", user: "b" },
        { at: "2026-03-10T09:00:00+08:00", type: "order", order: "o1", user: "b", lines: [{ sku: "p0", qty: 1 }] },
        { at: "2026-03-10T09:00:00+08:00", type: "pay", order: "o1" },
      ],
    };
    await runScenario(scenario, {
      open: freshDatabase,
      inspect: async (db) => {
        const [a, b] = await Promise.all(["a", "b"].map(async (username) => (await db.member.findFirstOrThrow({ where: { username } })).id));
        await moveUnder(db, b!, a!, new Date("2026-03-12T10:00:00+08:00"));
        expect((await db.member.findUniqueOrThrow({ where: { id: b! } })).sponsorId).toBe(a);
        // After the move, B's next order (¥100, 13 March) is referred: share 1, a repeat order (no first order).
        await buyAndPay(db, b!, "p0", "o2", new Date("2026-03-13T09:00:00+08:00"));

        // 10 March as a closed day: ¥100 of goods, none referred; two sign-ups, none referred; B's first order not referred.
        const day10 = resolvePeriod("custom", new Date("2026-03-14T10:00:00+08:00"), TZ, { from: "2026-03-10", to: "2026-03-10" });
        const dash = await kpiDashboard(db, day10);
        const raw = (await rawKpi(db, day10.current, TZ)).figures;
        for (const f of [dash.current, raw]) {
          expect([f.gmvFen, f.newMembers, f.newPayingMembers]).toEqual([10_000, 2, 1]);
          expect(referral(f)).toEqual([0, 0, 0]);
        }

        // 今天 at 10:00 on 11 March (read after the move): yesterday up to 10:00 is the cut slice, read from the raw tables.
        const today = resolvePeriod("today", new Date("2026-03-11T10:00:00+08:00"), TZ);
        expect(today.previousCut?.to).toBe("2026-03-10T02:00:00.000Z");
        const prevDash = (await kpiDashboard(db, today)).previous;
        const prevRaw = (await rawKpi(db, today.previous, TZ, today.previousCut)).figures;
        for (const f of [prevDash, prevRaw]) {
          expect([f.gmvFen, f.newMembers, f.newPayingMembers]).toEqual([10_000, 2, 1]);
          expect(referral(f)).toEqual([0, 0, 0]);
        }

        const day13 = resolvePeriod("custom", new Date("2026-03-14T10:00:00+08:00"), TZ, { from: "2026-03-13", to: "2026-03-13" });
        for (const f of [(await kpiDashboard(db, day13)).current, (await rawKpi(db, day13.current, TZ)).figures]) {
          expect([f.gmvFen, f.paidOrders]).toEqual([10_000, 1]);
          expect(referral(f)).toEqual([1, 0, 0]);
        }
      },
    });
  });
});
