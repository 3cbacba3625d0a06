// SPEC §8/§9: a risk decision and the completion of the held member's order, at the same time. Found in review: an
// approval read the order DELIVERED (nothing to confirm) while the completion read the flag still OPEN (commissions
// held); both committed and the commission stayed PENDING for ever. The review now locks the member's orders first.
// Each race holds the first transaction open until the second waits on a lock (or has ended): the order is fixed
// whatever the machine's speed. Needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { reviewMember } from "../../server/risk/review";
import { runDueTransitions } from "../../server/scheduler";
import { createSimpleProduct } from "../../server/catalog/admin";
import { DAY } from "../../server/clock/time";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { heldOpen, queued, recordingAborts } from "../helpers/races";

// Paid at t0, delivered a day later; the 7-day return window closes at DUE (t0 + 8 days), when both race.
const t0 = new Date("2026-03-01T01:00:00Z");
const DUE = new Date(t0.getTime() + 8 * DAY);
// Every sweep of what fell due, long after (T+1 of the completion is the next Shanghai midnight).
const LATER = new Date(t0.getTime() + 40 * DAY);

let database: Database | undefined;
let db: Db;
const aborted: string[] = [];
afterEach(async () => {
  await database?.close();
  database = undefined;
  aborted.length = 0;
});

async function shop(config: MallConfig) {
  database = await freshDatabase();
  db = recordingAborts(database.prisma, aborted);
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(db, { config, now }, fn);
  await run(async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 100 });
  });
  const reg = async (username: string, ip: string, sponsorId?: number) => (await run((c) => registerMember(c, { username, sponsorId, ip, device: `d-${username}` }))).id;
  const order = async (memberId: number, address: string) => (await run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }], address }))).id;
  const pay = (orderId: number, amountFen = 9900) => run((c) => confirmPayment(c, { orderId, provider: "sandbox", providerTxnId: `t${orderId}`, amountFen, currency: "CNY" }));
  const deliver = async (orderId: number) => {
    const next = new Date(t0.getTime() + DAY);
    expect(await run((c) => shipOrder(c, orderId), next)).toBe(true);
    expect(await run((c) => confirmDelivery(c, orderId), next)).toBe(true);
  };
  return { run, reg, order, pay, deliver };
}

/** `first` in a transaction held open until `second`, started meanwhile, waits on a lock or has ended; then both commit. */
async function race(run: <T>(fn: (ctx: Ctx) => Promise<T>, now?: Date) => Promise<T>, first: (ctx: Ctx) => Promise<unknown>, second: (ctx: Ctx) => Promise<unknown>) {
  const a = heldOpen((fn) => run(fn, DUE), first);
  await a.reached;
  const b = run(second, DUE);
  await queued(db, 1, b);
  a.release();
  await Promise.all([a.done, b]);
}

const byLevel = async (orderId: number) =>
  (await db.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((c) => ({ level: c.level, amountFen: c.amountFen, status: c.status }));
const balances = async (memberId: number) => {
  const w = await db.wallet.findUniqueOrThrow({ where: { memberId } });
  return { pending: Number(w.pending), available: Number(w.available) };
};

describe.runIf(usingPostgres())("a risk decision racing the held buyer's order completion", () => {
  // Commissions only (L1 10%); b signs up from the sponsor's IP, so shared_ip holds b.
  const config = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }] });

  async function heldBuyer() {
    const s = await shop(config);
    const a = await s.reg("a", "1.1.1.1");
    const b = await s.reg("b", "1.1.1.1", a);
    expect(await db.riskFlag.count({ where: { memberId: b, status: "OPEN" } })).toBeGreaterThan(0);
    const o = await s.order(b, "addr-b");
    await s.pay(o);
    await s.deliver(o);
    return { ...s, a, b, o };
  }

  for (const approveFirst of [true, false]) {
    it(`approve ${approveFirst ? "first, completion meanwhile" : "while the completion is uncommitted"}: the commission is confirmed and settles at T+1`, async () => {
      const { run, a, b, o } = await heldBuyer();
      const approve = (c: Ctx) => reviewMember(c, b, "approve");
      const complete = (c: Ctx) => completeOrder(c, o);
      await race(run, approveFirst ? approve : complete, approveFirst ? complete : approve);
      expect((await db.order.findUniqueOrThrow({ where: { id: o } })).status).toBe("COMPLETED");
      await runDueTransitions(db, LATER, { clock: "due" });
      // L1: floor(9 900 × 1 000 / 10 000) = 990, credited available at T+1.
      expect(await byLevel(o)).toEqual([{ level: 1, amountFen: 990, status: "SETTLED" }]);
      expect(await balances(a)).toEqual({ pending: 0, available: 990 });
      expect(aborted).toEqual([]);
    });
  }

  for (const rejectFirst of [true, false]) {
    it(`reject ${rejectFirst ? "first, completion meanwhile" : "while the completion is uncommitted"}: the commission is void and pays nothing`, async () => {
      const { run, a, b, o } = await heldBuyer();
      const reject = (c: Ctx) => reviewMember(c, b, "reject");
      const complete = (c: Ctx) => completeOrder(c, o);
      await race(run, rejectFirst ? reject : complete, rejectFirst ? complete : reject);
      await runDueTransitions(db, LATER, { clock: "due" });
      expect(await byLevel(o)).toEqual([{ level: 1, amountFen: 990, status: "VOID" }]);
      expect(await balances(a)).toEqual({ pending: 0, available: 0 });
      expect(aborted).toEqual([]);
    });
  }
});

describe.runIf(usingPostgres())("approving a 推三返一 anchor buyer while the invitee's order completes", () => {
  // One invitee meets the task; 100% of the anchor's 9 900 fen.
  const config = parseConfig({ commission: { enabled: false }, rebate: { n: 1 }, tiers: [{ name: "member" }] });

  for (const approveFirst of [true, false]) {
    it(`approve ${approveFirst ? "first" : "second"}: the task is confirmed and pays the cashback at T+1`, async () => {
      const { run, reg, order, pay, deliver } = await shop(config);
      const z = await reg("z", "2.2.2.1");
      const a = await reg("a", "2.2.2.2", z);
      const b = await reg("b", "2.2.2.3", a);
      await order(z, "addr-z"); // unpaid: only its address matters
      const anchor = await order(a, "addr-a");
      await pay(anchor);
      const invited = await order(b, "addr-b");
      await pay(invited);
      await order(a, "addr-z"); // the sponsor's address: shared_address holds a
      expect(await db.riskFlag.count({ where: { memberId: a, status: "OPEN" } })).toBeGreaterThan(0);
      await deliver(anchor);
      await deliver(invited);
      expect(await run((c) => completeOrder(c, anchor), DUE)).toBe(true);
      const approve = (c: Ctx) => reviewMember(c, a, "approve");
      const complete = (c: Ctx) => completeOrder(c, invited);
      await race(run, approveFirst ? approve : complete, approveFirst ? complete : approve);
      await runDueTransitions(db, LATER, { clock: "due" });
      const task = await db.rebateTask.findFirstOrThrow({ where: { anchorOrderId: anchor } });
      expect({ status: task.status, cashbackFen: task.cashbackFen }).toEqual({ status: "PAID", cashbackFen: 9900 });
      expect(await balances(a)).toEqual({ pending: 0, available: 9900 });
      expect(aborted).toEqual([]);
    });
  }
});
