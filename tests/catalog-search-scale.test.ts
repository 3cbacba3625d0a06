// Shop search and category pages over more products than any in-memory cut: 620 products called 绿茶 on
// the shelf, in the merchant's order by their index. The best match of each sort sits far down that order
// (the 550th: most sold, cheapest, two pieces of a partial word) and is found; the merchant's order keeps
// breaking ties, and products off the shelf or without an SKU on sale never show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { searchProducts } from "../server/catalog";
import { freshDatabase } from "./helpers/db";

const N = 620;
const BEST = 549; // the 550th in the merchant's order
const T0 = Date.parse("2026-01-01T00:00:00Z");

let database: Database;
const ids: number[] = [];
let offShelf: number;
let noSkuOnSale: number;

beforeAll(async () => {
  database = await freshDatabase();
  const prisma = database.prisma;
  await prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  // Product i: shelf sort i, created i seconds after T0, price 10.00 + (i mod 10) 元, sold i mod 7;
  // the 550th is named 特级西湖绿茶, costs 0.50 元 and sold 1 000 pieces.
  const data = Array.from({ length: N }, (_, i) => ({ name: i === BEST ? "特级西湖绿茶" : `绿茶${i}`, category: "tea", sort: i, createdAt: new Date(T0 + i * 1000) }));
  const products = await prisma.product.createManyAndReturn({ data, select: { id: true } });
  ids.push(...products.map((p) => p.id));
  await prisma.sku.createMany({ data: ids.map((productId, i) => ({ productId, code: `T${i}`, priceFen: i === BEST ? 50 : 1000 + (i % 10) * 100, stock: 10 })) });
  await prisma.productSales.createMany({ data: ids.map((productId, i) => ({ productId, soldQty: i === BEST ? 1000 : i % 7 })) });
  // Best sellers and cheapest of all, but not for sale: off the shelf, and with its only SKU off sale.
  offShelf = (await prisma.product.create({ data: { name: "绿茶 下架", category: "tea", sort: -2, active: false, skus: { create: { code: "OFF", priceFen: 1, stock: 10 } }, sales: { create: { soldQty: 5000 } } } })).id;
  noSkuOnSale = (await prisma.product.create({ data: { name: "特级绿茶 停售", category: "tea", sort: -1, skus: { create: { code: "GONE", priceFen: 1, stock: 10, active: false } }, sales: { create: { soldQty: 4000 } } } })).id;
});

afterAll(() => database.close());

const search = (opts: Parameters<typeof searchProducts>[1]) => searchProducts(database.prisma, opts).then((cards) => cards.map((c) => c.id));
/** The ids of products by their index. */
const at = (...indexes: number[]) => indexes.map((i) => ids[i]!);

describe("search over 620 products", () => {
  it("most sold first, the 550th included; equal sales in the merchant's order", async () => {
    // Sold: 1 000 (the 550th), then 6 (indexes ≡ 6 mod 7: 6, 13, 20, 27 …).
    expect(await search({ q: "绿茶", sort: "sales", limit: 5 })).toEqual(at(BEST, 6, 13, 20, 27));
    expect(await search({ category: "tea", sort: "sales", limit: 5 })).toEqual(at(BEST, 6, 13, 20, 27));
  });

  it("cheapest first finds the 550th; dearest and newest come from the end of the merchant's order", async () => {
    // 0.50 元, then 10.00 元 (indexes ≡ 0 mod 10: 0, 10, 20).
    expect(await search({ q: "绿茶", sort: "price_asc", limit: 4 })).toEqual(at(BEST, 0, 10, 20));
    // 19.00 元: indexes ≡ 9 mod 10 except the 550th: 9, 19, 29.
    expect(await search({ q: "绿茶", sort: "price_desc", limit: 3 })).toEqual(at(9, 19, 29));
    expect(await search({ q: "绿茶", sort: "newest", limit: 3 })).toEqual(at(619, 618, 617));
  });

  it("the merchant's order is unchanged: the first 60 by shelf sort", async () => {
    expect(await search({ q: "绿茶" })).toEqual(at(...Array.from({ length: 60 }, (_, i) => i)));
    expect(await search({ q: "茗茶", limit: 3 })).toEqual(at(0, 1, 2));
  });

  it("partial input: the product matching most pieces ranks first, wherever it is in the merchant's order", async () => {
    // "绿茶特级品" matches no title as typed; pieces 绿茶 茶特 特级 级品: the 550th has two (特级, 绿茶), every other one.
    expect(await search({ q: "绿茶特级品", limit: 3 })).toEqual(at(BEST, 0, 1));
    // Sorted by price, the pieces matched break the ties: 10.00 元 at indexes 0, 10, 20 … (the 550th costs 0.50 元).
    expect(await search({ q: "绿茶特级品", sort: "price_asc", limit: 3 })).toEqual(at(BEST, 0, 10));
  });

  it("every word must match: two words find only the 550th", async () => {
    expect(await search({ q: "西湖 绿茶", sort: "sales" })).toEqual(at(BEST));
  });

  it("never off the shelf nor without an SKU on sale", async () => {
    const all = await search({ q: "绿茶", sort: "sales", limit: 100 });
    expect(all).toHaveLength(100);
    expect(all).not.toContain(offShelf);
    expect(all).not.toContain(noSkuOnSale);
  });
});
