import type { Db } from "../../server/db";
import { inTx } from "../../server/context";
import type { MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";

/** A shop with the given rules stored, one tea (sku "tea", 50 in stock) at `priceFen`, and member alice: her id. */
export async function teaShopWithAlice(db: Db, config: MallConfig, priceFen: number): Promise<number> {
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen, category: "tea", stock: 50 });
  return (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
}

/** One tea (sku "tea", 龙井, 50 in stock) at `priceFen` in category "tea". */
export async function teaShop(db: Db, priceFen = 10_000): Promise<void> {
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen, category: "tea", stock: 50 });
}
