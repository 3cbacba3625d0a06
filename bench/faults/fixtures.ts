// Data for the multi-process tests and the fault script, made through the real domain functions.
import type { Db } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { fromMerchant } from "../../server/wallet/ledger";
import { createSimpleProduct } from "../../server/catalog/admin";

export const CREDIT_PER_ORDER_FEN = 100;

/** Runs `fn` over items with at most `width` in flight. */
export async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export async function seedCatalogue(db: Db, config: MallConfig, now: Date, products = 10, stock = 100_000) {
  await db.mallConfig.upsert({ where: { id: "default" }, create: { data: config as object }, update: { data: config as object } });
  await inTx(db, { config, now }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    for (let i = 0; i < products; i++) await createSimpleProduct(ctx.tx, { sku: `tea-${i}`, name: `茶 ${i}`, priceFen: 1000, category: "tea", stock });
  });
}

/**
 * `n` unpaid orders by `buyers` members, each paying CREDIT_PER_ORDER_FEN with store credit: each
 * payment timeout (ORDER_PAYMENT_TIMEOUT, due 30 min later) cancels the order, restocks it and gives
 * the credit back through the ledger — effects that show whether a transition ran, and how often.
 */
export async function seedUnpaidOrders(db: Db, now: Date, n: number, buyers = 20, width = 8) {
  const config = parseConfig({});
  await seedCatalogue(db, config, now);
  const memberIds: number[] = [];
  for (let b = 0; b < buyers; b++) {
    const m = await inTx(db, { config, now }, (ctx) => registerMember(ctx, { username: `buyer${b}`, ip: `10.0.0.${b}`, device: `d${b}` }));
    await inTx(db, { config, now }, (ctx) => fromMerchant(ctx, `seed-credit:${m.id}`, "seed", "merchant:rebate", m.id, "credit", 1_000_000));
    memberIds.push(m.id);
  }
  const orderIds: number[] = [];
  await pool(Array.from({ length: n }, (_, i) => i), width, async (i) => {
    const o = await inTx(db, { config, now }, (ctx) =>
      createOrder(ctx, { memberId: memberIds[i % buyers], lines: [{ sku: `tea-${i % 10}`, qty: 1 }], creditFen: CREDIT_PER_ORDER_FEN }),
    );
    orderIds.push(o.id);
  });
  return { config, memberIds, orderIds };
}
