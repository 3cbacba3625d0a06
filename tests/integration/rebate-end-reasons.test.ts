// SPEC §5, §8: an invitee removed after the task's deadline leaves it EXPIRED at once, and the shopper sees
// why. A removal by a risk rejection was once stored and shown as a friend's refund (截止后有好友退款); it now
// says a friend's first order did not pass risk review, without naming the friend.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../../server/orders";
import { reviewMember } from "../../server/risk/review";
import { myRebateTasks } from "../../server/promotion";
import { createSimpleProduct } from "../../server/catalog/admin";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({}); // 推三返一: n = 3, 30 days
const t0 = new Date("2026-03-10T02:00:00Z");
const afterDeadline = new Date(t0.getTime() + 31 * DAY);
let database: Database;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(t0, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 100 });
  });
});
afterEach(() => database.close());

async function paidOrder(memberId: number, at: Date) {
  const o = await run(at, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run(at, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}

/**
 * A sponsor's task with three invitees' first orders paid a day in; the third invitee signed up from the
 * sponsor's IP (shared_ip flags them, SPEC §8), so the task is held and neither MET nor expired by time.
 */
async function heldTaskOfThree(name: string, sponsorIp: string) {
  const sponsor = (await run(t0, (ctx) => registerMember(ctx, { username: name, ip: sponsorIp, device: `${name}-d` }))).id;
  await paidOrder(sponsor, t0);
  const ips = [`${sponsorIp}1`, `${sponsorIp}2`, sponsorIp];
  const invitees: { id: number; orderId: number }[] = [];
  for (const [i, ip] of ips.entries()) {
    const id = (await run(t0, (ctx) => registerMember(ctx, { username: `${name}-friend${i}`, nickname: `${name}的好友${i}号`, sponsorId: sponsor, ip, device: `${name}-d${i}` }))).id;
    invitees.push({ id, orderId: await paidOrder(id, new Date(t0.getTime() + DAY)) });
  }
  const task = await database.prisma.rebateTask.findFirstOrThrow({ where: { memberId: sponsor }, include: { assignments: true } });
  expect({ status: task.status, invitees: task.assignments.length }).toEqual({ status: "OPEN", invitees: 3 });
  return { sponsor, invitees, taskId: task.id };
}

const ended = async (sponsor: number, taskId: number) => {
  const task = await database.prisma.rebateTask.findUniqueOrThrow({ where: { id: taskId } });
  const [shown] = await myRebateTasks(database.prisma, sponsor, afterDeadline);
  return { status: task.status, endReason: task.endReason, shownStatus: shown?.status, reason: shown?.reason };
};

describe("a task expired by an invitee's removal after the deadline", () => {
  it("says what removed the friend: a risk review, or a refund", async () => {
    const reviewed = await heldTaskOfThree("a", "10.0.0.1");
    const refunded = await heldTaskOfThree("b", "10.0.0.2");
    await run(afterDeadline, (ctx) => reviewMember(ctx, reviewed.invitees[2]!.id, "reject"));
    // SPEC §1: a full refund is possible while PAID (the friend's order was never shipped).
    await run(afterDeadline, (ctx) => refundOrder(ctx, refunded.invitees[0]!.orderId));

    expect(await ended(reviewed.sponsor, reviewed.taskId)).toEqual({
      status: "EXPIRED", endReason: "invitee rejected in risk review after the deadline",
      shownStatus: "EXPIRED", reason: "截止后有好友首单未通过风控审核，未达成邀请人数",
    });
    expect(await ended(refunded.sponsor, refunded.taskId)).toEqual({
      status: "EXPIRED", endReason: "invitee removed after the deadline",
      shownStatus: "EXPIRED", reason: "截止后有好友退款，未达成邀请人数",
    });
  });
});
