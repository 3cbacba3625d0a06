// A refund_abuse case's evidence (SPEC §8: a refund that makes 3 or more by one member within 30 days): the case lists
// the refunded orders the event counted — each order's number and id (the page links it), the amount refunded and when —
// not only the order that made the count. Five tea orders of 158.00 paid at t0, refunded on days 1, 20, 32, 40 and 41:
// day 32 makes 2 within [day 2, day 32]; day 40 makes 3 within [day 10, day 40] (days 20, 32, 40): event E1; day 41
// makes 4 within [day 11, day 41] (days 20, 32, 40, 41): event E2. Day 1 is outside both windows; day 41 is after E1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { riskCase } from "../server/risk/view";
import { recordRiskEvent } from "../server/risk/flags";
import { DAY } from "../server/clock/time";
import { freshPglite } from "./helpers/db";

const config = parseConfig({});
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
let database: Database;
let member: number;
const orders: { id: number; orderNo: string }[] = [];

const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 50 });
  member = (await run(t0, (ctx) => registerMember(ctx, { username: "refunder", device: "d-r", ip: "10.8.0.1" }))).id;
  for (let i = 0; i < 5; i++) {
    const o = await run(t0, (ctx) => createOrder(ctx, { memberId: member, lines: [{ sku: "tea", qty: 1 }], address: `addr-${i}` }));
    await run(t0, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    orders.push({ id: o.id, orderNo: o.orderNo });
  }
  for (const [i, day] of [1, 20, 32, 40, 41].entries()) {
    expect(await run(at(day), (ctx) => refundOrder(ctx, orders[i]!.id))).toEqual({ refunded: true });
  }
});
afterAll(() => database.close());

const row = (i: number, day: number) => ({ orderId: orders[i]!.id, orderNo: orders[i]!.orderNo, amountFen: 15_800, refundedAt: at(day) });

describe("a refund_abuse case", () => {
  it("lists, for each flag and event, the refunded orders it counted, newest first", async () => {
    const c = (await riskCase(database.prisma, member))!;
    // Flags newest first: E2 (day 41), E1 (day 40).
    expect(c.flags.map((f) => [f.rule, f.at, (f.evidence as { refundsIn30Days: number }).refundsIn30Days])).toEqual([
      ["refund_abuse", at(41), 4],
      ["refund_abuse", at(40), 3],
    ]);
    const e2 = [row(4, 41), row(3, 40), row(2, 32), row(1, 20)];
    const e1 = [row(3, 40), row(2, 32), row(1, 20)];
    expect(c.flags.map((f) => f.refunds)).toEqual([e2, e1]);
    expect(c.events.map((e) => e.refunds)).toEqual([e2, e1]);
  });

  it("other rules' flags and events list none", async () => {
    const other = (await run(at(42), (ctx) => registerMember(ctx, { username: "other", device: "d-o", ip: "10.8.0.2" }))).id;
    await run(at(42), (ctx) => recordRiskEvent(ctx, "ip_burst", [other], [other], { ip: "10.8.0.2", signupsInWindow: 5 }));
    const c = (await riskCase(database.prisma, other))!;
    expect(c.flags.map((f) => f.refunds)).toEqual([null]);
    expect(c.events.map((e) => e.refunds)).toEqual([null]);
  });
});
