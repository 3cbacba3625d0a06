// Edges of the order's money paths found in review (SPEC §1, §5, §6): a refund once the return window has
// closed but before the completion sweep ran, two checkouts spending the same store credit at once, and an
// open 推三返一 task when the merchant switches the campaign off.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmDelivery, confirmPayment, createOrder, refundOrder, shipOrder } from "../../server/orders";
import { refundOrderThroughProvider } from "../../server/payments";
import { autoApproveRefundRequest, requestRefund } from "../../server/aftersales";
import { fromMerchant } from "../../server/wallet/ledger";
import { createSimpleProduct } from "../../server/catalog/admin";
import { DAY, HOUR } from "../../server/clock/time";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
const after = (days: number) => new Date(t0.getTime() + days * DAY);
let database: Database;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>, cfg = config) => inTx(database.prisma, { config: cfg, now }, fn);
const pay = (ctx: Ctx, o: { id: number; payableFen: number }) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" });
const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `internal: ${(e as Error).message.slice(0, 120)}`));

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(t0, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 100 });
    await createSimpleProduct(ctx.tx, { sku: "tea2", name: "茶2", priceFen: 10_000, category: "tea", stock: 100 });
  });
});
afterEach(() => database.close());

/** A 100 元 order paid and delivered at t0: its 7-day return window (default) closes at t0 + 7 days. */
async function deliveredOrder() {
  const b = (await run(t0, (ctx) => registerMember(ctx, { username: "b" }))).id;
  const o = await run(t0, (ctx) => createOrder(ctx, { memberId: b, lines: [{ sku: "tea", qty: 1 }] }));
  await run(t0, (ctx) => pay(ctx, o));
  await run(t0, async (ctx) => {
    await shipOrder(ctx, o.id);
    await confirmDelivery(ctx, o.id);
  });
  return { buyer: b, order: o };
}

describe("a refund after the return window closed", () => {
  it("is refused though the completion sweep has not run yet (the window is the rule)", async () => {
    const { order } = await deliveredOrder();
    expect(await code(refundOrderThroughProvider(database.prisma, order.id, after(8)))).toBe("NOT_REFUNDABLE");
    expect(await run(after(8), (ctx) => refundOrder(ctx, order.id))).toEqual({ refunded: false, reason: "return window closed" });
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("DELIVERED");
  });

  it("still refunds a request the shopper made in time, approved after the window", async () => {
    const { buyer, order } = await deliveredOrder();
    const { request } = await run(after(6), (ctx) => requestRefund(ctx, buyer, order.id, { reason: "damaged" }));
    // Approved automatically 48 h later, on day 8: past the window, but asked for within it.
    expect(await run(after(8), (ctx) => autoApproveRefundRequest(ctx, request.id))).toBe(true);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
  });

  it("is allowed up to the window's last moment", async () => {
    const { order } = await deliveredOrder();
    expect(await run(new Date(after(7).getTime() - HOUR), (ctx) => refundOrder(ctx, order.id))).toEqual({ refunded: true });
  });
});

it.runIf(usingPostgres())("two checkouts at once spending the same store credit: the second is told the credit is short", async () => {
  const b = (await run(t0, (ctx) => registerMember(ctx, { username: "b" }))).id;
  await run(t0, (ctx) => fromMerchant(ctx, "fund", "test", "merchant:adjustment", b, "credit", 10_000));
  // The first checkout holds its transaction open; the second reads the credit meanwhile (different goods: no shared stock lock).
  const second = await code(
    overlapping(
      (fn) => run(t0, fn),
      (ctx) => createOrder(ctx, { memberId: b, lines: [{ sku: "tea", qty: 1 }], creditFen: 10_000 }),
      (ctx) => createOrder(ctx, { memberId: b, lines: [{ sku: "tea2", qty: 1 }], creditFen: 10_000 }),
    ),
  );
  expect(second).toBe("INSUFFICIENT_CREDIT");
  expect(await database.prisma.order.count()).toBe(1);
});

it("an open 推三返一 task keeps counting invitees after the merchant switches the campaign off: it keeps the terms it opened on", async () => {
  const s = (await run(t0, (ctx) => registerMember(ctx, { username: "s", ip: "9.9.9.9", device: "s" }))).id;
  const invitees: number[] = [];
  for (let i = 0; i < 3; i++) invitees.push((await run(t0, (ctx) => registerMember(ctx, { username: `i${i}`, sponsorId: s, ip: `10.0.0.${i}`, device: `d${i}` }))).id);
  const anchor = await run(t0, (ctx) => createOrder(ctx, { memberId: s, lines: [{ sku: "tea", qty: 1 }] }));
  await run(t0, (ctx) => pay(ctx, anchor));
  const off = parseConfig({ rebate: { enabled: false } });
  for (const m of invitees) {
    const o = await run(after(1), (ctx) => createOrder(ctx, { memberId: m, lines: [{ sku: "tea", qty: 1 }] }), off);
    await run(after(1), (ctx) => pay(ctx, o), off);
  }
  const task = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor.id }, include: { assignments: true } });
  // Three first orders of s's invitees within the window: MET (default n = 3); the invitees open no task of their own.
  expect({ status: task.status, invitees: task.assignments.length }).toEqual({ status: "MET", invitees: 3 });
  expect(await database.prisma.rebateTask.count()).toBe(1);
});
