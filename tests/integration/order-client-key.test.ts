// 提交订单 tapped twice (SPEC §1): the checkout page sends one key with every place; a second place with
// that key gets the first order back, and the stock (and store credit) are taken once. On PostgreSQL
// the two places overlap for real (FM_TEST_DB=postgres).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
const KEY = "0123456789abcdef0123456789abcdef";
let database: Database;
let buyer: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);
const stock = async () => (await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock;

async function setUp(teaStock: number) {
  await run(async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: teaStock });
  });
  buyer = (await run((ctx) => registerMember(ctx, { username: "b" }))).id;
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

describe("one checkout key, one order", () => {
  it("a second place with the key returns the first order, the stock and credit taken once; another key or buyer is another order", async () => {
    await setUp(6);
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:adjustment", buyer, "credit", 3_000));
    const place = (memberId: number, clientKey: string, creditFen = 0) =>
      run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 2 }], creditFen, clientKey }));
    const first = await place(buyer, KEY, 3_000);
    const again = await place(buyer, KEY, 3_000);
    expect(again.id).toBe(first.id);
    expect(again.orderNo).toBe(first.orderNo);
    expect(again.lines.map((l) => [l.skuId, l.qty])).toEqual(first.lines.map((l) => [l.skuId, l.qty]));
    expect(await database.prisma.order.count()).toBe(1);
    // 6 in stock, 2 taken once; 30 元 of credit spent once (2 × 100 元 goods, 170 元 to pay).
    expect(await stock()).toBe(4);
    expect(first.payableFen).toBe(17_000);
    expect((await walletOf({ tx: database.prisma }, buyer)).credit).toBe(0);

    // The key is the buyer's own: another member's checkout with the same key is their order; a new page is a new order.
    const other = (await run((ctx) => registerMember(ctx, { username: "o" }))).id;
    const theirs = await place(other, KEY);
    expect(theirs.memberId).toBe(other);
    const next = await place(buyer, "fedcba9876543210fedcba9876543210");
    expect(new Set([first.id, theirs.id, next.id]).size).toBe(3);
    expect(await stock()).toBe(0);
  });

  it.runIf(usingPostgres())("two places with one key at once, for the last piece: the second waits and gets the first's order", async () => {
    await setUp(1);
    const place = (ctx: Ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }], clientKey: KEY });
    let first: { id: number } | undefined;
    const second = await overlapping(
      run,
      async (ctx) => (first = await place(ctx)),
      place,
    );
    expect(second.id).toBe(first!.id);
    expect(await database.prisma.order.count()).toBe(1);
    expect(await stock()).toBe(0);
  });
});
