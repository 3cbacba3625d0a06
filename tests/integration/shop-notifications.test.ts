// Notifications at the domain events (a commission earned as pending, a new member in the team, a
// 推三返一 task's deadline in 24 h through the scheduler, cashback paid), the reminder's idempotency,
// and the wallet's expected payout dates ("预计12月8日到账") computed from the engine's real times.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery } from "../../server/orders";
import { runDueTransitions, performTransition } from "../../server/scheduler";
import { remindRebateDeadline } from "../../server/rebate";
import { expectedPayouts, expectedCompletion } from "../../server/wallet/expected";
import { DAY } from "../../server/clock/time";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({}); // L1 10%, 推三返一 n=3, 30 days, return window 7 days, Asia/Shanghai
let database: Database;
// 2026-12-01 10:00 Shanghai
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number, hours = 0) => new Date(t0.getTime() + days * DAY + hours * 3_600_000);

const run = <T,>(now: Date, fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config, now }, fn);
const notes = (memberId: number, title?: string) =>
  database.prisma.notification.findMany({ where: { memberId, ...(title ? { title } : {}) }, orderBy: { id: "asc" } });

async function paidOrder(memberId: number, now: Date) {
  const o = await run(now, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run(now, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 50 });
});
afterEach(() => database.close());

describe("notifications at the domain events", () => {
  it("the sponsor hears of a new direct; a refused binding tells nobody", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a", nickname: "王店长", device: "d-a" }));
    await run(t0, (ctx) => registerMember(ctx, { username: "b", nickname: "李小花", sponsorId: a.id, device: "d-b" }));
    const joined = await notes(a.id, "新成员加入团队");
    expect(joined.map((n) => n.body)).toEqual(["李*花 通过你的邀请注册，成为你的直推成员"]);
    // Same device as the sponsor: binding refused (SPEC §8), no "joined" note.
    await run(t0, (ctx) => registerMember(ctx, { username: "c", nickname: "赵六", sponsorId: a.id, device: "d-a" }));
    expect(await notes(a.id, "新成员加入团队")).toHaveLength(1);
  });

  it("a commission earned is announced as pending, to each earning level", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    const b = await run(t0, (ctx) => registerMember(ctx, { username: "b", sponsorId: a.id }));
    const c = await run(t0, (ctx) => registerMember(ctx, { username: "c", sponsorId: b.id }));
    await paidOrder(c.id, t0);
    // 158.00: L1 10% = 15.80 to b, L2 5% = 7.90 to a.
    expect((await notes(b.id, "佣金待结算")).map((n) => n.body)).toEqual(["直推好友下单，佣金 ¥15.80 已计入待结算，订单完成后结算到账"]);
    expect((await notes(a.id, "佣金待结算")).map((n) => n.body)).toEqual(["间推好友下单，佣金 ¥7.90 已计入待结算，订单完成后结算到账"]);
    expect(await notes(c.id, "佣金待结算")).toEqual([]);
  });

  it("24 h before an open task's deadline the scheduler reminds its owner once", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    const b = await run(t0, (ctx) => registerMember(ctx, { username: "b", sponsorId: a.id }));
    await paidOrder(a.id, t0); // opens a's task: deadline t0 + 30 days
    await paidOrder(b.id, at(1)); // b counts for it: 1/3
    const task = await database.prisma.rebateTask.findFirstOrThrow({ where: { memberId: a.id } });
    const due = await database.prisma.dueTransition.findFirstOrThrow({ where: { kind: "REBATE_DEADLINE_REMINDER", refId: task.id } });
    expect(due.dueAt).toEqual(at(29));

    await runDueTransitions(database.prisma, at(29, -1), { config, clock: "due" });
    expect(await notes(a.id, "推三返一即将截止")).toEqual([]);
    await runDueTransitions(database.prisma, at(29), { config, clock: "due" });
    const sent = await notes(a.id, "推三返一即将截止");
    expect(sent.map((n) => n.body)).toEqual(["还差 2 人，24 小时内截止；截止前邀满好友首单付款，且你和好友的订单都完成、无退款后，可返现 ¥158.00"]);

    // Running the transition again, or the function directly, sends nothing more.
    await run(at(29, 1), (ctx) => performTransition(ctx, "REBATE_DEADLINE_REMINDER", task.id));
    expect(await run(at(29, 2), (ctx) => remindRebateDeadline(ctx, task.id))).toBe(false);
    expect(await notes(a.id, "推三返一即将截止")).toHaveLength(1);
  });

  it("no reminder for a task that is met, or whose deadline has passed", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    await paidOrder(a.id, t0);
    const task = await database.prisma.rebateTask.findFirstOrThrow({ where: { memberId: a.id } });
    expect(await run(at(31), (ctx) => remindRebateDeadline(ctx, task.id))).toBe(false);
    for (const name of ["b", "c", "d"]) {
      const m = await run(t0, (ctx) => registerMember(ctx, { username: name, sponsorId: a.id }));
      await paidOrder(m.id, at(1));
    }
    expect((await database.prisma.rebateTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("MET");
    await runDueTransitions(database.prisma, at(29), { config, clock: "due" });
    expect(await notes(a.id, "推三返一即将截止")).toEqual([]);
  });

  it("a window of a day or less schedules no reminder", async () => {
    const short = parseConfig({ rebate: { windowDays: 1 } });
    const a = await inTx(database.prisma, { config: short, now: t0 }, (ctx) => registerMember(ctx, { username: "a" }));
    const o = await inTx(database.prisma, { config: short, now: t0 }, (ctx) => createOrder(ctx, { memberId: a.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(database.prisma, { config: short, now: t0 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: "x", amountFen: o.payableFen, currency: "CNY" }));
    expect(await database.prisma.dueTransition.count({ where: { kind: "REBATE_DEADLINE_REMINDER" } })).toBe(0);
  });
});

describe("expected payout dates", () => {
  it("an order completes returnWindowDays after delivery, or autoDeliver + window after shipping; unknown before", () => {
    const rules = { returnWindowDays: 7, autoDeliverDays: 10 };
    expect(expectedCompletion({ status: "PAID", shippedAt: null, deliveredAt: null, completedAt: null }, rules)).toBeNull();
    expect(expectedCompletion({ status: "SHIPPED", shippedAt: t0, deliveredAt: null, completedAt: null }, rules)).toEqual(at(17));
    expect(expectedCompletion({ status: "DELIVERED", shippedAt: t0, deliveredAt: at(2), completedAt: null }, rules)).toEqual(at(9));
    expect(expectedCompletion({ status: "COMPLETED", shippedAt: t0, deliveredAt: at(2), completedAt: at(5) }, rules)).toEqual(at(5));
  });

  it("commission and cashback dates follow the orders, and match the day the engine really pays", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    const anchor = await paidOrder(a.id, t0);
    const invitees: Awaited<ReturnType<typeof paidOrder>>[] = [];
    for (const name of ["b", "c", "d"]) {
      const m = await run(t0, (ctx) => registerMember(ctx, { username: name, sponsorId: a.id }));
      invitees.push(await paidOrder(m.id, at(1)));
    }
    // All paid, none shipped: the dates are not known yet.
    let exp = await run(at(1), (ctx) => expectedPayouts(ctx, a.id));
    expect(exp.map((e) => [e.kind, e.amountFen, e.expectedAt, e.why])).toEqual([
      ["commission", 1_580, null, "awaiting_shipment"],
      ["commission", 1_580, null, "awaiting_shipment"],
      ["commission", 1_580, null, "awaiting_shipment"],
      ["cashback", 15_800, null, "awaiting_shipment"],
    ]);

    // Ship everything on day 2 (Dec 3, 10:00 Shanghai); deliver b's order on day 3.
    for (const o of [anchor, ...invitees]) await run(at(2), (ctx) => shipOrder(ctx, o.id));
    await run(at(3), (ctx) => confirmDelivery(ctx, invitees[0]!.id));
    exp = await run(at(3), (ctx) => expectedPayouts(ctx, a.id));
    // b's: delivered Dec 4 10:00 + 7 days = Dec 11 10:00 → T+1 = Dec 12 00:00 Shanghai (Dec 11 16:00 UTC).
    // The others: shipped Dec 3 + 10 + 7 = Dec 20 → Dec 21 00:00. The task waits for the last: Dec 21.
    const dec = (d: number) => new Date(Date.UTC(2026, 11, d - 1, 16));
    expect(exp.map((e) => [e.kind, e.orderNo, e.expectedAt])).toEqual([
      ["commission", invitees[0]!.orderNo, dec(12)],
      ["commission", invitees[1]!.orderNo, dec(21)],
      ["commission", invitees[2]!.orderNo, dec(21)],
      ["cashback", anchor.orderNo, dec(21)],
    ]);

    // The engine agrees: b's commission settles at Dec 12 00:00, not a moment before.
    await runDueTransitions(database.prisma, new Date(dec(12).getTime() - 1), { config, clock: "due" });
    const bComm = () => database.prisma.commission.findFirstOrThrow({ where: { orderId: invitees[0]!.id, level: 1 } });
    expect((await bComm()).status).toBe("CONFIRMED");
    await runDueTransitions(database.prisma, dec(12), { config, clock: "due" });
    expect((await bComm()).status).toBe("SETTLED");
    // …and the cashback is paid at Dec 21 00:00.
    await runDueTransitions(database.prisma, new Date(dec(21).getTime() - 1), { config, clock: "due" });
    expect((await database.prisma.rebateTask.findFirstOrThrow({ where: { memberId: a.id } })).status).toBe("CONFIRMED");
    expect((await run(dec(21), (ctx) => expectedPayouts(ctx, a.id))).find((e) => e.kind === "cashback")?.expectedAt).toEqual(dec(21));
    await runDueTransitions(database.prisma, dec(21), { config, clock: "due" });
    expect((await database.prisma.rebateTask.findFirstOrThrow({ where: { memberId: a.id } })).status).toBe("PAID");
    expect(await notes(a.id, "推三返一返现到账")).toHaveLength(1);
    expect(await run(dec(21), (ctx) => expectedPayouts(ctx, a.id))).toEqual([]);
  });

  it("a cashback whose own order has shipped waits for the friends' orders, and says so (SPEC §5)", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    const anchor = await paidOrder(a.id, t0);
    for (const name of ["b", "c", "d"]) {
      const m = await run(t0, (ctx) => registerMember(ctx, { username: name, sponsorId: a.id }));
      await paidOrder(m.id, at(1));
    }
    // A's own order ships and is received; the friends' orders have not shipped.
    await run(at(2), (ctx) => shipOrder(ctx, anchor.id));
    await run(at(3), (ctx) => confirmDelivery(ctx, anchor.id));
    const exp = await run(at(3), (ctx) => expectedPayouts(ctx, a.id));
    expect(exp.map((e) => [e.kind, e.expectedAt, e.why])).toEqual([
      ["commission", null, "awaiting_shipment"],
      ["commission", null, "awaiting_shipment"],
      ["commission", null, "awaiting_shipment"],
      ["cashback", null, "awaiting_invitees"],
    ]);
  });
});
