// Catalogue edits that used to lose data or break (server/catalog/admin): a save from a form loaded
// before someone else's save is refused instead of overwriting it (409 from the router); stock never
// goes above MAX_STOCK (adjustments and the editor's stock delta alike, never an integer overflow);
// generated SKU codes are always free, and codes can be swapped or reused within one product.
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { adjustStock, createSimpleProduct, getProductForMerchant, saveProduct, setProductShelf, setProductSort } from "../server/catalog/admin";
import type { ProductInput } from "../server/catalog/schema";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

let database: Database;
const ACTOR = { staffId: 7, requestId: "req-edits" };
// One instant for every transaction: versions must still move on with each change.
const now = new Date("2026-03-01T02:00:00Z");
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { now }, fn);
const load = async (id: number) => (await run((c) => getProductForMerchant(c, id)))!;
const STALE = { code: "STALE_PRODUCT", message: "商品已被他人修改，请刷新后再保存" };

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.createMany({ data: [{ slug: "apparel", name: "服饰" }, { slug: "tea", name: "茗茶" }] });
});
afterAll(() => database.close());

/** The form as the editor would send it back: each SKU with its loaded stock as baseStock. */
function form(p: Awaited<ReturnType<typeof load>>, change: Partial<ProductInput> = {}): ProductInput {
  return {
    name: p.name,
    category: p.category,
    optionGroups: p.optionGroups,
    skus: p.skus.map((s) => ({ options: s.options, code: s.code, priceFen: s.priceFen, stock: s.stock, baseStock: s.baseStock })),
    ...change,
  };
}

describe("concurrent edits of one product (optimistic concurrency)", () => {
  it("of two editors who loaded the same version, the second save is refused and the first one's changes stay", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "T", category: "apparel", optionGroups: [{ name: "色", values: ["red"] }], skus: [{ options: ["red"], code: "T-R", priceFen: 9900, stock: 5 }] }));
    const loaded = await load(id); // both editors open the form now
    // Editor A adds blue (100 pieces) and lowers red to 79.00.
    const a = form(loaded, {
      optionGroups: [{ name: "色", values: ["red", "blue"] }],
      skus: [
        { options: ["red"], code: "T-R", priceFen: 7900, stock: 5, baseStock: 5 },
        { options: ["blue"], code: "T-B", priceFen: 7900, stock: 100 },
      ],
    });
    await run((c) => saveProduct(c, ACTOR, id, a, loaded.version));
    // Editor B only retitles, from the form loaded before A saved: refused, nothing of it applied.
    await expect(run((c) => saveProduct(c, { staffId: 8, requestId: "b" }, id, form(loaded, { name: "T恤" }), loaded.version))).rejects.toMatchObject(STALE);
    const after = await load(id);
    expect({ name: after.name, groups: after.optionGroups, skus: after.skus.map((s) => [s.code, s.priceFen, s.stock]) }).toEqual({
      name: "T",
      groups: [{ name: "色", values: ["red", "blue"] }],
      skus: [
        ["T-R", 7900, 5],
        ["T-B", 7900, 100],
      ],
    });
    // B reloads (A's version) and saves: accepted, on top of A's changes.
    expect(after.version).not.toBe(loaded.version);
    await run((c) => saveProduct(c, ACTOR, id, form(after, { name: "T恤" }), after.version));
    const renamed = await load(id);
    expect([renamed.name, renamed.skus.length]).toEqual(["T恤", 2]);
    // Same transaction clock as the save before it, yet a new version: the old one is refused.
    await expect(run((c) => saveProduct(c, ACTOR, id, form(after), after.version))).rejects.toMatchObject(STALE);
    expect(await database.prisma.auditLog.count({ where: { action: "catalog.product.update", target: `product:${id}` } })).toBe(2);
  });

  it("a shelf or sort change since loading makes the form stale; stock adjustments do not (stock applies as a delta)", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "毛巾", category: "apparel", skus: [{ options: [], code: "TOWEL", priceFen: 1500, stock: 10 }] }));
    let loaded = await load(id);
    await run((c) => adjustStock(c, ACTOR, { skuId: loaded.skus[0]!.id, delta: 4, reason: "到货入库" }));
    await run((c) => saveProduct(c, ACTOR, id, form(loaded, { name: "浴巾" }), loaded.version));
    expect((await load(id)).skus[0]!.stock).toBe(14);

    loaded = await load(id);
    await run((c) => setProductShelf(c, ACTOR, id, false));
    // The form still says "on the shelf": saving it would silently put the product back.
    await expect(run((c) => saveProduct(c, ACTOR, id, form(loaded, { name: "大浴巾" }), loaded.version))).rejects.toMatchObject(STALE);
    expect((await load(id)).active).toBe(false);

    loaded = await load(id);
    await run((c) => setProductSort(c, ACTOR, id, 5));
    await expect(run((c) => saveProduct(c, ACTOR, id, form(loaded, { name: "大浴巾" }), loaded.version))).rejects.toMatchObject(STALE);
    expect((await load(id)).sort).toBe(5);
  });
});

