// The promotion centre's 分销资格 / 阶梯奖励 / leaderboard procedures through createCaller: what a member
// must still spend, this month's direct sales against the next bracket, the masked monthly ranking
// with the member's own rank, and the notifications when a member qualifies and when a bonus is paid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, completeOrder } from "../server/orders";
import { payMonthlyStepBonus } from "../server/bonus/step";
import { DAY, HOUR, monthStart, nextMonthStart } from "../server/clock/time";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshPglite } from "./helpers/db";
import { callerFor as callerOf, refusal } from "./helpers/caller";

const config = parseConfig({
  commission: { distributorMode: "spend", distributorMinSpendFen: 20000 },
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 150000, bps: 800 }] },
});
let database: Database;
const id = new Map<string, number>();
const now = new Date();
// A completion instant inside the current month (merchant calendar) and before now, whatever today is.
const ms = monthStart(now, config.timeZone).getTime();
const completedAt = new Date(ms + Math.floor((now.getTime() - ms) / 2));

const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at: Date) => inTx(database.prisma, { config, now: at }, fn);
const callerFor = (name: string) => callerOf(database.prisma, id.get(name)!);

/** Pays an order at `at`; with `complete`, ships, delivers and completes it at `completedAt`. */
async function buy(name: string, sku: string, at: Date, complete = false) {
  const o = await run((ctx) => createOrder(ctx, { memberId: id.get(name)!, lines: [{ sku, qty: 1 }], address: `addr-${name}` }), at);
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), at);
  if (complete) {
    const delivered = new Date(completedAt.getTime() - config.returnWindowDays * DAY);
    await run((ctx) => shipOrder(ctx, o.id), delivered);
    await run((ctx) => confirmDelivery(ctx, o.id), delivered);
    await run((ctx) => completeOrder(ctx, o.id), completedAt);
  }
  return o;
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  for (const [sku, priceFen] of [["gift", 18770], ["kit", 30000], ["tea", 1230]] as const) {
    await createSimpleProduct(database.prisma, { sku, name: sku, priceFen, category: "fmcg", stock: 100 });
  }
  const t0 = new Date(completedAt.getTime() - 20 * DAY);
  for (const [name, nickname, sponsor] of [["alice", "爱丽丝", null], ["bob", "鲍勃", "alice"], ["carol", "卡罗尔", null], ["dave", "大卫", "carol"]] as const) {
    id.set(name, (await run((ctx) => registerMember(ctx, { username: name, nickname, sponsorId: sponsor ? id.get(sponsor)! : null, ip: `ip-${name}`, device: name }), t0)).id);
  }
  const paidAt = new Date(t0.getTime() + HOUR);
  await buy("alice", "gift", paidAt); // 18770 of 20000: not a distributor yet
  await buy("carol", "kit", paidAt); // 30000 ≥ 20000: distributor
  await buy("bob", "kit", paidAt, true); // alice's direct sales this month: 30000
  await buy("dave", "kit", paidAt, true); // carol's: 30000 + 18770
  await buy("dave", "gift", paidAt, true);
}, 180_000);
afterAll(() => database?.close());

describe("promotion centre: distributors and stepped bonus", () => {
  it("tells a non-distributor what is left to spend and shows this month's sales against the next bracket", async () => {
    const d = await callerFor("alice").promotion.distribution();
    expect(d.distributor).toMatchObject({ mode: "spend", isDistributor: false, minSpendFen: 20000, spentFen: 18770, remainingFen: 1230 });
    expect(d.step).toMatchObject({ enabled: true, salesFen: 30000, current: { minFen: 0, bps: 500 }, next: { minFen: 150000, bps: 800 }, remainingFen: 120000, estimatedFen: 1500 });
    expect(d.bonuses).toEqual([]);
  });

  it("ranks only distributors, masked, with the member's own rank", async () => {
    const alice = await callerFor("alice").promotion.leaderboard();
    expect(alice.top).toEqual([{ rank: 1, name: "卡*尔", salesFen: 48770, me: false }]);
    expect(alice.me).toBeNull(); // alice has direct sales but is not a distributor
    const carol = await callerFor("carol").promotion.leaderboard();
    expect(carol.me).toEqual({ rank: 1, name: "卡*尔", salesFen: 48770, me: true });
    expect((await callerFor("dave").promotion.leaderboard()).me).toBeNull();
  });

  it("qualifies at the payment that reaches the minimum, notifies once, and then ranks the member", async () => {
    await buy("alice", "tea", new Date()); // 18770 + 1230 = 20000
    const d = await callerFor("alice").promotion.distribution();
    expect(d.distributor).toMatchObject({ isDistributor: true, spentFen: 20000, remainingFen: 0 });
    const board = await callerFor("alice").promotion.leaderboard();
    expect(board.top.map((r) => [r.rank, r.name, r.salesFen, r.me])).toEqual([
      [1, "卡*尔", 48770, false],
      [2, "爱*丝", 30000, true],
    ]);
    expect(board.me).toMatchObject({ rank: 2 });
    const notes = (await callerFor("alice").notification.list()).items.filter((n) => n.kind === "distributor");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toBe("您已成为分销员");
  });

  it("lists a paid stepped bonus and notifies the member", async () => {
    // The month closes: run this month's bonus at next month's 1st 00:00.
    await payMonthlyStepBonus(database.prisma, { now: nextMonthStart(now, config.timeZone), config });
    const d = await callerFor("alice").promotion.distribution();
    expect(d.bonuses).toEqual([expect.objectContaining({ salesFen: 30000, bps: 500, amountFen: 1500 })]);
    const notes = (await callerFor("alice").notification.list()).items.filter((n) => n.kind === "step_bonus");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain("¥15.00");
    // carol: 48770 at 500 bps = 2438 (floor of 2438.5)
    expect((await callerFor("carol").promotion.distribution()).bonuses).toEqual([expect.objectContaining({ amountFen: 2438 })]);
  });

  it("never takes another member's id and needs a session", async () => {
    const asAny = callerFor("bob").promotion as unknown as { distribution(i: unknown): Promise<unknown> };
    const d = (await asAny.distribution({ memberId: id.get("alice") })) as { distributor: { spentFen: number } };
    expect(d.distributor.spentFen).toBe(30000); // bob's own, the input is ignored
    expect((await refusal(callerOf(database.prisma, null).promotion.leaderboard())).code).toBe("UNAUTHORIZED");
  });
});
