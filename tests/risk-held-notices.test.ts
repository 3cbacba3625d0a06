// A payment by a member under risk review (SPEC §8): the commissions and the 推三返一 task it makes are ON_HOLD (审核中)
// from the start, and their notices say so — the level-1 earner's "佣金 … 已计入，订单正在审核中", the buyer's
// "推三返一已开启，订单正在审核中"; a level-2 earner is not told of someone else's invitee's review (PIPL) and reads the
// usual notice, as does everyone for a buyer under no review. The review's answer says what it released or voided
// (the case page's confirmation).
// Amounts by hand: one tea 158.00; L1 10% = 15.80, L2 5% = 7.90; cashback 100% = 158.00; deadline t0 + 30 days.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { createSimpleProduct } from "../server/catalog/admin";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { noticeText } from "../lib/i18n/notices";
import { freshPglite } from "./helpers/db";

const config = parseConfig({}); // L1 10%, L2 5%; 推三返一 n = 3, 30 days, 100%; Asia/Shanghai
const en = createT("en", MESSAGES.en);
// 2026-12-01 10:00 Shanghai
const t0 = new Date("2026-12-01T02:00:00Z");
let database: Database;
let g: number, s: number, flagged: number, clean: number, rejected: number;
const orderNos: Record<string, string> = {};

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);
const reg = async (username: string, sponsorId?: number) => (await run((ctx) => registerMember(ctx, { username, sponsorId, device: `d-${username}`, ip: `10.7.0.${username.length}` }))).id;
async function pay(memberId: number) {
  const o = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${memberId}` }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.orderNo;
}
const notes = (memberId: number, prefix: string) => database.prisma.notification.findMany({ where: { memberId, key: { startsWith: prefix } }, orderBy: { id: "asc" } });

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 50 });
  g = await reg("grand");
  s = await reg("spons", g);
  flagged = await reg("flagged", s);
  clean = await reg("cleanbuyer", s);
  rejected = await reg("rejectd", s);
  // Under review before paying (as after three refunds): refund_abuse flags the member.
  for (const m of [flagged, rejected]) await run((ctx) => recordRiskEvent(ctx, "refund_abuse", [m], [m], { order: "FM-earlier", refundsIn30Days: 3 }));
  orderNos.flagged = await pay(flagged);
  orderNos.clean = await pay(clean);
  orderNos.rejected = await pay(rejected);
});
afterAll(() => database.close());

describe("notices of a payment by a member under risk review", () => {
  it("the level-1 earner is told the commission is under review; the level-2 earner reads the usual notice", async () => {
    // s earned 15.80 on each of three orders, the first and the last by buyers under review; g 7.90 on each.
    expect((await notes(s, "commission.")).map((n) => [n.key, n.title, n.body])).toEqual([
      ["commission.pendingHeld", "佣金审核中", "直推好友下单，佣金 ¥15.80 已计入，订单正在审核中，审核通过后照常结算"],
      ["commission.pending", "佣金待结算", "直推好友下单，佣金 ¥15.80 已计入待结算，订单完成后结算到账"],
      ["commission.pendingHeld", "佣金审核中", "直推好友下单，佣金 ¥15.80 已计入，订单正在审核中，审核通过后照常结算"],
    ]);
    expect((await notes(g, "commission.")).map((n) => [n.key, n.body])).toEqual([
      ["commission.pending", "间推好友下单，佣金 ¥7.90 已计入待结算，订单完成后结算到账"],
      ["commission.pending", "间推好友下单，佣金 ¥7.90 已计入待结算，订单完成后结算到账"],
      ["commission.pending", "间推好友下单，佣金 ¥7.90 已计入待结算，订单完成后结算到账"],
    ]);
    const [held] = await notes(s, "commission.pendingHeld");
    expect(noticeText(en, held!)).toEqual({
      title: "Commission under review",
      body: "A direct referral placed an order: commission of ¥15.80 is recorded; the order is under review, and the commission settles as usual once it is approved",
    });
  });

  it("the buyer under review is told the 推三返一 task is opened under review; a buyer under none, as usual", async () => {
    const [opened] = await notes(flagged, "rebate.");
    expect([opened!.key, opened!.title, opened!.body]).toEqual([
      "rebate.openedHeld",
      "推三返一已开启",
      `订单 ${orderNos.flagged} 已开启推三返一，订单正在审核中：2026-12-31 10:00 前邀请 3 位好友首单付款，审核通过且你和好友的订单都完成后，可返现 ¥158.00`,
    ]);
    expect(noticeText(en, opened!).body).toBe(
      `Order ${orderNos.flagged} started a Refer 3, get it back task and is under review: once 3 friends have paid a first order by 2026-12-31 10:00, the review is approved and your and their orders are completed, you get ¥158.00 back`,
    );
    expect((await notes(clean, "rebate.")).map((n) => [n.key, n.body])).toEqual([
      ["rebate.opened", `订单 ${orderNos.clean} 已开启推三返一：2026-12-31 10:00 前邀请 3 位好友首单付款，你和好友的订单都完成后，可返现 ¥158.00`],
    ]);
  });
});

describe("the review's answer", () => {
  it("an approval: the held commissions (L1 and L2) and the 推三返一 task it released", async () => {
    expect(await run((ctx) => reviewMember(ctx, flagged, "approve"))).toEqual({ decided: 1, commissions: 2, tasks: 1, frozen: false });
  });

  it("a rejection: the commissions and the task it voided; the account is not frozen at the first rejection", async () => {
    expect(await run((ctx) => reviewMember(ctx, rejected, "reject"))).toEqual({ decided: 1, commissions: 2, tasks: 1, frozen: false });
    expect(await database.prisma.commission.count({ where: { order: { orderNo: orderNos.rejected }, status: "VOID" } })).toBe(2);
  });
});
