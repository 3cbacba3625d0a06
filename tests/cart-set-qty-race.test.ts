// 改数量 racing 删除 (or the same line ordered in another tab): the line removed between reading it and
// writing the new quantity is refused as not in the cart (400), never a 500 from the write finding no row.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { addToCart, removeFromCart, setCartQty } from "../server/cart";
import { freshPglite } from "./helpers/db";

const config = parseConfig({});
let database: Database;
let alice: number;
let teaSku: number;

beforeEach(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
  teaSku = (await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).id;
  alice = (await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  await addToCart({ tx: database.prisma }, alice, teaSku, 2);
});
afterEach(() => database.close());

/** The client setCartQty is given, with the shopper's 删除 committed just before its first write to the cart. */
function removedBeforeWrite(db: Db): Db {
  let removed = false;
  const removeOnce = async () => {
    if (removed) return;
    removed = true;
    await removeFromCart({ tx: db }, alice, [teaSku]);
  };
  const cartItem = new Proxy(db.cartItem, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function" || !["update", "updateMany", "upsert"].includes(String(prop))) return value;
      return async (...args: unknown[]) => {
        await removeOnce();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "cartItem") return cartItem;
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function" || !["$queryRaw", "$executeRaw"].includes(String(prop))) return value;
      return async (...args: unknown[]) => {
        await removeOnce();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe("setCartQty against a removal", () => {
  it("a line removed before the new quantity is written is refused NOT_IN_CART, and stays removed", async () => {
    const db = database.prisma;
    const err = await setCartQty({ tx: removedBeforeWrite(db) }, alice, teaSku, 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe("NOT_IN_CART");
    expect(await db.cartItem.count({ where: { memberId: alice } })).toBe(0);
  });

  it("lowering and raising within the stock still set the quantity; above it is refused and the line kept", async () => {
    const db = database.prisma;
    expect(await setCartQty({ tx: db }, alice, teaSku, 1)).toEqual({ qty: 1 });
    expect(await setCartQty({ tx: db }, alice, teaSku, 5)).toEqual({ qty: 5 });
    const err = await setCartQty({ tx: db }, alice, teaSku, 6).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe("OUT_OF_STOCK");
    expect((await db.cartItem.findUniqueOrThrow({ where: { memberId_skuId: { memberId: alice, skuId: teaSku } } })).qty).toBe(5);
    // Stock taken below the line's quantity since: lowering is never refused.
    await db.sku.update({ where: { id: teaSku }, data: { stock: 2 } });
    expect(await setCartQty({ tx: db }, alice, teaSku, 4)).toEqual({ qty: 4 });
    // Sold out meanwhile: said as addToCart says it, not "only 0 left".
    await db.sku.update({ where: { id: teaSku }, data: { stock: 0 } });
    const soldOut = await setCartQty({ tx: db }, alice, teaSku, 5).catch((e: unknown) => e);
    expect(soldOut).toMatchObject({ code: "OUT_OF_STOCK", message: "商品已售罄" });
    expect(await addToCart({ tx: db }, alice, teaSku).catch((e: unknown) => e)).toMatchObject({ code: "OUT_OF_STOCK", message: "商品已售罄" });
    await db.sku.update({ where: { id: teaSku }, data: { active: false } });
    expect(((await setCartQty({ tx: db }, alice, teaSku, 5).catch((e: unknown) => e)) as DomainError).code).toBe("NO_SUCH_PRODUCT");
  });
});
