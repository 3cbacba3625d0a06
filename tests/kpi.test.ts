// KPI dashboard (issue 11): the daily aggregates, kept by the domain events' facts, equal the
// figures computed from the raw tables on random scenarios (reconciliation property; refunds too; the repurchase
// rate by members and new paying members less refunded first orders); folding is exactly once per event (pieces
// sold per product too); periods follow the merchant calendar.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Db } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { runScenario } from "../server/scenario/run";
import { recordReferralVisit, recordReferralVisits } from "../server/referral";
import { refundOrder } from "../server/orders";
import { foldKpiFacts } from "../server/kpi/daily";
import { kpiDashboard, rawKpi } from "../server/kpi/dashboard";
import { recordKpiFact } from "../server/kpi/facts";
import { localDay } from "../server/kpi/periods";
import { addDays, daysOf, resolvePeriod, type PeriodPreset } from "../server/kpi/periods";
import { freshPglite, freshPostgres, reusablePglite, usingPostgres } from "./helpers/db";
import { stalePrevDays } from "./helpers/kpi";
import { buyAndPay, moveUnder } from "./helpers/kpi-moves";

const MIN = 60_000;
const TZ = "Asia/Shanghai";

type Step =
  | { kind: "register"; sponsor: number | null }
  | { kind: "order"; user: number; sku: number; qty: number }
  | { kind: "pay" | "deliver" | "refund"; order: number }
  | { kind: "review"; user: number; approve: boolean }
  | { kind: "advance"; days: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("register" as const), sponsor: fc.option(fc.nat(15), { nil: null }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("order" as const), user: fc.nat(15), sku: fc.nat(2), qty: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("pay" as const), order: fc.nat(25) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), order: fc.nat(25) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("refund" as const), order: fc.nat(25) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("review" as const), user: fc.nat(15), approve: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 40 }) }) },
);

const scenarioArb = fc
  .record({
    steps: fc.array(fc.tuple(stepArb, fc.integer({ min: 1, max: 2 * 24 * 60 })), { minLength: 8, maxLength: 35 }),
    n: fc.integer({ min: 1, max: 2 }),
    payout: fc.constantFrom("cash", "credit"),
    visits: fc.array(fc.tuple(fc.nat(15), fc.nat(100)), { maxLength: 6 }),
    lateVisits: fc.array(fc.tuple(fc.nat(15), fc.nat(100)), { minLength: 1, maxLength: 4 }),
    todayOffset: fc.nat(12),
    // The request's time of day on its day (minutes after midnight): where the comparison's last day is cut.
    nowMinute: fc.nat(24 * 60 - 1),
    // Sponsor changes after the run (mover, target): the first moves a member with no sponsor (a referral made later).
    moves: fc.array(fc.tuple(fc.nat(15), fc.nat(15)), { minLength: 1, maxLength: 3 }),
    // Members (among those who paid) whose first paid order is refunded after the run, if it still can be.
    firstRefunds: fc.array(fc.nat(15), { minLength: 1, maxLength: 2 }),
  })
  .map(({ steps, n, payout, visits, lateVisits, todayOffset, nowMinute, moves, firstRefunds }) => {
    let t = Date.parse("2026-03-01T10:00:00+08:00");
    const users = ["u0"];
    const orders: string[] = [];
    const events: Record<string, unknown>[] = [{ at: new Date(t).toISOString(), type: "register", user: "u0", ip: "ip0", device: "d0" }];
    for (const [s, gap] of steps) {
      t += gap * MIN;
      const at = new Date(t).toISOString();
      if (s.kind === "register") {
        const name = `u${users.length}`;
        const sponsor = s.sponsor === null ? undefined : users[s.sponsor % users.length];
        events.push({ at, type: "register", user: name, ...(sponsor ? { sponsor } : {}), ip: `ip${users.length}`, device: `d${users.length}` });
        users.push(name);
      } else if (s.kind === "order") {
        events.push({ at, type: "order", order: `o${orders.length}`, user: users[s.user % users.length], lines: [{ sku: `p${s.sku}`, qty: s.qty }], address: `addr-${s.user % users.length}` });
        orders.push(`o${orders.length}`);
      } else if (s.kind === "review") {
        events.push({ at, type: "review", user: users[s.user % users.length], decision: s.approve ? "approve" : "reject" });
      } else if (s.kind === "advance") {
        t += s.days * 24 * 60 * MIN;
        events.push({ at: new Date(t).toISOString(), type: "advance" });
      } else if (orders.length) {
        events.push({ at, type: s.kind, order: orders[s.order % orders.length] });
      }
    }
    return {
      scenario: {
        config: {
          // Most orders stay payable across the steps' gaps (up to two days): payments, commissions, shares.
          paymentTimeoutMinutes: 7 * 24 * 60,
          rebate: { n, payout, windowDays: 15 },
          tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }],
          stepBonus: { brackets: [{ minFen: 0, bps: 300 }] },
          commission: { categoryRatesBps: { digital: [300, 100, 50] } },
        },
        products: [
          { sku: "p0", priceFen: 9900, category: "fmcg", stock: 60 },
          { sku: "p1", priceFen: 3333, category: "digital", stock: 60 },
          { sku: "p2", priceFen: 210000, category: "fmcg", stock: 6 },
        ],
        events,
      },
      visits: visits.map(([u, minutes]) => ({ user: u % users.length, at: new Date(Date.parse("2026-03-01T10:00:00+08:00") + minutes * 60 * MIN) })),
      // Anywhere in the run, by paying members (so mostly shares that change a cached day).
      lateVisits: lateVisits.map(([u, pct]) => ({ user: u, at: new Date(Date.parse("2026-03-01T10:00:00+08:00") + ((t - Date.parse("2026-03-01T10:00:00+08:00")) * pct) / 100) })),
      todayOffset,
      nowMinute,
      moves,
      firstRefunds,
      end: new Date(t),
    };
  });