describe("stock never above MAX_STOCK (10 000 000)", () => {
  it("an adjustment past the maximum is refused with a clear message; up to it is fine; the product stays editable", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "Tea", category: "tea", skus: [{ options: [], code: "TEA", priceFen: 100, stock: 9_999_990 }] }));
    const skuId = (await load(id)).skus[0]!.id;
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: 10, reason: "到货入库" }))).toEqual({ skuId, stock: 10_000_000 });
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: 5, reason: "到货入库" }))).rejects.toMatchObject({
      code: "STOCK_ABOVE_MAX",
      message: "库存不能超过 10000000 件：TEA 当前 10000000 件，最多还能增加 0 件",
    });
    // The largest single adjustment is refused too: a DomainError, never a database error; a larger one is invalid.
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: 10_000_000, reason: "到货入库" }))).rejects.toMatchObject({ code: "STOCK_ABOVE_MAX" });
    await expect(run((c) => adjustStock(c, ACTOR, { skuId, delta: 10_000_001, reason: "到货入库" }))).rejects.toMatchObject({ code: "INVALID_ADJUSTMENT", message: "一次最多增加 10000000 件" });
    expect(await database.prisma.stockAdjustment.count({ where: { skuId } })).toBe(1);
    // At the maximum, a price edit still saves.
    const p = await load(id);
    await run((c) => saveProduct(c, ACTOR, id, form(p, { skus: [{ options: [], code: "TEA", priceFen: 200, stock: p.skus[0]!.stock, baseStock: p.skus[0]!.baseStock }] }), p.version));
    expect((await load(id)).skus[0]).toMatchObject({ priceFen: 200, stock: 10_000_000 });
  });

  it("the editor's stock delta is bounded too: stock received while the form was open can make it refused, with nothing saved", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "Oolong", category: "tea", skus: [{ options: [], code: "OOLONG", priceFen: 100, stock: 9_999_000 }] }));
    const loaded = await load(id);
    // While the form is open, 1 000 arrive: stock 10 000 000.
    await run((c) => adjustStock(c, ACTOR, { skuId: loaded.skus[0]!.id, delta: 1_000, reason: "到货入库" }));
    // The form raises 9 999 000 → 10 000 000 (+1 000 on top of the current 10 000 000) and reprices.
    const edit = form(loaded, { skus: [{ options: [], code: "OOLONG", priceFen: 300, stock: 10_000_000, baseStock: 9_999_000 }] });
    await expect(run((c) => saveProduct(c, ACTOR, id, edit, loaded.version))).rejects.toMatchObject({
      code: "STOCK_ABOVE_MAX",
      message: "库存不能超过 10000000 件：OOLONG 当前 10000000 件，最多还能增加 0 件",
    });
    expect((await load(id)).skus[0]).toMatchObject({ priceFen: 100, stock: 10_000_000 });
  });

  it("stock left above the maximum by older data: a further increase is refused (no int4 overflow), a decrease is allowed", async () => {
    const p = await run((c) => createSimpleProduct(c.tx, { sku: "LEGACY", name: "旧数据", priceFen: 100, category: "tea", stock: 0 }));
    const skuId = p.skus[0]!.id;
    await database.prisma.sku.update({ where: { id: skuId }, data: { stock: 2_147_000_000 } });
    // 2 147 000 000 + 10 000 000 exceeds the integer column: refused before any arithmetic overflows.
    const e = await run((c) => adjustStock(c, ACTOR, { skuId, delta: 10_000_000, reason: "到货入库" })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: "STOCK_ABOVE_MAX", message: "库存不能超过 10000000 件：LEGACY 当前 2147000000 件，最多还能增加 0 件" });
    expect(await run((c) => adjustStock(c, ACTOR, { skuId, delta: -1, reason: "盘点损耗" }))).toEqual({ skuId, stock: 2_146_999_999 });
  });
});

