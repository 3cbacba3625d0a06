import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { requestRefund } from "../../server/aftersales";
import { createSimpleProduct } from "../../server/catalog/admin";

/** A shipped ¥123.45 order of 买家甲's (one 龙井) with a refund request in the given words. */
export async function shippedOrderWithRefundRequest(database: Database, request: { reason: string; detail: string }) {
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 12_345, category: "tea", stock: 10 });
  const buyer = (await run((ctx) => registerMember(ctx, { username: "buyer", nickname: "买家甲", ip: "1.1.1.1", device: "d" }))).id;
  const order = await run((ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }], address: "地址" }));
  await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `SBX-${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
  await run((ctx) => shipOrder(ctx, order.id));
  await run((ctx) => requestRefund(ctx, buyer, order.id, request));
  return { buyer, order };
}