/** Member-day rows whose prevPaidDay / prevRepeatDay differ from their recomputation (none when the folds keep them exactly). */
function stalePaidDays(db: Db) {
  return db.$queryRaw<{ day: string; memberId: number }[]>`
    SELECT t.day, t."memberId" FROM "KpiMemberDay" t
    JOIN (SELECT day, "memberId", max(day) FILTER (WHERE paid) OVER m AS pp, max(day) FILTER (WHERE repeated) OVER m AS pr
          FROM "KpiMemberDay" WINDOW m AS (PARTITION BY "memberId" ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) w
      ON w.day = t.day AND w."memberId" = t."memberId"
    WHERE t."prevPaidDay" IS DISTINCT FROM w.pp OR t."prevRepeatDay" IS DISTINCT FROM w.pr`;
}

/** `minute` minutes after the merchant's midnight of `day`. */
const atMinute = (day: string, minute: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + minute * MIN);

/**
 * The dashboard's figures for a period requested at `now` and its comparison period (its last day cut at now's
 * time when the current one runs to today) equal the raw tables', and so does each day of its chart (up to a
 * month of days). Member figures of the days before now's day come from the cache.
 */
async function reconcile(db: Db, now: Date, preset: PeriodPreset, custom?: { from: string; to: string }) {
  const periods = resolvePeriod(preset, now, TZ, custom);
  const dash = await kpiDashboard(db, periods);
  const raw = await rawKpi(db, periods.current, TZ);
  expect(dash.current).toEqual(raw.figures);
  expect(dash.previous).toEqual((await rawKpi(db, periods.previous, TZ, periods.previousCut)).figures);
  expect(dash.liabilities).toEqual(raw.liabilities);
  expect(dash.top.map((r) => [r.memberId, r.earnedFen])).toEqual(raw.top.map((r) => [r.memberId, r.earnedFen]));
  expect(dash.series.map((p) => p.day)).toEqual(daysOf(periods.current));
  if (dash.series.length <= 31) {
    for (const point of dash.series) {
      const f = (await rawKpi(db, { from: point.day, to: point.day }, TZ)).figures;
      expect(point).toEqual({ day: point.day, gmvFen: f.gmvFen, paidOrders: f.paidOrders, newMembers: f.newMembers, rewardsPaidFen: f.rewardsPaidFen });
    }
  }
  return dash;
}

