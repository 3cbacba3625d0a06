// The mall's product rules: search (title and category words, partial Chinese input), sorts, sales
// counts from paid orders, stock in words, and the product page's "分享赚 ¥X" / 推三返一 amounts from
// the rules in force.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { createSimpleProduct } from "../server/catalog/admin";
import { bigramsOf, salesCounts, searchProducts, searchTerms } from "../server/catalog";
import { stockState } from "../server/catalog/stock";
import { productOffer } from "../server/promotion/product-offer";
import { registerMember } from "../server/referral";
import { cancelUnpaidOrder, completeOrder, confirmDelivery, confirmPayment, createOrder, refundOrder, shipOrder } from "../server/orders";
import { foldKpiFacts } from "../server/kpi/daily";
import { MIGRATIONS_DIR } from "../server/db/schema-engine";
import { freshPglite } from "./helpers/db";

describe("search words", () => {
  it("splits on spaces and Chinese or ASCII punctuation", () => {
    expect(searchTerms(" 西湖 龙井，新茶 ")).toEqual(["西湖", "龙井", "新茶"]);
    expect(searchTerms("a,b;c d e f g")).toEqual(["a", "b", "c", "d", "e"]);
    expect(searchTerms("")).toEqual([]);
  });
  it("two-character pieces of words of three characters or more", () => {
    expect(bigramsOf(["龙井绿茶"])).toEqual(["龙井", "井绿", "绿茶"]);
    expect(bigramsOf(["茶"])).toEqual([]);
  });
});

describe("stock in words", () => {
  it.each([
    [0, "sold_out"],
    [-1, "sold_out"],
    [1, "low"],
    [10, "low"],
    [11, "in_stock"],
  ] as const)("%i → %s", (n, state) => expect(stockState(n)).toBe(state));
});

describe("product offer (rules in force)", () => {
  const product = { category: "tea", skus: [{ id: 1, priceFen: 26_800 }, { id: 2, priceFen: 999 }] };
  it("L1 commission per piece (to a distributor) and the 推三返一 cashback, per SKU", () => {
    // 10% of 268.00 = 26.80; of 9.99 = floor(99.9) = 99 fen. Cashback 100%. A visitor: tests/product-share-offer.test.ts.
    expect(productOffer(parseConfig({}), product, { tier: "member", distributor: true, frozen: false })).toEqual([
      { skuId: 1, shareEarnFen: 2_680, cashbackFen: 26_800 },
      { skuId: 2, shareEarnFen: 99, cashbackFen: 999 },
    ]);
  });
  it("a category's own rates, the cap, the minimum anchor and the sharer's tier bonus", () => {
    const config = parseConfig({
      commission: { categoryRatesBps: { tea: [300, 100, 50] } },
      rebate: { percent: 50, capFen: 10_000, minAnchorFen: 1_000 },
      tiers: [{ name: "member" }, { name: "promoter", minDirects: 3, benefits: { commissionBonusBps: 200 } }],
    });
    // 3% of 268.00 = 8.04; with +2% bonus 5% = 13.40. Cashback min(134.00, 100.00); 9.99 is under the 10.00 minimum.
    expect(productOffer(config, product, { tier: "member", distributor: true, frozen: false })).toEqual([
      { skuId: 1, shareEarnFen: 804, cashbackFen: 10_000 },
      { skuId: 2, shareEarnFen: 29, cashbackFen: 0 },
    ]);
    expect(productOffer(config, product, { tier: "promoter", distributor: true, frozen: false })[0]).toMatchObject({ shareEarnFen: 1_340 });
  });
  it("the cashback is reckoned on what the viewer would pay after their tier discount", () => {
    const config = parseConfig({ rebate: { minAnchorFen: 1_000 }, tiers: [{ name: "member" }, { name: "vip", minDirects: 3, benefits: { discountBps: 1_000 } }] });
    const skus = { category: "tea", skus: [{ id: 1, priceFen: 26_800 }, { id: 2, priceFen: 1_000 }] };
    // 268.00 − 10% = 241.20 back at 100%; 10.00 − 1.00 = 9.00 is under the 10.00 minimum: no task would open.
    expect(productOffer(config, skus, { tier: "vip", distributor: true, frozen: false }).map((o) => o.cashbackFen)).toEqual([24_120, 0]);
    expect(productOffer(config, skus, null).map((o) => o.cashbackFen)).toEqual([26_800, 1_000]);
  });
  it("promises no commission to a viewer who is not a distributor yet; the cashback stays (推三返一 asks for none)", () => {
    expect(productOffer(parseConfig({}), product, { tier: "member", distributor: false, frozen: false })).toEqual([
      { skuId: 1, shareEarnFen: 0, cashbackFen: 26_800 },
      { skuId: 2, shareEarnFen: 0, cashbackFen: 999 },
    ]);
  });
  it("promises a frozen viewer neither: their commissions are forfeited and their new paid orders open no task (SPEC §5)", () => {
    expect(productOffer(parseConfig({}), product, { tier: "member", distributor: true, frozen: true })).toEqual([
      { skuId: 1, shareEarnFen: 0, cashbackFen: 0 },
      { skuId: 2, shareEarnFen: 0, cashbackFen: 0 },
    ]);
  });
  it("nothing to earn when the programs are off", () => {
    const config = parseConfig({ commission: { enabled: false }, rebate: { enabled: false } });
    expect(productOffer(config, product, null)).toEqual([
      { skuId: 1, shareEarnFen: 0, cashbackFen: 0 },
      { skuId: 2, shareEarnFen: 0, cashbackFen: 0 },
    ]);
  });
});

