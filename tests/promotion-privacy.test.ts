// Findings of a PIPL review of the promotion centre. (1) 佣金明细 gave an upline at levels 2 and 3 the masked
// name of a buyer they did not invite and the order number: only a level-1 entry names the buyer and the order now,
// and the response of the others carries neither. (2) The monthly distributor leaderboard showed every distributor
// to everyone: a member may hide themself (在排行榜中显示我); the others' places close up, and they alone still see
// where they stand. (3) A level-2/3 entry showed 审核中 while its buyer, invited by someone else, was under risk review:
// only the level-1 upline sees that now.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, completeOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY, HOUR, monthStart } from "../server/clock/time";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { LeaderboardBlock } from "../app/promote/DistributionSection";
import { commissionRowLines } from "../app/promote/commission-row";
import { freshDatabase } from "./helpers/db";
import { callerFor as callerOf, refusal } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
const id = new Map<string, number>();
const now = new Date();
// A completion instant inside the current month (merchant calendar) and before now, whatever today is.
const ms = monthStart(now, config.timeZone).getTime();
const completedAt = new Date(ms + Math.floor((now.getTime() - ms) / 2));
const t0 = new Date(completedAt.getTime() - 20 * DAY);

const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at: Date) => inTx(database.prisma, { config, now: at }, fn);
const callerFor = (name: string) => callerOf(database.prisma, id.get(name)!);

async function register(name: string, nickname: string, sponsor: string | null) {
  const n = id.size + 1;
  id.set(name, (await run((ctx) => registerMember(ctx, { username: name, nickname, sponsorId: sponsor ? id.get(sponsor)! : null, ip: `10.7.${n}.1`, device: `dev-${name}` }), t0)).id);
}

/** `name` buys one tea (9 900 fen) and pays; with `complete`, the order is completed at `completedAt`. */
async function buy(name: string, complete: boolean) {
  const paidAt = new Date(t0.getTime() + HOUR);
  const o = await run((ctx) => createOrder(ctx, { memberId: id.get(name)!, lines: [{ sku: "tea", qty: 1 }], address: `addr-${name}` }), paidAt);
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), paidAt);
  if (complete) {
    const delivered = new Date(completedAt.getTime() - config.returnWindowDays * DAY);
    await run((ctx) => shipOrder(ctx, o.id), delivered);
    await run((ctx) => confirmDelivery(ctx, o.id), delivered);
    await run((ctx) => completeOrder(ctx, o.id), completedAt);
  }
  return o;
}

let orderNo = "";

beforeAll(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 100 });

  // Commissions: great → grand → parent → wxm (王小明); wxm's order pays each of the three.
  await register("great", "曾祖", null);
  await register("grand", "祖父", "great");
  await register("parent", "父亲", "grand");
  await register("wxm", "王小明", "parent");
  orderNo = (await buy("wxm", false)).orderNo;

  // Leaderboard: three distributors (every member is one by default) with 3, 2 and 1 direct sales completed this month.
  await register("ann", "爱丽丝", null);
  await register("hid", "黄小红", null);
  await register("cat", "陈大文", null);
  for (const [sponsor, count] of [["ann", 3], ["hid", 2], ["cat", 1]] as const) {
    for (let i = 0; i < count; i++) {
      await register(`${sponsor}-d${i}`, `直推${sponsor}${i}`, sponsor);
      await buy(`${sponsor}-d${i}`, true);
    }
  }
}, 600_000);
afterAll(() => database?.close());

describe("佣金明细: who bought, for the level-1 upline only", () => {
  it("a level-1 entry names the masked buyer and the order", async () => {
    const rows = await callerFor("parent").promotion.commissions();
    // floor(9900 × 1000 / 10000) = 990; 王小明 masked: first and last character, one * between.
    expect(rows).toEqual([expect.objectContaining({ level: 1, amountFen: 990, buyer: "王*明", orderNo })]);
  });

  it("a level-2 or level-3 entry carries neither the buyer nor the order number, anywhere in the response", async () => {
    // floor(9900 × 500 / 10000) = 495 at level 2, floor(9900 × 200 / 10000) = 198 at level 3.
    for (const [name, level, amountFen] of [["grand", 2, 495], ["great", 3, 198]] as const) {
      const rows = await callerFor(name).promotion.commissions();
      expect(rows, name).toEqual([expect.objectContaining({ level, amountFen, buyer: null, orderNo: null })]);
      const sent = JSON.stringify(rows);
      for (const leak of [orderNo, "王*明", "王小明", "wxm"]) expect(sent, `${name}: ${leak}`).not.toContain(leak);
    }
  });

  it("the rows read: whose order and its number at level 1, the team's level and the date at levels 2 and 3", async () => {
    const zh = createT("zh-CN", MESSAGES["zh-CN"]);
    const en = createT("en", MESSAGES.en);
    const day = () => "2026-12-01 10:00";
    const [l1] = await callerFor("parent").promotion.commissions();
    expect(commissionRowLines(zh, l1!, day)).toEqual({ title: "王*明 的订单 · 一级", sub: `订单号 ${orderNo} · 2026-12-01 10:00` });
    const [l2] = await callerFor("grand").promotion.commissions();
    expect(commissionRowLines(zh, l2!, day)).toEqual({ title: "间推好友的订单", sub: "2026-12-01 10:00" });
    expect(commissionRowLines(en, l2!, day)).toEqual({ title: "An indirect referral's order", sub: "2026-12-01 10:00" });
    const [l3] = await callerFor("great").promotion.commissions();
    expect(commissionRowLines(zh, l3!, day)).toEqual({ title: "再推好友的订单", sub: "2026-12-01 10:00" });
    expect(commissionRowLines(en, l3!, day)).toEqual({ title: "A 3rd-level referral's order", sub: "2026-12-01 10:00" });
  });
});

