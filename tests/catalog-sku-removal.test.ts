// Editing a product's option values removes the SKUs of the combinations that are gone (server/catalog/admin.ts,
// app/merchant/products/form.ts): the editor names them with their stock and orders before saving; new combinations
// start without a price (none copied from the first row); the stock leaving with a removed SKU is in the stock log
// (规格删除); orders keep showing what was bought. SKU lists come in one stable order (the combinations').
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder } from "../server/orders";
import { adjustStock, getProductForMerchant, listProductsForMerchant, saveProduct } from "../server/catalog/admin";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { matrixRows, parsedGroups, productForm, removedSkus, toFormValues } from "@/app/merchant/products/form";
import { removedSkuText } from "@/app/merchant/products/ProductEditor";
import { freshPglite } from "./helpers/db";

let database: Database;
let buyer: number;
const ACTOR = { staffId: 31, requestId: "req-sku-removal" };
const now = new Date("2026-03-01T02:00:00Z");
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { now }, fn);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.createMany({ data: [{ slug: "apparel", name: "服饰" }] });
  buyer = (await run((c) => registerMember(c, { username: "sku-buyer" }))).id;
});
afterAll(() => database.close());

describe("changing 颜色 from 红 蓝 to 红 黑", () => {
  it("names the 蓝 SKUs with stock and orders, leaves 黑 unpriced, logs the removed stock, keeps the order's SKU", async () => {
    const { id } = await run((c) =>
      saveProduct(c, ACTOR, null, {
        name: "速干T恤",
        category: "apparel",
        optionGroups: [{ name: "颜色", values: ["红", "蓝"] }, { name: "尺码", values: ["M", "L"] }],
        skus: [
          { options: ["红", "M"], code: "", priceFen: 4950, stock: 2 },
          { options: ["红", "L"], code: "", priceFen: 5950, stock: 4 },
          { options: ["蓝", "M"], code: "", priceFen: 4950, stock: 6 },
          { options: ["蓝", "L"], code: "", priceFen: 5950, stock: 3 },
        ],
      }),
    );
    // One 蓝/M sold: 6 → 5 in stock, one order line.
    const order = await run((c) => createOrder(c, { memberId: buyer, lines: [{ sku: `P${id}-3`, qty: 1 }] }));

    const loaded = (await run((c) => getProductForMerchant(c, id)))!;
    const values = toFormValues(loaded);
    expect(values.skus.map((s) => [s.code, s.stock, s.orders])).toEqual([
      [`P${id}-1`, "2", 0],
      [`P${id}-2`, "4", 0],
      [`P${id}-3`, "5", 1],
      [`P${id}-4`, "3", 0],
    ]);
    // The merchant types 红 黑: the form's matrix keeps the 红 rows, and the 黑 rows start without a price or stock.
    const groups = [{ name: "颜色", values: "红 黑" }, { name: "尺码", values: "M L" }];
    const rows = matrixRows(parsedGroups(groups), values.skus);
    expect(rows.map((r) => [r.options.join("/"), r.code, r.price, r.stock])).toEqual([
      ["红/M", `P${id}-1`, "49.50", "2"],
      ["红/L", `P${id}-2`, "59.50", "4"],
      ["黑/M", "", "", ""],
      ["黑/L", "", "", ""],
    ]);
    // Saving as is is refused by the form: the new rows need a price.
    const blank = productForm(zh).safeParse({ ...values, groups, skus: rows });
    expect(blank.success).toBe(false);
    expect(blank.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["skus.2.price", "skus.3.price"]));

    // Priced, it parses; before saving, the editor names the two 蓝 SKUs with their stock, and the sold one's order.
    const priced = rows.map((r, i) => (i >= 2 ? { ...r, price: "52", stock: "7" } : r));
    const parsed = productForm(zh).parse({ ...values, groups, skus: priced });
    const removed = removedSkus(values.skus, parsed.skus);
    expect(removed).toEqual([
      { code: `P${id}-3`, options: ["蓝", "M"], stock: 5, orders: 1 },
      { code: `P${id}-4`, options: ["蓝", "L"], stock: 3, orders: 0 },
    ]);
    expect(removed.map((r) => removedSkuText(zh, r))).toEqual([`P${id}-3（蓝 / M）：库存 5 件，已有 1 笔订单`, `P${id}-4（蓝 / L）：库存 3 件`]);
    expect(removedSkuText(en, removed[0]!)).toBe(`P${id}-3 (蓝 / M): 5 in stock, orders so far: 1`);
    // A save keeping every combination removes nothing.
    expect(removedSkus(values.skus, values.skus)).toEqual([]);

    await run((c) => saveProduct(c, ACTOR, id, parsed, loaded.version));
    const blue = await database.prisma.sku.findMany({ where: { productId: id, options: { has: "蓝" } }, orderBy: { id: "asc" } });
    expect(blue.map((s) => [s.code, s.active, s.stock])).toEqual([
      [`P${id}-3`, false, 0],
      [`P${id}-4`, false, 0],
    ]);
    const log = await database.prisma.stockAdjustment.findMany({ where: { skuId: { in: blue.map((s) => s.id) } }, orderBy: { skuId: "asc" } });
    expect(log.map((a) => [a.skuId, a.delta, a.stockAfter, a.reason, a.actorId])).toEqual([
      [blue[0]!.id, -5, 0, "规格删除", 31],
      [blue[1]!.id, -3, 0, "规格删除", 31],
    ]);
    // The order still shows what was bought, its line pointing at the (kept, inactive) SKU.
    const line = await database.prisma.orderLine.findFirstOrThrow({ where: { orderId: order.id }, include: { sku: true } });
    expect(line).toMatchObject({ skuLabel: "颜色：蓝；尺码：M", sku: { code: `P${id}-3`, active: false } });
  });
});

