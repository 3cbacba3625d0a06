// Per-SKU stock under concurrency (SPEC §1): buyers racing for two SKUs of one product while staff
// adjust the stock. On PostgreSQL these race for real (FM_TEST_DB=postgres); on PGlite they serialise.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { adjustStock, saveProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "apparel", name: "服饰" } });
  await inTx(database.prisma, { config }, (ctx) =>
    saveProduct(ctx, null, null, {
      name: "T恤",
      category: "apparel",
      optionGroups: [{ name: "颜色", values: ["红", "蓝"] }],
      skus: [
        { options: ["红"], code: "RED", priceFen: 100, stock: 10 },
        { options: ["蓝"], code: "BLUE", priceFen: 200, stock: 5 },
      ],
    }),
  );
});
afterEach(() => database.close());

describe("per-SKU stock under concurrency", () => {
  it("80 buyers on two SKUs and 10 concurrent removals: each SKU sells out exactly, never below zero", async () => {
    const db = database.prisma;
    const ids: number[] = [];
    for (let i = 0; i < 80; i++) ids.push((await inTx(db, { config }, (ctx) => registerMember(ctx, { username: `b${i}`, ip: `10.9.${i >> 8}.${i & 255}`, device: `d${i}` }))).id);
    const red = await db.sku.findUniqueOrThrow({ where: { code: "RED" } });
    const results = await Promise.allSettled([
      ...ids.map((memberId, i) => inTx(db, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: i % 2 ? "RED" : "BLUE", qty: 1 }] }))),
      // Staff remove red stock at the same time ("盘点"); each removal takes 1 or is refused.
      ...Array.from({ length: 10 }, () => inTx(db, { config }, (ctx) => adjustStock(ctx, { staffId: 1 }, { skuId: red.id, delta: -1, reason: "盘点损耗" }))),
    ]);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DomainError);
    const orders = results.slice(0, 80).filter((r) => r.status === "fulfilled").length;
    const removals = results.slice(80).filter((r) => r.status === "fulfilled").length;
    const redOrders = await db.orderLine.count({ where: { sku: { code: "RED" } } });
    const blueOrders = await db.orderLine.count({ where: { sku: { code: "BLUE" } } });
    expect(blueOrders).toBe(5);
    expect(redOrders + removals).toBe(10);
    expect(orders).toBe(redOrders + blueOrders);
    const after = await db.sku.findMany({ orderBy: { id: "asc" } });
    expect(after.map((s) => s.stock)).toEqual([0, 0]);
    expect(await db.stockAdjustment.count()).toBe(removals);
    // Each line was priced at its own SKU's price.
    const lines = await db.orderLine.findMany({ include: { sku: true } });
    for (const l of lines) expect(l.unitPriceFen).toBe(l.sku.code === "RED" ? 100 : 200);
  });
});