/**
 * The scenario's sponsor changes, a minute apart after `end`, as staff make them; each member moved then pays an
 * order (referred by its new sponsor). A move the rules refuse (same sponsor, under its own team) is skipped.
 */
async function moveMembers(db: Db, moves: [number, number][], end: Date) {
  let t = end.getTime();
  for (const [i, [m, s]] of moves.entries()) {
    const members = await db.member.findMany({ orderBy: { id: "asc" }, select: { id: true, sponsorId: true } });
    const unsponsored = members.filter((x) => x.sponsorId === null);
    const mover = (i === 0 ? unsponsored : members)[m % (i === 0 ? unsponsored.length : members.length)]!;
    for (let k = 0; k < members.length; k++) {
      const to = members[(s + k) % members.length]!;
      if (to.id === mover.id) continue;
      t += MIN;
      try {
        await moveUnder(db, mover.id, to.id, new Date(t));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        continue;
      }
      t += MIN;
      // Refused when the mover is frozen or p1 sold out: the move is still checked.
      await buyAndPay(db, mover.id, "p1", `moved-${i}`, new Date(t)).catch((e: unknown) => {
        if (!(e instanceof DomainError)) throw e;
      });
      break;
    }
  }
}

describe("KPI aggregates reconcile with the raw tables", () => {
  it("on random scenarios, for the whole run and for slices of it", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ scenario, visits, lateVisits, todayOffset, nowMinute, moves, firstRefunds, end }) => {
        await runScenario(scenario, {
          // FM_TEST_DB=postgres: each scenario on its own PostgreSQL database.
          open: usingPostgres() ? freshPostgres : reusablePglite,
          inspect: async (db) => {
            // Share-link visits (not a scenario event): some by paying members, some not.
            const members = await db.member.findMany({ orderBy: { id: "asc" }, select: { id: true, referralCode: true } });
            const visit = async (vs: typeof visits, by: { referralCode: string }[]) => {
              for (const v of vs) await inTx(db, { now: v.at }, (ctx) => recordReferralVisit(ctx, by[v.user % by.length]!.referralCode, `visitor-${v.user}`));
            };
            await visit(visits, members);
            await moveMembers(db, moves, end);
            // First paid orders refunded (the moves take at most a few dozen minutes): their members leave the new paying ones.
            const firsts = await db.member.findMany({ where: { firstPaidOrderId: { not: null } }, orderBy: { id: "asc" }, select: { firstPaidOrderId: true } });
            for (const [i, k] of firstRefunds.entries()) {
              if (firsts.length > 0) await inTx(db, { now: new Date(end.getTime() + (180 + i) * MIN) }, (ctx) => refundOrder(ctx, firsts[k % firsts.length]!.firstPaidOrderId!));
            }
            const first = "2026-03-01";
            const last = localDay(end, TZ);
            // Requests on a day inside the run: its earlier days cached, the rest read live; the comparison cut at now's time.
            const today = addDays(first, todayOffset);
            const now = atMinute(today, nowMinute);
            const slices = async () => {
              // Two days after the run (the moves and their orders a few minutes after its end): all of it, whole days.
              const whole = await reconcile(db, atMinute(addDays(last, 2), nowMinute), "custom", { from: first, to: addDays(last, 1) });
              await reconcile(db, now, "custom", { from: first, to: first });
              // Reaching past today: up to today, cut like the presets; starting after today: refused.
              if (todayOffset >= 1) await reconcile(db, now, "custom", { from: addDays(first, 1), to: addDays(first, 3) });
              else expect(() => resolvePeriod("custom", now, TZ, { from: addDays(first, 1), to: addDays(first, 3) })).toThrow(RangeError);
              await reconcile(db, now, "custom", { from: first, to: addDays(last, 1) });
              for (const preset of ["today", "7d", "30d", "month"] as const) await reconcile(db, now, preset);
              // On the run's last day too (the moves may come after now's time on it).
              for (const preset of ["today", "7d"] as const) await reconcile(db, atMinute(last, nowMinute), preset);
              // Live members are checked against the cached days through their rows' prev days.
              expect(await stalePrevDays(db)).toEqual([]);
              expect(await stalePaidDays(db)).toEqual([]);
              return whole;
            };
            await slices();
            // Later visits fold into days the cached periods hold: those must be computed again, and
            // the members' later rows get them as their prev shared day.
            const payers = await db.member.findMany({ where: { firstPaidOrderId: { not: null } }, orderBy: { id: "asc" }, select: { referralCode: true } });
            await visit(lateVisits, payers.length > 0 ? payers : members);
            const whole = await slices();
            // Liabilities at the end, independently of the ledger: the engine's own rows.
            const pendingCommission = await db.commission.aggregate({ where: { status: { in: ["PENDING", "CONFIRMED"] } }, _sum: { amountFen: true } });
            const dueCashback = await db.rebateTask.aggregate({ where: { status: { in: ["MET", "CONFIRMED"] } }, _sum: { cashbackFen: true } });
            expect(whole.liabilities.pendingCommissionFen).toBe(pendingCommission._sum.amountFen ?? 0);
            expect(whole.liabilities.pendingCashbackFen).toBe(dueCashback._sum.cashbackFen ?? 0);
            // Members' balances owed on demand: the wallets' own columns.
            const wallets = await db.wallet.aggregate({ _sum: { available: true, credit: true, withdrawing: true } });
            expect(whole.liabilities.availableFen).toBe(Number(wallets._sum.available ?? 0));
            expect(whole.liabilities.creditFen).toBe(Number(wallets._sum.credit ?? 0));
            expect(whole.liabilities.withdrawingFen).toBe(Number(wallets._sum.withdrawing ?? 0));
            expect(whole.current.paidOrders).toBe(await db.order.count({ where: { paidAt: { not: null } } }));
            // 复购率 from the orders themselves: members with a paid order (refunded since or not), and those of them with a
            // paid order that is not their first paid order. 新增付费会员: first paid orders not refunded.
            const firstOf = new Map((await db.member.findMany({ select: { id: true, firstPaidOrderId: true } })).map((m) => [m.id, m.firstPaidOrderId]));
            const paid = await db.order.findMany({ where: { paidAt: { not: null } }, select: { id: true, memberId: true, status: true } });
            const paying = new Set(paid.map((o) => o.memberId)).size;
            const repeating = new Set(paid.filter((o) => firstOf.get(o.memberId) !== o.id).map((o) => o.memberId)).size;
            expect([whole.current.payingMembers, whole.current.repeatMembers, whole.current.repurchaseRate]).toEqual([paying, repeating, paying === 0 ? null : repeating / paying]);
            expect(whole.current.newPayingMembers).toBe(paid.filter((o) => firstOf.get(o.memberId) === o.id && o.status !== "REFUNDED").length);
            // 退款: the refunded orders' goods amount and count, and their share of the GMV (every paid order's goods amount).
            const refunded = await db.order.aggregate({ where: { status: "REFUNDED" }, _sum: { goodsFen: true }, _count: { _all: true } });
            const gmv = (await db.order.aggregate({ where: { paidAt: { not: null } }, _sum: { goodsFen: true } }))._sum.goodsFen ?? 0;
            expect([whole.current.refundedFen, whole.current.refundedOrders]).toEqual([refunded._sum.goodsFen ?? 0, refunded._count._all]);
            expect(whole.current.refundRate).toBe(gmv === 0 ? null : (refunded._sum.goodsFen ?? 0) / gmv);
            // 已售: the pieces folded per product equal the lines of the paid, unrefunded orders.
            const lines = await db.orderLine.groupBy({ by: ["productId"], where: { order: { status: { in: ["PAID", "SHIPPED", "DELIVERED", "COMPLETED"] } } }, _sum: { qty: true } });
            const folded = await db.productSales.findMany({ where: { soldQty: { not: 0 } }, orderBy: { productId: "asc" } });
            expect(folded.map((r) => [r.productId, r.soldQty])).toEqual(lines.filter((r) => r._sum.qty).map((r) => [r.productId, r._sum.qty]).sort((a, b) => a[0]! - b[0]!));
          },
        });
      }),
      { numRuns: 6 },
    );
  });
});

