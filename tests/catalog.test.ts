// Catalogue rules (server/catalog): option groups → one SKU per combination, per-SKU price and stock in
// orders, editing the matrix (dropped combinations deactivated, stock changed by delta), per-category
// commission rates validated like the merchant configuration (SPEC §4), stock adjustments with a
// reason (never below zero, audited), the low-stock list, the shelf.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx, loadConfig } from "../server/context";
import { parseConfig, ratesFor } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, cancelUnpaidOrder, confirmPayment } from "../server/orders";
import {
  adjustStock,
  createSimpleProduct,
  getProductForMerchant,
  listProductsForMerchant,
  lowStockSkus,
  saveProduct,
  setCategoryCommissionRates,
  setProductShelf,
} from "../server/catalog/admin";
import { getProduct, listProducts, summarizeSkus } from "../server/catalog";
import { productInputSchema, skuCombinations, skuLabel } from "../server/catalog/schema";
import { freshPglite } from "./helpers/db";

const config = parseConfig({});
let database: Database;
let buyer: number;
const ACTOR = { staffId: 4242, requestId: "req-catalog" };
const now = new Date("2026-03-01T02:00:00Z");
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { now }, fn);

const TEE = {
  name: "纯棉T恤",
  category: "apparel",
  description: "**纯棉** 面料",
  optionGroups: [
    { name: "颜色", values: ["红", "蓝"] },
    { name: "尺码", values: ["M", "L"] },
  ],
  skus: [
    { options: ["红", "M"], code: "TEE-R-M", priceFen: 9900, stock: 5 },
    { options: ["红", "L"], code: "TEE-R-L", priceFen: 10900, stock: 0 },
    { options: ["蓝", "M"], code: "TEE-B-M", priceFen: 9900, stock: 3 },
    { options: ["蓝", "L"], code: "TEE-B-L", priceFen: 10900, stock: 8 },
  ],
};

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.createMany({ data: [{ slug: "apparel", name: "服饰" }, { slug: "tea", name: "茗茶" }] });
  buyer = (await run((c) => registerMember(c, { username: "buyer" }))).id;
});
afterAll(() => database.close());

describe("SKU combinations (pure)", () => {
  it("one combination per value of each group, first group slowest; a label per SKU", () => {
    expect(skuCombinations([])).toEqual([[]]);
    expect(skuCombinations(TEE.optionGroups)).toEqual([["红", "M"], ["红", "L"], ["蓝", "M"], ["蓝", "L"]]);
    expect(skuLabel(TEE.optionGroups, ["蓝", "L"])).toBe("颜色：蓝；尺码：L");
    expect(skuLabel([], [])).toBe("");
  });

  it("the product form refuses a missing, duplicate or foreign combination and more than 3 groups", () => {
    expect(productInputSchema.safeParse(TEE).success).toBe(true);
    const missing = productInputSchema.safeParse({ ...TEE, skus: TEE.skus.slice(0, 3) });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.message).join()).toContain("缺少规格组合：蓝 / L");
    const dup = productInputSchema.safeParse({ ...TEE, skus: [...TEE.skus.slice(0, 3), { ...TEE.skus[0]!, code: "X" }] });
    expect(dup.error!.issues.map((i) => i.message)).toContain("同一规格组合只能有一个 SKU");
    const foreign = productInputSchema.safeParse({ ...TEE, skus: [...TEE.skus.slice(0, 3), { ...TEE.skus[3]!, options: ["绿", "L"] }] });
    expect(foreign.success).toBe(false);
    const four = productInputSchema.safeParse({ ...TEE, optionGroups: [1, 2, 3, 4].map((i) => ({ name: `g${i}`, values: ["a"] })), skus: [{ options: ["a", "a", "a", "a"], priceFen: 1, stock: 1 }] });
    expect(four.error!.issues.map((i) => i.message)).toContain("最多 3 组规格");
    const evilImage = productInputSchema.safeParse({ ...TEE, images: ["javascript:alert(1)"] });
    expect(evilImage.success).toBe(false);
  });
});

