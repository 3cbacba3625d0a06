// Cart selection (only ticked lines are totalled and ordered), mainland phone validation and the
// 省/市/区 picker's division codes (the region is derived from the code, never trusted as text).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { addToCart, listCart, removeFromCart, setCartSelection } from "../server/cart";
import { checkoutPreview, placeOrder } from "../server/orders/checkout";
import { addAddress, updateAddress, validateAddress } from "../server/members/addresses";
import { isMainlandMobile } from "../server/members/phone";
import { areaNames, regionText } from "../server/members/area";
import { freshPglite } from "./helpers/db";
import { callerFor, refusal } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let alice: number;
let teaSku: number;
let nutsSku: number;

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);

/** A fresh database for each test of the block (the pure checks below need none). */
function withDatabase() {
  beforeEach(async () => {
    database = await freshPglite();
    await database.prisma.category.createMany({ data: [{ slug: "tea", name: "茗茶" }, { slug: "snacks", name: "零食" }] });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
    await createSimpleProduct(database.prisma, { sku: "nuts", name: "坚果", priceFen: 1990, category: "snacks", stock: 100 });
    teaSku = (await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).id;
    nutsSku = (await database.prisma.sku.findUniqueOrThrow({ where: { code: "nuts" } })).id;
    alice = (await run((ctx) => registerMember(ctx, { username: "alice" }))).id;
  });
  afterEach(() => database.close());
}

