// SPEC §1, §4: an order is COMPLETED when its return window closes (7 days after DELIVERED), and its commissions are
// confirmed then and settled at T+1 (00:00 Asia/Shanghai of the next day). A completion sweep that runs late must not
// move completion, and with it settlement and the GMV credits, to when it ran; nor may a receipt confirmed after the
// automatic delivery fell due (10 days after SHIPPED) move delivery later than that moment.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { runDueTransitions } from "../../server/scheduler";
import { rejectRefundRequest, shopperRequestRefund } from "../../server/aftersales";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const config = parseConfig({});
let database: Database;
const t0 = new Date("2026-03-10T02:00:00Z"); // 10:00 in Shanghai
const shippedAt = new Date("2026-03-10T02:01:00Z");
const after = (ms: number) => new Date(shippedAt.getTime() + ms);
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
let upline: number;
let buyer: number;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await teaShop(database.prisma);
  upline = (await run(t0, (ctx) => registerMember(ctx, { username: "upline-li", ip: "1.1.1.1", device: "a" }))).id;
  buyer = (await run(t0, (ctx) => registerMember(ctx, { username: "buyer-wang", sponsorId: upline, ip: "2.2.2.2", device: "b" }))).id;
});
afterEach(() => database.close());

/** A 100 元 order of the buyer, paid at t0 and shipped at `shippedAt`. */
async function shippedOrder() {
  const order = await run(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }], address: "上海市 1 号" }));
  await run(t0, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `SBX-${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
  await run(shippedAt, (ctx) => shipOrder(ctx, order.id));
  return order.id;
}

const commissionOf = (orderId: number) => database.prisma.commission.findFirstOrThrow({ where: { orderId, beneficiaryId: upline } });
const dueRow = (kind: "ORDER_COMPLETE" | "COMMISSION_SETTLE", refId: number) => database.prisma.dueTransition.findFirstOrThrow({ where: { kind, refId }, orderBy: { dueAt: "desc" } });

it("a completion sweep two days late dates completion at the window's end; settlement is due T+1 from it and runs at once", async () => {
  const db = database.prisma;
  const orderId = await shippedOrder();
  // Receipt confirmed 2 days after shipping, well before the automatic delivery: dated when confirmed.
  await run(after(2 * DAY), (ctx) => confirmDelivery(ctx, orderId));
  const windowEnd = new Date("2026-03-19T02:01:00Z"); // delivered 03-12 10:01 + 7 days
  expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).deliveredAt).toEqual(after(2 * DAY));
  expect((await dueRow("ORDER_COMPLETE", orderId)).dueAt).toEqual(windowEnd);

  // Nothing runs until two days after the window closed (Inngest down); then one sweep.
  const lateSweep = new Date("2026-03-21T02:01:00Z");
  await runDueTransitions(db, lateSweep, { config });
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  expect([order.status, order.completedAt]).toEqual(["COMPLETED", windowEnd]);

  // Confirmed at completion; T+1 is 00:00 Shanghai on 03-20 (16:00 UTC on 03-19), long past: settled by the same sweep.
  expect((await dueRow("COMMISSION_SETTLE", orderId)).dueAt).toEqual(new Date("2026-03-19T16:00:00Z"));
  const c = await commissionOf(orderId);
  expect([c.status, c.amountFen, c.confirmedAt]).toEqual(["SETTLED", 1000, windowEnd]);
  expect(Number((await db.wallet.findUniqueOrThrow({ where: { memberId: upline } })).available)).toBe(1000);

  // The buyer's and the upline's GMV credits are dated by completion too (SPEC §7 gmv90, monthly bonuses).
  const credits = await db.gmvCredit.findMany({ where: { orderId }, orderBy: { depth: "asc" } });
  expect(credits.map((g) => [g.memberId, g.depth, g.amountFen, g.completedAt])).toEqual([
    [buyer, 0, 10000, windowEnd],
    [upline, 1, 10000, windowEnd],
  ]);
});

it("a completion held by a refund request past the window's end is dated at the rejection that released it", async () => {
  const db = database.prisma;
  const orderId = await shippedOrder();
  await run(after(2 * DAY), (ctx) => confirmDelivery(ctx, orderId));
  const staffId = (await db.staffAccount.create({ data: { username: "op-zhao", displayName: "赵运营", role: "operator", passwordHash: "-", createdAt: t0 } })).id;
  // Asked 6 days into the window (it closes 03-19 10:01 Shanghai), rejected 3 hours after it closed.
  const { id } = await shopperRequestRefund(db, after(8 * DAY), buyer, orderId, { reason: "not_as_described" });
  await runDueTransitions(db, after(9 * DAY), { config });
  expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe("DELIVERED");
  const rejectedAt = new Date("2026-03-19T05:01:00Z");
  await run(rejectedAt, (ctx) => rejectRefundRequest(ctx, { staffId }, id, "商品已拆封"));

  // The sweep runs a day late (03-20 13:01 Shanghai): completed at the rejection, settled (T+1 = 03-20 00:00) at once.
  await runDueTransitions(db, new Date("2026-03-20T05:01:00Z"), { config });
  expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).completedAt).toEqual(rejectedAt);
  const c = await commissionOf(orderId);
  expect([c.status, c.confirmedAt]).toEqual(["SETTLED", rejectedAt]);
});

it("a receipt confirmed after the automatic delivery fell due, before a late sweep, is dated when delivery fell due", async () => {
  const db = database.prisma;
  const orderId = await shippedOrder();
  // No sweep ran at 10 days; the shopper confirms on day 11.
  expect(await run(after(11 * DAY), (ctx) => confirmDelivery(ctx, orderId))).toBe(true);
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  expect([order.status, order.deliveredAt]).toEqual(["DELIVERED", after(10 * DAY)]);
  // The return window runs from then: completion is due 17 days after shipping, and the automatic delivery is retired.
  expect((await dueRow("ORDER_COMPLETE", orderId)).dueAt).toEqual(after(17 * DAY));
  expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_AUTO_DELIVER", refId: orderId } })).doneAt).toEqual(after(11 * DAY));

  // The late sweep finds nothing to deliver; completion runs on time and is dated then.
  await runDueTransitions(db, after(17 * DAY), { config });
  const done = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  expect([done.status, done.deliveredAt, done.completedAt]).toEqual(["COMPLETED", after(10 * DAY), after(17 * DAY)]);
});
