// Stepped sales bonus (SPEC §7) and distributor status (§4) beyond what the scenario files show:
// batches that resume, runs that repeat, race or come late, and "at that instant" for status and freezes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, refundOrder } from "../../server/orders";
import { ensureRecurringTransitions, runDueTransitions } from "../../server/scheduler";
import { bracketFor, nextBracket, payMonthlyStepBonus, stepBonusAmount, stepBonusProgress } from "../../server/bonus/step";
import { distributorProgress } from "../../server/distribution";
import { DAY, HOUR } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { createSimpleProduct } from "../../server/catalog/admin";

const brackets = [
  { minFen: 0, bps: 500 },
  { minFen: 30000, bps: 800 },
];
const config = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }], stepBonus: { brackets } });
const MARCH = new Date("2026-03-02T09:00:00+08:00");
const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(database.prisma, { config, now: MARCH }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "fmcg", name: "日用" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10000, category: "fmcg", stock: 1000 });
    await ensureRecurringTransitions(ctx);
  });
});
afterEach(() => database.close());

const at = (t: Date, cfg: MallConfig = config) => ({ config: cfg, now: t });

async function member(name: string, sponsorId: number | null, cfg: MallConfig = config, t = MARCH) {
  return inTx(database.prisma, at(t, cfg), (ctx) => registerMember(ctx, { username: name, sponsorId, ip: `ip-${name}`, device: `d-${name}` }));
}

async function paidOrder(memberId: number, qty: number, t = MARCH, cfg: MallConfig = config) {
  const db = database.prisma;
  const o = await inTx(db, at(t, cfg), (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty }] }));
  await inTx(db, at(t, cfg), (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}

/** Each sponsor i gets one direct whose order of (i+1) × 10000 fen completes in March. */
async function sponsorsWithMarchSales(n: number) {
  const sponsors: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = await member(`s${i}`, null);
    const b = await member(`b${i}`, s.id);
    const o = await paidOrder(b.id, i + 1);
    await inTx(database.prisma, at(MARCH), async (ctx) => {
      await shipOrder(ctx, o.id);
      await confirmDelivery(ctx, o.id);
    });
    sponsors.push(s.id);
  }
  await runDueTransitions(database.prisma, new Date(MARCH.getTime() + 8 * DAY), { config, clock: "due" });
  return sponsors;
}

const bonusOf = async (memberId: number) => database.prisma.stepBonus.findMany({ where: { memberId } });

describe("brackets", () => {
  it("picks the highest bracket reached and pays the whole amount at its rate", () => {
    const bs = [{ minFen: 20000, bps: 300 }, { minFen: 50000, bps: 800 }];
    expect(bracketFor(bs, 19999)).toBeNull();
    expect(stepBonusAmount(bs, 19999)).toBe(0);
    expect(bracketFor(bs, 20000)).toEqual({ minFen: 20000, bps: 300 });
    expect(stepBonusAmount(bs, 49999)).toBe(1499); // floor(1499.97)
    expect(stepBonusAmount(bs, 50000)).toBe(4000);
    expect(stepBonusAmount(bs, 70000)).toBe(5600);
    expect(nextBracket(bs, 20000)).toEqual({ minFen: 50000, bps: 800 });
    expect(nextBracket(bs, 50000)).toBeNull();
  });
});

describe("monthly stepped bonus", () => {
  it("pays in batches that resume where an interrupted run stopped, once per member and month", async () => {
    const sponsors = await sponsorsWithMarchSales(5);
    // An interrupted run: only the first batch of 2 committed.
    const first = await payMonthlyStepBonus(database.prisma, { now: APRIL_1, config, batchSize: 2, maxBatches: 1 });
    expect(first).toMatchObject({ changed: 2, batches: 1, done: false });
    expect(await database.prisma.stepBonus.count()).toBe(2);
    // The scheduled transition resumes after the last committed batch.
    await runDueTransitions(database.prisma, APRIL_1, { config, clock: "due" });
    // A repeat (even with its cursor lost) pays nobody twice: the (member, month) row is unique.
    await database.prisma.jobCursor.deleteMany({ where: { key: "step_bonus:2026-03" } });
    expect((await payMonthlyStepBonus(database.prisma, { now: new Date(APRIL_1.getTime() + DAY), config, instant: APRIL_1 })).changed).toBe(0);
    const rows = await database.prisma.stepBonus.findMany({ orderBy: { memberId: "asc" } });
    expect(rows.map((r) => [r.memberId, r.month, Number(r.salesFen), r.bps, r.amountFen])).toEqual([
      [sponsors[0], "2026-03", 10000, 500, 500],
      [sponsors[1], "2026-03", 20000, 500, 1000],
      [sponsors[2], "2026-03", 30000, 800, 2400],
      [sponsors[3], "2026-03", 40000, 800, 3200],
      [sponsors[4], "2026-03", 50000, 800, 4000],
    ]);
    expect(await database.prisma.ledgerTxn.count({ where: { kind: "step_bonus" } })).toBe(5);
    // Commission 10% L1 settled at T+1 of the completion plus the bonus, all in available.
    const w = await database.prisma.wallet.findUniqueOrThrow({ where: { memberId: sponsors[4] } });
    expect(Number(w.available)).toBe(5000 + 4000);
    // Next month's run is scheduled once, after the team bonus for the same instant.
    const due = await database.prisma.dueTransition.findMany({ where: { kind: { in: ["TEAM_BONUS", "STEP_BONUS"] }, doneAt: null }, orderBy: { id: "asc" } });
    expect(due.map((d) => [d.kind, d.dueAt.toISOString()])).toEqual([
      ["TEAM_BONUS", new Date("2026-05-01T00:00:00+08:00").toISOString()],
      ["STEP_BONUS", new Date("2026-05-01T00:00:00+08:00").toISOString()],
    ]);
  });

  it("runs of the same month at once pay each member once", async () => {
    await sponsorsWithMarchSales(3);
    await Promise.all([0, 1, 2].map(() => payMonthlyStepBonus(database.prisma, { now: APRIL_1, config, batchSize: 1 })));
    expect(await database.prisma.stepBonus.count()).toBe(3);
    expect(await database.prisma.ledgerTxn.count({ where: { kind: "step_bonus" } })).toBe(3);
  });

  it("a late run pays the month of its due time, judging status and freezes at that instant", async () => {
    const sponsors = await sponsorsWithMarchSales(2);
    const lateNow = new Date("2026-04-20T12:00:00+08:00");
    // sponsors[0] is frozen after the month closed: it still earns March's bonus.
    await database.prisma.member.update({ where: { id: sponsors[0] }, data: { frozen: true, frozenAt: new Date("2026-04-05T00:00:00+08:00") } });
    // sponsors[1] was frozen before the instant: nothing.
    await database.prisma.member.update({ where: { id: sponsors[1] }, data: { frozen: true, frozenAt: new Date("2026-03-31T00:00:00+08:00") } });
    await runDueTransitions(database.prisma, lateNow, { config, clock: "wall", now: lateNow });
    expect((await bonusOf(sponsors[0])).map((b) => [b.month, b.amountFen])).toEqual([["2026-03", 500]]);
    expect(await bonusOf(sponsors[1])).toEqual([]);
  });
});

