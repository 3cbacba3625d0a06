// SPEC §8: while a member has an open flag, the commissions of their orders and the 推三返一 tasks they anchor make no
// further transition. advanceCommissionsOfOrders and advanceRebateTask read whether the buyer is held in their first
// statement and move money in later ones: a hold committed in between (a refund flagging refund_abuse, an order flagging
// shared_address) let a settlement through, pending → available for a held buyer. The updates now check the hold again.
// The hold is created right after the step's read: in the same transaction (PGlite and PostgreSQL), and on PostgreSQL
// also by another transaction that commits before the step goes on.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Prisma, type Database, type Tx } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { advanceCommissionsOfOrder } from "../../server/commission";
import { advanceRebateTask } from "../../server/rebate";
import { recordRiskEvent } from "../../server/risk/flags";
import { walletOf } from "../../server/wallet/ledger";
import { DAY } from "../../server/clock/time";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase, usingPostgres } from "../helpers/db";

// Commissions at the default rates (L1 10% of a 100 元 tea = 1 000 fen); 推三返一 with one invitee, 100% of the
// anchor's 100 元 = 10 000 fen.
const config = parseConfig({ rebate: { n: 1 } });
const t0 = new Date("2026-03-10T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
// Delivered at t0, completed when the 7-day return window closes (at(7), 10:00 in Shanghai); T+1 is the midnight after.
const COMPLETED = at(7);
const SETTLE = at(9);

let database: Database;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 100 });
  });
});
afterEach(() => database.close());

let seq = 0;
const reg = async (sponsorId?: number) => {
  const n = ++seq;
  return (await run((c) => registerMember(c, { username: `u${n}`, sponsorId, ip: `10.0.0.${n}`, device: `d${n}` }))).id;
};

/** An order of one tea by `memberId`, paid and delivered at t0, completed at COMPLETED. */
async function completedOrder(memberId: number): Promise<number> {
  const o = await run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  await run((c) => shipOrder(c, o.id));
  expect(await run((c) => confirmDelivery(c, o.id))).toBe(true);
  expect(await run((c) => completeOrder(c, o.id), COMPLETED)).toBe(true);
  return o.id;
}

/** `tx` that runs `then` once, right after the first statement that reads RiskFlag (the step's read of the hold) has returned. */
function afterHoldRead(tx: Tx, then: () => Promise<unknown>): Tx {
  let done = false;
  return new Proxy(tx, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== "function") return v;
      if (prop !== "$queryRaw") return (v as (...a: unknown[]) => unknown).bind(target);
      return async (strings: TemplateStringsArray, ...values: unknown[]) => {
        const rows = await (v as (...a: unknown[]) => Promise<unknown>).call(target, strings, ...values);
        if (!done && Prisma.sql(strings, ...values).sql.includes('"RiskFlag"')) {
          done = true;
          await then();
        }
        return rows;
      };
    },
  });
}

/** Flags `memberId` (refund_abuse, as a refund in another order would) with `ctx`. */
const flag = (ctx: Ctx, memberId: number) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { refundsIn30Days: 3 });

/** A sponsor and a buyer whose completed order earns the sponsor 1 000 fen, CONFIRMED, due at SETTLE. */
async function confirmedCommission() {
  const sponsor = await reg();
  const buyer = await reg(sponsor);
  const orderId = await completedOrder(buyer);
  const [c] = await database.prisma.commission.findMany({ where: { orderId } });
  expect(c).toMatchObject({ beneficiaryId: sponsor, level: 1, amountFen: 1_000, status: "CONFIRMED" });
  return { sponsor, buyer, orderId, commissionId: c.id };
}

/** An anchor buyer whose task has its one invitee and both orders completed: CONFIRMED, 10 000 fen due at SETTLE. */
async function confirmedTask() {
  const anchor = await reg();
  const anchorOrder = await completedOrder(anchor);
  await completedOrder(await reg(anchor));
  const task = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchorOrder } });
  expect(task).toMatchObject({ memberId: anchor, cashbackFen: 10_000, status: "CONFIRMED" });
  return { anchor, taskId: task.id };
}

/** The sponsor's commission is not settled: still CONFIRMED, its 1 000 fen still pending. */
async function expectUnsettled(sponsor: number, commissionId: number) {
  expect((await database.prisma.commission.findUniqueOrThrow({ where: { id: commissionId } })).status).toBe("CONFIRMED");
  expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ pending: 1_000, available: 0 });
}

