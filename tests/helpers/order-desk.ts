// The back office's order tests (bulk shipping), set up once per test file: teaShop (./shop) at 100 元, a registered
// buyer and a signed-in operator (`shop.operator`); `paid()` is a paid order of one tea by the buyer.
import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { freshPglite } from "./db";
import { signedInStaff } from "./caller";
import { teaShop } from "./shop";

export function orderDeskShop() {
  const config = parseConfig({});
  const t0 = new Date("2026-03-10T02:00:00Z");
  const shop = {} as { database: Database; buyer: number; operator: Awaited<ReturnType<typeof signedInStaff>> };
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(shop.database.prisma, { config, now: t0 }, fn);
  beforeAll(async () => {
    shop.database = await freshPglite();
    const db = shop.database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    await teaShop(db);
    shop.buyer = (await run((ctx) => registerMember(ctx, { username: "buyer" }))).id;
    shop.operator = await signedInStaff(db, "operator");
  });
  afterAll(() => shop.database.close());
  /** A paid order of one tea by the buyer. */
  async function paid() {
    const o = await run((ctx) => createOrder(ctx, { memberId: shop.buyer, lines: [{ sku: "tea", qty: 1 }] }));
    await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o;
  }
  return { shop, paid };
}
