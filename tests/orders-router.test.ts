// Checkout, orders, addresses, cart and merchant orders through createCaller with a fake session:
// a shopper only ever sees and changes their own orders and addresses (NOT_FOUND otherwise), a
// shopper cannot reach the merchant's procedures (FORBIDDEN), and the domain's refusals reach the
// client as BAD_REQUEST with their Chinese message. Payment goes through the sandbox provider's
// signed notification, as in production.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { handlePaymentNotification } from "../server/payments";
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, signSandbox } from "../server/payments/sandbox";
import { maxCreditFor } from "../server/orders/checkout";
import { freshPglite } from "./helpers/db";
import { callerFor as callerOf, refusal, signedInStaff, staffCaller } from "./helpers/caller";
import { createSimpleProduct } from "../server/catalog/admin";

const config = parseConfig({});
let database: Database;
let alice: number;
let bob: number;
let operator: Awaited<ReturnType<typeof signedInStaff>>;
let teaId: number;

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);

const callerFor = (id: number | null) => callerOf(database.prisma, id);

const ADDRESS = { name: "张三", phone: "13912345678", region: "浙江省 杭州市 西湖区", detail: "文三路 100 号 3 幢 501" };

function notification(reference: string, amountFen: number, txn = "SBX-1") {
  const body = JSON.stringify({ reference, providerTxnId: txn, amountFen, currency: "CNY", status: "SUCCESS" });
  const ts = String(Date.now());
  return { body, headers: new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts }) };
}

async function placeAndPay(memberId: number, qty = 1) {
  const api = callerFor(memberId);
  const addr = await api.address.add(ADDRESS);
  const placed = await api.order.place({ source: { kind: "buyNow", sku: "tea", qty }, addressId: addr.id, useCredit: false });
  const n = notification(placed.reference, placed.payableFen, `SBX-${placed.orderId}`);
  expect(await handlePaymentNotification(database.prisma, "sandbox", n.body, n.headers)).toEqual({ outcome: "paid" });
  return placed;
}

beforeEach(async () => {
  database = await freshPglite();
  await database.prisma.category.createMany({ data: [{ slug: "tea", name: "茗茶" }, { slug: "snacks", name: "零食" }] });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
  await createSimpleProduct(database.prisma, { sku: "nuts", name: "坚果", priceFen: 1990, category: "snacks", stock: 100 });
  teaId = (await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).id;
  alice = (await run((ctx) => registerMember(ctx, { username: "alice" }))).id;
  bob = (await run((ctx) => registerMember(ctx, { username: "bob" }))).id;
  operator = await signedInStaff(database.prisma, "operator");
});
afterEach(() => database.close());