describe("SKU order", () => {
  it("the list, the editor and the audit entry list SKUs in the combinations' order, however the rows were last written", async () => {
    const { id } = await run((c) =>
      saveProduct(c, ACTOR, null, {
        name: "帆布袋",
        category: "apparel",
        optionGroups: [{ name: "颜色", values: ["米", "黑", "蓝", "绿"] }],
        skus: ["米", "黑", "蓝", "绿"].map((v) => ({ options: [v], code: "", priceFen: 1990, stock: 10 })),
      }),
    );
    const codes = [1, 2, 3, 4].map((n) => `P${id}-${n}`);
    // Stock changes rewrite the first two rows (the database now finds them after the others).
    for (const code of codes.slice(0, 2)) {
      const sku = await database.prisma.sku.findUniqueOrThrow({ where: { code } });
      await run((c) => adjustStock(c, ACTOR, { skuId: sku.id, delta: 1, reason: "到货入库" }));
    }
    const listed = (await listProductsForMerchant({ tx: database.prisma }, { q: "帆布袋" })).items[0]!;
    expect(listed.codes).toEqual(codes);
    const loaded = (await run((c) => getProductForMerchant(c, id)))!;
    expect(loaded.skus.map((s) => s.code)).toEqual(codes);
    // A save changing a price: the audit entry's before and after both in the combinations' order.
    await run((c) =>
      saveProduct(c, ACTOR, id, { ...loaded, skus: loaded.skus.map((s, i) => ({ options: s.options, code: s.code, priceFen: i === 3 ? 2490 : s.priceFen, stock: s.stock, baseStock: s.baseStock, imageUrl: s.imageUrl })) }, loaded.version),
    );
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "catalog.product.update", target: `product:${id}` } });
    expect((entry.before as { skus: { code: string }[] }).skus.map((s) => s.code)).toEqual(codes);
    expect((entry.after as { skus: { code: string }[] }).skus.map((s) => s.code)).toEqual(codes);
  });
});