/** The task is not paid: still CONFIRMED; the anchor's pending holds its 10 000 fen cashback and 0 is available. */
async function expectUnpaid(anchor: number, taskId: number) {
  expect((await database.prisma.rebateTask.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("CONFIRMED");
  // The anchor is also the invitee's sponsor: its L1 commission (1 000 fen) is pending too, not settled by this step.
  expect(await walletOf({ tx: database.prisma }, anchor)).toMatchObject({ pending: 11_000, available: 0 });
}

describe("a hold created after a step read its facts stops the step", () => {
  it("a commission settlement: the held buyer's sponsor is not paid", async () => {
    const { sponsor, buyer, orderId, commissionId } = await confirmedCommission();
    await run((ctx) => advanceCommissionsOfOrder({ ...ctx, tx: afterHoldRead(ctx.tx, () => flag(ctx, buyer)) }, orderId), SETTLE);
    await expectUnsettled(sponsor, commissionId);
  });

  it("a commission confirmation: a completion racing the hold leaves the commission PENDING", async () => {
    const sponsor = await reg();
    const buyer = await reg(sponsor);
    const o = await run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }));
    await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    await run((c) => shipOrder(c, o.id));
    await run((c) => confirmDelivery(c, o.id));
    expect(await run((ctx) => completeOrder({ ...ctx, tx: afterHoldRead(ctx.tx, () => flag(ctx, buyer)) }, o.id), COMPLETED)).toBe(true);
    const [c] = await database.prisma.commission.findMany({ where: { orderId: o.id } });
    expect(c).toMatchObject({ beneficiaryId: sponsor, amountFen: 1_000, status: "PENDING", confirmedAt: null });
  });

  it("a 推三返一 payout: the held anchor's cashback stays pending", async () => {
    const { anchor, taskId } = await confirmedTask();
    await run((ctx) => advanceRebateTask({ ...ctx, tx: afterHoldRead(ctx.tx, () => flag(ctx, anchor)) }, taskId), SETTLE);
    await expectUnpaid(anchor, taskId);
  });

  it("a 推三返一 task's n-th invitee: the held anchor's task takes the invitee but is not MET", async () => {
    const anchor = await reg();
    const a = await run((c) => createOrder(c, { memberId: anchor, lines: [{ sku: "tea", qty: 1 }] }));
    await run((c) => confirmPayment(c, { orderId: a.id, provider: "sandbox", providerTxnId: `t${a.id}`, amountFen: a.payableFen, currency: "CNY" }));
    const invitee = await reg(anchor);
    const o = await run((c) => createOrder(c, { memberId: invitee, lines: [{ sku: "tea", qty: 1 }] }));
    await run((c) => confirmPayment({ ...c, tx: afterHoldRead(c.tx, () => flag(c, anchor)) }, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    const task = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: a.id }, include: { assignments: true } });
    expect(task).toMatchObject({ status: "OPEN", metAt: null, assignments: [{ inviteeId: invitee }] });
    // Pending holds only the anchor's L1 commission on the invitee's order (1 000 fen), no cashback.
    expect(await walletOf({ tx: database.prisma }, anchor)).toMatchObject({ pending: 1_000, available: 0 });
  });
});

// Two transactions at once need two connections (PGlite runs one transaction at a time).
describe.runIf(usingPostgres())("a hold committed by another transaction after a step read its facts stops the step", () => {
  /** Flags `memberId` in a transaction of its own, committed before the caller goes on. */
  const flagCommitted = (memberId: number) => run((ctx) => flag(ctx, memberId), SETTLE);

  it("a commission settlement: the held buyer's sponsor is not paid", async () => {
    const { sponsor, buyer, orderId, commissionId } = await confirmedCommission();
    await run((ctx) => advanceCommissionsOfOrder({ ...ctx, tx: afterHoldRead(ctx.tx, () => flagCommitted(buyer)) }, orderId), SETTLE);
    await expectUnsettled(sponsor, commissionId);
  });

  it("a 推三返一 payout: the held anchor's cashback stays pending", async () => {
    const { anchor, taskId } = await confirmedTask();
    await run((ctx) => advanceRebateTask({ ...ctx, tx: afterHoldRead(ctx.tx, () => flagCommitted(anchor)) }, taskId), SETTLE);
    await expectUnpaid(anchor, taskId);
  });
});
