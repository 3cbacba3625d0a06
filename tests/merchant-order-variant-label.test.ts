// The back office shows which 规格 was bought (walker: the order detail showed only the SKU code).
// OrderLine.skuLabel is a snapshot taken when the order is placed; the orders list, its CSV and the
// after-sales queue read it, so renaming 蓝 → 黑 and deactivating the SKU later change nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../server/orders";
import { requestRefund } from "../server/aftersales";
import { listRefundRequests } from "../server/aftersales/view";
import { createSimpleProduct } from "../server/catalog/admin";
import { merchantOrderDetail, searchOrders } from "../server/orders/merchant";
import { exportDefinition } from "../server/exports/registry";
import { csvStream } from "../server/exports/csv";
import { lineText, linesSummary } from "../server/orders/line-summary";
import { freshPglite } from "./helpers/db";

describe("linesSummary (pure)", () => {
  it("names the variant in full-width brackets, and nothing for a product without options", () => {
    expect(lineText({ product: { name: "W3 测试T恤 纯棉" }, skuLabel: "颜色：蓝；尺码：S", qty: 2 })).toBe("W3 测试T恤 纯棉（颜色：蓝；尺码：S） ×2");
    expect(lineText({ product: { name: "龙井" }, skuLabel: "", qty: 1 })).toBe("龙井 ×1");
    expect(
      linesSummary([
        { product: { name: "T恤" }, skuLabel: "颜色：蓝；尺码：S", qty: 1 },
        { product: { name: "龙井" }, skuLabel: "", qty: 3 },
      ]),
    ).toBe("T恤（颜色：蓝；尺码：S） ×1，龙井 ×3");
  });
});

describe("the variant as bought, after the merchant renames the option and drops the SKU", () => {
  let database: Database;
  const config = parseConfig({});
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);
  beforeEach(async () => {
    database = await freshPglite();
  });
  afterEach(() => database.close());

  it("order detail, orders list, orders CSV and after-sales queue all read 颜色：蓝；尺码：S", async () => {
    await database.prisma.category.create({ data: { slug: "wear", name: "服饰" } });
    await createSimpleProduct(database.prisma, { sku: "P17-3", name: "W3 测试T恤 纯棉", priceFen: 5_000, category: "wear", stock: 10 });
    const sku = await database.prisma.sku.findUniqueOrThrow({ where: { code: "P17-3" } });
    // Make it a variant product: 颜色 蓝, 尺码 S.
    await database.prisma.product.update({ where: { id: sku.productId }, data: { optionGroups: [{ name: "颜色", values: ["蓝"] }, { name: "尺码", values: ["S"] }] } });
    await database.prisma.sku.update({ where: { id: sku.id }, data: { options: ["蓝", "S"], optionKey: "蓝\u001fS" } });

    const buyer = (await run((ctx) => registerMember(ctx, { username: "buyer", nickname: "买家甲", ip: "1.1.1.1", device: "d" }))).id;
    const order = await run((ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "P17-3", qty: 1 }], address: "地址" }));
    await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `SBX-${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
    await run((ctx) => shipOrder(ctx, order.id));
    await run((ctx) => requestRefund(ctx, buyer, order.id, { reason: "damaged", detail: "破了" }));

    // The merchant renames 蓝 to 黑 and the SKU is deactivated (never deleted: order history).
    await database.prisma.product.update({ where: { id: sku.productId }, data: { optionGroups: [{ name: "颜色", values: ["黑"] }, { name: "尺码", values: ["S"] }] } });
    await database.prisma.sku.update({ where: { id: sku.id }, data: { options: ["黑", "S"], optionKey: "黑\u001fS", active: false } });

    const want = "W3 测试T恤 纯棉（颜色：蓝；尺码：S） ×1";
    const detail = await run((ctx) => merchantOrderDetail(ctx, order.id, { revealAddress: false }));
    expect(detail?.lines).toMatchObject([{ product: "W3 测试T恤 纯棉", sku: "P17-3", skuLabel: "颜色：蓝；尺码：S" }]);
    expect((await run((ctx) => searchOrders(ctx, {}))).items.map((i) => i.summary)).toEqual([want]);
    expect((await run((ctx) => listRefundRequests(ctx, {}))).items.map((i) => i.order.summary)).toEqual([want]);

    const def = exportDefinition("orders")!;
    const stream = csvStream(def.columns("Asia/Shanghai"), def.rows(database.prisma, def.fromSearch(new URLSearchParams(""))!, "Asia/Shanghai"));
    const csv = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8").slice(1).trim().split("\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${want},1,`);
  });
});