describe("folding facts", () => {
  it("counts each event once, however often it is recorded or folded", async () => {
    const database = await freshPglite();
    try {
      const db = database.prisma;
      const now = new Date("2026-05-01T16:30:00Z"); // 00:30 on 2 May in Shanghai
      const fact = () => inTx(db, { now }, (ctx) => recordKpiFact(ctx, "order_paid:1", "order_paid", now, { deltas: { paidOrders: 1, gmvFen: 500 } }));
      await fact();
      await fact();
      await inTx(db, { now }, (ctx) => recordKpiFact(ctx, "order_paid:2", "order_paid", now, { deltas: { paidOrders: 1, gmvFen: 700 } }));
      await Promise.all([foldKpiFacts(db), foldKpiFacts(db)]);
      const row = await db.kpiDaily.findUniqueOrThrow({ where: { day: "2026-05-02" } });
      expect([row.paidOrders, Number(row.gmvFen)]).toEqual([2, 1200]);
      expect(await foldKpiFacts(db)).toBe(0);
      expect(await db.kpiFact.count()).toBe(0);
    } finally {
      await database.close();
    }
  });
});

describe("sharers (K-factor)", () => {
  it("a member is a sharer from a visit after their first payment, not from one before it recorded late (a batch)", async () => {
    const paidAt = "2026-03-01T12:00:00+08:00";
    const scenario = {
      products: [{ sku: "p0", priceFen: 9900, category: "fmcg", stock: 5 }],
      events: [
        { at: "2026-03-01T09:00:00+08:00", type: "register", user: "a" },
        { at: "2026-03-01T11:50:00+08:00", type: "order", order: "o1", user: "a", lines: [{ sku: "p0", qty: 1 }] },
        { at: paidAt, type: "pay", order: "o1" },
      ],
    };
    await runScenario(scenario, {
      open: freshPglite,
      inspect: async (db) => {
        const a = await db.member.findFirstOrThrow({ where: { username: "a" } });
        // Both visits are recorded after the payment: the first happened an hour before it.
        await inTx(db, { now: new Date(paidAt) }, (ctx) => recordReferralVisits(ctx, [{ code: a.referralCode, visitorId: "v1", at: new Date("2026-03-01T11:00:00+08:00") }]));
        const before = await kpiDashboard(db, resolvePeriod("custom", new Date(), TZ, { from: "2026-03-01", to: "2026-03-01" }));
        expect([before.current.funnel.visits, before.current.sharers]).toEqual([1, 0]);
        await inTx(db, { now: new Date(paidAt) }, (ctx) => recordReferralVisits(ctx, [{ code: a.referralCode, visitorId: "v2", at: new Date("2026-03-01T13:00:00+08:00") }]));
        const after = await kpiDashboard(db, resolvePeriod("custom", new Date(), TZ, { from: "2026-03-01", to: "2026-03-01" }));
        expect([after.current.funnel.visits, after.current.sharers]).toEqual([2, 1]);
      },
    });
  });
});

