// Notifications in the reader's language: the engine stores a message key and parameters beside the Chinese text,
// and the list (notification.list + lib/i18n/notices.ts, as app/notifications/NotificationList.tsx renders it)
// words them in English with amounts formatted from fen, in Chinese exactly as stored, and rows without a key as stored.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery } from "../../server/orders";
import { runDueTransitions } from "../../server/scheduler";
import { requestAdjustment } from "../../server/wallet/adjustments";
import { newAdjustmentRequestKey } from "../../server/wallet/schemas";
import { payMonthlyStepBonus } from "../../server/bonus/step";
import { createSimpleProduct } from "../../server/catalog/admin";
import { DAY } from "../../server/clock/time";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { noticeText } from "../../lib/i18n/notices";
import { freshDatabase } from "../helpers/db";
import { callerFor } from "../helpers/caller";

const config = parseConfig({}); // L1 10%, L2 5%, 推三返一 n=3 full cashback, return window 7 days, Asia/Shanghai
const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
let database: Database;
// 2026-12-01 10:00 Shanghai
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);

const run = <T,>(now: Date, fn: Parameters<typeof inTx<T>>[2], cfg = config) => inTx(database.prisma, { config: cfg, now }, fn);
/** The member's notifications as the list returns them, oldest first. */
const listed = async (memberId: number) => (await callerFor(database.prisma, memberId).notification.list()).items.reverse();
const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;

async function paidOrder(memberId: number, now: Date, qty = 1, cfg = config) {
  const o = await run(now, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty }] }), cfg);
  await run(now, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }), cfg);
  return o;
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 50 });
});
afterEach(() => database.close());

