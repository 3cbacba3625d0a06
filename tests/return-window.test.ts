// SPEC §1: a delivered order completes when the return window closes (returnWindowDays after DELIVERED). A
// shopper's refund request is refused from that instant, even when the completion sweep has not run yet,
// and the order no longer offers one.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../server/orders";
import { getMemberOrder, listMemberOrders, orderActions } from "../server/orders/view";
import { saveRules } from "../server/rules";
import { requestRefund } from "../server/aftersales";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({ returnWindowDays: 7 });
const t0 = new Date("2026-05-01T02:00:00Z");

describe("the return window", () => {
  let database: Database;
  const at = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.mallConfig.create({ data: { data: config as object } });
    await at(t0, (ctx) => ctx.tx.category.create({ data: { slug: "tea", name: "茶" } }));
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 10 });
  });
  afterEach(() => database.close());

  async function delivered() {
    const m = await at(t0, (ctx) => registerMember(ctx, { username: `b${Math.random()}` }));
    const o = await at(t0, (ctx) => createOrder(ctx, { memberId: m.id, lines: [{ sku: "tea", qty: 1 }] }));
    await at(t0, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    await at(t0, (ctx) => shipOrder(ctx, o.id));
    await at(t0, (ctx) => confirmDelivery(ctx, o.id));
    return { memberId: m.id, orderId: o.id };
  }

  it("a request 1 ms before the window closes is taken; at the instant it closes it is refused", async () => {
    const a = await delivered();
    const closes = new Date(t0.getTime() + 7 * DAY);
    expect((await at(new Date(closes.getTime() - 1), (ctx) => requestRefund(ctx, a.memberId, a.orderId, { reason: "damaged" }))).refunded).toBe(false);
    const b = await delivered();
    await expect(at(closes, (ctx) => requestRefund(ctx, b.memberId, b.orderId, { reason: "damaged" }))).rejects.toMatchObject({ code: "RETURN_WINDOW_CLOSED" });
    expect(await database.prisma.refundRequest.count({ where: { orderId: b.orderId } })).toBe(0);
  });

  it("the order offers a refund until then", () => {
    const order = { status: "DELIVERED" as const, createdAt: t0, shippedAt: t0, deliveredAt: t0 };
    expect(orderActions(order, config, new Date(t0.getTime() + 7 * DAY - 1)).refund).toBe(true);
    expect(orderActions(order, config, new Date(t0.getTime() + 7 * DAY)).refund).toBe(false);
  });

  it("an order's page follows the rules it was placed under, not a later change", async () => {
    const m = await at(t0, (ctx) => registerMember(ctx, { username: "late" }));
    const o = await at(t0, (ctx) => createOrder(ctx, { memberId: m.id, lines: [{ sku: "tea", qty: 1 }] }));
    // Placed under a 30-minute payment limit; then the merchant allows 60 minutes and a 14-day window.
    await saveRules(database.prisma, { staffId: 1 }, { config: { ...config, paymentTimeoutMinutes: 60, returnWindowDays: 14 }, reason: "放宽" }, new Date(t0.getTime() + 60_000));
    const now = new Date(t0.getTime() + 35 * 60_000);
    const read = { tx: database.prisma, config: parseConfig({ ...config, paymentTimeoutMinutes: 60, returnWindowDays: 14 }), now };
    const page = (await getMemberOrder(read, m.id, o.id))!;
    expect(page.paymentDeadline).toEqual(new Date(t0.getTime() + 30 * 60_000));
    expect(page.actions.pay).toBe(false);
    const listed = (await listMemberOrders(read, m.id, "all")).items.find((i) => i.id === o.id)!;
    expect(listed.actions.pay).toBe(false);
  });
});
