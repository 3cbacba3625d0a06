// The back office's writes sent twice (a proxy's or browser's retry, a double submit past the disabled button): the
// stock dialog and the new-product form send one client key per submission, and the same key returns the first result,
// writing nothing; the key with other content is refused (409 from the router). Without a key nothing changes.
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { adjustStock, createSimpleProduct, saveProduct } from "../server/catalog/admin";
import { newClientKey, type ProductInput } from "../server/catalog/schema";
import { signedInStaff } from "./helpers/caller";
import { freshPglite } from "./helpers/db";

let database: Database;
const ACTOR = { staffId: 7, requestId: "req-keys" };
const OTHER = { staffId: 8, requestId: "req-keys-2" };
const now = new Date("2026-03-01T02:00:00Z");
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { now }, fn);
// Fresh for each test (the database is the file's): as the dialog makes them, 32 hex digits.
let KEY: string;
let KEY2: string;
const REUSED = { code: "CLIENT_KEY_REUSED" };

let skuId: number;
let otherSkuId: number;
const stockOf = async (id: number) => (await database.prisma.sku.findUniqueOrThrow({ where: { id } })).stock;
// Of this test's SKUs only (the audit log is append-only: nothing is emptied between tests).
const adjustments = () => database.prisma.stockAdjustment.count({ where: { skuId: { in: [skuId, otherSkuId] } } });
const stockAudits = () => database.prisma.auditLog.count({ where: { action: "catalog.stock.adjust", target: { in: [`sku:${skuId}`, `sku:${otherSkuId}`] } } });
const productAudits = () => database.prisma.auditLog.count({ where: { action: "catalog.product.create" } });

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.createMany({ data: [{ slug: "tea", name: "茗茶" }] });
});
afterAll(() => database.close());

beforeEach(async () => {
  [KEY, KEY2] = [newClientKey(), newClientKey()];
  skuId = (await run((c) => createSimpleProduct(c.tx, { sku: `T${Math.random().toString(36).slice(2, 8)}`, name: "龙井", priceFen: 100, category: "tea", stock: 10 }))).skus[0]!.id;
  otherSkuId = (await run((c) => createSimpleProduct(c.tx, { sku: `O${Math.random().toString(36).slice(2, 8)}`, name: "红茶", priceFen: 100, category: "tea", stock: 10 }))).skus[0]!.id;
});

describe("a stock adjustment sent again with its key", () => {
  it("returns the first adjustment's stock and applies the delta once: one adjustment row, one audit entry", async () => {
    const first = await run((c) => adjustStock(c, ACTOR, { skuId, delta: 5, reason: "到货入库", clientKey: KEY }));
    const again = await run((c) => adjustStock(c, ACTOR, { skuId, delta: 5, reason: "到货入库", clientKey: KEY }));
    // 10 in stock, +5 once.
    expect(first).toEqual({ skuId, stock: 15 });
    expect(again).toEqual({ skuId, stock: 15 });
    expect(await stockOf(skuId)).toBe(15);
    expect(await adjustments()).toBe(1);
    expect(await stockAudits()).toBe(1);

    // The next opening of the dialog is a new key: applied (15 + 3). The first key arriving late still returns its own 15.
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: 3, reason: "到货入库", clientKey: KEY2 }))).toEqual({ skuId, stock: 18 });
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: 5, reason: "到货入库", clientKey: KEY }))).toEqual({ skuId, stock: 15 });
    expect(await stockOf(skuId)).toBe(18);
    expect(await adjustments()).toBe(2);
    expect(await stockAudits()).toBe(2);
  });

  it("the key with another SKU, delta or reason is refused and writes nothing", async () => {
    await run((c) => adjustStock(c, ACTOR, { skuId, delta: -2, reason: "盘点损耗", clientKey: KEY }));
    for (const other of [
      { skuId: otherSkuId, delta: -2, reason: "盘点损耗" },
      { skuId, delta: -3, reason: "盘点损耗" },
      { skuId, delta: -2, reason: "破损" },
    ]) {
      await expect(run((c) => adjustStock(c, ACTOR, { ...other, clientKey: KEY }))).rejects.toMatchObject(REUSED);
    }
    expect([await stockOf(skuId), await stockOf(otherSkuId)]).toEqual([8, 10]);
    expect(await adjustments()).toBe(1);
    expect(await stockAudits()).toBe(1);
  });

  it("a refused adjustment uses no key: the corrected one with it is applied", async () => {
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: -11, reason: "盘点损耗", clientKey: KEY }))).rejects.toMatchObject({ code: "STOCK_BELOW_ZERO" });
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: -10, reason: "盘点损耗", clientKey: KEY }))).toEqual({ skuId, stock: 0 });
    expect(await adjustments()).toBe(1);
  });

  it("keys are each member of staff's own: another's dialog with the same key is its own adjustment", async () => {
    await run((c) => adjustStock(c, ACTOR, { skuId, delta: 1, reason: "到货入库", clientKey: KEY }));
    expect(await run((c) => adjustStock(c, OTHER, { skuId, delta: 1, reason: "到货入库", clientKey: KEY }))).toEqual({ skuId, stock: 12 });
    expect(await adjustments()).toBe(2);
  });

  it("without a key every call is an adjustment, as before", async () => {
    await run((c) => adjustStock(c, ACTOR, { skuId, delta: 4, reason: "到货入库" }));
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: 4, reason: "到货入库" }))).toEqual({ skuId, stock: 18 });
    expect(await adjustments()).toBe(2);
    expect(await stockAudits()).toBe(2);
  });

  it("a key that is not a short id is refused", async () => {
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: 1, reason: "到货入库", clientKey: "short" }))).rejects.toMatchObject({ code: "INVALID_ADJUSTMENT" });
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: 1, reason: "到货入库", clientKey: `${KEY}${KEY}x` }))).rejects.toMatchObject({ code: "INVALID_ADJUSTMENT" });
    expect(await adjustments()).toBe(0);
  });
});