describe("searchProducts and sales counts", () => {
  let database: Database;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    database = await freshPglite();
    const db = database.prisma;
    await db.category.createMany({ data: [{ slug: "tea", name: "茗茶" }, { slug: "snacks", name: "休闲零食" }] });
    const made = [
      { sku: "longjing", name: "明前西湖龙井 250g", priceFen: 26_800, category: "tea", stock: 200 },
      { sku: "jasmine", name: "福州茉莉花茶", priceFen: 6_900, category: "tea", stock: 300 },
      { sku: "nuts", name: "每日坚果 Nuts 礼盒", priceFen: 12_900, category: "snacks", stock: 500 },
      { sku: "beef", name: "风干牛肉干", priceFen: 9_800, category: "snacks", stock: 260 },
    ];
    for (const [i, p] of made.entries()) {
      const created = await createSimpleProduct(db, p);
      ids[p.sku] = created.id;
      // Created a day apart: beef is the newest.
      await db.product.update({ where: { id: created.id }, data: { createdAt: new Date(Date.UTC(2026, 10, 1 + i)) } });
    }
    const config = parseConfig({});
    const buyer = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "buyer" }))).id;
    // Through the engine, as a shopper's orders go: the pieces sold come from its payment and refund facts.
    const day = 24 * 3600_000;
    const at = (n: number) => new Date(Date.UTC(2026, 10, 10) + n * day);
    const order = async (code: string, qty: number, then: "paid" | "completed" | "refunded" | "unpaid" | "cancelled") => {
      const o = await inTx(db, { config, now: at(0) }, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: code, qty }] }));
      if (then === "unpaid") return;
      if (then === "cancelled") return void (await inTx(db, { config, now: at(0) }, (ctx) => cancelUnpaidOrder(ctx, o.id, "shopper")));
      await inTx(db, { config, now: at(0) }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      if (then === "refunded") await inTx(db, { config, now: at(1) }, (ctx) => refundOrder(ctx, o.id));
      if (then === "completed") {
        await inTx(db, { config, now: at(1) }, (ctx) => shipOrder(ctx, o.id));
        await inTx(db, { config, now: at(2) }, (ctx) => confirmDelivery(ctx, o.id));
        expect(await inTx(db, { config, now: at(60) }, (ctx) => completeOrder(ctx, o.id))).toBe(true);
      }
    };
    // jasmine: 3 paid + 2 completed = 5; nuts: 4 paid; 9 refunded, 7 unpaid and 6 cancelled are not sold.
    await order("jasmine", 3, "paid");
    await order("jasmine", 2, "completed");
    await order("nuts", 4, "paid");
    await order("nuts", 9, "refunded");
    await order("nuts", 7, "unpaid");
    await order("nuts", 6, "cancelled");
    await foldKpiFacts(db);
  });
  afterAll(() => database.close());

  const names = (rows: { name: string }[]) => rows.map((r) => r.name);

  it("sales count only paid, unrefunded orders", async () => {
    const sales = await salesCounts(database.prisma, [ids.jasmine!, ids.nuts!, ids.beef!]);
    expect([sales.get(ids.jasmine!), sales.get(ids.nuts!), sales.get(ids.beef!) ?? 0]).toEqual([5, 4, 0]);
    // Folding again adds nothing: each payment and refund counts once.
    expect(await foldKpiFacts(database.prisma)).toBe(0);
    expect((await salesCounts(database.prisma, [ids.jasmine!, ids.nuts!])).get(ids.nuts!)).toBe(4);
  });

  it("the migration's backfill counts what the facts counted", async () => {
    const db = database.prisma;
    const dir = readdirSync(MIGRATIONS_DIR).find((d) => d.endsWith("_product_sales"))!;
    const sql = readFileSync(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf('INSERT INTO "ProductSales"'));
    const folded = await db.productSales.findMany({ orderBy: { productId: "asc" } });
    await db.$transaction(async (tx) => {
      await tx.productSales.deleteMany();
      await tx.$executeRawUnsafe(backfill);
      expect(await tx.productSales.findMany({ where: { soldQty: { not: 0 } }, orderBy: { productId: "asc" } })).toEqual(folded.filter((r) => r.soldQty !== 0));
    });
  });

  it("matches part of a title, a category name, ASCII case-insensitively, every word", async () => {
    expect(names(await searchProducts(database.prisma, { q: "龙井" }))).toEqual(["明前西湖龙井 250g"]);
    expect(names(await searchProducts(database.prisma, { q: "零食" }))).toEqual(["每日坚果 Nuts 礼盒", "风干牛肉干"]);
    expect(names(await searchProducts(database.prisma, { q: "nuts" }))).toEqual(["每日坚果 Nuts 礼盒"]);
    expect(names(await searchProducts(database.prisma, { q: "茗茶 茉莉" }))).toEqual(["福州茉莉花茶"]);
    expect(await searchProducts(database.prisma, { q: "咖啡" })).toEqual([]);
  });

  it("tolerates partial Chinese input: a longer phrase falls back to its two-character pieces", async () => {
    // "龙井绿茶" is in no title; its pieces "龙井" (longjing) and "绿茶"/"井绿" (none) find longjing.
    expect(names(await searchProducts(database.prisma, { q: "龙井绿茶" }))).toEqual(["明前西湖龙井 250g"]);
    // "茉莉花香" → "茉莉", "莉花" (jasmine ×2), "花香" (none).
    expect(names(await searchProducts(database.prisma, { q: "茉莉花香" }))).toEqual(["福州茉莉花茶"]);
  });

  it("sorts by price, sales and newest within a category", async () => {
    const tea = (sort: "price_asc" | "price_desc" | "sales" | "newest") => searchProducts(database.prisma, { category: "snacks", sort }).then(names);
    expect(await tea("price_asc")).toEqual(["风干牛肉干", "每日坚果 Nuts 礼盒"]);
    expect(await tea("price_desc")).toEqual(["每日坚果 Nuts 礼盒", "风干牛肉干"]);
    expect(await tea("sales")).toEqual(["每日坚果 Nuts 礼盒", "风干牛肉干"]);
    expect(await tea("newest")).toEqual(["风干牛肉干", "每日坚果 Nuts 礼盒"]);
    const all = await searchProducts(database.prisma, { sort: "sales" });
    expect(all.map((p) => [p.name, p.salesCount])).toEqual([
      ["福州茉莉花茶", 5],
      ["每日坚果 Nuts 礼盒", 4],
      ["明前西湖龙井 250g", 0],
      ["风干牛肉干", 0],
    ]);
  });
});
