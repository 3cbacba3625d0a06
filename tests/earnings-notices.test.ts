// Shoppers are told when and why they lose money (SPEC §4, §5, §7): a commission forfeited (with its reason, a staff
// suspension no longer passing for "not a distributor yet") or voided by a refund or a risk rejection (one notice per
// earner, no buyer's name or order number), a distributor status suspended or given back, a 推三返一 invitee removed,
// a task voided, expired or confirmed, and a bonus paid or topped up with its amount. Each told once per state change.
// Amounts by hand: one tea 158.00; L1 10% = 15.80, L2 5% = 7.90, L3 2% = 3.16; cashback 100% = 158.00.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { recordReferralVisit, registerMember } from "../server/referral";
import { confirmDelivery, confirmPayment, createOrder, refundOrder, shipOrder } from "../server/orders";
import { createCommissionsForPaidOrder } from "../server/commission";
import { setDistributorEnabled } from "../server/distribution";
import { reviewMember } from "../server/risk/review";
import { myRebateTasks } from "../server/promotion";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { retryFailedJob } from "../server/scheduler/failed";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { noticeText } from "../lib/i18n/notices";
import { commissionReason } from "../lib/i18n/labels";
import { freshDatabase } from "./helpers/db";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
const everyone = parseConfig({}); // L1 10%, L2 5%, L3 2%; 推三返一 n = 3, 30 days, 100%; everyone a distributor
// 2026-12-01 10:00 Shanghai
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number, hours = 0) => new Date(t0.getTime() + days * DAY + hours * 3_600_000);
let database: Database;
let config: MallConfig = everyone;

const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
const reg = async (username: string, sponsorId?: number, extra: { nickname?: string; ip?: string } = {}) =>
  (await run(t0, (ctx) => registerMember(ctx, { username, sponsorId, device: `d-${username}`, ip: extra.ip ?? `10.9.${username.length}.${username.charCodeAt(0)}`, nickname: extra.nickname }))).id;
async function paidOrder(memberId: number, now: Date) {
  const o = await run(now, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run(now, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}
/** The member's notices whose key starts with `prefix`, oldest first. */
const notes = (memberId: number, prefix: string) =>
  database.prisma.notification.findMany({ where: { memberId, key: { startsWith: prefix } }, orderBy: { id: "asc" } });
const bodies = async (memberId: number, prefix: string) => (await notes(memberId, prefix)).map((n) => n.body);

async function shop(rules: MallConfig) {
  config = rules;
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: rules as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 50 });
}
afterEach(() => database.close());

describe("distributor status suspended by staff", () => {
  let staff: { staffId: number };
  beforeEach(async () => {
    await shop(everyone);
    staff = { staffId: (await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "owner", passwordHash: "x", createdAt: t0 } })).id };
  });

  it("a commission lost while suspended says so (not 'not a distributor yet'); suspend and restore are each told once, without staff's reason", async () => {
    const a = await reg("a");
    const b = await reg("b", a);
    await run(t0, (ctx) => setDistributorEnabled(ctx, a, false, "核查刷单嫌疑", staff));
    await expect(run(t0, (ctx) => setDistributorEnabled(ctx, a, false, "核查刷单嫌疑", staff))).rejects.toThrow();
    const suspended = await notes(a, "distributor.");
    expect(suspended.map((n) => [n.key, n.title])).toEqual([["distributor.suspended", "分销资格已停用"]]);
    expect(suspended[0]!.body).not.toContain("核查");

    await paidOrder(b, at(0, 1));
    const [c] = await database.prisma.commission.findMany({ where: { beneficiaryId: a } });
    expect({ status: c!.status, amountFen: c!.amountFen, reason: c!.forfeitReason }).toEqual({ status: "FORFEITED", amountFen: 1_580, reason: "distributor suspended" });
    expect(commissionReason(zh, c!.forfeitReason)).toBe("分销资格已被商家停用");
    expect(commissionReason(en, c!.forfeitReason)).toBe("The shop has suspended your distributor status");
    const lost = await notes(a, "commission.");
    expect(lost.map((n) => n.body)).toEqual(["直推好友下单，佣金 ¥15.80 未获得：你的分销资格已被商家停用"]);
    expect(noticeText(en, lost[0]!).body).toBe("A direct referral placed an order, but the commission of ¥15.80 was not earned: the shop has suspended your distributor status");

    await run(at(1), (ctx) => setDistributorEnabled(ctx, a, true, "核查完毕", staff));
    expect(await bodies(a, "distributor.")).toEqual([suspended[0]!.body, "商家已恢复你的分销资格，之后好友付款的订单可以为你带来佣金"]);
  });

  it("given back to one the mode has not made a distributor yet: the suspension is lifted, the status still to be earned", async () => {
    await database.prisma.mallConfig.deleteMany();
    config = parseConfig({ commission: { distributorMode: "first_order" } });
    await database.prisma.mallConfig.create({ data: { data: config as object } });
    const a = await reg("a");
    await run(t0, (ctx) => setDistributorEnabled(ctx, a, false, "核查", staff));
    await run(at(1), (ctx) => setDistributorEnabled(ctx, a, true, "恢复", staff));
    expect((await notes(a, "distributor.")).map((n) => n.key)).toEqual(["distributor.suspended", "distributor.unsuspended"]);
  });
});

