// A completion dead-lettered in March and retried by staff after March's bonuses were paid is dated in March (when it
// fell due), a month no run counts any more. SPEC §7 counts it in March: the next monthly run (1 May) pays March's team
// and stepped bonus again with it, less what 1 April paid — a top-up of the member's March row, or a new March row for
// a member who had none — exactly once however often or concurrently the runs go.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../server/orders";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { retryFailedJob } from "../server/scheduler/failed";
import { payMonthlyStepBonus } from "../server/bonus/step";
import { payMonthlyTeamBonus } from "../server/tiers";
import { freshDatabase } from "./helpers/db";
import { teaShop } from "./helpers/shop";

const config = parseConfig({
  commission: { enabled: false },
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 20_000, bps: 800 }] },
});
const at = (local: string) => new Date(`${local}+08:00`);
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

/** One tick of the in-process scheduler at `now`. */
async function tick(db: Db, now: Date) {
  await inTx(db, { now }, (ctx) => ensureRecurringTransitions(ctx));
  await runDueTransitions(db, now, { clock: "wall", now });
}

/**
 * s sponsors b, t sponsors c. On 2 March b buys o1 and o2, c buys o3 (one 100 元 tea each), all shipped: delivered
 * automatically on 12 March, completed on 19 March 09:00. The completions of o2 and o3 fail 8 times and are
 * dead-lettered; 1 April pays March with o1 only; staff retry them on 3 April.
 */
async function lateMarch(db: Db) {
  await teaShop(db);
  const march2 = at("2026-03-02T09:00:00");
  await inTx(db, { now: march2 }, (ctx) => ensureRecurringTransitions(ctx));
  const reg = (username: string, sponsorId?: number) => inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username, sponsorId, ip: `10.1.0.${username.charCodeAt(0)}`, device: `d-${username}` }));
  const s = await reg("s");
  const b = await reg("b", s.id);
  const t = await reg("t");
  const c = await reg("c", t.id);
  const orders: number[] = [];
  for (const buyer of [b, b, c]) {
    const o = await inTx(db, { now: march2 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now: march2 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    await inTx(db, { now: march2 }, (ctx) => shipOrder(ctx, o.id));
    orders.push(o.id);
  }
  await tick(db, at("2026-03-12T10:00:00"));
  const dead = at("2026-03-19T12:00:00");
  await db.dueTransition.updateMany({ where: { kind: "ORDER_COMPLETE", refId: { in: orders.slice(1) } }, data: { attempts: 8, lastError: "Error: x", deadAt: dead, nextAttemptAt: dead } });
  await tick(db, at("2026-03-19T12:30:00"));
  await tick(db, at("2026-04-01T00:05:00"));

  const staff = await db.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "owner", passwordHash: "x", createdAt: march2 } });
  const retryAt = at("2026-04-03T10:00:00");
  for (const row of await db.dueTransition.findMany({ where: { deadAt: { not: null } } })) {
    await inTx(db, { now: retryAt }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "transition", id: row.id }));
  }
  await tick(db, retryAt);
  return { s: s.id, t: t.id, orders };
}

const paid = async (db: Db) => ({
  team: await db.teamBonus.findMany({ orderBy: [{ memberId: "asc" }, { month: "asc" }], select: { memberId: true, month: true, baseFen: true, amountFen: true } }),
  step: await db.stepBonus.findMany({ orderBy: [{ memberId: "asc" }, { month: "asc" }], select: { memberId: true, month: true, salesFen: true, bps: true, amountFen: true } }),
});
const available = async (db: Db, memberId: number) => Number((await db.wallet.findUniqueOrThrow({ where: { memberId } })).available);

it("a March completion retried after March was paid is paid as March's correction by the 1 May run, once", async () => {
  const db = database.prisma;
  const { s, t, orders } = await lateMarch(db);
  const completed = await db.order.findMany({ where: { id: { in: orders } }, orderBy: { id: "asc" }, select: { status: true, completedAt: true } });
  // Each completed when its return window closed: 19 March 09:00, in March.
  expect(completed).toEqual(orders.map(() => ({ status: "COMPLETED", completedAt: at("2026-03-19T09:00:00") })));
  // 1 April paid March on o1 only: s a partner (1 qualified direct), team 2% of 10 000 = 200, step 5% of 10 000 = 500.
  // t had no March sale then: nothing.
  expect(await paid(db)).toEqual({
    team: [{ memberId: s, month: "2026-03", baseFen: 10_000n, amountFen: 200 }],
    step: [{ memberId: s, month: "2026-03", salesFen: 10_000n, bps: 500, amountFen: 500 }],
  });
  expect(await available(db, s)).toBe(700);

  await tick(db, at("2026-05-01T00:05:00"));
  // March as it should have been paid: s 20 000 of sales reaches the 200 元 bracket, 8% = 1 600 (paid 500: +1 100);
  // team 2% of 20 000 = 400 (paid 200: +200). t: 10 000, 5% = 500 and team 2% = 200, new March rows. April: no sale.
  const march = {
    team: [
      { memberId: s, month: "2026-03", baseFen: 20_000n, amountFen: 400 },
      { memberId: t, month: "2026-03", baseFen: 10_000n, amountFen: 200 },
    ],
    step: [
      { memberId: s, month: "2026-03", salesFen: 20_000n, bps: 800, amountFen: 1_600 },
      { memberId: t, month: "2026-03", salesFen: 10_000n, bps: 500, amountFen: 500 },
    ],
  };
  expect(await paid(db)).toEqual(march);
  expect(await available(db, s)).toBe(2_000);
  expect(await available(db, t)).toBe(700);

  // Run again (a retried step), and the next months' runs: nothing more.
  const may1 = at("2026-05-01T00:00:00");
  await payMonthlyTeamBonus(db, { now: at("2026-05-01T01:00:00"), instant: may1 });
  await payMonthlyStepBonus(db, { now: at("2026-05-01T01:00:00"), instant: may1 });
  await tick(db, at("2026-06-01T00:05:00"));
  expect(await paid(db)).toEqual(march);
  expect(await available(db, s)).toBe(2_000);
  expect(await available(db, t)).toBe(700);
  const bonusLedger = await db.ledgerEntry.aggregate({ where: { account: { in: ["merchant:team_bonus", "merchant:step_bonus"] } }, _sum: { amountFen: true } });
  expect(bonusLedger._sum.amountFen).toBe(-2_700);
});

it("two runs correcting March at once (1 May's and 1 June's) pay it once", async () => {
  const db = database.prisma;
  const { s, t } = await lateMarch(db);
  const now = at("2026-06-01T00:05:00");
  await Promise.all(
    [at("2026-05-01T00:00:00"), at("2026-06-01T00:00:00")].flatMap((instant) => [payMonthlyStepBonus(db, { now, instant }), payMonthlyTeamBonus(db, { now, instant })]),
  );
  expect(await available(db, s)).toBe(2_000);
  expect(await available(db, t)).toBe(700);
  expect((await paid(db)).step.map((r) => [r.month, r.amountFen])).toEqual([
    ["2026-03", 1_600],
    ["2026-03", 500],
  ]);
});
