// The product page promises "分享赚 ¥X" only to a signed-in distributor (SPEC §4 分销资格): a visitor reading a
// shared link is no distributor and is promised no amount; a member not yet one is told how to become one
// (the promotion centre's wording); a frozen or suspended member is told nothing about earning.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { productOffer, shareStanding, shopProduct } from "../server/promotion/product-offer";
import { freshDatabase } from "./helpers/db";

const product = { category: "tea", skus: [{ id: 1, priceFen: 26_800 }] };
const member = { tier: "member", distributor: false, frozen: false };

describe("productOffer and shareStanding (pure)", () => {
  it.each(["everyone", "first_order"] as const)("a visitor is promised no commission in mode %s, the cashback stays", (distributorMode) => {
    const config = parseConfig({ commission: { distributorMode } });
    // 推三返一 100% of 268.00 is for the buyer (SPEC §5, no distributor status needed); the 10% L1 (26.80) is not theirs to promise.
    expect(productOffer(config, product, null)).toEqual([{ skuId: 1, shareEarnFen: 0, cashbackFen: 26_800 }]);
    expect(shareStanding(config, null)).toBeNull();
  });

  it("a distributor is promised the L1 amount; a member not yet one is told how to qualify, by mode", () => {
    const everyone = parseConfig({});
    // L1 10% of 268.00.
    expect(productOffer(everyone, product, { ...member, distributor: true })[0]!.shareEarnFen).toBe(2_680);
    expect(shareStanding(everyone, { ...member, distributor: true })).toEqual({ kind: "earn" });

    const firstOrder = parseConfig({ commission: { distributorMode: "first_order" } });
    expect(productOffer(firstOrder, product, member)[0]!.shareEarnFen).toBe(0);
    expect(shareStanding(firstOrder, member)).toEqual({ kind: "qualify", mode: "first_order" });

    const spend = parseConfig({ commission: { distributorMode: "spend", distributorMinSpendFen: 50_000 } });
    expect(shareStanding(spend, member)).toEqual({ kind: "qualify", mode: "spend", minSpendFen: 50_000 });
  });

  it("nothing about earning to a frozen or suspended member, nor while commissions are off", () => {
    const firstOrder = parseConfig({ commission: { distributorMode: "first_order" } });
    // Frozen: their commissions are forfeited even as a distributor.
    expect(shareStanding(firstOrder, { ...member, distributor: true, frozen: true })).toBeNull();
    // Suspended by staff: no payment gives the status back, so "完成首单即可成为分销员" would be untrue.
    expect(shareStanding(firstOrder, { ...member, suspended: true })).toBeNull();
    const off = parseConfig({ commission: { enabled: false } });
    expect(shareStanding(off, { ...member, distributor: true })).toBeNull();
    expect(productOffer(off, product, { ...member, distributor: true })[0]!.shareEarnFen).toBe(0);
  });
});

describe("shopProduct: the viewer's standing from their member row", () => {
  const t0 = new Date("2026-06-01T02:00:00Z");
  let database: Database;
  let productId: number;
  let config: MallConfig;

  const shop = async (c: MallConfig) => {
    config = c;
    await database.prisma.mallConfig.deleteMany();
    await database.prisma.mallConfig.create({ data: { data: c as object } });
  };
  const reg = (username: string) => inTx(database.prisma, { now: t0, config }, (ctx) => registerMember(ctx, { username }));
  const page = async (viewerId: number | null, now = new Date(t0.getTime() + DAY)) => (await shopProduct(database.prisma, config, productId, viewerId, now))!;

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    productId = (await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 26_800, category: "tea", stock: 50 })).id;
  });
  afterEach(() => database.close());

  it("first_order: a new member is told to complete a first order, and is promised 分享赚 once it is paid", async () => {
    await shop(parseConfig({ commission: { distributorMode: "first_order" } }));
    const m = await reg("new");
    const before = await page(m.id);
    expect(before.share).toEqual({ kind: "qualify", mode: "first_order" });
    expect(before.offers.map((o) => o.shareEarnFen)).toEqual([0]);
    const visitor = await page(null);
    expect(visitor.share).toBeNull();
    expect(visitor.offers.map((o) => o.shareEarnFen)).toEqual([0]);

    const now = new Date(t0.getTime() + DAY);
    const o = await inTx(database.prisma, { now, config }, (ctx) => createOrder(ctx, { memberId: m.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(database.prisma, { now, config }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    const after = await page(m.id, new Date(now.getTime() + 1_000));
    expect(after.share).toEqual({ kind: "earn" });
    // L1 10% of 268.00.
    expect(after.offers.map((o) => o.shareEarnFen)).toEqual([2_680]);
  });

  it("everyone: a member is a distributor from sign-up; one suspended by staff is promised nothing", async () => {
    await shop(parseConfig({}));
    const a = await reg("a");
    expect((await page(a.id)).share).toEqual({ kind: "earn" });
    await database.prisma.member.update({ where: { id: a.id }, data: { distributorDisabledAt: t0 } });
    const suspended = await page(a.id);
    expect(suspended.share).toBeNull();
    expect(suspended.offers.map((o) => o.shareEarnFen)).toEqual([0]);
  });
});
