// SPEC §1 from the shopper's side: the return window of a shipped order whose automatic delivery is overdue
// (delivered = when it fell due, 10 days after shipping, so the window closes on day 17 even if the sweep is
// late), the total line of an order never paid, and the 退款 tab holding refunds still under way.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { cancelUnpaidOrder, confirmDelivery, confirmPayment, createOrder, refundOrder, shipOrder } from "../server/orders";
import { deliveryTimeAt, refundRefusal } from "../server/orders/refundable";
import { amountOf, getMemberOrder, listMemberOrders, orderActions } from "../server/orders/view";
import { rejectRefundRequest, requestRefund } from "../server/aftersales";
import { afterSalesOfOrder } from "../server/aftersales/view";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";

// The defaults: delivered automatically 10 days after shipping, return window 7 days after delivery.
const config = parseConfig({});
const t0 = new Date("2026-05-01T02:00:00Z");
const day = (n: number) => new Date(t0.getTime() + n * DAY);

describe("a shipped order's return window when the automatic delivery is overdue", () => {
  const shipped = { status: "SHIPPED" as const, createdAt: t0, shippedAt: t0, deliveredAt: null };

  it("a delivery confirmed (or swept) late counts from when it fell due, one on time from then", () => {
    expect(deliveryTimeAt(t0, config, day(3))).toEqual(day(3));
    expect(deliveryTimeAt(t0, config, day(18))).toEqual(day(10));
  });

  it("closes 17 days after shipping, before the sweep has delivered the order", () => {
    expect(refundRefusal(shipped, config, new Date(day(17).getTime() - 1), false)).toBeNull();
    expect(refundRefusal(shipped, config, day(17), false)).toBe("return window closed");
    expect(refundRefusal(shipped, config, day(18), false)).toBe("return window closed");
    // A request made in time and still open is still refunded.
    expect(refundRefusal(shipped, config, day(18), true)).toBeNull();
    expect(orderActions(shipped, config, new Date(day(17).getTime() - 1)).refund).toBe(true);
    expect(orderActions(shipped, config, day(17)).refund).toBe(false);
  });
});

