// A frozen member's 推广中心 (SPEC §8: a frozen member earns nothing new, FORFEITED, and their link binds nobody; §5: their
// orders open no task; §7: no stepped bonus while frozen): the promotion data offers no link to share and promises no
// commission, cashback or bonus, while what they already have (commissions, tasks) stays listed. A member who is not
// frozen, on the same rules, is offered all of it. The poster route's refusal and the page: tests/providers/promote-frozen-pages.test.ts.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { distributorCardState, stepBonusView } from "../server/promotion/distribution";
import { DistributionSection } from "../app/promote/DistributionSection";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshPglite } from "./helpers/db";
import { callerFor } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

// 阶梯奖励 on: 5% from the first fen of direct sales, so a member who may earn it is estimated 0 with no sales yet.
const config = parseConfig({ stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } });
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
let database: Database;
let alice = 0; // frozen after three rejected reviews
let bob = 0; // alice's direct, bought before the freeze
let eve = 0; // not frozen

const HOUR = 3600_000;
const t0 = Date.now() - 6 * HOUR;
const run = <T,>(at: number, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: new Date(at) }, fn);

async function pays(memberId: number, at: number) {
  const o = await run(at, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${memberId}` }));
  await run(at + 60_000, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "明前龙井", priceFen: 9_900, category: "fmcg", stock: 100 });
  alice = (await run(t0, (ctx) => registerMember(ctx, { username: "alice", nickname: "爱丽丝", ip: "10.0.0.1", device: "a" }))).id;
  bob = (await run(t0 + 60_000, (ctx) => registerMember(ctx, { username: "bob", sponsorId: alice, ip: "10.0.0.2", device: "b" }))).id;
  eve = (await run(t0 + 120_000, (ctx) => registerMember(ctx, { username: "eve", ip: "10.0.0.3", device: "e" }))).id;
  await pays(alice, t0 + HOUR); // alice's task opens
  await pays(bob, t0 + 2 * HOUR); // counts for it; alice earns level 1: 10% of 99.00 = 990 fen
  for (let i = 0; i < 3; i++) {
    const at = t0 + (3 + i) * HOUR;
    await run(at, (ctx) => recordRiskEvent(ctx, "refund_abuse", [alice], [alice], { test: i }));
    await run(at, (ctx) => reviewMember(ctx, alice, "reject"));
  }
  expect((await database.prisma.member.findUniqueOrThrow({ where: { id: alice } })).frozen).toBe(true);
}, 180_000);
afterAll(() => database?.close());

describe("the promotion centre's header data", () => {
  it("a frozen member: no link to share, no 推三返一 offer, no commission rates", async () => {
    const o = await callerFor(database.prisma, alice).promotion.overview();
    expect(o).toMatchObject({ frozen: true, shareRebate: null, rebate: null, offer: null });
    expect(o.commission.enabled).toBe(false);
  });

  it("a member not frozen, on the same rules: the link's offer, their own offer and the rates", async () => {
    const o = await callerFor(database.prisma, eve).promotion.overview();
    expect(o.frozen).toBe(false);
    expect(o.shareRebate).toEqual({ enabled: true, n: 3, percent: 100, windowDays: 30, capFen: null, minAnchorFen: 0, payout: "cash" });
    expect(o.rebate).toMatchObject({ enabled: true, n: 3, percent: 100 });
    expect(o.offer).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单全额返现");
    expect(o.commission).toMatchObject({ enabled: true, ratesBps: [1000, 500, 200] });
  });
});

describe("分销员 and 阶梯奖励", () => {
  it("a frozen member: the card says frozen and no bonus is estimated", async () => {
    const d = await callerFor(database.prisma, alice).promotion.distribution();
    expect(d.distributor).toMatchObject({ frozen: true, isDistributor: true });
    expect(distributorCardState(d.distributor)).toBe("frozen");
    expect(d.step).toMatchObject({ enabled: true, estimatedFen: null, pausedFor: "frozen" });

    const html = renderInProviders(createElement(DistributionSection, { data: d, board: { month: d.step.month, top: [], me: null, shown: true }, t: zh, fmtDate: (x: Date) => x.toISOString() })).html;
    expect(html).toContain("账户已冻结，好友下单不再为你产生佣金");
    expect(html).toContain("账户解冻后才可获得阶梯奖励");
    expect(html).not.toContain("你已是分销员");
    expect(html).not.toContain("data-testid=\"step-projection-label\"");
  });

  it("a member not frozen: a distributor (everyone mode) with this month's estimate, 0 so far", async () => {
    const d = await callerFor(database.prisma, eve).promotion.distribution();
    expect(distributorCardState(d.distributor)).toBe("distributor");
    expect(d.step.estimatedFen).toBe(0);
    expect(d.step.pausedFor).toBeUndefined();
  });

  it("frozen comes before every other state and pauses the estimate", () => {
    expect(distributorCardState({ isDistributor: true, disabled: false, mode: "everyone", frozen: true })).toBe("frozen");
    expect(distributorCardState({ isDistributor: false, disabled: true, mode: "spend", frozen: true })).toBe("frozen");
    const step = { enabled: true, month: "2026-12", salesFen: 60_000, current: { minFen: 0, bps: 500 }, next: null, remainingFen: 0, estimatedFen: 3_000, brackets: [{ minFen: 0, bps: 500 }] };
    expect(stepBonusView(step, { disabled: false, frozen: true })).toMatchObject({ estimatedFen: null, pausedFor: "frozen" });
    expect(stepBonusView(step, { disabled: true, frozen: false })).toMatchObject({ estimatedFen: null, pausedFor: "suspended" });
    expect(stepBonusView(step, { disabled: false, frozen: false }).estimatedFen).toBe(3_000);
  });
});

describe("a frozen member's history", () => {
  it("stays listed: the commission from bob's order and the task the first rejection voided", async () => {
    const api = callerFor(database.prisma, alice);
    expect((await api.promotion.commissions()).map((c) => [c.level, c.amountFen, c.status])).toEqual([[1, 990, "PENDING"]]);
    expect((await api.promotion.tasks()).map((t) => [t.status, t.invited])).toEqual([["VOID", 1]]);
  });
});