describe("voided commissions", () => {
  it("leave the top distributors and active distributors of the day they were earned, and stay in contribution by level", async () => {
    // a ← b ← c (sponsors). c's order (¥100) pays b 10% (L1 ¥10) and a 5% (L2 ¥5); b's order pays a L1 ¥10. All on 1 March.
    const scenario = {
      products: [{ sku: "p0", priceFen: 10_000, category: "fmcg", stock: 5 }],
      events: [
        { at: "2026-03-01T09:00:00+08:00", type: "register", user: "a" },
        { at: "2026-03-01T09:01:00+08:00", type: "register", user: "b", sponsor: "a" },
        { at: "2026-03-01T09:02:00+08:00", type: "register", user: "c", sponsor: "b" },
        { at: "2026-03-01T10:00:00+08:00", type: "order", order: "o1", user: "c", lines: [{ sku: "p0", qty: 1 }] },
        { at: "2026-03-01T10:01:00+08:00", type: "pay", order: "o1" },
        { at: "2026-03-01T11:00:00+08:00", type: "order", order: "o2", user: "b", lines: [{ sku: "p0", qty: 1 }] },
        { at: "2026-03-01T11:01:00+08:00", type: "pay", order: "o2" },
      ],
    };
    await runScenario(scenario, {
      open: freshPglite,
      inspect: async (db) => {
        const id = async (username: string) => (await db.member.findFirstOrThrow({ where: { username } })).id;
        const [a, b, c] = [await id("a"), await id("b"), await id("c")];
        // Read on 5 March: 1 March is a closed day, its member figures cached.
        const day = (d: string) => reconcile(db, new Date("2026-03-05T10:00:00+08:00"), "custom", { from: d, to: d });
        const before = await day("2026-03-01");
        expect(before.top.map((r) => [r.memberId, r.earnedFen])).toEqual([[a, 1_500], [b, 1_000]]);
        expect(before.current.activeDistributors).toBe(2);

        // c's order refunded on 2 March: b's ¥10 and a's ¥5 are voided, a's ¥10 from b's order stays.
        const o1 = await db.order.findFirstOrThrow({ where: { memberId: c } });
        await inTx(db, { now: new Date("2026-03-02T10:00:00+08:00") }, (ctx) => refundOrder(ctx, o1.id));
        const after = await day("2026-03-01");
        expect(after.top.map((r) => [r.memberId, r.earnedFen])).toEqual([[a, 1_000]]);
        expect(after.current.activeDistributors).toBe(1);
        // Contribution by level keeps every commission accrued that day, voided ones included.
        expect(after.current.levels).toEqual({ l1Fen: 2_000, l2Fen: 500, l3Fen: 0 });
        // The day of the refund earned nothing and lost nothing.
        const refundDay = await day("2026-03-02");
        expect([refundDay.top, refundDay.current.activeDistributors]).toEqual([[], 0]);
        // Read live (1 March as today), and over both days.
        await reconcile(db, new Date("2026-03-01T23:00:00+08:00"), "custom", { from: "2026-03-01", to: "2026-03-01" });
        expect((await reconcile(db, new Date("2026-03-02T23:00:00+08:00"), "custom", { from: "2026-03-01", to: "2026-03-02" })).top.map((r) => [r.memberId, r.earnedFen])).toEqual([[a, 1_000]]);
        expect(await stalePrevDays(db)).toEqual([]);
      },
    });
  });
});

