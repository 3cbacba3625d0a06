// 改数量 and 删除 of the same cart line at once, as two requests of the cart router (no transaction around
// either). On PostgreSQL these race for real (FM_TEST_DB=postgres); on PGlite they serialise.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";
import { addToCart, removeFromCart, setCartQty } from "../../server/cart";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 50 });
});
afterEach(() => database.close());

describe("setCartQty racing removeFromCart", () => {
  it("200 rounds: each quantity change is set or refused NOT_IN_CART, never another error; the removal always wins in the end", async () => {
    const db = database.prisma;
    const alice = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
    const sku = (await db.sku.findUniqueOrThrow({ where: { code: "tea" } })).id;
    for (let round = 0; round < 200; round++) {
      await addToCart({ tx: db }, alice, sku, 1);
      // Raising (reads the SKU too) and lowering alternate; the removal starts first half the time.
      const qty = round % 2 ? 3 : 1;
      const set = () => setCartQty({ tx: db }, alice, sku, qty);
      const remove = () => removeFromCart({ tx: db }, alice, [sku]);
      const [a, b] = await Promise.allSettled(round % 4 < 2 ? [set(), remove()] : [remove(), set()]);
      const setResult = round % 4 < 2 ? a : b;
      for (const r of [a, b]) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DomainError);
      if (setResult.status === "rejected") {
        expect((setResult.reason as DomainError).code).toBe("NOT_IN_CART");
      } else expect(setResult.value).toEqual({ qty });
      // Whichever ran first, the removal leaves no line.
      expect(await db.cartItem.count({ where: { memberId: alice } })).toBe(0);
    }
  });
});