describe("notifications in the reader's language", () => {
  it("a commission earned on a paid order reads in English with its amount, and in Chinese as stored", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    const b = await run(t0, (ctx) => registerMember(ctx, { username: "b", sponsorId: a.id }));
    const c = await run(t0, (ctx) => registerMember(ctx, { username: "c", sponsorId: b.id }));
    await paidOrder(c.id, t0);
    // 158.00 paid: L1 10% = 15.80 to b (c's direct sponsor), L2 5% = 7.90 to a.
    const [bNote] = (await listed(b.id)).filter((n) => n.kind === "commission_pending");
    const [aNote] = (await listed(a.id)).filter((n) => n.kind === "commission_pending");
    expect(noticeText(en, bNote!)).toEqual({
      title: "Commission pending",
      body: "A direct referral placed an order: commission of ¥15.80 is pending and settles once the order completes",
    });
    expect(noticeText(en, aNote!).body).toBe("An indirect referral placed an order: commission of ¥7.90 is pending and settles once the order completes");
    expect(noticeText(zh, bNote!)).toEqual({ title: "佣金待结算", body: "直推好友下单，佣金 ¥15.80 已计入待结算，订单完成后结算到账" });
    expect(noticeText(zh, bNote!)).toEqual({ title: bNote!.title, body: bNote!.body });
    expect(noticeText(zh, aNote!)).toEqual({ title: aNote!.title, body: aNote!.body });
  });

  it("a sign-up under a sponsor tells the sponsor in English, the new member's name masked as stored", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    await run(t0, (ctx) => registerMember(ctx, { username: "b", nickname: "李小花", sponsorId: a.id }));
    const [note] = (await listed(a.id)).filter((n) => n.kind === "team");
    expect(noticeText(en, note!)).toEqual({ title: "New team member", body: "李*花 signed up with your invitation and is now your direct referral" });
    expect(noticeText(zh, note!)).toEqual({ title: "新成员加入团队", body: "李*花 通过你的邀请注册，成为你的直推成员" });
  });

  it("every notification of an order's life and a Refer 3 task reads in Chinese as stored and in English without Chinese", async () => {
    const a = await run(t0, (ctx) => registerMember(ctx, { username: "a" }));
    const anchor = await paidOrder(a.id, t0);
    const friends = [];
    for (const name of ["b", "c", "d"]) {
      const m = await run(t0, (ctx) => registerMember(ctx, { username: name, sponsorId: a.id }));
      friends.push(await paidOrder(m.id, at(1)));
    }
    for (const o of [anchor, ...friends]) await run(at(2), (ctx) => shipOrder(ctx, o.id));
    for (const o of [anchor, ...friends]) await run(at(3), (ctx) => confirmDelivery(ctx, o.id));
    // Delivered Dec 4, completed 7 days later, commissions and cashback settled at the next midnight.
    await runDueTransitions(database.prisma, at(12), { config, clock: "due" });

    const notes = await listed(a.id);
    const en1 = notes.map((n) => noticeText(en, n));
    // Paid, the task opened (deadline 30 days on: 2026-12-31 10:00), shipped, 3 joined, 3 commissions pending (the third friend fills the task), 3 settled, cashback paid.
    expect(en1.filter((n) => n.title === "Commission settled")).toHaveLength(3);
    expect(en1.map((n) => n.body)).toContain(`Order ${anchor.orderNo} is paid`);
    expect(en1.map((n) => n.body)).toContain(
      `Order ${anchor.orderNo} started a Refer 3, get it back task: once 3 friends have paid a first order by 2026-12-31 10:00, and your and their orders are completed, you get ¥158.00 back`,
    );
    expect(en1.map((n) => n.body)).toContain(`Order ${anchor.orderNo} has shipped`);
    expect(en1.map((n) => n.body)).toContain("A friend paid their first order; 2 more to go");
    expect(en1.map((n) => n.body)).toContain("All 3 friends have placed their first order; your cashback follows once the orders complete");
    expect(en1.map((n) => n.body)).toContain(`A direct referral's order ${friends[0]!.orderNo}: your commission of ¥15.80 is now in your available balance`);
    expect(en1.map((n) => n.body)).toContain("Cashback of ¥158.00 has been paid");
    for (const n of notes) {
      expect(n.key).not.toBeNull();
      expect(noticeText(zh, n)).toEqual({ title: n.title, body: n.body });
    }
    for (const n of en1) expect(`${n.title} ${n.body}`).not.toMatch(CJK);
  });

  it("a manual adjustment names the bucket in the reader's language and keeps finance's reason as entered", async () => {
    const staff = await database.prisma.staffAccount.create({ data: { username: "fa", displayName: "fa", role: "finance", passwordHash: "x", createdAt: t0 } });
    const m = await run(t0, (ctx) => registerMember(ctx, { username: "shopper" }));
    await run(t0, (ctx) => requestAdjustment(ctx, { staffId: staff.id }, { member: `#${m.id}`, bucket: "available", amountFen: 12_345, reason: "活动补发", requestKey: newAdjustmentRequestKey() }));
    await run(t0, (ctx) => requestAdjustment(ctx, { staffId: staff.id }, { member: `#${m.id}`, bucket: "available", amountFen: -5, reason: "误发收回", requestKey: newAdjustmentRequestKey() }));
    const notes = (await listed(m.id)).filter((n) => n.kind === "wallet");
    expect(notes.map((n) => noticeText(en, n).body)).toEqual([
      "Available balance increased by ¥123.45. Reason: 活动补发",
      "Available balance decreased by ¥0.05. Reason: 误发收回",
    ]);
    expect(notes.map((n) => noticeText(zh, n).body)).toEqual(["您的可提现余额增加 ¥123.45。原因：活动补发", "您的可提现余额扣减 ¥0.05。原因：误发收回"]);
    for (const n of notes) expect(noticeText(zh, n)).toEqual({ title: n.title, body: n.body });
  });

  it("a stepped bonus states the sales, the rate and the bonus in English", async () => {
    const stepped = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }], stepBonus: { brackets: [{ minFen: 0, bps: 250 }] } });
    const march = new Date("2026-03-02T09:00:00+08:00");
    const s = await run(march, (ctx) => registerMember(ctx, { username: "s" }), stepped);
    const b = await run(march, (ctx) => registerMember(ctx, { username: "b", sponsorId: s.id }), stepped);
    const o = await paidOrder(b.id, march, 2, stepped);
    await run(march, async (ctx) => {
      await shipOrder(ctx, o.id);
      await confirmDelivery(ctx, o.id);
    }, stepped);
    await runDueTransitions(database.prisma, new Date(march.getTime() + 8 * DAY), { config: stepped, clock: "due" });
    await payMonthlyStepBonus(database.prisma, { now: new Date("2026-04-01T00:00:00+08:00"), config: stepped });
    // March's direct sales 2 × 158.00 = 316.00; 2.5% of 31600 fen = 790 fen.
    const [note] = (await listed(s.id)).filter((n) => n.kind === "step_bonus");
    expect(noticeText(en, note!).body).toBe("Direct sales in 2026-03: ¥316.00; stepped bonus at 2.5%: ¥7.90");
    expect(noticeText(zh, note!)).toEqual({ title: note!.title, body: note!.body });
  });

  it("a row without a key, or with a key the messages do not know, shows its stored text", async () => {
    const m = await run(t0, (ctx) => registerMember(ctx, { username: "old" }));
    await database.prisma.notification.createMany({
      data: [
        { memberId: m.id, kind: "payment", title: "支付成功", body: "订单 FM1 已支付", createdAt: t0 },
        { memberId: m.id, kind: "payment", title: "旧标题", body: "旧正文", key: "gone.away", params: { orderNo: "FM2" }, createdAt: at(1) },
      ],
    });
    const [old, unknown] = await listed(m.id);
    expect(old!.key).toBeNull();
    expect(noticeText(en, old!)).toEqual({ title: "支付成功", body: "订单 FM1 已支付" });
    expect(noticeText(zh, old!)).toEqual({ title: "支付成功", body: "订单 FM1 已支付" });
    expect(noticeText(en, unknown!)).toEqual({ title: "旧标题", body: "旧正文" });
  });
});