describe("SKU codes", () => {
  const codes = async (id: number) => (await load(id)).skus.map((s) => [s.options[0], s.code]);
  /** The form with one colour group; `code(v)` sets a row's code ("" = blank), undefined keeps it. */
  const colours = (p: Awaited<ReturnType<typeof load>>, values: string[], code: (v: string) => string | undefined = () => undefined) => ({
    ...form(p),
    optionGroups: [{ name: "颜色", values }],
    skus: values.map((v) => {
      const s = p.skus.find((k) => k.options[0] === v);
      return s ? { options: [v], code: code(v) ?? s.code, priceFen: s.priceFen, stock: s.stock, baseStock: s.baseStock } : { options: [v], code: code(v) ?? "", priceFen: 100, stock: 1 };
    }),
  });

  it("generated codes continue after the product's highest generated number, wherever the new value is inserted", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "Polo", category: "apparel", optionGroups: [{ name: "颜色", values: ["red", "blue"] }], skus: [{ options: ["red"], priceFen: 100, stock: 1 }, { options: ["blue"], priceFen: 100, stock: 1 }] }));
    expect(await codes(id)).toEqual([["red", `P${id}-1`], ["blue", `P${id}-2`]]);
    let p = await load(id);
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["red", "blue", "green"]), p.version));
    expect(await codes(id)).toEqual([["red", `P${id}-1`], ["blue", `P${id}-2`], ["green", `P${id}-3`]]);
    p = await load(id);
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["red", "yellow", "blue", "green"]), p.version));
    expect(await codes(id)).toEqual([["red", `P${id}-1`], ["yellow", `P${id}-4`], ["blue", `P${id}-2`], ["green", `P${id}-3`]]);
  });

  it("a generated code skips one another product took by hand, and one typed in the same save", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "Cap", category: "apparel", optionGroups: [{ name: "颜色", values: ["red"] }], skus: [{ options: ["red"], priceFen: 100, stock: 1 }] }));
    await run((c) => saveProduct(c, ACTOR, null, { name: "Other", category: "apparel", skus: [{ options: [], code: `P${id}-2`, priceFen: 100, stock: 1 }] }));
    const p = await load(id);
    // blue and black are new; white is typed as P{id}-3 by the merchant.
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["blue", "red", "white", "black"], (v) => (v === "white" ? `P${id}-3` : undefined)), p.version));
    expect(await codes(id)).toEqual([["blue", `P${id}-4`], ["red", `P${id}-1`], ["white", `P${id}-3`], ["black", `P${id}-5`]]);
  });

  it("codes can be swapped and rotated within one product: each SKU (and its stock) keeps its combination", async () => {
    const { id } = await run((c) =>
      saveProduct(c, ACTOR, null, {
        name: "Sock",
        category: "apparel",
        optionGroups: [{ name: "颜色", values: ["red", "blue", "grey"] }],
        skus: [
          { options: ["red"], code: "SK-A", priceFen: 100, stock: 1 },
          { options: ["blue"], code: "SK-B", priceFen: 100, stock: 2 },
          { options: ["grey"], code: "SK-C", priceFen: 100, stock: 3 },
        ],
      }),
    );
    const ids = (await load(id)).skus.map((s) => s.id);
    let p = await load(id);
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["red", "blue", "grey"], (v) => ({ red: "SK-B", blue: "SK-A" })[v]), p.version));
    expect(await codes(id)).toEqual([["red", "SK-B"], ["blue", "SK-A"], ["grey", "SK-C"]]);
    p = await load(id);
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["red", "blue", "grey"], (v) => ({ red: "SK-C", blue: "SK-B", grey: "SK-A" })[v]), p.version));
    p = await load(id);
    expect(p.skus.map((s) => [s.id, s.code, s.stock])).toEqual([
      [ids[0], "SK-C", 1],
      [ids[1], "SK-B", 2],
      [ids[2], "SK-A", 3],
    ]);
    // A blank code whose old value another row now takes gets a generated one.
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["red", "blue", "grey"], (v) => ({ red: "SK-A", grey: "" })[v]), p.version));
    expect(await codes(id)).toEqual([["red", "SK-A"], ["blue", "SK-B"], ["grey", `P${id}-1`]]);
  });

  it("a dropped SKU gives up its code to the new matrix: it keeps code.id, or a generated code when that is taken", async () => {
    const { id } = await run((c) =>
      saveProduct(c, ACTOR, null, {
        name: "Scarf",
        category: "apparel",
        optionGroups: [{ name: "颜色", values: ["red", "blue"] }],
        skus: [
          { options: ["red"], code: "SC-R", priceFen: 100, stock: 1 },
          { options: ["blue"], code: "SC-B", priceFen: 100, stock: 1 },
        ],
      }),
    );
    const [red, blue] = (await load(id)).skus;
    await run((c) => saveProduct(c, ACTOR, null, { name: "Taken", category: "apparel", skus: [{ options: [], code: `SC-B.${blue!.id}`, priceFen: 100, stock: 1 }] }));
    let p = await load(id);
    // blue is dropped and green takes its code; "SC-B.{id}" belongs to another product.
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["red", "green"], (v) => (v === "green" ? "SC-B" : undefined)), p.version));
    expect(await codes(id)).toEqual([["red", "SC-R"], ["green", "SC-B"]]);
    expect(await database.prisma.sku.findUniqueOrThrow({ where: { id: blue!.id } })).toMatchObject({ active: false, code: `P${id}-1` });
    // red is dropped the same way: "SC-R.{id}" is free.
    p = await load(id);
    await run((c) => saveProduct(c, ACTOR, id, colours(p, ["green", "white"], (v) => (v === "white" ? "SC-R" : undefined)), p.version));
    expect(await database.prisma.sku.findUniqueOrThrow({ where: { id: red!.id } })).toMatchObject({ active: false, code: `SC-R.${red!.id}` });
  });

  it("a code another product uses is refused naming the code and that it is another product's", async () => {
    const { id } = await run((c) => saveProduct(c, ACTOR, null, { name: "Hat", category: "apparel", skus: [{ options: [], code: "HAT", priceFen: 100, stock: 1 }] }));
    const p = await load(id);
    await expect(run((c) => saveProduct(c, ACTOR, id, form(p, { skus: [{ options: [], code: "SK-A", priceFen: 100, stock: 1, baseStock: 1 }] }), p.version))).rejects.toMatchObject({
      code: "SKU_CODE_TAKEN",
      message: "SKU 编码已被其他商品使用：SK-A",
    });
  });
});

