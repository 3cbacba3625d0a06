// SPEC §1, §9: shipping schedules the automatic delivery and delivery the completion, each by the rules the order was
// placed under. An order on the rules in force gets its transition in the statement that changes its status; one
// placed under earlier rules in a statement after it — either way one row and one wake-up per transition.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../server/orders";
import { saveRules } from "../server/rules";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY, MINUTE } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";

const A = parseConfig({ autoDeliverDays: 7, returnWindowDays: 7, paymentTimeoutMinutes: 30 });
const B = parseConfig({ autoDeliverDays: 10, returnWindowDays: 14, paymentTimeoutMinutes: 60 });
const t0 = new Date("2026-05-01T02:00:00Z");
const after = (ms: number) => new Date(t0.getTime() + ms);

describe("an order's transitions follow the rules it was placed under", () => {
  let database: Database;
  // No rules given: each transaction runs on the version in force at `now`, as the app's do.
  const at = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { now }, fn);

  beforeEach(async () => {
    database = await freshDatabase();
    await saveRules(database.prisma, { staffId: 1 }, { config: A, reason: "A" }, t0);
    await at(t0, (ctx) => ctx.tx.category.create({ data: { slug: "tea", name: "茶" } }));
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 10 });
  });
  afterEach(() => database.close());

  async function paidOrder(name: string, now: Date) {
    const m = await at(now, (ctx) => registerMember(ctx, { username: name }));
    const o = await at(now, (ctx) => createOrder(ctx, { memberId: m.id, lines: [{ sku: "tea", qty: 1 }] }));
    await at(now, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o.id;
  }

  const dues = (refId: number) =>
    database.prisma.dueTransition.findMany({ where: { refId, kind: { in: ["ORDER_PAYMENT_TIMEOUT", "ORDER_AUTO_DELIVER", "ORDER_COMPLETE"] } }, orderBy: { id: "asc" } });
  const wakeUps = async (ids: number[]) =>
    (await database.prisma.outboxEvent.findMany({ where: { name: "transition/scheduled" } }))
      .map((e) => e.data as { id: number; kind: string; refId: number; dueAt: string })
      .filter((d) => ids.includes(d.id));

  it("placed under A, shipped and delivered under B: A's 7 days each; placed under B: B's 10 and 14 days", async () => {
    const onA = await paidOrder("a", after(MINUTE));
    await saveRules(database.prisma, { staffId: 1 }, { config: B, reason: "B" }, after(60 * MINUTE));
    const onB = await paidOrder("b", after(120 * MINUTE));

    const shipped = after(DAY);
    expect(await at(shipped, (ctx) => shipOrder(ctx, onA))).toBe(true);
    expect(await at(shipped, (ctx) => shipOrder(ctx, onB))).toBe(true);
    const delivered = after(2 * DAY);
    expect(await at(delivered, (ctx) => confirmDelivery(ctx, onA))).toBe(true);
    expect(await at(delivered, (ctx) => confirmDelivery(ctx, onB))).toBe(true);

    // Placed at t0 + 1 min under A (30 minutes to pay), paid at once; shipped at t0 + 1 day (+ 7 days), the shopper
    // confirmed at t0 + 2 days: the automatic delivery retired then, the completion 7 days later.
    const a = await dues(onA);
    expect(a.map((d) => [d.kind, d.dueAt.toISOString(), d.doneAt?.toISOString() ?? null])).toEqual([
      ["ORDER_PAYMENT_TIMEOUT", after(31 * MINUTE).toISOString(), after(MINUTE).toISOString()],
      ["ORDER_AUTO_DELIVER", after(8 * DAY).toISOString(), after(2 * DAY).toISOString()],
      ["ORDER_COMPLETE", after(9 * DAY).toISOString(), null],
    ]);
    // Placed at t0 + 2 h under B (60 minutes to pay): 10 days to the automatic delivery, 14 to completion.
    const b = await dues(onB);
    expect(b.map((d) => [d.kind, d.dueAt.toISOString(), d.doneAt?.toISOString() ?? null])).toEqual([
      ["ORDER_PAYMENT_TIMEOUT", after(180 * MINUTE).toISOString(), after(120 * MINUTE).toISOString()],
      ["ORDER_AUTO_DELIVER", after(11 * DAY).toISOString(), after(2 * DAY).toISOString()],
      ["ORDER_COMPLETE", after(16 * DAY).toISOString(), null],
    ]);

    // One wake-up per row, naming it.
    for (const rows of [a, b]) {
      const events = await wakeUps(rows.map((d) => d.id));
      expect(events.map((e) => [e.id, e.kind, e.refId, new Date(e.dueAt).toISOString()]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(
        rows.map((d) => [d.id, d.kind, d.refId, d.dueAt.toISOString()]),
      );
    }
  });

  it("shipping or delivering twice schedules nothing more", async () => {
    const id = await paidOrder("c", after(MINUTE));
    await at(after(DAY), (ctx) => shipOrder(ctx, id));
    expect(await at(after(DAY + MINUTE), (ctx) => shipOrder(ctx, id))).toBe(false);
    await at(after(2 * DAY), (ctx) => confirmDelivery(ctx, id));
    expect(await at(after(2 * DAY + MINUTE), (ctx) => confirmDelivery(ctx, id))).toBe(false);
    // Shipped at t0 + 1 day (+ 7), delivered at t0 + 2 days (+ 7): nothing from the refused calls.
    expect((await dues(id)).map((d) => [d.kind, d.dueAt.toISOString()])).toEqual([
      ["ORDER_PAYMENT_TIMEOUT", after(31 * MINUTE).toISOString()],
      ["ORDER_AUTO_DELIVER", after(8 * DAY).toISOString()],
      ["ORDER_COMPLETE", after(9 * DAY).toISOString()],
    ]);
  });
});