describe("distributor status (first_order / spend)", () => {
  it("is not held by someone who qualifies only after the instant, and is kept after a refund", async () => {
    const cfg = parseConfig({ ...config, commission: { distributorMode: "spend", distributorMinSpendFen: 20000 } });
    await database.prisma.mallConfig.update({ where: { id: "default" }, data: { data: cfg as object } });
    const s = await member("s", null, cfg);
    const b = await member("b", s.id, cfg);
    const o = await paidOrder(b.id, 1, MARCH, cfg);
    await inTx(database.prisma, at(MARCH, cfg), async (ctx) => {
      await shipOrder(ctx, o.id);
      await confirmDelivery(ctx, o.id);
    });
    await runDueTransitions(database.prisma, new Date(MARCH.getTime() + 8 * DAY), { config: cfg, clock: "due" });
    const progress = await inTx(database.prisma, at(MARCH, cfg), (ctx) => distributorProgress(ctx, s.id));
    expect(progress).toMatchObject({ mode: "spend", isDistributor: false, minSpendFen: 20000, spentFen: 0, remainingFen: 20000 });
    // s qualifies on 04-01 at 10:00, after the instant: no March bonus even though the run comes later.
    const april = new Date("2026-04-01T10:00:00+08:00");
    const own = await paidOrder(s.id, 2, april, cfg);
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: s.id } })).distributorSince).toEqual(april);
    const notes = await database.prisma.notification.findMany({ where: { memberId: s.id, kind: "distributor" } });
    expect(notes).toHaveLength(1);
    await runDueTransitions(database.prisma, april, { config: cfg, clock: "wall", now: april });
    expect(await bonusOf(s.id)).toEqual([]);
    // A refund takes nothing away.
    await inTx(database.prisma, at(april, cfg), (ctx) => refundOrder(ctx, own.id));
    const after = await inTx(database.prisma, at(april, cfg), (ctx) => distributorProgress(ctx, s.id));
    expect(after).toMatchObject({ isDistributor: true, spentFen: 0, remainingFen: 0 });
  });

  it("a member who signed up under first_order is a distributor since sign-up once the mode is everyone", async () => {
    const firstOrder = parseConfig({ ...config, commission: { distributorMode: "first_order" } });
    const s = await member("s", null, firstOrder);
    const b = await member("b", s.id, firstOrder);
    await paidOrder(b.id, 1, new Date(MARCH.getTime() + HOUR), config); // now `everyone`
    const c = await database.prisma.commission.findFirstOrThrow({ where: { beneficiaryId: s.id } });
    expect(c.status).toBe("PENDING");
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: b.id } })).distributorSince).toEqual(MARCH);
    expect(await database.prisma.notification.count({ where: { kind: "distributor" } })).toBe(0);
  });

  it("shows this month's direct sales against the next bracket", async () => {
    const sponsors = await sponsorsWithMarchSales(3);
    const p = await inTx(database.prisma, at(new Date("2026-03-20T12:00:00+08:00")), (ctx) => stepBonusProgress(ctx, sponsors[1]));
    expect(p).toMatchObject({ enabled: true, month: "2026-03", salesFen: 20000, current: { minFen: 0, bps: 500 }, next: { minFen: 30000, bps: 800 }, remainingFen: 10000, estimatedFen: 1000 });
    const april = await inTx(database.prisma, at(new Date("2026-04-02T12:00:00+08:00")), (ctx) => stepBonusProgress(ctx, sponsors[1]));
    expect(april).toMatchObject({ month: "2026-04", salesFen: 0, remainingFen: 30000, estimatedFen: 0 });
  });
});
