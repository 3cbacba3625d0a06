// The merchant product list sorted by a figure of the on-sale SKUs (total stock, lowest price): ordered and
// paged in SQL. On 300 products every page of every sort is the order worked out from the seeded facts (the
// figure in the sort's direction, id breaking ties in the same direction), and a page reads only its own
// products and their SKUs, never the whole catalogue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, PrismaClient, Tx } from "../server/db";
import { listProductsForMerchant, productExportOrder, type MerchantProductFilter } from "../server/catalog/admin";
import { MERCHANT_PRODUCT_SORTS } from "../server/catalog/schema";
import { freshLoggedDatabase } from "./helpers/logged-db";

const N = 300;
const PAGE = 37;
const T0 = Date.parse("2026-01-01T00:00:00Z");

interface SkuFact { code: string; stock: number; priceFen: number; active: boolean }
interface ProductFact { id: number; name: string; category: string; active: boolean; sort: number; createdAt: number; skus: SkuFact[] }

let database: Database;
let logged: PrismaClient;
let facts: ProductFact[];

/** Rows a result brings back: each array's rows and the rows of the arrays inside them (a product's SKUs). */
function rowsOf(v: unknown): number {
  if (!Array.isArray(v)) return 0;
  return v.length + v.reduce<number>((n, r) => n + (r && typeof r === "object" ? Object.values(r).reduce<number>((m, x) => m + rowsOf(x), 0) : 0), 0);
}

/** The client, counting the rows every read returns (model reads and raw queries). */
function rowCounting(client: PrismaClient): { tx: Tx; reads: number[] } {
  const reads: number[] = [];
  const counted = (p: unknown) => Promise.resolve(p).then((r) => (reads.push(rowsOf(r)), r));
  const calls = (target: object, fn: (...a: unknown[]) => unknown) => (...a: unknown[]) => counted(fn.apply(target, a));
  const delegate = (d: object) => new Proxy(d, { get: (t, k) => (typeof Reflect.get(t, k) === "function" ? calls(t, Reflect.get(t, k) as (...a: unknown[]) => unknown) : Reflect.get(t, k)) });
  const tx = new Proxy(client, {
    get(t, k) {
      const v = Reflect.get(t, k) as unknown;
      if (k === "$queryRaw" || k === "$queryRawUnsafe") return calls(t, v as (...a: unknown[]) => unknown);
      return typeof k === "string" && !k.startsWith("$") && v && typeof v === "object" ? delegate(v) : v;
    },
  });
  return { tx: tx as unknown as Tx, reads };
}

beforeAll(async () => {
  ({ database, logged } = await freshLoggedDatabase());
  const prisma = database.prisma;
  await prisma.category.createMany({ data: [{ slug: "a", name: "类a" }, { slug: "b", name: "类b" }] });
  // Ties everywhere: 7 shelf sort values, 11 creation times, stock 0–9 and six prices over 0–3 SKUs, some
  // SKUs off sale (every fifth), products without an SKU on sale; every fifth product off the shelf.
  const rows = Array.from({ length: N }, (_, i) => ({
    name: i % 3 === 0 ? `绿茶${i}` : `商品${i}`,
    category: i % 2 ? "b" : "a",
    active: i % 5 !== 0,
    sort: i % 7,
    createdAt: new Date(T0 + (i % 11) * 60_000),
  }));
  const products = await prisma.product.createManyAndReturn({ data: rows, select: { id: true } });
  facts = products.map((p, i) => ({
    id: p.id,
    ...rows[i]!,
    createdAt: rows[i]!.createdAt.getTime(),
    skus: Array.from({ length: i % 4 }, (_, k) => ({ code: `C${i}-${k}`, stock: (i * 7 + k * 3) % 10, priceFen: 100 * (((i * 3 + k) % 6) + 1), active: (i + k) % 5 !== 0 })),
  }));
  await prisma.sku.createMany({
    data: facts.flatMap((p) => p.skus.map((s, k) => ({ productId: p.id, code: s.code, options: [`规格${k}`], optionKey: `k${k}`, priceFen: s.priceFen, stock: s.stock, active: s.active }))),
  });
});

afterAll(async () => {
  await logged.$disconnect();
  await database.close();
});

type Key = "sort" | "createdAt" | "stock" | "price";
const onSale = (p: ProductFact) => p.skus.filter((s) => s.active);
/** The list's figure: a column, or the on-sale SKUs' total stock / lowest price (0 without one). */
function figure(p: ProductFact, key: Key): number {
  if (key === "sort") return p.sort;
  if (key === "createdAt") return p.createdAt;
  if (key === "stock") return onSale(p).reduce((n, s) => n + s.stock, 0);
  return onSale(p).length ? Math.min(...onSale(p).map((s) => s.priceFen)) : 0;
}

function expectedOrder(rows: ProductFact[], key: Key, dir: "asc" | "desc"): number[] {
  const sign = dir === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => sign * (figure(a, key) - figure(b, key) || a.id - b.id)).map((p) => p.id);
}

// Filters as the list applies them: category, shelf, words in the title or any SKU code (off sale too), case-insensitive.
const FILTERS: [string, MerchantProductFilter, (p: ProductFact) => boolean][] = [
  ["everything", {}, () => true],
  ["category b on the shelf", { category: "b", shelf: "on" }, (p) => p.category === "b" && p.active],
  ["绿茶 in the title", { q: "绿茶" }, (p) => p.name.includes("绿茶")],
  ["c2 in a SKU code", { q: "c2" }, (p) => p.skus.some((s) => s.code.toLowerCase().includes("c2"))],
];

describe("merchant product list: every sort pages in SQL", () => {
  it.each(MERCHANT_PRODUCT_SORTS)("%s: each page is the hand-worked order, and reads only its own rows", async (sort) => {
    const [key, dir] = sort.split(".") as [Key, "asc" | "desc"];
    for (const [label, filter, keep] of FILTERS) {
      const expected = expectedOrder(facts.filter(keep), key, dir);
      expect(expected.length, label).toBeGreaterThan(PAGE);
      const seen: number[] = [];
      for (let page = 1; page <= Math.ceil(expected.length / PAGE) + 1; page++) {
        const { tx, reads } = rowCounting(logged);
        const result = await listProductsForMerchant({ tx }, { ...filter, sort, page, pageSize: PAGE });
        expect(result.total, `${sort}, ${label}`).toBe(expected.length);
        expect(result.items.map((p) => p.id), `${sort}, ${label}, page ${page}`).toEqual(expected.slice((page - 1) * PAGE, page * PAGE));
        // At most: the page's ids, its products and their on-sale SKUs (never the other products).
        const own = result.items.length * 2 + result.items.reduce((n, p) => n + p.skuCount, 0);
        expect(reads.reduce((a, b) => a + b, 0), `${sort}, ${label}, page ${page}: rows read`).toBeLessThanOrEqual(own);
        seen.push(...result.items.map((p) => p.id));
      }
      expect(seen).toEqual(expected);
    }
  });

  it.each(["stock.asc", "stock.desc", "price.asc", "price.desc"] as const)("%s: the export's order is the list's, without the products that have no SKU on sale", async (sort) => {
    const [key, dir] = sort.split(".") as [Key, "asc" | "desc"];
    for (const [label, filter, keep] of FILTERS) {
      expect(await productExportOrder({ tx: logged }, { ...filter, sort }), label).toEqual(expectedOrder(facts.filter((p) => keep(p) && onSale(p).length > 0), key, dir));
    }
  });
});
