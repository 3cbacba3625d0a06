// The KPI member-figure cache (issue 14, item 7): a period's member figures are cached in the
// database (KpiMemberCache) for every app instance; a fold by any instance that changes one of the
// period's days makes the next read compute them again; today's rows are added to the cached days
// exactly, through each row's prev shared and earning days, which folds keep in any order and at once;
// folds racing dashboard reads never leave a stale figure; the cache stays bounded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPostgres, type Database, type Db } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { foldKpiFacts } from "../../server/kpi/daily";
import { kpiDashboard } from "../../server/kpi/dashboard";
import { recordKpiFact } from "../../server/kpi/facts";
import { grouped, memberFigures, TOP_EARNERS } from "../../server/kpi/members";
import { addDays } from "../../server/kpi/periods";
import { freshDatabase, freshPostgres, usingPostgres } from "../helpers/db";
import { stalePrevDays } from "../helpers/kpi";

const config = parseConfig({ timeZone: "Asia/Shanghai" });
let a: Database;
let b: Database;
let seq = 0;

beforeEach(async () => {
  // Two instances: two connection pools on one PostgreSQL (PGlite has one connection: one handle).
  if (usingPostgres()) {
    const fresh = await freshPostgres();
    a = fresh;
    b = await openPostgres(fresh.url, { migrate: false, poolSize: 4 });
  } else {
    a = await freshDatabase();
    b = a;
  }
});
afterEach(async () => {
  if (b !== a) await b.close();
  await a.close();
});

/** A member's commission (and share) on a merchant day, as the commission and visit events record it. */
async function earn(db: Db, day: string, memberId: number, earnedFen: number, shared = false) {
  const at = new Date(`${day}T12:00:00+08:00`);
  await inTx(db, { now: at, config }, (ctx) => recordKpiFact(ctx, `test:${++seq}`, "commission", at, { deltas: { commissionL1Fen: earnedFen }, earnedFen, shared }, memberId));
}

const figures = async (db: Db, from: string, to: string, today: string) => {
  const d = await kpiDashboard(db, { current: { from, to }, previous: { from: addDays(from, -1), to: addDays(from, -1) }, today, previousCut: null });
  return { sharers: d.current.sharers, activeDistributors: d.current.activeDistributors, top: d.top.map((t) => [t.memberId, t.earnedFen]) };
};
const direct = async (db: Db, from: string, to: string) => {
  const g = await grouped(db, { from, to });
  return { sharers: g.sharers, activeDistributors: g.activeDistributors, top: g.top.slice(0, TOP_EARNERS).map((t) => [t.memberId, t.earned]) };
};