describe("periods", () => {
  it("follow the merchant calendar; today, 7 d and 30 d compare with as many days right before", () => {
    const now = new Date("2026-05-01T16:30:00Z"); // 2 May, Shanghai
    // 00:30 on 2 May: the previous period's last day counts up to 00:30 too (utcDay: the UTC date of its local midnight).
    const cut = (utcDay: string) => ({ from: `${utcDay}T16:00:00.000Z`, to: `${utcDay}T16:30:00.000Z`, time: "00:30" });
    expect(resolvePeriod("today", now, TZ)).toEqual({ current: { from: "2026-05-02", to: "2026-05-02" }, previous: { from: "2026-05-01", to: "2026-05-01" }, today: "2026-05-02", previousCut: cut("2026-04-30") });
    expect(resolvePeriod("7d", now, TZ)).toEqual({ current: { from: "2026-04-26", to: "2026-05-02" }, previous: { from: "2026-04-19", to: "2026-04-25" }, today: "2026-05-02", previousCut: cut("2026-04-24") });
    expect(resolvePeriod("month", now, TZ).current).toEqual({ from: "2026-05-01", to: "2026-05-02" });
    expect(resolvePeriod("30d", now, TZ).previous).toEqual({ from: "2026-03-04", to: "2026-04-02" });
    expect(() => resolvePeriod("custom", now, TZ, { from: "2026-05-03", to: "2026-05-01" })).toThrow(RangeError);
    // A past custom range is whole days on both sides; one ending today is cut like the presets.
    expect(resolvePeriod("custom", now, TZ, { from: "2026-04-01", to: "2026-04-03" }).previousCut).toBeNull();
    expect(resolvePeriod("custom", now, TZ, { from: "2026-05-01", to: "2026-05-02" }).previousCut).toEqual(cut("2026-04-29"));
  });

  it("a custom period reaching past today ends today, compared like the presets up to now; one starting after today is refused", () => {
    // 6 December 10:00: 1–31 December is 1–6 December so far, against the 6 days before (25–30 November) up to 10:00 on the 30th.
    const now = new Date("2026-12-06T10:00:00+08:00");
    expect(resolvePeriod("custom", now, TZ, { from: "2026-12-01", to: "2026-12-31" })).toEqual({
      current: { from: "2026-12-01", to: "2026-12-06" },
      previous: { from: "2026-11-25", to: "2026-11-30" },
      today: "2026-12-06",
      previousCut: { from: "2026-11-29T16:00:00.000Z", to: "2026-11-30T02:00:00.000Z", time: "10:00" },
    });
    expect(resolvePeriod("custom", now, TZ, { from: "2026-12-06", to: "2027-01-10" }).current).toEqual({ from: "2026-12-06", to: "2026-12-06" });
    expect(() => resolvePeriod("custom", now, TZ, { from: "2026-12-07", to: "2026-12-31" })).toThrow(RangeError);
  });

  it("refuse a custom day that does not exist, whatever its shape", () => {
    const now = new Date("2026-03-10T10:00:00+08:00");
    for (const [from, to] of [["2026-02-01", "2026-02-31"], ["2026-02-30", "2026-03-01"], ["2026-13-01", "2026-13-02"], ["2025-02-29", "2025-03-01"]] as const) {
      expect(() => resolvePeriod("custom", now, TZ, { from, to }), `${from}..${to}`).toThrow(RangeError);
    }
    expect(resolvePeriod("custom", new Date("2028-03-10T10:00:00+08:00"), TZ, { from: "2028-02-29", to: "2028-03-01" }).current).toEqual({ from: "2028-02-29", to: "2028-03-01" });
  });

  it("compare 本月 with the previous calendar month up to the same day, capped at its last day", () => {
    const month = (iso: string) => resolvePeriod("month", new Date(iso), TZ);
    expect(month("2026-12-04T12:00:00+08:00")).toEqual({
      current: { from: "2026-12-01", to: "2026-12-04" },
      previous: { from: "2026-11-01", to: "2026-11-04" },
      today: "2026-12-04",
      previousCut: { from: "2026-11-03T16:00:00.000Z", to: "2026-11-04T04:00:00.000Z", time: "12:00" },
    });
    // 31 days against February's 28 (2026), not 29 January – 28 February: all of February, no cut.
    expect(month("2026-03-31T12:00:00+08:00")).toEqual({ current: { from: "2026-03-01", to: "2026-03-31" }, previous: { from: "2026-02-01", to: "2026-02-28" }, today: "2026-03-31", previousCut: null });
    expect(month("2026-03-28T12:00:00+08:00").previousCut?.to).toBe("2026-02-28T04:00:00.000Z");
    expect(month("2028-03-30T12:00:00+08:00").previous).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(month("2026-05-31T12:00:00+08:00").previous).toEqual({ from: "2026-04-01", to: "2026-04-30" });
    expect(month("2026-01-15T12:00:00+08:00").previous).toEqual({ from: "2025-12-01", to: "2025-12-15" });
    // Just after midnight in Shanghai, still 31 March in UTC: the merchant's month is April.
    expect(month("2026-03-31T16:30:00Z").previous).toEqual({ from: "2026-03-01", to: "2026-03-01" });
  });
});
