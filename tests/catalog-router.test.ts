// The merchant catalogue procedures and the shop's SKU flow through createCaller: staff create a
// product with two SKUs, a shopper sees them, puts one in the cart and checks it out with its own
// price and options; shoppers cannot reach the merchant procedures; bad input is a 400 that saves nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { freshPglite } from "./helpers/db";
import { callerFor, refusal, signedInStaff } from "./helpers/caller";
import { productExport } from "../server/exports/catalog";
import type { MerchantProductSort } from "../server/catalog/schema";

let database: Database;
let operator: Awaited<ReturnType<typeof signedInStaff>>;
let finance: Awaited<ReturnType<typeof signedInStaff>>;
let owner: Awaited<ReturnType<typeof signedInStaff>>;
let shopper: number;

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "apparel", name: "服饰" } });
  operator = await signedInStaff(database.prisma, "operator");
  finance = await signedInStaff(database.prisma, "finance");
  owner = await signedInStaff(database.prisma, "owner");
  shopper = (await inTx(database.prisma, {}, (c) => registerMember(c, { username: "shopper" }))).id;
});
afterAll(() => database.close());

const SOCKS = {
  name: "羊毛袜",
  category: "apparel",
  description: "# 保暖\n<script>alert(1)</script>",
  optionGroups: [{ name: "颜色", values: ["灰", "黑"] }],
  skus: [
    { options: ["灰"], code: "SOCK-GREY", priceFen: 2900, stock: 7 },
    { options: ["黑"], code: "SOCK-BLACK", priceFen: 3500, stock: 2 },
  ],
};