describe("the leaderboard: 在排行榜中显示我", () => {
  const top = async (name: string) => (await callerFor(name).promotion.leaderboard()).top.map((r) => [r.rank, r.name, r.salesFen, r.me]);

  it("shows every distributor by default", async () => {
    expect(await top("cat")).toEqual([
      [1, "爱*丝", 29700, false],
      [2, "黄*红", 19800, false],
      [3, "陈*文", 9900, true],
    ]);
    expect((await callerFor("cat").promotion.leaderboard()).shown).toBe(true);
  });

  it("leaves out a member who hid themself, the others' places closing up", async () => {
    expect(await callerFor("hid").promotion.setLeaderboardVisibility({ shown: false })).toEqual({ shown: false });
    expect(await top("ann")).toEqual([
      [1, "爱*丝", 29700, true],
      [2, "陈*文", 9900, false],
    ]);
    const cat = await callerFor("cat").promotion.leaderboard();
    expect(cat.top.map((r) => [r.rank, r.name, r.salesFen, r.me])).toEqual([
      [1, "爱*丝", 29700, false],
      [2, "陈*文", 9900, true],
    ]);
    expect(cat.me).toEqual({ rank: 2, name: "陈*文", salesFen: 9900, me: true });
    expect(cat.shown).toBe(true);
    // A member with no sales sees the same board.
    expect(await top("wxm")).toEqual([
      [1, "爱*丝", 29700, false],
      [2, "陈*文", 9900, false],
    ]);
  });

  it("still shows the hidden member their own place, marked as seen by them alone", async () => {
    const hid = await callerFor("hid").promotion.leaderboard();
    expect(hid.shown).toBe(false);
    expect(hid.me).toEqual({ rank: 2, name: "黄*红", salesFen: 19800, me: true });
    expect(hid.top.map((r) => [r.rank, r.name, r.salesFen, r.me])).toEqual([
      [1, "爱*丝", 29700, false],
      [2, "黄*红", 19800, true],
      [3, "陈*文", 9900, false],
    ]);
    const zh = createT("zh-CN", MESSAGES["zh-CN"]);
    const html = renderToString(createElement(LeaderboardBlock, { board: hid, t: zh }));
    expect(html).toMatch(/data-testid="leaderboard-me"[^>]*>你本月排第 2 位（未公开）</);
    const en = renderToString(createElement(LeaderboardBlock, { board: hid, t: createT("en", MESSAGES.en) }));
    expect(en).toMatch(/data-testid="leaderboard-me"[^>]*>You are No\. 2 this month \(not shown to others\)</);
    // A shown member's line is as before.
    const cat = renderToString(createElement(LeaderboardBlock, { board: await callerFor("cat").promotion.leaderboard(), t: zh }));
    expect(cat).toMatch(/data-testid="leaderboard-me"[^>]*>我的排名：第 2 名</);
  });

  it("is each member's own setting, changed only by them", async () => {
    const shown = async (name: string) => (await database.prisma.member.findUniqueOrThrow({ where: { id: id.get(name)! }, select: { showOnLeaderboard: true } })).showOnLeaderboard;
    expect([await shown("ann"), await shown("hid"), await shown("cat")]).toEqual([true, false, true]);
    // No other member's id is taken: the input has none (refused), and the session's member is the one changed.
    const asAny = callerFor("ann").promotion as unknown as { setLeaderboardVisibility(i: unknown): Promise<unknown> };
    expect((await refusal(asAny.setLeaderboardVisibility({ shown: true, memberId: id.get("hid") }))).code).toBe("BAD_REQUEST");
    expect(await shown("hid")).toBe(false);
    expect(await callerFor("ann").promotion.setLeaderboardVisibility({ shown: true })).toEqual({ shown: true });
    expect([await shown("ann"), await shown("hid")]).toEqual([true, false]);
    expect((await refusal(callerOf(database.prisma, null).promotion.setLeaderboardVisibility({ shown: false }))).code).toBe("UNAUTHORIZED");

    // Shown again, the member is back in their place for everyone.
    await callerFor("hid").promotion.setLeaderboardVisibility({ shown: true });
    expect(await top("ann")).toEqual([
      [1, "爱*丝", 29700, true],
      [2, "黄*红", 19800, false],
      [3, "陈*文", 9900, false],
    ]);
  });
});

describe("佣金明细 while the buyer is under risk review", () => {
  it("shows 审核中 to the level-1 upline only; levels 2 and 3 read 待确认, as any pending commission, anywhere in the response", async () => {
    // 王小明 refunds a third order in 30 days, say: an open flag on the buyer holds every commission of his order (SPEC §8).
    await run((ctx) => recordRiskEvent(ctx, "refund_abuse", [id.get("wxm")!], [id.get("wxm")!], { order: orderNo, refundsIn30Days: 3 }), now);
    expect(await callerFor("parent").promotion.commissions()).toEqual([expect.objectContaining({ level: 1, status: "ON_HOLD", label: "审核中" })]);
    for (const [name, level] of [["grand", 2], ["great", 3]] as const) {
      const rows = await callerFor(name).promotion.commissions();
      // The order is paid, not completed: PENDING (待确认), as it read before the flag.
      expect(rows, name).toEqual([expect.objectContaining({ level, status: "PENDING", label: "待确认" })]);
      const sent = JSON.stringify(rows);
      for (const leak of ["ON_HOLD", "审核中"]) expect(sent, `${name}: ${leak}`).not.toContain(leak);
    }
  });
});
