// The demo seed hangs together as a merchant demoing the product reads it (W1 finding 6): no team bonus to a member who
// is not a partner, rewards paid within the seeded period stay below what was sold, the funnel has link visits for its
// referred sign-ups, and 李姐's demo withdrawal is funded by money with a recorded reason. Its catalogue has what a real
// shop's has: a product whose shopper chooses a 规格 among SKUs at their own prices, one of them sold out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { seedDemo } from "../prisma/seed";
import { getProduct, summarizeSkus } from "../server/catalog";
import { freshDatabase } from "./helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.prisma, new Date("2026-11-20T04:00:00Z"));
});
afterAll(() => database.close());

const REWARD_KINDS = ["commission_settle", "rebate_pay", "team_bonus", "step_bonus"];

describe("the demo seed's figures", () => {
  it("pays no team bonus to a member who is not a partner", async () => {
    const db = database.prisma;
    const credited = await db.ledgerEntry.findMany({ where: { txn: { kind: "team_bonus" }, memberId: { not: null } }, select: { memberId: true } });
    const members = await db.member.findMany({ where: { id: { in: credited.map((e) => e.memberId!) } }, select: { tier: true } });
    // Nine shoppers, none with the 10 directs a partner needs (SPEC §7): nobody earns a team bonus.
    expect(members.filter((m) => m.tier !== "partner")).toEqual([]);
    expect(await db.teamBonus.count()).toBe(0);
  });

  it("pays out less in rewards than the seeded orders sold", async () => {
    const db = database.prisma;
    const gmv = await db.order.aggregate({ where: { paidAt: { not: null } }, _sum: { goodsFen: true } });
    const rewards = await db.ledgerEntry.aggregate({ where: { txn: { kind: { in: REWARD_KINDS } }, memberId: { not: null }, bucket: { in: ["available", "credit"] } }, _sum: { amountFen: true } });
    const gmvFen = gmv._sum.goodsFen ?? 0;
    expect(gmvFen).toBeGreaterThan(0);
    expect(rewards._sum.amountFen ?? 0).toBeLessThanOrEqual(gmvFen);
  });

  it("has at least one link visit per referred sign-up, for each sponsor", async () => {
    const db = database.prisma;
    const sponsors = await db.member.groupBy({ by: ["sponsorId"], where: { sponsorId: { not: null } }, _count: { _all: true } });
    // 李姐, 张老师, 小陈 and 刘阿姨's invitees and 王店长's three: 8 referred sign-ups.
    expect(sponsors.reduce((n, s) => n + s._count._all, 0)).toBe(8);
    for (const s of sponsors) expect(await db.referralVisit.count({ where: { memberId: s.sponsorId! } })).toBeGreaterThanOrEqual(s._count._all);
  });

  it("funds 李姐's ¥2,500 withdrawal by a two-person 调账 with its reason, the withdrawal still awaiting review", async () => {
    const db = database.prisma;
    const li = await db.member.findUniqueOrThrow({ where: { username: "demo_li" }, select: { id: true } });
    const adjustments = await db.ledgerAdjustment.findMany({ where: { memberId: li.id } });
    expect(adjustments).toHaveLength(1);
    const [a] = adjustments;
    expect(a).toMatchObject({ bucket: "available", amountFen: 300_000, status: "APPLIED" });
    expect(a!.reason.length).toBeGreaterThan(2);
    expect(a!.decidedById).not.toBe(a!.requestedById);
    const withdrawals = await db.withdrawal.findMany({ where: { memberId: li.id }, select: { amountFen: true, status: true } });
    expect(withdrawals).toEqual([{ amountFen: 250_000, status: "PENDING_REVIEW" }]);
  });

  it("has a product with a 规格 to choose: on-sale SKUs at different prices, a sold-out one next to ones in stock", async () => {
    const db = database.prisma;
    const ids = await db.product.findMany({ where: { active: true }, select: { id: true }, orderBy: { id: "asc" } });
    // As the product page reads them (on-sale SKUs only, with the option groups the SKU picker shows).
    const pages = (await Promise.all(ids.map((p) => getProduct(db, p.id)))).filter((p) => p !== null);
    const choosing = pages.filter((p) => p.optionGroups.length > 0 && p.skus.length >= 2);
    const product = choosing.find((p) => p.skus.some((s) => s.stock === 0) && p.skus.some((s) => s.stock > 0));
    expect(product, "no seeded product with several SKUs, one sold out and one in stock").toBeDefined();
    const { optionGroups, skus } = product!;
    // One SKU per value of its group, in the group's order: every choice the picker offers leads to a SKU.
    expect(optionGroups).toHaveLength(1);
    expect(skus.map((s) => s.options)).toEqual(optionGroups[0]!.values.map((v) => [v]));
    expect(new Set(skus.map((s) => s.priceFen)).size).toBe(skus.length);
    expect(new Set(skus.map((s) => s.code)).size).toBe(skus.length);
    // Still orderable as a product: its stock is that of the SKUs in stock, not zero.
    expect(summarizeSkus(skus).stock).toBeGreaterThan(0);
  });
});