describe("merchantCatalog router", () => {
  let productId: number;

  it("staff create a product with two SKUs; the shopper buys one with its own price and options", async () => {
    const op = operator.caller;
    productId = (await op.merchantCatalog.createProduct(SOCKS)).id;
    const list = await op.merchantCatalog.products({ q: "SOCK-BLACK" });
    expect(list.items).toEqual([expect.objectContaining({ id: productId, skuCount: 2, minPriceFen: 2900, maxPriceFen: 3500, stock: 9 })]);

    const api = callerFor(database.prisma, shopper);
    const product = await api.catalog.product({ id: productId });
    expect(product.skus.map((s) => [s.options, s.priceFen, s.stock])).toEqual([
      [["灰"], 2900, 7],
      [["黑"], 3500, 2],
    ]);
    const black = product.skus[1]!;
    expect(await refusal(api.cart.add({ skuId: black.id, qty: 3 }))).toEqual({ code: "BAD_REQUEST", message: "库存不足，仅剩 2 件" });
    await api.cart.add({ skuId: black.id, qty: 2 });
    const preview = await api.order.preview({ source: { kind: "cart" } });
    expect(preview.lines).toEqual([expect.objectContaining({ sku: "SOCK-BLACK", skuLabel: "颜色：黑", unitPriceFen: 3500, qty: 2, problem: null })]);
    expect(preview.goodsFen).toBe(7000);
    const buyNow = await api.order.preview({ source: { kind: "buyNow", sku: "SOCK-GREY", qty: 1 } });
    expect(buyNow.lines[0]).toMatchObject({ skuLabel: "颜色：灰", unitPriceFen: 2900 });
  });

  it("shoppers, anonymous callers and staff of other areas are refused every merchant catalogue procedure", async () => {
    const api = callerFor(database.prisma, shopper);
    expect((await refusal(api.merchantCatalog.createProduct(SOCKS))).code).toBe("UNAUTHORIZED");
    expect((await refusal(api.merchantCatalog.adjustStock({ skuId: 1, delta: 5, reason: "想要更多" }))).code).toBe("UNAUTHORIZED");
    expect((await refusal(callerFor(database.prisma, null).merchantCatalog.products({}))).code).toBe("UNAUTHORIZED");
    expect((await refusal(finance.caller.merchantCatalog.setCategoryRates({ slug: "apparel", ratesBps: [100] }))).code).toBe("FORBIDDEN");
    expect((await refusal(finance.caller.merchantCatalog.products({}))).code).toBe("FORBIDDEN");
  });

  it("bad input is a 400 with the rule's message and saves nothing", async () => {
    const op = operator.caller;
    const before = await database.prisma.product.count();
    const missing = await refusal(op.merchantCatalog.createProduct({ ...SOCKS, skus: SOCKS.skus.slice(0, 1) }));
    expect(missing).toMatchObject({ code: "BAD_REQUEST" });
    // Category rates are program rules: the owner's (the operator is refused).
    expect((await refusal(op.merchantCatalog.setCategoryRates({ slug: "apparel", ratesBps: [200, 100] }))).code).toBe("FORBIDDEN");
    expect(await refusal(owner.caller.merchantCatalog.setCategoryRates({ slug: "apparel", ratesBps: [100, 200] }))).toEqual({ code: "BAD_REQUEST", message: "佣金比例须满足 一级 ≥ 二级 ≥ 三级" });
    expect(await refusal(op.merchantCatalog.adjustStock({ skuId: 999_999, delta: 1, reason: "到货" }))).toEqual({ code: "BAD_REQUEST", message: "SKU 不存在" });
    expect(await database.prisma.product.count()).toBe(before);
  });

  it("shelf, sort, stock and low-stock procedures change what the shop shows", async () => {
    const op = operator.caller;
    const black = await database.prisma.sku.findUniqueOrThrow({ where: { code: "SOCK-BLACK" } });
    expect(await op.merchantCatalog.adjustStock({ skuId: black.id, delta: 10, reason: "到货入库" })).toEqual({ skuId: black.id, stock: 12 });
    expect((await op.merchantCatalog.stockHistory({ skuId: black.id })).items[0]).toMatchObject({ delta: 10, stockAfter: 12, reason: "到货入库", label: "颜色：黑" });
    // The history pages: two more adjustments, pages of 2, newest first.
    await op.merchantCatalog.adjustStock({ skuId: black.id, delta: -1, reason: "破损" });
    await op.merchantCatalog.adjustStock({ skuId: black.id, delta: -1, reason: "盘点" });
    const first = await op.merchantCatalog.stockHistory({ skuId: black.id, page: 1, pageSize: 2 });
    expect({ total: first.total, reasons: first.items.map((h) => h.reason) }).toEqual({ total: 3, reasons: ["盘点", "破损"] });
    expect((await op.merchantCatalog.stockHistory({ skuId: black.id, page: 2, pageSize: 2 })).items.map((h) => h.stockAfter)).toEqual([12]);
    await op.merchantCatalog.adjustStock({ skuId: black.id, delta: 2, reason: "退回" });
    expect((await op.merchantCatalog.lowStock({ threshold: 7 })).items.map((i) => i.code)).toEqual(["SOCK-GREY"]);
    await op.merchantCatalog.setShelf({ id: productId, active: false });
    expect((await refusal(callerFor(database.prisma, shopper).catalog.product({ id: productId }))).code).toBe("NOT_FOUND");
    await op.merchantCatalog.setShelf({ id: productId, active: true });
    await op.merchantCatalog.setSort({ id: productId, sort: -5 });
    expect((await op.merchantCatalog.product({ id: productId })).sort).toBe(-5);
    const actions = (await database.prisma.auditLog.findMany({ where: { actorType: "staff", actorId: operator.id, action: { startsWith: "catalog." } }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["catalog.product.create", "catalog.stock.adjust", "catalog.stock.adjust", "catalog.stock.adjust", "catalog.stock.adjust", "catalog.product.off_shelf", "catalog.product.on_shelf", "catalog.product.sort"]);
  });

  it("the product list sorts by price, stock, sort value and creation in both directions, and pages after sorting", async () => {
    const op = operator.caller;
    await database.prisma.category.create({ data: { slug: "sorting", name: "排序测试" } });
    const make = (code: string, priceFen: number, stock: number, sort: number) =>
      op.merchantCatalog.createProduct({ name: code, category: "sorting", description: "", sort, skus: [{ options: [], code, priceFen, stock }] });
    await make("S-A", 3000, 9, 2);
    await make("S-B", 1000, 30, 3);
    await make("S-C", 2000, 1, 1);
    const codes = async (sort: MerchantProductSort, page = 1, pageSize = 20) =>
      (await op.merchantCatalog.products({ category: "sorting", sort, page, pageSize })).items.map((p) => p.codes[0]);
    expect(await codes("price.asc")).toEqual(["S-B", "S-C", "S-A"]);
    expect(await codes("price.desc")).toEqual(["S-A", "S-C", "S-B"]);
    expect(await codes("stock.asc")).toEqual(["S-C", "S-A", "S-B"]);
    expect(await codes("stock.desc")).toEqual(["S-B", "S-A", "S-C"]);
    expect(await codes("sort.asc")).toEqual(["S-C", "S-A", "S-B"]);
    expect(await codes("sort.desc")).toEqual(["S-B", "S-A", "S-C"]);
    expect(await codes("createdAt.desc")).toEqual(["S-C", "S-B", "S-A"]);
    expect(await codes("createdAt.asc")).toEqual(["S-A", "S-B", "S-C"]);
    // Derived sorts page after sorting the whole filtered list.
    expect(await codes("price.desc", 2, 2)).toEqual(["S-B"]);
    expect((await refusal(op.merchantCatalog.products({ sort: "newest" as never }))).code).toBe("BAD_REQUEST");
    // The list's CSV takes the same sort from the page's URL.
    expect(productExport.fromSearch(new URLSearchParams("category=sorting&sort=price.desc&page=2&size=50"))).toEqual({ category: "sorting", sort: "price.desc" });
    expect(productExport.fromSearch(new URLSearchParams("sort=newest"))).toBeNull();
  });

  it("categories: created and edited with an icon and an order the shop follows; audited before/after; bad icons refused", async () => {
    const op = operator.caller;
    const shop = callerFor(database.prisma, shopper);
    await op.merchantCatalog.createCategory({ slug: "kids", name: "童装", icon: "🧸", sort: 5 });
    await op.merchantCatalog.createCategory({ slug: "shoes", name: "鞋靴", icon: "/media/ab/cd.webp", sort: -1 });
    const mine = new Set(["shoes", "apparel", "kids"]);
    expect((await shop.catalog.categories()).filter((c) => mine.has(c.slug)).map((c) => [c.slug, c.icon])).toEqual([
      ["shoes", "/media/ab/cd.webp"],
      ["apparel", null],
      ["kids", "🧸"],
    ]);
    const kidsVersion = (await op.merchantCatalog.categories()).find((c) => c.slug === "kids")!.version;
    const saved = await op.merchantCatalog.updateCategory({ slug: "kids", name: "童装玩具", icon: "🪀", sort: -9, version: kidsVersion });
    expect((await shop.catalog.home()).categories.map((c) => [c.slug, c.name, c.icon])[0]).toEqual(["kids", "童装玩具", "🪀"]);
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "catalog.category.update", target: "category:kids" } });
    expect(entry).toMatchObject({ actorId: operator.id, before: { name: "童装", icon: "🧸", sort: 5 }, after: { name: "童装玩具", icon: "🪀", sort: -9 } });
    expect(await refusal(op.merchantCatalog.createCategory({ slug: "kids", name: "重复" }))).toEqual({ code: "BAD_REQUEST", message: "分类标识已存在：kids" });
    expect((await refusal(op.merchantCatalog.updateCategory({ slug: "kids", name: "童装", icon: "<b>", version: saved.version }))).code).toBe("BAD_REQUEST");
    expect((await refusal(op.merchantCatalog.updateCategory({ slug: "kids", name: "童装", icon: "https://evil.example/x.png", version: saved.version }))).code).toBe("BAD_REQUEST");
    expect((await shop.catalog.categories()).find((c) => c.slug === "kids")?.icon).toBe("🪀");
  });
});
