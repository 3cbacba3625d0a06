// 加入购物车 twice at once (two tabs, a double tap) for the same SKU: every add counts, the stock and
// MAX_CART_QTY still cap the line, and a refused add changes nothing. Concurrent on PostgreSQL; PGlite
// runs the same calls one connection at a time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db";
import { inTx } from "@/server/context";
import { parseConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { createSimpleProduct } from "@/server/catalog/admin";
import { MAX_CART_QTY } from "@/server/cart";
import { freshDatabase } from "@/tests/helpers/db";
import { callerFor } from "@/tests/helpers/caller";

let database: Database;
let memberId = 0;
const skuIds: Record<string, number> = {};
beforeAll(async () => {
  database = await freshDatabase();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: parseConfig({}) as object } });
  await db.category.create({ data: { slug: "fmcg", name: "日用" } });
  for (const [code, stock] of [["tea", 1000], ["cup", 5], ["pen", 500]] as const) {
    await createSimpleProduct(db, { sku: code, name: code, priceFen: 9900, category: "fmcg", stock });
    skuIds[code] = (await db.sku.findUniqueOrThrow({ where: { code } })).id;
  }
  memberId = (await inTx(db, {}, (ctx) => registerMember(ctx, { username: "a", nickname: "阿", sponsorId: null }))).id;
});
afterAll(() => database?.close());

const qtyOf = async (skuId: number) => (await database.prisma.cartItem.findUnique({ where: { memberId_skuId: { memberId, skuId } } }))?.qty ?? 0;

describe("cart.add", () => {
  it("three adds of 1 at once leave 3", async () => {
    const c = callerFor(database.prisma, memberId);
    const results = await Promise.all([1, 2, 3].map(() => c.cart.add({ skuId: skuIds.tea!, qty: 1 })));
    expect(results.map((r) => r.qty).sort()).toEqual([1, 2, 3]);
    expect(await qtyOf(skuIds.tea!)).toBe(3);
  });

  it("adds at once beyond the stock: the ones that fit count, the others are refused and change nothing", async () => {
    const c = callerFor(database.prisma, memberId);
    // stock 5: 2 + 2 + 2 at once, two fit (4), the third would make 6.
    const results = await Promise.allSettled([1, 2, 3].map(() => c.cart.add({ skuId: skuIds.cup!, qty: 2 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason)).toContain("库存不足，仅剩 5 件");
    expect(await qtyOf(skuIds.cup!)).toBe(4);
    await expect(c.cart.add({ skuId: skuIds.cup!, qty: 6 })).rejects.toThrow("库存不足，仅剩 5 件");
    expect(await qtyOf(skuIds.cup!)).toBe(4);
  });

  it("merges with the line up to MAX_CART_QTY", async () => {
    const c = callerFor(database.prisma, memberId);
    expect(await c.cart.add({ skuId: skuIds.pen!, qty: MAX_CART_QTY - 1 })).toEqual({ qty: MAX_CART_QTY - 1 });
    await database.prisma.cartItem.update({ where: { memberId_skuId: { memberId, skuId: skuIds.pen! } }, data: { selected: false } });
    expect(await c.cart.add({ skuId: skuIds.pen!, qty: 5 })).toEqual({ qty: MAX_CART_QTY });
    const row = await database.prisma.cartItem.findUniqueOrThrow({ where: { memberId_skuId: { memberId, skuId: skuIds.pen! } } });
    expect(row).toMatchObject({ qty: MAX_CART_QTY, selected: false }); // adding does not re-tick an unticked line, as before
  });
});
