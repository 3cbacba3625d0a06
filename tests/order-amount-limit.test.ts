// An order's amounts are int4 columns (at most 2 147 483 647 fen, 21 474 836.47 元), while the catalogue takes
// prices up to 1 000 000 元 and the cart 99 pieces: an order above the columns is refused (ORDER_TOO_LARGE,
// nothing taken from stock), and the checkout preview says so on its lines before the shopper submits.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { MAX_PRICE_FEN } from "../server/catalog/schema";
import { MAX_CART_QTY } from "../server/cart/limits";
import { createOrder } from "../server/orders";
import { checkoutPreview } from "../server/orders/checkout";
import { createT } from "../lib/i18n/core";
import { en } from "../lib/i18n/messages/en";
import { errorText } from "../lib/i18n/labels";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
const now = new Date("2026-03-01T02:00:00Z");
// 216 918.67 元: 99 of them are 21 474 948.33 元, 11 186 fen above the int4 columns.
const BAR_FEN = 21_691_867;
let database: Database;
let buyer: number;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "gold", name: "黄金" } });
  await createSimpleProduct(database.prisma, { sku: "BAR", name: "金条", priceFen: BAR_FEN, category: "gold", stock: 1000 });
  await createSimpleProduct(database.prisma, { sku: "COIN", name: "金币", priceFen: 1_000_000, category: "gold", stock: 1000 });
  buyer = (await inTx(database.prisma, { config, now }, (ctx) => registerMember(ctx, { username: "rich" }))).id;
});
afterEach(() => database.close());

const order = (lines: { sku: string; qty: number }[]) => inTx(database.prisma, { config, now }, (c) => createOrder(c, { memberId: buyer, lines }));
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof DomainError ? { code: e.code, message: e.message } : e));
const preview = (qty: number) => inTx(database.prisma, { config, now }, (c) => checkoutPreview(c, buyer, { kind: "buyNow", sku: "BAR", qty }));

describe("an order above the int4 amount columns", () => {
  it("the price is one the catalogue accepts, the quantity one the cart accepts", () => {
    expect(BAR_FEN).toBeLessThanOrEqual(MAX_PRICE_FEN);
    expect(MAX_CART_QTY).toBe(99);
  });

  it(`${MAX_CART_QTY} bars: refused ORDER_TOO_LARGE (zh and en), no stock taken, no order`, async () => {
    const refused = await refusal(order([{ sku: "BAR", qty: MAX_CART_QTY }]));
    expect(refused).toEqual({ code: "ORDER_TOO_LARGE", message: "单笔订单金额过大，请分开下单" });
    expect(errorText(createT("en", en), { message: "单笔订单金额过大，请分开下单", data: { domainCode: "ORDER_TOO_LARGE" } })).toBe(
      "This order's amount is too large: please split it into several orders",
    );
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "BAR" } })).stock).toBe(1000);
    expect(await database.prisma.order.count()).toBe(0);
  });

  it("lines under the limit each, over it together: refused; one piece less is an order", async () => {
    // 98 bars are 2 125 802 966 fen, leaving 21 680 681: 22 coins of 10 000 元 pass it, 21 do not.
    expect(await refusal(order([{ sku: "BAR", qty: 98 }, { sku: "COIN", qty: 22 }]))).toMatchObject({ code: "ORDER_TOO_LARGE" });
    expect((await order([{ sku: "BAR", qty: 98 }, { sku: "COIN", qty: 21 }])).goodsFen).toBe(2_146_802_966);
  });

  it("98 bars (21 258 029.66 元) are an order", async () => {
    const placed = await order([{ sku: "BAR", qty: 98 }]);
    expect([placed.goodsFen, placed.payableFen]).toEqual([2_125_802_966, 2_125_802_966]);
  });

  it("the checkout preview of 99 bars flags the line and cannot be submitted; of 98 it can", async () => {
    const big = await preview(MAX_CART_QTY);
    expect(big.ok).toBe(false);
    expect(big.lines.map((l) => l.problem)).toEqual(["单笔订单金额过大，请分开下单"]);
    const fine = await preview(98);
    expect(fine.ok).toBe(true);
    expect(fine.lines.map((l) => l.problem)).toEqual([null]);
  });
});
