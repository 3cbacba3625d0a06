// 推三返一's "task expired" notice (rebate.expired) and its 24 h deadline reminder (rebate.deadline) go only to a buyer
// who took part: an invitee ever assigned to the task (a removed one too) or a recorded visit of their share link. A buyer
// who never shared and never had an invitee hears neither: every first order opens a task, and that notice was noise.
// The task itself ends the same way whoever is told (SPEC §5: EXPIRED, no cashback).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { recordReferralVisit, registerMember } from "../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { runDueTransitions } from "../server/scheduler";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({}); // 推三返一 n = 3, 30 days, 100%
// 2026-12-01 10:00 Shanghai: a task opened then has its deadline on 31 December 10:00 and its reminder 24 h before.
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number, hours = 0) => new Date(t0.getTime() + days * DAY + hours * 3_600_000);
let database: Database;

const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
const reg = async (username: string, sponsorId?: number) =>
  (await run(t0, (ctx) => registerMember(ctx, { username, sponsorId, device: `d-${username}`, ip: `10.7.0.${username.charCodeAt(0)}` }))).id;
async function paidOrder(memberId: number, now: Date) {
  const o = await run(now, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run(now, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}
const bodies = async (memberId: number, key: string) =>
  (await database.prisma.notification.findMany({ where: { memberId, key }, orderBy: { id: "asc" } })).map((n) => n.body);
/** The buyer's task and wallet as the engine leaves them: what a notice decision must never change. */
async function outcome(memberId: number) {
  const task = await database.prisma.rebateTask.findFirstOrThrow({ where: { memberId }, select: { status: true, endReason: true, paidAt: true } });
  const wallet = await database.prisma.wallet.findUnique({ where: { memberId }, select: { pending: true, available: true, credit: true } });
  return { ...task, wallet: wallet && { pending: Number(wallet.pending), available: Number(wallet.available), credit: Number(wallet.credit) } };
}
/** Past the reminder (29 days) and the deadline (30 days) through the scheduler, as in production. */
async function pastTheDeadline() {
  await runDueTransitions(database.prisma, at(29), { config, clock: "due" });
  await runDueTransitions(database.prisma, at(30, 1), { config, clock: "due" });
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 50 });
});
afterEach(() => database.close());

const ended = { status: "EXPIRED", endReason: "expired", paidAt: null, wallet: { pending: 0, available: 0, credit: 0 } };

describe("推三返一 expiry and deadline notices", () => {
  it("a buyer who never shared and never had an invitee: the task expires, and nothing is said", async () => {
    const a = await reg("a");
    await paidOrder(a, t0);
    await pastTheDeadline();
    expect(await outcome(a)).toEqual(ended);
    expect(await bodies(a, "rebate.deadline")).toEqual([]);
    expect(await bodies(a, "rebate.expired")).toEqual([]);
  });

  it("a buyer whose one invitee was removed (first order refunded) is reminded and told the task ended", async () => {
    const a = await reg("a");
    const b = await reg("b", a);
    await paidOrder(a, t0);
    const ob = await paidOrder(b, at(1)); // assigned to a's task: 1/3
    await run(at(2), (ctx) => refundOrder(ctx, ob.id)); // removed for good: 0/3, the task OPEN again
    await pastTheDeadline();
    // No refund to a: her anchor (158.00) is untouched; the task ends unpaid all the same.
    expect(await outcome(a)).toEqual(ended);
    expect(await bodies(a, "rebate.deadline")).toEqual(["还差 3 人，24 小时内截止；截止前邀满好友首单付款，且你和好友的订单都完成、无退款后，可返现 ¥158.00"]);
    expect(await bodies(a, "rebate.expired")).toEqual(["截止前未邀满 3 位好友首单，返现 ¥158.00 不再发放"]);
  });

  it("a buyer who shared their link (a visit recorded), with no invitee, is reminded and told the task ended", async () => {
    const a = await reg("a");
    await paidOrder(a, t0);
    const { referralCode } = await database.prisma.member.findUniqueOrThrow({ where: { id: a }, select: { referralCode: true } });
    await run(at(3), (ctx) => recordReferralVisit(ctx, referralCode, null));
    await pastTheDeadline();
    expect(await outcome(a)).toEqual(ended);
    expect(await bodies(a, "rebate.deadline")).toEqual(["还差 3 人，24 小时内截止；截止前邀满好友首单付款，且你和好友的订单都完成、无退款后，可返现 ¥158.00"]);
    expect(await bodies(a, "rebate.expired")).toEqual(["截止前未邀满 3 位好友首单，返现 ¥158.00 不再发放"]);
  });
});