describe("products with SKUs", () => {
  let teeId: number;

  it("creates one SKU per combination; the shop shows the lowest price and total stock", async () => {
    teeId = (await run((c) => saveProduct(c, ACTOR, null, TEE))).id;
    const p = await getProduct(database.prisma, teeId);
    expect(p!.skus.map((s) => [s.code, s.options, s.priceFen, s.stock])).toEqual([
      ["TEE-R-M", ["红", "M"], 9900, 5],
      ["TEE-R-L", ["红", "L"], 10900, 0],
      ["TEE-B-M", ["蓝", "M"], 9900, 3],
      ["TEE-B-L", ["蓝", "L"], 10900, 8],
    ]);
    expect(p).toMatchObject({ priceFen: 9900, stock: 16, optionGroups: TEE.optionGroups });
    const listed = (await listProducts(database.prisma, { category: "apparel" })).items;
    // 99 元 and 109 元 SKUs: the card reads ¥99.00 起.
    expect(listed).toEqual([expect.objectContaining({ id: teeId, priceFen: 9900, stock: 16, priceVaries: true })]);
    expect(summarizeSkus([{ priceFen: 9900, stock: 1 }, { priceFen: 9900, stock: 0 }]).priceVaries).toBe(false);
    const log = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "catalog.product.create" } });
    expect(log).toMatchObject({ actorType: "staff", actorId: 4242, requestId: "req-catalog", target: `product:${teeId}` });
  });

  it("an order takes the chosen SKU's price and stock, and its line records the SKU and its labels", async () => {
    const order = await run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-B-L", qty: 2 }] }));
    expect(order.goodsFen).toBe(21800);
    expect(order.lines[0]).toMatchObject({ productId: teeId, skuLabel: "颜色：蓝；尺码：L", unitPriceFen: 10900, qty: 2 });
    const stocks = await database.prisma.sku.findMany({ where: { productId: teeId }, orderBy: { id: "asc" } });
    expect(stocks.map((s) => s.stock)).toEqual([5, 0, 3, 6]);
    // A sold-out SKU is refused even though its siblings have stock.
    await expect(run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-R-L", qty: 1 }] }))).rejects.toMatchObject({
      code: "OUT_OF_STOCK",
      message: "库存不足: 纯棉T恤 (颜色：红；尺码：L) 仅剩 0 件",
    });
    // Cancelling releases that SKU's stock only.
    expect(await run((c) => cancelUnpaidOrder(c, order.id, "shopper"))).toBe(true);
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "TEE-B-L" } })).stock).toBe(8);
  });

  it("editing: a dropped combination is deactivated (order history intact), stock changes apply as a delta", async () => {
    const paid = await run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-R-M", qty: 1 }] }));
    await run((c) => confirmPayment(c, { orderId: paid.id, provider: "sandbox", providerTxnId: "t-edit", amountFen: paid.payableFen, currency: "CNY" }));
    const form = (await getProductForMerchant({ tx: database.prisma }, teeId))!;
    expect(form.skus.find((s) => s.code === "TEE-R-M")).toMatchObject({ stock: 4, baseStock: 4 });
    // While the form is open, a shopper buys one more 红/M: stock 4 → 3.
    await run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-R-M", qty: 1 }] }));
    // The merchant drops 尺码 L, raises 红/M from 4 to 10 (+6) and reprices 蓝/M.
    await run((c) =>
      saveProduct(c, ACTOR, teeId, {
        ...TEE,
        optionGroups: [{ name: "颜色", values: ["红", "蓝"] }, { name: "尺码", values: ["M"] }],
        skus: [
          { options: ["红", "M"], code: "TEE-R-M", priceFen: 9900, stock: 10, baseStock: 4 },
          { options: ["蓝", "M"], code: "TEE-B-M", priceFen: 8800, stock: 3, baseStock: 3 },
        ],
      }),
    );
    const skus = await database.prisma.sku.findMany({ where: { productId: teeId }, orderBy: { id: "asc" } });
    expect(skus.map((s) => [s.code, s.active, s.stock, s.priceFen])).toEqual([
      ["TEE-R-M", true, 9, 9900], // 3 + 6: the concurrent order is not overwritten
      ["TEE-R-L", false, 0, 10900],
      ["TEE-B-M", true, 3, 8800],
      ["TEE-B-L", false, 0, 10900], // its 8 leave with it (logged below)
    ]);
    expect(await database.prisma.stockAdjustment.findFirst({ where: { skuId: skus[0]!.id } })).toMatchObject({ delta: 6, stockAfter: 9, reason: "编辑商品" });
    // TEE-R-L had none: nothing to log; TEE-B-L's 8 are logged as removed with the SKU.
    expect(await database.prisma.stockAdjustment.findMany({ where: { skuId: skus[1]!.id } })).toEqual([]);
    expect(await database.prisma.stockAdjustment.findMany({ where: { skuId: skus[3]!.id } })).toMatchObject([{ delta: -8, stockAfter: 0, reason: "规格删除", actorId: ACTOR.staffId }]);
    // The paid order still shows what was bought.
    const line = await database.prisma.orderLine.findFirstOrThrow({ where: { orderId: paid.id }, include: { sku: true } });
    expect(line).toMatchObject({ skuLabel: "颜色：红；尺码：M", sku: { code: "TEE-R-M" } });
    // A deactivated SKU cannot be ordered.
    await expect(run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-B-L", qty: 1 }] }))).rejects.toMatchObject({ code: "NO_SUCH_PRODUCT" });
    // Bringing L back reactivates the same SKUs (same ids), with the stock the form gives them.
    await run((c) => saveProduct(c, ACTOR, teeId, { ...TEE, skus: TEE.skus.map((s) => ({ ...s, stock: 0, baseStock: 0 })) }));
    const back = await database.prisma.sku.findMany({ where: { productId: teeId }, orderBy: { id: "asc" } });
    expect(back.map((s) => [s.id, s.active])).toEqual(skus.map((s) => [s.id, true]));
    const audit = await database.prisma.auditLog.findMany({ where: { action: "catalog.product.update", target: `product:${teeId}` } });
    expect(audit).toHaveLength(2);
    expect((audit[0]!.before as { skus: unknown[] }).skus).toHaveLength(4);
    expect((audit[0]!.after as { skus: unknown[] }).skus).toHaveLength(2);
  });

  it("a SKU code used by another product is refused with a clear message, and nothing is saved", async () => {
    await run((c) => createSimpleProduct(c.tx, { sku: "tea-1", name: "龙井", priceFen: 100, category: "tea", stock: 1 }));
    const count = await database.prisma.product.count();
    await expect(run((c) => saveProduct(c, ACTOR, null, { name: "冒名", category: "tea", skus: [{ options: [], code: "tea-1", priceFen: 1, stock: 1 }] }))).rejects.toMatchObject({
      code: "SKU_CODE_TAKEN",
    });
    expect(await database.prisma.product.count()).toBe(count);
  });

  it("off the shelf: gone from the shop and not orderable; back on: orderable again", async () => {
    await run((c) => setProductShelf(c, ACTOR, teeId, false));
    expect(await getProduct(database.prisma, teeId)).toBeNull();
    await expect(run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-B-M", qty: 1 }] }))).rejects.toMatchObject({ code: "NO_SUCH_PRODUCT" });
    expect((await listProductsForMerchant({ tx: database.prisma }, { shelf: "off" })).items.map((p) => p.id)).toEqual([teeId]);
    await run((c) => setProductShelf(c, ACTOR, teeId, true));
    await run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: "TEE-B-M", qty: 1 }] }));
    expect(await database.prisma.auditLog.count({ where: { action: { in: ["catalog.product.off_shelf", "catalog.product.on_shelf"] } } })).toBe(2);
  });
});