describe("cart selection", () => {
  withDatabase();
  it("totals only the ticked lines; 全选 and unticking all are remembered", async () => {
    await run((ctx) => addToCart(ctx, alice, teaSku, 2));
    await run((ctx) => addToCart(ctx, alice, nutsSku, 3));
    // New lines are ticked: 2 × 99.00 + 3 × 19.90 = 257.70
    expect(await run((ctx) => listCart(ctx, alice))).toMatchObject({ totalFen: 25_770, selectedCount: 5, count: 5 });

    await run((ctx) => setCartSelection(ctx, alice, [teaSku], false));
    const partly = await run((ctx) => listCart(ctx, alice));
    expect(partly).toMatchObject({ totalFen: 5_970, selectedCount: 3, count: 5 });
    expect(partly.items.map((i) => [i.skuId, i.selected])).toEqual(expect.arrayContaining([[teaSku, false], [nutsSku, true]]));

    await run((ctx) => setCartSelection(ctx, alice, "all", false));
    expect(await run((ctx) => listCart(ctx, alice))).toMatchObject({ totalFen: 0, selectedCount: 0, count: 5 });
    await run((ctx) => setCartSelection(ctx, alice, "all", true));
    expect(await run((ctx) => listCart(ctx, alice))).toMatchObject({ totalFen: 25_770, selectedCount: 5 });
  });

  it("a ticked line without enough stock is not in the total", async () => {
    await run((ctx) => addToCart(ctx, alice, teaSku, 5));
    await run((ctx) => addToCart(ctx, alice, nutsSku, 1));
    await database.prisma.sku.update({ where: { id: teaSku }, data: { stock: 4 } });
    expect(await run((ctx) => listCart(ctx, alice))).toMatchObject({ totalFen: 1_990, selectedCount: 1, count: 6 });
  });

  it("checkout orders the ticked lines only and leaves the others in the cart", async () => {
    await run((ctx) => addToCart(ctx, alice, teaSku, 1));
    await run((ctx) => addToCart(ctx, alice, nutsSku, 2));
    await run((ctx) => setCartSelection(ctx, alice, [teaSku], false));
    const preview = await run((ctx) => checkoutPreview(ctx, alice, { kind: "cart" }));
    expect(preview.lines.map((l) => [l.sku, l.qty])).toEqual([["nuts", 2]]);
    expect(preview.goodsFen).toBe(3_980);

    const address = await run((ctx) => addAddress(ctx, alice, { name: "张三", phone: "13912345678", areaCode: "330106", detail: "文三路 100 号" }));
    const placed = await placeOrder(database.prisma, new Date(), { memberId: alice, source: { kind: "cart" }, addressId: address.id, useCredit: false, baseUrl: "http://localhost" });
    expect(placed.payableFen).toBe(3_980);
    const left = await run((ctx) => listCart(ctx, alice));
    expect(left.items.map((i) => [i.skuId, i.qty, i.selected])).toEqual([[teaSku, 1, false]]);
  });

  it("refuses to check out when nothing is ticked, and 删除 removes lines", async () => {
    await run((ctx) => addToCart(ctx, alice, teaSku, 1));
    await run((ctx) => setCartSelection(ctx, alice, "all", false));
    await expect(run((ctx) => checkoutPreview(ctx, alice, { kind: "cart" }))).rejects.toMatchObject({ code: "NOTHING_SELECTED" });
    await run((ctx) => removeFromCart(ctx, alice, [teaSku]));
    await expect(run((ctx) => checkoutPreview(ctx, alice, { kind: "cart" }))).rejects.toMatchObject({ code: "EMPTY_ORDER" });
  });

  it("the router changes only the caller's own lines", async () => {
    const bob = (await run((ctx) => registerMember(ctx, { username: "bob" }))).id;
    await run((ctx) => addToCart(ctx, alice, teaSku, 1));
    await run((ctx) => addToCart(ctx, bob, teaSku, 1));
    const api = callerFor(database.prisma, bob);
    await api.cart.select({ selected: false });
    await api.cart.remove({ skuIds: [teaSku] });
    expect((await run((ctx) => listCart(ctx, alice))).items.map((i) => [i.qty, i.selected])).toEqual([[1, true]]);
    expect((await api.cart.list()).items).toEqual([]);
    expect(await refusal(api.cart.remove({ skuIds: [] }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("mainland mobile numbers", () => {
  it.each([
    ["13912345678", true],
    ["19912345678", true],
    ["139 1234 5678", true],
    ["139-1234-5678", true],
    ["12912345678", false], // second digit 2
    ["10912345678", false],
    ["1391234567", false], // 10 digits
    ["139123456789", false], // 12 digits
    ["+8613912345678", false],
    ["1391234567a", false],
  ])("%s → %s", (phone, ok) => {
    expect(isMainlandMobile(phone)).toBe(ok);
  });

  it("an address with a bad phone is refused with the field named", () => {
    expect(() => validateAddress({ name: "张三", phone: "12912345678", areaCode: "330106", detail: "x" })).toThrow("请输入正确的 11 位手机号");
  });
});

describe("省/市/区 from the division code", () => {
  it("names province, city and county; a municipality is not repeated", () => {
    expect(areaNames("440305")).toEqual(["广东省", "深圳市", "南山区"]);
    expect(regionText(areaNames("440305")!)).toBe("广东省 深圳市 南山区");
    expect(regionText(areaNames("110101")!)).toBe("北京市 东城区");
    expect(areaNames("440300")).toBeNull(); // a city, not a county
    expect(areaNames("999999")).toBeNull();
    expect(areaNames("44030")).toBeNull();
  });

});

describe("addresses with a division code", () => {
  withDatabase();
  it("the stored region is derived from the code, whatever text came with it", async () => {
    const a = await run((ctx) => addAddress(ctx, alice, { name: "张三", phone: "13912345678", areaCode: "330106", region: "火星", detail: "文三路 100 号" }));
    expect(a).toMatchObject({ region: "浙江省 杭州市 西湖区", areaCode: "330106", isDefault: true });
    const b = await run((ctx) => updateAddress(ctx, alice, a.id, { name: "张三", phone: "13912345678", areaCode: "440305", detail: "科技园" }));
    expect(b).toMatchObject({ region: "广东省 深圳市 南山区", areaCode: "440305" });
    await expect(run((ctx) => addAddress(ctx, alice, { name: "张三", phone: "13912345678", areaCode: "440300", detail: "x" }))).rejects.toMatchObject({ code: "INVALID_REGION" });
  });
});