describe("merchantCatalog router", () => {
  it("updateProduct needs the loaded version; a stale one is a 409 CONFLICT with the message; stock past the maximum is a 400", async () => {
    const op = (await signedInStaff(database.prisma, "operator")).caller;
    const { id } = await op.merchantCatalog.createProduct({ name: "Mug", category: "apparel", skus: [{ options: [], code: "MUG", priceFen: 2000, stock: 3 }] });
    const loaded = await op.merchantCatalog.product({ id });
    const product = { name: "Mug 2", category: "apparel", skus: [{ options: [], code: "MUG", priceFen: 2000, stock: 3, baseStock: 3 }] };
    expect((await refusal(op.merchantCatalog.updateProduct({ id, product } as never))).code).toBe("BAD_REQUEST");
    await op.merchantCatalog.updateProduct({ id, version: loaded.version, product });
    const e = await op.merchantCatalog.updateProduct({ id, version: loaded.version, product: { ...product, name: "Mug 3" } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TRPCError);
    expect({ code: (e as TRPCError).code, message: (e as TRPCError).message, status: getHTTPStatusCodeFromError(e as TRPCError) }).toEqual({ code: "CONFLICT", message: STALE.message, status: 409 });
    expect((await op.merchantCatalog.product({ id })).name).toBe("Mug 2");
    expect(await refusal(op.merchantCatalog.adjustStock({ skuId: loaded.skus[0]!.id, delta: 10_000_000, reason: "到货入库" }))).toEqual({
      code: "BAD_REQUEST",
      message: "库存不能超过 10000000 件：MUG 当前 3 件，最多还能增加 9999997 件",
    });
  });
});