describe("stock adjustments and low stock", () => {
  it("adds and removes stock with a reason, never below zero, audited", async () => {
    const p = await run((c) => createSimpleProduct(c.tx, { sku: "adj-1", name: "普洱", priceFen: 100, category: "tea", stock: 4 }));
    const skuId = p.skus[0]!.id;
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: 6, reason: "到货入库" }))).toEqual({ skuId, stock: 10 });
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: -11, reason: "盘点损耗" }))).rejects.toMatchObject({ code: "STOCK_BELOW_ZERO" });
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: -1, reason: "" }))).rejects.toBeInstanceOf(DomainError);
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: -10, reason: "盘点损耗" }))).toEqual({ skuId, stock: 0 });
    const rows = await database.prisma.stockAdjustment.findMany({ where: { skuId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.delta, r.stockAfter, r.reason, r.actorId])).toEqual([
      [6, 10, "到货入库", 4242],
      [-10, 0, "盘点损耗", 4242],
    ]);
    const audit = await database.prisma.auditLog.findMany({ where: { action: "catalog.stock.adjust", target: `sku:${skuId}` }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.before, a.after, a.data, a.actorId])).toEqual([
      [{ stock: 4 }, { stock: 10 }, { code: "adj-1", delta: 6, reason: "到货入库" }, 4242],
      [{ stock: 10 }, { stock: 0 }, { code: "adj-1", delta: -10, reason: "盘点损耗" }, 4242],
    ]);
  });

  it("lists on-sale SKUs at or below the threshold, emptiest first", async () => {
    const low = await lowStockSkus({ tx: database.prisma }, { threshold: 3 });
    const codes = low.items.map((i) => i.code);
    expect(codes).toContain("adj-1");
    expect(codes).toContain("TEE-R-L");
    expect(codes).not.toContain("TEE-R-M"); // 9 in stock (TEE-B-L's 8 left with it when its size was dropped)
    expect(low.items.map((i) => i.stock)).toEqual([...low.items.map((i) => i.stock)].sort((a, b) => a - b));
    expect(low.items.find((i) => i.code === "TEE-R-L")).toMatchObject({ label: "颜色：红；尺码：L", productName: "纯棉T恤" });
  });
});

