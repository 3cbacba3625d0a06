// The shop's product list (server/catalog listProducts, tRPC catalog.products: home, search and cart picks) pages by
// keyset (issue 14): the cursor is the last product's sort and id, so a page seeks to it. The merchant's order (sort,
// then id) with ties in sort across page boundaries, walked at every page size, shows each on-shelf product once; a
// product taken off the shelf or re-sorted between two pages neither hides nor repeats another (the previous cursor,
// the id alone with a skip of one row, lost the next product). On PostgreSQL (and PGlite) a deep page of a category
// is an index scan from the cursor, without OFFSET.
// Runs on PGlite, and on PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient, postgresAdapter, type Database, type Db } from "../../server/db";
import { StrictPGlite } from "../../server/db/pglite-adapter";
import { listProducts } from "../../server/catalog";
import { DomainError } from "../../server/context";
import { callerFor, domainRefusal, refusal } from "../helpers/caller";
import { freshPglite, freshPostgres, usingPostgres } from "../helpers/db";

let opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.reverse()) await o.close();
  opened = [];
});

/** A fresh database and a client on it that records every statement it sends. */
async function recordingDatabase() {
  const database = usingPostgres() ? await freshPostgres() : ((await freshPglite()) as Database & { pglite: PGlite });
  const adapter = "url" in database ? postgresAdapter({ connectionString: database.url, max: 2 }) : new StrictPGlite(database.pglite);
  const db = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  const statements: { query: string; params: string }[] = [];
  db.$on("query", (e) => statements.push({ query: e.query, params: e.params }));
  opened.push(database, { close: () => db.$disconnect() });
  return { db: db as Db, statements };
}

/**
 * Ten products in id order A..J with shelf sorts 2 1 2 1 1 2 0 2 1 2; D is off the shelf and F's only SKU is off sale.
 * The merchant's order by hand: sort 0: G; sort 1: B E I; sort 2: A C H J.
 */
async function shelf(db: Db) {
  await db.category.createMany({ data: [{ slug: "tea", name: "茶" }, { slug: "cup", name: "杯" }] });
  const sorts = [2, 1, 2, 1, 1, 2, 0, 2, 1, 2];
  const ids: Record<string, number> = {};
  for (const [i, sort] of sorts.entries()) {
    const name = "ABCDEFGHIJ"[i]!;
    const p = await db.product.create({
      data: { name, category: i % 2 ? "cup" : "tea", sort, active: name !== "D", skus: { create: { code: `S-${name}`, priceFen: 1000 + i, stock: 5, active: name !== "F" } } },
    });
    ids[name] = p.id;
  }
  return ids;
}

async function walk(db: Db, limit: number, category?: string) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listProducts(db, { limit, category, cursor });
    pages.push(page.items.map((p) => p.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 20);
  return pages;
}

