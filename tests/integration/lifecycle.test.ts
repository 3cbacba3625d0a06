// Order lifecycle timers not visible in scenarios (auto-delivery 10 days after shipping) and tier
// benefits (own-order discount, commission bonus) with the tier-change notification.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment, shipOrder } from "../../server/orders";
import { runDueTransitions } from "../../server/scheduler";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { createSimpleProduct } from "../../server/catalog/admin";

let database: Database;
const t0 = new Date("2026-05-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 50 });
});
afterEach(() => database.close());

async function paidOrder(config: MallConfig, memberId: number, now: Date) {
  const o = await inTx(database.prisma, { config, now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(database.prisma, { config, now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}

describe("order timers", () => {
  it("delivers automatically 10 days after shipping and completes after the return window", async () => {
    const config = parseConfig({});
    const buyer = await inTx(database.prisma, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "b" }));
    const o = await paidOrder(config, buyer.id, t0);
    await inTx(database.prisma, { config, now: t0 }, (ctx) => shipOrder(ctx, o.id));
    const status = async () => (await database.prisma.order.findUniqueOrThrow({ where: { id: o.id } })).status;
    await runDueTransitions(database.prisma, new Date(at(10).getTime() - 1), { config, clock: "due" });
    expect(await status()).toBe("SHIPPED");
    await runDueTransitions(database.prisma, at(10), { config, clock: "due" });
    expect(await status()).toBe("DELIVERED");
    await runDueTransitions(database.prisma, at(17), { config, clock: "due" });
    expect(await status()).toBe("COMPLETED");
  });
});

describe("tier benefits", () => {
  it("a promoter gets the own-order discount and a commission bonus; the tier change is notified", async () => {
    const config = parseConfig({
      tiers: [
        { name: "member" },
        { name: "promoter", minDirects: 1, benefits: { discountBps: 500, commissionBonusBps: 300, priorityShipping: true } },
      ],
    });
    const p = await inTx(database.prisma, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "p" }));
    const d = await inTx(database.prisma, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "d", sponsorId: p.id }));
    await paidOrder(config, d.id, t0); // d's first paid order makes p a promoter (1 qualified direct)
    const promoter = await database.prisma.member.findUniqueOrThrow({ where: { id: p.id } });
    expect(promoter.tier).toBe("promoter");
    expect((await database.prisma.notification.findMany({ where: { memberId: p.id, kind: "tier" } })).length).toBe(1);
    // p's own order: 5% off 10000 → 9500 goods.
    const own = await paidOrder(config, p.id, at(1));
    expect(own.goodsFen).toBe(9_500);
    // d's second order: p earns L1 1000 bps + 300 bps bonus = 1300 fen.
    const second = await paidOrder(config, d.id, at(2));
    const c = await database.prisma.commission.findFirstOrThrow({ where: { orderId: second.id } });
    expect(c).toMatchObject({ beneficiaryId: p.id, level: 1, amountFen: 1_300 });
  });
});
