// A stock adjustment or a new product sent twice at once with one client key (a proxy's retry while the first is still
// running): the second waits for the first and returns its result, so the goods are counted once and one product is
// made. On PostgreSQL the two overlap for real (FM_TEST_DB=postgres); on PGlite they serialise.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { adjustStock, createSimpleProduct, saveProduct } from "../../server/catalog/admin";
import type { ProductInput } from "../../server/catalog/schema";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const config = parseConfig({});
const now = new Date("2026-03-10T02:00:00Z");
const ACTOR = { staffId: 3 };
const KEY = "0123456789abcdef0123456789abcdef";
let database: Database;
let skuId: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
const stock = async () => (await database.prisma.sku.findUniqueOrThrow({ where: { id: skuId } })).stock;

const BODY: ProductInput = { name: "白茶礼盒", category: "tea", skus: [{ options: [], code: "", priceFen: 9_900, stock: 5 }], clientKey: KEY };

beforeEach(async () => {
  database = await freshDatabase();
  skuId = await run(async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    return (await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 100, category: "tea", stock: 10 })).skus[0]!.id;
  });
});
afterEach(() => database.close());

describe("one client key, one write, also at once", () => {
  it.runIf(usingPostgres())("an adjustment sent again while the first is still open waits for it and returns its stock", async () => {
    const adjust = (ctx: Ctx) => adjustStock(ctx, ACTOR, { skuId, delta: 5, reason: "到货入库", clientKey: KEY });
    const second = await overlapping(run, adjust, adjust);
    // 10 in stock, +5 once.
    expect(second).toEqual({ skuId, stock: 15 });
    expect(await stock()).toBe(15);
    expect(await database.prisma.stockAdjustment.count()).toBe(1);
    expect(await database.prisma.auditLog.count({ where: { action: "catalog.stock.adjust" } })).toBe(1);
  });

  it("eight adjustments with one key at once: applied once, each answered with the same stock", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => run((ctx) => adjustStock(ctx, ACTOR, { skuId, delta: 5, reason: "到货入库", clientKey: KEY }))));
    expect(results).toEqual(Array.from({ length: 8 }, () => ({ skuId, stock: 15 })));
    expect(await stock()).toBe(15);
    expect(await database.prisma.stockAdjustment.count()).toBe(1);
    expect(await database.prisma.auditLog.count({ where: { action: "catalog.stock.adjust" } })).toBe(1);
  });

  it.runIf(usingPostgres())("a create sent again while the first is still open waits for it and returns its product", async () => {
    let first: { id: number } | undefined;
    const second = await overlapping(
      run,
      async (ctx) => (first = await saveProduct(ctx, ACTOR, null, BODY)),
      (ctx) => saveProduct(ctx, ACTOR, null, BODY),
    );
    expect(second).toEqual({ id: first!.id });
    expect(await database.prisma.product.count({ where: { name: BODY.name } })).toBe(1);
    expect(await database.prisma.auditLog.count({ where: { action: "catalog.product.create" } })).toBe(1);
  });

  it("eight creates with one key at once: one product, every answer its id", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => run((ctx) => saveProduct(ctx, ACTOR, null, BODY))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await database.prisma.product.count({ where: { name: BODY.name } })).toBe(1);
    expect(await database.prisma.sku.count({ where: { product: { name: BODY.name } } })).toBe(1);
  });
});
