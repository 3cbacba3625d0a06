// The shopper category page (app/category/[slug]) shows every product of its category a page at a time: the first page
// server-rendered, 加载更多 linking to the next (?cursor=, keyset over the page's sort, ties broken by the merchant's
// order then id). Before, it showed the first 100 and no way to the rest. A cursor the page did not make shows the
// first page with a notice instead of an error page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { listCategoryProducts, PRODUCT_SORTS, type ProductSort } from "../server/catalog";
import { DomainError } from "../server/context";
import { categoryPageData, cursorParam } from "../app/category/[slug]/data";
import { freshDatabase } from "./helpers/db";

let database: Database;
const T = Date.parse("2026-03-01T02:00:00.000Z");
const names: Record<number, string> = {};

async function product(name: string, p: { category?: string; shelf: number; priceFen: number; sold?: number; at: number; active?: boolean; onSale?: boolean }) {
  const { id } = await database.prisma.product.create({
    data: {
      name,
      category: p.category ?? "tea",
      sort: p.shelf,
      active: p.active ?? true,
      createdAt: new Date(T + p.at),
      skus: { create: [{ code: `S-${name}`, priceFen: p.priceFen, stock: 5, active: p.onSale ?? true }] },
    },
  });
  if (p.sold) await database.prisma.productSales.create({ data: { productId: id, soldQty: p.sold } });
  names[id] = name;
  return id;
}

beforeAll(async () => {
  database = await freshDatabase();
  await database.prisma.category.createMany({ data: [{ slug: "tea", name: "茗茶" }, { slug: "cup", name: "茶具" }, { slug: "big", name: "大类" }] });
  // tea, in id order: shelf sort, "from" price, pieces sold, created (ms after T). Every key is tied somewhere.
  await product("A", { shelf: 1, priceFen: 300, sold: 2, at: 1 });
  await product("B", { shelf: 0, priceFen: 100, sold: 5, at: 2 });
  await product("C", { shelf: 1, priceFen: 100, sold: 2, at: 2 });
  await product("D", { shelf: 0, priceFen: 300, at: 0 });
  await product("E", { shelf: 1, priceFen: 200, sold: 5, at: 1 });
  await product("F", { shelf: 0, priceFen: 200, sold: 2, at: 2 });
  // Never shown in tea: off the shelf, another category, no SKU on sale.
  await product("G", { shelf: 0, priceFen: 1, sold: 9, at: 9, active: false });
  await product("H", { category: "cup", shelf: 0, priceFen: 1, sold: 9, at: 9 });
  await product("I", { shelf: 0, priceFen: 1, sold: 9, at: 9, onSale: false });
  // A's cheaper SKU is off sale: its "from" price stays 300.
  const a = Number(Object.keys(names).find((id) => names[Number(id)] === "A"));
  await database.prisma.sku.create({ data: { productId: a, code: "S-A2", options: ["小"], optionKey: "小", priceFen: 50, stock: 5, active: false } });
  // big: 105 products (more than the 100 the page used to show), 4 shelf sorts, 7 prices, 5 sales counts, 3 ms.
  const at = new Date(T);
  await database.prisma.$executeRaw`INSERT INTO "Product" (name, category, sort, "createdAt") SELECT 'big' || g, 'big', g % 4, ${at}::timestamptz + (g % 3) * interval '1 millisecond' FROM generate_series(0, 104) g`;
  await database.prisma.$executeRaw`INSERT INTO "Sku" ("productId", code, "priceFen", stock) SELECT id, 'K' || id, 1000 + (substr(name, 4)::int % 7) * 100, 5 FROM "Product" WHERE category = 'big'`;
  await database.prisma.$executeRaw`INSERT INTO "ProductSales" ("productId", "soldQty") SELECT id, substr(name, 4)::int % 5 FROM "Product" WHERE category = 'big'`;
});
afterAll(() => database.close());

