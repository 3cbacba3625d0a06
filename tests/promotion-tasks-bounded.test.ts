// 推广中心's 推三返一 list is bounded: the newest REBATE_TASKS_SHOWN (50) tasks, newest first, however many the shopper
// has; and the unused member.promote (raw statuses, no ON_HOLD) is gone from the API.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { MINUTE } from "../server/clock/time";
import { createSimpleProduct } from "../server/catalog/admin";
import { appRouter } from "../server/api/root";
import { freshPglite } from "./helpers/db";
import { callerFor } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
const t0 = new Date(Date.now() - 2 * 24 * 3600_000);
const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at: Date) => inTx(database.prisma, { config, now: at }, fn);
const ORDERS = 51;
let memberId = 0;
const orderNos: string[] = [];

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 1000 });
  memberId = (await run((ctx) => registerMember(ctx, { username: "buyer", nickname: "买家", sponsorId: null, ip: "10.0.0.1", device: "d" }), t0)).id;
  // Each paid tea anchors a task of the buyer's own, a minute apart.
  for (let i = 0; i < ORDERS; i++) {
    const at = new Date(t0.getTime() + i * MINUTE);
    const o = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "addr" }), at);
    await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), at);
    orderNos.push(o.orderNo);
  }
}, 600_000);
afterAll(() => database?.close());

it("lists the newest 50 of 51 tasks, newest first: the first order's task is left out", async () => {
  expect(await database.prisma.rebateTask.count({ where: { memberId } })).toBe(ORDERS);
  const tasks = await callerFor(database.prisma, memberId).promotion.tasks();
  expect(tasks.map((t) => t.anchorOrderNo)).toEqual(orderNos.slice(1).reverse());
});

it("has no member.promote procedure any more", () => {
  expect(Object.keys(appRouter._def.procedures)).not.toContain("member.promote");
  expect(Object.keys(appRouter._def.procedures)).toContain("promotion.tasks");
});