describe("catalogue keyset paging", () => {
  it("walks every page size with ties in the sort: every on-shelf product once, in the merchant's order", async () => {
    const { db } = await recordingDatabase();
    await shelf(db);
    expect(await walk(db, 3)).toEqual([["G", "B", "E"], ["I", "A", "C"], ["H", "J"]]);
    for (let limit = 1; limit <= 9; limit++) expect((await walk(db, limit)).flat(), `limit ${limit}`).toEqual(["G", "B", "E", "I", "A", "C", "H", "J"]);
    // tea holds A C E G I (even indexes), cup B D F H J: D off the shelf, F without an SKU on sale.
    expect(await walk(db, 2, "tea")).toEqual([["G", "E"], ["I", "A"], ["C"]]);
    expect(await walk(db, 1, "cup")).toEqual([["B"], ["H"], ["J"]]);
    // What the first page shows is what the home page showed before: the first products, price and stock from on-sale SKUs.
    const first = await listProducts(db, { limit: 2 });
    expect(first.items).toEqual([
      { id: expect.any(Number), name: "G", imageUrl: null, category: "tea", priceFen: 1006, stock: 5, priceVaries: false },
      { id: expect.any(Number), name: "B", imageUrl: null, category: "cup", priceFen: 1001, stock: 5, priceVaries: false },
    ]);
  });

  it("a product taken off the shelf or re-sorted between two pages hides and repeats no other", async () => {
    const { db } = await recordingDatabase();
    const ids = await shelf(db);
    const first = await listProducts(db, { limit: 3 });
    expect(first.items.map((p) => p.name)).toEqual(["G", "B", "E"]);
    // E, the last product of page 1, goes off the shelf: page 2 still starts with I.
    await db.product.update({ where: { id: ids.E! }, data: { active: false } });
    expect((await listProducts(db, { limit: 3, cursor: first.nextCursor })).items.map((p) => p.name)).toEqual(["I", "A", "C"]);
    // Back on the shelf and moved to the end (sort 3): page 2 is unchanged and E comes last, once.
    await db.product.update({ where: { id: ids.E! }, data: { active: true, sort: 3 } });
    const second = await listProducts(db, { limit: 3, cursor: first.nextCursor });
    expect(second.items.map((p) => p.name)).toEqual(["I", "A", "C"]);
    expect((await listProducts(db, { limit: 3, cursor: second.nextCursor })).items.map((p) => p.name)).toEqual(["H", "J", "E"]);
  });

  it("refuses a cursor it did not make with a 400 and a message key", async () => {
    const { db } = await recordingDatabase();
    await shelf(db);
    for (const cursor of ["", "7", "1.2.3", "a.b", "1.9999999999", "1.2 "]) {
      const refused = await listProducts(db, { cursor }).then(() => null, (e: unknown) => (e instanceof DomainError ? e.code : e));
      expect(refused, cursor).toBe("INVALID_CURSOR");
    }
    const api = callerFor(db, null);
    expect(await refusal(api.catalog.products({ cursor: "x" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await domainRefusal(api.catalog.products({ cursor: "x" }))).toBe("INVALID_CURSOR");
    const page = await api.catalog.products({ limit: 4 });
    expect((await api.catalog.products({ limit: 4, cursor: page.nextCursor })).items.map((p) => p.name)).toEqual(["A", "C", "H", "J"]);
  });

  it("a deep page of a category is an index scan from the cursor, without OFFSET", { timeout: 120_000 }, async () => {
    const { db, statements } = await recordingDatabase();
    // 20 000 products in 20 categories, 50 per shelf sort value (ties), each with one on-sale SKU.
    await db.$executeRaw`INSERT INTO "Category" (slug, name, sort) SELECT 'c' || g, '类目' || g, g FROM generate_series(1, 20) g`;
    await db.$executeRaw`INSERT INTO "Product" (name, category, sort) SELECT '商品 ' || g, 'c' || (1 + g % 20), g / 50 FROM generate_series(1, 20000) g`;
    await db.$executeRaw`INSERT INTO "Sku" ("productId", code, "priceFen", stock) SELECT id, 'K' || id, 1000, 5 FROM "Product"`;
    await db.$executeRawUnsafe(`ANALYZE "Product"`);
    await db.$executeRawUnsafe(`ANALYZE "Sku"`);
    // Page 41 of c7 (20 a page): the cursor is the 800th product's sort and id.
    let cursor: string | undefined;
    for (let page = 1; page <= 40; page++) cursor = (await listProducts(db, { category: "c7", limit: 20, cursor })).nextCursor;
    statements.length = 0;
    const deep = await listProducts(db, { category: "c7", limit: 20, cursor });
    expect(deep.items).toHaveLength(20);
    const seek = statements.find((s) => /FROM "Product" p/.test(s.query))!;
    expect(seek.query).not.toMatch(/OFFSET/i);
    const plan = (await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${seek.query}`, ...(JSON.parse(seek.params) as unknown[]))).map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).toMatch(/Index (Only )?Scan using "?Product_category_active_sort_idx"?/);
    expect(plan).not.toMatch(/Seq Scan on "Product"/);
  });
});
