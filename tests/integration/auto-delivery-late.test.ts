// SPEC §1: a shipped order is DELIVERED automatically 10 days after SHIPPED, and its return window (7 days) runs
// from then. A sweep that runs late must not move delivery, and with it the window and completion, to when it ran.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx, type DomainError } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { runDueTransitions } from "../../server/scheduler";
import { shopperRequestRefund } from "../../server/aftersales";
import { DAY, MINUTE } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const config = parseConfig({});
let database: Database;
const t0 = new Date("2026-03-10T02:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await teaShop(database.prisma);
});
afterEach(() => database.close());

it("a late automatic delivery is dated when it fell due: the return window and completion are not pushed out", async () => {
  const db = database.prisma;
  const buyer = (await run(t0, (ctx) => registerMember(ctx, { username: "buyer-wang", ip: "2.2.2.2", device: "b" }))).id;
  const order = await run(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }], address: "上海市 1 号" }));
  await run(t0, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `SBX-${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
  const shippedAt = at(MINUTE);
  await run(shippedAt, (ctx) => shipOrder(ctx, order.id));
  const after = (ms: number) => new Date(shippedAt.getTime() + ms);

  // The sweep runs two days late (wall clock).
  await runDueTransitions(db, after(12 * DAY), { config });
  const delivered = await db.order.findUniqueOrThrow({ where: { id: order.id } });
  expect([delivered.status, delivered.deliveredAt]).toEqual(["DELIVERED", after(10 * DAY)]);
  expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_COMPLETE", refId: order.id } })).dueAt).toEqual(after(17 * DAY));

  // The window closes 7 days after delivery fell due, not 7 days after the sweep.
  const refusal = await shopperRequestRefund(db, after(17 * DAY), buyer, order.id, { reason: "quality" }).catch((e: DomainError) => e.code);
  expect(refusal).toBe("RETURN_WINDOW_CLOSED");
  await runDueTransitions(db, after(17 * DAY), { config });
  expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("COMPLETED");
});