describe("the shopper's orders", () => {
  let database: Database;
  const at = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
  const read = (now: Date) => ({ tx: database.prisma, config, now });
  let buyer: number;

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.mallConfig.create({ data: { data: config as object } });
    await at(t0, (ctx) => ctx.tx.category.create({ data: { slug: "tea", name: "茶" } }));
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 10 });
    buyer = (await at(t0, (ctx) => registerMember(ctx, { username: "buyer" }))).id;
  });
  afterEach(() => database.close());

  async function placed() {
    return (await at(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }))).id;
  }
  async function shippedOrder() {
    const id = await placed();
    await at(t0, (ctx) => confirmPayment(ctx, { orderId: id, provider: "sandbox", providerTxnId: `t${id}`, amountFen: 10_000, currency: "CNY" }));
    await at(t0, (ctx) => shipOrder(ctx, id));
    return id;
  }

  it("on day 18, the automatic delivery not run yet, offers no refund and refuses a request", async () => {
    const id = await shippedOrder();
    expect((await getMemberOrder(read(day(18)), buyer, id))!.actions.refund).toBe(false);
    // The after-sales card asks no more either (it did while the order was still SHIPPED).
    expect((await afterSalesOfOrder(read(day(16)), buyer, id))!.canRequest).toBe(true);
    expect((await afterSalesOfOrder(read(day(18)), buyer, id))!.canRequest).toBe(false);
    expect((await listMemberOrders(read(day(18)), buyer, "shipped")).items[0]!.actions.refund).toBe(false);
    await expect(at(day(18), (ctx) => requestRefund(ctx, buyer, id, { reason: "damaged" }))).rejects.toMatchObject({ code: "RETURN_WINDOW_CLOSED" });
    expect(await database.prisma.refundRequest.count({ where: { orderId: id } })).toBe(0);
    expect(await at(day(18), (ctx) => refundOrder(ctx, id))).toEqual({ refunded: false, reason: "return window closed" });
    // The late sweep dates the delivery back to day 10: the window it gives closed on day 17, as refused above.
    expect(await at(day(18), (ctx) => confirmDelivery(ctx, id, true))).toBe(true);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id } })).deliveredAt).toEqual(day(10));
  });

  it("on day 16, the automatic delivery overdue, a request is still taken", async () => {
    const id = await shippedOrder();
    expect((await getMemberOrder(read(day(16)), buyer, id))!.actions.refund).toBe(true);
    const { request } = await at(day(16), (ctx) => requestRefund(ctx, buyer, id, { reason: "damaged" }));
    expect(request.status).toBe("PENDING");
  });

  it("a cancelled order never paid shows its order amount, not an amount paid", async () => {
    const id = await placed();
    expect(await at(t0, (ctx) => cancelUnpaidOrder(ctx, id, "shopper"))).toBe(true);
    expect((await getMemberOrder(read(day(1)), buyer, id))!.amount).toEqual({ label: "total", fen: 10_000, creditReturned: false });
    expect((await listMemberOrders(read(day(1)), buyer, "all")).items[0]!.amount).toEqual({ label: "total", fen: 10_000, creditReturned: false });
    const paid = await shippedOrder();
    expect((await getMemberOrder(read(day(1)), buyer, paid))!.amount).toEqual({ label: "paid", fen: 10_000, creditReturned: false });
  });

  it("store credit given back on cancel is shown returned, not deducted from the order amount", () => {
    // 100 元 of goods, 5 元 of credit: 95 元 to pay.
    const o = { payableFen: 9_500, creditUsedFen: 500 };
    expect(amountOf({ ...o, status: "PENDING_PAYMENT", paidAt: null })).toEqual({ label: "due", fen: 9_500, creditReturned: false });
    expect(amountOf({ ...o, status: "CANCELLED", paidAt: null })).toEqual({ label: "total", fen: 10_000, creditReturned: true });
    expect(amountOf({ ...o, status: "PAID", paidAt: t0 })).toEqual({ label: "paid", fen: 9_500, creditReturned: false });
    expect(amountOf({ ...o, status: "REFUNDED", paidAt: t0 })).toEqual({ label: "paid", fen: 9_500, creditReturned: true });
  });

  it("the 退款 tab lists refunds under way as well as done, page by page, and drops a rejected request's order", async () => {
    const asked = await shippedOrder();
    const refunded = await shippedOrder();
    const plain = await shippedOrder();
    await at(day(1), (ctx) => requestRefund(ctx, buyer, asked, { reason: "damaged" }));
    expect(await at(day(1), (ctx) => refundOrder(ctx, refunded))).toEqual({ refunded: true });

    const all = await listMemberOrders(read(day(1)), buyer, "refund");
    expect(all.items.map((o) => o.id).sort()).toEqual([asked, refunded].sort());
    expect(all.items.map((o) => o.id)).not.toContain(plain);
    const first = await listMemberOrders(read(day(1)), buyer, "refund", { limit: 1 });
    const second = await listMemberOrders(read(day(1)), buyer, "refund", { limit: 1, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((o) => o.id)).toEqual(all.items.map((o) => o.id));
    expect(second.nextCursor).toBeUndefined();

    const staffId = (await database.prisma.staffAccount.create({ data: { username: "op", displayName: "运营", role: "operator", passwordHash: "-", createdAt: t0 } })).id;
    const request = await database.prisma.refundRequest.findFirstOrThrow({ where: { orderId: asked } });
    await at(day(1), (ctx) => rejectRefundRequest(ctx, { staffId }, request.id, "不支持"));
    expect((await listMemberOrders(read(day(1)), buyer, "refund")).items.map((o) => o.id)).toEqual([refunded]);
  });
});