describe("commissions forfeited at payment", () => {
  beforeEach(() => shop(parseConfig({ commission: { distributorMode: "first_order", unlockDeepLevelsAtDirects: 2 } })));

  it("tell the earner the amount, the level and why; a payment handled again tells nothing more", async () => {
    // a → b → c; x → y. a and b become distributors by paying; x never pays.
    const a = await reg("a");
    const b = await reg("b", a);
    const c = await reg("c", b);
    const x = await reg("x");
    const y = await reg("y", x);
    await paidOrder(a, t0);
    await paidOrder(b, at(0, 1)); // a earns L1 15.80 (a distributor); b is now a's one qualified direct
    await paidOrder(c, at(0, 2)); // b earns L1 15.80; a's L2 7.90 needs 2 qualified directs: forfeited
    const yOrder = await paidOrder(y, at(0, 3)); // x is no distributor: L1 15.80 forfeited
    expect(await bodies(a, "commission.forfeited")).toEqual(["间推好友下单，佣金 ¥7.90 未获得：需 2 位有效直推才能获得第 2 级佣金"]);
    expect(await bodies(x, "commission.forfeited")).toEqual(["直推好友下单，佣金 ¥15.80 未获得：付款时你还不是分销员，成为分销员后好友的订单才有佣金"]);
    expect(await bodies(b, "commission.forfeited")).toEqual([]);
    // Pending ones are still told as before.
    expect(await bodies(b, "commission.pending")).toEqual(["直推好友下单，佣金 ¥15.80 已计入待结算，订单完成后结算到账"]);

    await run(at(0, 4), (ctx) => createCommissionsForPaidOrder(ctx, { id: yOrder.id, memberId: y, lines: [{ goodsFen: 15_800, category: "tea" }] }));
    expect(await notes(x, "commission.")).toHaveLength(1);
  });
});

describe("commissions voided", () => {
  beforeEach(() => shop(everyone));

  it("a refund voiding three levels tells each earner once, with level and amount and no buyer's name or order number", async () => {
    const a = await reg("a");
    const b = await reg("b", a);
    const c = await reg("c", b);
    const d = await reg("d", c, { nickname: "赵小明" });
    const o = await paidOrder(d, t0);
    expect((await run(at(0, 1), (ctx) => refundOrder(ctx, o.id))).refunded).toBe(true);
    expect((await run(at(0, 2), (ctx) => refundOrder(ctx, o.id))).refunded).toBe(false);

    expect(await bodies(c, "commission.voided")).toEqual(["直推好友的订单已退款，佣金 ¥15.80 已作废"]);
    expect(await bodies(b, "commission.voided")).toEqual(["间推好友的订单已退款，佣金 ¥7.90 已作废"]);
    expect(await bodies(a, "commission.voided")).toEqual(["再推好友的订单已退款，佣金 ¥3.16 已作废"]);
    for (const m of [a, b, c]) {
      for (const n of await notes(m, "commission.")) {
        const en1 = noticeText(en, n);
        expect(`${n.body} ${en1.body}`).not.toMatch(/赵|小明|\*/);
        expect(`${n.body} ${en1.body}`).not.toContain(o.orderNo);
        expect(`${en1.title} ${en1.body}`).not.toMatch(CJK);
      }
    }
    expect(noticeText(en, (await notes(c, "commission.voided"))[0]!).body).toBe("A direct referral's order was refunded, so the commission of ¥15.80 is voided");
    // The buyer's own 推三返一 task is void, and said so once.
    expect(await bodies(d, "rebate.voided")).toEqual([`订单 ${o.orderNo} 已退款，返现任务作废，返现 ¥158.00 不再发放`]);
  });

  it("a risk rejection voiding several of a buyer's orders tells the earner once, with the count and the total", async () => {
    const a = await reg("a", undefined, { ip: "10.0.0.1" });
    const b = await reg("b", a, { ip: "10.0.0.1" }); // shared_ip: b flagged, its commissions held
    const o1 = await paidOrder(b, t0);
    const o2 = await paidOrder(b, at(0, 1));
    await run(at(1), (ctx) => reviewMember(ctx, b, "reject"));
    expect(await bodies(a, "commission.voided")).toEqual(["好友的订单经商家审核不计佣金，2 笔佣金共 ¥31.60 已作废"]);
    expect(await bodies(b, "rebate.voided")).toEqual([
      `风控审核未通过，订单 ${o1.orderNo} 的返现任务作废，返现 ¥158.00 不再发放`,
      `风控审核未通过，订单 ${o2.orderNo} 的返现任务作废，返现 ¥158.00 不再发放`,
    ]);
  });
});