describe("per-category commission rates (SPEC §4)", () => {
  it("refuses more than 3 levels or L1 < L2 < L3; stores valid rates where the engine reads them; null restores the default", async () => {
    await expect(run((c) => setCategoryCommissionRates(c, ACTOR, "tea", [500, 600, 100]))).rejects.toMatchObject({ code: "INVALID_RATES", message: "佣金比例须满足 一级 ≥ 二级 ≥ 三级" });
    await expect(run((c) => setCategoryCommissionRates(c, ACTOR, "tea", [500, 400, 300, 200]))).rejects.toMatchObject({ code: "INVALID_RATES" });
    await expect(run((c) => setCategoryCommissionRates(c, ACTOR, "tea", [10001]))).rejects.toMatchObject({ code: "INVALID_RATES" });
    await expect(run((c) => setCategoryCommissionRates(c, ACTOR, "nope", [100]))).rejects.toMatchObject({ code: "NO_SUCH_CATEGORY" });
    expect(ratesFor(await loadConfig(database.prisma), "tea")).toEqual(config.commission.ratesBps);

    await run((c) => setCategoryCommissionRates(c, ACTOR, "tea", [300, 100]));
    const cfg = await loadConfig(database.prisma);
    expect(ratesFor(cfg, "tea")).toEqual([300, 100, 0]);
    expect(ratesFor(cfg, "apparel")).toEqual([1000, 500, 200]);

    await run((c) => setCategoryCommissionRates(c, ACTOR, "tea", null));
    expect(ratesFor(await loadConfig(database.prisma), "tea")).toEqual([1000, 500, 200]);
    const audit = await database.prisma.auditLog.findMany({ where: { action: "catalog.category.rates" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [{ ratesBps: null }, { ratesBps: [300, 100, 0] }],
      [{ ratesBps: [300, 100, 0] }, { ratesBps: null }],
    ]);
  });

  it("a category whose slug ends in 'fee' (coffee) is data, not an entry-fee setting: its rates are saved", async () => {
    await database.prisma.category.create({ data: { slug: "coffee", name: "咖啡" } });
    await run((c) => setCategoryCommissionRates(c, ACTOR, "coffee", [300, 100, 50]));
    expect(ratesFor(await loadConfig(database.prisma), "coffee")).toEqual([300, 100, 50]);
  });
});
