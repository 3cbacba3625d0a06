// 库存's SKU search (walk report W1 finding 11): the stock page listed only low-stock SKUs, so an ordinary SKU could
// not be restocked there. Staff of the catalogue area now find any SKU by its code or its product's name — whatever
// its stock, on the shelf or off it — and adjust it with the same adjustment; a combination dropped from its
// product's options is not offered (it can no longer be sold). Other roles and shoppers are refused.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { parseConfig } from "../server/config/schema";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createSimpleProduct, STOCK_SEARCH_LIMIT } from "../server/catalog/admin";
import { freshPglite } from "./helpers/db";
import { callerFor, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let operator: Awaited<ReturnType<typeof signedInStaff>>;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await db.category.create({ data: { slug: "apparel", name: "服饰" } });
  operator = await signedInStaff(db, "operator");
  // Plenty of stock (never in the low-stock list), low stock, and a product taken off the shelf.
  await createSimpleProduct(db, { sku: "TEA-longjing", name: "西湖龙井 250g", priceFen: 26_800, category: "tea", stock: 200 });
  await createSimpleProduct(db, { sku: "tea-puer", name: "云南普洱饼", priceFen: 15_800, category: "tea", stock: 3 });
  const oolong = await createSimpleProduct(db, { sku: "oolong-1", name: "安溪铁观音", priceFen: 9_900, category: "tea", stock: 40 });
  await operator.caller.merchantCatalog.setShelf({ id: oolong.id, active: false });
  // A shirt in 黑 and 白; 白 is then dropped from its options (its SKU deactivated, kept for order history).
  const { id: shirt } = await operator.caller.merchantCatalog.createProduct({
    name: "速干T恤",
    category: "apparel",
    optionGroups: [{ name: "颜色", values: ["黑", "白"] }],
    skus: [{ options: ["黑"], code: "shirt-black", priceFen: 9_900, stock: 50 }, { options: ["白"], code: "shirt-white", priceFen: 9_900, stock: 30 }],
  });
  const p = await operator.caller.merchantCatalog.product({ id: shirt });
  const black = p.skus.find((s) => s.code === "shirt-black")!;
  await operator.caller.merchantCatalog.updateProduct({
    id: shirt,
    version: p.version,
    product: { name: p.name, category: p.category, optionGroups: [{ name: "颜色", values: ["黑"] }], skus: [{ options: ["黑"], code: black.code, priceFen: black.priceFen, stock: black.stock, baseStock: black.baseStock }] },
  });
});
afterAll(() => database.close());

const search = (q: string) => operator.caller.merchantCatalog.searchStock({ q });
const codes = async (q: string) => (await search(q)).items.map((i) => i.code).sort();

describe("the stock page's SKU search", () => {
  it("finds SKUs by code, any case, whatever their stock", async () => {
    expect(await codes("tea")).toEqual(["TEA-longjing", "tea-puer"]);
    expect(await codes("LONGJING")).toEqual(["TEA-longjing"]);
  });

  it("finds SKUs by their product's name, with what the adjust row shows", async () => {
    expect((await search(" 龙井 ")).items).toEqual([
      { skuId: expect.any(Number), code: "TEA-longjing", productId: expect.any(Number), productName: "西湖龙井 250g", onShelf: true, imageUrl: null, label: "", priceFen: 26_800, stock: 200 },
    ]);
    expect(await codes("普洱")).toEqual(["tea-puer"]);
  });

  it("shows a product off the shelf (it can be restocked before going back on), marked so", async () => {
    const { items } = await search("铁观音");
    expect(items.map((i) => [i.code, i.onShelf, i.stock])).toEqual([["oolong-1", false, 40]]);
  });

  it("leaves out a combination dropped from the product's options", async () => {
    expect((await search("速干")).items.map((i) => [i.code, i.label])).toEqual([["shirt-black", "颜色：黑"]]);
    expect(await codes("shirt-white")).toEqual([]);
  });

  it("an empty search finds nothing; nothing matching finds nothing", async () => {
    expect(await search("   ")).toEqual({ items: [], more: false });
    expect(await search("咖啡")).toEqual({ items: [], more: false });
  });

  it("a found SKU is adjusted with the stock page's adjustment, and found again with its new stock", async () => {
    const [sku] = (await search("TEA-longjing")).items;
    expect(await operator.caller.merchantCatalog.adjustStock({ skuId: sku!.skuId, delta: 20, reason: "到货入库" })).toEqual({ skuId: sku!.skuId, stock: 220 });
    expect((await search("龙井")).items.map((i) => i.stock)).toEqual([220]);
  });

  it("shows the first STOCK_SEARCH_LIMIT (50) and says there are more", async () => {
    expect(STOCK_SEARCH_LIMIT).toBe(50);
    for (let i = 1; i <= 51; i++) await createSimpleProduct(database.prisma, { sku: `bulk-${i}`, name: `散装茶 ${i}`, priceFen: 100, category: "tea", stock: 1 });
    const many = await search("bulk-");
    expect([many.items.length, many.more]).toEqual([50, true]);
    expect((await search("bulk-5")).more).toBe(false);
  });
});

describe("who may search stock", () => {
  it("the owner and operators; finance, risk and support are forbidden; a shopper is not staff", async () => {
    const db = database.prisma;
    const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof TRPCError ? e.code : e));
    const owner = await signedInStaff(db, "owner");
    const finance = await signedInStaff(db, "finance");
    const risk = await signedInStaff(db, "risk");
    const support = await signedInStaff(db, "support");
    const shopper = await inTx(db, { config, now: new Date() }, (ctx) => registerMember(ctx, { username: "shopper" }));
    const calls = [owner.caller, operator.caller, finance.caller, risk.caller, support.caller, callerFor(db, shopper.id), callerFor(db, null)];
    expect(await Promise.all(calls.map((c) => outcome(c.merchantCatalog.searchStock({ q: "tea" }))))).toEqual(["ok", "ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "UNAUTHORIZED", "UNAUTHORIZED"]);
  });
});