describe("commissions settled", () => {
  beforeEach(() => shop(everyone));

  it("only the level-1 earner's notice names the order; level 2 and 3 hear the level and amount (PIPL)", async () => {
    const a = await reg("a");
    const b = await reg("b", a);
    const c = await reg("c", b);
    const d = await reg("d", c, { nickname: "赵小明" });
    const o = await paidOrder(d, t0);
    await run(at(1), (ctx) => shipOrder(ctx, o.id));
    await run(at(2), (ctx) => confirmDelivery(ctx, o.id));
    // Delivered 3 Dec, completed after the 7-day return window (10 Dec), settled at the next local midnight.
    await runDueTransitions(database.prisma, at(10), { config, clock: "due" });

    expect(await bodies(c, "commission.settled")).toEqual([`直推好友订单 ${o.orderNo} 的佣金 ¥15.80 已转入可提现余额`]);
    expect(await bodies(b, "commission.settled")).toEqual(["间推好友订单的佣金 ¥7.90 已转入可提现余额"]);
    expect(await bodies(a, "commission.settled")).toEqual(["再推好友订单的佣金 ¥3.16 已转入可提现余额"]);
    for (const m of [a, b]) {
      for (const n of await notes(m, "commission.settled")) {
        expect(JSON.stringify([n.body, n.params, noticeText(en, n)])).not.toContain(o.orderNo);
      }
    }
    expect(noticeText(en, (await notes(b, "commission.settled"))[0]!).body).toBe("An indirect referral's order: your commission of ¥7.90 is now in your available balance");
  });
});

describe("推三返一 tasks", () => {
  beforeEach(() => shop(everyone));

  it("a refunded invitee: the owner hears how many are missing while the deadline allows, then that the task ended; the list keeps the friend as not counting", async () => {
    const a = await reg("a");
    const b = await reg("b", a, { nickname: "李小花" });
    const c = await reg("c", a, { nickname: "王大锤" });
    await paidOrder(a, t0); // task: deadline t0 + 30 days
    const ob = await paidOrder(b, at(1));
    const oc = await paidOrder(c, at(1));
    expect(await bodies(a, "rebate.invited")).toEqual(["好友首单已付款，还差 2 人", "好友首单已付款，还差 1 人"]);

    await run(at(2), (ctx) => refundOrder(ctx, ob.id));
    expect(await bodies(a, "rebate.removed")).toEqual(["有好友的首单已退款，不再计入；还差 2 人，截止前邀请新好友首单付款仍可返现"]);
    const [shown] = await myRebateTasks(database.prisma, a, at(2));
    expect({ invited: shown!.invited, missing: shown!.missing, status: shown!.status }).toEqual({ invited: 1, missing: 2, status: "OPEN" });
    expect(shown!.invitees.map((i) => [i.name, i.removed, i.removedReason])).toEqual([
      ["李*花", true, "refunded"],
      ["王*锤", false, null],
    ]);

    // After the deadline (the expiry not run yet) the other friend is refunded: the task ends, said so once.
    await run(at(31), (ctx) => refundOrder(ctx, oc.id));
    expect(await bodies(a, "rebate.expired")).toEqual(["有好友的首单已退款，不再计入；截止时间已过，未邀满 3 人，返现 ¥158.00 不再发放"]);
    await runDueTransitions(database.prisma, at(32), { config, clock: "due" });
    expect(await notes(a, "rebate.expired")).toHaveLength(1);
  });

  it("a task whose deadline passes short of friends is told expired once, with the cashback it will not pay (to a buyer who shared)", async () => {
    const a = await reg("a");
    await paidOrder(a, t0);
    // Someone opened a's link: a took part (a buyer who never shared hears nothing, tests/rebate-expiry-notice.test.ts).
    const { referralCode } = await database.prisma.member.findUniqueOrThrow({ where: { id: a }, select: { referralCode: true } });
    await run(at(1), (ctx) => recordReferralVisit(ctx, referralCode, null));
    await runDueTransitions(database.prisma, at(30, 1), { config, clock: "due" });
    expect(await bodies(a, "rebate.expired")).toEqual(["截止前未邀满 3 位好友首单，返现 ¥158.00 不再发放"]);
    await runDueTransitions(database.prisma, at(31), { config, clock: "due" });
    expect(await notes(a, "rebate.expired")).toHaveLength(1);
  });

  it("a confirmed task is told before the cashback is paid", async () => {
    const a = await reg("a");
    const anchor = await paidOrder(a, t0);
    const friends = [];
    for (const name of ["b", "c", "d"]) friends.push(await paidOrder(await reg(name, a), at(1)));
    for (const o of [anchor, ...friends]) await run(at(2), (ctx) => shipOrder(ctx, o.id));
    for (const o of [anchor, ...friends]) await run(at(3), (ctx) => confirmDelivery(ctx, o.id));
    // Delivered Dec 4, completed Dec 11 10:00 (confirmed), paid at the next midnight.
    await runDueTransitions(database.prisma, at(12), { config, clock: "due" });
    const rebate = await notes(a, "rebate.");
    // Opened at the anchor's payment, then each friend, confirmed and paid.
    expect(rebate.map((n) => n.key)).toEqual(["rebate.opened", "rebate.invited", "rebate.invited", "rebate.invitedAll", "rebate.confirmed", "rebate.paid"]);
    expect(rebate[4]!.body).toBe("你和好友的订单都已完成，返现 ¥158.00 将于次日到账");
  });
});