async function walk(sort: ProductSort, limit: number, category = "tea") {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listCategoryProducts(database.prisma, { category, sort, limit, cursor });
    pages.push(page.items.map((p) => p.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 20);
  return pages;
}

describe("category page paging", () => {
  it("walks each sort a page at a time with ties across page boundaries: every product once, in the sort's order", async () => {
    // By hand, ties falling to the shelf sort then id. Default: shelf 0 B D F, shelf 1 A C E.
    // Sales: 5 B E; 2 F A C; 0 D. Newest: +2 B F C; +1 A E; +0 D. Price ↑: 100 B C; 200 F E; 300 D A. Price ↓ the reverse keys.
    const expected: Record<ProductSort, string[]> = {
      default: ["B", "D", "F", "A", "C", "E"],
      sales: ["B", "E", "F", "A", "C", "D"],
      newest: ["B", "F", "C", "A", "E", "D"],
      price_asc: ["B", "C", "F", "E", "D", "A"],
      price_desc: ["D", "A", "F", "E", "B", "C"],
    };
    expect(await walk("sales", 2)).toEqual([["B", "E"], ["F", "A"], ["C", "D"]]);
    for (const sort of PRODUCT_SORTS) {
      for (let limit = 1; limit <= 7; limit++) expect((await walk(sort, limit)).flat(), `${sort}, ${limit} a page`).toEqual(expected[sort]);
    }
    const first = await listCategoryProducts(database.prisma, { category: "tea", sort: "sales", limit: 1 });
    expect(first.items).toEqual([{ id: expect.any(Number), name: "B", imageUrl: null, category: "tea", createdAt: new Date(T + 2), priceFen: 100, stock: 5, priceVaries: false, salesCount: 5 }]);
  });

  it("the page reaches all 105 products of a category, each once, following 加载更多 in every sort", async () => {
    const all = Array.from({ length: 105 }, (_, i) => `big${i}`);
    for (const sort of PRODUCT_SORTS) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const data = (await categoryPageData(database.prisma, { slug: "big", sort, cursor }))!;
        expect(data.cursorRefused).toBe(false);
        seen.push(...data.items.map((p) => p.name));
        cursor = data.nextCursor;
      } while (cursor !== undefined && ++pages < 10);
      expect(seen.length, sort).toBe(105);
      expect([...seen].sort(), sort).toEqual([...all].sort());
    }
    // The newest first: big products created at +2 ms are i ≡ 2 (mod 3); among them shelf 0 first (i ≡ 0 mod 4), by id: 8, 20, 32, …
    const newest = (await categoryPageData(database.prisma, { slug: "big", sort: "newest" }))!;
    expect(newest.items.slice(0, 3).map((p) => p.name)).toEqual(["big8", "big20", "big32"]);
  });

  it("a bad or foreign cursor shows the first page with a notice, never an error", async () => {
    const first = (await categoryPageData(database.prisma, { slug: "tea", sort: "sales" }))!;
    expect(first.items.map((p) => p.name)).toEqual(["B", "E", "F", "A", "C", "D"]);
    const salesCursor = (await listCategoryProducts(database.prisma, { category: "tea", sort: "sales", limit: 2 })).nextCursor!;
    const bad = ["", "x", "7", "1.2", "sales.1.2", "sales.-5.0.2.1", "sales.a.0.2", "sales.0.0.99999999999", "sales.0.0.-2", "sales.99999999999999999.0.2", "sales.0.0.2 ", cursorParam(["a", "b"])!];
    for (const cursor of bad) {
      const data = await categoryPageData(database.prisma, { slug: "tea", sort: "sales", cursor });
      expect(data, cursor).toEqual({ ...first, cursorRefused: true });
      const refused = await listCategoryProducts(database.prisma, { category: "tea", sort: "sales", cursor }).then(() => null, (e: unknown) => (e instanceof DomainError ? e.code : e));
      expect(refused, cursor).toBe("INVALID_CURSOR");
    }
    // Another sort's cursor (the sort changed in the URL, the cursor kept) is refused the same way.
    expect((await categoryPageData(database.prisma, { slug: "tea", sort: "price_asc", cursor: salesCursor }))!.cursorRefused).toBe(true);
    expect((await categoryPageData(database.prisma, { slug: "tea", sort: "sales", cursor: salesCursor }))!.items.map((p) => p.name)).toEqual(["F", "A", "C", "D"]);
    expect(await categoryPageData(database.prisma, { slug: "nope", sort: "default", cursor: "x" })).toBeNull();
  });
});