const BODY: ProductInput = {
  name: "白茶礼盒",
  category: "tea",
  optionGroups: [{ name: "规格", values: ["100g", "250g"] }],
  skus: [
    { options: ["100g"], code: "", priceFen: 9_900, stock: 5 },
    { options: ["250g"], code: "", priceFen: 19_900, stock: 3 },
  ],
};

describe("a new product sent again with its form's key", () => {
  const products = () => database.prisma.product.count({ where: { name: BODY.name } });
  const skusOfBody = () => database.prisma.sku.count({ where: { product: { name: BODY.name } } });

  it("returns the first product and creates nothing more; another key or no key is another product", async () => {
    const audited = await productAudits();
    const key = "11111111-2222-3333-4444-555555555555";
    const first = await run((c) => saveProduct(c, ACTOR, null, { ...BODY, clientKey: key }));
    const again = await run((c) => saveProduct(c, ACTOR, null, { ...BODY, clientKey: key }));
    // The same body with its keys in another order (JSON sent again by another path) is the same create.
    const reordered = await run((c) => saveProduct(c, ACTOR, null, { clientKey: key, skus: BODY.skus, optionGroups: BODY.optionGroups, category: BODY.category, name: BODY.name }));
    expect(again).toEqual({ id: first.id });
    expect(reordered).toEqual({ id: first.id });
    expect(await products()).toBe(1);
    expect(await skusOfBody()).toBe(2);
    expect(await productAudits()).toBe(audited + 1);

    const other = await run((c) => saveProduct(c, ACTOR, null, { ...BODY, clientKey: "66666666-7777-8888-9999-000000000000" }));
    const plain1 = await run((c) => saveProduct(c, ACTOR, null, BODY));
    const plain2 = await run((c) => saveProduct(c, ACTOR, null, BODY));
    expect(new Set([first.id, other.id, plain1.id, plain2.id]).size).toBe(4);
    expect(await products()).toBe(4);
    expect(await productAudits()).toBe(audited + 4);
  });

  it("the key with another body is refused and writes nothing", async () => {
    const key = "aaaaaaaa-2222-3333-4444-555555555555";
    await run((c) => saveProduct(c, ACTOR, null, { ...BODY, clientKey: key }));
    const before = await products();
    const audited = await productAudits();
    await expect(run((c) => saveProduct(c, ACTOR, null, { ...BODY, name: "白茶礼盒（新）", clientKey: key }))).rejects.toMatchObject(REUSED);
    await expect(run((c) => saveProduct(c, ACTOR, null, { ...BODY, skus: [BODY.skus[0]!, { ...BODY.skus[1]!, stock: 4 }], clientKey: key }))).rejects.toMatchObject(REUSED);
    expect(await products()).toBe(before);
    expect(await database.prisma.product.count({ where: { name: "白茶礼盒（新）" } })).toBe(0);
    expect(await productAudits()).toBe(audited);
  });
});

describe("through the router", () => {
  it("a resent create gets its product back; a key reused with other content is a 409 with its code", async () => {
    const op = (await signedInStaff(database.prisma, "operator")).caller;
    const key = "bbbbbbbb-2222-3333-4444-555555555555";
    const first = await op.merchantCatalog.createProduct({ ...BODY, name: "路由白茶", clientKey: key });
    expect(await op.merchantCatalog.createProduct({ ...BODY, name: "路由白茶", clientKey: key })).toEqual({ id: first.id });
    expect(await database.prisma.product.count({ where: { name: "路由白茶" } })).toBe(1);

    await op.merchantCatalog.adjustStock({ skuId, delta: 2, reason: "到货入库", clientKey: KEY });
    expect(await op.merchantCatalog.adjustStock({ skuId, delta: 2, reason: "到货入库", clientKey: KEY })).toEqual({ skuId, stock: 12 });
    for (const call of [op.merchantCatalog.adjustStock({ skuId, delta: 20, reason: "到货入库", clientKey: KEY }), op.merchantCatalog.createProduct({ ...BODY, name: "路由红茶", clientKey: key })]) {
      const e = await call.then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(TRPCError);
      expect({ code: (e as TRPCError).code, status: getHTTPStatusCodeFromError(e as TRPCError), domainCode: ((e as TRPCError).cause as { code?: string }).code }).toEqual({
        code: "CONFLICT",
        status: 409,
        domainCode: "CLIENT_KEY_REUSED",
      });
    }
    expect(await stockOf(skuId)).toBe(12);
    expect(await adjustments()).toBe(1);
  });
});