describe("cart (server/cart)", () => {
  it("adds, merges, caps at the stock, totals in fen, and refuses qty 0 on add", async () => {
    const api = callerFor(alice);
    await api.cart.add({ skuId: teaId, qty: 2 });
    expect(await api.cart.add({ skuId: teaId, qty: 1 })).toEqual({ qty: 3 });
    expect(await refusal(api.cart.add({ skuId: teaId, qty: 3 }))).toEqual({ code: "BAD_REQUEST", message: "库存不足，仅剩 5 件" });
    expect(await refusal(api.cart.add({ skuId: teaId, qty: 0 }))).toMatchObject({ code: "BAD_REQUEST", message: "数量须为 1 到 99 的整数" });
    const cart = await api.cart.list();
    expect(cart).toMatchObject({ totalFen: 29_700, count: 3 });
    await api.cart.setQty({ skuId: teaId, qty: 0 });
    expect((await api.cart.list()).items).toEqual([]);
    expect(await refusal(callerFor(null).cart.list())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("address book", () => {
  it("validates name, mainland phone, region and detail", async () => {
    const api = callerFor(alice);
    expect(await refusal(api.address.add({ ...ADDRESS, phone: "12345678901" }))).toEqual({ code: "BAD_REQUEST", message: "请输入正确的 11 位手机号" });
    expect(await refusal(api.address.add({ ...ADDRESS, phone: "1391234567" }))).toMatchObject({ message: "请输入正确的 11 位手机号" });
    expect(await refusal(api.address.add({ ...ADDRESS, name: " " }))).toMatchObject({ message: "收货人姓名需为 1-20 个字" });
    expect(await refusal(api.address.add({ ...ADDRESS, name: "名".repeat(21) }))).toMatchObject({ message: "收货人姓名需为 1-20 个字" });
    expect(await refusal(api.address.add({ ...ADDRESS, region: "" }))).toMatchObject({ message: "请填写所在地区" });
    expect(await refusal(api.address.add({ ...ADDRESS, detail: "  " }))).toMatchObject({ message: "请填写详细地址" });
    expect(await api.address.list()).toEqual([]);
  });

  it("keeps exactly one default, and a member never touches another member's address", async () => {
    const api = callerFor(alice);
    const first = await api.address.add(ADDRESS);
    expect(first.isDefault).toBe(true);
    const second = await api.address.add({ ...ADDRESS, detail: "公司", isDefault: true });
    expect((await api.address.list()).map((a) => [a.id, a.isDefault])).toEqual([[second.id, true], [first.id, false]]);
    await api.address.delete({ id: second.id });
    expect((await api.address.list()).map((a) => [a.id, a.isDefault])).toEqual([[first.id, true]]);

    const mallory = callerFor(bob);
    expect(await mallory.address.list()).toEqual([]);
    expect(await refusal(mallory.address.update({ id: first.id, ...ADDRESS, name: "李四" }))).toMatchObject({ code: "NOT_FOUND", message: "收货地址不存在" });
    expect(await refusal(mallory.address.delete({ id: first.id }))).toMatchObject({ message: "收货地址不存在" });
    expect(await refusal(mallory.address.setDefault({ id: first.id }))).toMatchObject({ message: "收货地址不存在" });
    // Nor can bob ship to alice's address.
    expect(await refusal(mallory.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: first.id, useCredit: false }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await api.address.list())[0]).toMatchObject({ name: "张三" });
  });
});

describe("checkout and orders", () => {
  it("checks out the cart: order in fen, cart emptied, cashier URL, stock reserved", async () => {
    const api = callerFor(alice);
    await api.cart.add({ skuId: teaId, qty: 2 });
    const addr = await api.address.add(ADDRESS);
    const preview = await api.order.preview({ source: { kind: "cart" } });
    expect(preview).toMatchObject({ goodsFen: 19_800, creditUsableFen: 0, ok: true });
    const placed = await api.order.place({ source: { kind: "cart" }, addressId: addr.id, useCredit: false });
    expect(placed.cashierUrl).toBe(`/pay/sandbox/${encodeURIComponent(placed.reference)}`);
    expect(placed.payableFen).toBe(19_800);
    expect((await api.cart.list()).items).toEqual([]);
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(3);
    const order = await api.order.byId({ id: placed.orderId });
    expect(order).toMatchObject({ status: "PENDING_PAYMENT", goodsFen: 19_800, address: `张三 13912345678 ${ADDRESS.region} ${ADDRESS.detail}` });
    expect(order.actions).toEqual({ pay: true, cancel: true, confirmDelivery: false, refund: false });
    expect(order.paymentDeadline!.getTime() - order.timeline[0]!.at!.getTime()).toBe(30 * 60_000);
  });

  it("提交订单 sent twice with the checkout page's key: one order, its stock taken once", async () => {
    const api = callerFor(alice);
    const addr = await api.address.add(ADDRESS);
    const input = { source: { kind: "buyNow" as const, sku: "tea", qty: 3 }, addressId: addr.id, useCredit: false, clientKey: "0123456789abcdef0123456789abcdef" };
    const [first, second] = await Promise.all([api.order.place(input), api.order.place(input)]);
    expect(second.orderId).toBe(first.orderId);
    expect(second.payableFen).toBe(29_700);
    expect(await database.prisma.order.count()).toBe(1);
    // 5 龙井 in stock, 3 taken once (a second order of 3 would not even fit).
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(2);
    expect(await refusal(api.order.place({ ...input, clientKey: "not-a-key" }))).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses qty 0 and an out-of-stock order with the engine's message", async () => {
    const api = callerFor(alice);
    const addr = await api.address.add(ADDRESS);
    expect(await refusal(api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 0 }, addressId: addr.id, useCredit: false }))).toEqual({
      code: "BAD_REQUEST",
      message: "数量须为 1 到 99 的整数",
    });
    expect(await refusal(api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 6 }, addressId: addr.id, useCredit: false }))).toEqual({
      code: "BAD_REQUEST",
      message: "库存不足: 龙井 仅剩 5 件",
    });
    expect((await api.order.preview({ source: { kind: "buyNow", sku: "tea", qty: 6 } })).lines[0]!.problem).toBe("库存不足，仅剩 5 件");
    expect(await refusal(api.order.place({ source: { kind: "cart" }, addressId: addr.id, useCredit: false }))).toMatchObject({ message: "购物车是空的" });
    expect(await database.prisma.order.count()).toBe(0);
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(5);
  });

  it("spends store credit up to the whole goods amount", async () => {
    expect([maxCreditFor(9900, 0), maxCreditFor(9900, 500), maxCreditFor(9900, 20_000), maxCreditFor(0, 100)]).toEqual([0, 500, 9900, 0]);
    await run((ctx) => fromMerchant(ctx, "gift", "test", "merchant:credit_redeemed", alice, "credit", 1_000));
    const api = callerFor(alice);
    const addr = await api.address.add(ADDRESS);
    const placed = await api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: addr.id, useCredit: true });
    expect(placed.payableFen).toBe(8_900);
    expect((await api.order.byId({ id: placed.orderId })).creditUsedFen).toBe(1_000);
  });

  it("a shopper never sees or changes another shopper's order: NOT_FOUND", async () => {
    const placed = await placeAndPay(alice);
    const mallory = callerFor(bob);
    for (const p of [
      mallory.order.byId({ id: placed.orderId }),
      mallory.order.status({ id: placed.orderId }),
      mallory.order.requestRefund({ id: placed.orderId, reason: "quality" }),
      mallory.order.afterSales({ id: placed.orderId }),
      mallory.order.cancel({ id: placed.orderId }),
      mallory.order.confirmDelivery({ id: placed.orderId }),
      mallory.order.pay({ id: placed.orderId }),
    ]) {
      expect(await refusal(p)).toEqual({ code: "NOT_FOUND", message: "订单不存在" });
    }
    expect((await mallory.order.list({ tab: "all" })).items).toEqual([]);
    expect((await callerFor(alice).order.list({ tab: "unshipped" })).items.map((o) => o.id)).toEqual([placed.orderId]);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: placed.orderId } })).status).toBe("PAID");
  });

  it("cancels an unpaid order and releases its stock; refuses to cancel a paid one", async () => {
    const api = callerFor(alice);
    const addr = await api.address.add(ADDRESS);
    const placed = await api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 2 }, addressId: addr.id, useCredit: false });
    await api.order.cancel({ id: placed.orderId });
    expect((await api.order.byId({ id: placed.orderId })).timeline.map((s) => s.key)).toEqual(["created", "cancelled"]);
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(5);
    expect(await refusal(api.order.pay({ id: placed.orderId }))).toMatchObject({ code: "BAD_REQUEST", message: "订单当前不可支付" });
    const paid = await placeAndPay(alice);
    expect(await refusal(api.order.cancel({ id: paid.orderId }))).toMatchObject({ code: "BAD_REQUEST", message: "订单已支付或已关闭，无法取消" });
  });

  it("ship → confirm receipt → refund request → merchant approves: restocked; no refund after completion", async () => {
    const placed = await placeAndPay(alice, 2);
    const api = callerFor(alice);
    const boss = operator.caller;
    expect(await refusal(api.order.confirmDelivery({ id: placed.orderId }))).toMatchObject({ message: "订单未发货或已确认收货" });
    await boss.merchantOrder.shipWithTracking({ id: placed.orderId, carrier: "SF", trackingNo: "SF1000000001" });
    expect(await refusal(boss.merchantOrder.shipWithTracking({ id: placed.orderId, carrier: "SF", trackingNo: "SF1000000002" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: `订单 ${placed.orderNo} 不是待发货状态`,
    });
    await api.order.confirmDelivery({ id: placed.orderId });
    expect((await api.order.byId({ id: placed.orderId })).actions).toMatchObject({ refund: true, confirmDelivery: false });
    // Delivered: the refund is a request for the merchant, not a refund yet.
    expect(await refusal(api.order.requestRefund({ id: placed.orderId, reason: "other" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await api.order.requestRefund({ id: placed.orderId, reason: "damaged", detail: "瓶身破裂" })).toMatchObject({ status: "PENDING", refunded: false });
    expect((await api.order.byId({ id: placed.orderId })).status).toBe("DELIVERED");
    const pending = await api.order.afterSales({ id: placed.orderId });
    expect(pending).toMatchObject({ canRequest: false, requests: [{ status: "PENDING", reasonLabel: "商品破损", detail: "瓶身破裂" }] });
    expect(await refusal(api.order.requestRefund({ id: placed.orderId, reason: "quality" }))).toEqual({ code: "BAD_REQUEST", message: "该订单已有处理中的退款申请" });

    const queue = await boss.merchantAfterSales.list({ status: "PENDING" });
    expect(queue.items.map((i) => i.order.id)).toEqual([placed.orderId]);
    await boss.merchantAfterSales.approve({ id: queue.items[0]!.id });
    const refunded = await api.order.byId({ id: placed.orderId });
    expect(refunded.status).toBe("REFUNDED");
    expect(refunded.timeline.map((s) => s.key)).toEqual(["created", "paid", "shipped", "delivered", "refunded"]);
    expect((await api.order.afterSales({ id: placed.orderId })).requests[0]).toMatchObject({ status: "APPROVED", resolution: "merchant" });
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(5);
    expect(await refusal(api.order.requestRefund({ id: placed.orderId, reason: "quality" }))).toMatchObject({ message: "订单已退款" });
    expect(await refusal(boss.merchantAfterSales.approve({ id: queue.items[0]!.id }))).toEqual({ code: "BAD_REQUEST", message: "该申请已处理" });

    // Not shipped yet: refunded at once.
    const unshipped = await placeAndPay(alice);
    expect(await api.order.requestRefund({ id: unshipped.orderId, reason: "no_longer_needed" })).toMatchObject({ status: "APPROVED", refunded: true });
    expect((await api.order.byId({ id: unshipped.orderId })).status).toBe("REFUNDED");

    // After completion: a clear refusal.
    const later = await placeAndPay(alice);
    await database.prisma.order.update({ where: { id: later.orderId }, data: { status: "COMPLETED", completedAt: new Date() } });
    expect(await refusal(api.order.requestRefund({ id: later.orderId, reason: "quality" }))).toEqual({ code: "BAD_REQUEST", message: "售后期已过，无法退款" });
    expect(await refusal(boss.merchantOrder.refund({ id: later.orderId }))).toEqual({ code: "BAD_REQUEST", message: "售后期已过，无法退款" });
  });

  it("the merchant rejects with a reason the shopper sees; a reject without a reason is a 400", async () => {
    const placed = await placeAndPay(alice);
    const api = callerFor(alice);
    const boss = operator.caller;
    await boss.merchantOrder.shipWithTracking({ id: placed.orderId, carrier: "ZTO", trackingNo: "ZTO1000000003" });
    const { id } = await api.order.requestRefund({ id: placed.orderId, reason: "not_as_described" });
    expect(await refusal(boss.merchantAfterSales.reject({ id, reason: "   " }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(api.merchantAfterSales.reject({ id, reason: "不行" }))).toMatchObject({ code: "UNAUTHORIZED" });
    const support = await signedInStaff(database.prisma, "support");
    expect(await refusal(support.caller.merchantAfterSales.reject({ id, reason: "不行" }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await support.caller.merchantAfterSales.list({ status: "PENDING" })).items.map((i) => i.id)).toEqual([id]);
    await boss.merchantAfterSales.reject({ id, reason: "商品与描述一致，请先联系客服" });
    const view = await api.order.afterSales({ id: placed.orderId });
    expect(view).toMatchObject({ canRequest: true, requests: [{ status: "REJECTED", statusLabel: "已拒绝", rejectReason: "商品与描述一致，请先联系客服" }] });
    expect((await api.order.byId({ id: placed.orderId })).status).toBe("SHIPPED");
  });
});

describe("merchant orders", () => {
  it("gives a shopper session nothing, a made-up staff token nothing, and is open to an operator", async () => {
    const placed = await placeAndPay(alice);
    const ship = { id: 1, carrier: "SF", trackingNo: "SF1000000004" } as const;
    expect(await refusal(callerFor(alice).merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(callerFor(bob).merchantOrder.shipWithTracking(ship))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(callerFor(null).merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(staffCaller(database.prisma, "x".repeat(43)).merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    const list = await operator.caller.merchantOrder.search({});
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ status: "PAID", canShip: true, summary: "龙井 ×1" });
    expect(await operator.caller.merchantOrder.detail({ id: placed.orderId })).toMatchObject({ status: "PAID", canShip: true, canRefund: true });
    expect(await refusal(operator.caller.merchantOrder.shipWithTracking({ ...ship, id: 999 }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("payment notifications", () => {
  it("rejects a bad signature, pays once for repeated callbacks, refuses a wrong amount", async () => {
    const api = callerFor(alice);
    const addr = await api.address.add(ADDRESS);
    const placed = await api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: addr.id, useCredit: false });
    const good = notification(placed.reference, placed.payableFen);

    const forged = new Headers(good.headers);
    forged.set(SANDBOX_SIGNATURE_HEADER, "00".repeat(32));
    await expect(handlePaymentNotification(database.prisma, "sandbox", good.body, forged)).rejects.toThrow(/signature/);
    const tampered = good.body.replace(String(placed.payableFen), "1");
    await expect(handlePaymentNotification(database.prisma, "sandbox", tampered, good.headers)).rejects.toThrow(/signature/);
    const wrongAmount = notification(placed.reference, 1);
    expect(await handlePaymentNotification(database.prisma, "sandbox", wrongAmount.body, wrongAmount.headers)).toMatchObject({ outcome: "refused" });
    expect((await api.order.status({ id: placed.orderId })).status).toBe("PENDING_PAYMENT");
    // That checkout's money went back: a later callback of it never pays the order; a new checkout does.
    expect(await handlePaymentNotification(database.prisma, "sandbox", good.body, good.headers)).toMatchObject({ outcome: "refused" });
    expect((await api.order.status({ id: placed.orderId })).status).toBe("PENDING_PAYMENT");

    const again = await api.order.pay({ id: placed.orderId });
    const fresh = notification(again.reference, placed.payableFen, "SBX-2");
    expect(await handlePaymentNotification(database.prisma, "sandbox", fresh.body, fresh.headers)).toEqual({ outcome: "paid" });
    expect(await handlePaymentNotification(database.prisma, "sandbox", fresh.body, fresh.headers)).toEqual({ outcome: "duplicate" });
    expect((await api.order.status({ id: placed.orderId })).status).toBe("PAID");
    expect(await database.prisma.payment.count()).toBe(1);
  });
});