describe("bonus notices", () => {
  const bonusRules = parseConfig({
    commission: { enabled: false },
    rebate: { enabled: false },
    tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }],
    teamBonusBps: 200,
    stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 20_000, bps: 800 }] },
  });
  const local = (s: string) => new Date(`${s}+08:00`);
  async function tick(db: Db, now: Date) {
    await inTx(db, { now }, (ctx) => ensureRecurringTransitions(ctx));
    await runDueTransitions(db, now, { clock: "wall", now });
  }
  beforeEach(async () => {
    config = bonusRules;
    database = await freshDatabase();
    await database.prisma.mallConfig.create({ data: { data: bonusRules as object } });
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 50 });
  });

  it("the team bonus says its amount; a late completion's top-up says what is added and the month's total", async () => {
    // As tests/bonus-late-completion.test.ts: s sponsors b (two 100 元 orders), both completing 19 March, the second's
    // completion dead-lettered and retried 3 April. 1 April pays March on 100 元: team 2% = 2.00, step 5% = 5.00.
    // 1 May corrects March to 200 元: team 4.00 (+2.00), step reaches the 8% bracket: 16.00 (+11.00).
    const db = database.prisma;
    const march2 = local("2026-03-02T09:00:00");
    await inTx(db, { now: march2 }, (ctx) => ensureRecurringTransitions(ctx));
    const s = (await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "s", ip: "10.1.0.1", device: "d-s" }))).id;
    const b = (await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "b", sponsorId: s, ip: "10.1.0.2", device: "d-b" }))).id;
    const orders: number[] = [];
    for (let i = 0; i < 2; i++) {
      const o = await inTx(db, { now: march2 }, (ctx) => createOrder(ctx, { memberId: b, lines: [{ sku: "tea", qty: 1 }] }));
      await inTx(db, { now: march2 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      await inTx(db, { now: march2 }, (ctx) => shipOrder(ctx, o.id));
      orders.push(o.id);
    }
    await tick(db, local("2026-03-12T10:00:00"));
    const dead = local("2026-03-19T12:00:00");
    await db.dueTransition.updateMany({ where: { kind: "ORDER_COMPLETE", refId: orders[1]! }, data: { attempts: 8, lastError: "Error: x", deadAt: dead, nextAttemptAt: dead } });
    await tick(db, local("2026-03-19T12:30:00"));
    await tick(db, local("2026-04-01T00:05:00"));
    expect((await notes(s, "teamBonus.")).map((n) => n.body)).toEqual(["2026-03 团队绩效 ¥2.00 已到账"]);
    expect(await bodies(s, "stepBonus.")).toEqual(["2026-03 直推销售 ¥100.00，按 5% 发放阶梯奖励 ¥5.00"]);

    const staff = await db.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "owner", passwordHash: "x", createdAt: march2 } });
    const retryAt = local("2026-04-03T10:00:00");
    for (const row of await db.dueTransition.findMany({ where: { deadAt: { not: null } } })) {
      await inTx(db, { now: retryAt }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "transition", id: row.id }));
    }
    await tick(db, retryAt);
    await tick(db, local("2026-05-01T00:05:00"));
    await tick(db, local("2026-06-01T00:05:00"));
    expect(await bodies(s, "teamBonus.")).toEqual(["2026-03 团队绩效 ¥2.00 已到账", "2026-03 有订单延后完成，团队绩效补发 ¥2.00，2026-03 合计 ¥4.00"]);
    expect(await bodies(s, "stepBonus.")).toEqual([
      "2026-03 直推销售 ¥100.00，按 5% 发放阶梯奖励 ¥5.00",
      "2026-03 有订单延后完成，直推销售更新为 ¥200.00，按 8% 补发 ¥11.00，2026-03 合计 ¥16.00",
    ]);
    for (const n of await notes(s, "")) expect(noticeText(en, n).body).not.toMatch(CJK);
  });
});
