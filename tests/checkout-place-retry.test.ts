// 提交订单 as a phone sends it: the page's key sent again after the first answer was lost gets its order
// back (even though the ordered lines have left the cart, or the order is already paid by store credit),
// and an order whose amount changed since the shopper saw it is refused with the new amount, nothing taken.
// On PostgreSQL (FM_TEST_DB=postgres) a double tap's two places also run at once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { callerFor, refusal } from "./helpers/caller";

const config = parseConfig({});
const KEY = "0123456789abcdef0123456789abcdef";
const ADDRESS = { name: "张三", phone: "13912345678", areaCode: "330106", detail: "文三路 100 号" };
let database: Database;
let alice: number;
let teaSku: number;

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);
const teaStock = async () => (await database.prisma.sku.findUniqueOrThrow({ where: { id: teaSku } })).stock;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
  teaSku = (await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).id;
  alice = (await run((ctx) => registerMember(ctx, { username: "alice" }))).id;
});
afterEach(() => database.close());

describe("提交订单 sent again with the page's key", () => {
  it("after the cart checkout went through: the same order, not 购物车是空的", async () => {
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    await api.cart.add({ skuId: teaSku, qty: 2 });
    const input = { source: { kind: "cart" as const }, addressId: addr.id, useCredit: false, clientKey: KEY };
    const first = await api.order.place(input);
    // The answer never reached the phone; the shopper taps again on the same page.
    const again = await api.order.place(input);
    expect(again.orderId).toBe(first.orderId);
    // 2 × 99.00
    expect(again.payableFen).toBe(19_800);
    expect(await database.prisma.order.count()).toBe(1);
    expect(await teaStock()).toBe(3);
  });

  it.runIf(usingPostgres())("two taps at once on a cart checkout: one order, both answers name it", async () => {
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    await api.cart.add({ skuId: teaSku, qty: 2 });
    const input = { source: { kind: "cart" as const }, addressId: addr.id, useCredit: false, clientKey: KEY };
    const [first, second] = await Promise.all([api.order.place(input), api.order.place(input)]);
    expect(second.orderId).toBe(first.orderId);
    expect(await database.prisma.order.count()).toBe(1);
    expect(await teaStock()).toBe(3);
  });

  it("after an order paid in full by store credit: the order's result page, not 订单当前不可支付", async () => {
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:adjustment", alice, "credit", 10_000));
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    const input = { source: { kind: "buyNow" as const, sku: "tea", qty: 1 }, addressId: addr.id, useCredit: true, clientKey: KEY };
    const first = await api.order.place(input);
    // 99.00 of goods, all covered by the 100.00 of credit: paid at once.
    expect(first.payableFen).toBe(0);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: first.orderId } })).status).toBe("PAID");
    const again = await api.order.place(input);
    expect(again).toMatchObject({ orderId: first.orderId, payableFen: 0, cashierUrl: `/orders/${first.orderId}/result` });
    expect(await database.prisma.order.count()).toBe(1);
    expect(await teaStock()).toBe(4);
  });
});

describe("the amount changed since the checkout page showed it", () => {
  it("a raised price is refused with the new amount; nothing is ordered and the cart stays", async () => {
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    await api.cart.add({ skuId: teaSku, qty: 2 });
    const shown = await api.order.preview({ source: { kind: "cart" } });
    expect(shown.goodsFen).toBe(19_800);
    await database.prisma.sku.update({ where: { id: teaSku }, data: { priceFen: 12_900 } });
    const input = { source: { kind: "cart" as const }, addressId: addr.id, useCredit: false, clientKey: KEY, expectedPayableFen: 19_800 };
    // Now 2 × 129.00 = 258.00 to pay.
    expect(await refusal(api.order.place(input))).toEqual({ code: "BAD_REQUEST", message: "订单金额有变化，现应付 ¥258.00，请确认后再提交" });
    expect(await database.prisma.order.count()).toBe(0);
    expect(await teaStock()).toBe(5);
    expect((await api.cart.list()).items.map((i) => i.qty)).toEqual([2]);
    // Confirmed at the new amount, the same page's key places it.
    const placed = await api.order.place({ ...input, expectedPayableFen: 25_800 });
    expect(placed.payableFen).toBe(25_800);
  });

  it("store credit spent elsewhere meanwhile raises what is left to pay: refused too", async () => {
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:adjustment", alice, "credit", 3_000));
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    // 99.00 less 30.00 of credit: 69.00 shown.
    expect((await api.order.preview({ source: { kind: "buyNow", sku: "tea", qty: 1 } })).creditUsableFen).toBe(3_000);
    await run((ctx) => fromMerchant(ctx, "spent", "test", "merchant:adjustment", alice, "credit", -1_000));
    const input = { source: { kind: "buyNow" as const, sku: "tea", qty: 1 }, addressId: addr.id, useCredit: true, expectedPayableFen: 6_900 };
    // 99.00 less the 20.00 left: 79.00.
    expect(await refusal(api.order.place(input))).toEqual({ code: "BAD_REQUEST", message: "订单金额有变化，现应付 ¥79.00，请确认后再提交" });
    expect(await database.prisma.order.count()).toBe(0);
  });

  it("a product taken off the shelf since is refused by its name, not its SKU code", async () => {
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    await api.cart.add({ skuId: teaSku, qty: 1 });
    expect((await api.order.preview({ source: { kind: "cart" } })).ok).toBe(true);
    const { productId } = await database.prisma.sku.findUniqueOrThrow({ where: { id: teaSku } });
    await database.prisma.product.update({ where: { id: productId }, data: { active: false } });
    const input = { source: { kind: "cart" as const }, addressId: addr.id, useCredit: false, clientKey: KEY, expectedPayableFen: 9_900 };
    expect(await refusal(api.order.place(input))).toEqual({ code: "BAD_REQUEST", message: "龙井已下架，请返回购物车删除后再结算" });
    expect(await database.prisma.order.count()).toBe(0);
  });
});