describe("KPI member-figure cache", () => {
  it("is shared by the instances and computed again after either folds into one of its days", async () => {
    await earn(a.prisma, "2026-03-01", 1, 500, true);
    await earn(a.prisma, "2026-03-02", 2, 700);
    await earn(a.prisma, "2026-03-03", 1, 100);
    const first = await figures(a.prisma, "2026-03-01", "2026-03-03", "2026-03-10");
    expect(first).toEqual({ sharers: 1, activeDistributors: 2, top: [[2, 700], [1, 600]] });
    expect(await a.prisma.kpiMemberCache.count({ where: { fromDay: "2026-03-01", toDay: "2026-03-03" } })).toBe(1);
    // The other instance reads the cached figures.
    expect(await figures(b.prisma, "2026-03-01", "2026-03-03", "2026-03-10")).toEqual(first);
    // A late fact on a cached day, folded by the other instance.
    await earn(b.prisma, "2026-03-02", 3, 900, true);
    await foldKpiFacts(b.prisma);
    expect(await figures(a.prisma, "2026-03-01", "2026-03-03", "2026-03-10")).toEqual({ sharers: 2, activeDistributors: 3, top: [[3, 900], [2, 700], [1, 600]] });
  });

  it("adds today's members to the cached days: each member counted once, the top ten merged", async () => {
    // Twelve earners before today, so the cached top ten leaves two out.
    for (let m = 1; m <= 12; m++) await earn(a.prisma, addDays("2026-03-01", m % 3), m, m * 100, m % 2 === 0);
    const today = "2026-03-05";
    expect(await figures(a.prisma, "2026-03-01", today, today)).toEqual(await direct(a.prisma, "2026-03-01", today));
    // Today: a cached member climbs, one left out of the cached ten overtakes, a new member earns and
    // shares, a cached sharer shares again.
    await earn(a.prisma, today, 3, 2000);
    await earn(a.prisma, today, 1, 1150, true);
    await earn(a.prisma, today, 20, 50, true);
    await earn(a.prisma, today, 4, 10, true);
    const live = await figures(a.prisma, "2026-03-01", today, today);
    expect(live).toEqual(await direct(a.prisma, "2026-03-01", today));
    expect(live.top.slice(0, 2)).toEqual([[3, 2300], [1, 1250]]);
    expect([live.sharers, live.activeDistributors]).toEqual([8, 13]);
  });

  it("with more than a hundred earners cached: only today's members who earned in the cached days and could reach the top ten are summed, exactly", async () => {
    // 150 earners before today (member m earned 10·m on day (m − 1) % 4), so the cached hundred leave
    // fifty out; member 300 earned before the period only.
    await inTx(a.prisma, { config }, (ctx) =>
      ctx.tx.kpiMemberDay.createMany({ data: Array.from({ length: 150 }, (_, i) => ({ day: addDays("2026-03-01", i % 4), memberId: i + 1, earnedFen: 10 * (i + 1), shared: i % 7 === 0 })) }),
    );
    await earn(a.prisma, "2026-02-20", 300, 5000);
    const today = "2026-03-05";
    expect(await figures(a.prisma, "2026-03-01", today, today)).toEqual(await direct(a.prisma, "2026-03-01", today));
    // Today: members 40 and 41 (outside the cached hundred, 400 and 410 before — 41 on the period's
    // first day) earn enough to lead: their cached days are summed; member 30 too little to matter;
    // member 150 (the leader) a little more; member 300 a little more than the cached tenth (1 410) —
    // none of the 5 000 it earned before the period counts; a new member 200 earns and shares.
    await earn(a.prisma, today, 40, 1200);
    await earn(a.prisma, today, 41, 1200);
    await earn(a.prisma, today, 30, 5);
    await earn(a.prisma, today, 150, 1, true);
    await earn(a.prisma, today, 300, 1435);
    await earn(a.prisma, today, 200, 1300, true);
    const live = await figures(a.prisma, "2026-03-01", today, today);
    expect(live).toEqual(await direct(a.prisma, "2026-03-01", today));
    expect(live.top).toEqual([[41, 1610], [40, 1600], [150, 1501], [149, 1490], [148, 1480], [147, 1470], [146, 1460], [145, 1450], [144, 1440], [300, 1435]]);
    expect(live.activeDistributors).toBe(152);
  });

  it("charts every day of the period in order, zeros on the days nothing was folded into", async () => {
    const at = (day: string) => new Date(`${day}T12:00:00+08:00`);
    for (const [day, gmvFen] of [["2026-03-04", 900], ["2026-03-02", 300]] as const) {
      await inTx(a.prisma, { now: at(day), config }, (ctx) => recordKpiFact(ctx, `test:${++seq}`, "order", at(day), { deltas: { gmvFen, paidOrders: 1, commissionsPaidFen: 30 } }));
    }
    const d = await kpiDashboard(a.prisma, { current: { from: "2026-03-01", to: "2026-03-05" }, previous: { from: "2026-02-24", to: "2026-02-28" }, today: "2026-03-05", previousCut: null });
    const zero = { gmvFen: 0, paidOrders: 0, newMembers: 0, rewardsPaidFen: 0 };
    expect(d.series).toEqual([
      { day: "2026-03-01", ...zero },
      { day: "2026-03-02", gmvFen: 300, paidOrders: 1, newMembers: 0, rewardsPaidFen: 30 },
      { day: "2026-03-03", ...zero },
      { day: "2026-03-04", gmvFen: 900, paidOrders: 1, newMembers: 0, rewardsPaidFen: 30 },
      { day: "2026-03-05", ...zero },
    ]);
  });

  it("keeps each row's prev shared and earning days exactly, whatever order the days are folded in", async () => {
    const prev = async (memberId: number) =>
      (await a.prisma.kpiMemberDay.findMany({ where: { memberId }, orderBy: { day: "asc" }, select: { day: true, prevSharedDay: true, prevEarnedDay: true } })).map((r) => [r.day, r.prevSharedDay, r.prevEarnedDay]);
    const folded = async (db: Db, day: string, memberId: number, earnedFen: number, shared = false) => {
      await earn(db, day, memberId, earnedFen, shared);
      await foldKpiFacts(db);
    };
    // In day order, one fold each.
    await folded(a.prisma, "2026-03-01", 1, 100, true);
    await folded(b.prisma, "2026-03-03", 1, 200);
    await folded(a.prisma, "2026-03-05", 1, 300);
    expect(await prev(1)).toEqual([
      ["2026-03-01", null, null],
      ["2026-03-03", "2026-03-01", "2026-03-01"],
      ["2026-03-05", "2026-03-01", "2026-03-03"],
    ]);
    // Late: a share on a new earlier day, earnings on another, a share before every day, a share on an
    // existing day; then a negative fold that leaves a day without earnings.
    await folded(b.prisma, "2026-03-02", 1, 0, true);
    await folded(a.prisma, "2026-03-04", 1, 50);
    await folded(b.prisma, "2026-02-28", 1, 0, true);
    await folded(a.prisma, "2026-03-03", 1, 0, true);
    expect(await prev(1)).toEqual([
      ["2026-02-28", null, null],
      ["2026-03-01", "2026-02-28", null],
      ["2026-03-02", "2026-03-01", "2026-03-01"],
      ["2026-03-03", "2026-03-02", "2026-03-01"],
      ["2026-03-04", "2026-03-03", "2026-03-03"],
      ["2026-03-05", "2026-03-03", "2026-03-04"],
    ]);
    await folded(b.prisma, "2026-03-04", 1, -50);
    expect((await prev(1)).at(-1)).toEqual(["2026-03-05", "2026-03-03", "2026-03-03"]);
    // Several days of one member in one fold, out of order.
    for (const [day, fen, shared] of [["2026-03-09", 10, false], ["2026-03-06", 0, true], ["2026-03-08", 5, true], ["2026-03-07", 7, false]] as const) await earn(a.prisma, day, 2, fen, shared);
    await foldKpiFacts(a.prisma);
    expect(await prev(2)).toEqual([
      ["2026-03-06", null, null],
      ["2026-03-07", "2026-03-06", null],
      ["2026-03-08", "2026-03-06", "2026-03-07"],
      ["2026-03-09", "2026-03-08", "2026-03-08"],
    ]);
    expect(await stalePrevDays(a.prisma)).toEqual([]);
  });

  it("counts a member of today once after a late share or earning on a cached day before their row", async () => {
    const today = "2026-03-05";
    await earn(a.prisma, "2026-03-01", 1, 100, true);
    await earn(a.prisma, "2026-03-02", 7, 50);
    await earn(a.prisma, today, 7, 30, true);
    await earn(a.prisma, today, 9, 40);
    const before = await figures(a.prisma, "2026-03-01", today, today);
    expect([before.sharers, before.activeDistributors]).toEqual([2, 3]);
    // Late facts of members 7 and 9 on a cached day, folded by the other instance: both were already
    // counted for today, so nothing is counted twice.
    await earn(b.prisma, "2026-03-03", 7, 0, true);
    await earn(b.prisma, "2026-03-03", 9, 15);
    await foldKpiFacts(b.prisma);
    const after = await figures(a.prisma, "2026-03-01", today, today);
    expect(after).toEqual(await direct(a.prisma, "2026-03-01", today));
    expect([after.sharers, after.activeDistributors]).toEqual([2, 3]);
    expect(after.top).toEqual([[1, 100], [7, 80], [9, 55]]);
  });

  it("keeps the prev days exact while instances fold one member's days at once", async () => {
    for (let round = 0; round < 8; round++) {
      // Three new days of one member, recorded latest first, each folded by its own transaction at once.
      for (const k of [2, 0, 1]) await earn(a.prisma, addDays("2026-03-01", round * 3 + k), 1, 10 + k, k !== 1);
      await Promise.all([foldKpiFacts(a.prisma, 1), foldKpiFacts(b.prisma, 1), foldKpiFacts(b.prisma, 1)]);
    }
    expect(await a.prisma.kpiFact.count()).toBe(0);
    expect(await stalePrevDays(a.prisma)).toEqual([]);
  });

  it("never serves a stale figure while folds race the dashboard reads", async () => {
    const days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"];
    for (let round = 0; round < 12; round++) {
      await Promise.all([
        (async () => {
          await earn(b.prisma, days[round % days.length]!, 100 + (round % 5), 10 + round, round % 3 === 0);
          await foldKpiFacts(b.prisma);
        })(),
        figures(a.prisma, "2026-03-01", "2026-03-04", "2026-03-04"),
        figures(a.prisma, "2026-03-01", "2026-03-03", "2026-03-10"),
      ]);
    }
    await foldKpiFacts(a.prisma);
    expect(await figures(a.prisma, "2026-03-01", "2026-03-04", "2026-03-04")).toEqual(await direct(a.prisma, "2026-03-01", "2026-03-04"));
    expect(await figures(a.prisma, "2026-03-01", "2026-03-03", "2026-03-10")).toEqual(await direct(a.prisma, "2026-03-01", "2026-03-03"));
    expect(await stalePrevDays(a.prisma)).toEqual([]);
  });

  it("keeps the 500 most recently computed periods", async () => {
    await earn(a.prisma, "2026-03-01", 1, 500);
    await foldKpiFacts(a.prisma);
    for (let i = 0; i < 505; i++) await memberFigures(a.prisma, { from: addDays("2026-03-01", -i), to: "2026-03-01" }, "2026-12-01");
    expect(await a.prisma.kpiMemberCache.count()).toBe(500);
    // The newest stays (the longest period, computed last).
    expect(await a.prisma.kpiMemberCache.count({ where: { fromDay: addDays("2026-03-01", -504) } })).toBe(1);
  });
});
